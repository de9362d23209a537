from html.parser import HTMLParser

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from accounts.picker import AccountChoiceField
from common.forms import QuickSelect
from tests.accounts.factories import AccountFactory
from tests.sales.factories import CustomerFactory, SellerAccountFactory


class Form(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "Any"), ("NL", "Netherlands"), ("X<", "Odd <b>name</b> & co")],
        widget=QuickSelect,
    )


def test_quick_select_marks_the_chosen_option_and_keeps_attributes():
    html = str(Form({"country": "NL"})["country"])
    opening = html[: html.index(">") + 1]
    for attribute in ['name="country"', "required", 'id="id_country"']:
        assert attribute in opening
    assert '<option value="NL" selected>Netherlands</option>' in html
    assert '<option value="">Any</option>' in html
    assert html.count(" selected") == 1


def test_quick_select_escapes_values_and_labels():
    html = str(Form()["country"])
    assert '<option value="X&lt;">Odd &lt;b&gt;name&lt;/b&gt; &amp; co</option>' in html
    assert "<b>" not in html


def test_quick_select_offers_what_django_select_offers():
    """Same options, same order, same choice as Django's own Select."""
    ours = Form({"country": "X<"})["country"]
    theirs = forms.Select(choices=Form.base_fields["country"].choices).render("country", "X<")
    assert ours.as_widget().count("<option") == theirs.count("<option")
    assert 'value="X&lt;" selected' in ours.as_widget()


@pytest.mark.django_db
def test_quick_select_reads_a_models_options_in_one_plain_query():
    """Not through a server-side cursor (declare, fetch, close on PostgreSQL) for a few rows."""
    accounts = sorted(AccountFactory.create_batch(3), key=lambda a: a.pk)

    class AccountForm(forms.Form):
        account = forms.ModelChoiceField(
            queryset=Account.objects.order_by("pk"), empty_label="Nobody", widget=QuickSelect
        )

    with CaptureQueriesContext(connection) as queries:
        html = str(AccountForm(initial={"account": accounts[1].pk})["account"])
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("SELECT")
    options = [line.split(">")[1].split("<")[0] for line in html.split("<option")[1:]]
    assert options == ["Nobody", *(a.name for a in accounts)]
    assert f'<option value="{accounts[1].pk}" selected>' in html


class PickForm(forms.Form):
    account = AccountChoiceField()


class SellerPickForm(forms.Form):
    seller = AccountChoiceField(sellers_only=True, required=False)


def errors_of(form: forms.Form, name: str) -> list[str]:
    assert not form.is_valid()
    return form.errors[name]


