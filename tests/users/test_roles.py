"""The role groups get exactly the rights users/roles.py gives them, on any database."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from users.roles import ROLES, sync_role_groups

pytestmark = pytest.mark.django_db


def rights_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_group_holds_exactly_its_rights_after_migrate(role):
    """The test database was built by migrate, as a fresh install is."""
    assert rights_of(role) == set(ROLES[role])


def test_every_right_named_exists():
    """A typo in the definition would silently give no right."""
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert set().union(*ROLES.values()) <= existing


def test_an_old_database_is_brought_in_line_and_a_second_run_changes_nothing():
    """A group missing a right gets it, one holding an extra right loses it; groups stay one."""
    accounting = Group.objects.get(name="Accounting")
    accounting.permissions.remove(Permission.objects.get(codename="confirm_prepayment"))
    management = Group.objects.get(name="Management")
    management.permissions.add(Permission.objects.get(codename="add_order"))
    sync_role_groups()
    sync_role_groups()
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)
    for role in ROLES:
        assert rights_of(role) == set(ROLES[role]), role


def test_migrate_on_a_migrated_database_gives_the_rights_again():
    """An upgrade runs migrate on a database that has every migration already."""
    Group.objects.get(name="Sales").permissions.clear()
    call_command("migrate", verbosity=0)
    assert rights_of("Sales") == set(ROLES["Sales"])
