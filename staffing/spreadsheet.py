"""CSV downloads that spreadsheets open correctly and safely: the one place that writes them.

- The separator follows the language's numbers: where the decimal mark is a comma (French),
  spreadsheets split on `;`, elsewhere on `,`. Decimals use the language's decimal mark.
- UTF-8 with a byte-order mark, without which Excel reads accented names as mojibake.
- No text cell can run as a formula, whatever separator the file is opened with: a cell, and
  every part of it after a `;` or a `,`, that starts with = + - @, a tab or a carriage return
  gets a leading quote (what spreadsheets show as plain text).
"""

import csv
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import get_format

BOM = "\ufeff"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = "=+-@\t\r"
# The start of the text, or of a part after a separator, then spaces, then a formula start.
_FORMULA_PART = re.compile(r"(^|[;,])( *)(?=[" + re.escape(FORMULA_STARTS) + r"])")


def defused(text):
    """`text` with every part that a spreadsheet would run as a formula made plain text."""
    return _FORMULA_PART.sub(r"\1\2'", text)


def separators():
    """(field separator, decimal mark) for the active language."""
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    return (";" if decimal_mark == "," else ","), decimal_mark


def cell(value, decimal_mark="."):
    """One value as a CSV field: numbers plain (decimal mark of the language), text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", decimal_mark)
    return defused(str(value))


def csv_response(header, rows, *, filename):
    """A CSV download of `header` then `rows` (lists of values), for the active language."""
    separator, decimal_mark = separators()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response, delimiter=separator, lineterminator="\r\n")
    writer.writerow([cell(label) for label in header])
    for row in rows:
        writer.writerow([cell(value, decimal_mark) for value in row])
    return response
