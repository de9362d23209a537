"""Give each relationship type the wiki's one-line definition (seed 001, "Relationship Type").

The wiki's company name ("Logic") is written "us". A description an administrator has changed
since the seed is left alone, both ways; going back restores the earlier seeded words.
"""

from django.db import migrations

# code: (description as seeded by 0003, the wiki's words)
DESCRIPTIONS = {
    "competitor": (
        "Sells or markets competing products as a manufacturer, distributor, reseller or sales channel.",
        "Any account that sells or markets competing products as a manufacturer, distributor, reseller or sales channel.",
    ),
    "consultancy": (
        "Provides services to OEMs and ODMs (system houses, consultants).",
        "Provides services to OEMs and ODMs (system houses, consultants).",
    ),
    "customer": (
        "Has ordered from us now or in the past. Set automatically when an order is created for a prospect.",
        "Has ordered from us now or in the past. Set automatically when an order is created for an account that is a Prospect.",
    ),
    "partner": (
        "Does not purchase from us but helps in sales and/or marketing, or combines products or efforts with us.",
        "Does not purchase from us but helps in sales and/or marketing activities, or we combine products or efforts for sales.",
    ),
    "influencer": (
        "Does not purchase from us but is involved in the sales process.",
        "Does not purchase from us but is involved in the sales process.",
    ),
    "press": ("Marketing contact.", "Marketing contact."),
    "prospect": (
        "A new account that has not ordered from us (yet).",
        "Any new account in the CRM that has not ordered from us (yet).",
    ),
    "reseller": (
        "Purchases products from us and sells them to end customers.",
        "Purchases products from us and sells them to end customers.",
    ),
    "supplier": (
        "A partner whose products we distribute.",
        "A partner of ours whose products we distribute.",
    ),
    "other": (
        "Suppliers or service providers to us, such as cleaning or insurance. Not shown on the map.",
        "Suppliers or service providers to us, such as cleaning, air-conditioning repair, insurance or office supplies. Not shown on the map.",
    ),
    "seller": (
        "One of our own selling entities, chosen as the seller on quotes.",
        "Our own selling entities: the seller on quotes and orders, and the CRM account a user is linked to.",
    ),
}


def _replace(apps, *, old: int, new: int, empty_too: bool) -> None:
    RelationshipType = apps.get_model("accounts", "RelationshipType")
    for code, words in DESCRIPTIONS.items():
        replaced = [words[old], ""] if empty_too else [words[old]]
        RelationshipType.objects.filter(code=code, description__in=replaced).update(
            description=words[new]
        )


def to_wiki_words(apps, schema_editor):
    _replace(apps, old=0, new=1, empty_too=True)


def to_seeded_words(apps, schema_editor):
    _replace(apps, old=1, new=0, empty_too=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_account_credit_hold_reason_and_right")]

    operations = [migrations.RunPython(to_wiki_words, to_seeded_words)]
