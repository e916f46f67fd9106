"""Trend charts (reportlab.graphics) with fixed axes, so pages of different visits compare.

x axis: the study schedule's visit codes, equally spaced, always all of them; y axis: fixed range
per measure (PCS/MCS 0–80 with the population-mean line at 50, RSS 0–16, TSB 0–100, MELD 6–40,
Child-Pugh 5–15). Values outside the range are drawn at the edge with an open marker, never lost
silently (the tables above carry the exact values).
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab import rl_config
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from forms.registry import registry
from reports.pdf_kit import GREY, MCS_COLOR, PCS_COLOR, RULE, Ink
from reports.summary_model import Trends

# ReportLab type-checks every attribute set on a graphics shape unless shapeChecking is off
# (its documented production setting). The chart code here is fixed and tested; the checks
# were about 12 % of a summary build and change nothing in the output (byte-identical).
rl_config.shapeChecking = 0


@dataclass(frozen=True)
class ChartSpec:
    title_key: str
    series: tuple[tuple[str, str, colors.Color], ...]   # (series key, legend label, colour)
    y_min: float
    y_max: float
    y_ticks: tuple[float, ...]
    ref_lines: tuple[float, ...] = ()    # dashed reference lines (population mean, class limits)
    title: str | None = None             # a title as given (registry charts), else title_key


def registry_charts(trends: Trends, lang: str) -> list[ChartSpec]:
    """One chart per data-scored instrument (registry layout "scores") whose trend series have
    a value for this patient; fixed axes from the scores' registry ranges."""
    out = []
    for e in registry():
        if e.layout != "scores" or not e.trends:
            continue
        if not any(p.value is not None for t in e.trends if (s := trends.get(t.series))
                   for p in s.points):
            continue
        defs = {d.key: d for d in e.scores}
        shown = [defs[t.key] for t in e.trends]
        lo = min((d.minimum for d in shown if d.minimum is not None), default=0.0)
        hi = max((d.maximum for d in shown if d.maximum is not None), default=10.0)
        colours = (PCS_COLOR, MCS_COLOR, GREY)
        out.append(ChartSpec("", tuple((t.series, d.text(lang)[:24], colours[i % 3])
                                       for i, (t, d) in enumerate(zip(e.trends, shown))),
                             lo, hi, tuple(lo + (hi - lo) * k / 4 for k in range(5)),
                             title=e.name(lang)))
    return out


CHARTS = (
    ChartSpec("trend_pcs_mcs", (("pcs", "PCS", PCS_COLOR), ("mcs", "MCS", MCS_COLOR)),
              0, 80, (0, 20, 40, 50, 60, 80), ref_lines=(50,)),
    ChartSpec("trend_rss", (("rss", "RSS", PCS_COLOR),), 0, 16, (0, 4, 8, 12, 16)),
    ChartSpec("trend_tsb", (("tsb", "TSB", PCS_COLOR),), 0, 100, (0, 25, 50, 75, 100)),
    ChartSpec("trend_meld", (("meld", "MELD", PCS_COLOR),), 6, 40, (6, 10, 20, 30, 40)),
    # Child-Pugh class limits: A 5–6, B 7–9, C 10–15
    ChartSpec("trend_child_pugh", (("child_pugh", "Child-Pugh", PCS_COLOR),), 5, 15,
              (5, 7, 10, 15), ref_lines=(6.5, 9.5)),
)


def axis_label(code: str) -> str:
    """Short x-axis label: nine visits share ~160 pt, so 'baseline' prints as 'BL' and any
    other long code is cut to 4 characters (the tables above name the visit in full)."""
    if code.lower() == "baseline":
        return "BL"
    return code if len(code) <= 4 else code[:4]


