"""``main.py score`` through a subprocess: published vectors, input variants, bad codes, malformed
files; plus in-process checks of the CSV reader."""
from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
from pathlib import Path

import pytest

from forms import batch, sf36
from forms.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)
Q = [f"q{i}" for i in range(1, 37)]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), str(ROOT / "main.py"), "score", *args], cwd=ROOT,
                          input=stdin, capture_output=True, timeout=120)


def write(path: Path, header: list[str], rows: list[list[object]], **kw) -> Path:
    with open(path, "w", encoding=kw.pop("encoding", "utf-8"), newline="") as f:
        csv.writer(f, **kw).writerows([header, *rows])
    return path


def read_out(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def expected_row(answers: dict[int, int | None]) -> dict[str, str]:
    return {k: ("" if v is None else repr(v)) for k, v in sf36.score_all(answers).items()}


def test_published_vectors_through_cli(tmp_path, spec_dir):
    with open(spec_dir / "sf36_published_vectors.csv", encoding="utf-8", newline="") as f:
        vectors = list(csv.DictReader(f))
    rows = [[f"v{n}", *(v[f"i{i:02d}"] for i in range(1, 37))] for n, v in enumerate(vectors)]
    src = write(tmp_path / "in.csv", ["id", *Q], rows)
    res = run("--instrument", "rand36", str(src), "-o", str(tmp_path / "out.csv"))
    assert res.returncode == 0, res.stderr
    assert res.stderr == b""
    out = read_out((tmp_path / "out.csv").read_text(encoding="utf-8"))
    assert [r["id"] for r in out] == [f"v{n}" for n in range(len(vectors))]
    assert list(out[0]) == list(sf36.BATCH_OUTPUT_COLUMNS)
    for v, got in zip(vectors, out):
        cols = [(f"rand_{s.upper()}", f"rand_{s}") for s in sf36.SCALES]
        cols += [(f"ware_{s.upper()}", f"sf36_{s}") for s in sf36.SCALES]
        cols += [("ware_PCS", "sf36_pcs"), ("ware_MCS", "sf36_mcs")]
        for vcol, ocol in cols:
            if v[vcol] == "NA":
                assert got[ocol] == "", (v["source"], ocol)
            else:
                digits = len(v[vcol].split(".")[1]) if "." in v[vcol] else 0
                tol = 1e-6 if digits > 6 else 1e-5
                assert float(got[ocol]) == pytest.approx(float(v[vcol]), abs=tol), ocol


def test_stdout_bom_crlf_quotes_extra_columns_and_order(tmp_path):
    header = ["site", *reversed(Q), "ID"]  # shuffled, extra column, upper-case id
    rows = [["A", *["1"] * 36, "P,1"], ["B", *[""] * 36, 'P"2']]
    src = tmp_path / "in.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    src.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    res = run("--instrument", "rand36", str(src))
    assert res.returncode == 0, res.stderr
    out = read_out(res.stdout.decode("utf-8"))
    assert [r["id"] for r in out] == ["P,1", 'P"2']
    ones = {i: 1 for i in range(1, 37)}
    assert {k: v for k, v in out[0].items() if k != "id"} == expected_row(ones)
    assert all(v == "" for k, v in out[1].items() if k != "id")


def test_unquoted_and_quoted_files_give_identical_output(tmp_path):
    rows = [[f"r{n}", *[str((n + i) % 3 + 1) if (n * i) % 7 else "" for i in range(36)]]
            for n in range(30)]
    plain = write(tmp_path / "plain.csv", ["id", *Q], rows)
    quoted = write(tmp_path / "quoted.csv", ["id", *Q], rows, quoting=csv.QUOTE_ALL)
    a, b = run("--instrument", "rand36", str(plain)), run("--instrument", "rand36", str(quoted))
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout and a.stdout.count(b"\n") == 31


def test_bad_codes_are_reported_and_row_still_scored(tmp_path):
    good = ["1"] * 36
    bad = list(good)
    bad[4] = "7"      # q5 out of range
    bad[22] = "2.5"   # q23 non-integral decimal: rejected
    bad[30] = " 3 "   # q31 spaces: stripped, valid
    src = write(tmp_path / "in.csv", ["id", *Q], [["ok1", *good], ["bad1", *bad], ["ok2", *good]])
    res = run("--instrument", "rand36", str(src), "-o", str(tmp_path / "out.csv"))
    assert res.returncode == 0
    err = res.stderr.decode("utf-8").strip().splitlines()
    assert len(err) == 4                   # per column: a count, then the first examples
    assert err[0].startswith("epro: q5: 1 invalid value")
    assert "'bad1'" in err[1] and "q5" in err[1] and "'7'" in err[1] and "line 3" in err[1]
    assert err[2].startswith("epro: q23: 1 invalid value")
    assert "'bad1'" in err[3] and "q23" in err[3] and "'2.5'" in err[3]
    out = read_out((tmp_path / "out.csv").read_text(encoding="utf-8"))
    assert [r["id"] for r in out] == ["ok1", "bad1", "ok2"]
    answers = {i: 1 for i in range(1, 37)}
    answers.update({5: None, 23: None, 31: 3})
    assert {k: v for k, v in out[1].items() if k != "id"} == expected_row(answers)
    assert out[0] == out[2] | {"id": "ok1"}


def test_short_rows_blank_lines_and_missing_item_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,q23,q27,q29,q31\nA,4,3,3\n\nB,1\n", encoding="utf-8")
    res = run("--instrument", "rand36", str(src))
    assert res.returncode == 0
    out = read_out(res.stdout.decode())
    assert [r["id"] for r in out] == ["A", "B"]
    assert math.isclose(float(out[0]["rand_vt"]), 140 / 3)
    assert out[1]["rand_vt"] == "100.0" and out[1]["sf36_vt"] == ""
    assert "q1" in res.stderr.decode() and "absent" in res.stderr.decode()


def test_header_only_gives_header_only(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id," + ",".join(Q) + "\n", encoding="utf-8")
    res = run("--instrument", "rand36", str(src))
    assert res.returncode == 0
    assert res.stdout.decode().splitlines() == [",".join(sf36.BATCH_OUTPUT_COLUMNS)]


@pytest.mark.parametrize("name, content, needle", [
    ("empty", b"", "empty file"),
    ("blank", b"\n \n", "empty file"),
    ("no_id", b"subject,q1,q2\n1,2,3\n", "no 'id' column"),
    ("semicolon", b"id;q1;q2\n1;2;3\n", "';'"),
    ("no_items", b"id,age\n1,50\n", "no item columns"),
    ("binary", b"PK\x03\x04\x00\x00\x14\x00 xlsx", "binary"),
    ("gbk", "id,q1\n患者,1\n".encode("gbk"), "UTF-8"),
    ("bad_quotes", b'id,q1\n"a"b,1\n', "not a valid CSV"),
    ("dup_column", b"id,q1,Q1\n1,2,3\n", "duplicate"),
])
def test_malformed_files_exit_2_with_one_line(tmp_path, name, content, needle):
    src = tmp_path / f"{name}.csv"
    src.write_bytes(content)
    res = run("--instrument", "rand36", str(src), "-o", str(tmp_path / "out.csv"))
    assert res.returncode == 2
    err = res.stderr.decode("utf-8")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert needle in err
    assert not (tmp_path / "out.csv").exists()
    assert not list(tmp_path.glob(".out.csv.*"))  # no temporary file left behind


def test_missing_input_file_exit_2(tmp_path):
    res = run("--instrument", "rand36", str(tmp_path / "nope.csv"))
    assert res.returncode == 2 and b"not found" in res.stderr and b"Traceback" not in res.stderr


def test_output_folder_missing_exit_2(tmp_path):
    src = write(tmp_path / "in.csv", ["id", "q1"], [["a", "1"]])
    res = run("--instrument", "rand36", str(src), "-o", str(tmp_path / "no" / "out.csv"))
    assert res.returncode == 2 and b"does not exist" in res.stderr


def test_csc_through_the_same_command(tmp_path):
    from forms import csc
    cols = list(csc.BATCH_INPUT_COLUMNS)
    row = ["1" if c in csc.VALID_CODES and 1 in csc.VALID_CODES[c] else "" for c in cols]
    src = write(tmp_path / "in.csv", ["id", *cols], [["c1", *row], ["c2", *[""] * len(cols)]])
    res = run("--instrument", "csc", str(src))
    assert res.returncode == 0, res.stderr
    out = read_out(res.stdout.decode())
    assert list(out[0]) == list(csc.BATCH_OUTPUT_COLUMNS)
    expected = csc.score_batch_row({c: (int(v) if v else None) for c, v in zip(cols, row)})
    for k in csc.BATCH_OUTPUT_COLUMNS[1:]:
        v = expected[k]
        assert out[0][k] == ("" if v is None else repr(v) if isinstance(v, float) else str(v))


def test_csc_bad_code_reported(tmp_path):
    from forms import csc
    cols = list(csc.BATCH_INPUT_COLUMNS)
    src = write(tmp_path / "in.csv", ["id", cols[0]], [["x9", "17"]])
    res = run("--instrument", "csc", str(src))
    assert res.returncode == 0
    assert f"'x9'" in res.stderr.decode() and cols[0] in res.stderr.decode()


# --- in-process ----------------------------------------------------------------------------------

def test_reader_paths_agree(tmp_path):
    rows = [["a", "1", "", "3"], ["b", "", "2"], ["c", "1", "2", "3", "extra"]]
    plain = tmp_path / "p.csv"
    plain.write_text("id,q1,q2,q3\n" + "\n".join(",".join(r) for r in rows) + "\n")
    quoted = write(tmp_path / "q.csv", ["id", "q1", "q2", "q3"], rows, quoting=csv.QUOTE_ALL)
    a, b = batch.read_csv(str(plain)), batch.read_csv(str(quoted))
    assert a.header == b.header and a.n_rows == b.n_rows == 3
    assert [list(c) for c in a.columns] == [list(c) for c in b.columns]
    assert list(a.columns[2]) == ["", "2", "2"] and [a.line_of(r) for r in range(3)] == [2, 3, 4]


@pytest.mark.parametrize("text, ok", [("", None), (" 2 ", 2), ("2", 2), ("02", 2), ("+2", 2),
                                      ("2.0", 2), ("3.00", 3)])
def test_parse_code_accepts(text, ok):
    assert batch.parse_code(text, frozenset({1, 2, 3})) == ok


@pytest.mark.parametrize("text", ["2.5", "2.", "NA", "x", "4", "0", "-1", "２", "1e0"])
def test_parse_code_rejects(text):
    with pytest.raises(ValueError):
        batch.parse_code(text, frozenset({1, 2, 3}))


def test_unknown_instrument_is_a_user_error():
    with pytest.raises(UserError):
        batch.scorer_for("phq9")
