"""``main.py calc`` through a subprocess, and calc_row directly (calculators.md "Batch command")."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from forms.calc_batch import OUTPUT_COLUMNS, calc_row

ROOT = Path(__file__).resolve().parent.parent


def run_calc(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "calc", *args],
                          capture_output=True, cwd=ROOT, input=stdin, timeout=60)


def parse(out: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out.decode("utf-8"))))


def write(tmp_path: Path, text: str, name: str = "in.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_kim2021_examples_through_the_cli(spec_dir, tmp_path):
    src = (spec_dir / "meld3_kim2021_examples.csv").read_text(encoding="utf-8")
    text = src.replace("case_id,", "id,", 1)   # the batch command's row key is "id"
    res = run_calc(str(write(tmp_path, text)))
    assert res.returncode == 0, res.stderr
    rows = parse(res.stdout)
    expected = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [e["id"] for e in expected]
    assert [r["meld3"] for r in rows] == [e["expected"] for e in expected]
    assert [r["meld3_uncapped"] for r in rows] == [e["expected_uncapped"] for e in expected]
    assert all(r["meld"] and r["meld_na"] for r in rows)        # inputs present → computed
    assert all(r["child_pugh"] == "" for r in rows)             # no ascites/encephalopathy
    assert b"unknown column" in res.stderr                        # expected, note, ... ignored


GOOD = """\
creatinine,id,bilirubin,bilirubin_unit,albumin,albumin_unit,inr,sodium,dialysis,female,age,ascites,encephalopathy,variant,creatinine_unit
0.8,P1,1.5,mg/dL,3.0,g/dL,1.6,128,TRUE,false,60,mild,none,,
5.5,P2,1.0,,,,1.0,,,,,,,,
1.0,P3,51.3,µmol/L,28,g/L,2.3,137,0,1,,slight,grade1-2,standard,
3.0,P4,30,,1.5,,4.0,125,false,true,,severe,grade3-4,,
0.9,P5,68.4,umol/L,40,g/L,1.0,140,,,,none,none,pbc,
"""


def test_good_file_columns_in_any_order_with_bom(tmp_path):
    res = run_calc(str(write(tmp_path, GOOD, bom=True)))
    assert res.returncode == 0 and res.stderr == b""
    assert res.stdout.decode().splitlines()[0] == ",".join(OUTPUT_COLUMNS)
    rows = {r["id"]: r for r in parse(res.stdout)}
    assert list(rows) == ["P1", "P2", "P3", "P4", "P5"]
    p1 = rows["P1"]   # pitfall 2: dialysis → Cr 4.0 → MELD 26, MELD-Na 30
    assert (p1["meld"], p1["meld_na"], p1["child_pugh"], p1["child_pugh_class"]) == \
        ("26", "30", "7", "B")
    assert p1["meld3"] != "" and p1["meld3"] == p1["meld3_uncapped"]
    p2 = rows["P2"]   # pitfall 1 via the batch; nothing else given
    assert p2 == {"id": "P2", "child_pugh": "", "child_pugh_class": "", "meld": "20",
                  "meld_na": "", "meld3": "", "meld3_uncapped": ""}
    assert (rows["P3"]["child_pugh"], rows["P3"]["child_pugh_class"]) == ("10", "C")
    assert (rows["P4"]["meld3"], rows["P4"]["meld3_uncapped"]) == ("40", "47")
    assert (rows["P4"]["child_pugh"], rows["P4"]["child_pugh_class"]) == ("15", "C")
    assert rows["P5"]["child_pugh"] == "6"     # pbc: 68.4 µmol/L = 4.0 mg/dL → 2 points
    assert rows["P5"]["meld3"] == ""           # female not given, adult assumed


def test_mixed_valid_and_invalid_rows(tmp_path):
    text = ("id,bilirubin,bilirubin_unit,albumin,inr,creatinine,sodium,dialysis,female,ascites,"
            "encephalopathy\n"
            "A1,2.0,mg/dL,3.5,1.7,1.0,130,false,false,none,none\n"
            "B2,900,mg/dL,3.5,1.7,1.0,130,false,false,none,none\n"
            "C3,2.0,mmol/L,3.5,1.7,1.0,130,maybe,false,none,none\n"
            "D4,2.0,mg/dL,35,1.7,1.0,99,false,yes,lots,none\n"
            "E5,2.0,mg/dL,3.5,abc,1.0,130,false,false,none,none\n")
    res = run_calc(str(write(tmp_path, text)))
    assert res.returncode == 0
    rows = {r["id"]: r for r in parse(res.stdout)}
    assert list(rows) == ["A1", "B2", "C3", "D4", "E5"]
    assert rows["A1"]["child_pugh"] == "8" and rows["A1"]["meld"] != ""
    assert all(rows["B2"][c] == "" for c in OUTPUT_COLUMNS[1:])
    assert rows["C3"]["meld"] == "" and rows["C3"]["child_pugh"] == ""
    # D4: albumin (g/dL default) and sodium implausible, female and ascites invalid; MELD is fine
    assert rows["D4"]["meld"] != "" and rows["D4"]["meld_na"] == "" and rows["D4"]["meld3"] == ""
    assert rows["D4"]["child_pugh"] == ""
    assert all(rows["E5"][c] == "" for c in OUTPUT_COLUMNS[1:])
    err = res.stderr.decode()
    for row_id, field in [("B2", "bilirubin 900 mg/dL"), ("C3", "bilirubin_unit mmol/L"),
                          ("C3", "dialysis maybe"), ("D4", "albumin 35 g/dL"),
                          ("D4", "sodium 99 mmol/L"), ("D4", "female yes"), ("D4", "ascites lots"),
                          ("E5", "inr abc")]:
        assert any(row_id in line and field in line for line in err.splitlines()), (row_id, field)
    examples = [line for line in err.splitlines() if line.startswith("epro:   row")]
    assert len(examples) == 8                  # summarised per field, each with its examples
    assert "epro: bilirubin: 1 invalid value" in err
    assert "A1" not in err and "Traceback" not in err


@pytest.mark.parametrize("content", [
    b"",                                        # empty
    b"\n\n",                                    # blank lines only
    b"bilirubin,inr\n2,1\n",                    # no id column
    b"id,id,inr\n1,2,3\n",                      # duplicate column
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",     # binary
    b"\xff\xfe i\x00d\x00",                      # not UTF-8
    b"id,inr\n" + b"x" * 200_000 + b"\n",         # a field over csv's size limit
], ids=["empty", "blank", "no-id", "dup", "binary", "utf16", "huge-field"])
def test_malformed_files_exit_2_one_line(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    res = run_calc(str(path))
    assert res.returncode == 2, res
    err = res.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and err.startswith("epro: error:") and "Traceback" not in err
    assert res.stdout == b""


def test_missing_file_and_folder_exit_2(tmp_path):
    for target in (tmp_path / "nope.csv", tmp_path):
        res = run_calc(str(target))
        assert res.returncode == 2
        assert len(res.stderr.decode().strip().splitlines()) == 1


def test_output_file_option(tmp_path):
    out = tmp_path / "scores.csv"
    res = run_calc(str(write(tmp_path, GOOD)), "-o", str(out))
    assert res.returncode == 0 and res.stdout == b""
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == ["P1", "P2", "P3", "P4", "P5"]
    assert rows[0]["meld_na"] == "30"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_to_unwritable_place_exits_2(tmp_path):
    res = run_calc(str(write(tmp_path, GOOD)), "-o", str(tmp_path / "no" / "such" / "out.csv"))
    assert res.returncode == 2 and b"Traceback" not in res.stderr
    assert len(res.stderr.decode().strip().splitlines()) == 1


def test_ragged_row_reported_and_others_computed(tmp_path):
    text = "id,inr,bilirubin,creatinine\nR1,1,1,1,EXTRA\nR2,1,1,1\nR3,1\n"
    res = run_calc(str(write(tmp_path, text)))
    assert res.returncode == 0
    rows = parse(res.stdout)
    assert [(r["id"], r["meld"]) for r in rows] == [("R1", ""), ("R2", "6"), ("R3", "")]
    assert "R1" in res.stderr.decode() and "R3" not in res.stderr.decode()


# ---------------------------------------------------------------- calc_row (in process)
def test_calc_row_units_default_to_canonical_and_accept_si():
    si, _ = calc_row({"id": "x", "bilirubin": "171", "bilirubin_unit": "umol/L", "inr": "2",
                      "creatinine": "176.8", "creatinine_unit": "UMOL/L"})
    mg, _ = calc_row({"id": "x", "bilirubin": "10", "inr": "2", "creatinine": "2"})
    assert si["meld"] == mg["meld"] and isinstance(si["meld"], int)


def test_calc_row_booleans_case_insensitive():
    base = {"id": "x", "bilirubin": "1.5", "inr": "1.6", "creatinine": "0.8"}
    for text in ("true", "TRUE", "1", "True"):
        assert calc_row({**base, "dialysis": text})[0]["meld"] == 26
    for text in ("false", "0", "FALSE", ""):
        assert calc_row({**base, "dialysis": text})[0]["meld"] == 13
    out, errors = calc_row({**base, "dialysis": "yes"})
    assert "meld" not in out and errors[0].field == "dialysis"


def test_calc_row_adolescent_needs_no_sex_and_child_is_rejected():
    base = {"id": "x", "bilirubin": "2.5", "inr": "1.0", "creatinine": "1.2", "sodium": "131",
            "albumin": "3.8"}
    assert calc_row({**base, "age": "15"})[0]["meld3"] == 17
    out, errors = calc_row({**base, "age": "10", "female": "false"})
    assert "meld3" not in out and out["meld"] and errors[0].field == "age"


def test_dash_reads_standard_input():
    res = run_calc("-", stdin=b"id,bilirubin,inr,creatinine\nS1,1.0,1.0,5.5\n")
    assert res.returncode == 0 and parse(res.stdout)[0]["meld"] == "20"
