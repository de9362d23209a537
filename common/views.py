"""Views that belong to no app (the health check), and the bases every app's views share."""

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View, defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from common.forms import add_service_errors
from common.typing import AuthenticatedHttpRequest, StrOrPromise

if TYPE_CHECKING:
    from django.views.generic import DeleteView
    from django.views.generic.edit import BaseFormView

    # The mixins below are checked as part of the generic views they are mixed into.
    _ViewBase = View
    _FormViewBase = BaseFormView[Any]
    _DeleteViewBase = DeleteView[Any, Any]
else:
    _ViewBase = _FormViewBase = _DeleteViewBase = object

logger = logging.getLogger(__name__)


@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers and feed readers ask for without reading the page's link."""
    return HttpResponseRedirect(static("favicon.svg"))


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. Reads no session, writes nothing."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page, in the reader's language.

    A body with too many fields, or too big, is refused while RefuseNulMiddleware reads the
    form, before LocaleMiddleware has chosen the request's language (`LANGUAGE_CODE`): the
    page would speak whatever the worker's last request spoke. Later, the language chosen
    (the user's own) stands."""
    if hasattr(request, "LANGUAGE_CODE"):
        return defaults.bad_request(request, exception)
    with translation.override(translation.get_language_from_request(request)):
        return defaults.bad_request(request, exception)


class ServiceOutcomeMixin(_ViewBase):
    """What a view that calls one service says once the service is done.

    `perform` calls the service and returns the success message, or None when it said what
    happened itself (a credit decision picks its own level). `follow_ups` are further messages
    shown after it, such as a warning about what was saved.
    """

    def perform(self) -> str | None:
        raise NotImplementedError

    def follow_ups(self) -> list[tuple[int, StrOrPromise]]:
        return []

    def say_done(self, message: str | None) -> None:
        if message:
            messages.success(self.request, message)
        for level, text in self.follow_ups():
            messages.add_message(self.request, level, text)


class ServiceFormMixin(ServiceOutcomeMixin, _FormViewBase):
    """For FormView and UpdateView: a valid form goes to one service (`perform`, which reads
    `self.form`), then a message and a redirect. A refusal is put on the form beside what was
    typed, and nothing is saved."""

    form: BaseForm

    def form_valid(self, form: Any) -> HttpResponse:
        self.form = form
        try:
            message = self.perform()
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        self.say_done(message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceActionView(ServiceOutcomeMixin, PermissionRequiredMixin, View):
    """A button that posts: look the row up, call one service, say what happened, redirect.

    Without a form, a refusal is an error message on the row's page. With `form_class` (a
    decision with a comment, say), the form is checked first and a refusal shows `page_view`,
    the page the button sits on, again with the form's errors and what was typed.
    """

    request: AuthenticatedHttpRequest
    http_method_names = ["post"]
    model: type[models.Model]
    form_class: type[BaseForm] | None = None
    page_view: type[DetailView] | None = None
    form_context_name = "form"
    form: BaseForm | None = None

    def get_object(self) -> Any:
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get_form_kwargs(self) -> dict[str, Any]:
        """What the form needs beside the data posted: as the page built it, so it checks the
        choices it offered."""
        return {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        back = self.object.get_absolute_url()
        if self.form_class is not None:
            self.form = self.form_class(request.POST, **self.get_form_kwargs())
            if not self.form.is_valid():
                return self.form_invalid(self.form)
        try:
            message = self.perform()
        except ValidationError as error:
            if self.form is None:
                messages.error(request, error.messages[0])
                return redirect(back)
            add_service_errors(self.form, error)
            return self.form_invalid(self.form)
        self.say_done(message)
        return redirect(self.get_success_url())

    def form_invalid(self, form: BaseForm) -> HttpResponse:
        assert self.page_view is not None, "a view with a form names the page it sits on"
        view = self.page_view(request=self.request, args=self.args, kwargs=self.kwargs)
        view.object = view.get_object()
        context = view.get_context_data(object=view.object, **{self.form_context_name: form})
        return render(self.request, view.get_template_names(), context)


class ConfirmDeleteMixin(_DeleteViewBase):
    """One confirmation page for every removal, saying what else goes and where "No" leads."""

    template_name: str | None = "confirm_delete.html"
    consequence: StrOrPromise = _("This cannot be undone.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "consequence": self.consequence,
            "cancel_url": self.object.get_absolute_url(),
            "delete_panels": settings.CONFIRM_DELETE_PANELS.get(self.object._meta.label_lower, []),
        }
