from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCOUNT_VIEW = [
    "accounts.view_account",
    "accounts.view_contact",
    "accounts.view_address",
    "accounts.view_accountchange",
    "accounts.view_relationshiptype",
    "accounts.view_industry",
]
ROLES = {
    "Sales": ACCOUNT_VIEW
    + [
        "accounts.add_account",
        "accounts.change_account",
        "accounts.add_contact",
        "accounts.change_contact",
        "accounts.delete_contact",
        "accounts.add_address",
        "accounts.change_address",
        "accounts.delete_address",
    ],
    "Accounting": ACCOUNT_VIEW + ["accounts.change_account", "accounts.change_account_credit"],
    "Management": ACCOUNT_VIEW,
}


def create_groups(apps, schema_editor):
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


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
