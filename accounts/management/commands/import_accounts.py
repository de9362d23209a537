"""manage.py import_accounts FILE --user USERNAME: import a big CSV file of accounts.

The rules are in accounts/importing.py.

The admin's import shows a preview of every row and saves them one by one: fine for a few
hundred rows, hopeless for a full CRM 4 export. This command streams the file and writes it in
batches; --dry-run checks it all first.
"""

import codecs
import csv
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.formulae import escape_formula
from accounts.importing import ImportFileError, ImportResult, accounts_import
from accounts.resources import file_encoding

BOM = codecs.BOM_UTF8


def detect_encoding(path: Path) -> str:
    """The file's encoding, as accounts.resources.file_encoding tells it."""
    with path.open("rb") as file:
        return file_encoding(iter(lambda: file.read(1 << 20), b""))


def open_text(path: Path, encoding: str) -> TextIO:
    return path.open(encoding=encoding, newline="")


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # Translated when asked for: argparse cannot format a lazy string.
        return _(
            "Import accounts from a CSV file with the columns of the admin's CSV export. Rows "
            "are matched to existing accounts by id, else by CRM4 id, and updated; other rows "
            "add accounts. Rows that break a rule are refused and reported with their line "
            "number; the others are imported. Visit addresses are not geocoded: run "
            "geocode_accounts afterwards."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("The CSV file to import."))
        parser.add_argument(
            "--dry-run", action="store_true",
            help=_("Check every row and report what would happen, without writing anything."),
        )  # fmt: skip
        parser.add_argument(
            "--encoding",
            help=_("The file's encoding, such as utf-8 or cp1252 (default: UTF-8 if the file "
                   "is valid UTF-8, else cp1252)."),
        )  # fmt: skip
        parser.add_argument(
            "--report", type=Path, metavar="FILE",
            help=_("Write the refused rows to this CSV file instead of listing them here."),
        )  # fmt: skip
        parser.add_argument(
            "--user", metavar="USERNAME",
            help=_("Required: the user the import acts for. Its rights decide what may be "
                   "imported (adding accounts, changing them and their addresses, credit), and "
                   "the credit history names it."),
        )  # fmt: skip
        parser.add_argument(
            "--batch-size", type=int, default=1000, help=_("Rows written per transaction.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.user(options["user"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file %s.") % path)
        encoding = self.encoding(path, options["encoding"])
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        started = time.monotonic()
        try:
            result = accounts_import(
                open_source=partial(open_text, path, encoding),
                user=user,
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                progress=Progress(self.stderr, started),
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.summary(result, encoding, time.monotonic() - started)
        self.report(result, options["report"])

    def encoding(self, path: Path, name: str | None) -> str:
        if not name:
            return detect_encoding(path)
        try:
            codec = codecs.lookup(name)
        except LookupError as error:
            raise CommandError(_("Unknown encoding %s.") % name) from error
        # utf-8-sig reads files with and without the byte-order mark alike.
        return "utf-8-sig" if codec.name == "utf-8" else codec.name

    def user(self, username: str | None) -> Any:
        if not username:
            raise CommandError(
                _(
                    "Name the user the import acts for with --user USERNAME: its rights decide "
                    "what may be imported, and the credit history names it."
                )
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %s.") % username)
        if not user.is_active:
            raise CommandError(_("The user %s is not active.") % username)
        return user

    def summary(self, result: ImportResult, encoding: str, seconds: float) -> None:
        refused = len(result.refused)
        values = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "refused": refused,
            "seconds": f"{seconds:.1f}",
            "encoding": "UTF-8" if encoding.startswith("utf") else encoding,
        }
        if result.dry_run:
            text = _(
                "Dry run, nothing written. %(rows)s rows (%(encoding)s) in %(seconds)s s: "
                "%(created)s would be added, %(updated)s would be updated, %(unchanged)s are "
                "unchanged, %(refused)s would be refused."
            )
        else:
            text = _(
                "%(rows)s rows (%(encoding)s) in %(seconds)s s: %(created)s accounts added, "
                "%(updated)s updated, %(unchanged)s unchanged, %(refused)s rows refused."
            )
        style = self.style.WARNING if refused else self.style.SUCCESS
        self.stdout.write(style(text % values))
        if result.ignored_columns:
            self.stdout.write(
                _("Columns ignored (not account columns): %s.") % ", ".join(result.ignored_columns)
            )
        if result.created_without_crm4_id:
            self.stdout.write(
                ngettext(
                    "%(count)s new account has no CRM4 id (nor id): importing the same file "
                    "again would add it again.",
                    "%(count)s new accounts have no CRM4 id (nor id): importing the same file "
                    "again would add them again.",
                    result.created_without_crm4_id,
                )
                % {"count": result.created_without_crm4_id}
            )
        if (result.created or result.updated) and not result.dry_run:
            self.stdout.write(
                _(
                    "The imported visit addresses are not located yet: run manage.py "
                    "geocode_accounts to place them on the map."
                )
            )

    def report(self, result: ImportResult, path: Path | None) -> None:
        refusals = sorted(result.refused, key=lambda refusal: refusal.line)
        if not refusals:
            return
        if path is not None:
            with path.open("w", encoding="utf-8-sig", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(["line", "crm4_id", "name", "reason"])
                for refusal in refusals:
                    writer.writerow(
                        [refusal.line]
                        + [
                            escape_formula(v)
                            for v in (refusal.crm4_id, refusal.name, refusal.reason)
                        ]
                    )
            self.stdout.write(
                ngettext(
                    "The refused row is listed in %(path)s.",
                    "The %(count)s refused rows are listed in %(path)s.",
                    len(refusals),
                )
                % {"count": len(refusals), "path": path}
            )
            return
        self.stdout.write(_("Refused rows:"))
        for refusal in refusals:
            who = refusal.crm4_id or refusal.name[:60]
            label = _("line %(line)s (%(who)s)") if who else _("line %(line)s")
            self.stdout.write(f"  {label % {'line': refusal.line, 'who': who}}: {refusal.reason}")


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, a line per tenth elsewhere.

    Plain text either way, so a log or CI (where CI is set) gets readable lines.
    """

    def __init__(self, stream: Any, started: float) -> None:
        self.stream = stream
        self.started = started
        self.live = stream.isatty() and not os.environ.get("CI")
        self.shown = -1
        self.done = -1

    def __call__(self, done: int, total: int) -> None:
        if done == self.done:
            return
        self.done = done
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.live and tenth == self.shown and done < total:
            return
        self.shown = tenth
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0.0
        filled = int(30 * share)
        line = (
            f"[{'#' * filled}{'-' * (30 - filled)}] {done:,}/{total:,} {_('rows')} ({rate:,.0f}/s)"
        )
        if self.live:
            self.stream.write(f"\r{line}", ending="\n" if done >= total else "")
            sys.stderr.flush()
        else:
            self.stream.write(line)
