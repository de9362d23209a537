"""Accounting confirms prepayments; the prepaid orders accepted on the tick alone wait for it.

Before, ticking "prepaid" accepted an order at once, even for an account on credit hold. An order
accepted that way and not yet invoiced now waits for Accounting to confirm the money was received,
as every new prepaid order does; going back restores them as accepted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = ("sales", "confirm_prepayment")
WAITING_NOTE = (
    "Waiting for Accounting to confirm the prepayment: this order was accepted on the prepaid "
    "tick alone, before a prepayment needed Accounting's confirmation."
)


def grant_and_hold(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs this one now.
    app_config = apps.get_app_config("sales")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label=PERMISSION[0], codename=PERMISSION[1]
    )
    group, _ = Group.objects.get_or_create(name="Accounting")
    group.permissions.add(permission)
    Order = apps.get_model("sales", "Order")
    unconfirmed = Order.objects.filter(
        status="accepted", prepaid=True, prepayment_confirmed_at__isnull=True
    )
    for order in unconfirmed:
        order.status = "awaiting_prepayment"
        order.credit_reason = f"{WAITING_NOTE} Before: {order.credit_reason}"
        order.save(update_fields=["status", "credit_reason"])


def release_and_revoke(apps, schema_editor):
    Order = apps.get_model("sales", "Order")
    for order in Order.objects.filter(
        status="awaiting_prepayment", credit_reason__startswith=WAITING_NOTE
    ):
        order.status = "accepted"
        order.credit_reason = order.credit_reason.removeprefix(f"{WAITING_NOTE} Before: ")
        order.save(update_fields=["status", "credit_reason"])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Accounting").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=PERMISSION[0], codename=PERMISSION[1]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_order_prepayment_confirmation"),
        ("sales", "0002_grant_role_permissions"),
    ]

    operations = [migrations.RunPython(grant_and_hold, release_and_revoke)]
