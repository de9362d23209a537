"""Form helpers every app shares: what a form hands to a service, and what a service refuses."""

import datetime
import json
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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
                for key, label in self._options()
            ),
        )
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), options)

    def _options(self) -> Iterable[tuple[Any, Any]]:
        if not isinstance(self.choices, ModelChoiceIterator):
            return self.choices
        # A model field's own iteration opens a server-side cursor on PostgreSQL (declare,
        # fetch, close) for a handful of rows; one plain query reads them.
        field = self.choices.field
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return [*empty, *(self.choices.choice(row) for row in self.choices.queryset)]


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


# The hidden field of KeepOthersChangesMixin: the values the form showed, as JSON.
SHOWN_FIELD = "shown"


def _comparable(value: Any) -> Any:
    """A field's value as the shown values store it (JSON), so that equal values compare equal:
    a row by its key, "1500.00" and "1500" alike, an empty box and None alike."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):  # and datetimes
        return value.isoformat()
    return str(value)


class KeepOthersChangesMixin(forms.ModelForm):
    """A form editing a saved row keeps what someone else saved since it was opened.

    Without it, the second of two people editing the same account put back everything the
    first had just changed. The form carries the values it showed. Posted, a field someone else
    changed meanwhile takes their value when this user left it as shown; a field both changed,
    differently, is an error naming their value, and the form comes back showing what is saved
    now, with the typed value in the clashing box, so saving again keeps what was typed.
    (A save that lands between this check and the service's write, milliseconds apart, is not
    caught: the check is for people, who take minutes.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[SHOWN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)

    def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any:
        # Read when the form is drawn, after the subclass has disabled or removed its fields.
        if field_name == SHOWN_FIELD:
            return self._current_values()
        return super().get_initial_for_field(field, field_name)

    def _compared(self) -> list[str]:
        return [
            name
            for name in self._meta.fields or ()
            if name in self.fields and not self.fields[name].disabled
        ]

    def _current_values(self) -> str:
        """What is saved now, as the form shows it when opened."""
        return json.dumps({name: _comparable(self.initial.get(name)) for name in self._compared()})

    def _shown_values(self) -> dict[str, Any]:
        """What the form showed when it was opened; empty if the post did not say (a form
        opened before this release) or said something else."""
        try:
            shown = json.loads(self.data.get(self.add_prefix(SHOWN_FIELD), ""))
        except ValueError:
            return {}
        if not isinstance(shown, dict):
            return {}
        return {k: v for k, v in shown.items() if isinstance(v, str | int | float | bool)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None:
            self._keep_others_changes(cleaned)
        return cleaned

    def _keep_others_changes(self, cleaned: dict[str, Any]) -> None:
        shown = self._shown_values()
        kept, clashed = [], False
        for name in self._compared():
            if name not in shown or name not in cleaned:
                continue  # not shown, or refused already
            saved = self.initial.get(name)
            if _comparable(saved) == shown[name]:
                continue  # nobody else changed it
            typed = _comparable(cleaned[name])
            if self._reads_as(name, typed, shown[name]):
                cleaned[name] = self._as_cleaned(name, saved)
                kept.append(name)
            elif not self._reads_as(name, typed, _comparable(saved)):
                clashed = True
                self.add_error(name, self._clash_message(name))
        if clashed:
            # Drawn again as saved now, each clash showing what was typed, and with what is
            # saved now as the starting point: saving again is knowing.
            data = cast(QueryDict, self.data).copy()
            for name in kept:
                data[self.add_prefix(name)] = self.fields[name].prepare_value(self.initial[name])
            data[self.add_prefix(SHOWN_FIELD)] = self._current_values()
            self.data = data

    def _reads_as(self, name: str, typed: Any, value: Any) -> bool:
        """Whether what was typed is `value` as the field reads it: a stored "example.com" is
        typed back as "https://example.com", a stored " Acme " as "Acme"."""
        if typed == value:
            return True
        field = self.fields[name]
        try:
            return typed == _comparable(field.clean(field.prepare_value(value)))
        except (ValidationError, TypeError, ValueError):
            return False

    def _as_cleaned(self, name: str, saved: Any) -> Any:
        """The saved value as the field would hand it on (a row for a key, say)."""
        field = self.fields[name]
        try:
            return field.clean(field.prepare_value(saved))
        except ValidationError:  # saved before a rule the field now checks
            return getattr(self.instance, name)

    def _clash_message(self, name: str) -> str:
        value = getattr(self.instance, name, None)
        if value in (None, ""):
            return gettext(
                "Someone else emptied this since you opened the form. Save again to replace it "
                "with what you typed."
            )
        return gettext(
            "Someone else saved “%(value)s” here since you opened the form. Save again to "
            "replace it with what you typed."
        ) % {"value": self._as_shown(name, value)}

    def _as_shown(self, name: str, value: Any) -> str:
        """A saved value as the form's box shows it: a row by its name, a country by its name,
        an amount as the user's language writes it."""
        field = self.fields[name]
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = dict(cast(Iterable[tuple[Any, Any]], field.choices))
            return str(labels.get(str(value), value))
        return str(field.prepare_value(value))
