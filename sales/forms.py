from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.forms.models import construct_instance
from django.forms.renderers import BaseRenderer
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Address, Contact
from accounts.picker import AccountChoiceField
from common.forms import FiniteDecimalField
from common.ids import parse_id
from sales import credit, services
from sales.models import Order, Quote


class DecimalInput(forms.TextInput):
    """A text box with the number keyboard on phones.

    A type=number box sends an empty value for a typo such as "5e" (the forms are novalidate),
    so the typo would silently become a blank; a text box sends it and the form says
    "Enter a number."
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})


class LineForm(forms.Form):
    description = forms.CharField(max_length=200, label=_("Description"))
    quantity = FiniteDecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=Decimal("1"),
        widget=DecimalInput,
    )
    unit_price = FiniteDecimalField(
        label=_("Unit price"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=DecimalInput,
    )
    discount_percent = FiniteDecimalField(
        label=_("Discount %"),
        widget=DecimalInput,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
        required=False,
    )

    def clean_discount_percent(self) -> Decimal:
        return self.cleaned_data["discount_percent"] or Decimal("0")


LineFormSet = forms.formset_factory(LineForm, extra=3, can_delete=True, max_num=200)


def line_values(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The lines the user filled in, in order, without blank or removed rows."""
    return [
        {k: v for k, v in row.items() if k != "DELETE"}
        for row in formset.cleaned_data
        if row and not row.get("DELETE")
    ]


