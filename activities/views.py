from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, TemplateView, UpdateView

from accounts.models import Account
from activities import selectors, services
from activities.forms import MORE_FIELDS, QUICK_FIELDS, ActivityForm
from activities.models import Activity
from common.forms import model_values
from common.typing import AuthenticatedHttpRequest, StrOrPromise
from common.views import ConfirmDeleteMixin, ServiceActionView, ServiceFormMixin


def _safe_next(request: AuthenticatedHttpRequest, default: str) -> str:
    """Where a button asked to come back to, if it is this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


class ActivitySaveView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    """Writes an activity on an account (URL with account_pk), or changes one (pk): the short
    form on the account page posts here, and its errors come back on this page."""

    request: AuthenticatedHttpRequest
    model = Activity
    form_class = ActivityForm
    template_name = "activities/activity_form.html"
    object: Activity
    form: ActivityForm

    def get_permission_required(self) -> tuple[str]:
        action = "change" if "pk" in self.kwargs else "add"
        return (f"activities.{action}_activity",)

    def get_object(self, queryset: QuerySet[Activity] | None = None) -> Activity:
        if "pk" not in self.kwargs:
            return Activity(account=get_object_or_404(Account, pk=self.kwargs["account_pk"]))
        activity = get_object_or_404(
            Activity.objects.select_related("account"), pk=self.kwargs["pk"]
        )
        if not services.activity_is_theirs(activity=activity, user=self.request.user):
            raise PermissionDenied(_("Only its author or an administrator may change this."))
        # A deleted one is refused with its reason: by the service on a post, beside the text
        # typed in a tab opened before the deletion; on the timeline when opened.
        return activity

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_deleted:
            messages.error(request, _("This activity was deleted, so it can no longer be changed."))
            return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if MORE_FIELDS not in request.POST or "pk" in self.kwargs:
            return super().post(request, *args, **kwargs)
        # "More fields…" under the short form: the whole form, with what was typed so far.
        self.object = self.get_object()
        typed = {name: request.POST[name] for name in QUICK_FIELDS if name in request.POST}
        form = self.get_form_class()(initial=typed, account=self.object.account)
        return self.render_to_response(self.get_context_data(form=form))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "account": self.object.account}

    def perform(self) -> str:
        fields = model_values(self.form)
        if self.object.pk is None:
            self.object = services.activity_create(
                account=self.object.account, user=self.request.user, fields=fields
            )
            return _("“%(subject)s” was added to the timeline.") % {"subject": self.object.subject}
        self.object = services.activity_update(
            activity=self.object, user=self.request.user, fields=fields
        )
        return _("“%(subject)s” was saved.") % {"subject": self.object.subject}

    def follow_ups(self) -> list[tuple[int, StrOrPromise]]:
        if self.kwargs.get("pk") is None and services.activity_is_due_in_past(activity=self.object):
            return [
                (
                    messages.WARNING,
                    _("This task was due on %(due)s, which has passed: it shows as overdue.")
                    % {"due": self.object.occurred_at.strftime("%d-%m-%Y %H:%M")},
                )
            ]
        return []

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class _TaskButtonView(ServiceActionView):
    """A button on a task that closes or reopens it, and comes back to the page it sits on.
    Whoever a task is for may press it, whatever their role (the service checks)."""

    permission_required = "activities.view_activity"
    model = Activity
    object: Activity

    def get_success_url(self) -> str:
        return _safe_next(self.request, self.object.get_absolute_url())


class ActivityDoneView(_TaskButtonView):
    """The "Mark done" button of a task, on My work and on the timeline."""

    def perform(self) -> str:
        services.activity_mark_done(activity=self.object, user=self.request.user)
        return _("“%(subject)s” is done.") % {"subject": self.object.subject}


class ActivityReopenView(_TaskButtonView):
    """The "Reopen" button of a task marked done by mistake, on the timeline."""

    def perform(self) -> str:
        services.activity_reopen(activity=self.object, user=self.request.user)
        return _("“%(subject)s” is open again.") % {"subject": self.object.subject}


class ActivityDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    request: AuthenticatedHttpRequest
    permission_required = "activities.delete_activity"
    model = Activity
    consequence = gettext_lazy(
        "Its details are removed; the timeline keeps its subject, who and when."
    )

    def get_object(self, queryset: QuerySet[Activity] | None = None) -> Activity:
        activity = get_object_or_404(Activity, pk=self.kwargs["pk"])
        if not services.activity_is_theirs(activity=activity, user=self.request.user):
            raise PermissionDenied(_("Only its author or an administrator may delete this."))
        return activity

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_deleted:
            messages.error(request, _("This activity was deleted already."))
            return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data())

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.activity_delete(activity=self.object, user=self.request.user)
        except ValidationError as error:  # deleted in another tab meanwhile
            messages.error(self.request, error.messages[0])
            return redirect(self.object.get_absolute_url())
        messages.success(
            self.request, _("“%(subject)s” was deleted.") % {"subject": self.object.subject}
        )
        return redirect(self.object.get_absolute_url())


class MyWorkView(PermissionRequiredMixin, TemplateView):
    """The landing page: the user's open tasks, the overdue first, what they wrote lately and
    the accounts they own."""

    request: AuthenticatedHttpRequest
    permission_required = "activities.view_activity"
    template_name = "activities/my_work.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "work": selectors.my_work(user=self.request.user),
        }
