"""``score_100k_rows_s``: the whole ``main.py score --instrument rand36`` process on 100 000
generated SF-36 rows, against a plain ``csv`` read + write of the same file in a subprocess."""
from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import record

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
REPEAT = 3
BASELINE = ("import csv, sys\n"
            "with open(sys.argv[1], newline='', encoding='utf-8') as f, "
            "open(sys.argv[2], 'w', newline='', encoding='utf-8') as g:\n"
            "    csv.writer(g).writerows(csv.reader(f))\n")


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


def best_of(cmd: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out, copy = Path(tmp, "in.csv"), Path(tmp, "out.csv"), Path(tmp, "copy.csv")
        generate(src)
        value = best_of([sys.executable, str(ROOT / "main.py"), "score", "--instrument", "rand36",
                         str(src), "-o", str(out)])
        with open(out, encoding="utf-8", newline="") as f:
            n_out = sum(1 for _ in csv.reader(f)) - 1
        if n_out != ROWS:
            raise RuntimeError(f"score wrote {n_out} rows, expected {ROWS}")
        base = best_of([sys.executable, "-c", BASELINE, str(src), str(copy)])
    return [record("score_100k_rows_s", value, "s", baseline="csv_read_write_100k_s",
                   baseline_value=base, goal_ratio=3.0, rows=ROWS)]
