"""The back office for accounts. Writes that carry rules go through accounts.services."""

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries
from import_export.admin import ImportExportModelAdmin

from accounts import selectors, services
from accounts.models import Account, AccountChange, Address, Contact, Industry, RelationshipType
from accounts.resources import (
    ADMIN_IMPORT_MAX_ROWS,
    AccountImportForm,
    AccountResource,
    FormulaSafeCSV,
)
from common.admin import (
    ReadOnlyAdminMixin,
    SafeAdminMixin,
    SafeModelAdmin,
    ServiceInlineFormSet,
    ServiceSaveAdminMixin,
)
from common.forms import changed_model_values
from common.permissions import authenticated_user

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class AccountCount(TypedDict):
    """What the type and industry lists add to each row: how many accounts have it."""

    account_count: int


# Types the domain rules refer to by code: they can be renamed, never deleted.
PROTECTED_TYPE_CODES = {
    RelationshipType.CUSTOMER,
    RelationshipType.PROSPECT,
    RelationshipType.OTHER,
    RelationshipType.SELLER,
}


class AccountAdminForm(forms.ModelForm):
    """Only "_" industries are offered; an old record keeps the one it has."""

    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Account
        fields = [*services.ACCOUNT_FIELDS, "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "industry" in self.fields:
            industry = cast(forms.ModelChoiceField, self.fields["industry"])  # a foreign key's
            industry.queryset = Industry.objects.offered(keep=self.instance.industry_id)


class AccountAddAdminForm(AccountAdminForm):
    """A new account with its visit address; the mailing address starts as a copy of it."""

    visit_street = Address._meta.get_field("street").formfield(label=gettext_lazy("Street"))
    visit_postal_code = Address._meta.get_field("postal_code").formfield(
        label=gettext_lazy("Postal code")
    )
    visit_city = Address._meta.get_field("city").formfield(label=gettext_lazy("City"))
    visit_country = Address._meta.get_field("country").formfield(label=gettext_lazy("Country"))

    def visit_address(self) -> dict[str, Any]:
        return {part: self.cleaned_data[f"visit_{part}"] for part in services.ADDRESS_FIELDS}


class AddressInlineFormSet(ServiceInlineFormSet):
    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if form.instance.pk and form.instance.is_fixed and "name" in form.fields:
            form.fields["name"].disabled = True  # Visit and Mailing keep their names

    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.is_fixed:
                raise ValidationError(
                    gettext(
                        "The %(address)s cannot be removed: every account keeps its Visit and "
                        "Mailing addresses."
                    )
                    % {"address": form.instance.get_kind_display().lower()}
                )

    def save_row(self, *, row: Address, fields: dict[str, Any]) -> Address:
        return services.address_save(address=row, user=self.user, fields=fields)

    def delete_row(self, *, row: Address) -> None:
        services.address_delete(address=row, user=self.user)


class ContactInlineFormSet(ServiceInlineFormSet):
    def save_row(self, *, row: Contact, fields: dict[str, Any]) -> Contact:
        return services.contact_save(contact=row, user=self.user, fields=fields)

    def delete_row(self, *, row: Contact) -> None:
        services.contact_delete(contact=row, user=self.user)


class AddressInline(admin.TabularInline):
    model = Address
    formset = AddressInlineFormSet
    fields = ("kind", "name", "street", "postal_code", "city", "country", "geocode_status")
    readonly_fields = ("kind", "geocode_status")
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    formset = ContactInlineFormSet
    fields = ("first_name", "last_name", "job_title", "email", "phone", "mobile", "is_primary")
    readonly_fields = ("is_primary",)
    extra = 0


class VisitCountryFilter(admin.SimpleListFilter):
    title = gettext_lazy("country")
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        codes = (
            Account.objects.exclude(listing_country="")
            .order_by("listing_country")
            .values_list("listing_country", flat=True)
            .distinct()
        )
        return [(code, countries.name(code)) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Account]) -> QuerySet[Account]:
        return queryset.filter(listing_country=self.value()) if self.value() else queryset


