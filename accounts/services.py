"""Writes to accounts, contacts and addresses. Views, forms, the admin and commands call these."""

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.contact_search import contact_search_refresh
from accounts.copies import account_copies_refresh
from accounts.listing import listing_names_refresh
from accounts.models import (
    Account,
    AccountChange,
    Address,
    Contact,
    Industry,
    RelationshipType,
)
from accounts.rules import account_name_key, looks_like_po_box
from common.permissions import require_permission
from common.typing import AuthUser
from maps import geocoders

logger = logging.getLogger(__name__)

# The account's own editable fields, in the order forms, the admin and CSV files show them.
ACCOUNT_FIELDS = (
    "name",
    "relationship_type",
    "industry",
    "business_unit",
    "parent",
    "email",
    "phone",
    "website",
    "credit_limit",
    "credit_hold",
    "crm4_id",
    "owner",
)
HOLD_FIELDS = ("credit_hold", "credit_hold_reason")
CREDIT_FIELDS = ("credit_limit", *HOLD_FIELDS)
ADDRESS_FIELDS = ("street", "postal_code", "city", "country")
# What geocoding records on a visit address, and what a changed visit address starts from.
GEOCODE_RESET = {
    "latitude": None,
    "longitude": None,
    "geocode_status": Address.GeocodeStatus.PENDING,
    "geocode_message": "",
    "geocoded_at": None,
}
GEOCODE_FIELDS = tuple(GEOCODE_RESET)
CREDIT_PERMISSION = "accounts.change_account_credit"
HOLD_PERMISSION = "accounts.change_credit_hold"
# Which right each credit field needs: Accounting sets the limit; Accounting or Management set
# or lift a hold (the seed: "our accounting department or management can set this attribute").
CREDIT_FIELD_PERMISSIONS = {
    "credit_limit": CREDIT_PERMISSION,
    "credit_hold": HOLD_PERMISSION,
    "credit_hold_reason": HOLD_PERMISSION,
}
CRM4_PERMISSION = "accounts.change_crm4_id"
# Sales and Management say whose account it is; Management and Accounting end (or resume) trading.
OWNER_PERMISSION = "accounts.change_account_owner"
ACTIVE_PERMISSION = "accounts.change_account_active"
OWNER_REFUSAL = _("Only Sales or Management may change an account's owner.")
ACTIVE_REFUSAL = _("Only Management or Accounting may make an account inactive or active again.")


def user_can_change_crm4_id(user: AuthUser | AnonymousUser | None) -> bool:
    """The CRM4 id names the record an account was imported from: only an administrator
    corrects it."""
    return bool(user and user.has_perm(CRM4_PERMISSION))


def _history_value(account: Account, field: str) -> str:
    if field == AccountChange.Field.OWNER:
        # By username, as the CSV files name owners; the history outlives a renamed person.
        return account.owner.get_username() if account.owner_id and account.owner else ""
    value = getattr(account, field)
    if field in (AccountChange.Field.CREDIT_HOLD, AccountChange.Field.IS_ACTIVE):
        return "Yes" if value else "No"
    if field == AccountChange.Field.RELATIONSHIP_TYPE:
        return value.name  # as stored, in English for a seeded type: shown translated
    if field == AccountChange.Field.CREDIT_HOLD_REASON:
        return str(value)
    return "" if value is None else f"{value:.2f}"


def _record_changes(
    *,
    account: Account,
    before: Account | None,
    user: AuthUser,
    written: Iterable[str] | None = None,
) -> None:
    """Keep a history line for each guarded field of `written` whose value changed."""
    AccountChange.objects.bulk_create(
        account_changes(account=account, before=before, user=user, written=written)
    )


