import pytest
from django import forms

from accounts.forms import AccountChoiceField
from common.forms import QuickSelect
from tests.accounts.factories import AccountFactory


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


class PickForm(forms.Form):
    account = AccountChoiceField()


@pytest.mark.django_db
class TestAccountChoiceField:
    def test_the_suggested_label_picks_its_account(self):
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": f"Holding Europe #{account.pk}"})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_a_name_typed_in_full_picks_the_one_account_of_that_name(self):
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": "holding europe"})
        assert form.is_valid() and form.cleaned_data["account"] == account

    def test_a_name_that_does_not_go_with_the_number_is_refused(self):
        """Typing over a suggestion's name must not silently pick the account of its number."""
        account = AccountFactory(name="Holding Europe")
        form = PickForm({"account": f"Totally Different #{account.pk}"})
        assert not form.is_valid()
        assert form.errors["account"] == [
            f"#{account.pk} is Holding Europe, not Totally Different: pick one from the "
            "suggestions."
        ]

    @pytest.mark.parametrize("number", ["0", "99999999999999999999", "9223372036854775808"])
    def test_a_number_no_account_can_have_is_no_account(self, number):
        AccountFactory(name="Holding Europe")
        form = PickForm({"account": f"Holding Europe #{number}"})
        assert not form.is_valid()
        assert "No account has this name" in form.errors["account"][0]
