from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from accounts.models import Account, Contact
from activities import selectors
from activities.forms import ActivityForm, TimelineFilterForm
from activities.models import Activity
from common.links import url_by_id

register = template.Library()


@register.simple_tag(takes_context=True)
def account_timeline(context: dict[str, Any], account: Account) -> selectors.Timeline:
    """The account page's timeline, as its `show`, `before` and `after` parameters ask."""
    request = context["request"]
    return selectors.account_timeline(
        account_id=account.pk,
        user=request.user,
        show=request.GET.get("show", ""),
        before=request.GET.get("before", ""),
        after=request.GET.get("after", ""),
    )


@register.simple_tag
def activities_naming(contact: Contact) -> int:
    """For the page confirming a contact's removal (selectors.activities_naming)."""
    return selectors.activities_naming(contact=contact)


@register.simple_tag
def timeline_filter_form(show: str) -> TimelineFilterForm:
    return TimelineFilterForm(initial={"show": show})


@register.simple_tag
def activity_quick_form(account: Account) -> ActivityForm:
    """The short "write a note, log a call" form at the top of the timeline."""
    return ActivityForm(account=account, quick=True)


def _words(text: str, **values: Any) -> SafeString:
    """A translated sentence with escaped values, as {% blocktranslate %} writes it."""
    return mark_safe(text % {name: conditional_escape(value) for name, value in values.items()})


def _kind_names() -> dict[str, str]:
    """Each kind's name in the reader's language; a kind no longer offered shows as stored,
    as get_kind_display() has it."""
    return {kind: str(label) for kind, label in Activity.Kind.choices}


def _shown(moment: datetime | None, shown_as: str) -> str:
    """A moment in the local time zone, as the `date` filter shows it; "" for none."""
    return dateformat.format(timezone.localtime(moment), shown_as) if moment else ""


def _time(moment: datetime, shown_as: str) -> SafeString:
    """A <time> element for the moment, shown as _shown() has it."""
    return format_html(
        '<time datetime="{}">{}</time>',
        timezone.localtime(moment).isoformat(),
        _shown(moment, shown_as),
    )


def _button_form(
    request: HttpRequest, url_name: str, label: str, *, back_to: str
) -> Callable[[int], SafeString]:
    """A button that posts to `url_name` for an activity, by its id, and comes back to
    `back_to`: "Mark done" and "Reopen"."""
    action_url = url_by_id(url_name)
    csrf = csrf_input(request)
    return lambda pk: format_html(
        '<form method="post" action="{}" class="inline-form">{}<input type="hidden" name="next" '
        'value="{}"><button type="submit" class="button small">{}</button></form>',
        action_url(pk),
        csrf,
        back_to,
        label,
    )