@pytest.mark.django_db
class TestAccountChoiceField:
    """The box sends the picked account's id in `account` and the name shown in `account_name`."""

    def test_the_picked_suggestion_picks_its_account_by_id(self):
        """Two accounts of one name: the id says which was picked."""
        AccountFactory(name="Holding Europe")
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": str(account.pk), "account_name": "Holding Europe"})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_an_id_without_a_name_box_picks_its_account(self):
        """As `?customer=314` from the account page's links."""
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": str(account.pk)})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_a_name_typed_in_full_picks_the_one_account_of_that_name(self):
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": "", "account_name": "  holding europe "})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_a_name_two_accounts_have_asks_to_pick_one(self):
        AccountFactory(name="Holding Europe")
        AccountFactory(name="HOLDING EUROPE")
        form = PickForm({"account": "", "account_name": "Holding Europe"})
        assert errors_of(form, "account") == [
            "Several accounts have this name: pick one from the suggestions."
        ]

    def test_part_of_a_name_without_a_pick_asks_to_pick_one(self):
        AccountFactory(name="Holding Europe")
        form = PickForm({"account": "", "account_name": "Holding"})
        assert errors_of(form, "account") == ["Pick an account from the suggestions."]

    def test_nothing_chosen_is_required(self):
        form = PickForm({"account": "", "account_name": ""})
        assert errors_of(form, "account") == ["This field is required."]

    def test_a_cleared_name_leaves_no_account_whatever_id_stayed_behind(self):
        account = AccountFactory(name="Holding Europe")
        form = SellerPickForm({"seller": str(account.pk), "seller_name": " "})
        assert form.is_valid() and form.cleaned_data["seller"] is None

    def test_a_name_typed_over_a_pick_is_taken_by_its_name(self):
        """Without JavaScript the id of the earlier pick stays behind: the new name decides."""
        before = AccountFactory(name="Holding Europe")
        after = AccountFactory(name="Other Company")
        form = PickForm({"account": str(before.pk), "account_name": "other company"})
        assert form.is_valid() and form.cleaned_data["account"] == after
        form = PickForm({"account": str(before.pk), "account_name": "Nobody"})
        assert errors_of(form, "account") == ["Pick an account from the suggestions."]

    @pytest.mark.parametrize(
        "number", ["0", "-1", "1.0", "²", "99999999999999999999", "9223372036854775808", "x"]
    )
    def test_an_id_no_account_can_have_is_no_account(self, number):
        AccountFactory(name="Holding Europe")
        form = PickForm({"account": number})
        assert errors_of(form, "account") == ["Pick an account from the suggestions."]

    def test_an_id_with_its_name_falls_back_to_the_name_when_the_id_is_gone(self):
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": "9223372036854775807", "account_name": "Holding Europe"})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_the_seller_box_picks_a_seller(self):
        seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
        CustomerFactory(name="Bodywork Group Elfsquad")  # same name, not one of ours
        by_id = SellerPickForm({"seller": str(seller.pk), "seller_name": seller.name})
        by_name = SellerPickForm({"seller": "", "seller_name": "bodywork group elfsquad"})
        assert by_id.is_valid() and by_id.cleaned_data["seller"] == seller
        assert by_name.is_valid() and by_name.cleaned_data["seller"] == seller

    @pytest.mark.parametrize("picked", [True, False])
    def test_the_seller_box_refuses_a_customer_and_says_why(self, picked):
        customer = CustomerFactory(name="Acme Panels")
        form = SellerPickForm(
            {"seller": str(customer.pk) if picked else "", "seller_name": "Acme Panels"}
        )
        assert errors_of(form, "seller") == [
            "Acme Panels is a Customer, not one of our selling entities: choose an account of "
            "type Seller."
        ]

    def test_a_refused_box_shows_back_the_name_typed_and_the_id_sent(self):
        account = AccountFactory(name="Holding Europe")
        form = SellerPickForm({"seller": str(account.pk), "seller_name": "Holding Eur"})
        assert not form.is_valid()
        assert picker_values(str(form["seller"])) == (str(account.pk), "Holding Eur")

    def test_a_resolved_box_shows_the_accounts_own_name_and_id(self):
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": "", "account_name": "holding europe"})
        assert form.is_valid()
        assert picker_values(str(form["account"])) == (str(account.pk), "Holding Europe")

    def test_an_initial_account_shows_its_name_not_a_number(self):
        account = AccountFactory(name="Holding Europe")
        html = str(PickForm(initial={"account": account.pk})["account"])
        assert picker_values(html) == (str(account.pk), "Holding Europe")
        assert f"#{account.pk}" not in html

    def test_the_box_is_labelled_and_suggests_from_its_lookup(self):
        html = str(SellerPickForm()["seller"])
        inputs = parsed_inputs(html)
        assert [(i.get("type"), i.get("name"), i.get("id")) for i in inputs] == [
            ("text", "seller_name", "id_seller"),
            ("hidden", "seller", "id_seller_id"),
        ]
        assert inputs[0]["data-account-lookup"] == reverse("accounts:seller_lookup")
        assert inputs[0]["autocomplete"] == "off"


def parsed_inputs(html: str) -> list[dict[str, str | None]]:
    class Inputs(HTMLParser):
        found: list[dict[str, str | None]] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "input":
                self.found.append(dict(attrs))

    parser = Inputs()
    parser.found = []
    parser.feed(html)
    return parser.found


def picker_values(html: str) -> tuple[str | None, str | None]:
    """(hidden id, visible name) of an account box's HTML."""
    by_type = {i.get("type"): i for i in parsed_inputs(html)}
    return by_type["hidden"].get("value"), by_type["text"].get("value")
