from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView

from common.forms import add_service_errors
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


class UserCrmLinkMixin(PermissionRequiredMixin):
    permission_required = services.CHANGE_USER_PERMISSION
    template_name = "users/user_crm_form.html"

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

    form_class = UserCrmAccountForm

    def get_initial(self) -> dict[str, Any]:
        return {"crm_account": self.target.crm_account}

    def form_valid(self, form: UserCrmAccountForm) -> HttpResponse:
        had_contact = self.target.crm_contact
        try:
            user = services.user_set_crm_account(
                user=self.target, crm_account=form.cleaned_data["crm_account"], by=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if user.crm_account:
            messages.success(self.request, f"{user} is now linked to {user.crm_account}.")
        else:
            messages.success(self.request, f"{user} is no longer linked to a CRM account.")
        if had_contact and user.crm_contact is None:
            messages.info(
                self.request, f"{had_contact} is not a contact of that account and was cleared."
            )
        return redirect("users:list")


class UserCrmContactView(UserCrmLinkMixin, FormView):
    """Clicking a user's CRM contact: only contacts of their CRM account are offered."""

    form_class = UserCrmContactForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._account_first() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The account may have been unlinked in another tab since the form was shown.
        return self._account_first() or super().post(request, *args, **kwargs)

    def _account_first(self) -> HttpResponse | None:
        if self.target.crm_account_id is not None:
            return None
        messages.warning(self.request, f"Choose a CRM account for {self.target} first.")
        return redirect("users:crm_account", pk=self.target.pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.target}

    def get_initial(self) -> dict[str, Any]:
        return {"crm_contact": self.target.crm_contact}

    def form_valid(self, form: UserCrmContactForm) -> HttpResponse:
        try:
            user = services.user_set_crm_contact(
                user=self.target, crm_contact=form.cleaned_data["crm_contact"], by=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if user.crm_contact:
            messages.success(self.request, f"{user}'s CRM contact is now {user.crm_contact}.")
        else:
            messages.success(self.request, f"{user} has no CRM contact now.")
        return redirect("users:list")
