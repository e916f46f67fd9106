"""Exports stream: peak Python memory does not grow with the number of patients."""
from __future__ import annotations

import tracemalloc

from bench.export_db import build_bulk
from reports.export.csv_folder import export_csv
from reports.export.variables import instruments
from storage.db import open_database


def _peak(tmp_path, n: int) -> tuple[int, int]:
    db = open_database(f"sqlite:///{tmp_path / f'b{n}.db'}")
    try:
        build_bulk(db, n, visits_done=2)
        insts = instruments()
        tracemalloc.start()
        counts = export_csv(db, tmp_path / f"out{n}", insts, batch=25)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        db.dispose()
    return peak, counts["answers_long.csv"]


def test_csv_export_memory_is_flat_in_the_number_of_patients(tmp_path):
    small_peak, small_rows = _peak(tmp_path, 50)
    big_peak, big_rows = _peak(tmp_path, 300)
    assert big_rows == 6 * small_rows
    # six times the data, essentially the same peak (one batch of 25 patients in memory)
    print(f"tracemalloc peak: 50 patients {small_peak} B, 300 patients {big_peak} B")
    assert big_peak < 1.5 * small_peak, (small_peak, big_peak)
