from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms import CheckboxInput
from django.urls import reverse

from accounts.models import Account, AccountChange, Address, Contact, Industry, RelationshipType
from tests.accounts.factories import (
    AccountFactory,
    AddressFactory,
    ContactFactory,
    IndustryFactory,
)
from tests.accounts.factories import relationship_type as rtype
from tests.html import parse
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client):
    """Log the test client in as a staff user in the given role group."""

    def login(group: str | None = None, **kwargs):
        user = UserFactory(is_staff=True, groups=[group] if group else None, **kwargs)
        client.force_login(user)
        return client, user

    return login


def form_data(response) -> dict:
    """What the browser would post back from an admin change form, inlines included."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def change_url(obj) -> str:
    return reverse(f"admin:accounts_{obj._meta.model_name}_change", args=[obj.pk])


def visit_of(account: Account) -> Address:
    return account.addresses.get(kind=Address.Kind.VISIT)


class TestChangeLists:
    @pytest.mark.parametrize("model", ["account", "contact", "address", "accountchange"])
    def test_list_queries_do_not_grow_with_rows(
        self, model, admin_user, client, django_assert_max_num_queries
    ):
        """Each admin list runs the same number of queries for 2 rows as for 12."""
        client.force_login(admin_user)
        url = reverse(f"admin:accounts_{model}_changelist")
        accountant = UserFactory(groups=["Accounting"])
        industry = IndustryFactory(name="_Automotive")

        def add_rows(count: int) -> None:
            for _ in range(count):
                parent = AccountFactory(industry=industry)
                account = AccountFactory(industry=industry, parent=parent)
                ContactFactory(account=account)
                AccountChange.objects.create(
                    account=account,
                    field=AccountChange.Field.CREDIT_LIMIT,
                    new_value="1000.00",
                    changed_by=accountant,
                    changed_at=account.created_at,
                )

        add_rows(2)
        client.get(url)  # warm the session and content-type caches
        with django_assert_max_num_queries(12) as few:
            assert client.get(url).status_code == 200
        add_rows(10)
        with django_assert_max_num_queries(len(few)) as many:
            response = client.get(url)
        assert response.status_code == 200
        assert len(many) == len(few)

    @pytest.mark.parametrize("model", ["relationshiptype", "industry"])
    def test_type_and_industry_lists_show_account_counts(self, model, admin_user, client):
        IndustryFactory(name="Legacy Trade")
        AccountFactory.create_batch(3, relationship_type=rtype(RelationshipType.CUSTOMER))
        client.force_login(admin_user)
        response = client.get(reverse(f"admin:accounts_{model}_changelist"))
        assert response.status_code == 200
        assert b'class="field-account_count">3<' in response.content

    def test_account_list_shows_visit_city_and_searches_it(self, admin_user, client):
        AccountFactory(name="Brabant Carrosserie", visit__city="Eindhoven")
        AccountFactory(name="Rhein Fahrzeugbau", visit__city="Köln", visit__country="DE")
        client.force_login(admin_user)
        url = reverse("admin:accounts_account_changelist")

        response = client.get(url, {"q": "köln"})

        assert response.status_code == 200
        assert "Rhein Fahrzeugbau" in response.content.decode()
        assert "Brabant Carrosserie" not in response.content.decode()

    def test_account_list_filters_by_visit_country(self, admin_user, client):
        AccountFactory(name="Brabant Carrosserie")
        AccountFactory(name="Rhein Fahrzeugbau", visit__city="Köln", visit__country="DE")
        client.force_login(admin_user)

        response = client.get(reverse("admin:accounts_account_changelist"), {"country": "DE"})

        content = response.content.decode()
        assert "Rhein Fahrzeugbau" in content
        assert "Brabant Carrosserie" not in content
        assert "Germany" in content and "Netherlands" in content  # the filter's choices

    def test_a_dutch_administrator_reads_every_filter_title_in_dutch(self, admin_user, client):
        admin_user.language = "nl"
        admin_user.save()
        AccountFactory()
        client.force_login(admin_user)

        page = parse(client.get(reverse("admin:accounts_account_changelist")).content)

        filters = page.find(id="changelist-filter")
        titles = [e.text for e in filters.find_all("summary") + filters.find_all("h3")]
        assert "Op land" in titles and not [t for t in titles if "country" in t]


class TestAccountCredit:
    def test_sales_staff_sees_credit_fields_read_only(self, admin_client_for):
        """A staff user without the credit permission gets no credit inputs."""
        client, _ = admin_client_for("Sales")
        account = AccountFactory(credit_limit=Decimal("5000"))

        response = client.get(change_url(account))

        assert response.status_code == 200
        assert 'name="credit_limit"' not in response.content.decode()
        assert 'name="credit_hold"' not in response.content.decode()
        assert 'name="name"' in response.content.decode()

    def test_sales_staff_posting_credit_fields_changes_nothing(self, admin_client_for):
        client, _ = admin_client_for("Sales")
        account = AccountFactory(credit_limit=Decimal("5000"))
        data = form_data(client.get(change_url(account)))
        data.update(name="Renamed Company", credit_limit="999999", credit_hold="on")

        response = client.post(change_url(account), data)

        assert response.status_code == 302
        account.refresh_from_db()
        assert account.name == "Renamed Company"
        assert account.credit_limit == Decimal("5000")
        assert account.credit_hold is False
        assert not account.changes.exists()

    def test_accounting_staff_changes_credit_and_history_is_kept(self, admin_client_for):
        client, accountant = admin_client_for("Accounting")
        account = AccountFactory(credit_limit=Decimal("5000"))
        data = form_data(client.get(change_url(account)))
        data.update(credit_limit="25000.00", credit_hold="on", credit_hold_reason="Disputes")

        response = client.post(change_url(account), data)

        assert response.status_code == 302
        account.refresh_from_db()
        assert account.credit_limit == Decimal("25000.00")
        assert account.credit_hold is True
        changes = {c.field: c for c in account.changes.all()}
        assert changes["credit_limit"].old_value == "5000.00"
        assert changes["credit_limit"].new_value == "25000.00"
        assert changes["credit_hold"].new_value == "Yes"
        assert {c.changed_by for c in changes.values()} == {accountant}

    def test_negative_credit_limit_is_refused(self, admin_client_for):
        client, _ = admin_client_for("Accounting")
        account = AccountFactory()
        data = form_data(client.get(change_url(account)))
        data["credit_limit"] = "-5"

        response = client.post(change_url(account), data)

        assert response.status_code == 200
        assert "greater than or equal to 0" in response.content.decode()
        account.refresh_from_db()
        assert account.credit_limit is None


class TestAccountAdd:
    def add_data(self, **overrides) -> dict:
        return {
            "name": "Kempen Trailers B.V.",
            "relationship_type": rtype(RelationshipType.PROSPECT).pk,
            "industry": IndustryFactory(name="_Transport & Logistics").pk,
            "business_unit": "",
            "visit_street": "Industrieweg 4",
            "visit_postal_code": "5531 AD",
            "visit_city": "Bladel",
            "visit_country": "NL",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-first_name": "Femke",
            "contacts-0-last_name": "Smit",
            "contacts-0-email": "femke@kempen.example",
            **overrides,
        }

    def test_add_creates_visit_and_mailing_addresses_and_contact(self, admin_user, client):
        client.force_login(admin_user)

        response = client.post(reverse("admin:accounts_account_add"), self.add_data())

        assert response.status_code == 302, response.context["adminform"].form.errors
        account = Account.objects.get(name="Kempen Trailers B.V.")
        assert account.name_key == "kempen trailers"
        addresses = {a.kind: a for a in account.addresses.all()}
        assert addresses[Address.Kind.VISIT].city == "Bladel"
        assert addresses[Address.Kind.MAILING].street == "Industrieweg 4"
        assert list(account.contacts.values_list("last_name", flat=True)) == ["Smit"]

    def test_legacy_industry_is_not_offered(self, admin_user, client):
        legacy = IndustryFactory(name="Automobile")
        client.force_login(admin_user)

        response = client.post(
            reverse("admin:accounts_account_add"), self.add_data(industry=legacy.pk)
        )

        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not Account.objects.exists()

    def test_hq_with_parent_is_refused(self, admin_user, client):
        parent = AccountFactory()
        client.force_login(admin_user)

        response = client.post(
            reverse("admin:accounts_account_add"),
            self.add_data(business_unit="HQ", parent=parent.pk),
        )

        assert response.status_code == 200
        assert "has no parent account" in response.content.decode()
        assert Account.objects.count() == 1

    def test_old_account_keeps_its_legacy_industry(self, admin_user, client):
        account = AccountFactory(industry=IndustryFactory(name="Automobile"))
        client.force_login(admin_user)
        data = form_data(client.get(change_url(account)))
        data["phone"] = "+31 40 765 4321"

        assert client.post(change_url(account), data).status_code == 302
        account.refresh_from_db()
        assert account.industry.name == "Automobile"
        assert account.phone == "+31 40 765 4321"


class TestAccountInlines:
    def test_visit_address_cannot_be_deleted(self, admin_user, client):
        account = AccountFactory()
        client.force_login(admin_user)
        response = client.get(change_url(account))
        data = form_data(response)
        formset = response.context["inline_admin_formsets"][0].formset
        index = next(
            i for i, f in enumerate(formset.forms) if f.instance.kind == Address.Kind.VISIT
        )
        data[f"{formset.prefix}-{index}-DELETE"] = "on"

        response = client.post(change_url(account), data)

        assert response.status_code == 200
        assert "The visit address cannot be removed" in response.content.decode()
        assert account.addresses.count() == 2

    def test_changed_visit_address_loses_its_old_coordinates(self, admin_user, client):
        account = AccountFactory()
        Address.objects.filter(pk=visit_of(account).pk).update(
            latitude=51.44, longitude=5.47, geocode_status=Address.GeocodeStatus.OK
        )
        client.force_login(admin_user)
        response = client.get(change_url(account))
        data = form_data(response)
        formset = response.context["inline_admin_formsets"][0].formset
        index = next(
            i for i, f in enumerate(formset.forms) if f.instance.kind == Address.Kind.VISIT
        )
        data[f"{formset.prefix}-{index}-street"] = "Stationsplein 1"
        data[f"{formset.prefix}-{index}-city"] = "Veldhoven"

        assert client.post(change_url(account), data).status_code == 302
        visit = visit_of(account)
        assert (visit.street, visit.city) == ("Stationsplein 1", "Veldhoven")
        # The service dropped the old coordinates; the geocoder fills new ones after commit.
        assert visit.latitude != 51.44

    def test_add_shipping_address_and_contact_inline(self, admin_user, client):
        account = AccountFactory()
        client.force_login(admin_user)
        response = client.get(change_url(account))
        data = form_data(response)
        addresses, contacts = (i.formset for i in response.context["inline_admin_formsets"])
        data.update(
            {
                f"{addresses.prefix}-TOTAL_FORMS": "3",
                f"{addresses.prefix}-2-name": "Shipping",
                f"{addresses.prefix}-2-street": "Havenweg 3",
                f"{addresses.prefix}-2-city": "Rotterdam",
                f"{addresses.prefix}-2-country": "NL",
                f"{contacts.prefix}-TOTAL_FORMS": "1",
                f"{contacts.prefix}-0-last_name": "Peeters",
                f"{contacts.prefix}-0-phone": "not a phone",
            }
        )

        response = client.post(change_url(account), data)
        assert response.status_code == 200, "a bad phone number must be refused"
        assert "Enter a phone number" in response.content.decode()
        assert account.addresses.count() == 2

        data[f"{contacts.prefix}-0-phone"] = "+32 3 123 45 67"
        assert client.post(change_url(account), data).status_code == 302
        shipping = account.addresses.get(name="Shipping")
        assert shipping.kind == Address.Kind.OTHER
        assert account.contacts.get().phone == "+32 3 123 45 67"


class TestOtherAdmins:
    def test_history_is_read_only(self, admin_user, client):
        account = AccountFactory()
        change = AccountChange.objects.create(
            account=account,
            field=AccountChange.Field.CREDIT_HOLD,
            old_value="No",
            new_value="Yes",
            changed_at=account.created_at,
        )
        client.force_login(admin_user)

        assert client.get(reverse("admin:accounts_accountchange_add")).status_code == 403
        response = client.get(change_url(change))
        assert response.status_code == 200
        assert 'name="new_value"' not in response.content.decode()
        delete = reverse("admin:accounts_accountchange_delete", args=[change.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert AccountChange.objects.filter(pk=change.pk).exists()

    def test_rule_types_cannot_be_deleted_and_keep_their_code(self, admin_user, client):
        customer = rtype(RelationshipType.CUSTOMER)
        client.force_login(admin_user)

        delete = reverse("admin:accounts_relationshiptype_delete", args=[customer.pk])
        for response in (client.get(delete), client.post(delete, {"post": "yes"})):
            # Said as what it is, not as a role the administrator lacks.
            assert response.status_code == 302 and response.url == change_url(customer)
            message = str(list(response.wsgi_request._messages)[-1])
            assert "built in" in message and "cannot be deleted" in message
        response = client.get(change_url(customer))
        assert 'name="code"' not in response.content.decode()
        assert RelationshipType.objects.filter(code=RelationshipType.CUSTOMER).exists()

    def test_admin_adds_a_relationship_type(self, admin_user, client):
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:accounts_relationshiptype_add"),
            {"name": "Distributor", "code": "distributor", "description": ""},
        )
        assert response.status_code == 302
        assert RelationshipType.objects.filter(code="distributor").exists()

    @pytest.mark.parametrize(
        ("model", "data"),
        [
            ("relationshiptype", {"name": "customer", "code": "customer-2", "description": ""}),
            ("industry", {"name": "_retail"}),
        ],
    )
    def test_a_name_that_differs_only_in_capitals_is_refused(self, admin_user, client, model, data):
        """The forms would offer both, and the imports (which ignore case) take either."""
        rtype(RelationshipType.CUSTOMER)
        IndustryFactory(name="_Retail")
        client.force_login(admin_user)
        response = client.post(reverse(f"admin:accounts_{model}_add"), data)
        assert response.status_code == 200
        assert "exists already" in response.content.decode()
        assert RelationshipType.objects.filter(name__iexact="customer").count() == 1
        assert Industry.objects.filter(name__iexact="_retail").count() == 1

    def test_fixed_address_cannot_be_deleted_but_shipping_can(self, admin_user, client):
        account = AccountFactory()
        shipping = AddressFactory(account=account, name="Shipping")
        client.force_login(admin_user)

        visit_delete = reverse("admin:accounts_address_delete", args=[visit_of(account).pk])
        assert client.post(visit_delete, {"post": "yes"}).status_code == 403
        shipping_delete = reverse("admin:accounts_address_delete", args=[shipping.pk])
        assert client.post(shipping_delete, {"post": "yes"}).status_code == 302
        assert set(account.addresses.values_list("kind", flat=True)) == {"visit", "mailing"}

    def test_bulk_delete_refuses_visit_and_mailing_addresses(self, admin_user, client):
        account = AccountFactory()
        shipping = AddressFactory(account=account, name="Shipping")
        client.force_login(admin_user)
        url = reverse("admin:accounts_address_changelist")

        def delete(pks):
            data = {"action": "delete_selected", "post": "yes", "_selected_action": pks}
            return client.post(url, data)

        assert delete(list(account.addresses.values_list("pk", flat=True))).status_code == 403
        assert account.addresses.count() == 3
        assert delete([shipping.pk]).status_code == 302
        assert set(account.addresses.values_list("kind", flat=True)) == {"visit", "mailing"}

    def test_contact_stays_with_its_account(self, admin_user, client):
        contact = ContactFactory(last_name="Jansen")
        other = AccountFactory()
        client.force_login(admin_user)
        response = client.get(change_url(contact))
        data = form_data(response)
        data.update(last_name="Janssen", account=other.pk)

        assert client.post(change_url(contact), data).status_code == 302
        contact.refresh_from_db()
        assert contact.last_name == "Janssen"
        assert contact.account_id != other.pk

    def test_contact_with_bad_email_is_refused(self, admin_user, client):
        contact = ContactFactory(email="old@example.com")
        client.force_login(admin_user)
        data = form_data(client.get(change_url(contact)))
        data["email"] = "not-an-email"

        response = client.post(change_url(contact), data)

        assert response.status_code == 200
        assert "Enter a valid email address" in response.content.decode()
        assert Contact.objects.get(pk=contact.pk).email == "old@example.com"


def refuse(monkeypatch, service: str, error: ValidationError) -> None:
    """Make a service refuse, as it would for a rule only it checks or a change made meanwhile."""

    def refusing(**kwargs):
        raise error

    monkeypatch.setattr(service, refusing)


class TestRefusedSaves:
    """A service that refuses while the admin saves: the form again with why, nothing saved."""

    def test_a_refused_inline_row_saves_nothing_of_the_change(
        self, admin_user, client, monkeypatch
    ):
        account = AccountFactory(phone="+31 40 123 4567")
        client.force_login(admin_user)
        response = client.get(change_url(account))
        data = form_data(response)
        contacts = response.context["inline_admin_formsets"][1].formset
        data.update(
            {
                "phone": "+31 40 765 4321",
                f"{contacts.prefix}-TOTAL_FORMS": "1",
                f"{contacts.prefix}-0-last_name": "Peeters",
            }
        )
        refuse(monkeypatch, "accounts.services.contact_save", ValidationError("Not today."))

        response = client.post(change_url(account), data)

        assert response.status_code == 200
        form = response.context["adminform"].form
        assert form.non_field_errors() == ["Contact Peeters: Not today."]
        assert form["phone"].value() == "+31 40 765 4321", "what was typed is kept"
        account.refresh_from_db()
        assert account.phone == "+31 40 123 4567"
        assert not account.contacts.exists()

    def test_a_refused_new_account_is_a_form_error(self, admin_user, client, monkeypatch):
        client.force_login(admin_user)
        refuse(
            monkeypatch,
            "accounts.services.account_create",
            ValidationError({"name": "An account with this name was added meanwhile."}),
        )

        response = client.post(reverse("admin:accounts_account_add"), TestAccountAdd().add_data())

        assert response.status_code == 200
        form = response.context["adminform"].form
        assert form.errors["name"] == ["An account with this name was added meanwhile."]
        assert not Account.objects.exists() and not Contact.objects.exists()
