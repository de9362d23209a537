"""CSV import and export of accounts with their Visit and Mailing addresses (django-import-export).

The columns are the same both ways, so an exported file imports back. A row is matched to an
existing account by its id in this CRM when the file has one, else by its CRM4 id (IK), so
re-importing a file exported from the old CRM updates those accounts instead of duplicating them.
The parent is written both ways too, by CRM4 id and by id, so a parent without a CRM4 id is found
again; a parent reference that matches nothing is a row error, never a parent removed.
Rows are saved through the account services, so the rules and the credit history hold; one bad
row stops the whole import. The visit addresses are not geocoded here: a geocoder at one request
a second would hold the request for minutes, and Nominatim's policy forbids bulk jobs. They stay
pending for `manage.py geocode_accounts`, which the admin is told to run.
"""

import codecs
import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.forms import ImportForm

from accounts import services
from accounts.formulae import escape_formula, unescape_formula
from accounts.models import Account, Address, Industry, RelationshipType
from accounts.rules import empty_parent_cell_keeps_parent
from common.ids import parse_id
from common.text import without_bidi_controls
from common.typing import AuthUser

# The admin shows a preview of every row and saves them one by one: past about a thousand rows
# that takes minutes (5,000 rows: 76 s and 6.4 MB of HTML). Bigger files go to the command.
ADMIN_IMPORT_MAX_ROWS = 1000
BIG_FILE_HELP = gettext_lazy(
    "At most %(max)s rows. Import bigger files with manage.py import_accounts FILE --user "
    "USERNAME on the server: it checks and writes them in batches and reports the rows it "
    "refuses."
)

ADDRESS_KINDS = {"visit": Address.Kind.VISIT, "mailing": Address.Kind.MAILING}
ADDRESS_COLUMNS = {
    f"{prefix}_{part}": (kind, part)
    for prefix, kind in ADDRESS_KINDS.items()
    for part in services.ADDRESS_FIELDS
}
NON_ADDRESS_FIELDS = [f.name for f in Address._meta.fields if f.name not in services.ADDRESS_FIELDS]
# The account's own fields, in file order; parent is given by its CRM4 id, then by its id.
ACCOUNT_FIELDS = services.ACCOUNT_FIELDS
PARENT_COLUMNS = ("parent_crm4_id", "parent_id")
_AFTER_PARENT = ACCOUNT_FIELDS.index("parent") + 1
# Whether the account trades: set on its page (and by the files), not on the account form.
ACTIVE = "is_active"
# Why the account is on hold: not on the account form (the hold form sets it), so not in
# ACCOUNT_FIELDS; in the files beside the hold.
HOLD_REASON = "credit_hold_reason"
_AFTER_HOLD = ACCOUNT_FIELDS.index("credit_hold") + 1
FILE_FIELDS = [
    "id",
    "crm4_id",
    *ACCOUNT_FIELDS[:_AFTER_PARENT],
    "parent_id",
    *ACCOUNT_FIELDS[_AFTER_PARENT:_AFTER_HOLD],
    HOLD_REASON,
    *ACCOUNT_FIELDS[_AFTER_HOLD:],
    ACTIVE,
    *ADDRESS_COLUMNS,
]


def no_such_name(model: type[RelationshipType | Industry], name: str) -> str:
    """The message for a relationship type or industry name that matches none (both imports)."""
    if model is RelationshipType:
        return _("No relationship type is called “%s”: add it in the admin first.") % name
    return _("No industry is called “%s”: add it in the admin first.") % name


class NameWidget(widgets.ForeignKeyWidget):
    """A relationship type or industry by its name, ignoring case, with a clear error."""

    def __init__(self, model: type[RelationshipType | Industry]) -> None:
        super().__init__(model, field="name")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        name = str(value or "").strip()
        if not name:
            return None
        found = self.model.objects.filter(name__iexact=name).first()
        if found is None and self.model is RelationshipType:
            read = name.casefold()
            found = next(
                (t for t in RelationshipType.objects.all() if read in t.names_read()), None
            )
        if found is None:
            raise ValueError(no_such_name(self.model, name))
        return found


