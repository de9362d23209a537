from django.contrib import admin

from activities.models import Activity
from common.admin import ReadOnlyAdminMixin, SafeModelAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    """Every account's activities, deleted ones included, to look things up: read-only.

    Writing, closing and deleting follow rules (the author, the role, the trace a deletion
    leaves) that the account page's forms apply through the services.
    """

    list_display = (
        "occurred_at", "account", "kind", "subject", "created_by", "assigned_to", "done_at",
        "deleted_at",
    )  # fmt: skip
    list_select_related = ("account", "created_by", "assigned_to")
    list_filter = (
        "kind",
        ("done_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("subject", "account__name")
    date_hierarchy = "occurred_at"
    show_full_result_count = False
