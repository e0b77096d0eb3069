"""CSV downloads: separator and decimal mark of the user's language, a byte-order mark for
Excel, and no cell that a spreadsheet would run as a formula, whatever the separator."""

from datetime import date

import pytest
from django.utils import translation

from staffing.spreadsheet import csv_response, defused


def export(language, header, rows):
    with translation.override(language):
        return csv_response(header, rows, filename="export.csv").content


def test_an_english_export_is_comma_separated_utf8_with_a_byte_order_mark():
    content = export("en", ["Name", "Rate (%)"], [["Lefèvre", 12.5], ["Moreau", 3]])

    assert content == (b"\xef\xbb\xbfName,Rate (%)\r\nLef\xc3\xa8vre,12.5\r\nMoreau,3\r\n")


def test_a_french_export_is_semicolon_separated_with_decimal_commas():
    content = export("fr", ["Nom", "Taux (%)"], [["Lefèvre", 12.5], ["Moreau, Alice", 3]])

    assert content == (b"\xef\xbb\xbfNom;Taux (%)\r\nLef\xc3\xa8vre;12,5\r\nMoreau, Alice;3\r\n")


def test_a_cell_split_by_a_semicolon_cannot_start_a_formula_in_french():
    content = export("fr", ["Mission"], [["Data engineer;=2+3"]])

    assert content == b'\xef\xbb\xbfMission\r\n"Data engineer;\'=2+3"\r\n'


def test_a_cell_split_by_a_comma_cannot_start_a_formula_in_english():
    content = export("en", ["Mission"], [["Data engineer, =2+3"]])

    assert content == b'\xef\xbb\xbfMission\r\n"Data engineer, \'=2+3"\r\n'


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Java;-1;+1", "Java;'-1;'+1"),
        ("Go,  @x", "Go,  '@x"),
        ("Data engineer", "Data engineer"),
        ("C++ - senior", "C++ - senior"),
        ("", ""),
    ],
)
def test_every_formula_start_of_a_text_is_defused(text, safe):
    assert defused(text) == safe


def test_numbers_stay_numbers_even_when_negative():
    content = export("en", ["Margin", "Day"], [[-40, date(2026, 11, 24).isoformat()]])

    assert content == b"\xef\xbb\xbfMargin,Day\r\n-40,2026-11-24\r\n"


def test_a_header_cannot_start_a_formula_either():
    content = export("en", ["=cmd"], [])

    assert content == b"\xef\xbb\xbf'=cmd\r\n"
