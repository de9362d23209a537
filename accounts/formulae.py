"""Spreadsheet formulae in CSV cells: escaped on export, unescaped on import, losslessly.

A cell starting with "=", "+", "-" or "@" (or a tab or carriage return before one) is run as a
formula by Excel and LibreOffice, so an account named `=HYPERLINK("http://evil","x")` would
become a live link in the file of whoever exports it (CSV injection). The export puts an
apostrophe before such a cell, which spreadsheets read as "this is text" and hide. The import
removes that one apostrophe again, so phones such as "+31 40 123 4567" and names starting with
"=", "-" or "@" come back exactly as they were.

django-import-export 4.4's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only deletes the first
"=" (the value is lost and "+", "-", "@" stay live), hence this module.

A value that itself starts with an apostrophe is escaped too, so that it is never mistaken for
an escape on the way back: "'=x" is written "''=x" and read as "'=x".
"""

ESCAPE = "'"
# What a spreadsheet may take for the start of a formula, and the escape itself.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", ESCAPE)


def escape_formula(value: str) -> str:
    """The cell to write: the value, behind an apostrophe if a spreadsheet would run it."""
    return ESCAPE + value if value.startswith(TRIGGERS) else value


def unescape_formula(value: str) -> str:
    """The value a cell written by escape_formula stands for; other cells stay as they are."""
    if value.startswith(ESCAPE) and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value
