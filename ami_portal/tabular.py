"""Cells for tabular exports (CSV, XLSX, ODS): the one defence against formula injection.

Every export that writes user-provided text into a spreadsheet-readable file passes each row through
``safe_row`` (public laureate exports, open data, press exports and jobs, the admin dossier export). Following
OWASP's CSV-injection guidance, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with a single quote, so spreadsheet software shows it as text instead of evaluating it.
Line feeds and the full-width forms of ``= + - @`` (which some spreadsheet software also reads as formula
starts) are treated the same way. Real numbers stay numbers (a negative population stays a numeric cell); only
text is ever prefixed. JSON exports are data, not spreadsheets, and are not altered.
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from numbers import Number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """``value`` ready for a spreadsheet cell: numbers, dates and None unchanged, text never a formula."""
    if value is None or isinstance(value, (bool, Number, datetime, date, time)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row: Iterable) -> list:
    """A row of ``safe_cell`` values."""
    return [safe_cell(value) for value in row]
