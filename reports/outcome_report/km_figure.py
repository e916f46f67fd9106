"""The Kaplan–Meier figure of the outcome report (ReportLab graphics, no plotting library).

Drawn from the report's own tables, so the figure and ``report_km_steps.csv`` /
``report_survival.csv`` carry the same numbers: one step function per arm and one for all
patients (black, dashed) from day 0 to the group's last follow-up, a short vertical tick where
patients were censored, the y axis 0–1 (survival probability), the x axis 0–365 days since day 1
with ticks at the survival table's days, and the numbers at risk at those days under the axis,
one row per group, as journals print them. Text in the report's language (labels), the CJK font
only where a label needs it.
"""
from __future__ import annotations

from typing import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import FontSet
from reports.outcome_report.labels import t
from reports.outcome_report.tables import OVERALL, Table

#: arm colours (colour-blind safe, print well in grey); all patients: black, dashed
ARM_COLORS = (colors.HexColor("#0072b2"), colors.HexColor("#d55e00"),
              colors.HexColor("#009e73"), colors.HexColor("#cc79a7"),
              colors.HexColor("#e69f00"), colors.HexColor("#56b4e9"))
OVERALL_COLOR = colors.black
AXIS = colors.HexColor("#333333")
GRID = colors.HexColor("#e3e6ea")
Y_TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
TICK_HALF = 2.2              # censor tick: half its height, points


def step_vertices(steps: Sequence[tuple[float, int, int, float]]) -> list[tuple[float, float]]:
    """(day, survival) corners of the step function of one group's KM steps
    ``(day, events, censored, survival)`` in time order: from (0, 1) level until each event time,
    down to the new estimate there, and level to the last time (the last follow-up)."""
    pts = [(0.0, 1.0)]
    s = 1.0
    for day, events, _censored, surv in steps:
        if day > pts[-1][0]:
            pts.append((float(day), s))
        if events and surv != s:
            s = surv
            pts.append((float(day), s))
    return pts


def censor_marks(steps: Sequence[tuple[float, int, int, float]]) -> list[tuple[float, float]]:
    """(day, survival) where patients were censored."""
    return [(float(day), surv) for day, _e, censored, surv in steps if censored]


