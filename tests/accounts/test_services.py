from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import Account, AccountChange, Address, Contact, RelationshipType
from tests.accounts.factories import (
    AccountFactory,
    AddressFactory,
    ContactFactory,
    IndustryFactory,
)
from tests.accounts.factories import relationship_type as rtype
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    return {
        "name": "Bodywork Group Elfsquad",
        "relationship_type": rtype(RelationshipType.SELLER),
        "industry": IndustryFactory(name="_Automotive"),
        **overrides,
    }


VISIT = {
    "street": "Kastanjelaan 12",
    "postal_code": "5616 LZ",
    "city": "Eindhoven",
    "country": "NL",
}


class TestAccountCreate:
    def test_an_account_gets_exactly_one_visit_and_one_mailing_address(self, sales_user):
        account = services.account_create(user=sales_user, fields=_fields(), visit_address=VISIT)
        kinds = sorted(account.addresses.values_list("kind", flat=True))
        assert kinds == [Address.Kind.MAILING, Address.Kind.VISIT]
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        assert (visit.street, visit.city, visit.country.code) == (
            "Kastanjelaan 12",
            "Eindhoven",
            "NL",
        )

    def test_industry_is_mandatory(self, sales_user):
        with pytest.raises(ValidationError) as error:
            services.account_create(user=sales_user, fields=_fields(industry=None))
        assert "industry" in error.value.message_dict
        assert not Account.objects.exists()

    def test_a_bad_address_saves_nothing(self, sales_user):
        """A failure half-way leaves no account without addresses behind."""
        with pytest.raises(ValidationError):
            services.account_create(
                user=sales_user, fields=_fields(), visit_address={**VISIT, "country": "XX"}
            )
        assert not Account.objects.exists()

    def test_sales_cannot_set_a_credit_limit(self, sales_user):
        with pytest.raises(PermissionDenied):
            services.account_create(user=sales_user, fields=_fields(credit_limit=Decimal(5000)))
        assert not Account.objects.exists()

    def test_a_credit_limit_set_on_a_new_account_is_recorded(self):
        """By someone who may both add accounts and set credit (Accounting alone may not add)."""
        clerk = UserFactory(groups=["Sales", "Accounting"])
        account = services.account_create(
            user=clerk,
            fields=_fields(
                credit_limit=Decimal("5000"), credit_hold=True, credit_hold_reason="Disputes"
            ),
        )
        changes = {c.field: c for c in account.changes.all()}
        assert changes["credit_limit"].new_value == "5000.00"
        assert changes["credit_limit"].changed_by == clerk
        assert changes["credit_hold"].new_value == "Yes"

    @pytest.mark.parametrize("given", ["left out", None])
    def test_a_new_account_without_a_type_is_a_prospect(self, sales_user, given):
        fields = _fields()
        if given is None:
            fields["relationship_type"] = None
        else:
            del fields["relationship_type"]
        account = services.account_create(user=sales_user, fields=fields)
        assert account.relationship_type.code == RelationshipType.PROSPECT

    def test_an_hq_has_no_parent(self, sales_user):
        parent = AccountFactory()
        with pytest.raises(ValidationError) as error:
            services.account_create(
                user=sales_user, fields=_fields(business_unit="HQ", parent=parent)
            )
        assert "parent" in error.value.message_dict


class TestAccountUpdate:
    def test_credit_changes_keep_who_when_old_and_new(self, accounting_user):
        account = AccountFactory(credit_limit=Decimal("1000"))
        services.account_update(
            account=account, user=accounting_user, fields={"credit_limit": Decimal("2500.5")}
        )
        services.account_update(
            account=account,
            user=accounting_user,
            fields={"credit_hold": True, "credit_hold_reason": "Disputes"},
        )
        history = [(c.field, c.old_value, c.new_value) for c in account.changes.order_by("id")]
        assert history == [
            ("credit_limit", "1000.00", "2500.50"),
            ("credit_hold", "No", "Yes"),
            ("credit_hold_reason", "", "Disputes"),
        ]
        assert all(c.changed_by == accounting_user and c.changed_at for c in account.changes.all())

    def test_saving_without_a_credit_change_records_nothing(self, accounting_user):
        account = AccountFactory(credit_limit=Decimal("1000"))
        services.account_update(account=account, user=accounting_user, fields={"name": "Renamed"})
        assert not account.changes.exists()

    @pytest.mark.parametrize("role", ["sales_user", "management_user", "no_group_user"])
    def test_only_accounting_changes_credit(self, role, request):
        user = request.getfixturevalue(role)
        account = AccountFactory(credit_limit=Decimal("1000"))
        with pytest.raises(PermissionDenied):
            services.account_update(account=account, user=user, fields={"credit_hold": True})
        account.refresh_from_db()
        assert account.credit_hold is False
        assert not account.changes.exists()

    def test_a_superuser_may_change_credit(self, admin_user):
        account = AccountFactory()
        services.account_update(
            account=account, user=admin_user, fields={"credit_limit": Decimal("10")}
        )
        account.refresh_from_db()
        assert account.credit_limit == Decimal("10")

    def test_a_negative_credit_limit_is_refused(self, accounting_user):
        account = AccountFactory()
        with pytest.raises(ValidationError) as error:
            services.account_update(
                account=account, user=accounting_user, fields={"credit_limit": Decimal("-1")}
            )
        assert "credit_limit" in error.value.message_dict

    def test_a_parent_chain_never_loops(self, sales_user):
        top = AccountFactory(name="Top")
        middle = AccountFactory(name="Middle", parent=top)
        bottom = AccountFactory(name="Bottom", parent=middle)
        with pytest.raises(ValidationError) as error:
            services.account_update(account=top, user=sales_user, fields={"parent": bottom})
        assert "loop" in error.value.message_dict["parent"][0]
        top.refresh_from_db()
        assert top.parent is None

    def test_an_account_is_not_its_own_parent(self, sales_user):
        account = AccountFactory()
        with pytest.raises(ValidationError) as error:
            services.account_update(account=account, user=sales_user, fields={"parent": account})
        assert error.value.message_dict["parent"] == ["An account cannot be its own parent."]

    def test_hq_is_recognised_in_any_case(self, sales_user):
        account = AccountFactory(parent=AccountFactory())
        with pytest.raises(ValidationError):
            services.account_update(
                account=account, user=sales_user, fields={"business_unit": "hq"}
            )

    def test_name_key_follows_the_name(self, sales_user):
        account = AccountFactory(name="Old name")
        services.account_update(account=account, user=sales_user, fields={"name": "New Name B.V."})
        account.refresh_from_db()
        assert account.name_key == "new name"


