"""What happened with an account and what comes next: notes, calls, meetings, emails, tasks."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.deletion import Collector
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Long enough for the minutes of a meeting; a pasted mailbox gets a clear message instead.
BODY_MAX_LENGTH = 10_000
# When an activity can have happened or be due. Year 1 or 9999 would pass the form and then fail
# converting to UTC; nothing a salesperson writes lies outside these.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def validate_plausible_year(value: datetime) -> None:
    # The year where the user is: a value read back from the database is in UTC, where
    # 1 January 1900 00:10 in Amsterdam is still 1899.
    try:
        year = timezone.localtime(value).year if timezone.is_aware(value) else value.year
    except OverflowError:  # beyond year 9999 in the local zone
        year = value.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="implausible_year",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def set_null_keeping_the_name(
    collector: Collector, field: models.Field, sub_objs: Iterable["Activity"], using: str
) -> None:
    """What removing a contact does to its activities: they stay, without the contact, and
    keep whom they were with (the on_delete of Activity.contact, so every way of removing
    one does it and the accounts app need not know activities)."""
    from accounts.models import Contact

    activities = list(sub_objs)
    contacts = Contact.objects.filter(pk__in={a.contact_id for a in activities})
    names = {contact.pk: str(contact) for contact in contacts}
    for contact_id, name in names.items():
        named = [a for a in activities if a.contact_id == contact_id]
        collector.add_field_update(Activity._meta.get_field("contact_name"), name, named)
    collector.add_field_update(field, None, activities)


class Activity(models.Model):
    """One thing that happened with an account, or a task still to do.

    A deleted activity keeps its row (`deleted_at`, `deleted_by`) and its subject, so the
    account's timeline still shows that something was removed, by whom and when.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        TASK = "task", _("Task")

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("account"),
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=set_null_keeping_the_name,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("contact"),
    )
    # Who it was with, once that contact is removed from the account.
    contact_name = models.CharField(
        max_length=201,
        blank=True,
        default="",
        db_default="",
        editable=False,
        verbose_name=_("contact's name"),
    )
    quote = models.ForeignKey(
        "sales.Quote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("quote"),
    )
    order = models.ForeignKey(
        "sales.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.NOTE)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("details"), max_length=BODY_MAX_LENGTH, blank=True)
    occurred_at = models.DateTimeField(
        _("when"),
        default=timezone.now,
        validators=[validate_plausible_year],
        help_text=_("When it happened, or when a task is due."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # Kept while the user has tasks: a task without anyone to do it is lost.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="task") | Q(assigned_to__isnull=False),
                name="activity_task_has_assignee",
                violation_error_message=_("A task needs someone to do it."),
            ),
            models.CheckConstraint(
                condition=~Q(subject=""),
                name="activity_has_subject",
                violation_error_message=_("Give the activity a subject."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX_LENGTH),
                name="activity_body_length",
                violation_error_message=_("The details are too long."),
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=False) | Q(done_by__isnull=True),
                name="activity_done_by_only_when_done",
            ),
        ]
        indexes = [
            # The account's timeline, newest first, paged by (occurred_at, id).
            models.Index(fields=["account", "-occurred_at", "-id"], name="activity_timeline_idx"),
            # My work: a user's open tasks by due date.
            models.Index(
                fields=["assigned_to", "occurred_at", "id"],
                condition=Q(done_at__isnull=True, deleted_at__isnull=True),
                name="activity_open_idx",
            ),
            # My work: what a user wrote lately.
            models.Index(
                fields=["created_by", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="activity_author_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def get_absolute_url(self) -> str:
        """Its place on the account's timeline, which may be a page down."""
        # The timeline's paging is the selectors' business, and they import this module.
        from activities.selectors import activity_url

        return activity_url(self)

    @property
    def contact_shown(self) -> str:
        """Who it was with or about: the contact, or the name of one removed since; "" for
        nobody."""
        return str(self.contact) if self.contact_id else self.contact_name

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.deleted_at is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_overdue(self) -> bool:
        """Still open while its due time has passed."""
        return self.is_overdue_at(timezone.now())

    def is_overdue_at(self, moment: datetime) -> bool:
        """Still open at `moment`, with its due time before it (a page asks once for all its
        rows, so they agree)."""
        return self.is_open and self.occurred_at < moment
