"""Visit summary PDF benchmarks (data already loaded; fonts registered once per process).

* ``pdf_summary_ms``: build the demo W12 summary (3 pages, charts, full appendix) into memory,
  median of 20 (en); ``pdf_summary_zh_ms`` the same in zh_CN. Goal ≤ 150 ms.
  Baseline: the same pipeline for a visit with nothing submitted (1 page), i.e. the fixed cost.
* ``pdf_batch_100_s``: ``build_visit_summaries`` for 100 visits (mixed en/zh_CN) into a
  temporary folder, files written. Goal ≤ 10 s. Baseline: 100 × the single-summary median.
  ``pdf_batch_100_2proc_s``: the same with ``workers=2`` (spawned processes).
"""
from __future__ import annotations

import io
import statistics
import tempfile
import time
from dataclasses import replace

from bench.__main__ import record


def _median_ms(fn, repeat: int = 20) -> float:
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

    visits = [replace(en if i % 2 == 0 else zh, subject_id=f"DEMO-{i:04d}") for i in range(100)]
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
    return [
        record("pdf_summary_ms", single, "ms", baseline="empty visit (1 page), same pipeline",
               baseline_value=fixed, goal=150),
        record("pdf_summary_zh_ms", single_zh, "ms", baseline="empty visit (1 page), same pipeline",
               baseline_value=fixed, goal=150),
        record("pdf_batch_100_s", batch, "s", baseline="100 x single-summary median",
               baseline_value=100 * (single + single_zh) / 2 / 1000, goal=10, failed=failed),
        record("pdf_batch_100_2proc_s", batch_par, "s", baseline="pdf_batch_100_s (1 process)",
               baseline_value=batch, goal=10),
    ]
