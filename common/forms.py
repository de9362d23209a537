"""Form helpers every app shares: what a form hands to a service, and what a service refuses."""

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# What an amount is once its thousands separators are gone: ASCII digits and one point.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]*(\.[0-9]*)?")


class FiniteDecimalField(forms.DecimalField):
    """A decimal box that refuses NaN, sNaN and Infinity while parsing.

    Django refuses them only in validate(), after to_python; in between, `has_changed` and our
    own comparisons meet Decimal("sNaN"), which raises InvalidOperation on any comparison.
    Localized: a Dutch user reads and types "1.234,56", an English one "1,234.56".
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # Shown back grouped, as typed: "1.234,56" (the project leaves USE_THOUSAND_SEPARATOR off).
        if self.localize and isinstance(value, Decimal) and value.is_finite():
            return number_format(value, use_l10n=True, force_grouping=True)
        return value

    # The stubs derive DecimalField from IntegerField's types; Django's own returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if self.localize and isinstance(value, str):
            value = without_thousands_separator(value.strip())
            # Decimal() also takes "1_000", "1,5e3" (1500) and other scripts' digits; nobody
            # means those in an amount, and the running totals do not read them.
            if not PLAIN_NUMBER.fullmatch(value.replace(get_format("DECIMAL_SEPARATOR"), ".")):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except ValidationError as error:
            # The limit of "at least 0.01" as the user's language writes it ("0,01" in Dutch).
            if self.localize:
                for item in error.error_list:
                    if item.params and isinstance(item.params.get("limit_value"), int | Decimal):
                        limit = number_format(
                            item.params["limit_value"], use_l10n=True, force_grouping=True
                        )
                        item.params = {**item.params, "limit_value": limit}
            raise


def without_thousands_separator(text: str) -> str:
    """ "1.234,56" → "1234,56" in Dutch, "1,234.56" → "1234.56" in English.

    Django drops the separator only with USE_THOUSAND_SEPARATOR on, which this project leaves
    off. As Django does, a Dutch "10.50" (one dot, not three digits after it) is read as a
    decimal point, since that is what the person meant.
    """
    separator = get_format("THOUSAND_SEPARATOR")
    whole, point, decimals = text.partition(get_format("DECIMAL_SEPARATOR"))
    if separator == "." and whole.count(".") == 1 and len(whole.split(".")[-1]) != 3:
        return text
    for variant in {separator, unicodedata.normalize("NFKD", separator)} - {separator}:
        whole = whole.replace(variant, separator)
    # Only separators between groups of three digits are dropped: an English "1234,56" (a
    # Dutch decimal comma) is left as typed, to be refused, never read as 123456.
    groups = whole.lstrip("+-").split(separator)
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    ):
        return text
    return whole.replace(separator, "") + point + decimals


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than one template each.

    Django renders every option through a template; for the 250 countries that was most of the
    account list's time (about 45 of its 70 ms).
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, so the user sees it beside what they typed."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


def model_values(form: forms.ModelForm) -> dict[str, Any]:
    """The values of the model fields the user could edit on a form, to hand to a service."""
    # Our model forms list their fields (Django turns `fields = "__all__"` into None).
    assert form._meta.fields is not None, f"{type(form).__name__} lists no fields"
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.fields and not form.fields[name].disabled
    }


def changed_model_values(form: forms.ModelForm, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The model fields a form changed, to hand to a service (the admin saves only those)."""
    model_fields = {f.name for f in form._meta.model._meta.get_fields()}
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if name in model_fields and name not in exclude and name in form.cleaned_data
    }