class UsernameWidget(widgets.ForeignKeyWidget):
    """A user by username (the owner column), with a clear error; empty means nobody."""

    def __init__(self) -> None:
        super().__init__(get_user_model(), field="username")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        username = str(value or "").strip()
        if not username:
            return None
        found = self.model.objects.filter(username=username).first()
        if found is None:
            raise ValueError(
                _("No user has the username “%s”: check it, or leave the owner empty.") % username
            )
        return found


class YesNoWidget(widgets.BooleanWidget):
    """Yes/no in the words people type; empty means no."""

    TRUE = {"1", "true", "yes", "y", "ja", "j", "x"}
    FALSE = {"", "0", "false", "no", "n", "nee", "none", "null"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%s” is not yes or no.") % str(value)[:50])


class ActiveWidget(widgets.BooleanWidget):
    """Whether an account trades: yes or no; an empty cell says nothing (None), so it leaves an
    account as it is and a new one trading, as a file without the column does."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if not str(value if value is not None else "").strip():
            return None
        return YesNoWidget().clean(value, row, **kwargs)


class PlainDecimalWidget(widgets.DecimalWidget):
    """An amount written the same in every language ("5000.00"), as both imports read it: the
    file is data, not a page, so no thousands separator and always a decimal point. "1.000,50"
    or "5e3" would be read wrongly or not at all, so they are refused, with how to write it."""

    AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        text = str(value if value is not None else "").replace(" ", "")
        if not text:
            return None
        if not self.AMOUNT.fullmatch(text):
            raise ValueError(_("“%s” is not an amount: write it as 25000 or 25000.00.") % text[:50])
        return Decimal(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class TextWidget(widgets.CharWidget):
    """Text that is stripped, and empty rather than missing when the cell is blank."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value).strip()


class AddressField(Field):
    """One part of the Visit or Mailing address, such as visit_city.

    It has no attribute, so the base import leaves it alone (save_instance saves addresses
    through the services), and it reads the address itself, so the export and the import
    preview both show it.
    """

    def __init__(self, column_name: str) -> None:
        super().__init__(column_name=column_name)
        self.kind, self.part = ADDRESS_COLUMNS[column_name]

    def export(self, instance: Account, **kwargs: Any) -> str:
        if instance.pk is None:
            return ""
        # Once per account: the export prefetches already, the preview reads each row twice.
        prefetch_related_objects([instance], Prefetch("addresses", queryset=_fixed_addresses()))
        address = next((a for a in instance.addresses.all() if a.kind == self.kind), None)
        if address is None:
            return ""
        return address.country.code if self.part == "country" else getattr(address, self.part)


class FormulaSafeCSV(CSV):
    """CSV whose cells a spreadsheet never runs as formulae, losslessly (accounts/formulae.py).

    django-import-export 4.4 answers IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT by deleting a
    leading "=" only; this format honours the same setting with an escape the import undoes.
    """

    def create_dataset(self, in_stream: str | bytes, **kwargs: Any) -> tablib.Dataset:
        # A Dutch Excel saves with semicolons: read the file by its header's separator, as the
        # command import does (tablib would take the whole header for one column).
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        if isinstance(in_stream, str):
            kwargs.setdefault("delimiter", header_delimiter(in_stream.split("\n", 1)[0]))
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        if getattr(settings, "IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT", False):
            escaped = tablib.Dataset(headers=dataset.headers)
            for row in dataset:
                escaped.append([escape_formula(c) if isinstance(c, str) else c for c in row])
            dataset = escaped
        return dataset.export(self.get_title(), **kwargs)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, missing columns)."""


def row_fingerprint(cells: Iterable[Any]) -> bytes:
    """A row's cells as both imports compare them (formula escape undone, spaces trimmed), in
    16 bytes: a file's rows are told apart by it without holding them all."""
    text = "\x1f".join(unescape_formula(str(cell or "")).strip() for cell in cells)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def header_delimiter(header: str) -> str:
    """The separator of a CSV file's header line: a comma, the semicolon of a Dutch Excel, or
    a tab. Both imports read files by it."""
    return max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","


