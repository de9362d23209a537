from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.views import LogoutView
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView
from django.views.i18n import set_language

from common.typing import AuthenticatedHttpRequest, StrOrPromise
from common.views import ServiceFormMixin
from users import selectors, services
from users.forms import UserCrmAccountForm, UserCrmContactForm
from users.models import User


class UserListView(PermissionRequiredMixin, ListView):
    """Administrators (and whoever may view users) see the list; those who may change users edit
    the links. It names everyone's email, so other staff get a 403."""

    paginate_by = 50
    template_name = "users/user_list.html"

    def has_permission(self) -> bool:
        return services.user_can_see_users(self.request.user)

    def get_queryset(self) -> QuerySet[User]:
        return selectors.user_list().order_by("username", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = services.user_can_change_crm_link(self.request.user)
        return context


class UserCrmLinkMixin(PermissionRequiredMixin, ServiceFormMixin):
    """A form that changes one user's CRM link through the users service, then shows the list."""

    permission_required = services.CHANGE_USER_PERMISSION
    template_name: str | None = "users/user_crm_form.html"
    success_url = reverse_lazy("users:list")

    @cached_property
    def target(self) -> User:
        """The user whose link is edited; looked up after the permission check."""
        return get_object_or_404(
            User.objects.select_related("crm_account", "crm_contact"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "target": self.target}


class UserCrmAccountView(UserCrmLinkMixin, FormView):
    """Clicking a user's CRM account (or None) on the users page."""

    request: AuthenticatedHttpRequest
    form_class = UserCrmAccountForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "current": self.target.crm_account}

    def get_initial(self) -> dict[str, Any]:
        return {"crm_account": self.target.crm_account_id}

    def perform(self) -> str:
        self.had_contact = self.target.crm_contact
        self.linked = services.user_set_crm_account(
            user=self.target,
            crm_account=self.form.cleaned_data["crm_account"],
            by=self.request.user,
        )
        if self.linked.crm_account:
            return _("%(user)s is now linked to %(account)s.") % {
                "user": self.linked,
                "account": self.linked.crm_account,
            }
        return _("%(user)s is no longer linked to a CRM account.") % {"user": self.linked}

    def follow_ups(self) -> list[tuple[int, StrOrPromise]]:
        if self.had_contact and self.linked.crm_contact is None:
            note = _("%(contact)s is not a contact of that account and was cleared.")
            return [(messages.INFO, note % {"contact": self.had_contact})]
        return []


class UserCrmContactView(UserCrmLinkMixin, FormView):
    """Clicking a user's CRM contact: only contacts of their CRM account are offered."""

    request: AuthenticatedHttpRequest
    form_class = UserCrmContactForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._account_first() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The account may have been unlinked in another tab since the form was shown.
        return self._account_first() or super().post(request, *args, **kwargs)

    def _account_first(self) -> HttpResponse | None:
        if self.target.crm_account_id is not None:
            return None
        messages.warning(
            self.request, _("Choose a CRM account for %(user)s first.") % {"user": self.target}
        )
        return redirect("users:crm_account", pk=self.target.pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.target}

    def get_initial(self) -> dict[str, Any]:
        return {"crm_contact": self.target.crm_contact}

    def perform(self) -> str:
        user = services.user_set_crm_contact(
            user=self.target,
            crm_contact=self.form.cleaned_data["crm_contact"],
            by=self.request.user,
        )
        if user.crm_contact:
            return _("%(user)s's CRM contact is now %(contact)s.") % {
                "user": user,
                "contact": user.crm_contact,
            }
        return _("%(user)s has no CRM contact now.") % {"user": user}


class LogoutPageView(LogoutView):
    """Log out with a POST, as Django asks; a GET (a typed or bookmarked /logout/) shows a page
    with the Log out button instead of an empty 405."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name)


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language keeps the choice in a cookie (which works
    before logging in too); a signed-in user's choice is also kept on the user, so it follows
    them to other browsers."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
