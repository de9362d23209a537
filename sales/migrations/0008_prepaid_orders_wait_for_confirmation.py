"""Accounting confirms prepayments; the prepaid orders accepted on the tick alone wait for it.

Before, ticking "prepaid" accepted an order at once, even for an account on credit hold. An order
accepted that way and not yet invoiced now waits for Accounting to confirm the money was received,
as every new prepaid order does; going back restores them as accepted. Accounting's right to
confirm prepayments is given by `users.roles` after the migrate, with every other role's rights.
"""

from django.db import migrations

WAITING_NOTE = (
    "Waiting for Accounting to confirm the prepayment: this order was accepted on the prepaid "
    "tick alone, before a prepayment needed Accounting's confirmation."
)


def hold(apps, schema_editor):
    Order = apps.get_model("sales", "Order")
    unconfirmed = Order.objects.filter(
        status="accepted", prepaid=True, prepayment_confirmed_at__isnull=True
    )
    for order in unconfirmed:
        order.status = "awaiting_prepayment"
        order.credit_reason = f"{WAITING_NOTE} Before: {order.credit_reason}"
        order.save(update_fields=["status", "credit_reason"])


def release(apps, schema_editor):
    Order = apps.get_model("sales", "Order")
    for order in Order.objects.filter(
        status="awaiting_prepayment", credit_reason__startswith=WAITING_NOTE
    ):
        order.status = "accepted"
        order.credit_reason = order.credit_reason.removeprefix(f"{WAITING_NOTE} Before: ")
        order.save(update_fields=["status", "credit_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_order_prepayment_confirmation"),
        ("sales", "0002_grant_role_permissions"),
    ]

    operations = [migrations.RunPython(hold, release)]
