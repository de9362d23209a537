"""Fill a bench database with N realistic accounts, fast.

Rows are generated in Python from a fixed seed and written with COPY on PostgreSQL (secondary
indexes dropped during the load and rebuilt after it, foreign-key triggers off) and with
executemany inside one transaction on SQLite. The ORM is only used for the few reference rows.
"""

import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection, transaction

from accounts.listing import LISTING_FIELDS, listing_values
from accounts.map_index import rebuild_map_index
from accounts.models import (
    Account,
    Address,
    Contact,
    Industry,
    MapCell,
    MapEntry,
    RelationshipType,
    contact_search_words,
    contact_sort_name,
)
from accounts.rules import account_name_key

# Bump when the generated data changes shape, so existing bench databases are rebuilt.
DATA_VERSION = 4

# (city, latitude, longitude, postal code prefix, weight); weights roughly follow population.
CITIES = {
    "NL": [
        ("Amsterdam", 52.370, 4.895, "10", 9), ("Rotterdam", 51.922, 4.479, "30", 7),
        ("Den Haag", 52.078, 4.288, "25", 6), ("Utrecht", 52.091, 5.122, "35", 5),
        ("Eindhoven", 51.441, 5.470, "56", 5), ("Groningen", 53.219, 6.567, "97", 3),
        ("Tilburg", 51.556, 5.091, "50", 3), ("Almere", 52.350, 5.264, "13", 3),
        ("Breda", 51.589, 4.776, "48", 3), ("Nijmegen", 51.843, 5.854, "65", 3),
        ("Apeldoorn", 52.211, 5.970, "73", 2), ("Arnhem", 51.985, 5.899, "68", 2),
        ("Haarlem", 52.387, 4.646, "20", 2), ("Enschede", 52.222, 6.894, "75", 2),
        ("Amersfoort", 52.156, 5.388, "38", 2), ("Zwolle", 52.517, 6.083, "80", 2),
        ("'s-Hertogenbosch", 51.697, 5.304, "52", 2), ("Maastricht", 50.851, 5.691, "62", 2),
        ("Leiden", 52.160, 4.497, "23", 2), ("Dordrecht", 51.813, 4.690, "33", 1),
        ("Helmond", 51.482, 5.661, "57", 1), ("Venlo", 51.370, 6.172, "59", 1),
        ("Veldhoven", 51.418, 5.403, "55", 1), ("Deventer", 52.255, 6.163, "74", 1),
        ("Delft", 52.012, 4.357, "26", 1), ("Leeuwarden", 53.201, 5.800, "89", 1),
    ],
    "BE": [
        ("Antwerpen", 51.219, 4.402, "20", 6), ("Gent", 51.054, 3.717, "90", 4),
        ("Brussel", 50.850, 4.352, "10", 6), ("Charleroi", 50.411, 4.444, "60", 2),
        ("Liège", 50.633, 5.567, "40", 3), ("Brugge", 51.209, 3.224, "80", 2),
        ("Namur", 50.467, 4.867, "50", 1), ("Leuven", 50.880, 4.700, "30", 2),
        ("Mechelen", 51.026, 4.478, "28", 1), ("Aalst", 50.938, 4.039, "93", 1),
        ("Hasselt", 50.931, 5.338, "35", 1), ("Kortrijk", 50.827, 3.265, "85", 1),
        ("Genk", 50.965, 5.500, "36", 1), ("Turnhout", 51.322, 4.944, "23", 1),
        ("Sint-Niklaas", 51.165, 4.144, "91", 1), ("Mons", 50.454, 3.952, "70", 1),
    ],
    "DE": [
        ("Berlin", 52.520, 13.405, "10", 8), ("Hamburg", 53.551, 9.994, "20", 5),
        ("München", 48.137, 11.575, "80", 5), ("Köln", 50.938, 6.960, "50", 4),
        ("Frankfurt am Main", 50.110, 8.682, "60", 3), ("Stuttgart", 48.776, 9.183, "70", 3),
        ("Düsseldorf", 51.227, 6.774, "40", 3), ("Dortmund", 51.514, 7.468, "44", 2),
        ("Essen", 51.456, 7.012, "45", 2), ("Leipzig", 51.340, 12.375, "04", 2),
        ("Bremen", 53.079, 8.802, "28", 2), ("Dresden", 51.050, 13.738, "01", 2),
        ("Hannover", 52.376, 9.732, "30", 2), ("Nürnberg", 49.452, 11.077, "90", 2),
        ("Duisburg", 51.435, 6.763, "47", 1), ("Bochum", 51.482, 7.216, "44", 1),
        ("Aachen", 50.776, 6.084, "52", 1), ("Münster", 51.961, 7.626, "48", 1),
        ("Mönchengladbach", 51.186, 6.442, "41", 1), ("Krefeld", 51.339, 6.586, "47", 1),
        ("Bielefeld", 52.021, 8.532, "33", 1), ("Bonn", 50.737, 7.098, "53", 1),
    ],
}  # fmt: skip
COUNTRY_WEIGHTS = {"NL": 50, "BE": 20, "DE": 30}

