import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.rules import (
    HQ,
    HQ_HAS_NO_PARENT,
    OWN_PARENT,
    account_hierarchy_errors,
    business_unit_normalized,
)
from common.languages import casefolded_in_every_language, in_every_language
from common.money import money_format
from common.search import phone_national_digits, search_normalised

# The unique constraint's message, also given by the import, which checks a whole batch at once.
CRM4_ID_TAKEN = gettext_lazy("Another account already has this CRM4 id.")

# CRM 4 ids are GUIDs, usually written in braces: {1A2B3C4D-...}.
crm4_id_validator = RegexValidator(
    r"^[{]?[A-Za-z0-9-]+[}]?$",
    _(
        "Enter the CRM4 id as the old CRM shows it: letters, digits and hyphens, optionally in "
        "braces, for example {1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D}."
    ),
)

phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{6,30}$",
    _(
        "Enter a phone number of 6 to 30 characters: digits, spaces and + ( ) - . /, "
        "for example +31 40 123 4567."
    ),
)


class RelationshipTypeQuerySet(models.QuerySet):
    def for_new_account(self) -> "RelationshipType | None":
        """The type a new account gets: the seed's Prospect, "any new Account in CRM that has
        not ordered (yet)". The account page, the admin and the imports all ask here."""
        return self.filter(code=RelationshipType.PROSPECT).first()


