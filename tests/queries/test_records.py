"""The table and CSV forms of the records: cells a spreadsheet would run as formulas are neutralised."""

import csv
import io

import pytest

from policykg.queries.records import AgencyLoad, csv_text, safe_cell, to_csv


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5"])
def test_text_starting_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Sở Y tế", "1/KH-UBND", "", " =x", None, -5, -2.5, 0, True])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_to_csv_neutralises_text_and_keeps_numbers():
    rows = [AgencyLoad("agency:x:a", "=cmd|' /C calc'!A0", "@X", False, -5, 1, 0, 0)]
    header, row = parse(to_csv(rows))
    assert header[:2] == ["agency", "name"]
    # text columns are prefixed; a number (an int, e.g. -5) is a number, not a formula: written as it is
    assert row[:5] == ["agency:x:a", "'=cmd|' /C calc'!A0", "'@X", "False", "-5"]


def test_raw_csv_is_untouched():
    rows = [AgencyLoad("agency:x:a", "=1+1", "-X", False, 1, 1, 0, 0)]
    assert parse(to_csv(rows, raw=True))[1][1:3] == ["=1+1", "-X"]
    assert parse(csv_text(["a"], [["+1"]], raw=True)) == [["a"], ["+1"]]


def test_text_that_looks_like_a_negative_number_is_prefixed():
    # a text column holding "-5" is text: OWASP says prefix it; a spreadsheet shows -5 as typed
    assert parse(csv_text(["deadline", "n"], [["-5", -5]]))[1] == ["'-5", "-5"]
