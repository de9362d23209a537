"""Texts as each language the site offers writes them."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from common.typing import StrOrPromise


def casefolded_in_every_language(texts: Iterable[StrOrPromise]) -> frozenset[str]:
    """The (lazily translated) texts in every language of settings.LANGUAGES, casefolded, to
    recognise a name a user typed in any of them ("Levering", "bezoekadres")."""
    texts = list(texts)
    found: set[str] = set()
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            found.update(str(text).casefold() for text in texts)
    return frozenset(found)
