"""The demo data set: about 300 accounts in the Netherlands, Belgium and Germany, and demo users.

Everything is generated from a fixed seed, so each run describes the same accounts; accounts that
already exist (by name) are left alone, which makes loading safe to run twice.
"""

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.copies import account_copies_refresh
from accounts.models import (
    HQ,
    Account,
    AccountChange,
    Address,
    Contact,
    Industry,
    RelationshipType,
)
from activities import services as activity_services
from activities.models import Activity
from common.typing import AuthUser

SEED = 2026
DEMO_PASSWORD = "demo-password-2026"
SELLER_NAME = "Bodywork Group Elfsquad"
# Why the demo's two accounts on credit hold are on it (the seed's disputes and doubts).
HOLD_REASONS = (
    "Disputes the last two invoices; waits for a credit note.",
    "Paid the last three invoices more than 60 days late.",
)

# (username, group, first name, last name); admin is the superuser.
DEMO_USERS = [
    ("admin", None, "Ada", "Admin"),
    ("sales", "Sales", "Sanne", "de Vries"),
    ("accounting", "Accounting", "Arjen", "Bakker"),
    ("management", "Management", "Maaike", "Jansen"),
]

# City, country, first postal code of the centre, latitude, longitude, language of street names.
CITIES = [
    ("Amsterdam", "NL", "1012", 52.3676, 4.9041, "nl"),
    ("Rotterdam", "NL", "3011", 51.9244, 4.4777, "nl"),
    ("Den Haag", "NL", "2511", 52.0705, 4.3007, "nl"),
    ("Utrecht", "NL", "3511", 52.0907, 5.1214, "nl"),
    ("Eindhoven", "NL", "5611", 51.4416, 5.4697, "nl"),
    ("Tilburg", "NL", "5038", 51.5555, 5.0913, "nl"),
    ("Groningen", "NL", "9711", 53.2194, 6.5665, "nl"),
    ("Almere", "NL", "1315", 52.3508, 5.2647, "nl"),
    ("Breda", "NL", "4811", 51.5719, 4.7683, "nl"),
    ("Nijmegen", "NL", "6511", 51.8126, 5.8372, "nl"),
    ("Apeldoorn", "NL", "7311", 52.2112, 5.9699, "nl"),
    ("Haarlem", "NL", "2011", 52.3874, 4.6462, "nl"),
    ("Arnhem", "NL", "6811", 51.9851, 5.8987, "nl"),
    ("Enschede", "NL", "7511", 52.2215, 6.8937, "nl"),
    ("Amersfoort", "NL", "3811", 52.1561, 5.3878, "nl"),
    ("Zwolle", "NL", "8011", 52.5168, 6.0830, "nl"),
    ("'s-Hertogenbosch", "NL", "5211", 51.6978, 5.3037, "nl"),
    ("Leiden", "NL", "2311", 52.1601, 4.4970, "nl"),
    ("Maastricht", "NL", "6211", 50.8514, 5.6910, "nl"),
    ("Dordrecht", "NL", "3311", 51.8133, 4.6901, "nl"),
    ("Helmond", "NL", "5701", 51.4793, 5.6570, "nl"),
    ("Venlo", "NL", "5911", 51.3704, 6.1724, "nl"),
    ("Delft", "NL", "2611", 52.0116, 4.3571, "nl"),
    ("Deventer", "NL", "7411", 52.2661, 6.1552, "nl"),
    ("Leeuwarden", "NL", "8911", 53.2012, 5.7999, "nl"),
    ("Veldhoven", "NL", "5504", 51.4184, 5.4045, "nl"),
    ("Hengelo", "NL", "7551", 52.2658, 6.7931, "nl"),
    ("Roosendaal", "NL", "4701", 51.5308, 4.4653, "nl"),
    ("Brussel", "BE", "1000", 50.8503, 4.3517, "fr"),
    ("Antwerpen", "BE", "2000", 51.2194, 4.4025, "nl"),
    ("Gent", "BE", "9000", 51.0543, 3.7174, "nl"),
    ("Charleroi", "BE", "6000", 50.4108, 4.4446, "fr"),
    ("Liège", "BE", "4000", 50.6326, 5.5797, "fr"),
    ("Brugge", "BE", "8000", 51.2093, 3.2247, "nl"),
    ("Namur", "BE", "5000", 50.4674, 4.8720, "fr"),
    ("Leuven", "BE", "3000", 50.8798, 4.7005, "nl"),
    ("Mechelen", "BE", "2800", 51.0259, 4.4776, "nl"),
    ("Hasselt", "BE", "3500", 50.9307, 5.3325, "nl"),
    ("Kortrijk", "BE", "8500", 50.8282, 3.2649, "nl"),
    ("Mons", "BE", "7000", 50.4542, 3.9567, "fr"),
    ("Genk", "BE", "3600", 50.9650, 5.5008, "nl"),
    ("Aalst", "BE", "9300", 50.9378, 4.0403, "nl"),
    ("Berlin", "DE", "10117", 52.5200, 13.4050, "de"),
    ("Hamburg", "DE", "20095", 53.5511, 9.9937, "de"),
    ("München", "DE", "80331", 48.1351, 11.5820, "de"),
    ("Köln", "DE", "50667", 50.9375, 6.9603, "de"),
    ("Frankfurt am Main", "DE", "60311", 50.1109, 8.6821, "de"),
    ("Stuttgart", "DE", "70173", 48.7758, 9.1829, "de"),
    ("Düsseldorf", "DE", "40213", 51.2277, 6.7735, "de"),
    ("Dortmund", "DE", "44135", 51.5136, 7.4653, "de"),
    ("Essen", "DE", "45127", 51.4556, 7.0116, "de"),
    ("Leipzig", "DE", "04109", 51.3397, 12.3731, "de"),
    ("Bremen", "DE", "28195", 53.0793, 8.8017, "de"),
    ("Dresden", "DE", "01067", 51.0504, 13.7373, "de"),
    ("Hannover", "DE", "30159", 52.3759, 9.7320, "de"),
    ("Nürnberg", "DE", "90402", 49.4521, 11.0767, "de"),
    ("Duisburg", "DE", "47051", 51.4344, 6.7623, "de"),
    ("Aachen", "DE", "52062", 50.7753, 6.0839, "de"),
    ("Münster", "DE", "48143", 51.9607, 7.6261, "de"),
    ("Mönchengladbach", "DE", "41061", 51.1805, 6.4428, "de"),
    ("Krefeld", "DE", "47798", 51.3388, 6.5853, "de"),
    ("Bonn", "DE", "53111", 50.7374, 7.0982, "de"),
]

