"""``epro score`` in process (``main.main``) and forms.batch's pieces: exact output, messages
and exit status as a user sees them (sf36.md 0.5, symptoms.md 3). ``tests/test_batch_score.py``
runs the command through a subprocess; these tests reach the code in this process, so mutation
testing (bench/mutation.py) sees what pins each line. Uses the made-up data-scored instrument
``fat5`` (tests/fixtures/instruments; items F1-F5 coded 0-4; total: sum of >= 4 answered,
prorated; mean of >= 3; n_severe: items >= 3; alert amber) from a folder of its own per test."""
from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import forms.csv_stream
import main
from forms import batch, csc, sf36
from forms.csv_stream import BadCells, Chunk
from forms.errors import UserError
from forms.instrument import INSTRUMENTS_DIR_ENV

FIXTURES = Path(__file__).parent / "fixtures" / "instruments"
FAT5_HEADER = "id,total,mean,n_severe,alert\n"
F_NOTE = "(valid: 0-4, or empty), scored as not answered"


@pytest.fixture()
def fat5(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir()
    shutil.copy(FIXTURES / "fat5.json", folder / "fat5.json")
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(folder))
    return folder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def score(capsys, *args: str) -> tuple[int, str, str]:
    code = main.main(["score", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_data_instrument_scored_exactly_with_bad_codes_summarised(tmp_path, capsys, fat5):
    path = write(tmp_path, "ID ,f1, F2,f3,F4,f5,note\n"
                           "a,1,2,3,4,0,x\n"
                           '"b,1",4,4,4,4,4,\n'          # an id needing quotes
                           "c,x,2,2,,2,\n"
                           "d,2.0, 7 ,,,\n")             # 2.0 is code 2; 7 is out of range
    code, out, err = score(capsys, "--instrument", "fat5", str(path))
    assert code == 0
    assert out == (FAT5_HEADER + "a,10.0,2.0,2,\n" + '"b,1",20.0,4.0,5,amber\n'
                   "c,,2.0,0,\n" "d,,,0,\n")
    assert err == (f"epro: F1: 1 invalid value {F_NOTE}\n"
                   "epro:   row 'c' (line 4): F1 'x': invalid code (not an integer code)\n"
                   f"epro: F2: 1 invalid value {F_NOTE}\n"
                   "epro:   row 'd' (line 5): F2 ' 7 ': invalid code (out of range)\n")


def test_absent_item_columns_named_once_and_scored_unanswered(tmp_path, capsys, fat5):
    path = write(tmp_path, "id,F1,F3\na,1,2\nb,,\n")
    code, out, err = score(capsys, "--instrument", "fat5", str(path))
    assert code == 0
    assert out == FAT5_HEADER + "a,,,0,\nb,,,,\n"
    assert err == (f"epro: {path}: column(s) F2, F4, F5 absent: scored as not answered "
                   "in every row\n")


def test_output_file_header_once_over_chunks(tmp_path, capsys, fat5, monkeypatch):
    monkeypatch.setattr(forms.csv_stream, "CHUNK_ROWS", 2)
    rows = "".join(f"r{i},{i % 5},0,0,0,0\n" for i in range(5))
    target = tmp_path / "scores.csv"
    code, out, err = score(capsys, "--instrument", "fat5", str(write(tmp_path, "id,F1,F2,F3,F4,F5\n"
                                                                      + rows)), "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == FAT5_HEADER + "".join(
        f"r{i},{float(i % 5)},{(i % 5) / 5},{int(i % 5 >= 3)},\n" for i in range(5))


@pytest.mark.parametrize("body", ["", "\n\n"], ids=["none", "blank"])
def test_header_only_writes_the_output_header(tmp_path, capsys, fat5, body):
    code, out, err = score(capsys, "--instrument", "fat5", str(write(tmp_path, "id,F1\n" + body)))
    assert (code, out) == (0, FAT5_HEADER)


@pytest.mark.parametrize("text, message", [
    ("subject,F1\n1,2\n", "no 'id' column in the header"),
    ("id;F1\n1;2\n", "no 'id' column in the header (is it separated by ';'? use ',')"),
    ("id,age\n1,50\n", "no item columns (F1 … F5) in the header"),
    ("id,F1,f1, ID,,\n1,2,3,4,,\n", "duplicate column(s) f1, id in the header"),
    ("", "empty file (a header row with an 'id' column is required)"),
    ("id,F1\na,1\nb,\x00\n", "not a CSV text file (binary content)"),
], ids=["no-id", "semicolon", "no-items", "duplicates", "empty", "binary-rows"])
def test_refused_files_one_line_naming_the_file_exit_2(tmp_path, capsys, fat5, text, message):
    path = write(tmp_path, text)
    assert score(capsys, "--instrument", "fat5", str(path)) == \
        (2, "", f"epro: error: {path}: {message}\n")


def test_unknown_instrument_lists_the_batch_scorers(tmp_path, capsys):
    assert score(capsys, "--instrument", "phq9", str(write(tmp_path, "id,q1\n"))) == \
        (2, "", "epro: error: no batch scorer for instrument 'phq9' (available: csc, rand36)\n")


def test_rand36_fast_path_and_its_validating_pass_agree(tmp_path, capsys):
    q = ",".join(f"q{i}" for i in range(1, 37))
    ones = ",".join(["1"] * 36)
    clean = score(capsys, "--instrument", "rand36", str(write(tmp_path, f"id,{q}\n\"a,1\",{ones}\n")))
    assert clean[0] == 0 and clean[2] == ""
    assert clean[1].splitlines()[1].startswith('"a,1",')
    spaced = ",".join([" 1"] + ["1"] * 35)                 # " 1" is no plain code: slow pass
    slow = score(capsys, "--instrument", "rand36", str(write(tmp_path, f"id,{q}\n\"a,1\",{spaced}\n")))
    assert slow == clean


def test_csc_module_without_fast_path(tmp_path, capsys):
    cols = list(csc.BATCH_INPUT_COLUMNS)
    first = {c: min(codes) for c, codes in batch.valid_codes_by_column(csc).items()}
    path = write(tmp_path, "id," + ",".join(cols) + "\nk1," + ",".join(
        str(first[c]) for c in cols) + "\n")
    code, out, err = score(capsys, "--instrument", "csc", str(path))
    expected = csc.score_batch_row(first)
    assert (code, err) == (0, "")
    assert out == (",".join(csc.BATCH_OUTPUT_COLUMNS) + "\nk1," + ",".join(
        batch._fmt(expected.get(k)) for k in csc.BATCH_OUTPUT_COLUMNS[1:]) + "\n")


def test_cmd_score_without_an_output_attribute_writes_standard_output(tmp_path, capsys, fat5):
    path = write(tmp_path, "id,F1,F2,F3,F4,F5\nw,0,0,0,0,0\n")
    assert batch.cmd_score(argparse.Namespace(instrument="fat5", input=str(path))) == 0
    assert capsys.readouterr() == (FAT5_HEADER + "w,0.0,0.0,0,\n", "")


def test_dash_reads_standard_input(capsys, fat5, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"id,F1\ns,1\n"),
                                                       encoding="utf-8"))
    assert score(capsys, "--instrument", "fat5", "-")[:2] == (0, FAT5_HEADER + "s,,,0,\n")


