from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from activities.models import Activity
from activities.selectors import TIMELINE_FILTERS
from common.forms import QuickSelect
from sales.models import Order, Quote

# What the short form on the account page asks; the full form adds the quote and the order.
QUICK_FIELDS = ["kind", "subject", "body", "occurred_at", "contact", "assigned_to"]
# The short form's "More fields…" button: it opens the full form with what was typed.
MORE_FIELDS = "more"


class UserChoiceField(forms.ModelChoiceField):
    """Colleagues by the name people know them by."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class ActivityForm(forms.ModelForm):
    """An activity of one account: its contact, quote and order are offered from that account."""

    class Meta:
        model = Activity
        fields = ["kind", "subject", "occurred_at", "body", "contact", "quote", "order"]
        fields += ["assigned_to"]
        field_classes = {"assigned_to": UserChoiceField}
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "body": forms.Textarea(attrs={"rows": 4}),
            # Options written in Python: the account page renders this form on every view.
            "kind": QuickSelect,
            "contact": QuickSelect,
            "quote": QuickSelect,
            "order": QuickSelect,
            "assigned_to": QuickSelect,
        }
        error_messages = {
            "subject": {"required": _("Give the activity a subject: what was it about?")},
            "occurred_at": {
                "required": _("Say when it happened, or when the task is due."),
                "invalid": _("Enter a date and time, such as 2026-03-01 14:30."),
            },
            "body": {
                "max_length": _(
                    "The details can hold at most %(limit_value)d characters; this text has "
                    "%(show_value)d. Shorten it, or keep the rest in a second note."
                )
            },
        }
        help_texts = {
            "assigned_to": _("Who does it. A task without anyone named goes to you."),
        }

    def __init__(self, *args: Any, account: Account, quick: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        contact = self._choice("contact")
        contact.queryset = account.contacts.order_by("sort_name", "id")
        contact.help_text = _("The person it was with or about, if any.")
        assignee = self._choice("assigned_to")
        users = get_user_model().objects.filter(is_active=True)
        assignee.queryset = users.order_by("first_name", "last_name", "username")
        # Not the browser's maxlength: it would cut a pasted text short without a word.
        self.fields["body"].widget.attrs.pop("maxlength", None)
        if quick:
            for name in set(self.fields) - set(QUICK_FIELDS):
                del self.fields[name]
            self.order_fields(QUICK_FIELDS)
        else:
            self._choice("quote").queryset = Quote.objects.filter(customer=account).order_by("-id")
            self._choice("order").queryset = Order.objects.filter(customer=account).order_by("-id")
        self.fields["subject"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk is None:
            self._offer_a_task_due_time()

    def _offer_a_task_due_time(self) -> None:
        """Tell the page's script (app.js) what "When" starts at and when a task is due by
        default (tomorrow at 09:00), in the time zone the box's times are in, not the
        browser's: made a task while the box still says now, it says tomorrow at 09:00."""
        now = timezone.localtime(self.instance.occurred_at)
        due = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        self.fields["occurred_at"].widget.attrs.update(
            {"data-now": f"{now:%Y-%m-%dT%H:%M}", "data-task-due": f"{due:%Y-%m-%dT%H:%M}"}
        )

    def _get_validation_exclusions(self) -> set[str]:
        # Nobody named is for the service to settle (a task goes to its writer); the model's
        # "a task needs someone" check runs there, after it has.
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if self.cleaned_data.get("assigned_to") is None:
            exclusions.add("assigned_to")
        return exclusions

    def _choice(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])


class TimelineFilterForm(forms.Form):
    """The timeline's "Show" box; a value it does not know shows everything."""

    show = forms.ChoiceField(
        label=_("Show"), choices=TIMELINE_FILTERS, required=False, widget=QuickSelect
    )
