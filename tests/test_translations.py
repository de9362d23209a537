"""The Dutch interface is complete and what runs is what was translated.

The compiled .mo files are committed so `make run` needs no gettext on the machine; these tests
fail when a .po entry is missing, untranslated or fuzzy, or when a .mo no longer matches its .po.
"""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_there_is_a_dutch_catalogue():
    assert LOCALE / "nl" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, f"{po_path}: fuzzy entries {fuzzy[:10]}"
    assert not missing, f"{po_path}: {len(missing)} untranslated entries, e.g. {missing[:10]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_the_compiled_mo_matches_its_po(po_path):
    """Compiled in Python: a stale .mo (a .po edited, `make messages` not run) is caught."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"

    def entries(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], object]:
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid
            and not e.obsolete
            and "fuzzy" not in e.flags
            and (e.msgstr or any(e.msgstr_plural.values()))
        }

    assert entries(polib.mofile(str(mo_path))) == entries(polib.pofile(str(po_path)))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_text_of_the_code_is_in_the_catalogue(domain, tmp_path, monkeypatch):
    """makemessages, run in a copy of the sources and their catalogue, finds no text the
    committed .po lacks. (In the project itself it would write the project's own catalogue:
    it always adds the working directory's locale/ to the catalogues it updates.)"""
    sources = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        sources,
        ignore=shutil.ignore_patterns(
            ".*", "bench", "tests", "staticfiles", "test-artifacts", "node_modules", "*.sqlite3*"
        ),
    )
    work = sources / "locale"
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[work]):
        call_command(
            "makemessages",
            locale=["nl"],
            domain=domain,
            ignore_patterns=["locale"],
            no_obsolete=True,
            verbosity=0,
        )
    wanted = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(work / "nl/LC_MESSAGES" / f"{domain}.po"))
    }
    have = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "nl/LC_MESSAGES" / f"{domain}.po"))
    }
    assert not wanted - have, f"run `make messages` and translate: {sorted(wanted - have)[:10]}"
