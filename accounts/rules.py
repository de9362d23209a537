"""Pure rules about accounts that need no database."""

import re
import unicodedata

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
    r"\b(p\.?\s*o\.?\s*box|post\s*office\s*box|postbus|postfach|bo[iî]te\s+postale)\b|\bbp\s*\d+",
    re.I,
)


def looks_like_po_box(street: str) -> bool:
    """Whether a street line is a PO box, which cannot be placed on a map."""
    return bool(PO_BOX.search(street or ""))
