from django import forms

from accounts.forms import QuickSelect


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
