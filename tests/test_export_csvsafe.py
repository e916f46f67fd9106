"""CSV for spreadsheet users: BOM, full-precision numbers, OWASP formula-injection defanging."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from enum import IntEnum

import pytest
from hypothesis import given, strategies as st

from reports.export.csvsafe import (FORMULA_START, CsvOut, cell, defang, is_plain_number,
                                    render_fields, write_csv)


@pytest.mark.parametrize("text, expected", [
    ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("王小明", "王小明"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_free_text_that_looks_like_a_formula_is_prefixed_with_a_quote(text, expected):
    assert defang(text) == expected


@pytest.mark.parametrize("number", ["-3.5", "+2", "-0", "-1e-3", "-.5", "12"])
def test_genuine_numbers_are_not_defanged(number):
    assert is_plain_number(number)
    assert defang(number) == number


def test_cells_numbers_stay_numbers_with_full_precision():
    assert cell(-3.5) == "-3.5"
    assert cell(0.1 + 0.2) == "0.30000000000000004"
    assert float(cell(55.123456789012345)) == 55.123456789012345
    assert cell(None) == "" and cell(True) == "1" and cell(False) == "0" and cell(7) == "7"
    assert cell(float("nan")) == ""
    assert cell("=1+1") == "'=1+1"


@given(st.text())
def test_defang_only_ever_adds_one_leading_quote(text):
    out = defang(text)
    assert out in (text, "'" + text)
    if out == text and text:
        assert not text.startswith(FORMULA_START) or is_plain_number(text)


def test_written_file_has_a_bom_and_reads_back_with_the_csv_module(tmp_path):
    p = tmp_path / "x.csv"
    n = write_csv(p, ["name", "value"], [["=HYPERLINK(\"http://x\")", -3.5], ["李,\"四\"\n", None]])
    assert n == 2
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["name", "value"], ["'=HYPERLINK(\"http://x\")", "-3.5"], ["李,\"四\"\n", ""]]


def test_raw_columns_keep_generated_values_exact_but_other_cells_are_defanged(tmp_path):
    from reports.export.csvsafe import CsvOut
    p = tmp_path / "r.csv"
    with CsvOut(p, ["QSEVLINT", "note"], raw_columns=("QSEVLINT",)) as out:
        out.write(["-P7D", "-P7D"])
        out.write([None, 2.5])
    with p.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1:] == [["-P7D", "'-P7D"], ["", "2.5"]]


# subclasses and other types reach cell() too (IntEnum codes, float subclasses, dates, Decimal,
# objects whose text a user typed): mutants of those branches survived (bench/mutation.json)
class _Code(IntEnum):
    TWO = 2


class _Float(float):
    pass


class _Typed:
    def __str__(self) -> str:
        return "=cmd|' /C calc'!A0"


def test_cell_of_int_and_float_subclasses_dates_and_objects():
    assert cell(_Code.TWO) == "2"
    assert cell(_Float(0.1)) == "0.1" and cell(_Float("nan")) == ""
    assert cell(date(2026, 1, 2)) == "2026-01-02"
    assert cell(Decimal("-3.5")) == "-3.5"
    assert cell(_Typed()) == "'=cmd|' /C calc'!A0"


_FIELDS = st.lists(st.one_of(st.none(), st.integers(-10**12, 10**12),
                             st.text(alphabet=st.sampled_from('ab,"\r\n 中=\x00'), max_size=6)),
                   min_size=1, max_size=5)


def _writer_line(values) -> str:  # noqa: ANN001
    buf = io.StringIO()
    csv.writer(buf).writerow(values)
    return buf.getvalue()[:-2]


@given(_FIELDS)
def test_render_fields_is_what_csv_writer_writes(values):
    """The hot loops' pre-rendered pieces equal csv.writer's own output (the plain fast path and
    the quoting path), except a lone empty field, which is empty inside a row."""
    lone_empty = len(values) == 1 and values[0] in (None, "")
    assert render_fields(values) == ("" if lone_empty else _writer_line(values))


@pytest.mark.parametrize("values, expected", [
    ([None], ""), ([""], ""), ([None, None], ","), (["", 3], ",3"), ([1, "a b"], "1,a b"),
    (["a,b"], '"a,b"'), (['say "hi"', 2], '"say ""hi""",2'), (["x\ny", None], '"x\ny",'),
    (["\r"], '"\r"'), ([1.5, "a"], "1.5,a"), ([True, 0], "True,0"),
])
def test_render_fields_examples(values, expected):
    assert render_fields(values) == expected


def test_trusted_rows_and_prerendered_text_count_rows_and_land_as_written(tmp_path):
    path = tmp_path / "t.csv"
    with CsvOut(path, ["a", "b"]) as out:
        out.write_trusted([1, None])
        out.write_trusted(["x", 2.25])
        out.write_text(render_fields(["p", 3]) + "\r\n" + render_fields(["q,r", 4]) + "\r\n", 2)
        assert out.rows == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [["a", "b"], ["1", ""], ["x", "2.25"], ["p", "3"],
                                        ["q,r", "4"]]