SURNAMES = {
    "NL": "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|"
    "Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|"
    "Kok|Jacobs|de Haan|Vermeulen|van Dijk|Schouten|Willems|Hoekstra|Koster|Prins|Kuipers|Huisman",
    "BE": "Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Wouters|De Smet|Dubois|"
    "Lambert|Dupont|Martin|Hermans|Aerts|Desmet|Lemmens|Michiels|Van Damme|Verhoeven|Leroy",
    "DE": "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|"
    "Koch|Bauer|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hartmann",
}
TRADES = {
    "NL": "Bouw|Bouwbedrijf|Installatietechniek|Metaalbewerking|Logistiek|Transport|Handel|"
    "Techniek|Automatisering|Schildersbedrijf|Elektrotechniek|Groep|Bouwmaterialen|Advies|"
    "Machinebouw|Kunststoffen|Verpakkingen|Staalbouw|Software|Engineering|Vastgoed|Uitzendbureau",
    "BE": "Bouw|Bouwwerken|Logistiek|Transport|Metaal|Techniek|Construction|Logistique|Services|"
    "Transports|Engineering|Consult|Elektro|Machinebouw|Verpakking|Immo|Software|Handel",
    "DE": "Bau|Maschinenbau|Metallbau|Logistik|Elektrotechnik|Handel|Systeme|Haustechnik|"
    "Anlagenbau|Kunststofftechnik|Verpackungen|Beratung|Software|Spedition|Stahlbau|Automation",
}
BRAND_HEADS = "Euro|Techno|Inno|Ned|Pro|Multi|Data|Agri|Aqua|Bio|Eco|Flex|Hydro|Info|Lumi|Medi|"
BRAND_HEADS += "Nova|Omni|Poly|Quant|Servi|Tele|Trans|Uni|Vita|Vector|Zeno"
BRAND_TAILS = "tec|plan|mark|lux|tron|com|net|lab|soft|form|line|point|staal|bouw|trade|med|"
BRAND_TAILS += "logic|works|vision|field|port|wave|sys|serv"
LEGAL = {
    "NL": [("B.V.", 70), ("V.O.F.", 8), ("N.V.", 4), ("Holding B.V.", 6), ("", 12)],
    "BE": [("BV", 40), ("NV", 25), ("BVBA", 10), ("SA", 10), ("SRL", 5), ("", 10)],
    "DE": [("GmbH", 60), ("GmbH & Co. KG", 15), ("AG", 8), ("KG", 7), ("", 10)],
}
TLD = {"NL": "nl", "BE": "be", "DE": "de"}
STREETS = {
    "NL": "Hoofdstraat|Kerkstraat|Industrieweg|Stationsweg|Marktplein|Dorpsstraat|Nieuwstraat|"
    "Molenweg|Parallelweg|Europalaan|Ambachtsweg|Havenstraat|De Run|Science Park",
    "BE": "Kerkstraat|Stationsstraat|Industrielaan|Nijverheidsstraat|Rue de la Gare|"
    "Chaussée de Bruxelles|Avenue Louise|Kortrijksesteenweg|Havenlaan",
    "DE": "Hauptstraße|Bahnhofstraße|Industriestraße|Gewerbestraße|Schulstraße|Gartenstraße|"
    "Berliner Straße|Am Hafen|Im Gewerbegebiet",
}
PO_BOX = {"NL": "Postbus {n}", "BE": "Boîte postale {n}", "DE": "Postfach {n}"}
FIRST_NAMES = [
    "Jan", "Pieter", "Sanne", "Lotte", "Daan", "Emma", "Bram", "Fleur", "Thomas", "Anna", "Lukas",
    "Lena", "Jonas", "Sophie", "Maxime", "Louise", "Wout", "Noor", "Finn", "Julia", "Hannah",
    "Felix", "Marie", "Ruben", "Eva", "Stefan", "Katrin", "Jeroen", "Inge",
]  # fmt: skip
# The empty title: many contacts have none on record.
JOB_TITLES = [
    "Purchasing manager", "Managing director", "Sales engineer", "Office manager", "Controller",
    "Project manager", "Buyer", "Technical director", "Logistics coordinator", "",
]  # fmt: skip
# Relationship type code and its share of the accounts.
TYPE_WEIGHTS = {
    "customer": 35, "prospect": 25, "supplier": 10, "partner": 6, "reseller": 6,
    "competitor": 3, "consultancy": 4, "influencer": 2, "press": 2, "other": 7, "seller": 0.05,
}  # fmt: skip
INDUSTRIES = [
    "_Construction", "_Manufacturing", "_Wholesale", "_Logistics", "_IT services", "_Healthcare",
    "_Food & beverage", "_Energy", "_Retail", "_Automotive", "_Agriculture", "_Chemicals",
    "_Government", "_Education", "_Semiconductors", "_Financial services",
    "Construction (CRM4)", "Metal", "Transport", "Unknown",
]  # fmt: skip

