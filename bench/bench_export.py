"""Export benchmarks on a generated 10 000-patient database (3 visits × SF-36 + CSC submitted
and scored each: 60 000 administrations, 1.8 M answers).

``export_csv_10k_s`` (goal ≤ 10 s) and ``export_odm_10k_s`` (goal ≤ 60 s). Each export runs in
a fresh subprocess that reports its wall time and its peak RSS (``bench.measure.peak_rss_mb``) before and after
the export, so the figures are not inflated by the generator. Generating the database takes
about 1.5 minutes and is reported too. ``EPRO_BENCH_EXPORT_PATIENTS`` overrides the size.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import record
from bench.measure import scaled

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench.measure import peak_rss_mb
from storage.db import open_database
from reports.export.variables import instruments
db = open_database(sys.argv[2], migrate=False)
insts = instruments()
before = peak_rss_mb()
out = Path(sys.argv[4])
t = time.perf_counter()
if sys.argv[1] == "csv":
    from reports.export.csv_folder import export_csv
    rows = export_csv(db, out, insts)
else:
    from reports.export.odm_data import export_odm
    rows = export_odm(db, out, insts)
elapsed = time.perf_counter() - t
after = peak_rss_mb()
print(json.dumps({"s": elapsed, "rss_before_mb": before, "rss_peak_mb": after,
                  "rows": rows}))
"""


def _child(fmt: str, url: str, out: Path) -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD, fmt, url, str(ROOT), str(out)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    from bench.export_db import build_bulk
    from storage.db import open_database
    n = int(os.environ.get("EPRO_BENCH_EXPORT_PATIENTS", str(scaled(10000, 300))))
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{Path(d) / 'bench.db'}"
        db = open_database(url)
        t = time.perf_counter()
        build_bulk(db, n)
        gen = time.perf_counter() - t
        db.dispose()
        csv_r = _child("csv", url, Path(d) / "csv")
        odm_r = _child("odm", url, Path(d) / "study.xml")
        odm_bytes = (Path(d) / "study.xml").stat().st_size
        csv_bytes = sum(p.stat().st_size for p in (Path(d) / "csv").iterdir())
    tag = "10k" if n == 10000 else f"{n}"
    return [
        record(f"export_csv_{tag}_s", csv_r["s"], "s", baseline="goal 10 s", baseline_value=10.0,
               peak_rss_mb=round(csv_r["rss_peak_mb"], 1),
               rss_before_export_mb=round(csv_r["rss_before_mb"], 1),
               output_mb=round(csv_bytes / 1e6, 1), rows=csv_r["rows"], patients=n),
        record(f"export_odm_{tag}_s", odm_r["s"], "s", baseline="goal 60 s", baseline_value=60.0,
               peak_rss_mb=round(odm_r["rss_peak_mb"], 1),
               rss_before_export_mb=round(odm_r["rss_before_mb"], 1),
               output_mb=round(odm_bytes / 1e6, 1), patients=n),
        record(f"export_bench_db_generate_{tag}_s", gen, "s", patients=n),
    ]
