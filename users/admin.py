from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin import SafeAdminMixin, ServiceSaveAdminMixin
from common.permissions import authenticated_user
from users import services
from users.models import User

CRM_LINK_FIELDS = ("crm_account", "crm_contact")


@admin.register(User)
class UserAdmin(ServiceSaveAdminMixin, SafeAdminMixin, DjangoUserAdmin):
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
        *(DjangoUserAdmin.fieldsets or ()),
        (
            "CRM",
            {
                "fields": CRM_LINK_FIELDS,
                "description": _(
                    "The seller filled in on this user's quotes. Optional; the "
                    "contact must belong to the CRM account."
                ),
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
        if not change or not any(name in form.changed_data for name in CRM_LINK_FIELDS):
            super().save_model(request, obj, form, change)
            return
        # The CRM link has its own rules and right: the plain save keeps the stored link, and
        # the users service changes it. A refusal rolls both back and is shown on the form
        # (ServiceSaveAdminMixin).
        link = {name: form.cleaned_data[name] for name in CRM_LINK_FIELDS}
        stored = User.objects.only(*CRM_LINK_FIELDS).get(pk=obj.pk)
        obj.crm_account_id, obj.crm_contact_id = stored.crm_account_id, stored.crm_contact_id
        super().save_model(request, obj, form, change)
        services.user_set_crm_link(user=obj, by=authenticated_user(request), **link)
        obj.refresh_from_db(fields=list(CRM_LINK_FIELDS))


# Django's Group admin and django-axes' login records have search boxes too: bound them like
# ours (axes registers its admins only when AXES_ENABLE_ADMIN is on).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SafeAdminMixin, DjangoGroupAdmin):
    pass


for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        _registered = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(_model, type(_registered.__name__, (SafeAdminMixin, _registered), {}))