def test_relationship_type_change_is_kept_in_history(sales_user):
    account = AccountFactory()
    services.account_set_relationship_type(
        account=account, relationship_type=rtype(RelationshipType.CUSTOMER), user=sales_user
    )
    change = account.changes.get()
    assert (change.field, change.old_value, change.new_value) == (
        AccountChange.Field.RELATIONSHIP_TYPE,
        "Prospect",
        "Customer",
    )


class TestAddresses:
    def test_copy_visit_to_mailing(self, sales_user):
        account = AccountFactory()
        mailing = services.account_copy_visit_to_mailing(user=sales_user, account=account)
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        mailing.refresh_from_db()
        assert (mailing.street, mailing.postal_code, mailing.city, mailing.country) == (
            visit.street,
            visit.postal_code,
            visit.city,
            visit.country,
        )
        assert mailing.name == "Mailing"

    def test_the_copy_locks_both_addresses_in_its_own_transaction(self, sales_user):
        """Outside a transaction PostgreSQL refuses the row lock (SQLite silently has none)."""
        account = AccountFactory()
        with CaptureQueriesContext(connection) as queries:
            services.account_copy_visit_to_mailing(user=sales_user, account=account)
        statements = [q["sql"] for q in queries.captured_queries]
        assert statements[0].startswith("SAVEPOINT")
        assert (
            any("FOR UPDATE" in sql for sql in statements)
            == connection.features.has_select_for_update
        )

    def test_further_named_addresses_can_be_added_and_removed(self, sales_user):
        account = AccountFactory()
        shipping = services.address_save(
            user=sales_user, address=Address(account=account), fields={"name": "Shipping", **VISIT}
        )
        assert shipping.kind == Address.Kind.OTHER
        services.address_delete(user=sales_user, address=shipping)
        assert account.addresses.count() == 2

    def test_visit_and_mailing_addresses_cannot_be_removed(self, sales_user):
        account = AccountFactory()
        for address in account.addresses.all():
            with pytest.raises(ValidationError):
                services.address_delete(user=sales_user, address=address)
        assert account.addresses.count() == 2

    def test_a_second_visit_address_is_refused(self, sales_user):
        account = AccountFactory()
        with pytest.raises(ValidationError):
            services.address_save(
                user=sales_user,
                address=Address(account=account, kind=Address.Kind.VISIT),
                fields={"name": "V2"},
            )

    def test_address_names_are_unique_per_account_ignoring_case(self, sales_user):
        account = AccountFactory()
        AddressFactory(account=account, name="Shipping")
        with pytest.raises(ValidationError):
            services.address_save(
                user=sales_user, address=Address(account=account), fields={"name": "shipping"}
            )

    def test_changing_the_visit_address_forgets_old_coordinates(self, sales_user):
        account = AccountFactory()
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        Address.objects.filter(pk=visit.pk).update(
            latitude=51.44, longitude=5.47, geocode_status=Address.GeocodeStatus.OK
        )
        visit.refresh_from_db()
        services.address_save(user=sales_user, address=visit, fields={"city": "Veldhoven"})
        visit.refresh_from_db()
        assert visit.latitude is None and visit.geocode_status == Address.GeocodeStatus.PENDING

    def test_an_address_keeps_its_kind_and_account(self, sales_user):
        account, other = AccountFactory(), AccountFactory()
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        visit.kind, visit.account = Address.Kind.OTHER, other
        services.address_save(user=sales_user, address=visit, fields={"city": "Best"})
        visit.refresh_from_db()
        assert (visit.kind, visit.account) == (Address.Kind.VISIT, account)


