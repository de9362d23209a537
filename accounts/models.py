from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.rules import (
    HQ,
    HQ_HAS_NO_PARENT,
    OWN_PARENT,
    account_hierarchy_errors,
    business_unit_normalized,
)

# The unique constraint's message, also given by the import, which checks a whole batch at once.
CRM4_ID_TAKEN = gettext_lazy("Another account already has this CRM4 id.")

# CRM 4 ids are GUIDs, usually written in braces: {1A2B3C4D-...}.
crm4_id_validator = RegexValidator(
    r"^[{]?[A-Za-z0-9-]+[}]?$",
    "Enter the CRM4 id as the old CRM shows it: letters, digits and hyphens, optionally in "
    "braces, for example {1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D}.",
)

phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{6,30}$",
    "Enter a phone number of 6 to 30 characters: digits, spaces and + ( ) - . /, "
    "for example +31 40 123 4567.",
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

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = RelationshipTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndustryQuerySet(models.QuerySet):
    def offered(self, *, keep: int | None = None) -> "IndustryQuerySet":
        """Industries offered for new choices: by convention only names starting with "_".

        `keep` is the industry a record has already, which stays choosable on it.
        """
        return self.filter(Q(name__startswith="_") | Q(pk=keep))


class Industry(models.Model):
    """The vertical market an account operates in."""

    name = models.CharField(max_length=100, unique=True)

    objects = IndustryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A company we have a relationship with; it has contacts and addresses."""

    name = models.CharField(max_length=200)
    # The name without case, punctuation and legal-form suffixes, to find likely duplicates.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    relationship_type = models.ForeignKey(RelationshipType, on_delete=models.PROTECT)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT)
    business_unit = models.CharField(
        max_length=100,
        blank=True,
        help_text='The division name within the corporate hierarchy; "HQ" for the headquarters.',
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="parent account",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    website = models.URLField(blank=True)
    credit_limit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Leave empty for no limit.",
    )
    credit_hold = models.BooleanField(
        default=False,
        help_text=_(
            "On hold, no order is accepted unless it is prepaid and Accounting confirms the "
            "prepayment."
        ),
    )
    credit_hold_reason = models.CharField(
        _("reason for the credit hold"),
        max_length=200,
        blank=True,
        help_text=_("Why the account is on hold: a dispute, doubts about paying."),
    )
    crm4_id = models.CharField(
        "CRM4 id (IK)",
        max_length=64,
        blank=True,
        validators=[crm4_id_validator],
        help_text="Id of the record in Microsoft CRM 4.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="account_credit_limit_not_negative",
                violation_error_message="The credit limit cannot be negative.",
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


class Address(models.Model):
    """A postal address of an account. Every account has one Visit and one Mailing address."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit address"
        MAILING = "mailing", "Mailing address"
        OTHER = "other", "Other address"

    class GeocodeStatus(models.TextChoices):
        PENDING = "pending", "Not geocoded yet"
        OK = "ok", "Located"
        APPROXIMATE = "approximate", "Located approximately"
        FAILED = "failed", "Could not be located"
        # The geocoding service did not answer; geocode_accounts tries again by default.
        RETRY = "retry", "Not located yet"

        def no_coordinates_reason(self, *, message: str = "", has_place: bool = True) -> str:
            """Why an address in this status has no coordinates, and what happens next.

            The one sentence the account page, the map and the admin say. `message` is what the
            last lookup recorded; `has_place` whether the city and country are filled in. Which
            addresses geocode_accounts takes is maps.selectors.addresses_to_geocode: keep the two
            in step.
            """
            if self == self.FAILED:
                return message or gettext(
                    "Fix the visit address (street, postal code, city and country) and save it."
                )
            if not has_place:
                return gettext("Fill in at least the city and country of the visit address.")
            if self == self.RETRY:
                return gettext(
                    "%(cause)s Waiting for the next run of manage.py geocode_accounts."
                ) % {"cause": message or gettext("The geocoding service did not answer.")}
            return gettext("Waiting for the next run of manage.py geocode_accounts.")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.OTHER)
    name = models.CharField(max_length=50, help_text='An easy name, such as "Shipping".')
    street = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geocode_status = models.CharField(
        max_length=12, choices=GeocodeStatus, default=GeocodeStatus.PENDING
    )
    geocode_message = models.CharField(max_length=300, blank=True)
    geocoded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Visit first, then Mailing, then the further addresses by name.
        ordering = [
            models.Case(
                models.When(kind="visit", then=0), models.When(kind="mailing", then=1), default=2
            ),
            "name",
        ]
        verbose_name_plural = "addresses"
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
                violation_error_message="This account already has an address with this name.",
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
        return f"{self.name}: {self.one_line()}" if self.one_line() else self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.account_id])

    def clean(self) -> None:
        super().clean()
        # Visit and Mailing may wait to be filled in; a further address exists to be chosen.
        if self.kind == self.Kind.OTHER and not (self.street and self.city and self.country):
            raise ValidationError("Fill in the street, city and country of this address.")

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
    def is_visit(self) -> bool:
        """The visit address: the one geocoded and placed on the map."""
        return self.kind == self.Kind.VISIT

    @property
    def is_located(self) -> bool:
        """Whether the address has coordinates, so it can be placed on the map."""
        return self.latitude is not None and self.longitude is not None


class Contact(models.Model):
    """A person at an account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    mobile = models.CharField(max_length=30, blank=True, validators=[phone_validator])

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["account", "last_name"], name="contact_account_name_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.account_id])


class AccountChange(models.Model):
    """One change of a guarded field of an account: who, when, old and new value."""

    class Field(models.TextChoices):
        CREDIT_LIMIT = "credit_limit", "Credit limit"
        CREDIT_HOLD = "credit_hold", "Credit hold"
        CREDIT_HOLD_REASON = "credit_hold_reason", "Reason for the credit hold"
        RELATIONSHIP_TYPE = "relationship_type", "Relationship type"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30, choices=Field)
    # As long as the longest value kept: a credit hold's reason.
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["account", "-changed_at"], name="change_account_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value or '—'} → {self.new_value or '—'}"
