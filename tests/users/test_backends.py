"""The backend reads a user's rights in one query: the same rights Django's own backend finds."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.users.factories import UserFactory
from users.backends import EmailOrUsernameBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("groups", [[], ["Sales"], ["Sales", "Accounting"], ["Management"]])
@pytest.mark.parametrize("own", [[], ["change_crm4_id", "view_user"]])
def test_the_rights_are_djangos(groups, own, django_assert_num_queries):
    user = UserFactory(groups=groups)
    user.user_permissions.set(Permission.objects.filter(codename__in=own))
    with django_assert_num_queries(1):
        rights = EmailOrUsernameBackend().get_all_permissions(user)
    assert rights == ModelBackend().get_all_permissions(UserFactory.build(pk=user.pk))
    assert user.has_perm("accounts.view_account") == bool(groups)
    assert user.has_perm("accounts.change_crm4_id") == bool(own)


def test_a_superuser_holds_every_right():
    admin = UserFactory(is_superuser=True)
    assert EmailOrUsernameBackend().get_all_permissions(admin) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def test_an_inactive_user_holds_none():
    assert EmailOrUsernameBackend().get_all_permissions(UserFactory(is_active=False)) == set()


def test_rights_changed_show_on_the_next_request(client):
    user = UserFactory(groups=["Sales"])
    client.force_login(user)
    assert client.get(reverse("accounts:list")).status_code == 200
    user.groups.clear()
    assert client.get(reverse("accounts:list")).status_code == 403
    Group.objects.get(name="Accounting").user_set.add(user)
    assert client.get(reverse("accounts:list")).status_code == 200
