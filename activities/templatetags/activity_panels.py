from typing import Any

from django import template

from accounts.models import Account, Contact
from activities import selectors
from activities.forms import ActivityForm, TimelineFilterForm

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
