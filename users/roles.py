"""The role groups and their rights: the one place that says which group may do what.

Applied after every `migrate` (and every test-database flush) by `sync_role_groups`, connected to
Django's `post_migrate` in `users.apps`, the hook Django itself uses to create permissions. A
fresh database and an old one end up with exactly these rights; a right added to a group in the
admin is taken away again at the next migrate, so a change belongs here.
"""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

SALES, ACCOUNTING, MANAGEMENT = "Sales", "Accounting", "Management"

# Every role reads accounts and sales documents.
_READ = (
    "accounts.view_account",
    "accounts.view_contact",
    "accounts.view_address",
    "accounts.view_accountchange",
    "accounts.view_relationshiptype",
    "accounts.view_industry",
    "sales.view_quote",
    "sales.view_order",
    "sales.view_invoice",
    "sales.view_approval",
    "activities.view_activity",
)
# Writing down what happened with an account and what comes next (who may change or delete one
# activity is activities.services' rule: its author or an administrator).
_WRITE_ACTIVITIES = (
    "activities.add_activity",
    "activities.change_activity",
    "activities.delete_activity",
)

ROLES: dict[str, frozenset[str]] = {
    # Creates and edits accounts, contacts and addresses; writes quotes, enters and cancels
    # orders (the credit check decides).
    SALES: frozenset(
        {
            *_READ,
            "accounts.add_account",
            "accounts.change_account",
            "accounts.change_account_owner",
            "accounts.add_contact",
            "accounts.change_contact",
            "accounts.delete_contact",
            "accounts.add_address",
            "accounts.change_address",
            "accounts.delete_address",
            "sales.add_quote",
            "sales.change_quote",
            "sales.add_order",
            "sales.change_order",
            *_WRITE_ACTIVITIES,
        }
    ),
    # Edits accounts with their credit limit; sets or lifts a credit hold; makes an account
    # inactive or active again; confirms prepayments, invoices accepted orders and records
    # payments.
    ACCOUNTING: frozenset(
        {
            *_READ,
            "accounts.change_account",
            "accounts.change_account_credit",
            "accounts.change_credit_hold",
            "accounts.change_account_active",
            "sales.confirm_prepayment",
            "sales.add_invoice",
            "sales.mark_invoice_paid",
        }
    ),
    # Approves or rejects orders above the credit limit; sets or lifts a credit hold (the seed:
    # "our accounting department or management can set this attribute"), never the limit.
    # Management also says who owns an account and, with Accounting, when an account stops
    # trading (made inactive) or trades again.
    MANAGEMENT: frozenset(
        {
            *_READ,
            "sales.approve_order",
            "accounts.change_credit_hold",
            "accounts.change_account_owner",
            "accounts.change_account_active",
            *_WRITE_ACTIVITIES,
        }
    ),
}

# Held by no role on purpose, so only superusers have them:
# - "accounts.change_crm4_id": the CRM4 id (IK) names the record an account was imported from.


def sync_role_groups(*, apps: Any = global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and give each exactly the rights in ROLES; safe to run again."""
    # Django creates permissions after each app's migrations; a group needs all of them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return  # auth is not migrated (yet): there is nothing to give rights to.
    wanted = {name for names in ROLES.values() for name in names}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in={name.split(".")[0] for name in wanted})
        .values_list("pk", "content_type__app_label", "codename")
        if f"{app_label}.{codename}" in wanted
    }
    for role, names in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        # A model missing from a partly migrated database has no permission yet: skip it.
        group.permissions.set([by_name[name] for name in sorted(names) if name in by_name])


def sync_role_groups_after_migrate(
    *, apps: Any = global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """The post_migrate receiver (connected for the users app, so it runs once a migrate)."""
    sync_role_groups(apps=apps, using=using)
