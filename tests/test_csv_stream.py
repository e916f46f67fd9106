"""forms.csv_stream: headers, chunks and their line numbers on both reading paths, refusals with
their line, the bad-cell summary, and atomic output (issue 18: mutation testing of
forms/csv_stream.py; small inputs, not the memory tests of test_batch_streaming)."""
from __future__ import annotations

import csv
import io
import os

import pytest

from forms.csv_stream import (CHUNK_ROWS, EXAMPLES, BadCells, bad_byte_line, iter_chunks,
                              open_input, open_output, read_header)
from forms.errors import UserError


def _chunks(text: str, size: int | None = 2) -> list[tuple[list[list[str]], list[int]]]:
    f = io.StringIO(text, newline="")
    header, line = read_header(f, "x.csv")
    return [(c.rows, c.lines) for c in iter_chunks(f, "x.csv", line, size)]


def test_limits():
    assert (CHUNK_ROWS, EXAMPLES) == (4096, 5)


def test_header_after_blank_lines():
    f = io.StringIO("\n,,\n id,a\n1,2\n", newline="")
    assert read_header(f, "x.csv") == ([" id", "a"], 3)
    assert read_header(io.StringIO("id,a \r\n", newline=""), "x.csv") == (["id", "a "], 1)
    assert read_header(io.StringIO("id,X\n", newline=""), "x.csv") == (["id", "X"], 1)
    q = io.StringIO('\n"i\nd",a\n1,2\n', newline="")
    assert read_header(q, "x.csv") == (["i\nd", "a"], 3)


@pytest.mark.parametrize("text, message", [
    ("", "x.csv: empty file (a header row with an 'id' column is required)"),
    ("\n ,\n", "x.csv: empty file (a header row with an 'id' column is required)"),
    ("\nid\x00,a\n", "x.csv: not a CSV text file (binary content)"),
    ('\n"id,a\n', "x.csv: not a valid CSV file (line 2: unexpected end of data)"),
])
def test_bad_headers(text, message):
    with pytest.raises(UserError) as info:
        read_header(io.StringIO(text, newline=""), "x.csv")
    assert str(info.value) == message


def test_plain_chunks_with_line_numbers_and_blank_lines_skipped():
    text = "id,a\n1,x\n\n2,y\r\n3,z\n4,w\n"
    assert _chunks(text) == [([["1", "x"]], [2]), ([["2", "y"], ["3", "z"]], [4, 5]),
                             ([["4", "w"]], [6])]
    assert _chunks(text, None) == [([["1", "x"], ["2", "y"], ["3", "z"], ["4", "w"]],
                                    [2, 4, 5, 6])]
    assert _chunks("id,a\n") == []


def test_from_the_first_quote_on_the_csv_module_reads():
    text = 'id,a\n1,x\n2,y\n3,"z\nz"\n\n4,w\n5,v\n6,u\n'
    # (a blank line counts towards a chunk read by the csv module, and is skipped)
    assert _chunks(text) == [([["1", "x"], ["2", "y"]], [2, 3]), ([["3", "z\nz"]], [5]),
                             ([["4", "w"], ["5", "v"]], [7, 8]), ([["6", "u"]], [9])]
    bare_cr = "id,a\n1,x\r2,y\n"
    assert _chunks(bare_cr, 5) == [([["1", "x"], ["2", "y"]], [2, 3])]


@pytest.mark.parametrize("text, message", [
    ("id,a\n1,x\n2,\x00\n", "x.csv: not a CSV text file (binary content)"),
    ('id,a\n1,x\n2,y\n3,"z\n', "x.csv: not a valid CSV file (line 4: unexpected end of data)"),
    ('id,a\n1,x\n2,"y"z\n', "x.csv: not a valid CSV file (line 3: ',' expected after '\"')"),
])
def test_bad_rows(text, message):
    with pytest.raises(UserError) as info:
        _chunks(text)
    assert str(info.value) == message


def test_a_field_over_the_csv_limit_on_the_fast_path():
    old = csv.field_size_limit(10)
    try:
        assert _chunks("id,a\n1,0123456789\n", 5) == [([["1", "0123456789"]], [2])]
        with pytest.raises(UserError) as info:
            _chunks("id,a\n1,x\n2,01234567890\n", 5)
        assert str(info.value) == ("x.csv: not a valid CSV file (line 3: field larger than "
                                   "field limit (10))")
    finally:
        csv.field_size_limit(old)