def country_cell(cell: str) -> tuple[str, str | None]:
    """A file's country cell as a code, and what to say when it names no country.

    "nl" is NL, and so is a country's name in English or Dutch ("Netherlands", "Nederland"),
    as the forms' select shows names."""
    cell = cell.strip()
    code = cell.upper()
    if len(cell) > 2:
        for language in ("en", "nl"):
            if found := countries.by_name(cell, language=language):
                code = str(found)
                break
    if not code or code in COUNTRY_CODES:
        return code, None
    refusal = _("“%(value)s” is no country: write its two-letter code, such as NL, BE or DE.")
    return code, refusal % {"value": cell}


COUNTRY_CODES = frozenset(code for code, _name in countries)


def file_encoding(chunks: Iterable[bytes]) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else cp1252, which
    Excel on Windows writes.

    cp1252 decodes almost any bytes, so it cannot be detected; UTF-8 can, and a cp1252 file
    with accents is almost never valid UTF-8 by accident.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def as_utf8(file: UploadedFile) -> UploadedFile:
    """The uploaded file in UTF-8, which the admin's import reads: a cp1252 file transcoded.

    Raises UnicodeDecodeError for a file that is neither."""
    if file_encoding(file.chunks()) == "utf-8-sig":
        file.seek(0)
        return file
    file.seek(0)
    text = b"".join(file.chunks()).decode("cp1252")
    return SimpleUploadedFile(
        file.name or "", text.encode("utf-8"), file.content_type or "text/csv"
    )


def count_csv_rows(file: UploadedFile, *, stop_after: int) -> int:
    """The data rows of an uploaded CSV file, counting no further than `stop_after` + 1."""
    rows = 0
    lines = codecs.iterdecode(file, "utf-8-sig", errors="replace")
    try:
        for cells in csv.reader(lines):
            if cells:
                rows += 1
                if rows > stop_after + 1:
                    break
    except csv.Error:
        pass  # the import itself reports what is wrong with the file
    finally:
        file.seek(0)
    return max(rows - 1, 0)