def account_changes(
    *,
    account: Account,
    before: Account | None,
    user: AuthUser,
    written: Iterable[str] | None = None,
) -> list[AccountChange]:
    """The history lines for a change of account (unsaved, so an import can write them in bulk).

    `before` holds the old values of the guarded fields, read under the row's lock; None for a
    new account. `written` names the fields the change saved (None: all of them). The caller's
    account was read earlier, and someone may have changed its other fields since: those are
    not this user's changes.
    """
    now = timezone.now()
    changes = []
    fields = AccountChange.Field.values
    if written is not None:
        kept = set(written)
        fields = [field for field in fields if field in kept]
    for field in fields:
        new = _history_value(account, field)
        old = _history_value(before, field) if before else ""
        if before is None and field in (
            AccountChange.Field.RELATIONSHIP_TYPE,
            AccountChange.Field.IS_ACTIVE,
        ):
            continue
        if before is None and new in ("", "No"):
            continue
        if old != new:
            changes.append(
                AccountChange(
                    account=account,
                    field=field,
                    old_value=old,
                    new_value=new,
                    changed_by=user if getattr(user, "pk", None) else None,
                    changed_at=now,
                )
            )
    return changes


def _save_unique(instance: models.Model, **save_kwargs: Any) -> None:
    """Save a row whose unique constraints were checked by full_clean() just before.

    Two requests can both pass that check before either saves (eight people entering the same
    CRM4 id at once); the database then refuses all but the first. The savepoint keeps the
    caller's transaction usable, and checking again now sees the winner's row, so the loser gets
    the same message on the form as when the duplicate existed already, instead of a 500.
    """
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_constraints()
        raise


CREDIT_REFUSALS = {
    CREDIT_PERMISSION: _("Only Accounting may change the credit limit."),
    HOLD_PERMISSION: _(
        "Only Accounting or Management may put an account on credit hold or lift it."
    ),
}


def require_credit_permission(*, user: AuthUser, before: Account | None, fields: Mapping) -> None:
    """Raise PermissionDenied when `fields` change a credit field and `user` may not.

    `before` is the account as it was (None for a new one, whose credit fields start at their
    defaults). The services call it, and so does the bulk import, which writes without them.
    """
    for field in CREDIT_FIELDS:
        if field not in fields:
            continue
        model_field = Account._meta.get_field(field)
        assert isinstance(model_field, models.Field)  # the credit fields are plain columns
        old = getattr(before, field) if before else model_field.get_default()
        if fields[field] != old:
            permission = CREDIT_FIELD_PERMISSIONS[field]
            require_permission(user, permission, str(CREDIT_REFUSALS[permission]))


def check_credit_hold_reason(
    *, account: Account, before: Account | None, required: bool = True
) -> None:
    """A hold needs a reason when it is put on or its reason changes; lifting it drops the reason.

    A hold that came without one (imported from CRM 4) stays valid until someone touches it.
    """
    account.credit_hold_reason = account.credit_hold_reason.strip()
    if not account.credit_hold:
        account.credit_hold_reason = ""
        return
    touched = required and (
        before is None
        or not before.credit_hold
        or before.credit_hold_reason != account.credit_hold_reason
    )
    if touched and not account.credit_hold_reason:
        raise ValidationError(
            {
                "credit_hold_reason": gettext(
                    "Say why the account goes on credit hold: a dispute, doubts about paying."
                )
            }
        )


def require_crm4_permission(*, user: AuthUser, before: Account, fields: Mapping) -> None:
    # A new account may bring its IK (that is the import); changing it later is the admin's.
    if "crm4_id" in fields and fields["crm4_id"] != before.crm4_id:
        require_permission(
            user, CRM4_PERMISSION, gettext("Only an administrator can change the CRM4 id.")
        )


def require_owner_permission(*, user: AuthUser, before: Account | None, fields: Mapping) -> None:
    """Raise PermissionDenied when `fields` change the owner and `user` may not (Sales and
    Management may). A new account without an owner needs no right."""
    if "owner" not in fields:
        return
    new = getattr(fields["owner"], "pk", fields["owner"])
    if new != (before.owner_id if before else None):
        require_permission(user, OWNER_PERMISSION, str(OWNER_REFUSAL))


