from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from users import services
from users.models import User

CRM_LINK_FIELDS = ("crm_account", "crm_contact")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "crm_account",
        "crm_contact",
        "is_staff",
        "is_active",
    )
    list_select_related = CRM_LINK_FIELDS
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "email", "first_name", "last_name", "crm_account__name")
    autocomplete_fields = CRM_LINK_FIELDS
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "CRM",
            {
                "fields": CRM_LINK_FIELDS,
                "description": "The seller filled in on this user's quotes. Optional; the "
                "contact must belong to the CRM account.",
            },
        ),
    )
    # People sign in with their email too, so ask for it when the user is made.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def save_model(
        self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool
    ) -> None:
        changed = [name for name in CRM_LINK_FIELDS if name in form.changed_data]
        if not change or not changed:
            super().save_model(request, obj, form, change)
            return
        # The CRM link has its own rules (a new account drops a contact of the old one): keep
        # the stored link for the plain save and let the services change it.
        new = {name: form.cleaned_data[name] for name in CRM_LINK_FIELDS}
        stored = User.objects.only(*CRM_LINK_FIELDS).get(pk=obj.pk)
        obj.crm_account_id, obj.crm_contact_id = stored.crm_account_id, stored.crm_contact_id
        super().save_model(request, obj, form, change)
        if "crm_account" in changed:
            services.user_set_crm_account(user=obj, crm_account=new["crm_account"], by=request.user)
        if "crm_contact" in changed:
            services.user_set_crm_contact(user=obj, crm_contact=new["crm_contact"], by=request.user)
        obj.refresh_from_db(fields=list(CRM_LINK_FIELDS))
