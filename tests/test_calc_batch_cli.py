"""``epro calc`` in process (``main.main``): exact output, messages and exit status as a user
sees them — the header check, blank and ragged rows, line numbers, the per-field summary on
standard error, ``-o`` and ``-`` (calculators.md "Batch"). ``tests/test_calc_batch.py`` runs the
same command through a subprocess; these tests reach the code in this process, so mutation
testing (bench/mutation.py) sees which of them pin each line of ``forms/calc_batch.py``."""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

import forms.csv_stream
import main
from forms.calc_batch import OUTPUT_COLUMNS, cmd_calc, iter_rows, run
from forms.csv_stream import BadCells, Chunk

HEADER = "id,child_pugh,child_pugh_class,meld,meld_na,meld3,meld3_uncapped\n"
LEFT_EMPTY = "(the scores needing it left empty)"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labs.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def calc(capsys, *args: str) -> tuple[int, str, str]:
    code = main.main(["calc", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_output_header_is_the_documented_columns():
    assert HEADER == ",".join(OUTPUT_COLUMNS) + "\n"


def test_header_names_trimmed_and_case_insensitive_exact_output(tmp_path, capsys):
    path = write(tmp_path, " ID ,Bilirubin , INR,CREATININE,Sodium,albumin,Ascites,"
                           "encephalopathy,Female\n"
                           "F1,2.5,1.8,1.4,130,2.9,none,none,true\n")
    code, out, err = calc(capsys, str(path))
    assert (code, err) == (0, "")
    assert out == HEADER + "F1,8,B,20,25,26,26\n"      # LF line ends, every score


def test_unknown_columns_warned_by_name_and_ignored(tmp_path, capsys):
    # sodium_unit is no input column: its (wrong) unit must not reach the sodium value;
    # the unnamed trailing column is neither warned about nor read
    path = write(tmp_path, "id,inr,Note,sodium_unit,bilirubin,creatinine,sodium,\n"
                           "U1,1.8,hello,g/L,2.5,1.4,130,zzz\n")
    code, out, err = calc(capsys, str(path))
    assert code == 0
    assert err == "epro: warning: ignoring unknown column(s): note, sodium_unit\n"
    assert out == HEADER + "U1,,,20,25,,\n"


def test_duplicate_columns_named_sorted_exit_2(tmp_path, capsys):
    path = write(tmp_path, "id,inr,INR,bilirubin, Bilirubin,,\nX,1,1,1,1,,\n")
    code, out, err = calc(capsys, str(path))
    assert (code, out) == (2, "")
    assert err == f"epro: error: {path}: duplicate column(s) in header: bilirubin, inr\n"


def test_several_unnamed_columns_are_no_duplicates(tmp_path, capsys):
    path = write(tmp_path, "id,,bilirubin,,inr,creatinine\nN1,a,1,b,1,1\n")
    code, out, err = calc(capsys, str(path))
    assert (code, err) == (0, "")
    assert out == HEADER + "N1,,,6,,,\n"


def test_no_id_column_message_exit_2(tmp_path, capsys):
    path = write(tmp_path, "identifier,bilirubin,inr\nX,1,1\n")
    code, out, err = calc(capsys, str(path))
    assert (code, out) == (2, "")
    assert err == (f"epro: error: {path}: no 'id' column in the header row; not a calc input "
                   "CSV (expected columns such as id, bilirubin, bilirubin_unit, albumin, "
                   "albumin_unit, inr, ...)\n")


def test_blank_rows_skipped_errors_name_row_and_line(tmp_path, capsys):
    path = write(tmp_path, "id,inr,bilirubin,creatinine\n"
                           "\n"                        # line 2: blank
                           "A,1,1,1\n"                 # line 3
                           ",,,\n"                     # line 4: only separators
                           " , ,\t,\n"                 # line 5: only spaces
                           "B,abc,1,1\n"               # line 6
                           ",1,1,x\n")                 # line 7: no id
    code, out, err = calc(capsys, str(path))
    assert code == 0
    assert out == HEADER + "A,,,6,,,\nB,,,,,,\n,,,,,,\n"
    assert err == (f"epro: inr: 1 invalid value {LEFT_EMPTY}\n"
                   "epro:   row B (line 6): inr abc: not a number\n"
                   f"epro: creatinine: 1 invalid value {LEFT_EMPTY}\n"
                   "epro:   row (no id) (line 7): creatinine x mg/dL: not a number\n")


def test_ragged_rows_reported_with_their_extra_count(tmp_path, capsys):
    path = write(tmp_path, "id,inr,bilirubin,creatinine\n"
                           "R1,1,1,1,EXTRA,MORE\n"
                           "R2,1,1,1\n"
                           "R3,1\n"                    # shorter: the missing cells not given
                           "R4,1,1,1,\n")              # one empty extra field is one too many
    code, out, err = calc(capsys, str(path))
    assert code == 0
    assert out == HEADER + "R1,,,,,,\nR2,,,6,,,\nR3,,,,,,\nR4,,,,,,\n"
    assert err == ("epro: (row length): 2 invalid values (rows with more fields than the "
                   "header: skipped, id only)\n"
                   "epro:   row R1 (line 2): 2 more field(s) than header columns\n"
                   "epro:   row R4 (line 5): 1 more field(s) than header columns\n")


def test_short_row_without_its_id_cell_is_labelled_no_id(tmp_path, capsys):
    path = write(tmp_path, "inr,creatinine,id\nx\n")   # id is the last column: no cell
    code, out, err = calc(capsys, str(path))
    assert code == 0 and out == HEADER + ",,,,,,\n"
    assert err == (f"epro: inr: 1 invalid value {LEFT_EMPTY}\n"
                   "epro:   row (no id) (line 2): inr x: not a number\n")


@pytest.mark.parametrize("content, message", [
    (b"", "empty file (a header row with an 'id' column is required)"),
    (b"id,inr\nA,1\nB,\x00\n", "not a CSV text file (binary content)"),
], ids=["empty", "binary-rows"])
def test_unreadable_file_named_in_the_one_line_error(tmp_path, capsys, content, message):
    path = tmp_path / "labs.csv"
    path.write_bytes(content)
    code, out, err = calc(capsys, str(path))
    assert (code, out, err) == (2, "", f"epro: error: {path}: {message}\n")


def test_cmd_calc_without_an_output_attribute_writes_standard_output(tmp_path, capsys):
    path = write(tmp_path, "id,inr,bilirubin,creatinine\nW1,1,1,1\n")
    assert cmd_calc(argparse.Namespace(input=str(path))) == 0
    assert capsys.readouterr() == (HEADER + "W1,,,6,,,\n", "")


@pytest.mark.parametrize("body", ["", "\n\n", ",,,\n"], ids=["none", "blank", "separators"])
def test_header_only_writes_the_output_header(tmp_path, capsys, body):
    code, out, err = calc(capsys, str(write(tmp_path, "id,inr\n" + body)))
    assert (code, out, err) == (0, HEADER, "")


def test_many_chunks_header_once_rows_in_order(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(forms.csv_stream, "CHUNK_ROWS", 2)
    rows = "".join(f"C{i},1,1,1\n" for i in range(5))
    code, out, err = calc(capsys, str(write(tmp_path, "id,inr,bilirubin,creatinine\n" + rows)))
    assert (code, err) == (0, "")
    assert out == HEADER + "".join(f"C{i},,,6,,,\n" for i in range(5))


def test_output_option_writes_the_file_only(tmp_path, capsys):
    target = tmp_path / "scores.csv"
    code, out, err = calc(capsys, str(write(tmp_path, "id,inr,bilirubin,creatinine\n"
                                                      "O1,1,1,1\n")), "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_bytes() == (HEADER + "O1,,,6,,,\n").encode()


def test_dash_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        b"id,bilirubin,inr,creatinine\nS1,1.0,1.0,5.5\n"), encoding="utf-8"))
    assert calc(capsys, "-") == (0, HEADER + "S1,,,20,,,\n", "")


def test_more_than_five_bad_values_summarised(tmp_path, capsys):
    rows = "".join(f"Q{i},x\n" for i in range(7))
    code, out, err = calc(capsys, str(write(tmp_path, "id,inr\n" + rows)))
    assert code == 0 and out == HEADER + "".join(f"Q{i},,,,,,\n" for i in range(7))
    assert err.splitlines() == [f"epro: inr: 7 invalid values {LEFT_EMPTY}",
                                *(f"epro:   row Q{i} (line {i + 2}): inr x: not a number"
                                  for i in range(5)),
                                "epro:   … and 2 more in inr"]


# ---------------------------------------------------------------- run / iter_rows (library)
def test_run_returns_the_number_of_invalid_values():
    rows = [(2, {"id": "A", "inr": "x", "bilirubin": "y"}, 0),     # two bad values
            (3, {"id": "B"}, 3),                                    # ragged: one
            (4, {"id": "C", "inr": "1"}, 0)]                        # fine
    out, report = io.StringIO(), BadCells()
    assert run(rows, out, report) == 3
    assert out.getvalue() == HEADER + "A,,,,,,\nB,,,,,,\nC,,,,,,\n"
    assert report.counts == {"inr": 1, "bilirubin": 1, "(row length)": 1}


def test_run_ragged_row_without_id_writes_an_empty_id():
    out, report = io.StringIO(), BadCells()
    assert run([(7, {}, 1)], out, report) == 1
    assert out.getvalue() == HEADER + ",,,,,,\n"
    assert report.first == {"(row length)": ["row (no id) (line 7): 1 more field(s) than header "
                                             "columns"]}


def test_run_without_rows_writes_the_header_and_finds_nothing():
    out = io.StringIO()
    assert run([], out, BadCells()) == 0
    assert out.getvalue() == HEADER


def test_iter_rows_every_chunk_names_cells_counts_extra():
    names = ["id", "", "inr"]
    chunks = [Chunk([["A", "skip", "1"], [" ", "", "\t"]], [2, 3]),
              Chunk([["B", "x", "2", "extra", "more"], ["C"]], [5, 9])]
    assert list(iter_rows(names, chunks)) == [
        (2, {"id": "A", "inr": "1"}, 0),
        (5, {"id": "B", "inr": "2"}, 2),
        (9, {"id": "C"}, 0)]
