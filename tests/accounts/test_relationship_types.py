"""The relationship types as the seeds define them: what a new account starts as, and what each
type means (the wiki's one-line definitions), shown where a user picks a type."""

import pytest
from django.urls import reverse

from accounts.models import Account, RelationshipType
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.accounts.test_import_export import admin_import, old_crm_row, to_csv
from tests.html import parse

pytestmark = pytest.mark.django_db


def selected_type(html: bytes) -> str:
    """The value of the option the type select has selected."""
    select = parse(html).find("select", name="relationship_type")
    chosen = [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]
    return chosen[0] if chosen else ""


class TestANewAccountIsAProspect:
    """ "Prospect: any new Account in CRM that has not ordered (yet)"."""

    def test_the_one_definition_is_prospect(self):
        assert RelationshipType.objects.for_new_account() == rtype(RelationshipType.PROSPECT)

    def test_the_create_page_preselects_prospect(self, as_user, sales_user):
        response = as_user(sales_user).get(reverse("accounts:create"))
        assert selected_type(response.content) == str(rtype(RelationshipType.PROSPECT).pk)

    def test_the_edit_page_keeps_the_accounts_own_type(self, as_user, sales_user):
        account = AccountFactory(relationship_type=rtype(RelationshipType.CUSTOMER))
        response = as_user(sales_user).get(reverse("accounts:update", args=[account.pk]))
        assert selected_type(response.content) == str(rtype(RelationshipType.CUSTOMER).pk)

    def test_the_admin_add_form_preselects_prospect(self, as_user, admin_user):
        response = as_user(admin_user).get(reverse("admin:accounts_account_add"))
        assert selected_type(response.content) == str(rtype(RelationshipType.PROSPECT).pk)

    def test_an_imported_row_without_type_is_a_prospect(self, client, admin_user):
        IndustryFactory(name="_Automotive")
        client.force_login(admin_user)
        admin_import(client, to_csv([old_crm_row(relationship_type="")]))
        assert Account.objects.get().relationship_type.code == RelationshipType.PROSPECT

    def test_all_three_ask_the_one_definition(self, as_user, admin_user, monkeypatch):
        """Should the rule change, the page, the admin and the import follow it together."""
        customer = rtype(RelationshipType.CUSTOMER)
        monkeypatch.setattr(
            type(RelationshipType.objects.all()), "for_new_account", lambda self: customer
        )
        IndustryFactory(name="_Automotive")
        client = as_user(admin_user)

        assert selected_type(client.get(reverse("accounts:create")).content) == str(customer.pk)
        add_page = client.get(reverse("admin:accounts_account_add"))
        assert selected_type(add_page.content) == str(customer.pk)
        admin_import(client, to_csv([old_crm_row(relationship_type="")]))
        assert Account.objects.get().relationship_type == customer