class TestDatabaseConstraints:
    """The rules hold even for writes that skip validation."""

    def test_hq_with_parent_is_refused_by_the_database(self, sales_user):
        account = AccountFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            AccountFactory(business_unit="HQ", parent=account)

    def test_negative_credit_limit_is_refused_by_the_database(self, sales_user):
        with pytest.raises(IntegrityError), transaction.atomic():
            AccountFactory(credit_limit=Decimal("-5"))

    def test_one_visit_address_per_account(self, sales_user):
        account = AccountFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            AddressFactory(account=account, kind=Address.Kind.VISIT, name="Second visit")

    def test_crm4_ids_are_unique_but_may_be_empty(self, sales_user):
        AccountFactory(crm4_id="")
        AccountFactory(crm4_id="")
        AccountFactory(crm4_id="IK-1")
        with pytest.raises(IntegrityError), transaction.atomic():
            AccountFactory(crm4_id="IK-1")


# --- every write checks the right -------------------------------------------------------------


def _writes(account, contact, shipping):
    return {
        "account_create": lambda user: services.account_create(user=user, fields=_fields()),
        "account_update": lambda user: services.account_update(
            account=account, user=user, fields={"name": "Renamed"}
        ),
        "account_set_relationship_type": lambda user: services.account_set_relationship_type(
            account=account, relationship_type=rtype(RelationshipType.CUSTOMER), user=user
        ),
        "account_delete": lambda user: services.account_delete(account=account, user=user),
        "account_copy_visit_to_mailing": lambda user: services.account_copy_visit_to_mailing(
            account=account, user=user
        ),
        "address_save": lambda user: services.address_save(
            address=Address(account=account), user=user, fields={"name": "Depot", **VISIT}
        ),
        "address_delete": lambda user: services.address_delete(address=shipping, user=user),
        "contact_save": lambda user: services.contact_save(
            contact=Contact(account=account), user=user, fields={"last_name": "Jansen"}
        ),
        "contact_delete": lambda user: services.contact_delete(contact=contact, user=user),
    }


@pytest.mark.parametrize("write", list(_writes(None, None, None)))
@pytest.mark.parametrize("who", ["management_user", "anonymous"])
def test_a_write_without_the_right_is_refused_and_changes_nothing(request, write, who):
    """Services check the right themselves, so no caller (view, admin, import) can skip it."""
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    account = AccountFactory(name="Kept")
    contact = ContactFactory(account=account, last_name="Kept")
    shipping = AddressFactory(account=account, name="Shipping")
    before = (
        Account.objects.count(),
        list(Account.objects.values_list("name", "relationship_type_id")),
        list(Address.objects.values_list("pk", "street", "city")),
        list(Contact.objects.values_list("pk", "last_name")),
    )
    with pytest.raises(PermissionDenied):
        _writes(account, contact, shipping)[write](user)
    assert before == (
        Account.objects.count(),
        list(Account.objects.values_list("name", "relationship_type_id")),
        list(Address.objects.values_list("pk", "street", "city")),
        list(Contact.objects.values_list("pk", "last_name")),
    )


class TestTheHierarchysLock:
    """Changes of parents wait for each other (tests/accounts/test_concurrency.py); saves that
    leave the parent as it is, which the forms send with every save, do not wait."""

    @pytest.fixture
    def locks(self, monkeypatch):
        taken = []
        monkeypatch.setattr(services, "lock_account_hierarchy", lambda: taken.append(1))
        return taken

    def test_a_save_with_the_same_parent_takes_no_lock(self, locks, sales_user):
        parent = AccountFactory()
        account = AccountFactory(parent=parent)
        services.account_update(
            account=account, user=sales_user, fields={"name": "Renamed B.V.", "parent": parent}
        )
        assert locks == []

    def test_a_new_parent_takes_it(self, locks, sales_user):
        account = AccountFactory()
        services.account_update(
            account=account, user=sales_user, fields={"parent": AccountFactory()}
        )
        assert locks == [1]

    def test_a_parent_moved_meanwhile_is_not_written_back(self, locks, sales_user, monkeypatch):
        old, new = AccountFactory(), AccountFactory()
        account = AccountFactory(parent=old)
        page_read = Account.objects.get(pk=account.pk)
        real = services._moves_parent

        def moved_meanwhile(account, parent):
            """Someone else moves it between this save's first look and its lock."""
            answer = real(account, parent)
            Account.objects.filter(pk=account.pk).update(parent=new)
            return answer

        monkeypatch.setattr(services, "_moves_parent", moved_meanwhile)
        with pytest.raises(ValidationError, match="changed meanwhile"):
            services.account_update(account=page_read, user=sales_user, fields={"parent": old})
        assert locks == []