@register.simple_tag(takes_context=True)
def timeline_entries(context: dict[str, Any], entries: list[selectors.TimelineEntry]) -> SafeString:
    """The timeline's entries, as HTML.

    Written in Python as the account list's rows are: twenty entries of template tags cost more
    than the rest of the timeline together. Each text is translated once, not once an entry.
    """
    request = context["request"]
    user = request.user
    here = request.get_full_path()
    mark_done = _button_form(request, "activities:done", gettext("Mark done"), back_to=here)
    reopen = _button_form(request, "activities:reopen", gettext("Reopen"), back_to=here)
    update_url, delete_url = url_by_id("activities:update"), url_by_id("activities:delete")
    may = {
        name: user.has_perm(f"{app}.{name}")
        for app, name in [
            ("activities", "change_activity"),
            ("activities", "delete_activity"),
            ("sales", "view_quote"),
            ("sales", "view_order"),
        ]
    }
    kinds = _kind_names()
    datetime_format = get_format("DATETIME_FORMAT")
    now = timezone.now()
    words = {
        "deleted": gettext("deleted by %(who)s on %(when)s"),
        "done": gettext("Done by %(who)s on %(when)s"),
        "by": gettext("by %(who)s"),
        "for": gettext("for %(who)s"),
        "with": gettext("with %(contact)s"),
        "quote": gettext("quote %(number)s"),
        "order": gettext("order %(number)s"),
    }
    overdue = format_html(
        '<span class="badge danger" data-state="overdue">{}</span>', gettext("Overdue")
    )
    still_open = format_html(
        '<span class="badge open" data-state="open">{}</span>', pgettext("task state", "Open")
    )
    edit, delete = gettext("Edit"), gettext("Delete")
    history = format_html('<span class="badge kind">{}</span>', gettext("History"))
    sales = format_html('<span class="badge kind">{}</span>', gettext("Sales"))

    def activity_title(activity: Activity) -> SafeString:
        kind = format_html(
            '<span class="badge kind">{}</span>', kinds.get(activity.kind, activity.kind)
        )
        if activity.is_deleted:
            trace = _words(
                words["deleted"],
                who=activity.deleted_by or "—",
                when=_shown(activity.deleted_at, datetime_format),
            )
            return format_html(
                '{}\n<del>{}</del>\n<span class="help">{}</span>', kind, activity.subject, trace
            )
        state: SafeString | str = ""
        if activity.is_overdue_at(now):
            state = overdue
        elif activity.is_open:
            state = still_open
        elif activity.kind == Activity.Kind.TASK:
            state = format_html(
                '<span class="badge done" data-state="done">{}</span>',
                _words(
                    words["done"],
                    who=activity.done_by or "—",
                    when=_shown(activity.done_at, datetime_format),
                ),
            )
        return format_html("{}\n<strong>{}</strong>\n{}", kind, activity.subject, state)

    def activity_meta(activity: Activity) -> SafeString:
        parts = []
        if activity.created_by:
            parts.append(_words(words["by"], who=activity.created_by))
        if activity.assigned_to:
            parts.append(_words(words["for"], who=activity.assigned_to))
        if activity.contact_shown:
            parts.append(_words(words["with"], contact=activity.contact_shown))
        for document, shown in [(activity.quote, "quote"), (activity.order, "order")]:
            if document and may[f"view_{shown}"]:
                parts.append(
                    format_html(
                        '<a href="{}">{}</a>',
                        document.get_absolute_url(),
                        _words(words[shown], number=document.number),
                    )
                )
        return mark_safe(" · ".join(parts))

    def activity_rest(entry: selectors.TimelineEntry, activity: Activity) -> SafeString:
        if activity.is_deleted:
            return mark_safe("")
        actions = []
        if entry.may_mark_done:
            actions.append(mark_done(activity.pk))
        if entry.may_reopen:
            actions.append(reopen(activity.pk))
        if entry.may_change and may["change_activity"]:
            actions.append(
                format_html('<a class="link" href="{}">{}</a>', update_url(activity.pk), edit)
            )
        if entry.may_change and may["delete_activity"]:
            actions.append(
                format_html(
                    '<a class="link danger" href="{}">{}</a>', delete_url(activity.pk), delete
                )
            )
        body = (
            format_html('<div class="timeline-body">{}</div>', linebreaksbr(activity.body))
            if activity.body
            else ""
        )
        return format_html(
            '<p class="timeline-meta help">{}</p>{}<div class="timeline-actions">{}</div>',
            activity_meta(activity),
            body,
            mark_safe("".join(actions)),
        )

    def other(entry: selectors.TimelineEntry) -> SafeString:
        title = (
            format_html('<a href="{}">{}</a>', entry.url, entry.title) if entry.url else entry.title
        )
        return format_html(
            '<p class="timeline-title">{}\n{}</p><p class="timeline-meta help">{}{}{}</p>',
            history if entry.source == "change" else sales,
            title,
            _words(words["by"], who=entry.who) if entry.who else "",
            " · " if entry.who and entry.detail else "",
            entry.detail,
        )

    def entry_html(entry: selectors.TimelineEntry) -> SafeString:
        activity = entry.activity
        classes, attributes = f"timeline-entry source-{entry.source}", ""
        if activity:
            classes += f" kind-{activity.kind}"
            if activity.is_deleted:
                classes += " deleted"
            elif activity.is_overdue_at(now):
                classes += " overdue"
            attributes = format_html(' data-kind="{}" id="activity-{}"', activity.kind, activity.pk)
            what = format_html(
                '<p class="timeline-title">{}</p>{}',
                activity_title(activity),
                activity_rest(entry, activity),
            )
        else:
            what = other(entry)
        return format_html(
            '<li class="{}" data-source="{}"{}><div class="timeline-when">{}</div>'
            '<div class="timeline-what">{}</div></li>',
            classes,
            entry.source,
            attributes,
            _time(entry.at, datetime_format),
            what,
        )

    return mark_safe("\n".join(entry_html(entry) for entry in entries))


