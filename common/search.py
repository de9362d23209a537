"""What searches compare: words bounded and normalised, and phone numbers by their digits.

Every search box and the admin's search go through `search_bound`. Each word of a search adds a
condition: 1,000 words took 24 s on PostgreSQL and SQLite refuses about 500 ("Expression tree is
too large"). Nobody types more than a few words into a search.
"""

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext

SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 10


def _search_cut_message() -> str:
    return gettext(
        "A search uses at most %(words)d words and %(chars)d characters: the rest was ignored."
    ) % {"words": SEARCH_MAX_WORDS, "chars": SEARCH_MAX_CHARS}


# Translated when shown, in the reader's language, not once at import.
SEARCH_CUT_MESSAGE = lazy(_search_cut_message, str)()


@dataclass(frozen=True)
class BoundedSearch:
    text: str  # what to search for: the words kept, or the whole search when nothing was cut
    words: list[str]
    cut: bool  # whether words or characters were left out


def search_bound(text: str) -> BoundedSearch:
    """The first 200 characters and, of those, the first 10 words of a search."""
    text = (text or "").strip()
    kept = text[:SEARCH_MAX_CHARS]
    words = kept.split()
    cut = len(kept) < len(text) or len(words) > SEARCH_MAX_WORDS
    words = words[:SEARCH_MAX_WORDS]
    return BoundedSearch(text=" ".join(words) if cut else text, words=words, cut=cut)


def bounded_search_words(filterset: object, value: str) -> list[str]:
    """The words of a list's search (a django-filter method's value), within the bound.

    The page says when some were left out, so nobody wonders why a word did not count.
    """
    bounded = search_bound(value)
    request: HttpRequest | None = getattr(filterset, "request", None)
    if bounded.cut and request is not None:
        messages.warning(request, SEARCH_CUT_MESSAGE)
    return bounded.words


def search_normalised(text: str) -> str:
    """Text as the search columns hold it: accents dropped, upper-cased ("Köln" -> "KOLN").

    A search word is normalised the same way, so a plain `contains` ignores accents and case on
    SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


# The runs of letters and digits in a word ("INFO", "HUISMANADVIES", "NL" in an email address).
_RUNS = re.compile(r"[^\W_]+")


# Apostrophes as keyboards type them: a phone or a Mac writes the typographic one (U+2019), a
# PC the straight one, and autocorrect turns a leading one ("'s-Hertogenbosch") into U+2018.
_APOSTROPHE_KINDS = ("'", "\u2018", "\u2019", "\u02bc")
_APOSTROPHES = re.compile(f"[{''.join(_APOSTROPHE_KINDS)}]")


def word_condition(column: str, word: str) -> Q:
    """The rows whose `column` of search words holds `word` (normalised as search_normalised
    does), served on PostgreSQL by the column's trigram index.

    A word with an apostrophe finds the names written with any kind of one.
    """
    if not _APOSTROPHES.search(word):
        return _word_condition(column, word)
    spellings = {_APOSTROPHES.sub(apostrophe, word) for apostrophe in _APOSTROPHE_KINDS}
    found = Q()
    for spelling in sorted(spellings):
        found |= _word_condition(column, spelling)
    return found


def _word_condition(column: str, word: str) -> Q:
    """The rows whose `column` holds `word` (see word_condition).

    A word with punctuation in it, an email address above all, is looked up in the index by its
    longest run of letters and digits, and each row found is checked for the whole word. The
    index reads every three-letter piece of a word, and an address's common ones ("INF", ".NL")
    cost more than the rows they narrow down: 15 ms for an email among a million accounts,
    2 ms by its run. The check is on the column as an expression, which the index cannot
    serve, so the index is asked for the run alone.
    """
    longest = max(_RUNS.findall(word), key=len, default="")
    if len(longest) < 3 or longest == word:  # a trigram index needs three characters
        return Q(**{f"{column}__contains": word})
    whole = Concat(column, Value(""), output_field=TextField())
    return Q(**{f"{column}__contains": longest}) & Q(Contains(whole, word))


# A phone number as people type it: digits, spaces, a plus, dashes, dots, slashes, brackets.
_PHONE_LIKE = re.compile(r"\+?[0-9(][0-9 ().\-/]*")
# Fewer digits are a piece of anything (an area code, a house number): searched as words.
PHONE_MIN_DIGITS = 6


def phone_national_digits(text: str) -> str:
    """A phone number's national digits, without its country code, trunk 0 or spacing
    ("+31 40 123 4567" and "040-123 45 67" are both "401234567"); "" if it is none.

    A number without its country code is read as one of settings.PHONE_REGION's; in the
    countries around it the trunk prefix is the same 0, so their numbers read alike."""
    try:
        number = phonenumbers.parse(text, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.national_significant_number(number)


def phone_search_digits(text: str) -> str | None:
    """The national digits to look for when a search is a phone number, or a piece of one of at
    least six digits; None for any other search."""
    if not _PHONE_LIKE.fullmatch(text.strip()):
        return None
    digits = phone_national_digits(text)
    # Counted after parsing: "003456" is an international prefix and a piece of two digits.
    return digits if len(digits) >= PHONE_MIN_DIGITS else None
