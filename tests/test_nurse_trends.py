"""Trend charts: visit labels, gaps for missing values, the 50 line, redraw."""
from __future__ import annotations

import math

import pyqtgraph as pg

from forms.registry import item_label

from ui.nurse.sample_data import sample_trend_points
from ui.nurse.trends import NORM_MEAN, TrendPoint, TrendsWidget


def _curves(plot):
    return {c.name(): c for c in plot.listDataItems()}


def test_plots_have_visit_labels_and_series(qtbot):
    w = TrendsWidget()
    qtbot.addWidget(w)
    pts = sample_trend_points(9)
    w.set_points(pts)
    assert set(w.plots) == {"sf36_scales", "sf36_summary", "csc_rss", "csc_tsb", "liver"}
    for key in w.plots:
        assert w.axis_labels(key) == [p.visit for p in pts]
    assert len(_curves(w.plots["sf36_scales"])) == 8
    pcs = _curves(w.plots["sf36_summary"])["PCS"]
    xs, ys = pcs.getData()
    assert list(xs) == list(range(9))
    assert math.isnan(ys[3])                                # missing visit is a gap, not 0
    assert ys[0] == pts[0].values["sf36_pcs"]
    meld = _curves(w.plots["liver"])["MELD"].getData()[1]
    assert list(meld) == [p.values["meld"] for p in pts]


def test_norm_line_at_50_on_sf36_plots_only(qtbot):
    w = TrendsWidget()
    qtbot.addWidget(w)
    w.set_points(sample_trend_points(4))

    def lines(key):
        return [i for i in w.plots[key].items if isinstance(i, pg.InfiniteLine)]
    assert [l.value() for l in lines("sf36_summary")] == [NORM_MEAN]
    assert [l.value() for l in lines("sf36_scales")] == [NORM_MEAN]
    assert lines("liver") == [] and lines("csc_tsb") == []


def test_redraw_replaces_and_handles_empty(qtbot):
    w = TrendsWidget()
    qtbot.addWidget(w)
    w.set_points(sample_trend_points(9))
    w.set_points([TrendPoint("baseline", {"meld": 12.0})])
    assert w.axis_labels("liver") == ["baseline"]
    assert list(_curves(w.plots["liver"])) == ["MELD"]     # no empty Child-Pugh series
    w.set_points([])
    assert w.axis_labels("liver") == []
    w.resize(1000, 700)
    assert not w.grab().isNull()


def test_core_symptom_series_named_by_the_instruments_short_labels(qtbot):
    """The legend names C1-C4 with the CSC data's own staff labels (one home for the words)."""
    w = TrendsWidget()
    qtbot.addWidget(w)
    w.set_points(sample_trend_points(4))
    names = set(_curves(w.plots["csc_rss"]))
    assert {item_label(k, "en") for k in ("C1", "C2", "C3", "C4")} <= names
    assert "Loss of appetite" in names and "appetite" not in names


def test_axis_reads_the_visit_label_not_its_code(qtbot):
    w = TrendsWidget()
    qtbot.addWidget(w)
    w.set_points([TrendPoint("BL", {"meld": 12.0}, "Baseline"),
                  TrendPoint("W12", {"meld": 11.0}, "第12周"),
                  TrendPoint("XYZ", {"meld": 10.0})])          # no label: the code stays
    assert w.axis_labels("liver") == ["Baseline", "第12周", "XYZ"]