# My work's three tables, written in Python as the timeline is: their 65 rows of template tags
# (and a URL reversed for each link) were most of the page's time.


@register.simple_tag(takes_context=True)
def my_task_rows(context: dict[str, Any], tasks: list[Activity]) -> SafeString:
    mark_done = _button_form(
        context["request"],
        "activities:done",
        gettext("Mark done"),
        back_to=reverse("activities:my_work"),
    )
    account_url = url_by_id("accounts:detail")
    datetime_format = get_format("DATETIME_FORMAT")
    kinds = _kind_names()
    overdue = format_html(
        ' <span class="badge danger" data-state="overdue">{}</span>', gettext("Overdue")
    )
    inactive = format_html(
        ' <span class="badge muted" data-inactive>{}</span>', gettext("Inactive")
    )
    with_whom = gettext("with %(contact)s")
    now = timezone.now()

    def row(task: Activity) -> SafeString:
        late = task.is_overdue_at(now)
        kind = (
            format_html(' <span class="badge kind">{}</span>', kinds.get(task.kind, task.kind))
            if task.kind != Activity.Kind.TASK
            else ""
        )
        contact = task.contact_shown
        return format_html(
            '<tr data-task="{}"{}><td>{}{}</td><td><a href="{}">{}</a>{}{}</td>'
            '<td><a href="{}">{}</a>{}</td><td>{}</td><td class="row-actions">{}</td></tr>',
            task.pk,
            mark_safe(' class="overdue"') if late else "",
            _time(task.occurred_at, datetime_format),
            overdue if late else "",
            selectors.activity_url(task, account_url=account_url),
            task.subject,
            kind,
            format_html('<br><small class="help">{}</small>', _words(with_whom, contact=contact))
            if contact
            else "",
            account_url(task.account_id),
            task.account.name,
            "" if task.account.is_active else inactive,
            task.created_by or "—",
            mark_done(task.pk),
        )

    return mark_safe("\n".join(row(task) for task in tasks))


@register.simple_tag
def my_account_rows(accounts: list[Account]) -> SafeString:
    account_url = url_by_id("accounts:detail")
    on_hold = format_html(' <span class="badge danger">{}</span>', gettext("On hold"))
    return format_html_join(
        "\n",
        '<tr data-account="{}"><td><a href="{}">{}</a>{}</td><td class="keep-words">{}</td>'
        '<td class="keep-words">{}</td></tr>',
        (
            (
                account.pk,
                account_url(account.pk),
                account.name,
                on_hold if account.credit_hold else "",
                account.listing_city,
                account.listing_type_shown,
            )
            for account in accounts
        ),
    )


@register.simple_tag
def my_recent_rows(activities: list[Activity]) -> SafeString:
    account_url = url_by_id("accounts:detail")
    datetime_format = get_format("DATETIME_FORMAT")
    kinds = _kind_names()
    return format_html_join(
        "\n",
        '<tr data-activity="{}"><td>{}</td><td>{}</td><td><a href="{}">{}</a></td>'
        '<td><a href="{}">{}</a></td></tr>',
        (
            (
                activity.pk,
                _time(activity.created_at, datetime_format),
                kinds.get(activity.kind, activity.kind),
                selectors.activity_url(activity, account_url=account_url),
                activity.subject,
                account_url(activity.account_id),
                activity.account.name,
            )
            for activity in activities
        ),
    )
