"""The patient list view sizes its columns by the rows on screen and the widest rows of the whole
list (issue 16: Qt's ResizeToContents asked ~1000 rows x 8 roles after every reload and sort:
~250 ms at 10 000 patients, and missed a longer text further down)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from ui.nurse.patient_table import (COL, WIDEST, PatientFilterProxy, PatientListRow,
                                    PatientTableModel)
from ui.nurse.patient_view import PatientTableView

LONG = "High dose (1.0 x 10^6 cells per kg, twice)"


class CountingModel(PatientTableModel):
    calls = 0

    def data(self, index, role=0):  # noqa: ANN001, ANN201
        CountingModel.calls += 1
        return super().data(index, role)


def rows(n: int, long_at: int) -> list[PatientListRow]:
    return [PatientListRow(i, f"S-{i:05d}", "AB", LONG if i == long_at else "Low")
            for i in range(n)]


def view(qtbot, model):  # noqa: ANN001, ANN201
    proxy = PatientFilterProxy()
    proxy.setSourceModel(model)
    t = PatientTableView()
    qtbot.addWidget(t)
    t.setModel(proxy)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.resize(900, 400)
    t.show()
    qtbot.waitExposed(t)
    return proxy, t


def test_a_long_text_far_down_sizes_its_column(qtbot) -> None:  # noqa: ANN001
    model = CountingModel()
    proxy, t = view(qtbot, model)
    CountingModel.calls = 0
    model.set_rows(rows(3000, long_at=2500))        # beyond Qt's 1000 rows, not on screen
    long_cell = proxy.mapFromSource(model.index(2500, COL["arm"]))
    need = t.sizeHintForIndex(long_cell).width()
    qtbot.waitUntil(lambda: t.columnWidth(COL["arm"]) >= need)
    assert CountingModel.calls < 5000       # Qt's own sizing: ~1000 rows x 8 roles x 8 columns
    proxy.set_search("S-00001")               # the long row filtered out: the column narrows
    qtbot.waitUntil(lambda: t.columnWidth(COL["arm"]) < need)
    proxy.set_search("")                      # back: the long row counts again
    qtbot.waitUntil(lambda: t.columnWidth(COL["arm"]) >= need)


def test_widest_rows_follow_a_sort_and_a_reload(qapp) -> None:  # noqa: ANN001
    model = PatientTableModel(rows(50, long_at=7))
    assert model.widest_rows(COL["arm"])[0] == 7
    model.sort(COL["subject_id"], Qt.SortOrder.DescendingOrder)
    first = model.widest_rows(COL["arm"])[0]
    assert model.row_at(first).arm == LONG and first == 42
    model.set_rows(rows(50, long_at=20))
    first = model.widest_rows(COL["arm"])[0]
    assert model.row_at(first).arm == LONG and first == 29     # the sort stays
    assert len(model.widest_rows(COL["subject_id"])) == WIDEST
