"""Importing a big CSV file of accounts: streamed, validated row by row, written in batches.

`manage.py import_accounts` calls `accounts_import`. The columns are those of the admin's CSV
export (accounts/resources.py), so an exported file imports again; a file from CRM 4 may leave
out the columns of this CRM (id, parent_id) and may name a parent by name (parent_name).

- The file is read twice, never held in memory: the first pass counts the rows and finds CRM4
  ids (and ids) that occur on more than one line; the second validates and writes.
- The import acts for a named user, whose rights decide as in the services: adding accounts,
  changing them, changing their addresses, the credit fields; the credit history names them.
- A row is checked by the same rules as the forms and services, called rather than copied:
  the model's field validation (`clean_fields`), the hierarchy rule of `Account.clean`
  (accounts.rules, told the parents this file set but did not write yet), the services' credit
  permission, a new account's default type. Only the unique CRM4 id is checked here, for a
  whole batch at once. A row that breaks a rule is refused and reported with its line number;
  the other rows are imported.
- Two rows with the same CRM4 id are both refused: nothing says which of them is right, and
  importing the first would silently pick one (the admin import used to merge them).
- Rows are written per batch in one transaction, with bulk_create and bulk_update: a few
  queries per batch instead of a dozen per row. Should the database still refuse a batch (a
  row written meanwhile by someone else), the batch is written again row by row and only the
  row the database refuses is reported.
- Visit addresses are not geocoded: they stay "Not geocoded yet" for manage.py geocode_accounts.
"""

import copy
import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services
from accounts.copies import account_copies_refresh
from accounts.forms import AccountForm
from accounts.formulae import unescape_formula
from accounts.models import (
    CRM4_ID_TAKEN,
    Account,
    AccountChange,
    Address,
    Industry,
    RelationshipType,
)
from accounts.resources import (
    ACTIVE,
    ADDRESS_COLUMNS,
    FILE_FIELDS,
    HOLD_REASON,
    ActiveWidget,
    ImportFileError,
    PlainDecimalWidget,
    YesNoWidget,
    country_cell,
    header_delimiter,
    no_such_name,
    row_fingerprint,
)
from accounts.rules import (
    account_hierarchy_errors,
    account_name_key,
    business_unit_normalized,
    empty_parent_cell_keeps_parent,
)
from common.bulk import update_rows
from common.permissions import require_permission
from common.text import without_bidi_controls
from common.typing import AuthUser

BATCH_SIZE = 1000
# The rights account_create, account_update and address_save ask for: rows are written in bulk
# without them, so the import asks for the same.
ADD_ACCOUNT = "accounts.add_account"
CHANGE_ACCOUNT = "accounts.change_account"
CHANGE_ADDRESS = "accounts.change_address"
PARENT_NAME = "parent_name"
# The admin's columns (its "parent" field is the parent_crm4_id column), and a parent by name.
COLUMNS = tuple(
    dict.fromkeys([*(f if f != "parent" else "parent_crm4_id" for f in FILE_FIELDS), PARENT_NAME])
)
MAX_ID = 2**63 - 1
NUMBER = re.compile(r"[0-9]{1,19}")
# Account fields read from the file as text, and the credit fields parsed from it.
TEXT_FIELDS = ("name", "business_unit", "email", "phone", "website", "crm4_id")


class RowRefused(Exception):
    """One row breaks a rule; its message says which and how to fix it."""


class RowDeferred(Exception):
    """The row's parent is further down the file: it is imported after the other rows."""


@dataclass(frozen=True)
class Refusal:
    line: int
    crm4_id: str
    name: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # New accounts without a CRM4 id: nothing matches them when the file is imported again.
    created_without_crm4_id: int = 0
    refused: list[Refusal] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Row:
    """A valid row, waiting in its batch to be written."""

    line: int
    account: Account
    is_new: bool
    # Key of the parent account: its pk, or minus the line of a new row not written yet.
    parent_key: int | None
    before: Account | None
    addresses: dict[str, dict[str, str]]
    changed_fields: list[str]
    changed_addresses: list[Address] = field(default_factory=list)


@dataclass
class _Scan:
    rows: int
    header: list[str]
    delimiter: str
    # Lines of each CRM4 id and each id that occur more than once.
    duplicate_crm4_ids: dict[str, list[int]]
    # The first line of each CRM4 id, to wait for a parent that comes further down.
    crm4_first_lines: dict[str, int]
    duplicate_ids: dict[str, list[int]]
    # A row with neither id nor CRM4 id that repeats an earlier one cell for cell: its line, and
    # the first line that holds the same (both would add an account, the same one twice).
    repeated_rows: dict[int, int]


