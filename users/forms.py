from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from accounts.picker import AccountChoiceField
from users.models import User
from users.selectors import sellers_to_offer


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email or username and password do not match. Please try again."),
    }


# How many sellers the CRM account page lists to click; the rest are typed into a box.
LISTED_SELLERS = 50


class UserCrmAccountForm(forms.Form):
    """The seed: "If we click on None under CRM account we will see the CRM account we just
    created, and we can select it". Our sellers are listed to click (only a seller can be a
    user's CRM account); when there are many, the first ones by name, and a box for the rest."""

    crm_account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        label=_("CRM account"),
        empty_label=_("None"),
        help_text=_("Only our own selling entities, accounts of type Seller, are offered."),
        widget=forms.RadioSelect,
        # Radio buttons drop the empty choice unless told: it is how a user is unlinked.
        blank=True,
    )
    other_seller = AccountChoiceField(
        sellers_only=True,
        required=False,
        label=_("Another seller"),
        help_text=_(
            "Not in the list? Type part of its name and pick it: it replaces the choice above."
        ),
    )

    def __init__(self, *args: Any, current: Account | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed, more = sellers_to_offer(
            current_id=current.pk if current else None, limit=LISTED_SELLERS
        )
        cast(forms.ModelChoiceField, self.fields["crm_account"]).queryset = listed
        self.fields["crm_account"].error_messages["invalid_choice"] = _(
            "That account is not one of our sellers any more: choose another."
        )
        box = self.fields["other_seller"]
        # A box sent from a page that had it still counts, should sellers have gone meanwhile.
        if not more and box.widget.value_omitted_from_data(
            self.data, self.files, self.add_prefix("other_seller")
        ):
            del self.fields["other_seller"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("other_seller") is not None:
            cleaned["crm_account"] = cleaned["other_seller"]
        return cleaned


class UserCrmContactForm(forms.Form):
    """Offers only the contacts of the user's CRM account."""

    crm_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label=_("CRM contact"),
        empty_label=_("None"),
        widget=forms.RadioSelect,
        # Radio buttons drop the empty choice unless told: without it a contact can only be
        # removed by unlinking the account too.
        blank=True,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["crm_contact"])  # a foreign key's
        field.queryset = (
            Contact.objects.filter(account_id=user.crm_account_id).order_by("sort_name", "id")
            if user.crm_account_id is not None
            else Contact.objects.none()
        )
        field.error_messages["invalid_choice"] = _(
            "That contact is not one of %(account)s's contacts: choose one of them."
        ) % {"account": user.crm_account}
