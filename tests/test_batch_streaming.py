"""``score`` and ``calc`` stream (issue 13 item 7, issue 16): peak memory on 200 000 rows stays
at the level of 20 000 rows, and bad cells are summarised per column, not one line each."""
from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

from forms import batch
from forms.csv_stream import EXAMPLES, BadCells

ROOT = Path(__file__).resolve().parent.parent


def _rand36_file(path: Path, rows: int, bad_every: int = 0) -> Path:
    rng = random.Random(rows)
    pool = ["".join(f",{rng.randint(1, 2)}" for _ in range(36)) for _ in range(64)]
    with path.open("w", encoding="utf-8") as f:
        f.write("id," + ",".join(f"q{i}" for i in range(1, 37)) + "\n")
        for r in range(rows):
            line = pool[r % 64]
            if bad_every and r % bad_every == 0:
                line = ",9" + line[2:]                            # q1 out of range
            f.write(f"P{r}{line}\n")
    return path


def _labs_file(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("id,bilirubin,albumin,albumin_unit,inr,creatinine,sodium,ascites,"
                "encephalopathy\n")
        for r in range(rows):
            bili = "abc" if r % 1000 == 0 else f"{1 + r % 7}.5"
            f.write(f"L{r},{bili},3{r % 9},g/L,1.{r % 8},1.{r % 5},13{r % 9},slight,none\n")
    return path


_PEAK = """
import resource, sys
sys.argv = ["epro", *sys.argv[1:]]
import main
rc = main.main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _peak_rss_kib(*argv: str) -> tuple[int, list[str]]:
    """Peak RSS (KiB) of ``main.py ARGV`` in a fresh interpreter, and its stderr lines."""
    res = subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True,
                         cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    return int(lines[-1]), lines[:-1]


def test_score_memory_is_flat_from_20k_to_200k_rows(tmp_path) -> None:
    small = _rand36_file(tmp_path / "s.csv", 20_000, bad_every=997)
    big = _rand36_file(tmp_path / "b.csv", 200_000, bad_every=997)
    rss_small, _ = _peak_rss_kib("score", "--instrument", "rand36", str(small), "-o",
                                 str(tmp_path / "s.out"))
    rss_big, err = _peak_rss_kib("score", "--instrument", "rand36", str(big), "-o",
                                 str(tmp_path / "b.out"))
    # whole-file reading took ~900 MiB per million rows: 200 000 rows would add ~180 MiB
    assert rss_big < rss_small + 16 * 1024, (rss_small, rss_big)
    n_bad = len(range(0, 200_000, 997))
    assert err[0] == f"epro: q1: {n_bad} invalid values (valid: 1-5, or empty), scored as " \
                     "not answered"
    assert len(err) == 1 + EXAMPLES + 1                    # count, first examples, "… more"
    assert "row 'P0' (line 2): q1 '9'" in err[1] and err[-1].endswith(f"{n_bad - EXAMPLES} "
                                                                     "more in q1")
    assert sum(1 for _ in (tmp_path / "b.out").open()) == 200_001


def test_calc_memory_is_flat_from_20k_to_200k_rows(tmp_path) -> None:
    small, big = _labs_file(tmp_path / "s.csv", 20_000), _labs_file(tmp_path / "b.csv", 200_000)
    rss_small, _ = _peak_rss_kib("calc", str(small), "-o", str(tmp_path / "s.out"))
    rss_big, err = _peak_rss_kib("calc", str(big), "-o", str(tmp_path / "b.out"))
    assert rss_big < rss_small + 16 * 1024, (rss_small, rss_big)
    assert err[0].startswith("epro: bilirubin: 200 invalid values")
    assert len(err) == 1 + EXAMPLES + 1
    assert sum(1 for _ in (tmp_path / "b.out").open()) == 200_001


def test_score_streams_quoted_files_with_line_numbers(tmp_path) -> None:
    """A quoted field (even one spanning lines) switches to the csv module mid-file; chunks
    keep the file's line numbers."""
    module = batch.scorer_for("csc")
    rows = [f"r{i},1" for i in range(10)] + ['"multi\nline",7', "r11,1"]
    src = tmp_path / "q.csv"
    src.write_text("id,C1\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out, report = io.StringIO(), BadCells()
    assert batch.score_file(module, str(src), out, report, chunk_rows=4) == 12
    body = out.getvalue().splitlines()
    assert body[0].startswith("id,") and body[1].startswith("r0,")
    assert '"multi' in out.getvalue() and body[-1].startswith("r11,")
    assert report.counts == {"C1": 1}
    assert "(line 13)" in report.first["C1"][0]          # the line the quoted row ends on