def read_rows(source: TextIO, delimiter: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line, cells, problem) for each record of a CSV file after its header.

    The line is where the record starts in the file (the header is line 1). A record the csv
    module cannot read comes back with cells None and the problem; reading goes on after it.
    """
    reader = csv.reader(source, delimiter=delimiter)
    next(reader, None)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, None, str(error)
        else:
            if cells:
                yield line, cells, ""
        line = reader.line_num + 1


def sniff_delimiter(source: TextIO) -> str:
    """The separator of the file's header line (header_delimiter); the file rewound."""
    first = source.readline()
    source.seek(0)
    return header_delimiter(first)


def read_header(source: TextIO, delimiter: str) -> list[str]:
    try:
        header = next(csv.reader(source, delimiter=delimiter), None)
    except csv.Error as error:
        raise ImportFileError(_("The first line is not a CSV header: %s.") % error) from error
    if not header:
        raise ImportFileError(_("The file is empty: the first line must name the columns."))
    return [unescape_formula(cell.strip()).lower() for cell in header]


def _scan(open_source: Callable[[], TextIO]) -> _Scan:
    """The first pass: header, number of rows, CRM4 ids and ids given on several lines."""
    crm4_lines: dict[str, list[int]] = defaultdict(list)
    id_lines: dict[str, list[int]] = defaultdict(list)
    unnamed_first_lines: dict[bytes, int] = {}  # by row_fingerprint
    repeated_rows: dict[int, int] = {}
    rows = 0
    encoding = "UTF-8"
    try:
        with open_source() as source:
            encoding = getattr(source, "encoding", None) or encoding
            delimiter = sniff_delimiter(source)
            header = read_header(source, delimiter)
            source.seek(0)
            crm4_at = header.index("crm4_id") if "crm4_id" in header else None
            id_at = header.index("id") if "id" in header else None
            for line, cells, _problem in read_rows(source, delimiter):
                rows += 1
                if cells is None or len(cells) != len(header):
                    continue
                if crm4_at is not None and (crm4_id := _cell(cells[crm4_at])):
                    crm4_lines[crm4_id].append(line)
                if id_at is not None and (account_id := _cell(cells[id_at])):
                    id_lines[account_id].append(line)
                if not (crm4_at is not None and _cell(cells[crm4_at])) and not (
                    id_at is not None and _cell(cells[id_at])
                ):
                    first = unnamed_first_lines.setdefault(row_fingerprint(cells), line)
                    if first != line:
                        repeated_rows[line] = first
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not valid %(encoding)s (byte %(position)s cannot be read): save it "
                "as UTF-8, or name its encoding with --encoding."
            )
            % {"encoding": encoding, "position": f"0x{error.object[error.start]:02x}"}
        ) from error
    return _Scan(
        rows=rows,
        header=header,
        delimiter=delimiter,
        duplicate_crm4_ids={k: v for k, v in crm4_lines.items() if len(v) > 1},
        crm4_first_lines={k: v[0] for k, v in crm4_lines.items()},
        duplicate_ids={k: v for k, v in id_lines.items() if len(v) > 1},
        repeated_rows=repeated_rows,
    )


def _cell(value: str) -> str:
    # As a form's value loses them at the edge (common.middleware).
    return without_bidi_controls(unescape_formula(value)).strip()


def _lines(lines: list[int]) -> str:
    return ", ".join(str(line) for line in lines)


