"""Patient list model/proxy: qtmodeltester, sorting (None last), filters, literal search."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ui.nurse.patient_table import (COL, SORT_ROLE, PatientFilterProxy, PatientListRow,
                                    PatientTableModel)
from ui.nurse.sample_data import sample_patient_rows


def row(pid, sid, name=None, **kw):
    return PatientListRow(patient_id=pid, subject_id=sid, initials=kw.pop("initials", "XX"),
                          arm=kw.pop("arm", "UC-MSC"), full_name=name, **kw)


ROWS = [
    row(1, "SH01-001", "王伟", last_pcs=41.2, window_status="due", alert="red"),
    row(2, "SH01-002", "欧阳娜", last_pcs=None, window_status="overdue", arm="Control"),
    row(3, "SH01-003", "100% Smith", last_pcs=35.0, window_status="not_yet_due"),
    row(4, "SH01-004", "A_B O'Brien", last_pcs=55.5, window_status="out_of_window",
        alert="amber"),
    row(5, "SH01-005", "Lee.*(x)", last_pcs=None, arm="Control"),
    row(6, "SH01-006", "ＳＭＩＴＨ", last_pcs=20.0),
]


@pytest.fixture
def proxy(qapp):
    model = PatientTableModel(ROWS)
    p = PatientFilterProxy()
    p.setSourceModel(model)
    return p


def ids(p):
    return [p.index(r, 0).data() for r in range(p.rowCount())]


def test_qtmodeltester_source_and_proxy(qtmodeltester):
    model = PatientTableModel(sample_patient_rows(50))
    qtmodeltester.check(model, force_py=True)
    p = PatientFilterProxy()
    p.setSourceModel(model)
    p.set_search("SH01-0001")
    qtmodeltester.check(p, force_py=True)


def test_qtmodeltester_survives_sort_and_reset(qtmodeltester):
    model = PatientTableModel(sample_patient_rows(30))
    qtmodeltester.check(model, force_py=True)
    model.sort(COL["last_pcs"], Qt.SortOrder.DescendingOrder)
    model.set_rows(sample_patient_rows(10, seed=3))
    model.sort(COL["subject_id"])


def test_headers_and_display():
    m = PatientTableModel(ROWS)
    assert m.columnCount() == 9 and m.rowCount() == 6
    assert m.headerData(COL["last_pcs"], Qt.Orientation.Horizontal) == "PCS"
    assert m.index(0, COL["last_pcs"]).data() == "41.2"
    assert m.index(1, COL["last_pcs"]).data() == ""      # missing shown empty, not 0
    assert m.index(3, COL["window_status"]).data() == "out of window"
    assert m.index(0, COL["alert"]).data() == "RED"
    # the full name (PHI) is never a column
    assert all("王伟" != m.index(0, c).data() for c in range(m.columnCount()))


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_none_last_both_directions(proxy, order):
    proxy.sort(COL["last_pcs"], order)
    vals = [proxy.index(r, COL["last_pcs"]).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert vals[-2:] == [None, None]
    present = vals[:-2]
    assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder)


def test_sort_keeps_persistent_indexes(qapp):
    m = PatientTableModel(ROWS)
    pidx = QPersistentModelIndex(m.index(0, 0))          # SH01-001, PCS 41.2
    m.sort(COL["last_pcs"], Qt.SortOrder.AscendingOrder)
    assert pidx.data() == "SH01-001" and pidx.row() == 2  # 20.0, 35.0, 41.2, ...


def test_window_sort_is_by_urgency(proxy):
    proxy.sort(COL["window_status"])
    assert ids(proxy)[:4] == ["SH01-002", "SH01-004", "SH01-001", "SH01-003"]


@pytest.mark.parametrize("needle,expected", [
    ("%", ["SH01-003"]),                 # literal percent, not a wildcard
    ("_", ["SH01-004"]),                 # literal underscore
    ("'", ["SH01-004"]),                 # quote is harmless
    (".*", ["SH01-005"]),                # regex syntax is literal
    ("(x)", ["SH01-005"]),
    ("欧阳", ["SH01-002"]),              # compound Chinese surname
    ("王伟", ["SH01-001"]),
    ("smith", ["SH01-003", "SH01-006"]),  # case-insensitive, full-width folded
    ("sh01-005", ["SH01-005"]),          # by subject id
    ("  ", [r.subject_id for r in ROWS]),  # blank = everything
    ("' OR 1=1 --", []),
])
def test_search_is_literal(proxy, needle, expected):
    proxy.set_search(needle)
    assert ids(proxy) == expected


def test_filters_combine(proxy):
    proxy.set_arm("Control")
    assert ids(proxy) == ["SH01-002", "SH01-005"]
    proxy.set_overdue_only(True)
    assert ids(proxy) == ["SH01-002"]
    proxy.set_arm(None)
    assert ids(proxy) == ["SH01-002"]      # "out of window" (done late) is not overdue
    proxy.set_overdue_only(False)
    proxy.set_alerts_only(True)
    assert ids(proxy) == ["SH01-001", "SH01-004"]
    proxy.set_search("O'Brien")
    assert ids(proxy) == ["SH01-004"]


def test_filter_then_sort(proxy):
    proxy.set_arm("UC-MSC")
    proxy.sort(COL["last_pcs"], Qt.SortOrder.DescendingOrder)
    assert ids(proxy) == ["SH01-004", "SH01-001", "SH01-003", "SH01-006"]


def test_10k_rows_populate_and_sort_fast(qapp):
    rows = sample_patient_rows(10_000)
    t0 = time.perf_counter()
    m = PatientTableModel()
    p = PatientFilterProxy()
    p.setSourceModel(m)
    m.set_rows(rows)
    for col in range(m.columnCount()):
        p.sort(col, Qt.SortOrder.DescendingOrder)
    p.sort(COL["last_pcs"], Qt.SortOrder.DescendingOrder)
    elapsed = time.perf_counter() - t0
    assert p.rowCount() == 10_000
    pcs = [p.index(r, COL["last_pcs"]).data(SORT_ROLE) for r in range(10_000)]
    n_none = pcs.count(None)
    assert 0 < n_none < 10_000 and pcs[-n_none:] == [None] * n_none
    assert pcs[:-n_none] == sorted(pcs[:-n_none], reverse=True)
    assert elapsed < 2.0, f"10k populate + 9 sorts took {elapsed:.2f} s"


def test_unanswered_roles_and_indexes(qapp):
    """data() answers only display, tooltip, alignment, colour, sort and row roles (the others
    a view asks for every cell it sizes are None at once); index() is valid only inside."""
    m = PatientTableModel(ROWS)
    for col in range(m.columnCount()):
        i = m.index(0, col)
        assert i.isValid() and (i.row(), i.column()) == (0, col)
        for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole,
                     Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.SizeHintRole,
                     Qt.ItemDataRole.BackgroundRole):
            assert m.data(i, role) is None
    assert m.data(m.index(0, COL["last_pcs"]), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert m.data(m.index(0, COL["arm"]), Qt.ItemDataRole.TextAlignmentRole) is None
    assert m.data(m.index(0, COL["alert"]), Qt.ItemDataRole.ForegroundRole) is not None
    assert m.data(m.index(1, COL["window_status"]), Qt.ItemDataRole.ForegroundRole) is not None
    assert m.data(m.index(0, COL["window_status"]), Qt.ItemDataRole.ForegroundRole) is None
    for r, c in ((len(ROWS), 0), (-1, 0), (0, len(COL)), (0, -1)):
        assert not m.index(r, c).isValid()
    assert not m.index(0, 0, m.index(0, 0)).isValid()


def test_text_columns_sort_by_folded_text(qapp):
    """Subject, initials and arm sort by their NFKC case-folded text (full-width = half-width,
    case ignored), equal keys keeping their order, in both directions."""
    texts = ["b", "Ａ", "a", "C", "ｂ", "A"]
    m = PatientTableModel([row(i, f"S-{i}", initials=t, arm=t) for i, t in enumerate(texts)])
    for key in ("initials", "arm"):
        m.sort(COL[key])
        assert [getattr(r, key) for r in m.rows()] == ["Ａ", "a", "A", "b", "ｂ", "C"]
        m.sort(COL[key], Qt.SortOrder.DescendingOrder)
        assert [getattr(r, key) for r in m.rows()] == ["C", "b", "ｂ", "Ａ", "a", "A"]
        m.set_rows([row(i, f"S-{i}", initials=t, arm=t) for i, t in enumerate(texts)])


def test_position_of_follows_sort_and_reload(qapp):
    m = PatientTableModel(ROWS)
    assert m.position_of(4) == 3 and m.position_of(99) is None
    m.sort(COL["subject_id"], Qt.SortOrder.DescendingOrder)
    assert m.row_at(m.position_of(4)).patient_id == 4 and m.position_of(4) == 2
    m.set_rows(ROWS[:2])
    assert m.position_of(4) is None and m.row_at(m.position_of(1)).patient_id == 1
