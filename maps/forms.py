from django import forms
from django.utils.translation import gettext_lazy as _

from maps.selectors import DEFAULT_RADIUS_KM, RADII_KM


class AccountMapForm(forms.Form):
    """The radius and the list's order on an account's map, and the button that was pressed."""

    UPDATE, CLEAR = "update", "clear"

    radius = forms.TypedChoiceField(
        label=_("Radius"), choices=[(r, f"{r} km") for r in RADII_KM], coerce=int
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[("name", _("Account name")), ("city", _("City"))]
    )
    # Update map and Clear map are the form's two submit buttons (name "map"); the map opens
    # with neither, empty, as the seed describes.
    map = forms.ChoiceField(choices=[("", ""), (UPDATE, UPDATE), (CLEAR, CLEAR)], required=False)

    DEFAULTS = {"radius": str(DEFAULT_RADIUS_KM), "sort": "name"}
