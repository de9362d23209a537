"""What every ModelAdmin of ours shares: hostile input gets a message, never a server error."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from common.forms import FiniteDecimalField, add_service_errors, changed_model_values
from common.ids import parse_id
from common.money import money_format
from common.permissions import authenticated_user
from common.search import SEARCH_CUT_MESSAGE, search_bound
from common.typing import AuthUser, StrOrPromise

if TYPE_CHECKING:
    # The mixins below extend ModelAdmin; mypy checks them as the subclasses they will be part of.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object

UNKNOWN_SELECTION = _("The selection named rows that do not exist: nothing was done.")


def _is_row_id(field: models.Field | None, value: Any) -> bool:
    """Whether a posted value can name a row by this field (an integer id, for ours)."""
    if isinstance(field, models.IntegerField | models.AutoField):
        return parse_id(value) is not None
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django redraws the chosen option by querying `id__in` with the posted value: "x" raised
    ValueError and a 20-digit id overflowed SQLite. Values no row can have are left out."""

    # The stubs give every widget Widget.format_value's str; Django's select widgets return a list.
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        to_field = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        return [v for v in super().format_value(value) if _is_row_id(to_field, v)]


class BoundedChangeList(ChangeList):
    def get_filters(self, request: HttpRequest) -> Any:
        # The date hierarchy builds datetime(year, ...) from the URL: a year past 9999 raises
        # OverflowError, which Django does not expect. Treat it as the bad filter it is.
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SafeAdminMixin(_ModelAdminBase):
    """Bounded search, finite decimals and a date hierarchy that survives any year."""

    formfield_overrides: ClassVar[Mapping[type[models.Field], Mapping[str, Any]]] = {
        models.DecimalField: {"form_class": FiniteDecimalField}
    }

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedChangeList

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        # Django filters pk__in with the posted selection as it is: "x" raised ValueError.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        pk = self.model._meta.pk
        if not all(_is_row_id(pk, value) for value in selected):
            self.message_user(request, UNKNOWN_SELECTION, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        bounded = search_bound(search_term)
        if bounded.cut and not _is_autocomplete(request):
            self.message_user(request, SEARCH_CUT_MESSAGE, messages.WARNING)
        return super().get_search_results(request, queryset, bounded.text)


def _is_autocomplete(request: HttpRequest) -> bool:
    # The autocomplete answers JSON: a message would wait for the next page instead.
    match = request.resolver_match
    return bool(match and match.url_name == "autocomplete")


class SafeModelAdmin(SafeAdminMixin, admin.ModelAdmin):
    pass


class NoAddOrDeleteMixin:
    """Rows made and kept by the services: the admin neither adds nor deletes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdminMixin(NoAddOrDeleteMixin):
    """A record of what happened: read only."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceSaveAdminMixin(_ModelAdminBase):
    """A service that refuses while the admin saves shows the form again with its reason.

    The forms check what they can; a rule only the service knows, or a change someone made
    meanwhile, can still refuse in `save_model` or an inline formset's save hooks. Django runs the
    whole save in one transaction, so the refusal rolls it back; the page is then drawn again
    from the same post, with the reason on the form and everything typed kept. Inline formsets
    that save through services (`ServiceInlineFormSet`) get the user.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as refusal:
            if request.method != "POST" or hasattr(request, "service_refusal"):
                raise
            # A mark of our own on this one request, read back by get_form below.
            request.service_refusal = refusal  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form_class

        # mypy cannot check a subclass of a class made at run time (by modelform_factory).
        class RefusedForm(form_class):  # type: ignore[valid-type, misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if isinstance(refusal, PermissionDenied):
                    self.add_error(None, str(refusal))
                elif isinstance(refusal, ValidationError):
                    add_service_errors(self, refusal)

        return RefusedForm

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        # The inline formsets' save hooks call services, which need the user.
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, ServiceInlineFormSet):
            kwargs["user"] = authenticated_user(request)
        return kwargs


class ServiceInlineFormSet(BaseInlineFormSet):
    """Inline rows saved through a service, by the formset's own hooks as Django intends.

    The admin hands in the user (`ServiceSaveAdminMixin.get_formset_kwargs`). A refusal names
    the row, so it can be shown on the parent's form.
    """

    def __init__(self, *args: Any, user: AuthUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def save_row(self, *, row: Any, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete_row(self, *, row: Any) -> None:
        raise NotImplementedError

    def save_new(self, form: ModelForm, commit: bool = True) -> Any:
        if not commit:
            return super().save_new(form, commit=False)
        setattr(form.instance, self.fk.name, self.instance)
        return self._refused_as_row(form.instance, self.save_row, fields=self._fields(form))

    def save_existing(self, form: ModelForm, obj: Any, commit: bool = True) -> Any:
        if not commit:
            return super().save_existing(form, obj, commit=False)
        return self._refused_as_row(obj, self.save_row, fields=self._fields(form))

    def delete_existing(self, obj: Any, commit: bool = True) -> None:
        if commit:
            self._refused_as_row(obj, self.delete_row)

    def _fields(self, form: ModelForm) -> dict[str, Any]:
        pk = self.model._meta.pk
        assert pk is not None  # every concrete model has a primary key
        return changed_model_values(form, exclude=(self.fk.name, pk.name))

    def _refused_as_row(self, row: Any, act: Any, **kwargs: Any) -> Any:
        try:
            return act(row=row, **kwargs)
        except ValidationError as error:
            what = f"{row._meta.verbose_name.capitalize()} {row}"
            raise ValidationError([f"{what}: {message}" for message in error.messages]) from error


def money_column(field: str, description: StrOrPromise) -> Callable[[Any, Any], str]:
    """A change list column showing an amount the way every page does (common.money); set it
    as an attribute of the ModelAdmin and name that in list_display."""

    @admin.display(description=description, ordering=field)
    def column(modeladmin: Any, row: Any) -> str:
        return money_format(getattr(row, field))

    return column
