"""Row ids as they arrive in URLs and query strings."""

import re

# Ids are 64-bit: a larger number names no row, and SQLite refuses to even compare with it.
MAX_ID = 2**63 - 1
# ASCII digits only: "²".isdigit() is True, yet int("²") fails.
DIGITS = re.compile(r"[0-9]+")


def parse_id(value: object) -> int | None:
    """The row id a text holds, or None when it is not a number any row can have."""
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        if not DIGITS.fullmatch(text) or len(text) > 19:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in a URL: an id a row can have, so a larger number is a 404 rather than an
    overflow in the database driver."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not a row id")  # the URL does not match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
