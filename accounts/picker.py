"""The account picker: a box that shows an account's name and sends the account's id.

The visible box holds the name, for typing and reading; a hidden input beside it holds the id of
the account picked from the suggestions (static/js/app.js fills it in, and clears it when the
name is typed over). The server reads the id, so no label is parsed. Without JavaScript, or
when no suggestion was picked, a name typed in full still names the one account that has it.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.sellers import not_a_seller_message, seller_accounts
from common.ids import parse_id

NAME_MAX = Account._meta.get_field("name").max_length
NUL = "\x00"


@dataclass(frozen=True)
class AccountPick:
    """What an account box sends: the picked account's id, and the name shown in the box.

    `name` is None when the request did not send the box at all (a link such as
    `?customer=314`): the id then stands alone.
    """

    id: str = ""
    name: str | None = None


class AccountPicker(forms.Widget):
    """A text box for the account's name plus a hidden input, under the field's own name, for
    its id: `?customer=314` and a posted `customer=314` mean the same account."""

    template_name = "accounts/widgets/account_picker.html"
    name_suffix = "_name"

    # The widget's template reads the pick's id and name, where Django's widgets format a string.
    def format_value(self, value: Any) -> AccountPick:  # type: ignore[override]
        return value if isinstance(value, AccountPick) else AccountPick()

    def value_from_datadict(self, data: Any, files: Any, name: str) -> AccountPick:
        typed = data.get(name + self.name_suffix)
        return AccountPick(id=str(data.get(name) or ""), name=None if typed is None else str(typed))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + self.name_suffix not in data


def _same_name(typed: str, name: str) -> bool:
    return typed.strip().casefold() == name.strip().casefold()


class AccountChoiceField(forms.ModelChoiceField):
    """Picks an account: by the id of the suggestion picked, else by a name typed in full.

    A text box rather than a select, because there may be a million accounts. The suggestions
    come from `data-account-lookup`: every account, or only our sellers (`sellers_only`, which
    this field enforces too).
    """

    widget = AccountPicker
    queryset: QuerySet[Account]  # always set, by __init__
    default_error_messages = {
        "not_picked": _("Pick an account from the suggestions."),
        "ambiguous": _("Several accounts have this name: pick one from the suggestions."),
        "null_characters": _("Null characters are not allowed."),
    }

    def __init__(self, *, sellers_only: bool = False, **kwargs: Any) -> None:
        accounts = seller_accounts() if sellers_only else Account.objects.all()
        kwargs.setdefault("queryset", accounts.only("name"))
        super().__init__(**kwargs)
        self.sellers_only = sellers_only
        lookup = reverse_lazy("accounts:seller_lookup" if sellers_only else "accounts:lookup")
        self.widget.attrs.update({"data-account-lookup": lookup, "autocomplete": "off"})
        self._resolved: dict[AccountPick, Account] = {}

    def __deepcopy__(self, memo: dict) -> "AccountChoiceField":
        # Each form gets its own field: what one request resolved must not reach another.
        copy = super().__deepcopy__(memo)  # type: ignore[misc]  # Field's, missing in the stubs
        copy._resolved = {}
        return copy

    def prepare_value(self, value: Any) -> AccountPick | None:
        """What the box shows: the account's name and id, what was sent when it named none, or
        None for an empty box."""
        if isinstance(value, Account):
            return AccountPick(id=str(value.pk), name=value.name)
        if isinstance(value, AccountPick):
            account = self._resolved.get(value)
            if account is not None:
                return AccountPick(id=str(account.pk), name=account.name)
            if value.name is not None:
                return value  # Refused: shown back as typed, with the id it came with.
        pk = parse_id(value.id if isinstance(value, AccountPick) else value)
        account = self.queryset.filter(pk=pk).first() if pk else None
        return AccountPick(id=str(account.pk), name=account.name) if account else None

    def to_python(self, value: Any) -> Account | None:
        if value is None or isinstance(value, Account):
            return value
        pick = value if isinstance(value, AccountPick) else AccountPick(id=str(value))
        if pick not in self._resolved:
            account = self._resolve(pick)
            if account is None:
                return None
            self._resolved[pick] = account
        return self._resolved[pick]

    def _resolve(self, pick: AccountPick) -> Account | None:
        typed = None if pick.name is None else pick.name.strip()
        # PostgreSQL raises on a NUL in a query (the middleware refuses them before any form
        # sees them; this keeps the field safe on its own).
        if NUL in pick.id or (typed and NUL in typed):
            raise ValidationError(self.error_messages["null_characters"], code="null_characters")
        if typed == "":
            return None  # The name was cleared: no account, whatever id was left behind.
        pk = parse_id(pick.id)
        if typed is None:
            if not pick.id.strip():
                return None
            return self._by_id(pk, typed=None)
        if pk is not None:
            account = self.queryset.filter(pk=pk).first()
            if account is not None and _same_name(typed, account.name):
                return account
            if account is None:
                self._refuse_other_than_seller(self._other_by_id(pk), typed=typed)
            # An id that does not go with the name is stale (typed over without JavaScript):
            # the name decides.
        return self._by_name(typed)

    def _by_id(self, pk: int | None, *, typed: str | None) -> Account:
        account = self.queryset.filter(pk=pk).first() if pk else None
        if account is None:
            self._refuse_other_than_seller(self._other_by_id(pk), typed=typed)
            raise ValidationError(self.error_messages["not_picked"], code="not_picked")
        return account

    def _by_name(self, typed: str) -> Account:
        if NAME_MAX is not None and len(typed) > NAME_MAX:
            raise ValidationError(self.error_messages["not_picked"], code="not_picked")
        found = list(self.queryset.filter(name__iexact=typed)[:2])
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        if not found:
            self._refuse_other_than_seller(self._others_named(typed), typed=typed)
            raise ValidationError(self.error_messages["not_picked"], code="not_picked")
        return found[0]

    # A seller box given another account says why it will not do, rather than "pick one".
    def _other_by_id(self, pk: int | None) -> Account | None:
        if not (self.sellers_only and pk):
            return None
        return self._others().filter(pk=pk).first()

    def _others_named(self, typed: str) -> Account | None:
        if not self.sellers_only:
            return None
        found = list(self._others().filter(name__iexact=typed)[:2])
        return found[0] if len(found) == 1 else None

    def _others(self) -> QuerySet[Account]:
        return Account.objects.select_related("relationship_type").only(
            "name", "relationship_type__name", "relationship_type__code"
        )

    def _refuse_other_than_seller(self, account: Account | None, *, typed: str | None) -> None:
        if account is not None and (typed is None or _same_name(typed, account.name)):
            raise ValidationError(not_a_seller_message(account=account), code="not_a_seller")

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        shown = self.prepare_value(initial) if initial not in (None, "") else None
        before = shown.id if shown else ""
        try:
            after = self.to_python(data)
        except ValidationError:
            return True
        return before != (str(after.pk) if after else "")
