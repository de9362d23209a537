"""Texts as each language the site offers writes them."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation

from common.typing import StrOrPromise


def in_every_language(render: Callable[[], Iterable[str]]) -> frozenset[str]:
    """What `render()` gives in each language of settings.LANGUAGES, all together."""
    found: set[str] = set()
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            found.update(render())
    return frozenset(found)


def casefolded_in_every_language(texts: Iterable[StrOrPromise]) -> frozenset[str]:
    """The (lazily translated) texts in every language, casefolded, to recognise a name a user
    typed in any of them ("Levering", "bezoekadres")."""
    texts = list(texts)
    return in_every_language(lambda: [str(text).casefold() for text in texts])
