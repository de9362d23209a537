from django.db import migrations

# The types of the old CRM, plus Seller for our own selling entities.
TYPES = [
    ("competitor", "Competitor", "Sells or markets competing products as a manufacturer, distributor, reseller or sales channel."),
    ("consultancy", "Consultancy", "Provides services to OEMs and ODMs (system houses, consultants)."),
    ("customer", "Customer", "Has ordered from us now or in the past. Set automatically when an order is created for a prospect."),
    ("partner", "Partner", "Does not purchase from us but helps in sales and/or marketing, or combines products or efforts with us."),
    ("influencer", "Influencer", "Does not purchase from us but is involved in the sales process."),
    ("press", "Press", "Marketing contact."),
    ("prospect", "Prospect", "A new account that has not ordered from us (yet)."),
    ("reseller", "Reseller", "Purchases products from us and sells them to end customers."),
    ("supplier", "Supplier", "A partner whose products we distribute."),
    ("other", "Other", "Suppliers or service providers to us, such as cleaning or insurance. Not shown on the map."),
    ("seller", "Seller", "One of our own selling entities, chosen as the seller on quotes."),
]


def add_types(apps, schema_editor):
    RelationshipType = apps.get_model("accounts", "RelationshipType")
    for code, name, description in TYPES:
        RelationshipType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )


def remove_types(apps, schema_editor):
    RelationshipType = apps.get_model("accounts", "RelationshipType")
    RelationshipType.objects.filter(code__in=[code for code, _, _ in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_relations")]

    operations = [migrations.RunPython(add_types, remove_types)]
