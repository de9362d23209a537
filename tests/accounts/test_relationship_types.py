"""The relationship types as the seeds define them: what a new account starts as, and what each
type means (the wiki's one-line definitions), shown where a user picks a type."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import (
    SEEDED_TYPE_DESCRIPTIONS,
    SEEDED_TYPE_NAMES,
    Account,
    RelationshipType,
)
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.accounts.test_import_export import admin_import, old_crm_row, to_csv
from tests.html import parse
from tests.html import rows as table_rows

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


class TestWhatTheTypesMean:
    """The wiki's one-line definitions are data an administrator can edit, shown where a user
    picks a type."""

    def test_each_type_has_the_wikis_definition(self):
        descriptions = dict(RelationshipType.objects.values_list("code", "description"))
        assert descriptions[RelationshipType.SELLER].startswith("Our own selling entities")
        assert descriptions[RelationshipType.PROSPECT] == (
            "Any new account in the CRM that has not ordered from us (yet)."
        )
        assert descriptions["competitor"].startswith("Any account that sells or markets")
        assert all(descriptions.values())

    def test_the_form_says_what_the_chosen_type_means(self, as_user, sales_user):
        response = as_user(sales_user).get(reverse("accounts:create"))
        field = parse(response.content).find("select", name="relationship_type")
        help_text = parse(response.content).find(id="id_relationship_type_helptext")
        assert help_text.text == rtype(RelationshipType.PROSPECT).description
        assert field.attrs["aria-describedby"] == "id_relationship_type_helptext"

    def test_all_meanings_are_listed_for_a_browser_without_script(self, as_user, sales_user):
        prospect = rtype(RelationshipType.PROSPECT)
        prospect.description = "Has not ordered yet; edited by the administrator."
        prospect.save()

        response = as_user(sales_user).get(reverse("accounts:create"))

        meanings = parse(response.content).find(
            "details", data_type_meanings="id_relationship_type"
        )
        entries = {dd.attrs["data-type-id"]: dd.text for dd in meanings.find_all("dd")}
        assert entries[str(prospect.pk)] == "Has not ordered yet; edited by the administrator."
        assert len(entries) == RelationshipType.objects.count()

    def test_the_edit_form_describes_the_accounts_type(self, as_user, sales_user):
        account = AccountFactory(relationship_type=rtype(RelationshipType.SELLER))
        response = as_user(sales_user).get(reverse("accounts:update", args=[account.pk]))
        help_text = parse(response.content).find(id="id_relationship_type_helptext")
        assert help_text.text.startswith("Our own selling entities")

    def test_the_admin_lists_the_meanings(self, as_user, admin_user):
        response = as_user(admin_user).get(reverse("admin:accounts_relationshiptype_changelist"))
        table = parse(response.content).find("table", id="result_list")
        cells = [td.text for td in table.find_all("td", class_="field-description")]
        assert rtype(RelationshipType.SELLER).description in cells

    def test_the_data_migration_goes_back_and_spares_an_administrators_words(self):
        migration = importlib.import_module(
            "accounts.migrations.0011_relationship_type_descriptions_from_wiki"
        )
        RelationshipType.objects.filter(code="press").update(description="Journalists.")

        migration.to_seeded_words(django_apps, None)
        back = dict(RelationshipType.objects.values_list("code", "description"))
        migration.to_wiki_words(django_apps, None)
        forth = dict(RelationshipType.objects.values_list("code", "description"))

        assert back[RelationshipType.SELLER] == (
            "One of our own selling entities, chosen as the seller on quotes."
        )
        assert forth[RelationshipType.SELLER].startswith("Our own selling entities")
        assert back["press"] == forth["press"] == "Journalists."


class TestTheTypesInTheReadersLanguage:
    """The seeded types are stored in English; a Dutch reader reads them in Dutch until an
    administrator rewords one, which is then shown as written."""

    def test_the_seeded_words_are_those_the_migrations_wrote(self):
        names = importlib.import_module("accounts.migrations.0003_seed_relationship_types")
        wiki = importlib.import_module(
            "accounts.migrations.0011_relationship_type_descriptions_from_wiki"
        )
        assert {code: name for code, name, _ in names.TYPES} == SEEDED_TYPE_NAMES
        assert {code: w[1] for code, w in wiki.DESCRIPTIONS.items()} == SEEDED_TYPE_DESCRIPTIONS

    @pytest.mark.parametrize(
        ("language", "badge", "meaning"),
        [
            ("en-gb", "Customer", "Has ordered from us now or in the past."),
            ("nl", "Klant", "Heeft nu of in het verleden bij ons besteld."),
        ],
    )
    def test_the_account_page_and_form(self, as_user, sales_user, language, badge, meaning):
        sales_user.language = language
        sales_user.save()
        account = AccountFactory(relationship_type=rtype(RelationshipType.CUSTOMER))
        client = as_user(sales_user)

        page = parse(client.get(account.get_absolute_url()).content)
        form = parse(client.get(reverse("accounts:update", args=[account.pk])).content)

        assert page.find("span", class_="type-customer").text == badge
        select = form.find("select", name="relationship_type")
        chosen = [o.text for o in select.find_all("option") if "selected" in o.attrs]
        assert chosen == [badge]
        offered = [o.text for o in select.find_all("option") if o.attrs["value"]]
        assert offered == sorted(offered, key=str.casefold)
        meanings = form.find("details", data_type_meanings="id_relationship_type")
        assert [dt.text for dt in meanings.find_all("dt")] == offered
        assert form.find(id="id_relationship_type_helptext").text.startswith(meaning)

    def test_the_list_its_filter_and_my_work_in_dutch(self, as_user, sales_user):
        sales_user.language = "nl"
        sales_user.save()
        AccountFactory(
            name="Bakkerij Jansen", relationship_type=rtype("supplier"), owner=sales_user
        )
        client = as_user(sales_user)

        listing = client.get(reverse("accounts:list")).content.decode()
        my_work = client.get(reverse("activities:my_work")).content.decode()

        row = next(r for r in table_rows(listing) if "Bakkerij Jansen" in r[0])
        assert "Leverancier" in row
        options = [
            o.text
            for o in parse(listing).find("select", name="relationship_type").find_all("option")
        ]
        assert "Leverancier" in options and "Concurrent" in options and "Supplier" not in options
        assert options[1:] == sorted(options[1:], key=str.casefold)
        assert "Leverancier" in my_work

    def test_a_reworded_type_is_shown_as_written(self, as_user, sales_user):
        sales_user.language = "nl"
        sales_user.save()
        customer = rtype(RelationshipType.CUSTOMER)
        customer.name, customer.description = "Client", "Koopt bij ons."
        customer.save()
        account = AccountFactory(relationship_type=customer)

        page = parse(as_user(sales_user).get(account.get_absolute_url()).content)

        assert page.find("span", class_="type-customer").text == "Client"
        assert customer.explanation == "Koopt bij ons."

    def test_the_history_keeps_english_and_shows_the_readers_words(self, sales_user):
        account = AccountFactory(relationship_type=rtype(RelationshipType.PROSPECT))
        services.account_set_relationship_type(
            account=account, relationship_type=rtype(RelationshipType.CUSTOMER), user=sales_user
        )
        change = account.changes.get(field="relationship_type")
        assert (change.old_value, change.new_value) == ("Prospect", "Customer")
        with translation.override("nl"):
            assert (change.old_display(), change.new_display()) == ("Prospect", "Klant")

    def test_the_imports_read_a_type_by_the_name_the_pages_show(self, client, admin_user, tmp_path):
        """A Dutch user sees "Klant" and writes it in a file: both imports take it."""
        client.force_login(admin_user)
        IndustryFactory(name="_Automotive")
        admin_import(client, to_csv([old_crm_row(relationship_type="Klant")]))
        assert Account.objects.get().relationship_type.code == RelationshipType.CUSTOMER

        path = tmp_path / "in.csv"
        path.write_bytes(to_csv([old_crm_row(crm4_id="X-2", relationship_type="leverancier")]))
        call_command(
            "import_accounts", str(path), "--user", admin_user.username, stdout=io.StringIO()
        )
        assert Account.objects.get(crm4_id="X-2").relationship_type.code == "supplier"
