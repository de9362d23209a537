"""Copy the seller contact and the addresses as text onto the documents issued so far.

Orders and the quotes no longer drafts get the text of the parties they point at now: the best
record of what they were issued with. Going back leaves the text behind, unused.
"""

from django.db import migrations

BATCH = 2000


def _contact_text(contact):
    return f"{contact.first_name} {contact.last_name}".strip()


def _address_text(address):
    # As Address.__str__ printed it then (by the stored name); the historical model has no
    # methods.
    parts = [
        address.street,
        f"{address.postal_code} {address.city}".strip(),
        address.country.name if address.country else "",
    ]
    line = ", ".join(part for part in parts if part)
    return f"{address.name}: {line}" if line else address.name


def _copy(queryset):
    batch = []
    related = ("seller_contact", "invoice_address", "delivery_address")
    for document in queryset.select_related(*related).iterator(chunk_size=BATCH):
        if document.seller_contact is not None:
            document.seller_contact_name = _contact_text(document.seller_contact)
        if document.invoice_address is not None:
            document.invoice_address_text = _address_text(document.invoice_address)
        if document.delivery_address is not None:
            document.delivery_address_text = _address_text(document.delivery_address)
        batch.append(document)
        if len(batch) == BATCH:
            _save(queryset.model, batch)
            batch = []
    _save(queryset.model, batch)


def _save(model, documents):
    model.objects.bulk_update(
        documents, ["seller_contact_name", "invoice_address_text", "delivery_address_text"]
    )


def copy_parties(apps, schema_editor):
    _copy(apps.get_model("sales", "Order").objects.all())
    _copy(apps.get_model("sales", "Quote").objects.exclude(status="draft"))


class Migration(migrations.Migration):
    dependencies = [("sales", "0005_document_keeps_parties_as_issued")]

    operations = [migrations.RunPython(copy_parties, migrations.RunPython.noop, elidable=True)]
