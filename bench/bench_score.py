"""``main.py score --instrument rand36`` as a whole process, against a plain ``csv`` read +
write of the same file in a process (same run, interleaved, wall and CPU of the children).

* ``score_100k_rows_s`` (goal ratio ≤ 3): best of 3 on 100 000 generated SF-36 rows.
* ``score_1m_rows_peak_mb`` (goal ≤ 64): peak RSS of the score process on 1 000 000 rows;
  baseline: the csv read + write process's peak RSS on the same file.

``make bench-quick``: 20 000 and 200 000 rows (names say so).
"""
from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import record
from bench.measure import children_cpu_s, scaled

ROOT = Path(__file__).resolve().parent.parent
ROWS = scaled(100_000, 20_000)
BIG = scaled(1_000_000, 200_000)
REPEAT = 3
BASELINE = ("import csv, sys\n"
            "with open(sys.argv[1], newline='', encoding='utf-8') as f, "
            "open(sys.argv[2], 'w', newline='', encoding='utf-8') as g:\n"
            "    csv.writer(g).writerows(csv.reader(f))\n")
# runs a command and prints its peak RSS (KiB) — the same wrapper for ours and the floor
PEAK = ("import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def generate(path: Path, rows: int = ROWS, seed: int = 36) -> None:
    """Random valid precodes, about 5 % blanks, plus an ignored extra column."""
    from forms.sf36 import ITEMS, VALID_CODES
    rng = random.Random(seed)
    codes = [sorted(map(str, VALID_CODES[i])) for i in ITEMS]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", *(f"q{i}" for i in ITEMS), "site"])
        for n in range(rows):
            w.writerow([f"S{n:06d}", *("" if rng.random() < 0.05 else rng.choice(c)
                                       for c in codes), "01"])


def _timed(cmd: list[str]) -> tuple[float, float]:
    c0, t0 = children_cpu_s(), time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0, children_cpu_s() - c0


def _peak_mb(cmd: list[str]) -> float:
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out, copy = Path(tmp, "in.csv"), Path(tmp, "out.csv"), Path(tmp, "copy.csv")
        generate(src)
        ours_cmd = [sys.executable, str(ROOT / "main.py"), "score", "--instrument", "rand36",
                    str(src), "-o", str(out)]
        floor_cmd = [sys.executable, "-c", BASELINE, str(src), str(copy)]
        ours, floor = [], []
        for k in range(REPEAT):                    # interleaved
            for cmd, acc in ((ours_cmd, ours), (floor_cmd, floor)) if k % 2 == 0 else \
                    ((floor_cmd, floor), (ours_cmd, ours)):
                acc.append(_timed(cmd))
        with open(out, encoding="utf-8", newline="") as f:
            n_out = sum(1 for _ in csv.reader(f)) - 1
        if n_out != ROWS:
            raise RuntimeError(f"score wrote {n_out} rows, expected {ROWS}")
        big = Path(tmp, "big.csv")
        generate(big, BIG, seed=37)
        peak = _peak_mb([sys.executable, str(ROOT / "main.py"), "score", "--instrument",
                         "rand36", str(big), "-o", str(Path(tmp, "big.out"))])
        peak_floor = _peak_mb([sys.executable, "-c", BASELINE, str(big), str(copy)])
    best, best_floor = min(ours), min(floor)
    small = "100k" if ROWS == 100_000 else f"{ROWS // 1000}k"
    large = "1m" if BIG == 1_000_000 else f"{BIG // 1000}k"
    return [record(f"score_{small}_rows_s", best[0], "s",
                   baseline=f"csv read+write of the same {ROWS} rows (process), interleaved",
                   baseline_value=best_floor[0], goal_ratio=3.0, rows=ROWS,
                   cpu_s=round(best[1], 3), baseline_cpu_s=round(best_floor[1], 3)),
            record(f"score_{large}_rows_peak_mb", peak, "MB",
                   baseline="csv read+write process, same file", baseline_value=peak_floor,
                   goal_mb=64, rows=BIG)]