STREETS = {
    "nl": [
        "Stationsstraat", "Kerkstraat", "Industrieweg", "Marktplein", "Hoofdstraat",
        "Molenweg", "Nieuwstraat", "Havenstraat", "Kanaalweg", "Ambachtsweg",
        "Energieweg", "Transportweg", "Nijverheidsweg", "Zuiderweg",
    ],
    "fr": [
        "Rue de la Station", "Rue du Commerce", "Chaussée de Bruxelles", "Rue de l'Industrie",
        "Avenue de la Gare", "Rue du Marché", "Boulevard Industriel", "Rue des Artisans",
    ],
    "de": [
        "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenstraße", "Schulstraße",
        "Kirchstraße", "Gewerbestraße", "Hafenstraße", "Am Markt", "Robert-Bosch-Straße",
    ],
}  # fmt: skip

LEGAL_FORMS = {"NL": ["B.V.", "B.V.", "B.V.", "N.V.", "V.O.F."], "BE": ["NV", "BV", "SA", "SRL"],
               "DE": ["GmbH", "GmbH", "GmbH & Co. KG", "AG"]}  # fmt: skip
PHONE_PREFIX = {"NL": "+31", "BE": "+32", "DE": "+49"}
PO_BOX = {"nl": "Postbus", "fr": "Boîte postale", "de": "Postfach"}