ACCOUNT_COLUMNS = [
    "id", "name", "name_key", "relationship_type_id", "industry_id", "business_unit", "parent_id",
    "email", "phone", "website", "credit_limit", "credit_hold", "credit_hold_reason", "crm4_id",
    "created_at", "updated_at", *LISTING_FIELDS, "is_active", "owner_id",
]  # fmt: skip
ADDRESS_COLUMNS = [
    "id", "account_id", "kind", "name", "street", "postal_code", "city", "country", "latitude",
    "longitude", "geocode_status", "geocode_message", "geocoded_at",
]  # fmt: skip
CONTACT_COLUMNS = [
    "id", "account_id", "first_name", "last_name", "job_title", "email", "phone", "mobile",
    "is_primary", "search", "sort_name",
]  # fmt: skip


def _split(values: dict[str, str]) -> dict[str, list[str]]:
    return {key: value.split("|") for key, value in values.items()}


def _weighted(pairs: list[tuple]) -> tuple[list, list]:
    return [p[0] for p in pairs], [p[-1] for p in pairs]


def _postal_code(rng: random.Random, country: str, prefix: str) -> str:
    if country == "NL":
        letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTVWXZ", k=2))
        return f"{prefix}{rng.randint(0, 99):02d} {letters}"
    if country == "BE":
        return f"{prefix}{rng.randint(0, 99):02d}"
    return f"{prefix}{rng.randint(0, 999):03d}"


def _company_name(rng: random.Random, country: str, city: str) -> str:
    surnames, trades = _split(SURNAMES)[country], _split(TRADES)[country]
    style = rng.random()
    if style < 0.40:
        base = f"{rng.choice(surnames)} {rng.choice(trades)}"
    elif style < 0.65:
        base = rng.choice(BRAND_HEADS.split("|")) + rng.choice(BRAND_TAILS.split("|"))
    elif style < 0.80:
        base = f"{city} {rng.choice(trades)}"
    elif style < 0.92:
        base = f"{rng.choice(trades)} {rng.choice(surnames)} & {rng.choice(surnames)}"
    else:
        head = rng.choice(BRAND_HEADS.split("|")) + rng.choice(BRAND_TAILS.split("|"))
        base = f"{head} {rng.choice(trades)}"
    forms, weights = _weighted(LEGAL[country])
    form = rng.choices(forms, weights)[0]
    return f"{base} {form}".strip()


def mobile(rng: random.Random) -> str:
    return f"+31 6 {rng.randint(10000000, 99999999)}"


def _slug(name: str) -> str:
    key = account_name_key(name)
    return "".join(ch for ch in key if ch.isalnum())[:30] or "company"