class DocumentForm(forms.ModelForm):
    """What quotes and orders share. Address and contact lists follow the chosen accounts.

    The lists offer only the customer's addresses and the seller's contacts; the services refuse
    any other with a clear message, whatever was posted.
    """

    # The form's one-time key, new with each form shown (sales.services.AlreadySubmitted).
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The credit hold comes with the customer: the order form warns about it without asking again.
    customer = AccountChoiceField(
        label=_("Customer"),
        queryset=Account.objects.only("name", "credit_hold", "credit_hold_reason"),
    )
    seller_account = AccountChoiceField(
        sellers_only=True,
        required=False,
        label=_("Seller"),
        help_text=_("One of our own accounts, of type Seller."),
    )
    seller_contact = forms.ModelChoiceField(
        queryset=Contact.objects.all(),
        required=False,
        label=_("Seller contact"),
        # Left empty, the service fills in the seller's primary contact: the box says so.
        empty_label=_("Default: the seller's primary contact"),
    )
    invoice_address = forms.ModelChoiceField(
        label=_("Invoice address"),
        queryset=Address.objects.all(),
        required=False,
        empty_label=format_lazy(
            _("Default: {name}, else the mailing address"), name=services.INVOICE_ADDRESS_NAMES[0]
        ),
    )
    delivery_address = forms.ModelChoiceField(
        label=_("Delivery address"),
        queryset=Address.objects.all(),
        required=False,
        empty_label=format_lazy(
            _("Default: {name}, else the visit address"), name=services.DELIVERY_ADDRESS_NAMES[0]
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.attrs["data-choices-for"] = "address"
        self.fields["seller_account"].widget.attrs["data-choices-for"] = "contact"
        self.customer_account = self._chosen("customer")
        seller = self._chosen("seller_account")
        addresses: list[Address] = []
        if self.customer_account is not None:
            # Read onto the account the form hands to the service, which picks the default
            # addresses from the same rows instead of reading them again.
            prefetch_related_objects([self.customer_account], "addresses")
            addresses = list(self.customer_account.addresses.all())
        contacts = list(Contact.objects.filter(account_id=seller.pk)) if seller else []
        for name in ("invoice_address", "delivery_address"):
            self._offer(name, addresses, "data-address-select")
        self._offer("seller_contact", contacts, "data-contact-select")

    def _chosen(self, name: str) -> Account | None:
        """The account in box `name`, to offer its addresses or contacts.

        A posted box is resolved as the form will clean it (the field keeps the answer, so the
        account is read once): a name typed without JavaScript gets its lists when the form
        comes back.
        """
        field = cast(AccountChoiceField, self.fields[name])
        if not self.is_bound:
            value = self.get_initial_for_field(field, name)
            if isinstance(value, Account):
                return value
            pk = parse_id(value)
            account = field.queryset.filter(pk=pk).first() if pk else None
            if account is not None:
                self.initial[name] = account  # so the box shows it without reading it again
            return account
        try:
            return field.clean(self[name].data)
        except ValidationError:
            return None

    def _post_clean(self) -> None:
        """Django's model validation, without the queries it would repeat.

        The account, address and contact fields read their rows already (Django would read each
        again to check it exists), and the check constraints repeat the model fields' validators.
        The service validates the document again before saving, and the database enforces both.
        """
        # ModelForm's own steps (_post_clean's), which django-stubs leaves out.
        exclude = self._get_validation_exclusions() | {  # type: ignore[attr-defined]
            name for name, value in self.cleaned_data.items() if isinstance(value, models.Model)
        }
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
            self.instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]

    def _offer(self, name: str, rows: list[Address] | list[Contact], marker: str) -> None:
        field = cast(forms.ModelChoiceField, self.fields[name])  # a foreign key's
        # Labelled only when the form is drawn: a valid post never draws it.
        field.widget.choices = lambda: (
            [("", field.empty_label or "—")] + [(r.pk, str(r)) for r in rows]
        )
        field.widget.attrs[marker] = ""


class QuoteForm(DocumentForm):
    class Meta:
        model = Quote
        fields = services.QUOTE_FIELDS
        # Typed and shown the way the user's language writes numbers ("21,00" in Dutch).
        field_classes = {"vat_rate": FiniteDecimalField}
        widgets = {
            "vat_rate": DecimalInput,
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class OrderForm(DocumentForm):
    # The customer's purchase order comes with the customer on the page.
    field_order = ["customer", "customer_reference", "prepaid", "enter_blocked"]

    # A customer on credit hold gets a non-prepaid order blocked, with a number: Sales says so
    # knowingly rather than finding out after the submit.
    enter_blocked = forms.BooleanField(
        required=False,
        label=_("Enter it anyway, blocked"),
        help_text=_("Only for a customer on credit hold whose order is not prepaid."),
    )

    class Meta:
        model = Order
        fields = services.ORDER_FIELDS
        field_classes = {"vat_rate": FiniteDecimalField}
        widgets = {"vat_rate": DecimalInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enter_blocked"].widget.attrs["data-enter-blocked"] = ""
        held = self.customer_account
        # Shown above the form, so it works without JavaScript once the customer is known.
        self.hold_warning = (
            credit.credit_hold_warning(customer_name=held.name, reason=held.credit_hold_reason)
            if held is not None and held.credit_hold
            else ""
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.hold_warning and not cleaned.get("prepaid") and not cleaned.get("enter_blocked"):
            self.add_error(
                "enter_blocked",
                _(
                    "The customer is on credit hold: tick “Prepaid” if the customer "
                    "pays first, or “Enter it anyway, blocked” to enter a blocked order."
                ),
            )
        return cleaned


def _prepaid_field() -> forms.BooleanField:
    """The order's "Prepaid" box as the order form has it, where a quote becomes an order or a
    blocked order is checked again (the hold's message asks to tick "Prepaid")."""
    return cast(forms.BooleanField, Order._meta.get_field("prepaid").formfield())


class QuoteConvertForm(forms.Form):
    prepaid = _prepaid_field()
    customer_reference = forms.CharField(
        required=False, max_length=50, label=_("Customer's purchase order number")
    )


class OrderRecheckForm(forms.Form):
    prepaid = _prepaid_field()


class DecisionButtons(forms.HiddenInput):
    """The decision is the Approve or Reject button pressed: the template draws the buttons."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return SafeString("")


DECISION_ERROR = _("Choose Approve or Reject.")
# A reason, not a document: the Approvals page shows each comment in its table.
DECISION_COMMENT_LENGTH = 1_000


class ApprovalForm(forms.Form):
    """Management's decision on an order waiting for approval; anything but the two buttons is
    an error, never a rejection."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=DecisionButtons,
        error_messages={"required": DECISION_ERROR, "invalid_choice": DECISION_ERROR},
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=DECISION_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you approve or reject it; everyone sees this."),
        error_messages={"required": _("Say why: a comment is required.")},
    )


PREPAYMENT_ERROR = _("Choose Confirm prepayment or Not received.")


class PrepaymentForm(forms.Form):
    """Accounting's word on a prepaid order: the buttons say whether the money was received."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm prepayment")), ("refuse", _("Not received"))],
        widget=DecisionButtons,
        error_messages={"required": PREPAYMENT_ERROR, "invalid_choice": PREPAYMENT_ERROR},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=DECISION_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example the date and reference of the payment; required when it was not "
            "received. Everyone sees this."
        ),
    )
