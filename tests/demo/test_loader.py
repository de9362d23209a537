from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.models import model_to_dict

from accounts.models import HQ, Account, AccountChange, Address, Contact, RelationshipType
from activities.models import Activity
from demo.loader import CITIES, DEMO_PASSWORD, SELLER_NAME, demo_accounts, ensure_demo_users

# Rough bounding boxes of the three countries: a demo pin outside its country is a wrong table row.
COUNTRY_BOXES = {
    "NL": (50.7, 53.6, 3.3, 7.3),
    "BE": (49.5, 51.55, 2.5, 6.4),
    "DE": (47.2, 55.1, 5.8, 15.1),
}


def snapshot() -> dict:
    """Everything the demo writes, to compare one run with the next."""
    User = get_user_model()
    return {
        "accounts": [model_to_dict(a) for a in Account.objects.order_by("pk")],
        "updated": list(Account.objects.order_by("pk").values_list("updated_at", flat=True)),
        "addresses": [model_to_dict(a) for a in Address.objects.order_by("pk")],
        "contacts": [model_to_dict(c) for c in Contact.objects.order_by("pk")],
        "changes": list(AccountChange.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("username", "password", "email")),
        "activities": list(Activity.objects.order_by("pk").values()),
    }


def test_the_generated_set_is_the_same_every_time():
    first, second = demo_accounts(), demo_accounts()
    assert [s.name for s in first] == [s.name for s in second]
    assert [(s.latitude, s.longitude, s.crm4_id) for s in first] == [
        (s.latitude, s.longitude, s.crm4_id) for s in second
    ]
    assert len({s.name for s in first}) == len(first), "names are unique"
    assert {s.city[0] for s in first} <= {c[0] for c in CITIES}
    names = {s.name for s in first}
    assert all(s.parent in names for s in first if s.parent)
    # Parents come before their children, so a parent always exists when a child is created.
    seen: set[str] = set()
    for spec in first:
        assert not spec.parent or spec.parent in seen
        seen.add(spec.name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_demo_twice(capsys):
    """A realistic set is loaded through the services, and a second run changes nothing.

    Transactional, so the geocoding that saving schedules on commit really runs first: the demo's
    exact coordinates must still win.
    """
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")

    assert snapshot() == first
    assert "0 accounts, 0 contacts, 0 activities and 0 users created" in capsys.readouterr().out
    # My work has something to show: open tasks for Sales, one of them overdue.
    open_tasks = Activity.objects.filter(
        kind="task", assigned_to__username="sales", done_at__isnull=True
    )
    assert open_tasks.count() >= 2
    assert any(task.is_overdue for task in open_tasks)
    assert Activity.objects.filter(kind="call").exists()

    accounts = Account.objects.select_related("relationship_type", "industry")
    assert 280 <= accounts.count() <= 340
    types = Counter(a.relationship_type.code for a in accounts)
    assert set(types) == set(RelationshipType.objects.values_list("code", flat=True))
    assert types[RelationshipType.CUSTOMER] > 50 and types[RelationshipType.PROSPECT] > 30

    seller = Account.objects.get(name=SELLER_NAME)
    assert seller.relationship_type.code == RelationshipType.SELLER
    assert seller.business_unit == HQ and seller.parent is None
    assert seller.children.count() >= 1 and seller.contacts.exists()
    hqs = Account.objects.filter(business_unit=HQ)
    assert hqs.count() >= 10 and not hqs.filter(parent__isnull=False).exists()
    assert Account.objects.filter(parent__isnull=False).count() >= 20

    industries = Counter(a.industry.name for a in accounts)
    legacy = {name for name in industries if not name.startswith("_")}
    assert 1 <= len(legacy) <= 3
    assert sum(industries[name] for name in legacy) < accounts.count() * 0.1
    assert "_Automotive" in industries and "_Healthcare" in industries

    assert accounts.exclude(crm4_id="").count() >= 30
    assert accounts.exclude(credit_limit=None).count() >= 10
    on_hold = accounts.filter(credit_hold=True)
    assert 1 <= on_hold.count() <= 3
    for account in on_hold:
        hold = account.changes.get(field=AccountChange.Field.CREDIT_HOLD)
        assert (hold.old_value, hold.new_value) == ("No", "Yes")
        assert hold.changed_by.username == "accounting"

    contacts = Counter(Contact.objects.values_list("account_id", flat=True))
    assert set(contacts) == set(accounts.values_list("pk", flat=True))
    assert set(contacts.values()) <= {1, 2, 3, 4}

    visits = Address.objects.filter(kind=Address.Kind.VISIT)
    assert visits.count() == accounts.count()
    assert set(visits.values_list("geocode_status", flat=True)) == {Address.GeocodeStatus.OK}
    centres = {(c[0], c[1]): (c[3], c[4]) for c in CITIES}
    for address in visits:
        south, north, west, east = COUNTRY_BOXES[address.country.code]
        assert south < address.latitude < north and west < address.longitude < east, address
        lat, lon = centres[(address.city, address.country.code)]
        assert abs(address.latitude - lat) < 0.03 and abs(address.longitude - lon) < 0.04
    assert Address.objects.filter(kind=Address.Kind.MAILING).count() == accounts.count()
    assert Address.objects.filter(kind=Address.Kind.OTHER).exists()

    User = get_user_model()
    for username, group in [("sales", "Sales"), ("accounting", "Accounting")]:
        user = User.objects.get(username=username)
        assert user.email == f"{username}@example.com"
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert not user.is_staff
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    management = User.objects.get(username="management")
    assert list(management.groups.values_list("name", flat=True)) == ["Management"]


@pytest.mark.django_db
def test_existing_users_are_left_alone():
    """A second run does not reset a demo user's changed password."""
    users, created = ensure_demo_users()
    assert created == 4
    users["sales"].set_password("changed-by-the-user")
    users["sales"].save()

    assert ensure_demo_users()[1] == 0
    user = users["sales"]

    user.refresh_from_db()
    assert user.check_password("changed-by-the-user")


@pytest.mark.django_db
def test_loading_the_demo_asks_the_geocoder_nothing(lookups, django_capture_on_commit_callbacks):
    """The demo places its accounts itself: a lookup per account only timed out while the
    offline geocoder built its index, and logged "left for later" for addresses it then placed."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert lookups == []
    visits = Address.objects.filter(kind=Address.Kind.VISIT)
    assert not visits.exclude(geocode_status=Address.GeocodeStatus.OK).exists()
