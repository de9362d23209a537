"""Writing activities: the rules on who may write, change, close and delete them."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from activities.models import Activity
from common.permissions import require_permission
from common.typing import AuthUser

# What a form may set; the account, the author and the done and deleted marks are the service's.
EDITABLE_FIELDS = (
    "kind",
    "subject",
    "body",
    "occurred_at",
    "contact",
    "quote",
    "order",
    "assigned_to",
)


def activity_is_theirs(*, activity: Activity, user: AuthUser) -> bool:
    """Whether the user wrote it, or is an administrator: who may change or delete it."""
    return user.is_superuser or (
        activity.created_by_id is not None and activity.created_by_id == user.pk
    )


def activity_may_change(*, activity: Activity, user: AuthUser) -> bool:
    """Only the author, or an administrator, changes or deletes what was written, while it is
    not deleted."""
    return not activity.is_deleted and activity_is_theirs(activity=activity, user=user)


def _may_close_or_reopen(activity: Activity, user: AuthUser) -> bool:
    """Sales and Management, and whoever the task is for, whatever their role (Sales asks
    Accounting to check a credit limit)."""
    return user.has_perm("activities.change_activity") or activity.assigned_to_id == user.pk


def activity_may_mark_done(*, activity: Activity, user: AuthUser) -> bool:
    """Whether the user may close this open task."""
    return activity.is_open and _may_close_or_reopen(activity, user)


def activity_may_reopen(*, activity: Activity, user: AuthUser) -> bool:
    """A task (or planned activity) marked done by mistake opens again for whoever may close
    it; what had happened when it was written stays done."""
    if activity.is_deleted or activity.is_open or _done_as_written(activity):
        return False
    return _may_close_or_reopen(activity, user)


def _is_planned(activity: Activity, now: datetime) -> bool:
    """A task, or anything set for later, is open until marked done."""
    return activity.kind == Activity.Kind.TASK or activity.occurred_at > now


def _schedule(activity: Activity) -> tuple[str, datetime]:
    """Its kind and time to the minute, as the forms show the time."""
    return activity.kind, activity.occurred_at.replace(second=0, microsecond=0)


def _done_as_written(activity: Activity) -> bool:
    """Done because it had happened when it was written, not marked done by someone since."""
    return activity.done_at is not None and activity.done_at == activity.created_at


def activity_is_due_in_past(*, activity: Activity) -> bool:
    """A new task due before now: allowed (it was forgotten), but worth a word."""
    return activity.kind == Activity.Kind.TASK and activity.occurred_at < timezone.now()


def _check_links(activity: Activity) -> None:
    """The contact, quote and order must be the account's own."""
    errors: dict[str, str] = {}
    if activity.contact is not None and activity.contact.account_id != activity.account_id:
        errors["contact"] = _("This contact belongs to another account.")
    if activity.quote is not None and activity.quote.customer_id != activity.account_id:
        errors["quote"] = _("This quote is for another account.")
    if activity.order is not None and activity.order.customer_id != activity.account_id:
        errors["order"] = _("This order is for another account.")
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, fields: Mapping[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(activity, name, fields[name])
    activity.subject = (activity.subject or "").strip()


@transaction.atomic
def activity_create(*, account: Account, user: AuthUser, fields: Mapping[str, Any]) -> Activity:
    """Write down what happened with the account, or what comes next.

    A task, and anything planned for later, stays open until someone marks it done; it goes to
    its assignee, or to the author when nobody is named. What already happened is done as it is
    written.
    """
    require_permission(user, "activities.add_activity", _("Your role may not write activities."))
    now = timezone.now()
    activity = Activity(account=account, created_by=user, created_at=now, occurred_at=now)
    _apply(activity, fields)
    if _is_planned(activity, now):
        activity.assigned_to = activity.assigned_to or user
    else:
        activity.done_at, activity.done_by = now, user
    _check_links(activity)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, user: AuthUser, fields: Mapping[str, Any]) -> Activity:
    """Change what was written; only its author or an administrator may.

    A new kind or time moves the done mark as writing it would have set it: what becomes
    planned (a task, or set for later) is open again, for whoever is named or else the writer,
    unless someone marked it done; what becomes something that has happened is done. A
    corrected subject or text moves nothing.
    """
    require_permission(
        user, "activities.change_activity", _("Your role may not change activities.")
    )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity_is_theirs(activity=activity, user=user):
        raise PermissionDenied(_("Only its author or an administrator may change this."))
    if activity.is_deleted:
        raise ValidationError(_("This activity was deleted meanwhile, so it was not changed."))
    scheduled = _schedule(activity)
    _apply(activity, fields)
    now = timezone.now()
    if _schedule(activity) != scheduled:
        if _is_planned(activity, now) and _done_as_written(activity):
            activity.done_at, activity.done_by = None, None
        elif not _is_planned(activity, now) and activity.is_open:
            activity.done_at, activity.done_by = now, user
    if activity.is_open or activity.kind == Activity.Kind.TASK:
        activity.assigned_to = activity.assigned_to or user
    _check_links(activity)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_mark_done(*, activity: Activity, user: AuthUser) -> Activity:
    """Close a task or planned activity, recording who did and when."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_deleted:
        raise ValidationError(_("This activity was deleted."))
    if activity.done_at is not None:
        raise ValidationError(_("This was already marked done."))
    if not activity_may_mark_done(activity=activity, user=user):
        raise PermissionDenied(_("Your role may not mark activities done."))
    activity.done_at, activity.done_by = timezone.now(), user
    activity.save(update_fields=["done_at", "done_by", "updated_at"])
    return activity


@transaction.atomic
def activity_reopen(*, activity: Activity, user: AuthUser) -> Activity:
    """Open a task marked done by mistake again: back on its assignee's list, its done mark
    gone."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_deleted:
        raise ValidationError(_("This activity was deleted."))
    if _done_as_written(activity):
        raise ValidationError(_("This had already happened when it was written down."))
    if activity.is_open:
        raise ValidationError(_("This is open already."))
    if not activity_may_reopen(activity=activity, user=user):
        raise PermissionDenied(_("Your role may not reopen activities."))
    activity.done_at, activity.done_by = None, None
    activity.save(update_fields=["done_at", "done_by", "updated_at"])
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user: AuthUser) -> Activity:
    """Remove what was written, leaving a trace on the timeline: its subject, who and when.

    Only its author or an administrator may. The details go; the row stays.
    """
    require_permission(
        user, "activities.delete_activity", _("Your role may not delete activities.")
    )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity_is_theirs(activity=activity, user=user):
        raise PermissionDenied(_("Only its author or an administrator may delete this."))
    if activity.is_deleted:
        raise ValidationError(_("This activity was deleted already."))
    activity.deleted_at, activity.deleted_by = timezone.now(), user
    activity.body = ""
    activity.save(update_fields=["deleted_at", "deleted_by", "body", "updated_at"])
    return activity