class Generator:
    """Rows for accounts, addresses and contacts, the same for the same size."""

    def __init__(
        self, *, size: int, type_ids: dict[str, int], industry_ids: list[int], names: dict
    ) -> None:
        self.size = size
        self.rng = random.Random(20240601 + size)
        self.type_codes, self.type_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
        self.type_ids = type_ids
        self.industry_ids = industry_ids
        self.names = names  # of types and industries by id, for the list's columns
        self.now = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
        self.cities = {c: (rows, [r[-1] for r in rows]) for c, rows in CITIES.items()}
        self.streets = _split(STREETS)
        self.surnames = [s for names in _split(SURNAMES).values() for s in names]

    def rows(self) -> Iterator[tuple[tuple, list[tuple], list[tuple]]]:
        """One (account, addresses, contacts) per account, ids counted from 1."""
        rng, now = self.rng, self.now
        address_id = contact_id = 0
        countries, country_weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
        for account_id in range(1, self.size + 1):
            country = rng.choices(countries, country_weights)[0]
            cities, weights = self.cities[country]
            city_row = rng.choices(cities, weights)[0]
            city, lat, lon, prefix, _ = city_row
            name = _company_name(rng, country, city)
            slug = _slug(name)
            hq = rng.random() < 0.05
            parent = (
                rng.randint(1, account_id - 1) if not hq and account_id > 50 and rng.random() < 0.03
                else None
            )  # fmt: skip
            has_limit = rng.random() < 0.4
            account: tuple = (
                account_id,
                name,
                account_name_key(name),
                self.type_ids[rng.choices(self.type_codes, self.type_weights)[0]],
                rng.choice(self.industry_ids),
                "HQ" if hq else rng.choice(["", "", "", "Sales", "Service", "Benelux"]),
                parent,
                f"info@{slug}.{TLD[country]}" if rng.random() < 0.85 else "",
                f"+{ {'NL': 31, 'BE': 32, 'DE': 49}[country] } {rng.randint(10, 99)} "
                f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"https://www.{slug}.{TLD[country]}/" if rng.random() < 0.7 else "",
                Decimal(rng.choice([5, 10, 25, 50, 100, 250])) * 1000 if has_limit else None,
                hold := rng.random() < 0.02,
                "Paid the last three invoices late." if hold else "",
                f"IK-{account_id:07d}" if rng.random() < 0.6 else "",
                now,
                now,
            )
            street = f"{rng.choice(self.streets[country])} {rng.randint(1, 250)}"
            postal = _postal_code(rng, country, prefix)
            lat += rng.uniform(-0.05, 0.05)
            lon += rng.uniform(-0.08, 0.08)
            address_id += 1
            visit = (address_id, account_id, "visit", "Visit", street, postal, city, country,
                     lat, lon, "ok", "", now)  # fmt: skip
            address_id += 1
            if rng.random() < 0.2:
                mailing = (address_id, account_id, "mailing", "Mailing",
                           PO_BOX[country].format(n=rng.randint(1, 9999)), postal, city, country,
                           None, None, "pending", "", None)  # fmt: skip
            else:
                mailing = (address_id, account_id, "mailing", "Mailing", street, postal, city,
                           country, None, None, "pending", "", None)  # fmt: skip
            addresses = [visit, mailing]
            account += tuple(
                listing_values(
                    name=name, email=account[7], crm4_id=account[13], city=city, country=country,
                    type_name=self.names[account[3]], industry_name=self.names[("i", account[4])],
                ).values()
            )  # fmt: skip
            # One account in a hundred no longer trades; owners are given by the benchmark.
            account += (rng.random() >= 0.01, None)
            if rng.random() < 0.05:
                address_id += 1
                addresses.append(
                    (address_id, account_id, "other", "Shipping",
                     f"{rng.choice(self.streets[country])} {rng.randint(1, 250)}", postal, city,
                     country, None, None, "pending", "", None)
                )  # fmt: skip
            contacts = []
            if rng.random() < 0.3:
                for n in range(rng.randint(1, 5)):
                    contact_id += 1
                    first, last = rng.choice(FIRST_NAMES), rng.choice(self.surnames)
                    title = rng.choice(JOB_TITLES)
                    email = f"{first.lower()}.{_slug(last)}@{slug}.{TLD[country]}"
                    phone, cell = account[8], "" if rng.random() < 0.5 else mobile(rng)
                    contacts.append(
                        (contact_id, account_id, first, last, title, email, phone, cell, n == 0,
                         contact_search_words(first, last, email, phone, cell, name),
                         contact_sort_name(first, last))
                    )  # fmt: skip
            yield account, addresses, contacts


