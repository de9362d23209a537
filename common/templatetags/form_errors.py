"""The error summary at the top of a refused form: every error, each linked to its field."""

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    field_id: str = ""  # empty for an error of the whole form, which has no field to go to
    label: str = ""


def _form_errors(form: forms.BaseForm, prefix: str = "") -> list[SummaryError]:
    found = [SummaryError(message=str(error), label=prefix) for error in form.non_field_errors()]
    for field in form:
        found.extend(
            SummaryError(
                message=str(error),
                field_id=field.id_for_label if not field.is_hidden else "",
                label=f"{prefix}{field.label}",
            )
            for error in field.errors
        )
    return found


def summary_errors(*forms_or_formsets: Any) -> list[SummaryError]:
    """The errors of the given forms and formsets in page order. A form the page does not show
    (None, or unbound) is skipped; a formset's rows are named "Line 1", "Line 2", ..."""
    found: list[SummaryError] = []
    for item in forms_or_formsets:
        if not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            found.extend(SummaryError(message=str(error)) for error in item.non_form_errors())
            for number, form in enumerate(item.forms, start=1):
                line = _("Line %(number)s") % {"number": number}
                found.extend(_form_errors(form, prefix=f"{line}, "))
        else:
            found.extend(_form_errors(item))
    return found


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    """{% error_summary form other_form formset %}: nothing when every one of them is valid."""
    return {"errors": summary_errors(*forms_or_formsets)}
