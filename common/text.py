"""Characters a text loses before it is stored, however it arrives (a form, a query, a file)."""

# The bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069). One left
# open runs on past the name it was typed in and reorders the page's own text around it ("Make
# ... the primary contact" read backwards); right-to-left letters need none of them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_WITHOUT_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    return text.translate(_WITHOUT_BIDI_CONTROLS)
