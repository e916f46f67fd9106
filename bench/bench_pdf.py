"""Visit summary PDF benchmarks (data already loaded; fonts registered once per process).

* ``pdf_summary_ms``: build the demo W12 summary (3 pages, charts, full appendix) into memory,
  median of 20 (en); ``pdf_summary_zh_ms`` the same in zh_CN. Goal ≤ 150 ms.
  Baseline: the same pipeline for a visit with nothing submitted (1 page), i.e. the fixed cost.
* ``pdf_batch_100_s``: ``build_visit_summaries`` for 100 visits (mixed en/zh_CN) into a
  temporary folder, files written. Goal ≤ 10 s. Baseline: 100 × the single-summary median.
  ``pdf_batch_100_2proc_s``: the same with ``workers=2`` (spawned processes).
* ``pdf_summary_db_ms``: ``load_visit_summary`` (one read transaction) + build for DEMO-0001 W12
  of a 1-patient demo SQLite database (generated once, not timed), median of 20. Baseline:
  ``pdf_summary_ms`` (build only); ``load_ms`` is the load part alone.
"""
from __future__ import annotations

import io
import statistics
import tempfile
import time
from dataclasses import replace

from bench.__main__ import record
from bench.measure import scaled

BATCH = scaled(100, 20)


def _median_ms(fn, repeat: int = scaled(20, 5)) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def run() -> list[dict]:
    from reports.demo_summary import demo_visit_summary, empty_visit_summary
    from reports.fonts import load_fonts
    from reports.visit_summary import build_visit_summaries, build_visit_summary

    load_fonts()                       # one-time font discovery, not part of a build
    en, zh = demo_visit_summary("en"), demo_visit_summary("zh_CN")
    empty = empty_visit_summary("en")
    for s in (en, zh, empty):          # warm-up (imports, glyph caches)
        build_visit_summary(s, io.BytesIO())
    single = _median_ms(lambda: build_visit_summary(en, io.BytesIO()))
    single_zh = _median_ms(lambda: build_visit_summary(zh, io.BytesIO()))
    fixed = _median_ms(lambda: build_visit_summary(empty, io.BytesIO()))

    visits = [replace(en if i % 2 == 0 else zh, subject_id=f"DEMO-{i:04d}") for i in range(BATCH)]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        results = build_visit_summaries(visits, tmp)
        batch = time.perf_counter() - t0
        failed = sum(r.error is not None for r in results)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        results = build_visit_summaries(visits, tmp, workers=2)
        batch_par = time.perf_counter() - t0
        failed += sum(r.error is not None for r in results)
    db_ms, load_ms = _db_case()
    return [
        record("pdf_summary_db_ms", db_ms, "ms", baseline="pdf_summary_ms (build only)",
               baseline_value=single, goal=150, load_ms=round(load_ms, 2)),
        record("pdf_summary_ms", single, "ms", baseline="empty visit (1 page), same pipeline",
               baseline_value=fixed, goal=150),
        record("pdf_summary_zh_ms", single_zh, "ms", baseline="empty visit (1 page), same pipeline",
               baseline_value=fixed, goal=150),
        record(f"pdf_batch_{BATCH}_s", batch, "s", baseline=f"{BATCH} x single-summary median",
               baseline_value=BATCH * (single + single_zh) / 2 / 1000, goal=10, failed=failed),
        record(f"pdf_batch_{BATCH}_2proc_s", batch_par, "s",
               baseline=f"pdf_batch_{BATCH}_s (1 process)", baseline_value=batch, goal=10),
    ]


def _db_case() -> tuple[float, float]:
    from reports.summary_loader import load_visit_summary
    from reports.visit_summary import build_visit_summary
    from storage.db import open_database
    from storage.demo import generate_demo_data
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db")
        try:
            generate_demo_data(db, patients=1, seed=3)
            instruments: dict = {}
            load = lambda: load_visit_summary(db, "DEMO-0001", "W12",  # noqa: E731
                                              instruments=instruments)
            build_visit_summary(load(), io.BytesIO())              # warm-up
            both = _median_ms(lambda: build_visit_summary(load(), io.BytesIO()))
            load_only = _median_ms(load)
        finally:
            db.dispose()
    return both, load_only
