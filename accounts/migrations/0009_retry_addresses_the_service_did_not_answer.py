"""Mark for a retry the addresses that failed only because the geocoding service did not answer.

Their messages promised a retry on the next run of geocode_accounts, which now takes the status
"retry". Going back makes them "failed" again.
"""

from django.db import migrations
from django.db.models import Q

SERVICE_FAILURES = Q(geocode_message__startswith="The geocoding service") | Q(
    geocode_message__startswith="Locating this address failed unexpectedly"
)


def to_retry(apps, schema_editor):
    Address = apps.get_model("accounts", "Address")
    Address.objects.filter(SERVICE_FAILURES, kind="visit", geocode_status="failed").update(
        geocode_status="retry"
    )


def to_failed(apps, schema_editor):
    Address = apps.get_model("accounts", "Address")
    Address.objects.filter(geocode_status="retry").update(geocode_status="failed")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_address_geocode_status_retry")]

    operations = [migrations.RunPython(to_retry, to_failed, elidable=True)]
