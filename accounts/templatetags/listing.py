from collections.abc import Iterable
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.models import Contact, type_name_shown
from common.links import url_by_id
from common.money import money_format

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict, number: int) -> str:
    """The current list's URL with its search, filters and sort, at page `number`."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def keyset_url(context: dict, **cursor: str) -> str:
    """The current list's URL with its search, filters and sort, at the page `cursor` names
    (after=..., before=... or last=1; nothing for the first page)."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    for name in ("after", "before", "last", "page"):
        query.pop(name, None)
    query.update(cursor)
    return f"?{query.urlencode()}"


def _owner_name(row: dict[str, Any]) -> str:
    full = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
    return full or row["owner__username"] or ""


@register.simple_tag
def account_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The account list's rows (selectors.ACCOUNT_LIST_FIELDS), as HTML.

    Written in Python rather than a template loop: the list must cost little more than the
    cheapest page, and 25 rows of template tags took longer than the page's query.
    """
    inactive = format_html(
        ' <span class="badge muted" data-inactive>{}</span>', gettext("Inactive")
    )
    on_hold = format_html('<span class="badge danger">{}</span>', gettext("On hold"))
    detail = url_by_id("accounts:detail")

    def credit(row: dict[str, Any]) -> str:
        if row["credit_hold"]:
            return on_hold
        if row["credit_limit"] is None:
            return ""
        return gettext("Limit %(limit)s") % {"limit": money_format(row["credit_limit"])}

    def email(row: dict[str, Any]) -> str:
        return format_html('<a href="mailto:{0}">{0}</a>', row["email"]) if row["email"] else ""

    return format_html_join(
        "\n",
        '<tr><td>{}</td><td class="keep-words">{}</td><td class="keep-words">{}</td>'
        '<td class="keep-words">{}</td><td class="keep-words">{}</td><td>{}</td>'
        '<td class="keep-words">{}</td><td class="keep-words" data-owner>{}</td></tr>',
        (
            (
                format_html(
                    '<a href="{}">{}</a>{}',
                    detail(row["id"]),
                    row["name"],
                    "" if row["is_active"] else inactive,
                ),
                row["listing_city"],
                row["listing_country"],
                type_name_shown(row["listing_type"]),
                row["listing_industry"],
                email(row),
                credit(row),
                _owner_name(row),
            )
            for row in rows
        ),
    )


@register.simple_tag
def contact_rows(contacts: Iterable[Contact]) -> SafeString:
    """The contacts list's rows, as HTML, written in Python as account_rows is (for the same
    reason): each name leads to its row on the account page, the account to its page."""
    primary = format_html(' <span class="badge type-customer">{}</span>', gettext("Primary"))
    inactive = format_html(' <span class="badge muted">{}</span>', gettext("Inactive"))
    detail = url_by_id("accounts:detail")

    def link(scheme: str, value: str) -> str:
        return format_html('<a href="{}:{}">{}</a>', scheme, value, value) if value else ""

    return format_html_join(
        "\n",
        '<tr data-contact="{}"><td><a href="{}#contact-{}">{}</a>{}</td>'
        '<td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td class="phone">{}</td></tr>',
        (
            (
                contact.pk,
                detail(contact.account_id),
                contact.pk,
                str(contact),
                primary if contact.is_primary else "",
                detail(contact.account_id),
                contact.account.name,
                "" if contact.account.is_active else inactive,
                contact.job_title,
                link("mailto", contact.email),
                link("tel", contact.phone or contact.mobile),
            )
            for contact in contacts
        ),
    )