# Industries: most follow the "_" convention; two legacy names remain on a few old accounts.
# The first two are our core markets, so they come up more often.
INDUSTRY_WORDS = {
    "_Automotive": ["Carrosserie", "Autoschade", "Truck Parts", "Bodyshop", "Fahrzeugbau"],
    "_Transport & Logistics": ["Logistics", "Transport", "Trailers", "Cargo", "Spedition"],
    "_Manufacturing": ["Metaal", "Machinebouw", "Precision", "Maschinenbau", "Plaatwerk"],
    "_Construction": ["Bouw", "Bau", "Construct", "Infra", "Staalbouw"],
    "_Healthcare": ["Medical", "Zorgtechniek", "Care Systems", "Medizintechnik", "Rehab"],
    "_Agriculture": ["Agri", "Landbouwtechniek", "Agrar", "Farm Equipment", "Tuinbouw"],
    "_Energy": ["Energy", "Solar", "Windtechniek", "Energietechnik", "Power"],
    "_Public Sector": ["Gemeentewerken", "Stadtwerke", "Services Publics", "Facilitair"],
    "_Retail": ["Retail", "Handel", "Groothandel", "Trading", "Distribution"],
    "_Food & Beverage": ["Food", "Foods", "Zuivel", "Getränke", "Bakkerij"],
    "_IT Services": ["ICT", "Software", "Systems", "Digital", "Data"],
}
INDUSTRY_WEIGHTS = [4, 3] + [1] * (len(INDUSTRY_WORDS) - 2)
LEGACY_INDUSTRIES = {"Automobile": "_Automotive", "Health Care": "_Healthcare"}

NAME_WORDS = [
    "Van Dijk", "De Vries", "Brabant", "Kempen", "Noordzee", "Oranje", "Delta", "Polder",
    "Maas", "Rijnland", "Veluwe", "Peel", "Schelde", "Ardennen", "Eifel", "Hanse", "Rhein",
    "Nordstern", "Alpen", "Elbe", "Janssen", "Peeters", "Maes", "Müller", "Schmidt", "Becker",
    "Hoffmann", "Wagner", "Bakker", "Visser", "Smit", "Mulder", "Bos", "Hendriks", "Dekker",
    "Vermeulen", "Claes", "Willems", "Goossens", "Wouters", "Lambert", "Dubois", "Fischer",
    "Weber", "Koch", "Richter", "Klein", "Wolf", "Kessels", "Linden", "Horizon", "Atlas",
    "Vector", "Nova", "Optima", "Prima", "Triton", "Zenit", "Kompas", "Meridian", "Apex",
]  # fmt: skip

FIRST_NAMES = {
    "nl": ["Jan", "Pieter", "Sanne", "Lotte", "Daan", "Emma", "Bram", "Anouk", "Thijs", "Femke",
           "Ruben", "Eva", "Joost", "Marieke", "Koen", "Lieke", "Wout", "Inge"],
    "fr": ["Luc", "Sophie", "Marc", "Julie", "Pierre", "Camille", "Olivier", "Nathalie",
           "Thomas", "Isabelle"],
    "de": ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Laura", "Stefan", "Katrin", "Tobias",
           "Julia", "Markus", "Sabine", "Florian", "Miriam"],
}  # fmt: skip
LAST_NAMES = {
    "nl": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
           "Smit", "Meijer", "de Boer", "Mulder", "Peeters", "Maes", "Claes", "Wouters"],
    "fr": ["Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Lefèvre", "Leroy"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Koch", "Richter"],
}  # fmt: skip
JOB_TITLES = [
    "Purchasing Manager", "Buyer", "Managing Director", "Sales Manager", "Fleet Manager",
    "Technical Director", "Workshop Manager", "Financial Controller", "Office Manager",
    "Operations Manager", "Project Engineer", "Accounts Payable",
]  # fmt: skip