def _chart(spec: ChartSpec, trends: Trends, font: str, current: str, width: float,
           height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = font
    lp = LinePlot()
    lp.x, lp.y = 24, 16
    lp.width, lp.height = width - 30, height - 26
    codes = trends.visit_codes
    n = max(len(codes), 2)
    data, styles, clipped = [], [], []
    for key, _label, color in spec.series:
        series = trends.get(key)
        pts = []
        if series is not None:
            for p in series.points:
                if p.value is None or p.visit_code not in codes:
                    continue
                y = min(max(p.value, spec.y_min), spec.y_max)
                if y != p.value:
                    clipped.append((codes.index(p.visit_code), y, color))
                pts.append((codes.index(p.visit_code), y))
        if pts:
            data.append(pts)
            styles.append(color)
    if not data:   # keep the axes (same frame at every visit) with an invisible point
        data, styles = [[(0, spec.y_min)]], [colors.white]
    lp.data = data
    for i, color in enumerate(styles):
        lp.lines[i].strokeColor = color
        lp.lines[i].strokeWidth = 1.2
        lp.lines[i].symbol = makeMarker("FilledCircle", size=3.2, fillColor=color,
                                        strokeColor=color)
    xa, ya = lp.xValueAxis, lp.yValueAxis
    xa.valueMin, xa.valueMax, xa.valueSteps = -0.4, n - 1 + 0.4, list(range(len(codes)))
    xa.labelTextFormat = lambda v: axis_label(codes[int(round(v))]) \
        if 0 <= round(v) < len(codes) else ""
    ya.valueMin, ya.valueMax, ya.valueSteps = spec.y_min, spec.y_max, list(spec.y_ticks)
    ya.labelTextFormat = "%g"
    for axis in (xa, ya):
        axis.labels.fontName = font
        axis.labels.fontSize = 5.5
        axis.strokeColor = GREY
        axis.strokeWidth = 0.5
    xa.labels.angle = 0
    ya.visibleGrid = True
    ya.gridStrokeColor = colors.HexColor("#e3e6ea")
    ya.gridStrokeWidth = 0.3
    d.add(lp)
    scale_y = lambda v: lp.y + (v - spec.y_min) / (spec.y_max - spec.y_min) * lp.height  # noqa: E731
    scale_x = lambda i: lp.x + (i - xa.valueMin) / (xa.valueMax - xa.valueMin) * lp.width  # noqa: E731
    for ref in spec.ref_lines:
        yy = scale_y(ref)
        d.add(Line(lp.x, yy, lp.x + lp.width, yy, strokeColor=colors.HexColor("#7a7f85"),
                   strokeWidth=0.6, strokeDashArray=[2, 2]))
    if current in codes:   # mark this visit
        xx = scale_x(codes.index(current))
        d.add(Line(xx, lp.y, xx, lp.y + lp.height, strokeColor=RULE, strokeWidth=0.5,
                   strokeDashArray=[1, 2]))
    for i, y, color in clipped:   # open marker at the edge for an off-scale value
        from reportlab.graphics.shapes import Circle
        d.add(Circle(scale_x(i), scale_y(y), 3.2, fillColor=colors.white, strokeColor=color,
                     strokeWidth=0.8))
    lx = lp.x + lp.width
    for key, label, color in reversed(spec.series):   # legend, top right
        w = stringWidth(label, font, 5.5) + 16
        lx -= w
        d.add(Line(lx, height - 5, lx + 7, height - 5, strokeColor=color, strokeWidth=1.5))
        d.add(String(lx + 9, height - 7, label, fontName=font, fontSize=5.5, fillColor=colors.black))
    return d


def trend_charts(ink: Ink, trends: Trends | None, current_visit: str, width: float) -> list[Flowable]:
    title = ink.p(ink.t("trends_title"), "h2", bold=True)
    if trends is None or not trends.visit_codes:
        return [title, ink.p(ink.t("no_trend"), "body")]
    cols = 3
    cw = width / cols
    ch = 100
    cells = []
    for spec in (*CHARTS, *registry_charts(trends, ink.lang)):
        cells.append([ink.p(spec.title or ink.t(spec.title_key), "small"),
                      _chart(spec, trends, ink.fonts.latin.name, current_visit, cw - 6, ch)])
    rows = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    rows[-1] += [""] * (cols - len(rows[-1]))
    table = ink.table(rows, colWidths=[cw] * cols)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [title, table]