class RelationshipType(models.Model):
    """The nature of an account's relationship with us; admins may add more."""

    # Codes the domain rules refer to; the name is free for admins to reword.
    CUSTOMER = "customer"
    PROSPECT = "prospect"
    OTHER = "other"
    SELLER = "seller"

    code = models.SlugField(max_length=50, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = RelationshipTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")
        ordering = ["name"]
        # "Customer" and "customer" would both be offered, and the imports ignore case.
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="relationshiptype_name_unique_ignoring_case",
                violation_error_message=_(
                    "A relationship type of this name exists already (capitals aside)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name as the reader reads it (see type_name_shown)."""
        return type_name_shown(self.name)

    def names_read(self) -> frozenset[str]:
        """The names, casefolded, that a file may call the type by: its own and, for a seeded
        one, the name the pages show in each language ("Klant" as well as "Customer")."""
        return frozenset({self.name.casefold()}) | in_every_language(
            lambda: [type_name_shown(self.name).casefold()]
        )

    @property
    def explanation(self) -> str:
        """The description as the reader reads it: a seeded one in their language."""
        seeded = SEEDED_TYPE_DESCRIPTIONS.get(self.code)
        return gettext(seeded) if seeded == self.description else self.description


# The types the CRM is seeded with (migrations 0003 and 0011), by code: their names and the
# wiki's definitions, in English as stored. Until an administrator rewords one, the pages show
# it in the reader's language; the database, the CSV files and the history keep the English.
SEEDED_TYPE_NAMES = {
    "competitor": gettext_noop("Competitor"),
    "consultancy": gettext_noop("Consultancy"),
    "customer": gettext_noop("Customer"),
    "partner": gettext_noop("Partner"),
    "influencer": gettext_noop("Influencer"),
    "press": gettext_noop("Press"),
    "prospect": gettext_noop("Prospect"),
    "reseller": gettext_noop("Reseller"),
    "supplier": gettext_noop("Supplier"),
    "other": gettext_noop("Other"),
    "seller": gettext_noop("Seller"),
}
SEEDED_TYPE_DESCRIPTIONS = {
    "competitor": gettext_noop(
        "Any account that sells or markets competing products as a manufacturer, distributor, "
        "reseller or sales channel."
    ),
    "consultancy": gettext_noop("Provides services to OEMs and ODMs (system houses, consultants)."),
    "customer": gettext_noop(
        "Has ordered from us now or in the past. Set automatically when an order is created for "
        "an account that is a Prospect."
    ),
    "partner": gettext_noop(
        "Does not purchase from us but helps in sales and/or marketing activities, or we combine "
        "products or efforts for sales."
    ),
    "influencer": gettext_noop("Does not purchase from us but is involved in the sales process."),
    "press": gettext_noop("Marketing contact."),
    "prospect": gettext_noop("Any new account in the CRM that has not ordered from us (yet)."),
    "reseller": gettext_noop("Purchases products from us and sells them to end customers."),
    "supplier": gettext_noop("A partner of ours whose products we distribute."),
    "other": gettext_noop(
        "Suppliers or service providers to us, such as cleaning, air-conditioning repair, "
        "insurance or office supplies. Not shown on the map."
    ),
    "seller": gettext_noop(
        "Our own selling entities: the seller on quotes and orders, and the CRM account a user "
        "is linked to."
    ),
}
_SEEDED_NAMES = frozenset(SEEDED_TYPE_NAMES.values())


def type_name_shown(name: str) -> str:
    """A relationship type's name as the reader reads it: a seeded name ("Customer") in their
    language, any other as an administrator wrote it. Takes the name alone, as the account
    list keeps it."""
    return _seeded_names_in(get_language()).get(name, name)


@lru_cache(maxsize=16)
def _seeded_names_in(language: str | None) -> dict[str, str]:
    # Looked up once per language: the list shows a type on each of its 25 rows.
    return {name: gettext(name) for name in _SEEDED_NAMES}


class IndustryQuerySet(models.QuerySet):
    def offered(self, *, keep: int | None = None) -> "IndustryQuerySet":
        """Industries offered for new choices: by convention only names starting with "_".

        `keep` is the industry a record has already, which stays choosable on it.
        """
        return self.filter(Q(name__startswith="_") | Q(pk=keep))


class Industry(models.Model):
    """The vertical market an account operates in."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))

    objects = IndustryQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry")
        ordering = ["name"]
        verbose_name_plural = _("industries")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="industry_name_unique_ignoring_case",
                violation_error_message=_(
                    "An industry of this name exists already (capitals aside)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A company we have a relationship with; it has contacts and addresses."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    # The name without case, punctuation and legal-form suffixes, to find likely duplicates.
    name_key = models.CharField(
        max_length=200, editable=False, db_index=True, verbose_name=_("name key")
    )
    # Indexed with the name below, for the list filtered by either.
    relationship_type = models.ForeignKey(
        RelationshipType,
        on_delete=models.PROTECT,
        verbose_name=_("relationship type"),
        db_index=False,
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, verbose_name=_("industry"), db_index=False
    )
    business_unit = models.CharField(
        max_length=100,
        blank=True,
        help_text=_('The division name within the corporate hierarchy; "HQ" for the headquarters.'),
        verbose_name=_("business unit"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent account"),
    )
    email = models.EmailField(blank=True, verbose_name=_("email"))
    phone = models.CharField(
        max_length=30, blank=True, validators=[phone_validator], verbose_name=_("phone")
    )
    website = models.URLField(blank=True, verbose_name=_("website"))
    credit_limit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty for no limit."),
        verbose_name=_("credit limit"),
    )
    credit_hold = models.BooleanField(
        default=False,
        help_text=_(
            "On hold, no order is accepted unless it is prepaid and Accounting confirms the "
            "prepayment."
        ),
        verbose_name=_("credit hold"),
    )
    credit_hold_reason = models.CharField(
        _("reason for the credit hold"),
        max_length=200,
        blank=True,
        help_text=_("Why the account is on hold: a dispute, doubts about paying."),
    )
    crm4_id = models.CharField(
        _("CRM4 id (IK)"),
        max_length=64,
        blank=True,
        validators=[crm4_id_validator],
        help_text=_("Id of the record in Microsoft CRM 4."),
    )
    # The responsible salesperson. A user who leaves keeps no accounts: they wait for a new owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
        verbose_name=_("owner"),
        help_text=_("The salesperson responsible for this account."),
    )
    # An account that no longer trades is made inactive rather than deleted: it keeps its
    # history and documents, but leaves the lists, the map and the account boxes.
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive accounts no longer trade: no new quotes or orders."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # The account list's copies (accounts/listing.py keeps them in step): its row, sorts and
    # search read the account alone, which keeps every page fast at a million accounts.
    listing_search = models.TextField(editable=False, default="")
    listing_city = models.CharField(max_length=100, editable=False, default="")
    listing_country = CountryField(editable=False, default="")
    listing_type = models.CharField(max_length=100, editable=False, default="")
    listing_industry = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name", "id"]
        permissions = [
            ("change_account_owner", "Can change the owner of an account"),
            ("change_account_active", "Can make an account inactive or active again"),
            ("change_account_credit", "Can change the credit limit"),
            # Management may set or lift a hold too (the seed), but not the limit.
            ("change_credit_hold", "Can put an account on credit hold or lift it"),
            # Held by no role group (users/roles.py): only superusers change an IK.
            ("change_crm4_id", "Can change the CRM4 id (IK)"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="account_name_id_idx"),
            models.Index(
                fields=["name", "id"], condition=Q(credit_hold=True), name="account_on_hold_idx"
            ),
            # One per sort of the list, read forwards or backwards from the page's key: by the
            # column, then by name, as people read a list sorted by city. The country's also
            # serves the country filter sorted by name. (PostgreSQL's trigram index on
            # listing_search is made by migration 0014: SQLite has none. The indexes a search
            # walks by name, with listing_search in them, by 0019 on SQLite and 0035 on
            # PostgreSQL.)
            models.Index(fields=["listing_city", "name", "id"], name="account_list_city_name_idx"),
            models.Index(fields=["listing_country", "name", "id"], name="account_list_country_idx"),
            models.Index(fields=["listing_type", "name", "id"], name="account_list_type_name_idx"),
            models.Index(
                fields=["listing_industry", "name", "id"], name="account_list_industry_name_idx"
            ),
            # The list filtered by a type or an industry, by name; they also serve the foreign
            # keys (the type "Press" at a million accounts: the page's SQL took 4.2 ms walking
            # the name index, 1.7 ms with these).
            models.Index(fields=["relationship_type", "name", "id"], name="account_type_name_idx"),
            models.Index(fields=["industry", "name", "id"], name="account_industry_name_idx"),
            # "My accounts" and accounts_owned_by read one owner's accounts by name.
            models.Index(fields=["owner", "name", "id"], name="account_owner_name_idx"),
            # Inactive accounts are few: their list reads them from this index by name.
            models.Index(
                fields=["name", "id"], condition=Q(is_active=False), name="account_inactive_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="account_credit_limit_not_negative",
                violation_error_message=_("The credit limit cannot be negative."),
            ),
            # A reason belongs to a hold. The reverse (a hold needs a reason) is checked when
            # someone puts an account on hold: holds imported from CRM 4 came without one.
            models.CheckConstraint(
                condition=Q(credit_hold=True) | Q(credit_hold_reason=""),
                name="account_hold_reason_only_on_hold",
                violation_error_message=_("Only an account on credit hold has a reason for it."),
            ),
            models.CheckConstraint(
                condition=~Q(business_unit=HQ) | Q(parent__isnull=True),
                name="account_hq_has_no_parent",
                violation_error_message=HQ_HAS_NO_PARENT,
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="account_not_own_parent",
                violation_error_message=OWN_PARENT,
            ),
            models.UniqueConstraint(
                fields=["crm4_id"],
                condition=~Q(crm4_id=""),
                name="account_crm4_id_unique",
                violation_error_message=CRM4_ID_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    @property
    def listing_type_shown(self) -> str:
        """The type's name as the list keeps it, in the reader's language (type_name_shown)."""
        return type_name_shown(self.listing_type)

    @property
    def crm4_url(self) -> str:
        if not self.crm4_id:
            return ""
        return settings.CRM4_RECORD_URL.format(id=quote(self.crm4_id, safe=""))

    def clean(self) -> None:
        super().clean()
        self.business_unit = business_unit_normalized(self.business_unit)
        errors = account_hierarchy_errors(
            business_unit=self.business_unit,
            key=self.pk,
            parent_key=self.parent_id,
            parent_of=_parent_id_of,
        )
        if errors:
            raise ValidationError({"parent": errors})


def _parent_id_of(account_id: int) -> int | None:
    return Account.objects.filter(pk=account_id).values_list("parent_id", flat=True).first()


def without_invisible(text: str) -> str:
    """The text without the characters it can hold without showing them (Unicode's format
    characters: zero-width spaces and joiners, direction marks, the soft hyphen)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@cache
def fixed_address_names() -> frozenset[str]:
    """What the Visit and Mailing addresses are called in any language the site offers,
    casefolded ("bezoekadres", "mailing address")."""
    return casefolded_in_every_language((Address.Kind.VISIT.label, Address.Kind.MAILING.label))


class Address(models.Model):
    """A postal address of an account. Every account has one Visit and one Mailing address."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit address")
        MAILING = "mailing", _("Mailing address")
        OTHER = "other", _("Other address")

    class GeocodeStatus(models.TextChoices):
        PENDING = "pending", _("Not geocoded yet")
        OK = "ok", _("Located")
        APPROXIMATE = "approximate", _("Located approximately")
        FAILED = "failed", _("Could not be located")
        # The geocoding service did not answer; geocode_accounts tries again by default.
        RETRY = "retry", _("Not located yet")

        def no_coordinates_reason(self, *, message: str = "", has_place: bool = True) -> str:
            """Why an address in this status has no coordinates, and what happens next.

            The one sentence the account page, the map and the admin say. `message` is what the
            last lookup recorded; `has_place` whether the city and country are filled in. Which
            addresses geocode_accounts takes is maps.selectors.addresses_to_geocode: keep the two
            in step.
            """
            if self == self.FAILED:
                # A recorded message is kept in English where it came from our own texts.
                return (
                    gettext(message)
                    if message
                    else gettext(
                        "Fix the visit address (street, postal code, city and country) and save it."
                    )
                )
            if not has_place:
                return gettext("Fill in at least the city and country of the visit address.")
            if self == self.RETRY:
                return gettext(
                    "%(cause)s It will be placed on the map at the next scheduled geocoding run."
                ) % {
                    "cause": gettext(message)
                    if message
                    else gettext("The geocoding service did not answer.")
                }
            return gettext("It will be placed on the map at the next scheduled geocoding run.")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("account")
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.OTHER, verbose_name=_("kind"))
    name = models.CharField(
        max_length=50, help_text=_('An easy name, such as "Shipping".'), verbose_name=_("name")
    )
    street = models.CharField(max_length=200, blank=True, verbose_name=_("street"))
    postal_code = models.CharField(max_length=20, blank=True, verbose_name=_("postal code"))
    city = models.CharField(max_length=100, blank=True, verbose_name=_("city"))
    country = CountryField(blank=True, verbose_name=_("country"))
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    geocode_status = models.CharField(
        max_length=12,
        choices=GeocodeStatus,
        default=GeocodeStatus.PENDING,
        verbose_name=_("geocode status"),
    )
    geocode_message = models.CharField(
        max_length=300, blank=True, verbose_name=_("geocode message")
    )
    geocoded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("geocoded at"))

    class Meta:
        verbose_name = _("address")
        # Visit first, then Mailing, then the further addresses by name.
        ordering = [
            models.Case(
                models.When(kind="visit", then=0), models.When(kind="mailing", then=1), default=2
            ),
            "name",
        ]
        verbose_name_plural = _("addresses")
        indexes = [
            # The radius map pre-selects visit addresses in one country by a bounding box.
            models.Index(
                fields=["country", "latitude", "longitude"],
                condition=Q(kind="visit", latitude__isnull=False),
                name="address_visit_geo_idx",
            ),
            # The account list sorts by the visit address's city.
            models.Index(
                fields=["city", "account"], condition=Q(kind="visit"), name="address_visit_city_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(kind="visit"),
                name="address_one_visit_per_account",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(kind="mailing"),
                name="address_one_mailing_per_account",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "account",
                name="address_name_unique_per_account",
                violation_error_message=_("This account already has an address with this name."),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="address_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        line = self.one_line()  # the country's name is looked up in the active language
        return f"{self.label}: {line}" if line else str(self.label)

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.account_id])

    def clean(self) -> None:
        super().clean()
        # Visit and Mailing may wait to be filled in; a further address exists to be chosen.
        if self.kind == self.Kind.OTHER and not (self.street and self.city and self.country):
            raise ValidationError(_("Fill in the street, city and country of this address."))
        if self.kind == self.Kind.OTHER:
            # As it reads: invisible characters and runs of (no-break) spaces would make
            # look-alikes of another name ("Visit  address", "Bezoek\u200badres").
            self.name = " ".join(without_invisible(self.name).split())
        # Documents list the fixed addresses by their kind's name ("Bezoekadres: ..."): a
        # further address of that name could not be told apart there.
        if self.kind == self.Kind.OTHER and self.name.casefold() in fixed_address_names():
            raise ValidationError(
                {
                    "name": gettext(
                        "“%(name)s” is what the visit address or the mailing address is called: "
                        "choose another name, such as “Shipping”."
                    )
                    % {"name": self.name}
                }
            )

    def lines(self) -> list[str]:
        """The parts filled in, as on an envelope: street, postal code and city, country."""
        parts = [self.street, f"{self.postal_code} {self.city}".strip(), self.country.name]
        return [part for part in parts if part]

    def one_line(self) -> str:
        return ", ".join(self.lines())

    def as_letter(self, *, addressee: str) -> str:
        """The address as printed on a letter or an invoice, below the addressee's name."""
        return "\n".join([addressee, *self.lines()])

    @property
    def no_coordinates_reason(self) -> str:
        """Why this address has no coordinates and what happens next; empty when it has them."""
        if self.is_located:
            return ""
        return self.GeocodeStatus(self.geocode_status).no_coordinates_reason(
            message=self.geocode_message, has_place=bool(self.city.strip() and self.country)
        )

    @property
    def is_fixed(self) -> bool:
        """Visit and Mailing addresses belong to every account and cannot be removed."""
        return self.kind != self.Kind.OTHER

    @property
    def label(self) -> str:
        """What the address is called in the reader's language: Visit and Mailing by their
        kind (their stored names are English), a further address by its name."""
        return self.get_kind_display() if self.is_fixed else self.name

    @property
    def is_visit(self) -> bool:
        """The visit address: the one geocoded and placed on the map."""
        return self.kind == self.Kind.VISIT

    @property
    def is_located(self) -> bool:
        """Whether the address has coordinates, so it can be placed on the map."""
        return self.latitude is not None and self.longitude is not None


# A contact's own fields in its search words; its account's name comes after them.
CONTACT_SEARCHED_FIELDS = ("first_name", "last_name", "email", "phone", "mobile")


def contact_search_words(
    first_name: str, last_name: str, email: str, phone: str, mobile: str, account_name: str
) -> str:
    """A contact's searched words: its names, email, phone, mobile and its account's name,
    normalised, then the national digits of its phone and mobile (a number searched for is
    looked up by its own: `common.search.phone_search_digits`). Words never hold a space, so a
    search word cannot match across two parts."""
    numbers = [phone_national_digits(number) for number in (phone, mobile) if number]
    parts = (first_name, last_name, email, phone, mobile, account_name, *numbers)
    return search_normalised(" ".join(part for part in parts if part))


# Words that open a surname but do not file it, as Dutch, Flemish and German lists have it:
# "van den Berg" and "de Boer" go under B.
SURNAME_PREFIXES = frozenset({
    "van", "de", "den", "der", "het", "'t", "te", "ten", "ter", "in", "op", "uit", "aan", "bij",
    "onder", "over", "voor", "vd", "v/d", "von", "vom", "zu", "zum", "zur", "la", "le", "du",
    "da", "di", "del", "della",
})  # fmt: skip
SORT_NAME_LENGTH = 201


def contact_sort_name(first_name: str, last_name: str) -> str:
    """How the contacts list files a person: by the surname without its prefixes, then the
    first name; accents and case aside ("van den Berg, Anna" -> "BERG ANNA")."""
    words = last_name.split()
    while len(words) > 1 and words[0].casefold() in SURNAME_PREFIXES:
        words = words[1:]
    return search_normalised(" ".join([*words, *first_name.split()]))[:SORT_NAME_LENGTH]


class Contact(models.Model):
    """A person at an account."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("account")
    )
    first_name = models.CharField(max_length=100, blank=True, verbose_name=_("first name"))
    last_name = models.CharField(max_length=100, verbose_name=_("last name"))
    job_title = models.CharField(max_length=100, blank=True, verbose_name=_("job title"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    phone = models.CharField(
        max_length=30, blank=True, validators=[phone_validator], verbose_name=_("phone")
    )
    mobile = models.CharField(
        max_length=30, blank=True, validators=[phone_validator], verbose_name=_("mobile")
    )
    # The contact quotes and invoices address by default; set through contact_set_primary.
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # The contacts list's search: its words and its account's name, as `contact_search_words`
    # makes them; kept in step by accounts.contact_search.
    search = models.TextField(editable=False, default="")
    # Where the contacts list files it (contact_sort_name), set on every save.
    sort_name = models.CharField(
        max_length=SORT_NAME_LENGTH, editable=False, default="", db_default=""
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["account", "last_name"], name="contact_account_name_idx"),
            # The contacts list pages through every contact by name.
            models.Index(fields=["sort_name", "id"], name="contact_sort_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_account",
                violation_error_message=_("This account has a primary contact already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = contact_sort_name(self.first_name, self.last_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name"} & set(fields):
            kwargs["update_fields"] = [*fields, "sort_name"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.account_id])


class AccountChange(models.Model):
    """One change of a guarded field of an account: who, when, old and new value."""

    class Field(models.TextChoices):
        CREDIT_LIMIT = "credit_limit", _("Credit limit")
        CREDIT_HOLD = "credit_hold", _("Credit hold")
        CREDIT_HOLD_REASON = "credit_hold_reason", _("Reason for the credit hold")
        RELATIONSHIP_TYPE = "relationship_type", _("Relationship type")
        OWNER = "owner", _("Owner")
        IS_ACTIVE = "is_active", _("Active")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="changes", verbose_name=_("account")
    )
    field = models.CharField(max_length=30, choices=Field, verbose_name=_("field"))
    # As long as the longest value kept: a credit hold's reason.
    old_value = models.CharField(max_length=200, blank=True, verbose_name=_("old value"))
    new_value = models.CharField(max_length=200, blank=True, verbose_name=_("new value"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(verbose_name=_("changed at"))

    # An owner is kept by username, as the CSV files name them; `accounts.selectors.name_owners`
    # puts here the names people know them by, for the pages.
    owner_names: Mapping[str, str] = MappingProxyType({})

    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["account", "-changed_at"], name="change_account_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value or '—'} → {self.new_value or '—'}"

    def old_display(self) -> str:
        """The old value as the pages show it: an amount with its currency, Yes/No translated."""
        return self._display(self.old_value)

    def new_display(self) -> str:
        """The new value as the pages show it (see old_display)."""
        return self._display(self.new_value)

    def _display(self, value: str) -> str:
        # Kept as text ("5000.00", "Yes", a username), the same in every language.
        if value and self.field == self.Field.OWNER:
            return self.owner_names.get(value, value)
        if value and self.field == self.Field.CREDIT_LIMIT:
            try:
                return money_format(Decimal(value))
            except InvalidOperation:
                return value
        if self.field in (self.Field.CREDIT_HOLD, self.Field.IS_ACTIVE):
            return {"Yes": gettext("Yes"), "No": gettext("No")}.get(value, value)
        if self.field == self.Field.RELATIONSHIP_TYPE:
            return type_name_shown(value)
        return value


class MapEntry(models.Model):
    """An account as the maps show it: a copy of what they read, kept by accounts.map_index.

    One row per account on the maps (a located visit address, a type other than Other), so the
    side list reads one narrow table through one index instead of joining addresses to accounts.
    The account is a plain id, not a foreign key: deleting an account must not drop its row
    before map_index has taken it out of the counted cells.
    """

    account_id = models.BigIntegerField(primary_key=True)
    country = models.CharField(max_length=2)
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    customer = models.BooleanField()
    # The fine cell (MapCell.FINE) the account lies in, so the circle's edge cells find it.
    cell_y = models.IntegerField()
    cell_x = models.IntegerField()
    # What the overview map filters on besides the country, so it counts from this table alone.
    relationship_type_id = models.BigIntegerField()
    industry_id = models.BigIntegerField()
    search = models.TextField()  # the account's listing_search

    class Meta:
        indexes = [
            # The side list by name walks this index within the circle's bounding box; on
            # PostgreSQL it needs no visit to the table.
            models.Index(
                fields=["country", "name", "account_id"],
                include=["latitude", "longitude", "city"],
                name="map_entry_name_idx",
            ),
            models.Index(
                fields=["country", "city", "name", "account_id"],
                include=["latitude", "longitude"],
                name="map_entry_city_idx",
            ),
            models.Index(fields=["country", "latitude", "longitude"], name="map_entry_geo_idx"),
            models.Index(fields=["country", "cell_y", "cell_x"], name="map_entry_cell_idx"),
            models.Index(
                fields=["industry_id", "cell_y", "cell_x"],
                include=["customer"],
                name="map_entry_industry_idx",
            ),
            models.Index(
                fields=["relationship_type_id", "cell_y", "cell_x"],
                include=["customer"],
                name="map_entry_type_idx",
            ),
            # PostgreSQL also has a trigram index on search (migration 0023).
        ]

    def __str__(self) -> str:
        return self.name


class MapCell(models.Model):
    """How many accounts of MapEntry lie in one grid cell of a country, counted in advance.

    Two grids: FINE cells of 0.01 degree and COARSE ones of 0.1 degree (10 x 10 fine cells), so
    a map counts the cells wholly inside its circle and measures distances only at the edge.
    """

    FINE, COARSE = 1, 10

    country = models.CharField(max_length=2)
    # The cell's size in fine cells: FINE or COARSE.
    size = models.PositiveSmallIntegerField()
    y = models.IntegerField()
    x = models.IntegerField()
    accounts = models.IntegerField()
    customers = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "size", "y", "x"], name="map_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.size}:{self.y},{self.x} ({self.accounts})"