# How many stand-alone accounts of each type, besides the seller's own group and the groups.
TYPE_COUNTS = {
    RelationshipType.CUSTOMER: 95,
    RelationshipType.PROSPECT: 80,
    RelationshipType.OTHER: 18,
    "reseller": 16,
    "supplier": 12,
    "partner": 9,
    "competitor": 9,
    "consultancy": 7,
    "influencer": 5,
    "press": 5,
}
# Corporate groups: an HQ and 2-4 children, of these types.
GROUP_TYPES = [RelationshipType.CUSTOMER] * 10 + ["reseller"] * 2 + [RelationshipType.PROSPECT] * 3
CHILD_UNITS = ["Sales Benelux", "Plant", "Service", "Distribution", "Engineering", "Sales DACH"]


@dataclass
class AccountSpec:
    """One demo account as generated, before it is stored."""

    name: str
    base_name: str
    type_code: str
    industry: str
    city: tuple
    street: str
    postal_code: str
    latitude: float
    longitude: float
    business_unit: str = ""
    parent: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    crm4_id: str = ""
    credit_limit: Decimal | None = None
    credit_hold: bool = False
    credit_hold_reason: str = ""
    mailing_street: str = ""  # empty: the same as the visit address
    other_addresses: list[dict[str, str]] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)

    @property
    def country(self) -> str:
        return self.city[1]


@dataclass
class LoadResult:
    users_created: int = 0
    owners_assigned: int = 0
    accounts_created: int = 0
    contacts_created: int = 0
    addresses_located: int = 0
    activities_created: int = 0


