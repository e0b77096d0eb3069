"""Tables of figures: one definition serves the page (formatted cells) and the CSV export (raw
numbers, a header row, units in the column names)."""

from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staffing.dates import month_year
from staffing.spreadsheet import csv_response as spreadsheet_response
from staffing.templatetags.desk import euros, money, percent

TEXT, COUNT, RATE, DAYS, MONEY, RATIO = "text", "count", "rate", "days", "money", "ratio"
MONTH, DATE, EUROS = "month", "date", "euros"
# The unit a CSV column name carries, where the number alone does not say it.
CSV_UNITS = {
    RATE: gettext_lazy("%"),
    DAYS: gettext_lazy("days"),
    MONEY: gettext_lazy("€/day"),
    EUROS: gettext_lazy("€"),
}


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def numeric(self):
        return self.kind not in (TEXT, MONTH, DATE)

    @property
    def csv_label(self):
        """The label with its unit, unless the label already names it ("Days to shortlist")."""
        label, unit = str(self.label), CSV_UNITS.get(self.kind)
        if not unit or str(unit).lower() in label.lower():
            return label
        return f"{label} ({unit})"


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool
    link: str = ""


@dataclass
class Table:
    """A named table: the first column heads each row, the others hold numbers."""

    name: str
    title: str
    columns: list
    rows: list
    caption: str = ""
    footer: list = field(default_factory=list)  # a totals row, or empty
    links: list = field(default_factory=list)  # a URL for each row's heading cell, if any

    def html_rows(self):
        links = self.links or [""] * len(self.rows)
        return [self._cells(row, link) for row, link in zip(self.rows, links, strict=True)]

    def html_footer(self):
        return self._cells(self.footer) if self.footer else []

    def _cells(self, row, link=""):
        return [
            Cell(display(value, column.kind), column.numeric, link if i == 0 else "")
            for i, (value, column) in enumerate(zip(row, self.columns, strict=True))
        ]

    @property
    def is_empty(self):
        return not self.rows


def display(value, kind):
    """A value as the page shows it, in the user's language; "—" when there is none."""
    if value is None or value == "":
        return "—"
    if kind == TEXT or isinstance(value, str):  # a totals row's label in a month column
        return str(value)
    if kind == MONTH:
        return month_year(value)
    if kind == DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == COUNT:
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if kind == RATE:
        return percent(value)
    if kind == MONEY:
        return money(round(value))
    if kind == EUROS:
        return euros(round(value))
    if kind == DAYS:
        return _("%(days)s d") % {"days": number_format(value, decimal_pos=1, use_l10n=True)}
    return number_format(value, decimal_pos=1, use_l10n=True)


def csv_value(value, kind):
    """A value as the CSV holds it: raw numbers, ISO months and dates (the spreadsheet helper
    writes them in the user's language and defuses text)."""
    if value is None or kind == TEXT or isinstance(value, str):  # a totals row's label too
        return value
    if kind == COUNT:
        return int(value)
    if kind == MONTH:
        return f"{value:%Y-%m}"
    if kind == DATE:
        return value.isoformat()
    if kind in (MONEY, EUROS):
        return round(value)
    return round(float(value), 1)


def csv_response(table, filename):
    """The table as a CSV download: a header row, then its rows and totals."""
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    return spreadsheet_response(
        [column.csv_label for column in table.columns],
        (
            [
                csv_value(value, column.kind)
                for value, column in zip(row, table.columns, strict=True)
            ]
            for row in rows
        ),
        filename=filename,
    )
