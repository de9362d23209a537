from django.contrib.auth.management import create_permissions
from django.db import migrations

SALES_VIEW = ["sales.view_quote", "sales.view_order", "sales.view_invoice", "sales.view_approval"]
ROLES = {
    # Sales writes quotes and enters orders (the credit check decides), and cancels them.
    "Sales": SALES_VIEW
    + ["sales.add_quote", "sales.change_quote", "sales.add_order", "sales.change_order"],
    # Accounting invoices accepted orders and records payments.
    "Accounting": SALES_VIEW + ["sales.add_invoice", "sales.mark_invoice_paid"],
    # Management approves or rejects orders above the credit limit.
    "Management": SALES_VIEW + ["sales.approve_order"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("users", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