class _Generator:
    """Builds the account specs from a seeded random generator: same seed, same accounts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.bases: set[str] = set()
        self.specs: list[AccountSpec] = []

    def run(self) -> list[AccountSpec]:
        self._seller_group()
        for type_code in GROUP_TYPES:
            self._group(type_code)
        for type_code, count in TYPE_COUNTS.items():
            for _ in range(count):
                self._add(type_code)
        self._credit()
        return self.specs

    def _seller_group(self) -> None:
        eindhoven = next(c for c in CITIES if c[0] == "Eindhoven")
        hq = self._add("seller", industry="_Automotive", city=eindhoven, name=SELLER_NAME, unit=HQ)
        hq.email, hq.website = "info@elfsquad.example", "https://www.elfsquad.example"
        for city_name, suffix, unit in [
            ("Antwerpen", "België", "Sales Belgium"),
            ("Düsseldorf", "Deutschland", "Sales Germany"),
        ]:
            city = next(c for c in CITIES if c[0] == city_name)
            self._add(
                "seller",
                industry="_Automotive",
                city=city,
                name=f"{SELLER_NAME} {suffix}",
                unit=unit,
                parent=hq,
            )

    def _group(self, type_code: str) -> None:
        hq = self._add(type_code, unit=HQ)
        for _ in range(self.rng.randint(2, 4)):
            city = self.rng.choice(CITIES)
            name = f"{hq.base_name} {city[0]} {LEGAL_FORMS[city[1]][0]}"
            if name in self.names:
                continue
            unit = self.rng.choice(CHILD_UNITS)
            self._add(type_code, industry=hq.industry, city=city, name=name, unit=unit, parent=hq)

    def _company_name(self, industry: str) -> str:
        """A base name such as "Brabant Carrosserie"; the legal form is added per country."""
        words = INDUSTRY_WORDS[LEGACY_INDUSTRIES.get(industry, industry)]
        while True:
            base = f"{self.rng.choice(NAME_WORDS)} {self.rng.choice(words)}"
            if base not in self.bases:
                self.bases.add(base)
                return base

    def _add(
        self,
        type_code: str,
        *,
        industry: str = "",
        city: tuple | None = None,
        name: str = "",
        unit: str = "",
        parent: AccountSpec | None = None,
    ) -> AccountSpec:
        rng = self.rng
        city = city or rng.choice(CITIES)
        country, lang = city[1], city[5]
        industry = industry or rng.choices(list(INDUSTRY_WORDS), weights=INDUSTRY_WEIGHTS)[0]
        from_crm4 = rng.random() < 0.3
        legacy = {v: k for k, v in LEGACY_INDUSTRIES.items()}
        if from_crm4 and not parent and industry in legacy and rng.random() < 0.5:
            industry = legacy[industry]  # old records keep their pre-convention industry
        base = name or self._company_name(industry)
        name = name or f"{base} {rng.choice(LEGAL_FORMS[country])}"
        self.names.add(name)
        domain = _ascii(base.lower()).replace(" ", "-").replace("'", "")
        domain = "".join(ch for ch in domain if ch.isalnum() or ch == "-") + ".example"
        spec = AccountSpec(
            name=name,
            base_name=base,
            type_code=type_code,
            industry=industry,
            city=city,
            street=f"{rng.choice(STREETS[lang])} {rng.randint(1, 180)}",
            postal_code=self._postal_code(city),
            # Spread over the town: within about 2 km of its centre.
            latitude=round(city[3] + rng.uniform(-0.018, 0.018), 6),
            longitude=round(city[4] + rng.uniform(-0.028, 0.028), 6),
            business_unit=unit,
            parent=parent.name if parent else "",
            email=f"info@{domain}",
            phone=self._phone(country),
            website=f"https://www.{domain}",
            crm4_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
            if from_crm4
            else "",
        )
        if rng.random() < 0.25:
            spec.mailing_street = f"{PO_BOX[lang]} {rng.randint(10, 9999)}"
        if unit == HQ or rng.random() < 0.08:
            spec.other_addresses.append(
                {
                    "name": "Invoicing" if unit == HQ else "Shipping",
                    "street": f"{rng.choice(STREETS[lang])} {rng.randint(1, 180)}",
                    "postal_code": spec.postal_code,
                    "city": city[0],
                    "country": country,
                }
            )
        for _ in range(rng.randint(1, 4)):
            first, last = rng.choice(FIRST_NAMES[lang]), rng.choice(LAST_NAMES[lang])
            local = _ascii(f"{first}.{last}".lower()).replace(" ", "").replace("'", "")
            contact = {
                "first_name": first,
                "last_name": last,
                "job_title": rng.choice(JOB_TITLES),
                "email": f"{local}@{domain}",
                "phone": self._phone(country),
            }
            # A name drawn twice (the same email) would be the same person twice.
            if not any(c["email"] == contact["email"] for c in spec.contacts):
                spec.contacts.append(contact)
        self.specs.append(spec)
        return spec

    def _postal_code(self, city: tuple) -> str:
        base = city[2]
        if city[1] == "NL":
            letters = "".join(self.rng.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
            return f"{int(base) + self.rng.randint(0, 8)} {letters}"
        if city[1] == "BE":
            return base
        return f"{int(base) + self.rng.randint(0, 20):05d}"

    def _phone(self, country: str) -> str:
        digits = "".join(str(self.rng.randint(0, 9)) for _ in range(7))
        return f"{PHONE_PREFIX[country]} {self.rng.randint(10, 99)} {digits[:3]} {digits[3:]}"

    def _credit(self) -> None:
        """Accounting has set limits on some customers and resellers; two are on hold."""
        candidates = [
            s
            for s in self.specs
            if s.type_code in (RelationshipType.CUSTOMER, "reseller") and s.name != SELLER_NAME
        ]
        for spec in self.rng.sample(candidates, 30):
            spec.credit_limit = Decimal(self.rng.choice([5, 10, 25, 50, 75, 100, 250])) * 1000
        held = self.rng.sample([s for s in candidates if s.credit_limit], 2)
        for spec, reason in zip(held, HOLD_REASONS, strict=True):
            spec.credit_hold = True
            spec.credit_hold_reason = reason


def _ascii(text: str) -> str:
    table = str.maketrans(
        {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "è": "e", "é": "e", "ë": "e", "&": "-"}
    )
    return text.translate(table)


def demo_accounts(seed: int = SEED) -> list[AccountSpec]:
    """The demo accounts, parents before their children."""
    return _Generator(seed).run()


def ensure_demo_users() -> tuple[dict[str, AuthUser], int]:
    """The demo users by username, and how many were new; existing ones are left as they are."""
    User = get_user_model()
    users: dict[str, AuthUser] = {}
    created = 0
    # One hash for the one shared demo password: hashing is slow on purpose.
    password_hash = make_password(DEMO_PASSWORD)
    for username, group_name, first_name, last_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@example.com",
                first_name=first_name,
                last_name=last_name,
                is_staff=group_name is None,
                is_superuser=group_name is None,
            )
            user.password = password_hash
            user.save()
            created += 1
        if group_name:
            # The role groups come from the users migration.
            user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users, created


def _ensure_industries(names: Iterable[str]) -> dict[str, Industry]:
    wanted = set(names)
    industries = {i.name: i for i in Industry.objects.filter(name__in=wanted)}
    for name in wanted - set(industries):
        industries[name] = Industry.objects.create(name=name)
    return industries


@transaction.atomic
def _create_accounts(
    specs: list[AccountSpec],
    *,
    sales_user: AuthUser,
    accounting_user: AuthUser,
    result: LoadResult,
) -> None:
    existing = dict(
        Account.objects.filter(name__in=[s.name for s in specs]).values_list("name", "pk")
    )
    types = {t.code: t for t in RelationshipType.objects.all()}
    industries = _ensure_industries(s.industry for s in specs)
    for spec in specs:
        if spec.name in existing:
            continue
        address = {
            "street": spec.street,
            "postal_code": spec.postal_code,
            "city": spec.city[0],
            "country": spec.country,
        }
        # Through the services, as the roles would: Sales enters the account, Accounting sets
        # its credit (kept in its history); the rules and the rights hold.
        account = services.account_create(
            user=sales_user,
            fields={
                "name": spec.name,
                "relationship_type": types[spec.type_code],
                "industry": industries[spec.industry],
                "business_unit": spec.business_unit,
                "parent_id": existing.get(spec.parent),
                "email": spec.email,
                "phone": spec.phone,
                "website": spec.website,
                "crm4_id": spec.crm4_id,
            },
            visit_address=address,
            mailing_address={**address, "street": spec.mailing_street or spec.street},
            # _locate_visit_addresses gives the demo's own coordinates; a lookup per account
            # would only time out while the offline geocoder builds its index ("left for later").
            geocode=False,
        )
        existing[spec.name] = account.pk
        result.accounts_created += 1
        if spec.credit_limit is not None:
            services.account_update(
                account=account, user=accounting_user, fields={"credit_limit": spec.credit_limit}
            )
        if spec.credit_hold:
            services.account_set_credit_hold(
                account=account, user=accounting_user, hold=True, reason=spec.credit_hold_reason
            )
        for values in spec.other_addresses:
            services.address_save(address=Address(account=account), user=sales_user, fields=values)
        for values in spec.contacts:
            services.contact_save(contact=Contact(account=account), user=sales_user, fields=values)
            result.contacts_created += 1


@transaction.atomic
def _locate_visit_addresses(specs: list[AccountSpec], result: LoadResult) -> None:
    """Give the demo visit addresses their exact coordinates.

    The offline geocoder only knows city centres; the demo spreads accounts over each town.
    Addresses already located, or moved since they were loaded, are left alone, so a second run
    changes nothing.
    """
    by_name = {s.name: s for s in specs}
    candidates = Address.objects.filter(kind=Address.Kind.VISIT, account__name__in=by_name)
    candidates = candidates.exclude(geocode_status=Address.GeocodeStatus.OK)
    now = timezone.now()
    located = []
    for address in candidates.select_related("account"):
        spec = by_name[address.account.name]
        if (address.street, address.city) != (spec.street, spec.city[0]):
            continue
        address.latitude, address.longitude = spec.latitude, spec.longitude
        address.geocode_status = Address.GeocodeStatus.OK
        address.geocode_message = ""
        address.geocoded_at = now
        located.append(address)
    Address.objects.bulk_update(
        located,
        list(services.GEOCODE_FIELDS),
        batch_size=500,
    )
    account_copies_refresh(account_ids=[address.account_id for address in located])
    result.addresses_located = len(located)


@transaction.atomic
def _assign_owners(specs: list[AccountSpec], *, sales_user: AuthUser) -> int:
    """Give three in four demo customers and prospects an owner, the demo salesperson.

    Only accounts that never had an owner: an owner someone changed or removed (kept in the
    history) stays as they left it, and a second run changes nothing.
    """
    wanted = [
        spec.name
        for n, spec in enumerate(specs)
        if spec.type_code != RelationshipType.SELLER and n % 4 != 3
    ]
    had_owner = AccountChange.objects.filter(field=AccountChange.Field.OWNER).values("account_id")
    accounts = Account.objects.filter(name__in=wanted, owner__isnull=True).exclude(pk__in=had_owner)
    assigned = 0
    for account in accounts.order_by("pk"):
        assigned += services.account_set_owner(account=account, user=sales_user, owner=sales_user)
    return assigned


# What the demo's first customers have on their timelines: (kind, subject, body, days from now
# (negative: ago), assignee's username or None, done). Tasks go to Sales or Management; one is
# overdue so My work shows the flag.
DEMO_ACTIVITIES = [
    ("call", "Asked about delivery times", "Needs the panels before the end of the month.\n"
     "Promised to check with logistics.", -12, None, True),
    ("meeting", "Visit at their plant", "Met the purchasing manager and the plant manager.\n"
     "- new line starts in spring\n- wants a framework agreement", -6, None, True),
    ("email", "Sent the new price list", "", -3, None, True),
    ("task", "Send a revised quote", "Five percent off above 500 pieces.", -1, "sales", False),
    ("task", "Approve the framework agreement", "", 4, "management", False),
    ("note", "Prefers delivery on Mondays", "", -20, None, True),
    ("task", "Call back about the samples", "", 2, "sales", False),
]  # fmt: skip
DEMO_ACTIVITY_ACCOUNTS = 3


@transaction.atomic
def _create_activities(
    specs: list[AccountSpec], *, users: dict[str, AuthUser], result: LoadResult
) -> None:
    """A few notes, calls and tasks on the first customers, through the service as Sales.

    An account that has activities already is left alone, so a second run adds nothing.
    """
    names = [s.name for s in specs if s.type_code == RelationshipType.CUSTOMER]
    accounts = Account.objects.filter(name__in=names[:DEMO_ACTIVITY_ACCOUNTS]).order_by("name")
    now = timezone.now().replace(second=0, microsecond=0)
    busy = set(Activity.objects.filter(account__in=accounts).values_list("account_id", flat=True))
    for offset, account in enumerate(accounts):
        if account.pk in busy:
            continue
        contact = account.contacts.order_by("id").first()
        for n, (kind, subject, body, days, assignee, done) in enumerate(DEMO_ACTIVITIES):
            if (n + offset) % 3 == 2 and kind != "task":
                continue  # not every account has every kind of note
            activity = activity_services.activity_create(
                account=account,
                user=users["sales"],
                fields={
                    "kind": kind,
                    "subject": subject,
                    "body": body,
                    "occurred_at": now + timedelta(days=days + offset, hours=n),
                    "contact": contact if kind in ("call", "meeting") else None,
                    "assigned_to": users[assignee] if assignee else None,
                },
            )
            if kind == "task" and done:
                activity_services.activity_mark_done(activity=activity, user=users["sales"])
            result.activities_created += 1


def load_demo(seed: int = SEED) -> LoadResult:
    """Load the demo users and accounts; what already exists is left as it is."""
    result = LoadResult()
    specs = demo_accounts(seed)
    with transaction.atomic():
        users, result.users_created = ensure_demo_users()
    _create_accounts(
        specs, sales_user=users["sales"], accounting_user=users["accounting"], result=result
    )
    result.owners_assigned = _assign_owners(specs, sales_user=users["sales"])
    # After the accounts are committed, so coordinates set here are final even if saving an
    # address schedules a geocode when the transaction commits.
    _locate_visit_addresses(specs, result)
    _create_activities(specs, users=users, result=result)
    return result