def require_active_permission(*, user: AuthUser, before: Account | None, fields: Mapping) -> None:
    """Raise PermissionDenied when `fields` make the account inactive or active again and `user`
    may not (Management and Accounting may). A new account trades without any right."""
    if "is_active" not in fields:
        return
    if fields["is_active"] != (before.is_active if before else True):
        require_permission(user, ACTIVE_PERMISSION, str(ACTIVE_REFUSAL))


def account_owners() -> QuerySet[Any]:
    """Who can own an account: the users who can still log in and may say who owns one (Sales
    and Management, by users.roles; not Accounting, nor an administrator by being one)."""
    app_label, codename = OWNER_PERMISSION.split(".")
    right = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    User = get_user_model()
    # Two small subqueries rather than joins through both ways of holding a right: PostgreSQL
    # took 3 ms to plan those joins on every account page.
    holding = User.user_permissions.through._default_manager.filter(permission__in=right)
    groups = Group.permissions.through._default_manager.filter(permission__in=right)
    in_a_group_holding = User.groups.through._default_manager.filter(
        group__in=groups.values("group_id")
    )
    return User.objects.filter(
        Q(pk__in=holding.values("user_id")) | Q(pk__in=in_a_group_holding.values("user_id")),
        is_active=True,
    )


def owner_refusal(owner: Any) -> str | None:
    """Why `owner` (a user) cannot become an account's owner; None when they can."""
    if not owner.is_active:
        return gettext("%(name)s can no longer log in: choose someone else.") % {"name": owner}
    if not account_owners().filter(pk=owner.pk).exists():
        return gettext(
            "%(name)s is not in Sales or Management, who own accounts: choose someone else."
        ) % {"name": owner}
    return None


def _check_owner_may_own(owner: Any) -> None:
    if owner is not None and (refusal := owner_refusal(owner)):
        raise ValidationError({"owner": refusal})


@transaction.atomic
def account_create(
    *,
    user: AuthUser,
    fields: Mapping[str, Any],
    visit_address: Mapping[str, Any] | None = None,
    mailing_address: Mapping[str, Any] | None = None,
    geocode: bool = True,
    hold_reason_required: bool = True,
) -> Account:
    """Create an account with its Visit and Mailing addresses.

    Credit fields other than their defaults need the credit permission. Without a relationship
    type the account is a Prospect. The visit address is located after commit; with
    geocode=False (imports) it stays pending for geocode_accounts. A credit hold needs a reason,
    except from an import (hold_reason_required=False): CRM 4's files carry none.
    """
    require_permission(user, "accounts.add_account")
    require_credit_permission(user=user, before=None, fields=fields)
    require_owner_permission(user=user, before=None, fields=fields)
    require_active_permission(user=user, before=None, fields=fields)
    _check_owner_may_own(fields.get("owner"))
    account = Account(**fields)
    if account.relationship_type_id is None:
        account.relationship_type = RelationshipType.objects.for_new_account()
    check_credit_hold_reason(account=account, before=None, required=hold_reason_required)
    account.name_key = account_name_key(account.name)
    account.full_clean()
    _save_unique(account)
    for kind, name, values in (
        (Address.Kind.VISIT, "Visit", visit_address or {}),
        (Address.Kind.MAILING, "Mailing", mailing_address or {}),
    ):
        address = Address(account=account, kind=kind, name=name, **values)
        # The first two addresses of a just-saved account cannot break its per-account
        # constraints; skipping those validation queries halves the cost of creating an account
        # (load_demo, imports). The database still enforces every constraint.
        address.full_clean(exclude=["account"], validate_constraints=False)
        address.save()
        if kind == Address.Kind.VISIT and geocode:
            _geocode_after_commit(address)
    account_copies_refresh(account_ids=[account.pk])
    _record_changes(account=account, before=None, user=user)
    return account


