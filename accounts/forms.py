from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Address, Contact, Industry, RelationshipType
from accounts.picker import AccountChoiceField
from accounts.services import (
    ACCOUNT_FIELDS,
    CREDIT_FIELD_PERMISSIONS,
    CREDIT_FIELDS,
    CREDIT_REFUSALS,
    OWNER_PERMISSION,
    OWNER_REFUSAL,
    account_owners,
    user_can_change_crm4_id,
)
from common.forms import FiniteDecimalField, KeepOthersChangesMixin, QuickSelect
from common.typing import AuthUser


class AccountForm(KeepOthersChangesMixin, forms.ModelForm):
    """The account's own fields. Credit fields are read-only without the credit permission."""

    parent = AccountChoiceField(required=False, label=_("Parent account"))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Account
        # The hold's reason sits right below the hold.
        fields = [
            *ACCOUNT_FIELDS[: ACCOUNT_FIELDS.index("credit_hold") + 1],
            "credit_hold_reason",
            *ACCOUNT_FIELDS[ACCOUNT_FIELDS.index("credit_hold") + 1 :],
        ]
        field_classes = {"credit_limit": FiniteDecimalField}
        # A number box sends "" for a typo such as "5e", which would read as "no limit".
        widgets = {"credit_limit": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args: Any, user: AuthUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._start_new_accounts_as_prospect()
        self._describe_the_types()
        self._guard_crm4_id()
        self._choose_the_owner()
        industry = cast(forms.ModelChoiceField, self.fields["industry"])  # a foreign key's
        industry.queryset = Industry.objects.offered(keep=self.instance.industry_id)
        self.read_only_credit = [
            name for name in CREDIT_FIELDS if not user.has_perm(CREDIT_FIELD_PERMISSIONS[name])
        ]
        for name in self.read_only_credit:
            self.fields[name].disabled = True
            self.fields[name].help_text = CREDIT_REFUSALS[CREDIT_FIELD_PERMISSIONS[name]]

    def _start_new_accounts_as_prospect(self) -> None:
        if self.instance.pk is None and not self.is_bound:
            new_type = RelationshipType.objects.for_new_account()
            self.initial.setdefault("relationship_type", new_type.pk if new_type else None)

    def _describe_the_types(self) -> None:
        """What the chosen type means goes under the select (the script follows a new choice);
        `type_meanings` lists them all for the page's "What do the types mean?".

        Both in the order of the names the reader reads ("Adviesbureau" before "Klant"), which
        the database cannot sort by."""
        types = RelationshipType.objects.only("code", "name", "description")
        self.type_meanings = sorted(types, key=lambda t: t.label.casefold())
        field = cast(forms.ModelChoiceField, self.fields["relationship_type"])
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.choices = [*empty, *((t.pk, t.label) for t in self.type_meanings)]
        if self.is_bound:
            chosen = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("relationship_type")
            )
        else:
            chosen = self.get_initial_for_field(field, "relationship_type")
        chosen = str(getattr(chosen, "pk", chosen) or "")
        field.help_text = next(
            (t.explanation for t in self.type_meanings if str(t.pk) == chosen), ""
        )

    def _guard_crm4_id(self) -> None:
        # Shown to everyone, changed by an administrator only (the service checks it too).
        if not user_can_change_crm4_id(self.user):
            self.fields["crm4_id"].disabled = True
            self.fields["crm4_id"].help_text = _(
                "The id of the record in Microsoft CRM 4. Only an administrator can change it."
            )

    def _choose_the_owner(self) -> None:
        """Sales and Management choose the owner; a new account is the writer's by default, when
        the writer is one who can own it (an administrator as such is not)."""
        owner = cast(forms.ModelChoiceField, self.fields["owner"])  # a foreign key's
        owner.queryset = owner_choices(keep=self.instance.owner_id)
        owner.empty_label = _("Nobody")
        if not self.user.has_perm(OWNER_PERMISSION):
            owner.disabled = True
            owner.help_text = OWNER_REFUSAL
        elif (
            self.instance.pk is None
            and not self.is_bound
            and owner.queryset.filter(pk=self.user.pk).exists()
        ):
            self.initial.setdefault("owner", self.user.pk)

    @property
    def ignored_credit_change(self) -> bool:
        """Whether a user without the credit permission sent credit values that were ignored."""
        for name in self.read_only_credit:
            if name not in self.data:
                continue
            try:
                sent = self.fields[name].to_python(self.data[name])
            except ValidationError:
                return True
            if sent != getattr(self.instance, name):
                return True
        return False


class AddressForm(KeepOthersChangesMixin, forms.ModelForm):
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
        required=False, initial=True, label=_("Same as the visit address")
    )
    # First: unticked, it reveals the fields below it, where the keyboard goes next.
    field_order = ["same_as_visit"]


class ContactForm(KeepOthersChangesMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "email", "phone", "mobile"]


class CreditHoldForm(forms.Form):
    """Put an account on credit hold with a reason, or lift the hold (the hidden `hold`)."""

    hold = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Named as the service names it, so its refusal shows beside this box.
    credit_hold_reason = forms.CharField(
        required=False,
        max_length=200,
        label=_("Reason"),
        help_text=_(
            "A dispute, doubts about paying: everyone sees it beside this customer's orders."
        ),
    )


def owner_choices(*, keep: int | None = None) -> QuerySet[Any]:
    """Who can own an account (services.account_owners), by name. `keep` is the owner an
    account has already, who stays choosable on it."""
    owners = account_owners()
    if keep is not None:
        owners |= get_user_model().objects.filter(pk=keep)
    return owners.order_by("first_name", "last_name", "username")


class OwnerForm(forms.Form):
    """Whose account it is: the account page's "Change the owner" (Sales and Management)."""

    owner = forms.ModelChoiceField(
        queryset=owner_choices(),
        required=False,
        label=_("Owner"),
        empty_label=_("Nobody"),
        help_text=_("The salesperson responsible for this account."),
        # Options written in Python: the account page renders this form on every view.
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, keep: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = owner_choices(keep=keep)


class ActiveForm(forms.Form):
    """Make an account inactive (`active` empty) or active again (the hidden `active`)."""

    active = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PrimaryContactForm(forms.Form):
    """Make a contact the account's primary contact, or no longer (the hidden `primary`)."""

    primary = forms.BooleanField(required=False, widget=forms.HiddenInput)