def reference_data() -> tuple[dict[str, int], list[int]]:
    """Relationship types (seeded by a migration) and industries, as ids."""
    for name in INDUSTRIES:
        Industry.objects.get_or_create(name=name)
    type_ids = dict(RelationshipType.objects.values_list("code", "id"))
    missing = set(TYPE_WEIGHTS) - set(type_ids)
    if missing:
        raise RuntimeError(f"Relationship types missing from the database: {sorted(missing)}")
    industry_ids = list(Industry.objects.filter(name__in=INDUSTRIES).values_list("id", flat=True))
    return type_ids, industry_ids


TABLES = [
    (Account._meta.db_table, ACCOUNT_COLUMNS),
    (Address._meta.db_table, ADDRESS_COLUMNS),
    (Contact._meta.db_table, CONTACT_COLUMNS),
]


def fill(*, size: int, progress=print) -> None:
    """Empty the account tables and fill them with `size` generated accounts."""
    type_ids, industry_ids = reference_data()
    names: dict = dict(RelationshipType.objects.values_list("id", "name"))
    names |= {("i", pk): name for pk, name in Industry.objects.values_list("id", "name")}
    generator = Generator(size=size, type_ids=type_ids, industry_ids=industry_ids, names=names)
    if connection.vendor == "postgresql":
        _fill_postgresql(generator, progress)
    else:
        _fill_sqlite(generator, progress)
    # Written past the services, so the maps' copy and cells are rebuilt as after an upgrade.
    progress(f"  map index: {rebuild_map_index():,} accounts")
    if connection.vendor == "postgresql":
        # As autovacuum would after so many inserts (this machine's server runs without it):
        # until then no index-only scan serves the maps, and /map/?industry= took 82 ms, not 20.
        with connection.cursor() as cursor:
            for model in (MapEntry, MapCell):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _batches(generator: Generator, batch: int) -> Iterator[tuple[list, list, list]]:
    accounts: list[tuple] = []
    addresses: list[tuple] = []
    contacts: list[tuple] = []
    for account, account_addresses, account_contacts in generator.rows():
        accounts.append(account)
        addresses.extend(account_addresses)
        contacts.extend(account_contacts)
        if len(accounts) >= batch:
            yield accounts, addresses, contacts
            accounts, addresses, contacts = [], [], []
    if accounts:
        yield accounts, addresses, contacts


def _fill_sqlite(generator: Generator, progress) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _ in reversed(TABLES):
            cursor.execute(f'DELETE FROM "{table}"')
        done = 0
        for rows in _batches(generator, 20_000):
            for (table, columns), table_rows in zip(TABLES, rows, strict=True):
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',
                    [_sqlite_row(row) for row in table_rows],
                )
            done += len(rows[0])
            progress(f"  {done:,} accounts")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sqlite_row(row: tuple) -> tuple:
    # SQLite's Django backend stores decimals and datetimes as text.
    return tuple(
        str(v) if isinstance(v, Decimal) else v.isoformat(" ") if isinstance(v, datetime) else v
        for v in row
    )


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _fill_postgresql(generator: Generator, progress) -> None:
    tables = [table for table, _ in TABLES]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        # Secondary indexes are rebuilt once after the load: far cheaper than row by row.
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # The generator keeps the references consistent, so skip the foreign-key triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        raw = cursor.cursor
        done = 0
        for rows in _batches(generator, 50_000):
            for (table, columns), table_rows in zip(TABLES, rows, strict=True):
                buffer = io.StringIO()
                for row in table_rows:
                    buffer.write("\t".join(_copy_value(v) for v in row))
                    buffer.write("\n")
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            done += len(rows[0])
            progress(f"  {done:,} accounts")
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, definition in indexes:
            progress(f"  index {name}")
            cursor.execute(definition)
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