def _moves_parent(account: Account, parent: Account | None) -> bool:
    """Whether saving `parent` changes the account's parent as stored now (the forms send the
    parent with every save; only a real change needs the hierarchy's lock)."""
    stored = Account.objects.filter(pk=account.pk).values_list("parent_id", flat=True).first()
    return stored != getattr(parent, "pk", None)


# The key of PostgreSQL's advisory lock that changes of parents take (any number unique to it).
HIERARCHY_LOCK = 7_261_001


def lock_account_hierarchy() -> None:
    """Make changes of parents wait for each other until the transaction ends.

    Each change checks the chain above it for a loop; two at once (A under B while C, B's
    parent, goes under A) could each find none and together make one. SQLite serialises
    every write already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HIERARCHY_LOCK])


@transaction.atomic
def account_update(
    *,
    account: Account,
    user: AuthUser,
    fields: Mapping[str, Any],
    hold_reason_required: bool = True,
) -> Account:
    """Change an account's own fields. Credit fields need the credit permission, the CRM4 id
    the administrator's.

    A credit hold put on needs a reason, except from an import (see account_create).
    """
    require_permission(user, "accounts.change_account")
    moving = "parent" in fields and _moves_parent(account, fields["parent"])
    if moving:  # before the row's lock, or two such changes could wait on each other
        lock_account_hierarchy()
    before = Account.objects.select_for_update().get(pk=account.pk)
    if (
        "parent" in fields
        and not moving
        and before.parent_id != getattr(fields["parent"], "pk", None)
    ):
        # Moved by someone else since the look above: writing it back would move it unlocked.
        raise ValidationError(
            {"parent": gettext("The parent was changed meanwhile: open the page again.")}
        )
    require_credit_permission(user=user, before=before, fields=fields)
    require_crm4_permission(user=user, before=before, fields=fields)
    require_owner_permission(user=user, before=before, fields=fields)
    require_active_permission(user=user, before=before, fields=fields)
    if "owner" in fields and getattr(fields["owner"], "pk", None) != before.owner_id:
        _check_owner_may_own(fields["owner"])
    for field, value in fields.items():
        setattr(account, field, value)
    check_credit_hold_reason(account=account, before=before, required=hold_reason_required)
    account.name_key = account_name_key(account.name)
    account.full_clean()
    # The reason goes with the hold: lifting a hold clears it even when the form did not send it.
    saved = [*fields, *(HOLD_FIELDS if "credit_hold" in fields else ()), "name_key", "updated_at"]
    _save_unique(account, update_fields=list(dict.fromkeys(saved)))
    account_copies_refresh(account_ids=[account.pk])
    _record_changes(account=account, before=before, user=user, written=saved)
    return account


@transaction.atomic
def account_set_credit_hold(
    *, account: Account, user: AuthUser, hold: bool, reason: str = ""
) -> bool:
    """Put an account on credit hold with a reason, change the reason, or lift the hold.

    Accounting and Management may; each change of hold or reason is kept in the credit history.
    Returns whether anything changed.
    """
    require_permission(user, HOLD_PERMISSION, str(CREDIT_REFUSALS[HOLD_PERMISSION]))
    before = Account.objects.select_for_update().get(pk=account.pk)
    account.credit_hold = hold
    account.credit_hold_reason = reason
    check_credit_hold_reason(account=account, before=before)
    others = [f.name for f in Account._meta.fields if f.name not in HOLD_FIELDS]
    account.clean_fields(exclude=others)
    if (before.credit_hold, before.credit_hold_reason) == (hold, account.credit_hold_reason):
        return False
    account.save(update_fields=[*HOLD_FIELDS, "updated_at"])
    _record_changes(account=account, before=before, user=user, written=HOLD_FIELDS)
    return True


@transaction.atomic
def account_set_owner(*, account: Account, user: AuthUser, owner: Any) -> bool:
    """Make `owner` (a user, or None) the account's owner; Sales and Management may.

    The change is kept in the account's history. Returns whether anything changed.
    """
    require_permission(user, OWNER_PERMISSION, str(OWNER_REFUSAL))
    before = Account.objects.select_for_update().get(pk=account.pk)
    if before.owner_id == getattr(owner, "pk", None):
        return False
    _check_owner_may_own(owner)
    account.owner = owner
    account.save(update_fields=["owner", "updated_at"])
    _record_changes(account=account, before=before, user=user, written=["owner"])
    return True


@transaction.atomic
def account_set_active(*, account: Account, user: AuthUser, active: bool) -> bool:
    """Make an account inactive (it no longer trades) or active again.

    Management and Accounting may. An inactive account keeps its contacts, history and
    documents; it leaves the lists, the map and the account boxes, and gets no new quotes or
    orders. The change is kept in the account's history. Returns whether anything changed.
    """
    require_permission(user, ACTIVE_PERMISSION, str(ACTIVE_REFUSAL))
    before = Account.objects.select_for_update().get(pk=account.pk)
    if before.is_active == active:
        return False
    account.is_active = active
    account.save(update_fields=["is_active", "updated_at"])
    _record_changes(account=account, before=before, user=user, written=["is_active"])
    account_copies_refresh(account_ids=[account.pk])  # off the maps, or back on them
    return True


def account_refuse_if_inactive(account: Account, *, field: str | None = "customer") -> None:
    """Raise ValidationError (on `field`, or the whole form's) when the account no longer
    trades."""
    if account.is_active:
        return
    message = gettext(
        "“%(name)s” is inactive: it no longer trades, so it gets no new quotes or orders. "
        "Management or Accounting can make it active again on its page."
    ) % {"name": account.name}
    raise ValidationError({field: message} if field else message)


@transaction.atomic
def account_set_relationship_type(
    *, account: Account, relationship_type: RelationshipType, user: AuthUser
) -> Account:
    """Change the relationship type and keep the change in the account's history."""
    require_permission(user, "accounts.change_account")
    before = Account.objects.select_for_update().get(pk=account.pk)
    account.relationship_type = relationship_type
    account.save(update_fields=["relationship_type", "updated_at"])
    account_copies_refresh(account_ids=[account.pk])
    _record_changes(account=account, before=before, user=user, written=["relationship_type"])
    return account


@transaction.atomic
def relationship_type_save(*, relationship_type: RelationshipType, user: AuthUser) -> None:
    """Add or rename a relationship type; the account list shows a new name at once."""
    action = "change" if relationship_type.pk else "add"
    require_permission(user, f"accounts.{action}_relationshiptype")
    relationship_type.save()
    listing_names_refresh(relationship_type=relationship_type)


@transaction.atomic
def industry_save(*, industry: Industry, user: AuthUser) -> None:
    """Add or rename an industry; the account list shows a new name at once."""
    require_permission(user, f"accounts.{'change' if industry.pk else 'add'}_industry")
    industry.save()
    listing_names_refresh(industry=industry)


@transaction.atomic
def account_delete(*, account: Account, user: AuthUser) -> None:
    """Delete an account with its contacts and addresses; its children lose their parent.

    An account that documents (quotes, orders, invoices) or activities refer to is kept: make it
    inactive.
    """
    require_permission(user, "accounts.delete_account")
    pk = account.pk
    try:
        account.delete()
    except ProtectedError as error:
        kinds = {str(obj._meta.verbose_name_plural) for obj in error.protected_objects}
        raise ValidationError(_kept_because(account, kinds)) from error
    account_copies_refresh(account_ids=[pk])


def account_deletion_refusal(account: Account) -> str:
    """Why the account cannot be deleted, or "" when it can: asked before the confirmation's
    "Yes, remove" is offered. The deletion keeps its own check, for a document written since."""
    kinds = selectors.account_kept_by(account)
    return _kept_because(account, kinds) if kinds else ""


def _kept_because(account: Account, kinds: Iterable[str]) -> str:
    return gettext(
        "“%(name)s” cannot be deleted: it has %(kinds)s. Make it inactive instead: it then "
        "leaves the lists and keeps its history."
    ) % {"name": account.name, "kinds": ", ".join(sorted(kinds))}


def _address_changed(before: Address, after: Address) -> bool:
    return any(getattr(before, f) != getattr(after, f) for f in ADDRESS_FIELDS)


@transaction.atomic
def address_save(
    *, address: Address, user: AuthUser, fields: Mapping[str, Any], geocode: bool = True
) -> Address:
    """Create or change an address. A changed visit address loses its old coordinates.

    It is located again after commit; with geocode=False (imports) it stays pending for
    geocode_accounts. Only `fields` (and a changed visit address's coordinates) are written:
    the page read the row before, and geocoding may have placed it since.
    """
    require_permission(user, "accounts.change_address" if address.pk else "accounts.add_address")
    before = Address.objects.select_for_update().get(pk=address.pk) if address.pk else None
    for field, value in fields.items():
        setattr(address, field, value)
    if before is None and address.kind != Address.Kind.OTHER:
        raise ValidationError(_("An account has exactly one Visit and one Mailing address."))
    if before is not None:
        address.kind = before.kind
        address.account_id = before.account_id
    changed = before is None or _address_changed(before, address)
    written = list(fields)
    if address.kind == Address.Kind.VISIT and changed:
        for field, value in GEOCODE_RESET.items():
            setattr(address, field, value)
        written += GEOCODE_FIELDS
    elif before is not None:
        for field in GEOCODE_FIELDS:
            setattr(address, field, getattr(before, field))
    address.full_clean()
    _save_unique(address, update_fields=written if before else None)
    if address.kind == Address.Kind.VISIT and changed:
        account_copies_refresh(account_ids=[address.account_id])
        if geocode:
            _geocode_after_commit(address)
    return address


# Stored as the address's geocode message in English, and translated where it is shown.
PO_BOX_MESSAGE = gettext_noop(
    "A PO box cannot be placed on the map: enter the street address where the company can be "
    "visited."
)


def _geocode_after_commit(address: Address) -> None:
    # After commit, so a slow or failing geocoder can neither hold nor undo the user's save; and
    # within a short budget, since the user still waits for the page.
    transaction.on_commit(
        partial(address_geocode, address_id=address.pk, budget=settings.GEOCODER_SAVE_BUDGET),
        robust=True,
    )


def address_geocode(*, address_id: int, budget: float | None = None) -> Address | None:
    """Locate a visit address and record the outcome; a failure is recorded, never raised.

    With a budget (seconds), a service slower than that leaves the address "Not located yet" for
    geocode_accounts, which calls this without one and waits for the backend's own timeout.
    """
    address = Address.objects.filter(pk=address_id, kind=Address.Kind.VISIT).first()
    if address is None:
        return None
    if looks_like_po_box(address.street):
        result = geocoders.GeocodeResult.failed(PO_BOX_MESSAGE)
    else:
        try:
            where = {
                "street": address.street,
                "postal_code": address.postal_code,
                "city": address.city,
                "country": address.country.code,
            }
            result = (
                geocoders.geocode(**where)
                if budget is None
                else geocoders.geocode_within(seconds=budget, **where)
            )
        except Exception:
            logger.exception("Geocoding address %s failed", address.pk)
            result = geocoders.GeocodeResult.retry(
                gettext_noop("Locating this address failed unexpectedly.")
            )
    values = {
        "latitude": result.latitude,
        "longitude": result.longitude,
        "geocode_status": result.status.value,
        "geocode_message": result.message[:300],
        "geocoded_at": timezone.now(),
    }
    # Only while the address is still the one looked up: a newer edit brings its own geocode.
    unchanged = {field: getattr(address, field) for field in ADDRESS_FIELDS}
    if Address.objects.filter(pk=address.pk, **unchanged).update(**values):
        for field, value in values.items():
            setattr(address, field, value)
        account_copies_refresh(account_ids=[address.account_id])
    return address


def address_delete(*, address: Address, user: AuthUser) -> None:
    """Remove a further named address; Visit and Mailing addresses stay with their account."""
    require_permission(user, "accounts.delete_address")
    if address.is_fixed:
        raise ValidationError(
            gettext("The %(kind)s cannot be removed.")
            % {"kind": address.get_kind_display().lower()}
        )
    address.delete()


def addresses_match(first: Address, second: Address) -> bool:
    """Whether two addresses name the same place: the fields the copy action copies."""
    return all(getattr(first, field) == getattr(second, field) for field in ADDRESS_FIELDS)


@transaction.atomic
def account_copy_visit_to_mailing(*, account: Account, user: AuthUser) -> Address:
    """Make the Mailing address the same as the Visit address."""
    require_permission(user, "accounts.change_address")
    addresses = {
        a.kind: a
        for a in Address.objects.select_for_update().filter(
            account=account, kind__in=[Address.Kind.VISIT, Address.Kind.MAILING]
        )
    }
    if len(addresses) < 2:
        raise ValidationError(_("This account has no visit address or no mailing address to copy."))
    visit, mailing = addresses[Address.Kind.VISIT], addresses[Address.Kind.MAILING]
    if not visit.one_line():
        raise ValidationError(_("The visit address is empty: there is nothing to copy."))
    for field in ADDRESS_FIELDS:
        setattr(mailing, field, getattr(visit, field))
    mailing.save(update_fields=list(ADDRESS_FIELDS))
    return mailing


@transaction.atomic
def contact_save(*, contact: Contact, user: AuthUser, fields: Mapping[str, Any]) -> Contact:
    """Create or change a contact; it stays with the account it was created for."""
    require_permission(user, "accounts.change_contact" if contact.pk else "accounts.add_contact")
    account_id = contact.account_id
    for field, value in fields.items():
        setattr(contact, field, value)
    contact.account_id = account_id
    contact.full_clean()
    if contact.pk is None:
        _refuse_contact_twice(contact)
    # Only the fields edited: the rest (the primary mark, a name changed in another tab) is
    # someone else's to change meanwhile. The search words are then made from the stored row.
    contact.save(update_fields=list(fields) if contact.pk else None)
    contact_search_refresh(contact_ids=[contact.pk])
    return contact


# What a contact form sends: a new contact alike in all of them is the same one sent again.
CONTACT_DETAILS = ("first_name", "last_name", "job_title", "email", "phone", "mobile")


def _refuse_contact_twice(contact: Contact) -> None:
    """A new contact whose details, case and spaces aside, are those of one the account has
    already is the same person entered twice (a form sent again after the browser's Back,
    say). A namesake who differs in anything (another email, phone or title) is added."""
    same = Contact.objects.filter(account_id=contact.account_id).filter(
        **{f"{name}__iexact": getattr(contact, name).strip() for name in CONTACT_DETAILS}
    )
    if same.exists():
        raise ValidationError(
            gettext(
                "%(name)s, with these details, is a contact of this account already: change "
                "that one on the account page instead."
            )
            % {"name": f"{contact.first_name} {contact.last_name}".strip()}
        )


@transaction.atomic
def contact_set_primary(*, contact: Contact, user: AuthUser, primary: bool = True) -> Contact:
    """Make a contact its account's primary contact (the one quotes and invoices address by
    default), or no longer primary. An account has one primary contact at most: the one it had
    before is primary no more."""
    require_permission(user, "accounts.change_contact")
    # The account's row lock makes two people choosing at once take turns.
    Account.objects.select_for_update().filter(pk=contact.account_id).values_list("pk").first()
    if primary:
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)
    contact.is_primary = primary
    Contact.objects.filter(pk=contact.pk).update(is_primary=primary)
    return contact


def contact_delete(*, contact: Contact, user: AuthUser) -> None:
    require_permission(user, "accounts.delete_contact")
    contact.delete()