@admin.register(Account)
class AccountAdmin(ServiceSaveAdminMixin, SafeAdminMixin, ImportExportModelAdmin):
    form = AccountAdminForm
    add_form = AccountAddAdminForm
    resource_classes = [AccountResource]
    import_formats = [FormulaSafeCSV]
    export_formats = [FormulaSafeCSV]
    import_form_class = AccountImportForm
    import_template_name = "admin/accounts/account/import.html"
    list_display = (
        "name",
        "relationship_type",
        "industry",
        "business_unit",
        "parent",
        "visit_city",
        "visit_country",
        "credit_limit",
        "credit_hold",
        "crm4_id",
        "owner",
        "is_active",
    )
    list_select_related = ("relationship_type", "industry", "parent", "owner")
    list_filter = (
        "relationship_type",
        "industry",
        VisitCountryFilter,
        "credit_hold",
        "is_active",
        ("owner", admin.RelatedOnlyFieldListFilter),
    )
    # Searched as the account list searches (get_search_results); a non-empty tuple shows the box.
    search_fields = ("listing_search",)
    search_help_text = gettext_lazy("Name, email, CRM4 id or city of the visit address.")
    autocomplete_fields = ("parent",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (AddressInline, ContactInline)
    ordering = ("name", "id")
    list_per_page = 50
    # An exact count of a million accounts costs more than the page itself.
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("name", "relationship_type", "industry", "email", "phone", "website")}),
        (gettext_lazy("Hierarchy"), {"fields": ("business_unit", "parent")}),
        (gettext_lazy("Credit"), {"fields": ("credit_limit", "credit_hold", "credit_hold_reason")}),
        ("CRM4", {"fields": ("crm4_id",)}),
        (gettext_lazy("Owner and status"), {"fields": ("owner", "is_active")}),
        (gettext_lazy("Record"), {"fields": ("created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"fields": ("name", "relationship_type", "industry", "email", "phone", "website")}),
        (gettext_lazy("Hierarchy"), {"fields": ("business_unit", "parent")}),
        (gettext_lazy("Credit"), {"fields": ("credit_limit", "credit_hold", "credit_hold_reason")}),
        ("CRM4", {"fields": ("crm4_id",)}),
        (gettext_lazy("Owner"), {"fields": ("owner",)}),
        (
            gettext_lazy("Visit address"),
            {
                "fields": ("visit_street", "visit_postal_code", "visit_city", "visit_country"),
                "description": gettext_lazy(
                    "The mailing address starts as a copy; change it afterwards."
                ),
            },
        ),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Account], search_term: str
    ) -> tuple[QuerySet[Account], bool]:
        # The mixin's call bounds the search and says so; the list's search column answers it.
        super().get_search_results(request, queryset, search_term)
        return selectors.account_search(queryset, search_term), False

    @admin.display(description=gettext_lazy("City"), ordering="listing_city")
    def visit_city(self, account: Account) -> str:
        return account.listing_city

    @admin.display(description=gettext_lazy("Country"), ordering="listing_country")
    def visit_country(self, account: Account) -> str:
        return account.listing_country.name

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = {**super().get_changeform_initial_data(request)}
        new_type = RelationshipType.objects.for_new_account()
        if new_type is not None:
            initial.setdefault("relationship_type", new_type.pk)
        return initial

    def get_fieldsets(self, request: HttpRequest, obj: Account | None = None) -> Any:
        return self.fieldsets if obj else self.add_fieldsets

    def get_form(
        self, request: HttpRequest, obj: Account | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Account | None) -> Any:
        # A new account gets its Visit and Mailing addresses from the service.
        return self.inlines if obj else (ContactInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Account | None = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        readonly += [
            name
            for name in services.CREDIT_FIELDS
            if not request.user.has_perm(services.CREDIT_FIELD_PERMISSIONS[name])
        ]
        if not services.user_can_change_crm4_id(request.user):
            readonly.append("crm4_id")
        if not request.user.has_perm(services.OWNER_PERMISSION):
            readonly.append("owner")
        if not request.user.has_perm(services.ACTIVE_PERMISSION):
            readonly.append("is_active")
        return readonly

    def save_model(
        self, request: HttpRequest, obj: Account, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            services.account_update(
                account=obj, user=authenticated_user(request), fields=changed_model_values(form)
            )
            return
        account_fields = {f.name for f in Account._meta.fields}
        fields = {k: v for k, v in form.cleaned_data.items() if k in account_fields}
        assert isinstance(form, AccountAddAdminForm)  # a new account's form (get_form)
        visit = form.visit_address()
        account = services.account_create(
            user=authenticated_user(request),
            fields=fields,
            visit_address=visit,
            mailing_address=visit,
        )
        # Django saves the inlines against its own instance (formset.instance): make it the
        # created row.
        obj.pk, obj.name_key = account.pk, account.name_key

    def delete_model(self, request: HttpRequest, obj: Account) -> None:
        services.account_delete(account=obj, user=authenticated_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        for account in queryset:
            services.account_delete(account=account, user=authenticated_user(request))

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import adds and changes accounts, so it needs both rights.
        return request.user.has_perms(["accounts.add_account", "accounts.change_account"])

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.view_account")

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # The confirmed import is all or nothing too, should the data change after the preview.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_import_context_data(**kwargs),
            "import_max_rows": ADMIN_IMPORT_MAX_ROWS,
        }

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        super().add_success_message(result, request)
        imported = [row.object_id for row in result.rows if row.is_new() or row.is_update()]
        # The import leaves new and changed visit addresses pending (accounts/resources.py);
        # a file that changed none says nothing of them.
        waiting = Address.objects.filter(
            account_id__in=imported,
            kind=Address.Kind.VISIT,
            geocode_status=Address.GeocodeStatus.PENDING,
        )
        if imported and waiting.exists():
            # Said as the command says it: an administrator can run it (or its schedule will).
            messages.warning(
                request,
                gettext(
                    "The imported visit addresses are not located yet: run manage.py "
                    "geocode_accounts to place them on the map."
                ),
            )


@admin.register(RelationshipType)
class RelationshipTypeAdmin(SafeModelAdmin):
    list_display = ("name", "code", "description", "account_count")
    search_fields = ("name", "code")
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RelationshipType]:
        return super().get_queryset(request).annotate(account_count=Count("account"))

    @admin.display(description=gettext_lazy("Accounts"), ordering="account_count")
    def account_count(self, obj: "WithAnnotations[RelationshipType, AccountCount]") -> int:
        return obj.account_count

    def get_readonly_fields(self, request: HttpRequest, obj: RelationshipType | None = None) -> Any:
        # Domain rules refer to a type by its code, so a code never changes once made.
        return ("code",) if obj else ()

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: RelationshipType | None = None
    ) -> dict:
        return {} if obj else {"code": ("name",)}

    def save_model(
        self, request: HttpRequest, obj: RelationshipType, form: Any, change: bool
    ) -> None:
        services.relationship_type_save(relationship_type=obj, user=authenticated_user(request))

    def has_delete_permission(
        self, request: HttpRequest, obj: RelationshipType | None = None
    ) -> bool:
        if obj is not None and obj.code in PROTECTED_TYPE_CODES:
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        # Django would answer 403, which reads as a role the administrator lacks.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.code in PROTECTED_TYPE_CODES:
            message = gettext(
                "“%(name)s” is built in: new accounts, first orders, the map or the sellers "
                "depend on it, so it cannot be deleted. Rename it instead."
            )
            self.message_user(request, message % {"name": obj.name}, messages.ERROR)
            return redirect(reverse("admin:accounts_relationshiptype_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(Industry)
class IndustryAdmin(SafeModelAdmin):
    list_display = ("name", "offered", "account_count")
    search_fields = ("name",)
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Industry]:
        return super().get_queryset(request).annotate(account_count=Count("account"))

    def save_model(self, request: HttpRequest, obj: Industry, form: Any, change: bool) -> None:
        services.industry_save(industry=obj, user=authenticated_user(request))

    @admin.display(description=gettext_lazy("Offered on forms"), boolean=True)
    def offered(self, obj: Industry) -> bool:
        return obj.name.startswith("_")

    @admin.display(description=gettext_lazy("Accounts"), ordering="account_count")
    def account_count(self, obj: "WithAnnotations[Industry, AccountCount]") -> int:
        return obj.account_count


@admin.register(AccountChange)
class AccountChangeAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    """The credit history, as recorded by the services: read-only."""

    list_display = ("changed_at", "account", "field", "old", "new", "changed_by")
    list_select_related = ("account", "changed_by")
    list_filter = ("field",)
    search_fields = ("account__name",)
    show_full_result_count = False

    # Amounts with their currency and Yes/No translated, as on the account page.
    @admin.display(description=gettext_lazy("old value"))
    def old(self, change: AccountChange) -> str:
        return change.old_display()

    @admin.display(description=gettext_lazy("new value"))
    def new(self, change: AccountChange) -> str:
        return change.new_display()


@admin.register(Contact)
class ContactAdmin(ServiceSaveAdminMixin, SafeModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "account",
        "job_title",
        "email",
        "phone",
        "is_primary",
    )
    list_select_related = ("account",)
    search_fields = ("last_name", "first_name", "email", "account__name")
    autocomplete_fields = ("account",)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Contact | None = None) -> Any:
        # A contact stays with the account it was created for. The primary contact is chosen on
        # the account page, where the service keeps one per account.
        return ("account", "is_primary") if obj else ("is_primary",)

    def save_model(
        self, request: HttpRequest, obj: Contact, form: forms.ModelForm, change: bool
    ) -> None:
        services.contact_save(
            contact=obj,
            user=authenticated_user(request),
            fields=changed_model_values(form, exclude=("account",)),
        )

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        services.contact_delete(contact=obj, user=authenticated_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        for contact in queryset:
            services.contact_delete(contact=contact, user=authenticated_user(request))


@admin.register(Address)
class AddressAdmin(ServiceSaveAdminMixin, SafeModelAdmin):
    list_display = ("account", "name", "kind", "street", "postal_code", "city", "country")
    list_select_related = ("account",)
    list_filter = ("kind", "geocode_status")
    search_fields = ("account__name", "street", "postal_code", "city")
    autocomplete_fields = ("account",)
    show_full_result_count = False
    fields = (
        "account",
        "kind",
        "name",
        "street",
        "postal_code",
        "city",
        "country",
        "latitude",
        "longitude",
        "geocode_status",
        "geocode_message",
        "geocoded_at",
    )
    # Coordinates come from the geocoder; a new address here is always a further named one.
    geocode_fields = services.GEOCODE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Address | None = None) -> Any:
        if obj is None:
            return ("kind", *self.geocode_fields)
        fixed_name = ("name",) if obj.is_fixed else ()
        return ("account", "kind", *fixed_name, *self.geocode_fields)

    def save_model(
        self, request: HttpRequest, obj: Address, form: forms.ModelForm, change: bool
    ) -> None:
        services.address_save(
            address=obj,
            user=authenticated_user(request),
            fields=changed_model_values(form, exclude=("account",)),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Address | None = None) -> bool:
        if obj is not None and obj.is_fixed:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Address) -> None:
        services.address_delete(address=obj, user=authenticated_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Address]) -> None:
        # Django refuses a selection holding a Visit or Mailing address (has_delete_permission).
        for address in queryset:
            services.address_delete(address=address, user=authenticated_user(request))
