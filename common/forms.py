from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class FiniteDecimalField(forms.DecimalField):
    """A decimal box that refuses NaN, sNaN and Infinity while parsing.

    Django refuses them only in validate(), after to_python; in between, `has_changed` and our
    own comparisons meet Decimal("sNaN"), which raises InvalidOperation on any comparison.
    """

    def to_python(self, value: Any) -> Decimal | None:
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
