"""A geocoding message is stored in English and translated where it is shown; three of them
named the city or country, so no translation matched them and Dutch pages showed English.
They now name nothing variable: rewrite the ones stored.

The texts are copied here as this release writes them (maps.geocoders), so a later change there
does not change what this migration did.
"""

from django.db import migrations

# (the start and end of the old text, the new text)
REWRITES = [
    (
        "Placed at the centre of ",
        " (the offline geocoder knows cities, not streets).",
        "Placed at the centre of its city (the offline geocoder knows cities, not streets).",
    ),
    (
        "No match for this city in ",
        ": check the city and country.",
        "No match for this city in this country: check the city and country.",
    ),
    (
        "No match for this address in ",
        ": check the street, postal code, city and country.",
        "No match for this address: check the street, postal code, city and country.",
    ),
]


def rewrite_messages(apps, schema_editor):
    Address = apps.get_model("accounts", "Address")
    for start, end, new in REWRITES:
        Address.objects.filter(
            geocode_message__startswith=start, geocode_message__endswith=end
        ).exclude(geocode_message=new).update(geocode_message=new)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0028_contact_search_phone_digits")]

    operations = [migrations.RunPython(rewrite_messages, migrations.RunPython.noop)]