class KmFigure:
    """The figure of the ``km_steps`` and ``survival`` tables; ``curves`` / ``ticks`` keep the
    drawn shapes by group (tests read their coordinates back with :meth:`x` / :meth:`y`)."""

    def __init__(self, steps: Table, risk: Table, groups: Sequence[str], names: dict[str, str],
                 lang: str, fonts: FontSet, width: float = 180 * mm,
                 max_day: float = 365) -> None:
        self.lang, self.fonts, self.max_day = lang, fonts, max_day
        self.groups, self.names = list(groups), names
        col = {c: i for i, c in enumerate(steps.header)}
        self.steps: dict[str, list[tuple[float, int, int, float]]] = {g: [] for g in groups}
        for r in steps.rows:
            if r[col["group"]] in self.steps:
                self.steps[r[col["group"]]].append(
                    (float(r[col["day"]]), int(r[col["events"]]), int(r[col["censored"]]),
                     float(r[col["survival"]])))
        rc = {c: i for i, c in enumerate(risk.header)}
        self.risk_days = sorted({float(r[rc["day"]]) for r in risk.rows})
        self.at_risk = {(r[rc["group"]], float(r[rc["day"]])): r[rc["at_risk"]]
                        for r in risk.rows}
        self.width = width
        self.label_w = 30 * mm                       # group names left of the risk table
        self.x0, self.x1 = self.label_w + 4 * mm, width - 6 * mm
        self.row_h = 9.5
        self.risk_h = 14 + self.row_h * len(self.groups)   # title + one row per group
        self.y0 = self.risk_h + 26                   # axis, tick labels, axis title
        self.y1 = self.y0 + 62 * mm
        self.height = self.y1 + 18                   # legend above the plot
        self.curves: dict[str, PolyLine] = {}
        self.ticks: dict[str, list[Line]] = {}

    # -- coordinates ---------------------------------------------------------------------
    def x(self, day: float) -> float:
        return self.x0 + (self.x1 - self.x0) * min(day, self.max_day) / self.max_day

    def y(self, surv: float) -> float:
        return self.y0 + (self.y1 - self.y0) * surv

    def color(self, group: str) -> colors.Color:
        if group == OVERALL:
            return OVERALL_COLOR
        arms = [g for g in self.groups if g != OVERALL]
        return ARM_COLORS[arms.index(group) % len(ARM_COLORS)]

    # -- text ----------------------------------------------------------------------------
    def _runs(self, text: str) -> list[tuple[str, str]]:
        """(font name, text) runs: each character in the first font that prints it."""
        out: list[tuple[str, str]] = []
        for ch in text:
            f = self.fonts.font_for(ch)
            name = f.name if f is not None else self.fonts.latin.name
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def text_width(self, text: str, size: float) -> float:
        return sum(stringWidth(s, f, size) for f, s in self._runs(text))

    def text(self, x: float, y: float, text: str, size: float = 7, anchor: str = "start",
             color: colors.Color = AXIS) -> Group:
        w = self.text_width(text, size)
        x -= {"start": 0, "middle": w / 2, "end": w}[anchor]
        g = Group()
        for font, part in self._runs(text):
            g.add(String(x, y, part, fontName=font, fontSize=size, fillColor=color))
            x += stringWidth(part, font, size)
        return g

    # -- drawing -------------------------------------------------------------------------
    def drawing(self) -> Drawing:
        d = Drawing(self.width, self.height)
        self._axes(d)
        for g in self.groups:                           # overall last: drawn on top
            self._curve(d, g)
        self._legend(d)
        self._risk_table(d)
        return d

    def _axes(self, d: Drawing) -> None:
        for s in Y_TICKS:
            yy = self.y(s)
            if 0 < s < 1:
                d.add(Line(self.x0, yy, self.x1, yy, strokeColor=GRID, strokeWidth=0.4))
            d.add(Line(self.x0 - 2.5, yy, self.x0, yy, strokeColor=AXIS, strokeWidth=0.6))
            d.add(self.text(self.x0 - 4, yy - 2.3, f"{s:.1f}", 6.5, "end"))
        d.add(Line(self.x0, self.y0, self.x0, self.y1, strokeColor=AXIS, strokeWidth=0.7))
        d.add(Line(self.x0, self.y0, self.x1, self.y0, strokeColor=AXIS, strokeWidth=0.7))
        for day in self.risk_days:
            xx = self.x(day)
            d.add(Line(xx, self.y0, xx, self.y0 - 2.5, strokeColor=AXIS, strokeWidth=0.6))
            d.add(self.text(xx, self.y0 - 10, f"{day:g}", 6.5, "middle"))
        d.add(self.text((self.x0 + self.x1) / 2, self.y0 - 20, t("km_x_axis", self.lang), 7,
                        "middle"))
        title = self.text(0, 0, t("km_y_axis", self.lang), 7, "middle")
        title.transform = (0, 1, -1, 0, self.x0 - 20, (self.y0 + self.y1) / 2)
        d.add(title)

    def _curve(self, d: Drawing, group: str) -> None:
        steps = self.steps.get(group, [])
        color = self.color(group)
        dash = [3, 2] if group == OVERALL else None
        pts = [c for day, s in step_vertices(steps) for c in (self.x(day), self.y(s))]
        line = PolyLine(pts, strokeColor=color, strokeWidth=1.1 if group == OVERALL else 1.0,
                        strokeDashArray=dash, strokeLineJoin=0, strokeLineCap=0)
        d.add(line)
        self.curves[group] = line
        self.ticks[group] = []
        for day, s in censor_marks(steps):
            tick = Line(self.x(day), self.y(s) - TICK_HALF, self.x(day), self.y(s) + TICK_HALF,
                        strokeColor=color, strokeWidth=0.7)
            d.add(tick)
            self.ticks[group].append(tick)

    def _sample(self, d: Drawing, x: float, y: float, group: str) -> None:
        d.add(Line(x, y, x + 12, y, strokeColor=self.color(group),
                   strokeWidth=1.1 if group == OVERALL else 1.0,
                   strokeDashArray=[3, 2] if group == OVERALL else None))

    def _legend(self, d: Drawing) -> None:
        x, y = self.x0, self.y1 + 9
        for g in self.groups:
            self._sample(d, x, y + 2.3, g)
            d.add(self.text(x + 15, y, self.names[g], 7))
            x += 15 + self.text_width(self.names[g], 7) + 12
        d.add(self.text(self.x1, y, t("km_censored", self.lang), 6.5, "end"))
        w = self.text_width(t("km_censored", self.lang), 6.5)
        d.add(Line(self.x1 - w - 5, y - 0.5, self.x1 - w - 5, y + 4.5, strokeColor=AXIS,
                   strokeWidth=0.7))

    def _risk_table(self, d: Drawing) -> None:
        top = self.risk_h - 9
        d.add(self.text(0, top, t("km_at_risk", self.lang), 7))
        for i, g in enumerate(self.groups):
            yy = top - self.row_h * (i + 1)
            self._sample(d, 0, yy + 2.3, g)
            d.add(self.text(15, yy, self.names[g], 6.5))
            for day in self.risk_days:
                n = self.at_risk.get((g, day))
                d.add(self.text(self.x(day), yy, "" if n is None else str(n), 6.5, "middle"))

