"""Trend charts for one patient (pyqtgraph): SF-36 T-scores, PCS/MCS, CSC, Child-Pugh and MELD.

Data come as plain ``TrendPoint`` rows (one per visit, in visit order), prepared off the GUI
thread by the caller; drawing happens here. Missing values are gaps (never plotted as 0).
"""
from __future__ import annotations

import math
from typing import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from forms.registry import item_label, registry
from forms.sf36 import SCALES
from ui.i18n import current_language
from ui.nurse.view_data import TrendPoint

CTX = "Trends"
NORM_MEAN = 50.0   # T-score / PCS / MCS population mean

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _series(points: Sequence[TrendPoint], key: str) -> list[float]:
    return [math.nan if p.values.get(key) is None else float(p.values[key]) for p in points]


class TrendsWidget(QWidget):
    """Five plots in one ``GraphicsLayoutWidget`` sharing the visit axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trends")
        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("trends_canvas")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)
        self.plots: dict[str, pg.PlotItem] = {}
        self.points: list[TrendPoint] = []

    def _plot(self, key: str, title: str, row: int, col: int, y_range: tuple[float, float],
              left: str) -> pg.PlotItem:
        p = self.canvas.addPlot(row=row, col=col, title=title)
        p.setLabel("left", left)
        p.showGrid(x=False, y=True, alpha=0.2)
        p.setYRange(*y_range, padding=0.05)
        p.setMouseEnabled(x=False, y=False)
        p.hideButtons()
        legend = p.addLegend(offset=(5, 5), labelTextSize="8pt", colCount=2)
        legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        self.plots[key] = p
        return p

    def _line(self, p: pg.PlotItem, ys: list[float], name: str, color: str,
              dashed: bool = False) -> None:
        if all(math.isnan(y) for y in ys):
            return  # nothing to draw (an all-gap series would only confuse the legend)
        xs = list(range(len(ys)))
        pen = pg.mkPen(color, width=2,
                       style=pg.QtCore.Qt.PenStyle.DashLine if dashed else pg.QtCore.Qt.PenStyle.SolidLine)
        p.plot(xs, ys, pen=pen, symbol="o", symbolSize=6, symbolBrush=color, symbolPen=color,
               name=name, connect="finite")

    def _norm_line(self, p: pg.PlotItem) -> None:
        p.addItem(pg.InfiniteLine(pos=NORM_MEAN, angle=0, movable=False,
                                  pen=pg.mkPen("#888", width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                                  label=_t("population mean 50"),
                                  labelOpts={"position": 0.98, "color": "#666",
                                             "anchors": [(1, 1), (1, 1)]}))

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        self.points = list(points)
        self.canvas.clear()
        self.plots.clear()
        pts = self.points
        # two lines per visit ('Week' / '12'): nine visit names side by side would overlap
        ticks = [[(i, p.axis_text.replace(' ', '\n', 1)) for i, p in enumerate(pts)]]

        sf = self._plot("sf36_scales", _t("SF-36 scales (T-score)"), 0, 0, (10, 75), "T")
        for i, s in enumerate(SCALES):
            self._line(sf, _series(pts, f"sf36_{s}_t"), s.upper(), PALETTE[i])
        self._norm_line(sf)

        summ = self._plot("sf36_summary", _t("SF-36 PCS and MCS"), 0, 1, (10, 75), "T")
        self._line(summ, _series(pts, "sf36_pcs"), "PCS", PALETTE[0])
        self._line(summ, _series(pts, "sf36_mcs"), "MCS", PALETTE[1])
        self._norm_line(summ)

        csc = self._plot("csc_rss", _t("CSC: RSS and core symptoms"), 1, 0, (0, 16), _t("points"))
        self._line(csc, _series(pts, "rss"), _t("RSS (0–16)"), "#000000")
        lang = current_language()
        for i, k in enumerate(("C1", "C2", "C3", "C4")):     # the core symptoms, named by the
            self._line(csc, _series(pts, k), item_label(k, lang),   # instrument's own labels
                       PALETTE[i + 2], dashed=True)

        tsb = self._plot("csc_tsb", _t("CSC: total symptom burden"), 1, 1, (0, 100), "TSB")
        self._line(tsb, _series(pts, "tsb"), _t("TSB (0–100)"), PALETTE[4])

        liver = self._plot("liver", _t("Child-Pugh and MELD"), 2, 0, (0, 40), _t("points"))
        self._line(liver, _series(pts, "child_pugh"), "Child-Pugh", PALETTE[5])
        self._line(liver, _series(pts, "meld"), "MELD", PALETTE[6])
        self._registry_plots(pts)
        self.canvas.ci.layout.setRowStretchFactor(0, 1)

        for p in self.plots.values():
            axis = p.getAxis("bottom")
            axis.setTicks(ticks)
            axis.setStyle(hideOverlappingLabels=False)   # keep "baseline" at the left edge
            axis.setHeight(44)                            # room for the two lines
            p.setXRange(-0.5, max(len(pts) - 1, 1) + 0.5, padding=0)

    def _registry_plots(self, pts: list[TrendPoint]) -> None:
        """One plot per instrument laid out as a plain score table that names trend series."""
        lang = current_language()
        slots = iter([(2, 1)] + [(r, c) for r in range(3, 20) for c in (0, 1)])
        for e in registry():
            if e.layout != "scores" or not e.trends:
                continue
            defs = {d.key: d for d in e.scores}
            shown = [defs[t.key] for t in e.trends]
            lo = min((d.minimum for d in shown if d.minimum is not None), default=0.0)
            hi = max((d.maximum for d in shown if d.maximum is not None), default=10.0)
            row, col = next(slots)
            p = self._plot(f"{e.id}_trend", e.name(lang), row, col, (lo, hi), shown[0].unit or "")
            for i, (t, d) in enumerate(zip(e.trends, shown)):
                self._line(p, _series(pts, t.series), d.text(lang), PALETTE[i % len(PALETTE)])

    def axis_labels(self, key: str) -> list[str]:
        """The visit labels on a plot's x axis (for tests)."""
        ticks = self.plots[key].getAxis("bottom")._tickLevels
        return [label.replace('\n', ' ') for _, label in ticks[0]] if ticks else []