class AccountImportForm(ImportForm):
    """The admin's import form, refusing files too big for a preview before reading them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = BIG_FILE_HELP % {"max": ADMIN_IMPORT_MAX_ROWS}

    def clean_import_file(self) -> UploadedFile:
        try:
            file = as_utf8(self.cleaned_data["import_file"])
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _(
                    "The file is neither UTF-8 nor Windows (cp1252) text: byte %(byte)s cannot "
                    "be read. Save it as “CSV UTF-8”."
                )
                % {"byte": f"0x{error.object[error.start]:02x}"}
            ) from error
        rows = count_csv_rows(file, stop_after=ADMIN_IMPORT_MAX_ROWS)
        if rows > ADMIN_IMPORT_MAX_ROWS:
            raise forms.ValidationError(
                _(
                    "This file has more than %(max)s rows, too many for the admin's preview. "
                    "Import it on the server with manage.py import_accounts FILE --user USERNAME "
                    "(run it with --dry-run first to check it)."
                )
                % {"max": ADMIN_IMPORT_MAX_ROWS}
            )
        return file


class AccountResource(resources.ModelResource):
    id = Field(attribute="id", column_name="id", readonly=True)
    crm4_id = Field(attribute="crm4_id", column_name="crm4_id", widget=TextWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    relationship_type = Field(
        attribute="relationship_type",
        column_name="relationship_type",
        widget=NameWidget(RelationshipType),
    )
    industry = Field(attribute="industry", column_name="industry", widget=NameWidget(Industry))
    business_unit = Field(
        attribute="business_unit", column_name="business_unit", widget=TextWidget()
    )
    # Read-only for the base import: import_instance reads both columns into the parent.
    parent = Field(
        attribute="parent",
        column_name="parent_crm4_id",
        widget=widgets.ForeignKeyWidget(Account, field="crm4_id"),
        readonly=True,
    )
    parent_id = Field(
        attribute="parent",
        column_name="parent_id",
        widget=widgets.ForeignKeyWidget(Account),
        readonly=True,
    )
    email = Field(attribute="email", column_name="email", widget=TextWidget())
    phone = Field(attribute="phone", column_name="phone", widget=TextWidget())
    website = Field(attribute="website", column_name="website", widget=TextWidget())
    credit_limit = Field(
        attribute="credit_limit", column_name="credit_limit", widget=PlainDecimalWidget()
    )
    credit_hold = Field(attribute="credit_hold", column_name="credit_hold", widget=YesNoWidget())
    credit_hold_reason = Field(attribute=HOLD_REASON, column_name=HOLD_REASON, widget=TextWidget())
    owner = Field(attribute="owner", column_name="owner", widget=UsernameWidget())
    is_active = Field(
        attribute=ACTIVE, column_name=ACTIVE, widget=ActiveWidget(), saves_null_values=False
    )
    visit_street = AddressField("visit_street")
    visit_postal_code = AddressField("visit_postal_code")
    visit_city = AddressField("visit_city")
    visit_country = AddressField("visit_country")
    mailing_street = AddressField("mailing_street")
    mailing_postal_code = AddressField("mailing_postal_code")
    mailing_city = AddressField("mailing_city")
    mailing_country = AddressField("mailing_country")

    class Meta:
        model = Account
        fields = FILE_FIELDS
        export_order = fields
        import_id_fields = ["crm4_id"]
        use_transactions = True
        # The services validate; a row that breaks a rule is reported with their message.
        clean_model_instances = False
        skip_unchanged = False

    def get_queryset(self) -> QuerySet[Account]:
        return self.with_export_relations(Account.objects.all())

    def filter_export(self, queryset: QuerySet[Account], **kwargs: Any) -> QuerySet[Account]:
        return self.with_export_relations(queryset)

    @staticmethod
    def with_export_relations(queryset: QuerySet[Account]) -> QuerySet[Account]:
        """What the export reads, fetched in a fixed number of queries per chunk of rows."""
        return queryset.select_related(
            "relationship_type", "industry", "parent", "owner"
        ).prefetch_related(Prefetch("addresses", queryset=_fixed_addresses()))

    def get_import_id_fields(self) -> list[str]:
        # A file of this CRM's own may name its accounts by id alone (get_instance reads both).
        return ["id"] if getattr(self, "by_id_alone", False) else ["crm4_id"]

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Refuse a file without a column the import finds accounts by (id or crm4_id); find
        the CRM4 ids and ids on more than one row, which would silently merge."""
        headers = dataset.headers or []
        if "crm4_id" not in headers and "id" not in headers:
            raise ImportFileError(
                _(
                    "The file has neither an id nor a crm4_id column, by which the import finds "
                    "each account (empty for a new one). Its first line names the columns, "
                    "separated by commas or semicolons: export the accounts to see them."
                )
            )
        self.by_id_alone = "crm4_id" not in headers
        # Its cells lose the bidi controls a form's values lose at the edge (common.text),
        # before anything compares them, as the command import reads its cells.
        for number, cells in enumerate(dataset):
            dataset[number] = tuple(
                without_bidi_controls(cell) if isinstance(cell, str) else cell for cell in cells
            )
        header = [column for column in dataset.headers or [] if column.strip()]
        repeated = sorted({column for column in header if header.count(column) > 1})
        if repeated:
            # Said as the command import says it; the last of them would win without a word.
            raise ImportFileError(_("These columns occur twice: %s.") % ", ".join(repeated))
        columns = {field.column_name for field in self.fields.values()}
        unread = [c for c in dataset.headers or [] if c.strip() and c not in columns]
        if unread:
            raise ImportFileError(
                _(
                    "The file has columns this import does not read: %(columns)s. Remove or "
                    "rename them as the export names its columns; a parent is named here by "
                    "parent_crm4_id or parent_id (manage.py import_accounts also reads "
                    "parent_name)."
                )
                # Quoted: a stray space in a header would not show otherwise.
                % {"columns": ", ".join(f"“{column}”" for column in unread)}
            )
        self.repeated: dict[str, dict[str, list[int]]] = {}
        for column in ("crm4_id", "id"):
            if column not in (dataset.headers or []):
                continue
            rows: dict[str, list[int]] = defaultdict(list)
            for number, value in enumerate(dataset[column], start=1):
                key = unescape_formula(str(value or "")).strip()
                if key:
                    rows[key].append(number)
            self.repeated[column] = {k: v for k, v in rows.items() if len(v) > 1}
        # A row with neither id nor CRM4 id adds an account each time it occurs: a repeat of
        # one cell for cell is the same account twice (its line -> the first line).
        self.repeated_rows: dict[int, int] = {}
        first_lines: dict[bytes, int] = {}
        keys = [c for c in ("crm4_id", "id") if c in (dataset.headers or [])]
        for number, cells in enumerate(dataset.dict, start=1):
            if any(str(cells[key] or "").strip() for key in keys):
                continue
            first = first_lines.setdefault(row_fingerprint(cells.values()), number)
            if first != number:
                self.repeated_rows[number] = first

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # An uploaded file passes no middleware: PostgreSQL cannot hold a NUL and SQLite cuts
        # text at one, so a cell holding it makes the row invalid on either database.
        columns = [column for column, value in row.items() if "\x00" in str(value or "")]
        if columns:
            message = _("Null characters are not allowed.")
            raise ValidationError({column: message for column in columns})
        # Undo the export's formula escape, so that an exported file imports back exactly.
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unescape_formula(value)

    def _repeated_errors(self, row: Any, number: int | None) -> dict[str, list[str]]:
        errors = {}
        for column, repeated in getattr(self, "repeated", {}).items():
            key = str(row.get(column) or "").strip()
            if key in repeated:
                others = ", ".join(str(n) for n in repeated[key] if n != number)
                errors[column] = [
                    _(
                        "%(column)s “%(value)s” is on line %(others)s of this file too: keep one "
                        "of them, as nothing says which is right."
                    )
                    % {"column": column, "value": key, "others": others}
                ]
        if number is not None and number in getattr(self, "repeated_rows", {}):
            errors["name"] = [
                _(
                    "The same as line %(line)s, which adds this account already: a row without "
                    "an id or CRM4 id adds an account each time it occurs."
                )
                % {"line": self.repeated_rows[number]}
            ]
        return errors

    def import_instance(self, instance: Account, row: Any, **kwargs: Any) -> None:
        """Read the row into the account, collecting bad cells and bad address values at once."""
        errors: dict[str, Any] = self._repeated_errors(row, kwargs.get("row_number"))
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None and instance.relationship_type_id is None:
            # A new account starts as Prospect, as on the account pages and in import_accounts.
            instance.relationship_type = RelationshipType.objects.for_new_account()
        if any(column in row for column in PARENT_COLUMNS):
            try:
                instance.parent = self._parent(instance, row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for kind, values in self._addresses(row).items():
            try:
                Address(kind=kind, **values).clean_fields(exclude=NON_ADDRESS_FIELDS)
            except ValidationError as error:
                errors.update(_prefixed(error, kind).error_dict)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _parent(account: Account, row: Any) -> Account | None:
        """The parent the row names: by CRM4 id when given, else by id; empty cells, none."""
        crm4_id = str(row.get("parent_crm4_id") or "").strip()
        if crm4_id:
            parent = Account.objects.filter(crm4_id=crm4_id).first()
            if parent is None:
                raise ValidationError(
                    {
                        "parent_crm4_id": _(
                            "No account has CRM4 id “%(crm4_id)s”: import the parent first (rows "
                            "above its children)."
                        )
                        % {"crm4_id": crm4_id}
                    }
                )
            return parent
        parent_id = str(row.get("parent_id") or "").strip()
        if parent_id:
            number = parse_id(parent_id)
            parent = Account.objects.filter(pk=number).first() if number else None
            if parent is None:
                raise ValidationError(
                    {
                        "parent_id": _("No account has id %(id)s: check the parent_id column.")
                        % {"id": parent_id}
                    }
                )
            return parent
        if account.parent and empty_parent_cell_keeps_parent(
            file_has_parent_id="parent_id" in row, parent_crm4_id=account.parent.crm4_id
        ):
            return account.parent
        return None

    def get_instance(self, instance_loader: Any, row: Any) -> Account | None:
        """The account this row updates: by this CRM's id if given, else by CRM4 id."""
        account_id = str(row.get("id") or "").strip()
        if account_id:
            number = parse_id(account_id)
            account = Account.objects.filter(pk=number).first() if number else None
            if account is None:
                raise ValidationError(
                    {
                        "id": _("No account has id %(id)s: leave id empty to add a new account.")
                        % {"id": account_id}
                    }
                )
            return account
        crm4_id = str(row.get("crm4_id") or "").strip()
        return Account.objects.filter(crm4_id=crm4_id).first() if crm4_id else None

    def save_instance(self, instance: Account, is_create: bool, row: Any, **kwargs: Any) -> None:
        """Save the row through the services, all of it or nothing."""
        user: AuthUser | None = kwargs.get("user")
        values = {
            name: getattr(instance, name)
            for name in ACCOUNT_FIELDS
            if self.fields[name].column_name in row
            or (name == "parent" and any(column in row for column in PARENT_COLUMNS))
        }
        if ActiveWidget().clean(row.get(ACTIVE)) is not None:
            values[ACTIVE] = instance.is_active
        # A file that carries reasons follows the form's rule; CRM 4's own files carry none.
        reasons_given = HOLD_REASON in row
        if reasons_given:
            values[HOLD_REASON] = instance.credit_hold_reason
        addresses = self._addresses(row)
        try:
            if user is None:  # the admin always says who imports
                raise PermissionDenied(_("Only a logged-in user can import accounts."))
            with transaction.atomic():
                if is_create:
                    account = services.account_create(
                        user=user,
                        fields=values,
                        visit_address=addresses.get(Address.Kind.VISIT),
                        mailing_address=addresses.get(Address.Kind.MAILING),
                        geocode=False,
                        hold_reason_required=reasons_given,
                    )
                    # The import reports the row by the resource's instance: give it the id.
                    instance.pk = account.pk
                else:
                    services.account_update(
                        account=instance,
                        user=user,
                        fields=values,
                        hold_reason_required=reasons_given,
                    )
                    for address in instance.addresses.filter(kind__in=addresses):
                        self._save_address(address, addresses[address.kind], user=user)
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error

    @staticmethod
    def _addresses(row: Any) -> dict[str, dict[str, str]]:
        addresses: dict[str, dict[str, str]] = {}
        for column, (kind, part) in ADDRESS_COLUMNS.items():
            if column not in row:
                continue
            value = str(row[column] if row[column] is not None else "").strip()
            if part == "country":
                value, refusal = country_cell(value)
                if refusal:
                    raise ValidationError({column: refusal})
            addresses.setdefault(kind, {})[part] = value
        return addresses

    @staticmethod
    def _save_address(address: Address, values: dict[str, str], *, user: AuthUser) -> None:
        try:
            services.address_save(address=address, user=user, fields=values, geocode=False)
        except ValidationError as error:
            raise _prefixed(error, address.kind) from error


def _fixed_addresses() -> QuerySet[Address]:
    """The Visit and Mailing addresses, the two the file has columns for."""
    return Address.objects.filter(kind__in=ADDRESS_KINDS.values())


def _prefixed(error: ValidationError, kind: str) -> ValidationError:
    """An address error named after its column, such as visit_country, so the row shows where."""
    if not hasattr(error, "error_dict"):
        return ValidationError({NON_FIELD_ERRORS: error.messages})
    return ValidationError(
        {
            f"{kind}_{field}" if field in services.ADDRESS_FIELDS else field: errors
            for field, errors in error.error_dict.items()
        }
    )
