"""Nurse workstation benchmarks.

* ``patient_list_10k_model_ms`` (issue 6's ``patient_list_10k_ms`` through the model; the
  storage query of the same name is in bench_storage): 10 000 rows into the real ``PatientTableModel`` behind the real
  ``PatientFilterProxy``, then a sort by PCS (descending) and by subject id: populate + sort.
  Baseline: a stock ``QSortFilterProxyModel`` sorting by the same sort role in C++
  (``setSortRole``), i.e. what one gets without the source-model sort.
* ``trend_chart_ms``: build the trend charts for one patient with 9 visits and render them once
  (``grab`` at 1280×800). Baseline: the same with 2 visits.
"""
from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.__main__ import record  # noqa: E402
from bench.measure import scaled  # noqa: E402

N = scaled(10_000, 2_000)


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def _time(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def run() -> list[dict]:
    _app()
    from PySide6.QtCore import QSortFilterProxyModel, Qt

    from ui.nurse.patient_table import COL, SORT_ROLE, PatientFilterProxy, PatientTableModel
    from ui.nurse.sample_data import sample_patient_rows, sample_trend_points
    from ui.nurse.trends import TrendsWidget

    rows = sample_patient_rows(N)

    def ours():
        m = PatientTableModel()
        p = PatientFilterProxy()
        p.setSourceModel(m)
        m.set_rows(rows)
        p.sort(COL["last_pcs"], Qt.SortOrder.DescendingOrder)
        p.sort(COL["subject_id"], Qt.SortOrder.AscendingOrder)
        assert p.rowCount() == N

    def stock():
        m = PatientTableModel()
        p = QSortFilterProxyModel()
        p.setSortRole(SORT_ROLE)
        p.setSourceModel(m)
        m.set_rows(rows)
        p.sort(COL["last_pcs"], Qt.SortOrder.DescendingOrder)
        p.sort(COL["subject_id"], Qt.SortOrder.AscendingOrder)

    tag = "10k" if N == 10_000 else str(N)
    out = [record(f"patient_list_{tag}_model_ms", _time(ours), "ms",
                  baseline="stock QSortFilterProxyModel sort by SORT_ROLE",
                  baseline_value=_time(stock, repeat=3))]

    def chart(n):
        pts = sample_trend_points(n)

        def go():
            w = TrendsWidget()
            w.resize(1280, 800)
            w.set_points(pts)
            img = w.grab()
            assert not img.isNull()
            w.deleteLater()
        return go

    out.append(record("trend_chart_ms", _time(chart(9)), "ms",
                      baseline="same charts with 2 visits", baseline_value=_time(chart(2))))
    # Delete the charts now, while the QApplication is alive: left to interpreter exit,
    # pyqtgraph items outlived Qt and the process crashed (SIGSEGV) after writing results.
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return out