def test_bad_utf8_names_the_line_of_the_bad_byte(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # "x.csv" as the user typed it
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\n")
    with open_input(str(path)) as f, pytest.raises(UserError) as info:
        read_header(f, "x.csv")
    assert str(info.value) == ("x.csv: not UTF-8 text (a bad byte on line 1); save the file "
                               "as CSV UTF-8")
    # text is decoded in blocks (the reader fails before the lines in front of the byte are
    # returned): the file is read again to find the byte's own line
    for bad_line, chunk in ((4, 100), (5002, 100), (5002, 7)):
        path.write_bytes(b"id,a\n" + b"1,x\n" * (bad_line - 2) + b"2,\xff\n" + b"3,y\n" * 50)
        with open_input(str(path)) as f, pytest.raises(UserError) as info:
            header, line = read_header(f, "x.csv")
            for _ in iter_chunks(f, "x.csv", line, chunk):
                pass
        assert str(info.value) == (f"x.csv: not UTF-8 text (a bad byte on line {bad_line}); "
                                   "save the file as CSV UTF-8")
    # a multi-byte character is not a bad byte; a quoted (csv-module) file finds it too
    path.write_bytes("id,a\n1,中文\n".encode() + b'"2","\xe4\xb8"\n')
    with open_input(str(path)) as f, pytest.raises(UserError) as info:
        header, line = read_header(f, "x.csv")
        for _ in iter_chunks(f, "x.csv", line, 100):
            pass
    assert "(a bad byte on line 3)" in str(info.value)
    assert bad_byte_line(str(path)) == 3 and bad_byte_line("-") is None
    assert bad_byte_line(str(tmp_path / "missing.csv")) is None


def test_bad_utf8_on_standard_input_names_the_last_line_read(monkeypatch):
    raw = io.BytesIO(b"id,a\n1,\xff\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(raw))
    with open_input("-") as f, pytest.raises(UserError) as info:
        read_header(f, "-")
    assert str(info.value) == ("-: not UTF-8 text (a bad byte after line 0); save the file "
                               "as CSV UTF-8")


def test_open_input(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbfid\r\n1\r\n")
    with open_input(str(path)) as f:
        assert f.read() == "id\r\n1\r\n"                 # BOM dropped, CRLF kept for csv
    for bad, message in ((tmp_path / "none.csv", "file not found"),
                         (tmp_path, "is a folder, not a CSV file"),
                         (path / "inside.csv", "cannot read (Not a directory)")):
        with pytest.raises(UserError) as info, open_input(str(bad)):
            pass
        assert str(info.value) == f"{bad}: {message}"


def test_open_output_is_atomic(tmp_path):
    out = tmp_path / "o.csv"
    with open_output(str(out)) as f:
        f.write("a\n")
        assert not out.exists()
    assert out.read_text() == "a\n" and os.listdir(tmp_path) == ["o.csv"]
    with pytest.raises(RuntimeError), open_output(str(out)) as f:
        f.write("b\n")
        raise RuntimeError("boom")
    assert out.read_text() == "a\n" and os.listdir(tmp_path) == ["o.csv"]
    with pytest.raises(UserError) as info, open_output(str(tmp_path / "no" / "o.csv")):
        pass
    missing = tmp_path / "no"
    assert str(info.value) == f"{missing / 'o.csv'}: folder {missing} does not exist"


def test_bad_cells_summary():
    bad = BadCells(examples=2)
    bad.note("file note")
    bad.note("file note")
    for n in range(4):
        bad.add("meld", f"row {n}", "left empty" if n else "")
    bad.add("na", "row 9")
    assert bad.total == 5
    assert bad.lines() == ["file note", "meld: 4 invalid values left empty", "  row 0",
                           "  row 1", "  … and 2 more in meld", "na: 1 invalid value",
                           "  row 9"]
    stream = io.StringIO()
    bad.flush(stream)
    assert stream.getvalue().splitlines()[1] == "epro: meld: 4 invalid values left empty"
    assert BadCells().examples == 5 and BadCells(0).examples == 0
    none = BadCells(examples=0)
    none.add("c", "e")
    assert none.lines() == ["c: 1 invalid value", "  … and 1 more in c"]
    exact = BadCells(examples=1)
    exact.add("c", "e")
    assert exact.lines() == ["c: 1 invalid value", "  e"]
