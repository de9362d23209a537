"""Pure rules about accounts that need no database.

Whatever they need to know from it they are given (as `parent_of` below), so the account pages,
the admin and the bulk import, which knows rows not written yet, all decide by the same rule.
"""

import re
import unicodedata
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

# "HQ" means corporate headquarters, and then there is no parent.
HQ = "HQ"
# Also the messages of the database constraints (accounts/models.py) that back these rules.
HQ_HAS_NO_PARENT = _("A headquarters (business unit HQ) has no parent account.")
OWN_PARENT = _("An account cannot be its own parent.")
PARENT_LOOP = _("This parent would make a loop: the account is above it already.")

Key = TypeVar("Key", bound=Hashable)

# Legal-form suffixes that do not make two company names different.
LEGAL_FORMS = {
    "ag", "bv", "bvba", "co", "company", "corp", "corporation", "cv", "gmbh", "inc",
    "kg", "limited", "llc", "ltd", "nv", "plc", "sa", "sarl", "sas", "se", "srl", "vof",
}  # fmt: skip


def account_name_key(name: str) -> str:
    """A company name reduced for comparison: no case, accents, punctuation or legal form.

    "Bodywork Group B.V." and "bodywork group bv" give the same key.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # Dots inside abbreviations such as "B.V." join the letters rather than split words.
    words = re.sub(r"[^a-z0-9&]+", " ", ascii_name.lower().replace(".", "")).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS | {"&"}:
        words.pop()
    return " ".join(words)


PO_BOX = re.compile(
    # The word as English, Dutch, German and French write it (spaced, hyphenated, run on or
    # abbreviated), not followed by a letter ("Postbuslaan" is a street); or "BP"/"B.P." and a
    # number. Antwoordnummer is the Dutch freepost box, case postale the Swiss PO box.
    r"\b(?:p\.?\s*o\.?[\s-]*box|post[\s-]*office[\s-]*box|post[\s-]*box|postbus|postfach"
    r"|postf\.|bo[iî]te[\s-]+postale|case[\s-]+postale|antwoordnummer)(?![^\W\d_])"
    r"|\bb\.?\s*p\.?\s*\d+",
    re.I,
)


def looks_like_po_box(street: str) -> bool:
    """Whether a street line is a PO box, which cannot be placed on a map."""
    return bool(PO_BOX.search(street or ""))


def business_unit_normalized(business_unit: str) -> str:
    """The business unit as stored: any spelling of HQ ("hq", " Hq ") becomes "HQ".

    The database constraint that keeps a headquarters without a parent knows "HQ" only.
    """
    return HQ if business_unit.strip().upper() == HQ else business_unit


def account_hierarchy_errors(
    *,
    business_unit: str,
    key: Key | None,
    parent_key: Key | None,
    parent_of: Callable[[Key], Key | None],
) -> list[str]:
    """Why `parent_key` cannot be the parent of the account `key`; empty when it can.

    A headquarters has no parent, an account is not its own parent, and a parent chain never
    loops. `key` is None for an account not saved yet, which nothing can be below, so no chain
    is walked. `parent_of(k)` gives the parent key of account `k` (None at the top): the model
    asks the database, the import also knows the parents its file set but did not write yet.
    """
    if parent_key is None:
        return []
    if business_unit_normalized(business_unit) == HQ:
        return [str(HQ_HAS_NO_PARENT)]
    if key is None:
        return []
    if parent_key == key:
        return [str(OWN_PARENT)]
    seen: set[Key] = set()
    current: Key | None = parent_key
    while current is not None and current not in seen:
        if current == key:
            break
        seen.add(current)
        current = parent_of(current)
    # Reaching the account, or a loop above it that never reaches the top, is a loop.
    return [str(PARENT_LOOP)] if current is not None else []


def empty_parent_cell_keeps_parent(*, file_has_parent_id: bool, parent_crm4_id: str) -> bool:
    """Whether an empty parent cell in an imported file leaves the account's parent in place.

    A file without a parent_id column (from the old CRM, or exported before it had one) names
    parents by CRM4 id only, so it cannot name a parent without one: there an empty cell does
    not mean "no parent". Both imports (the admin's and import_accounts) ask this.
    """
    return not file_has_parent_id and not parent_crm4_id
