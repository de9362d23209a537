from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact
from accounts.picker import AccountChoiceField
from users.models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Email or username",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email or username and password do not match. Please try again.",
    }


class UserCrmAccountForm(forms.Form):
    crm_account = AccountChoiceField(
        sellers_only=True,
        required=False,
        label=_("CRM account"),
        help_text=_(
            "One of our own accounts, of type Seller: type part of the name and pick it. "
            "Leave empty to unlink the user."
        ),
    )


class UserCrmContactForm(forms.Form):
    """Offers only the contacts of the user's CRM account."""

    crm_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="CRM contact",
        empty_label="None",
        widget=forms.RadioSelect,
        # Radio buttons drop the empty choice unless told: without it a contact can only be
        # removed by unlinking the account too.
        blank=True,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["crm_contact"])  # a foreign key's
        field.queryset = (
            Contact.objects.filter(account_id=user.crm_account_id).order_by(
                "last_name", "first_name", "id"
            )
            if user.crm_account_id is not None
            else Contact.objects.none()
        )
        field.error_messages["invalid_choice"] = (
            f"That contact is not one of {user.crm_account}'s contacts: choose one of them."
        )
