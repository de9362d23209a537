import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Address, Contact, Industry
from accounts.services import ACCOUNT_FIELDS, CREDIT_FIELDS, user_can_change_credit
from common.forms import FiniteDecimalField, QuickSelect
from common.ids import parse_id

ACCOUNT_LABEL = re.compile(r"^(?P<name>.*?)\s*#(?P<id>[0-9]+)$")
# The longest "Name #id" there can be. Longer text names no account, and the label pattern
# backtracks over long runs of spaces (20,000 took 0.6 s): refuse it before matching.
ACCOUNT_LABEL_MAX = Account._meta.get_field("name").max_length + len(" #") + 19


def account_label(account: Account) -> str:
    """How an account box shows an account, and what its suggestions fill in: "Name #id"."""
    return f"{account.name} #{account.pk}"


def account_id_in(value: Any) -> int | None:
    """The account id in what an account box holds: an Account, an id or "Name #id".

    None when there is none, or when the number is one no account can have.
    """
    if isinstance(value, Account):
        return value.pk
    if isinstance(value, int):
        return parse_id(value)
    text = str(value or "").strip()
    match = ACCOUNT_LABEL.match(text) if len(text) <= ACCOUNT_LABEL_MAX else None
    return parse_id(match["id"]) if match else None


class AccountChoiceField(forms.ModelChoiceField):
    """Picks an account by typing its name; a suggestion list fills in "Name #id".

    A text box rather than a select, because there may be a million accounts. static/js/app.js
    fetches the suggestions from `data-account-lookup`: every account, or only our sellers.
    """

    widget = forms.TextInput
    not_found = "No account has this name: pick one from the suggestions."

    def __init__(self, *, sellers_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Account.objects.only("name"))
        super().__init__(**kwargs)
        lookup = reverse_lazy("accounts:seller_lookup" if sellers_only else "accounts:lookup")
        self.widget.attrs.update({"data-account-lookup": lookup, "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Account):
            return account_label(value)
        if isinstance(value, int):
            account = self.queryset.filter(pk=value).first()
            return account_label(account) if account else ""
        return value

    def to_python(self, value: Any) -> Account | None:
        value = (value or "").strip()
        if not value:
            return None
        # Checked before the name is looked up: PostgreSQL raises on a NUL in a query, and
        # Django's own NUL check runs only after to_python.
        if "\x00" in value:
            raise ValidationError(_("Null characters are not allowed."), code="null_characters")
        if len(value) > ACCOUNT_LABEL_MAX:
            raise ValidationError(self.not_found)
        match = ACCOUNT_LABEL.match(value)
        if match:
            return self._by_number(account_id_in(value), typed_name=match["name"])
        found = list(self.queryset.filter(name__iexact=value)[:2])
        if len(found) > 1:
            raise ValidationError("Several accounts have this name: pick one from the suggestions.")
        if not found:
            raise ValidationError(self.not_found)
        return found[0]

    def _by_number(self, pk: int | None, *, typed_name: str) -> Account:
        account = self.queryset.filter(pk=pk).first() if pk else None
        if account is None:
            raise ValidationError(self.not_found)
        # A name typed over a suggestion must not silently pick the account of its number.
        if typed_name and typed_name.casefold() != account.name.casefold():
            raise ValidationError(
                f"#{account.pk} is {account.name}, not {typed_name}: pick one from the suggestions."
            )
        return account


class AccountForm(forms.ModelForm):
    """The account's own fields. Credit fields are read-only without the credit permission."""

    parent = AccountChoiceField(required=False, label="Parent account")
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Account
        fields = list(ACCOUNT_FIELDS)
        field_classes = {"credit_limit": FiniteDecimalField}
        # A number box sends "" for a typo such as "5e", which would read as "no limit".
        widgets = {"credit_limit": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["industry"].queryset = Industry.objects.offered(keep=self.instance.industry_id)
        self.can_change_credit = user_can_change_credit(user)
        if not self.can_change_credit:
            for name in CREDIT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Only Accounting can change this."

    @property
    def ignored_credit_change(self) -> bool:
        """Whether a user without the credit permission sent credit values that were ignored."""
        if self.can_change_credit:
            return False
        for name in CREDIT_FIELDS:
            if name not in self.data:
                continue
            try:
                sent = self.fields[name].to_python(self.data[name])
            except ValidationError:
                return True
            if sent != getattr(self.instance, name):
                return True
        return False


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ["name", "street", "postal_code", "city", "country"]
        widgets = {"country": QuickSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_fixed:
            # Visit and Mailing keep their names.
            del self.fields["name"]


class MailingAddressForm(AddressForm):
    """The mailing address of a new account, usually the same as its visit address."""

    same_as_visit = forms.BooleanField(
        required=False, initial=True, label="Same as the visit address"
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "email", "phone", "mobile"]
