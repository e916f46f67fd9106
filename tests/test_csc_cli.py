"""`main.py score --instrument csc` through a subprocess (symptoms.md §3, batch command)."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

from forms import csc

ROOT = Path(__file__).resolve().parent.parent
COLS = list(csc.BATCH_INPUT_COLUMNS)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", *COLS])
        for r in rows:
            w.writerow([r["id"], *("" if r.get(c) is None else r[c] for c in COLS)])


def test_score_csc_cli(tmp_path):
    core4 = {"C1": 1, "C2": 2, "C3": 3, "C4": 4}
    s12 = {**core4, **{f"S{i}": 1 for i in range(1, 9)}}
    rows = [
        {"id": "full", **s12, "C2b": 4, "G1": 4, "P1": 9, "A1": 0},
        {"id": "three_core", "C1": 1, "C2": 0, "C3": 0, "A4": 9},
        {"id": "nine", "C1": 1, "C2": 1, "C3": 1, "C4": 1, "S1": 1, "S2": 1, "S3": 1, "S4": 1,
         "S5": 2, "A7": 1, "A2": 9},
        {"id": "eight", "C1": 2, "C2": 2, "C3": 2, "C4": 2, "S1": 2, "S2": 2, "S3": 2, "S4": 2},
        {"id": "bad", **s12, "C1": 9},
        {"id": "empty"},
    ]
    src = tmp_path / "in.csv"
    _write(src, rows)
    proc = _run("score", "--instrument", "csc", str(src))
    assert proc.returncode == 0, proc.stderr
    out = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(out[0]) == list(csc.BATCH_OUTPUT_COLUMNS)
    got = {r["id"]: r for r in out}
    assert [r["id"] for r in out] == [r["id"] for r in rows]

    assert got["full"] == {"id": "full", "rss": "10.0", "tsb": repr(100 * 18 / 48),
                           "nmod": "3", "alert": ""}
    assert got["three_core"] == {"id": "three_core", "rss": repr(float(Fraction(4, 3))),
                                 "tsb": "", "nmod": "0", "alert": "amber"}
    assert float(got["nine"]["tsb"]) == float(Fraction(1000, 36))
    assert got["nine"]["alert"] == "red" and got["nine"]["nmod"] == "1"
    assert got["eight"]["tsb"] == "" and got["eight"]["rss"] == "8.0"
    assert got["eight"]["nmod"] == "8"
    # invalid code: reported with row id and column, row scored with C1 not answered
    assert "'bad'" in proc.stderr and "C1" in proc.stderr
    assert float(got["bad"]["rss"]) == float(Fraction(4 * 9, 3))
    assert got["empty"] == {"id": "empty", "rss": "", "tsb": "", "nmod": "", "alert": ""}
    # the CLI and the Python hook agree on every valid row
    for r in rows:
        if r["id"] == "bad":
            continue
        expect = csc.score_batch_row({c: r.get(c) for c in COLS})
        for k in ("rss", "tsb", "nmod", "alert"):
            v = expect[k]
            assert got[r["id"]][k] == ("" if v is None else repr(v) if isinstance(v, float)
                                       else str(v)), (r["id"], k)


def test_score_csc_cli_output_file_and_malformed_input(tmp_path):
    src = tmp_path / "in.csv"
    _write(src, [{"id": "p1", "A3": 1, "C1": 0, "C2": 0, "C3": 0, "C4": 0}])
    dst = tmp_path / "out.csv"
    proc = _run("score", "--instrument", "csc", str(src), "-o", str(dst))
    assert proc.returncode == 0, proc.stderr
    assert dst.read_text(encoding="utf-8").splitlines() == [
        "id,rss,tsb,nmod,alert", "p1,0.0,,0,red"]
    bad = tmp_path / "bad.csv"
    bad.write_text("foo;bar\n1;2\n", encoding="utf-8")
    proc = _run("score", "--instrument", "csc", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