# ---------------------------------------------------------------- the pieces
def test_scorers_and_the_data_scorer(fat5):
    assert batch.scorers() == {"csc": "forms.csc", "rand36": "forms.sf36"}
    scorer = batch.scorer_for("fat5")
    assert isinstance(scorer, batch.DataScorer) and scorer.__name__ == "fat5 (data scoring)"
    assert scorer.BATCH_INPUT_COLUMNS == ("F1", "F2", "F3", "F4", "F5")
    assert scorer.BATCH_OUTPUT_COLUMNS == ("id", "total", "mean", "n_severe", "alert")
    assert scorer.VALID_CODES == {f"F{i}": frozenset(range(5)) for i in range(1, 6)}
    assert scorer.score_batch_row({"F1": 4, "F2": 4, "F3": 4, "F4": 4, "F5": 4}) == \
        {"total": 20.0, "mean": 4.0, "n_severe": 5, "alert": "amber", "alert_reasons": ["F5>=4"]}
    assert batch.scorer_for("rand36").__name__ == "forms.sf36"


def test_scoring_module_not_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "scorers", lambda: {"x1": "epro_no_such_scorer"})
    with pytest.raises(UserError) as caught:
        batch.scorer_for("x1")
    assert str(caught.value) == "scoring for 'x1' is not installed (epro_no_such_scorer is missing)"
    (tmp_path / "epro_broken_scorer.py").write_text("import epro_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(batch, "scorers", lambda: {"x2": "epro_broken_scorer"})
    with pytest.raises(ModuleNotFoundError):   # a bug in an installed scorer is not hidden
        batch.scorer_for("x2")


def test_valid_codes_by_column_numbers_become_q_columns():
    module = SimpleNamespace(__name__="m", VALID_CODES={1: {1, 2}, "x": [0]},
                             BATCH_INPUT_COLUMNS=("x", "q1"))
    assert batch.valid_codes_by_column(module) == {"x": frozenset({0}), "q1": frozenset({1, 2})}
    module.BATCH_INPUT_COLUMNS = ("x", "q1", "q2", "y")
    with pytest.raises(RuntimeError) as caught:
        batch.valid_codes_by_column(module)
    assert str(caught.value) == "m: VALID_CODES lacks ['q2', 'y']"


def test_parse_code_reasons():
    for text, reason in (("2.5", "not an integer code"), ("4", "out of range")):
        with pytest.raises(ValueError) as caught:
            batch.parse_code(text, frozenset({1, 2, 3}))
        assert str(caught.value) == reason
    assert batch.parse_code("-0", frozenset({0})) == 0


@pytest.mark.parametrize("codes, text", [({0, 1, 2, 3, 4}, "0-4"), ({1, 2, 3}, "1-3"),
                                         ({1, 2}, "1, 2"), ({0, 1, 9}, "0, 1, 9"), ({5}, "5")])
def test_describe_valid_codes(codes, text):
    assert batch._describe(frozenset(codes)) == text


def test_read_csv_pads_short_rows_and_drops_extra_cells(tmp_path):
    table = batch.read_csv(str(write(tmp_path, "id,a,b\nr1,1\n\nr2,1,2,3\n")))
    assert table.header == ["id", "a", "b"] and table.n_rows == 2
    assert [list(c) for c in table.columns] == [["r1", "r2"], ["1", "1"], ["", "2"]]
    assert [table.line_of(r) for r in range(2)] == [2, 4]
    empty = batch.read_csv(str(write(tmp_path, "id,a\n")))
    assert (empty.n_rows, [list(c) for c in empty.columns]) == (0, [[], []])


def test_score_file_returns_the_row_count(tmp_path, fat5):
    path = write(tmp_path, "id,F1\na,1\nb,2\nc,3\n")
    out = io.StringIO()
    assert batch.score_file(batch.scorer_for("fat5"), str(path), out, BadCells(), 2) == 3
    assert out.getvalue() == FAT5_HEADER + "a,,,0,\nb,,,0,\nc,,,1,\n"


def test_scored_write_quotes_only_when_not_plain_text():
    out = io.StringIO()
    batch.Scored(["id", "v"], [["a,1", 'say "x"']], plain_text=False).write(out)
    assert out.getvalue() == 'id,v\n"a,1","say ""x"""\n'
    out = io.StringIO()
    batch.Scored(["id", "v"], iter([["a", "1"], ["b", "2"]]), plain_text=True).write(out)
    assert out.getvalue() == "id,v\na,1\nb,2\n"


def test_quote_and_fmt():
    assert [batch._quote(c) for c in ("a", "a,b", 'a"b', "a\nb", "a\rb")] == \
        ["a", '"a,b"', '"a""b"', '"a\nb"', '"a\rb"']
    assert [batch._fmt(v) for v in (None, 0.1 + 0.2, 3, "x", 0)] == \
        ["", "0.30000000000000004", "3", "x", "0"]


def test_score_table_of_one_chunk_reports_with_line_numbers(fat5):
    module = batch.scorer_for("fat5")
    report = BadCells()
    table = batch._table(["id", "F1"], Chunk([["a", "9"], ["b", "+1"]], [7, 11]))
    out = io.StringIO()
    batch.score_table(module, table, report, "f.csv").write(out)
    assert out.getvalue() == FAT5_HEADER + "a,,,,\nb,,,0,\n"
    assert report.first == {"F1": ["row 'a' (line 7): F1 '9': invalid code (out of range)"]}
    assert report.notes == ["f.csv: column(s) F2, F3, F4, F5 absent: scored as not answered "
                            "in every row"]


def test_score_table_without_a_path_names_the_input():
    module = batch.scorer_for("csc")
    report = BadCells()
    batch.score_table(module, batch._table(["id", "C1"], Chunk([["a", "1"]], [2])), report)
    assert report.notes[0].startswith("input: column(s) C2, C2b, ")


@pytest.mark.parametrize("cells, bad", [("1", 0), ("9", 1)], ids=["clean", "bad-cell"])
def test_rand36_is_scored_column_wise_never_row_by_row(monkeypatch, cells, bad):
    def row_by_row(codes):  # noqa: ANN001, ANN202 - the slow reference must not be used
        raise AssertionError("score_batch_row called: the column-wise fast path was skipped")

    monkeypatch.setattr(sf36, "score_batch_row", row_by_row)
    header = ["id", *(f"q{i}" for i in range(1, 37))]
    report = BadCells()
    table = batch._table(header, Chunk([["a", cells, *["1"] * 35]], [2]))
    out = io.StringIO()
    batch.score_table(batch.scorer_for("rand36"), table, report, "f.csv").write(out)
    assert out.getvalue().splitlines()[0] == ",".join(sf36.BATCH_OUTPUT_COLUMNS)
    assert out.getvalue().splitlines()[1].startswith("a,") and report.total == bad


def test_read_csv_names_the_file_and_reads_every_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(forms.csv_stream, "CHUNK_ROWS", 2)
    table = batch.read_csv(str(write(tmp_path, "id,a\n" + "".join(f"r{i},{i}\n"
                                                                   for i in range(5)))))
    assert [list(c) for c in table.columns] == [[f"r{i}" for i in range(5)],
                                                [str(i) for i in range(5)]]
    assert [table.line_of(r) for r in range(5)] == [2, 3, 4, 5, 6]
    for text, message in (("", "empty file"), ("id,a\nr,1\nr,\x00\n", "not a CSV text file")):
        path = write(tmp_path, text)
        with pytest.raises(UserError) as caught:
            batch.read_csv(str(path))
        assert str(caught.value).startswith(f"{path}: {message}")


def test_score_file_writes_each_chunk_as_it_is_read(tmp_path, fat5):
    # chunks of 2: the rows of the chunks read before the binary one are already out (the -o
    # file is then discarded by open_output); a refused file never gets a half output file
    path = write(tmp_path, "id,F1\na,1\nb,2\nc,3\nd,4\ne,\x00\n")
    out = io.StringIO()
    with pytest.raises(UserError):
        batch.score_file(batch.scorer_for("fat5"), str(path), out, BadCells(), 2)
    assert out.getvalue() == FAT5_HEADER + "a,,,0,\nb,,,0,\nc,,,1,\nd,,,1,\n"
