"""Phone numbers in the contacts search: compared by their national digits."""

import pytest

from common.search import phone_national_digits, phone_search_digits


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("+31 40 123 4567", "401234567"),
        ("040-123 45 67", "401234567"),
        ("(040) 1234567", "401234567"),
        ("0031 40 1234567", "401234567"),
        ("+49 221 1234", "2211234"),  # a short German number, written either way
        ("0221 1234", "2211234"),
        ("+32 2 123 45 67", "21234567"),
        ("+39 06 1234 5678", "0612345678"),  # Italy keeps its leading 0
        ("call me", ""),
    ],
)
def test_a_number_is_its_national_digits(written, digits):
    assert phone_national_digits(written) == digits


@pytest.mark.parametrize(
    ("search", "looked_up"),
    [
        ("+49 221 5678", "2215678"),
        ("0221 5678", "2215678"),
        ("954 4461", "9544461"),
        # Fewer than six digits, or not a number: searched as words.
        ("010", None),
        ("+1", None),
        ("0001", None),
        ("003456", None),  # "00" is the international prefix: two digits are left
        ("0012 3456", None),
        ("5616 LZ", None),
        ("vos", None),
        ("2026-12-05", "20261205"),
    ],
)
def test_a_search_is_a_number_from_six_digits(search, looked_up):
    assert phone_search_digits(search) == looked_up


@pytest.mark.django_db
def test_the_migration_gives_existing_contacts_their_numbers_digits():
    """Migration accounts 0028 fills in what contact_save now writes, for contacts saved before."""
    from importlib import import_module

    from django.apps import apps

    from accounts.models import Contact
    from tests.accounts.factories import ContactFactory

    migration = import_module("accounts.migrations.0028_contact_search_phone_digits")
    with_phone = ContactFactory(phone="+31 40 123 4567", mobile="06 12 34 56 78")
    without = ContactFactory()
    kept = {c.pk: c.search for c in Contact.objects.all()}
    Contact.objects.update(search="STALE")
    Contact.objects.filter(pk=without.pk).update(search=kept[without.pk])

    migration.add_phone_digits(apps, None)

    assert Contact.objects.get(pk=with_phone.pk).search == kept[with_phone.pk]
    assert kept[with_phone.pk].endswith(" 401234567 612345678")
    assert Contact.objects.get(pk=without.pk).search == kept[without.pk]