def accounts_import(
    *,
    open_source: Callable[[], TextIO],
    user: AuthUser,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the accounts of a CSV file for `user`; see the module's docstring for the rules.

    `open_source` opens the file as text (it is read twice). A user who may neither add nor
    change accounts stops the import before it reads a row; otherwise each row needs the rights
    for what it does. With dry_run everything is checked and nothing is written.
    """
    if not (user.has_perm(ADD_ACCOUNT) or user.has_perm(CHANGE_ACCOUNT)):
        raise ImportFileError(
            _("%(user)s may neither add nor change accounts, so nothing can be imported.")
            % {"user": user.get_username()}
        )
    scan = _scan(open_source)
    header = scan.header
    if "name" not in header:
        raise ImportFileError(_("The file has no name column: is its first line the header?"))
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise ImportFileError(_("These columns occur twice: %s.") % ", ".join(repeated))
    importer = _Importer(scan=scan, user=user, dry_run=dry_run, batch_size=batch_size)
    importer.result.ignored_columns = [column for column in header if column not in COLUMNS]
    with open_source() as source:
        importer.run(read_rows(source, scan.delimiter), progress)
    return importer.result


class _Importer:
    def __init__(self, *, scan: _Scan, user: AuthUser, dry_run: bool, batch_size: int) -> None:
        self.scan = scan
        self.header = scan.header
        self.user = user
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.result = ImportResult(rows=scan.rows, dry_run=dry_run)
        self.types = {t.name.casefold(): t for t in RelationshipType.objects.all()}
        for named in list(self.types.values()):  # a type's own name first, then the others
            for name in [named.code.casefold(), *named.names_read()]:
                self.types.setdefault(name, named)
        self.prospect = RelationshipType.objects.for_new_account()
        self.industries = {i.name.casefold(): i for i in Industry.objects.all()}
        # Owners by username, each read once: a file names the same few salespeople again.
        self.owners: dict[str, tuple[Any, str | None]] = {}
        # Accounts of this file, for parents named by later rows: CRM4 id or lower-case name to
        # key (pk, or minus the line while not written), and the rows refused, to say so.
        self.file_crm4_ids: dict[str, int] = {}
        self.file_names: dict[str, int | None] = {}
        self.refused_crm4_ids: dict[str, int] = {}
        # The parent each written or checked account of this file has now, by key; the database
        # is not up to date until the batch is written (and never, in a dry run).
        self.parents: dict[int, int | None] = {}
        # Parents as the database has them, read once each: rows under one parent share its chain.
        self.stored_parents: dict[int, int | None] = {}
        # Which line changed each existing account, so that two rows cannot change the same one.
        self.touched: dict[int, int] = {}
        self.names_in_db: dict[str, int | None] = {}
        self.now = timezone.now()
        # Rows whose parent comes further down the file, and their CRM4 ids.
        self.deferred: list[tuple[int, dict[str, str]]] = []
        self.deferred_crm4_ids: set[str] = set()
        self.last_round = False

    # The run: batches of rows, each read, checked and written together.

    def run(self, records: Iterable[tuple[int, list[str] | None, str]], progress: Any) -> None:
        done = 0
        batch: list[tuple[int, list[str] | None, str]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.batch_size:
                self.run_batch(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, self.result.rows)
        if batch:
            self.run_batch(batch)
            done += len(batch)
        # Children listed above their parents (the admin's export sorts by name), in rounds
        # until a round imports nothing more; the last round refuses what is left.
        while self.deferred:
            waiting, self.deferred, self.deferred_crm4_ids = self.deferred, [], set()
            for start in range(0, len(waiting), self.batch_size):
                self.check_batch(waiting[start : start + self.batch_size])
            self.last_round = len(self.deferred) == len(waiting)
        if progress:
            progress(done, self.result.rows)

    def run_batch(self, records: list[tuple[int, list[str] | None, str]]) -> None:
        parsed: list[tuple[int, dict[str, str]]] = []
        for line, cells, problem in records:
            try:
                parsed.append((line, self.cells(cells, problem)))
            except RowRefused as error:
                self.refuse(line, {}, str(error))
        self.check_batch(parsed)

    def check_batch(self, parsed: list[tuple[int, dict[str, str]]]) -> None:
        self.prefetch(values for _line, values in parsed)
        valid: list[_Row] = []
        for line, values in parsed:
            try:
                row = self.check(line, values)
            except RowRefused as error:
                self.refuse(line, values, str(error))
                continue
            except RowDeferred:
                self.deferred.append((line, values))
                if values.get("crm4_id"):
                    self.deferred_crm4_ids.add(values["crm4_id"])
                continue
            valid.append(row)
        if not self.dry_run:
            self.write(valid)
        for row in valid:
            self.count(row)

    def cells(self, cells: list[str] | None, problem: str) -> dict[str, str]:
        if cells is None:
            raise RowRefused(_("The line cannot be read as CSV: %s.") % problem)
        if len(cells) != len(self.header):
            raise RowRefused(
                _("The row has %(cells)s cells where the header has %(columns)s columns.")
                % {"cells": len(cells), "columns": len(self.header)}
            )
        values = {}
        for column, cell in zip(self.header, cells, strict=True):
            if "\x00" in cell:
                raise RowRefused(_("The %s column holds a NUL character.") % column)
            if column in COLUMNS:
                values[column] = _cell(cell)
        return values

    def refuse(self, line: int, values: dict[str, str], reason: str) -> None:
        crm4_id = values.get("crm4_id", "")
        if crm4_id:
            self.refused_crm4_ids.setdefault(crm4_id, line)
        self.result.refused.append(
            Refusal(
                line=line, crm4_id=crm4_id[:64], name=values.get("name", "")[:200], reason=reason
            )
        )

    def count(self, row: _Row) -> None:
        if row.is_new:
            self.result.created += 1
            self.result.created_without_crm4_id += not row.account.crm4_id
        elif row.changed_fields or row.changed_addresses:
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    # Reading what the batch refers to, in a few queries.

    def prefetch(self, rows: Iterable[dict[str, str]]) -> None:
        ids: set[int] = set()
        crm4_ids: set[str] = set()
        for values in rows:
            for column in ("id", "parent_id"):
                if NUMBER.fullmatch(values.get(column, "")) and int(values[column]) <= MAX_ID:
                    ids.add(int(values[column]))
            for column in ("crm4_id", "parent_crm4_id"):
                if values.get(column):
                    crm4_ids.add(values[column])
        accounts = Account.objects.select_related("relationship_type", "owner")
        self.by_id = {a.pk: a for a in accounts.filter(pk__in=ids)} if ids else {}
        found = accounts.filter(crm4_id__in=crm4_ids) if crm4_ids else []
        self.by_crm4_id = {a.crm4_id: a for a in found}
        known = {*self.by_id, *(a.pk for a in self.by_crm4_id.values())}
        self.addresses: dict[int, dict[str, Address]] = defaultdict(dict)
        for address in Address.objects.filter(
            account_id__in=known, kind__in=[Address.Kind.VISIT, Address.Kind.MAILING]
        ):
            self.addresses[address.account_id][address.kind] = address

    # Checking one row.

    def check(self, line: int, values: dict[str, str]) -> _Row:
        self.check_duplicates(values)
        if line in self.scan.repeated_rows:
            raise RowRefused(
                _(
                    "The same as line %(line)s, which adds this account already: a row without "
                    "an id or CRM4 id adds an account each time it occurs."
                )
                % {"line": self.scan.repeated_rows[line]}
            )
        existing = self.existing(values)
        is_new = existing is None
        account = Account() if existing is None else existing
        if not is_new and account.pk in self.touched:
            raise RowRefused(
                _("Line %(line)s changes the same account (#%(id)s) already: keep one of them.")
                % {"line": self.touched[account.pk], "id": account.pk}
            )
        before = (
            None
            if is_new
            else Account(
                credit_limit=account.credit_limit,
                credit_hold=account.credit_hold,
                credit_hold_reason=account.credit_hold_reason,
                relationship_type=account.relationship_type,
                crm4_id=account.crm4_id,
                owner=account.owner,
                is_active=account.is_active,
            )
        )
        errors: dict[str, list[str]] = {}
        old = {name: getattr(account, name) for name in (*TEXT_FIELDS, *services.CREDIT_FIELDS)}
        old.update(
            relationship_type=account.relationship_type_id,
            industry=account.industry_id,
            owner=account.owner_id,
            is_active=account.is_active,
        )
        old_parent = account.parent_id
        self.read_fields(account, values, is_new=is_new, errors=errors)
        parent_key = self.read_parent(account, values, line=line, errors=errors)
        addresses = self.read_addresses(values, errors=errors)
        if not errors:
            self.check_hold_reason(account, before, values, errors=errors)
        if not errors:
            self.check_account(account, errors=errors)
        if not errors:
            self.check_hierarchy(account, parent_key, errors=errors)
        if not errors:
            self.check_crm4_id(account, values, errors=errors)
        if not errors:
            self.check_field_rights(account, before, errors=errors)
        if errors:
            raise RowRefused(_format(errors))
        changed = [
            name
            for name, value in old.items()
            if value != getattr(account, f"{name}_id" if name in _KEYS else name)
        ]
        if parent_key != old_parent:
            changed.append("parent")
        changed_addresses = [] if is_new else self.changed_addresses(account, addresses)
        self.check_rights(is_new=is_new, changed=changed, changed_addresses=changed_addresses)
        row = _Row(
            line=line,
            account=account,
            is_new=is_new,
            parent_key=parent_key,
            before=before,
            addresses=addresses,
            changed_fields=changed,
            changed_addresses=changed_addresses,
        )
        if not is_new:
            self.touched[account.pk] = line
        self.remember(row, values)
        return row

    def check_duplicates(self, values: dict[str, str]) -> None:
        crm4_id = values.get("crm4_id", "")
        if crm4_id in self.scan.duplicate_crm4_ids:
            raise RowRefused(
                _(
                    "CRM4 id “%(crm4_id)s” is on lines %(lines)s: all of them are refused, as "
                    "nothing says which is right. Keep one and import again."
                )
                % {"crm4_id": crm4_id, "lines": _lines(self.scan.duplicate_crm4_ids[crm4_id])}
            )
        account_id = values.get("id", "")
        if account_id in self.scan.duplicate_ids:
            raise RowRefused(
                _(
                    "Id %(id)s is on lines %(lines)s: all of them are refused, as nothing says "
                    "which is right. Keep one and import again."
                )
                % {"id": account_id, "lines": _lines(self.scan.duplicate_ids[account_id])}
            )

    def existing(self, values: dict[str, str]) -> Account | None:
        """The account the row updates: by this CRM's id if given, else by CRM4 id."""
        account_id = values.get("id", "")
        if account_id:
            account = self.by_id.get(int(account_id)) if NUMBER.fullmatch(account_id) else None
            if account is None:
                raise RowRefused(
                    _("No account has id %s: leave id empty to add a new account.") % account_id
                )
        else:
            crm4_id = values.get("crm4_id", "")
            account = self.by_crm4_id.get(crm4_id) if crm4_id else None
        # A copy: a row refused half-way must leave no trace for the rows after it.
        return copy.copy(account) if account is not None else None

    def read_fields(
        self, account: Account, values: dict[str, str], *, is_new: bool, errors: dict
    ) -> None:
        for name in TEXT_FIELDS:
            if name in values:
                setattr(account, name, values[name])
        if values.get("website"):
            # As the account form reads it: "www.example.nl" means https://www.example.nl.
            try:
                account.website = _WEBSITE.to_python(values["website"]) or ""
            except ValidationError as error:
                errors.setdefault("website", []).extend(error.messages)
        if "relationship_type" in values or is_new:
            name = values.get("relationship_type", "")
            if name:
                found = self.types.get(name.casefold())
                if found is None:
                    errors.setdefault("relationship_type", []).append(
                        no_such_name(RelationshipType, name)
                    )
                else:
                    account.relationship_type = found
            elif is_new and self.prospect is not None:
                # An empty cell gives a new account the default type; an old one keeps its own.
                account.relationship_type = self.prospect
        if "industry" in values or is_new:
            name = values.get("industry", "")
            found = self.industries.get(name.casefold()) if name else None
            if not name:
                errors.setdefault("industry", []).append(_("Every account needs an industry."))
            elif found is None:
                errors.setdefault("industry", []).append(no_such_name(Industry, name))
            else:
                account.industry = found
        if "credit_limit" in values:
            try:
                account.credit_limit = PlainDecimalWidget().clean(values["credit_limit"])
            except ValueError as error:
                errors.setdefault("credit_limit", []).append(str(error))
        if "owner" in values:
            self.read_owner(account, values["owner"], errors=errors)
        if ACTIVE in values:
            try:
                active = ActiveWidget().clean(values[ACTIVE])
            except ValueError:
                errors.setdefault(ACTIVE, []).append(
                    _("“%s” is not yes or no.") % values[ACTIVE][:50]
                )
            else:
                account.is_active = account.is_active if active is None else active
        if HOLD_REASON in values:
            account.credit_hold_reason = values[HOLD_REASON]
        if "credit_hold" in values:
            try:
                account.credit_hold = YesNoWidget().clean(values["credit_hold"])
            except ValueError:
                errors.setdefault("credit_hold", []).append(
                    _("“%s” is not yes or no.") % values["credit_hold"][:50]
                )

    def read_owner(self, account: Account, username: str, *, errors: dict) -> None:
        """The owner by username; an empty cell means nobody owns the account."""
        if not username:
            account.owner = None
            return
        if username not in self.owners:
            users = get_user_model().objects
            found = users.filter(username=username).first() or (
                users.filter(username__iexact=username).first()
            )
            self.owners[username] = (found, services.owner_refusal(found) if found else None)
        owner, refusal = self.owners[username]
        if owner is None:
            errors.setdefault("owner", []).append(
                _("No user has the username “%s”: check it, or leave the owner empty.")
                % username[:150]
            )
        elif refusal and owner.pk != account.owner_id:  # an owner already set may stay
            errors.setdefault("owner", []).append(refusal)
        else:
            account.owner = owner

    def read_parent(
        self, account: Account, values: dict[str, str], *, line: int, errors: dict
    ) -> int | None:
        """The key of the parent the row names: by CRM4 id, else by id, else by name."""
        columns = ("parent_crm4_id", "parent_id", PARENT_NAME)
        if not any(column in values for column in columns):
            return account.parent_id
        crm4_id = values.get("parent_crm4_id", "")
        parent_id = values.get("parent_id", "")
        name = values.get(PARENT_NAME, "")
        if crm4_id:
            key = self.file_crm4_ids.get(crm4_id)
            if key is None and crm4_id in self.by_crm4_id:
                key = self.by_crm4_id[crm4_id].pk
            if key is None and self.comes_later(crm4_id, line):
                raise RowDeferred
            if key is None:
                errors.setdefault("parent_crm4_id", []).append(
                    self.missing_parent(crm4_id)
                    or _(
                        "No account has CRM4 id “%s”: import the parent first (rows above "
                        "their children)."
                    )
                    % crm4_id
                )
            return key
        if parent_id:
            parent = (
                self.by_id.get(int(parent_id))
                if NUMBER.fullmatch(parent_id) and int(parent_id) <= MAX_ID
                else None
            )
            if parent is None:
                errors.setdefault("parent_id", []).append(
                    _("No account has id %s: check the parent_id column.") % parent_id
                )
                return None
            return parent.pk
        if name:
            return self.parent_by_name(name, errors=errors)
        has_parent_id = "parent_id" in values
        # With a parent_id column the answer is no: the parent's CRM4 id is not even read.
        if account.parent_id and not has_parent_id:
            parent_crm4_id = (
                Account.objects.filter(pk=account.parent_id).values_list("crm4_id", flat=True)
            ).first()
            if empty_parent_cell_keeps_parent(
                file_has_parent_id=has_parent_id, parent_crm4_id=parent_crm4_id or ""
            ):
                return account.parent_id
        return None

    def comes_later(self, crm4_id: str, line: int) -> bool:
        """Whether the parent's row is still to be imported, further down or deferred itself."""
        if self.last_round or crm4_id in self.refused_crm4_ids:
            return False
        return (
            self.scan.crm4_first_lines.get(crm4_id, 0) > line or crm4_id in self.deferred_crm4_ids
        )

    def missing_parent(self, crm4_id: str) -> str:
        line = self.refused_crm4_ids.get(crm4_id)
        if line is None:
            return ""
        return _("The parent with CRM4 id “%(crm4_id)s” (line %(line)s) was refused.") % {
            "crm4_id": crm4_id,
            "line": line,
        }

    def parent_by_name(self, name: str, *, errors: dict) -> int | None:
        folded = name.casefold()
        if folded in self.file_names:
            key = self.file_names[folded]
        else:
            if folded not in self.names_in_db:
                found = list(
                    Account.objects.filter(name__iexact=name).values_list("pk", flat=True)[:2]
                )
                self.names_in_db[folded] = found[0] if len(found) == 1 else (None if found else 0)
            key = self.names_in_db[folded]
        if key is None:
            errors.setdefault(PARENT_NAME, []).append(
                _("Several accounts are called “%s”: name the parent by its CRM4 id.") % name
            )
        elif key == 0:
            errors.setdefault(PARENT_NAME, []).append(
                _("No account is called “%s”: import the parent first (rows above their children).")
                % name
            )
            return None
        return key

    def read_addresses(self, values: dict[str, str], *, errors: dict) -> dict[str, dict[str, str]]:
        addresses: dict[str, dict[str, str]] = {}
        for column, (kind, part) in ADDRESS_COLUMNS.items():
            if column not in values:
                continue
            value = values[column]
            if part == "country":
                # Not the country field's own check: it rebuilds its 250 choices, 3 ms a row.
                value, refusal = country_cell(value)
                if refusal:
                    errors.setdefault(column, []).append(refusal)
            addresses.setdefault(kind, {})[part] = value
        for kind_name, parts in addresses.items():
            try:
                Address(kind=kind_name, **parts).clean_fields(exclude=_NOT_CHECKED_ADDRESS_FIELDS)
            except ValidationError as error:
                for part, messages in error.message_dict.items():
                    errors.setdefault(f"{kind_name}_{part}", []).extend(messages)
        return addresses

    def check_hold_reason(
        self, account: Account, before: Account | None, values: dict[str, str], *, errors: dict
    ) -> None:
        """The form's rule when the file carries reasons: a hold put on needs one. CRM 4's own
        files carry none, and their holds come in without. A lifted hold keeps no reason."""
        try:
            services.check_credit_hold_reason(
                account=account, before=before, required=HOLD_REASON in values
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)

    def check_account(self, account: Account, *, errors: dict) -> None:
        """The model's own field rules (lengths, email, phone, website, CRM4 id, credit)."""
        account.name_key = account_name_key(account.name)
        try:
            account.clean_fields(exclude=["relationship_type", "industry", "parent", "name_key"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)

    def check_hierarchy(self, account: Account, parent_key: int | None, *, errors: dict) -> None:
        """Account.clean's hierarchy rule, knowing the parents this file set but did not write."""
        account.business_unit = business_unit_normalized(account.business_unit)
        problems = account_hierarchy_errors(
            business_unit=account.business_unit,
            key=account.pk,
            parent_key=parent_key,
            parent_of=self.parent_of,
        )
        if problems:
            errors.setdefault("parent", []).extend(problems)

    def parent_of(self, key: int) -> int | None:
        """The parent key of an account: as this file set it, else as the database has it."""
        if key in self.parents:
            return self.parents[key]
        if key < 0:
            return None
        if key not in self.stored_parents:
            self.stored_parents[key] = (
                Account.objects.filter(pk=key).values_list("parent_id", flat=True).first()
            )
        return self.stored_parents[key]

    def check_crm4_id(self, account: Account, values: dict[str, str], *, errors: dict) -> None:
        crm4_id = account.crm4_id
        if not crm4_id:
            return
        other = self.by_crm4_id.get(crm4_id)
        if (other is not None and other.pk != account.pk) or (
            crm4_id in self.file_crm4_ids and self.file_crm4_ids[crm4_id] != account.pk
        ):
            errors.setdefault("crm4_id", []).append(str(CRM4_ID_TAKEN))

    def check_field_rights(self, account: Account, before: Account | None, *, errors: dict) -> None:
        """The credit fields and a changed CRM4 id as the command's --user may change them."""
        fields = {name: getattr(account, name) for name in services.CREDIT_FIELDS}
        try:
            services.require_credit_permission(user=self.user, before=before, fields=fields)
            services.require_owner_permission(
                user=self.user, before=before, fields={"owner": account.owner_id}
            )
            services.require_active_permission(
                user=self.user, before=before, fields={"is_active": account.is_active}
            )
            if before is not None:
                services.require_crm4_permission(
                    user=self.user, before=before, fields={"crm4_id": account.crm4_id}
                )
        except PermissionDenied as error:
            errors.setdefault(NON_FIELD_ERRORS, []).append(str(error))

    def check_rights(
        self, *, is_new: bool, changed: list[str], changed_addresses: list[Address]
    ) -> None:
        """The rights the services would ask for this row; an unchanged row needs none."""
        needed = [ADD_ACCOUNT] if is_new else []
        if changed:
            needed.append(CHANGE_ACCOUNT)
        if changed_addresses:
            needed.append(CHANGE_ADDRESS)
        for permission in needed:
            try:
                require_permission(self.user, permission)
            except PermissionDenied as error:
                raise RowRefused(str(error)) from error

    def changed_addresses(
        self, account: Account, addresses: dict[str, dict[str, str]]
    ) -> list[Address]:
        changed = []
        for kind, parts in addresses.items():
            address = self.addresses[account.pk].get(kind)
            if address is None or all(getattr(address, p) == v for p, v in parts.items()):
                continue
            # A copy: the row may still be refused, and must leave no trace for the rows after it.
            address = copy.copy(address)
            for part, value in parts.items():
                setattr(address, part, value)
            if kind == Address.Kind.VISIT:
                # A moved visit address loses its old coordinates until geocode_accounts runs.
                for name, reset in services.GEOCODE_RESET.items():
                    setattr(address, name, reset)
            changed.append(address)
        return changed

    def remember(self, row: _Row, values: dict[str, str]) -> None:
        """Let later rows name this one as their parent, and see the parent it has now."""
        key = row.account.pk or -row.line
        if row.account.crm4_id:
            self.file_crm4_ids[row.account.crm4_id] = key
        if row.is_new:
            folded = row.account.name.casefold()
            self.file_names[folded] = None if folded in self.file_names else key
        self.parents[key] = row.parent_key

    # Writing a batch.

    def write(self, rows: list[_Row]) -> None:
        # New accounts of this batch by key, for the rows that name them as parent.
        pending = {-row.line: row.account for row in rows if row.is_new}
        try:
            with transaction.atomic():
                self.write_rows(rows, pending)
        except (IntegrityError, DatabaseError, ValueError):
            # Rare: the database refused something the checks did not foresee, for example a
            # row written meanwhile. Write the batch row by row so only that row is refused.
            written = []
            for row in rows:
                self.unsave(row)
                try:
                    with transaction.atomic():
                        self.write_rows([row], pending)
                except (IntegrityError, DatabaseError, ValueError) as error:
                    self.unsave(row)
                    values = {"crm4_id": row.account.crm4_id, "name": row.account.name}
                    self.refuse(row.line, values, _("The database refused the row: %s") % error)
                    self.forget(row)
                else:
                    written.append(row)
            rows[:] = written
        for row in rows:
            if row.is_new:
                self.rekey(row)

    def write_rows(self, rows: list[_Row], pending: dict[int, Account]) -> None:
        new: list[_Row] = []
        for row in rows:
            parent = pending.get(row.parent_key) if row.parent_key and row.parent_key < 0 else None
            if parent is not None and parent.pk is None:
                if not any(other.account is parent for other in new):
                    raise ValueError(
                        _("its parent (line %s) could not be written") % -row.parent_key
                    )
                # The parent is a new row of this batch: it needs its id first.
                self.create(new)
                new = []
            if row.parent_key is None or row.parent_key > 0:
                row.account.parent_id = row.parent_key
            else:
                row.account.parent = pending[row.parent_key]
            if row.is_new:
                new.append(row)
        self.create(new)
        updated = [row for row in rows if not row.is_new and row.changed_fields]
        fields = sorted({name for row in updated for name in row.changed_fields})
        for row in updated:
            row.account.updated_at = self.now
        if updated:
            update_rows(
                Account, [row.account for row in updated], [*fields, "name_key", "updated_at"]
            )
        addresses = [address for row in rows for address in row.changed_addresses]
        if addresses:
            update_rows(Address, addresses, [*services.ADDRESS_FIELDS, *services.GEOCODE_RESET])
        changes: list[AccountChange] = []
        for row in rows:
            changes += services.account_changes(
                account=row.account, before=row.before, user=self.user
            )
        AccountChange.objects.bulk_create(changes)
        account_copies_refresh(account_ids=[row.account.pk for row in rows])

    def create(self, rows: list[_Row]) -> None:
        if not rows:
            return
        for row in rows:
            row.account.created_at = row.account.updated_at = self.now
        Account.objects.bulk_create([row.account for row in rows])
        addresses = []
        for row in rows:
            for kind, name in ((Address.Kind.VISIT, "Visit"), (Address.Kind.MAILING, "Mailing")):
                addresses.append(
                    Address(
                        account=row.account, kind=kind, name=name, **row.addresses.get(kind, {})
                    )
                )
        Address.objects.bulk_create(addresses)

    def unsave(self, row: _Row) -> None:
        """Forget the id a rolled-back write gave a new account."""
        if row.is_new:
            row.account.pk = None
            row.account._state.adding = True

    def rekey(self, row: _Row) -> None:
        """A written new account is known by its id from now on (its old key stays valid)."""
        old, new = -row.line, row.account.pk
        self.parents[new] = self.parents.get(old)
        crm4_id, folded = row.account.crm4_id, row.account.name.casefold()
        if crm4_id and self.file_crm4_ids.get(crm4_id) == old:
            self.file_crm4_ids[crm4_id] = new
        if self.file_names.get(folded) == old:
            self.file_names[folded] = new

    def forget(self, row: _Row) -> None:
        key = -row.line if row.is_new else row.account.pk
        self.parents.pop(key, None)
        if row.account.crm4_id and self.file_crm4_ids.get(row.account.crm4_id) == key:
            del self.file_crm4_ids[row.account.crm4_id]


_KEYS = {"relationship_type", "industry", "owner"}
# The account form's website field: the import reads a website as the form does.
_WEBSITE = AccountForm.base_fields["website"]
_NOT_CHECKED_ADDRESS_FIELDS = [
    f.name for f in Address._meta.fields if f.name not in services.ADDRESS_FIELDS
] + ["country"]


def _format(errors: dict[str, list[str]]) -> str:
    """One line: "column: message; column: message"."""
    parts = []
    for column, messages in errors.items():
        text = " ".join(str(m) for m in messages)
        parts.append(text if column == NON_FIELD_ERRORS else f"{column}: {text}")
    return "; ".join(parts)
