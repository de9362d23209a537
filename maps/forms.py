from django import forms

from maps.selectors import DEFAULT_RADIUS_KM, RADII_KM


class AccountMapForm(forms.Form):
    """The radius and the list's order on an account's map."""

    radius = forms.TypedChoiceField(
        label="Radius", choices=[(r, f"{r} km") for r in RADII_KM], coerce=int
    )
    sort = forms.ChoiceField(label="Sort by", choices=[("name", "Account name"), ("city", "City")])

    DEFAULTS = {"radius": str(DEFAULT_RADIUS_KM), "sort": "name"}
