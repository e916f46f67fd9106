"""Trend charts (reportlab.graphics) with fixed axes, so pages of different visits compare.

x axis: the study schedule's visits, equally spaced, always all of them, named by their short
labels in the document's language ("Baseline", "Week 12", "第12周"; slanted 45° so nine fit under a
chart a third of the page wide, each character in a font that has it); y axis: fixed range
per measure (PCS/MCS 0–80 with the population-mean line at 50, RSS 0–16, TSB 0–100, MELD 6–40,
Child-Pugh 5–15). Values outside the range are drawn at the edge with an open marker, never lost
silently (the tables above carry the exact values).
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab import rl_config
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import (Circle, Drawing, Group, Line, String, mmult, rotate,
                                       translate)
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from forms.registry import registry
from reports.fonts import FontSet
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


LABEL_SIZE = 5.5
SLANT = 0.7071          # sin 45° = cos 45°: the x-axis labels are slanted by 45°


def _text(fonts: FontSet, text: str, x: float, y: float, size: float = LABEL_SIZE,
          color: colors.Color = colors.black) -> tuple[Group, float]:
    """``text`` as Strings starting at (x, y), each run in the font that has its characters;
    mixed text the CJK face prints whole (第12周) is one String, so it is copied as one word;
    with the text's width."""
    runs, _missing = fonts.runs(text)
    if len(runs) > 1 and fonts.cjk is not None and all(ord(c) in fonts.cjk.cmap for c in text):
        runs = [(fonts.cjk, text)]
    g = Group()
    for font, chunk in runs:
        g.add(String(x, y, chunk, fontName=font.name, fontSize=size, fillColor=color))
        x += stringWidth(chunk, font.name, size)
    return g, sum(stringWidth(chunk, f.name, size) for f, chunk in runs)


def _slanted(fonts: FontSet, text: str, x: float, y: float) -> Group:
    """An x-axis label ending at (x, y) and running down to the left at 45°."""
    width = _text(fonts, text, 0, 0)[1]
    g, _w = _text(fonts, text, -width, -LABEL_SIZE * 0.35)
    g.transform = mmult(translate(x, y), rotate(45))
    return g


def axis_depth(fonts: FontSet, trends: Trends) -> float:
    """Room the slanted visit labels need below the x axis (the longest label's drop)."""
    longest = max((_text(fonts, trends.axis_label(i), 0, 0)[1]
                   for i in range(len(trends.visit_codes))), default=0.0)
    return 3.5 + (longest + LABEL_SIZE) * SLANT + 2


PLOT_H = 74             # the plot area's height: the same at every visit


def _chart(spec: ChartSpec, trends: Trends, fonts: FontSet, current: str, width: float,
           depth: float) -> Drawing:
    height = depth + PLOT_H + 10
    d = Drawing(width, height)
    d.initialFontName = fonts.latin.name
    font = fonts.latin.name
    lp = LinePlot()
    lp.x, lp.y = 24, depth
    lp.width, lp.height = width - 30, PLOT_H
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
    xa.visibleLabels = False            # drawn below, slanted, by _slanted
    xa.tickDown = 2                     # short ticks: the labels end just below them
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
    for i in range(len(codes)):         # the visits' names under the ticks
        d.add(_slanted(fonts, trends.axis_label(i), scale_x(i) + 1.5, lp.y - 3.5))
    for i, y, color in clipped:   # open marker at the edge for an off-scale value
        d.add(Circle(scale_x(i), scale_y(y), 3.2, fillColor=colors.white, strokeColor=color,
                     strokeWidth=0.8))
    lx = lp.x + lp.width
    for key, label, color in reversed(spec.series):   # legend, top right
        lx -= _text(fonts, label, 0, 0)[1] + 16
        d.add(Line(lx, height - 5, lx + 7, height - 5, strokeColor=color, strokeWidth=1.5))
        d.add(_text(fonts, label, lx + 9, height - 7)[0])
    return d


def trend_charts(ink: Ink, trends: Trends | None, current_visit: str, width: float) -> list[Flowable]:
    title = ink.p(ink.t("trends_title"), "h2", bold=True)
    if trends is None or not trends.visit_codes:
        return [title, ink.p(ink.t("no_trend"), "body")]
    cols = 3
    cw = width / cols
    depth = axis_depth(ink.fonts, trends)
    cells = []
    for spec in (*CHARTS, *registry_charts(trends, ink.lang)):
        cells.append([ink.p(spec.title or ink.t(spec.title_key), "small"),
                      _chart(spec, trends, ink.fonts, current_visit, cw - 6, depth)])
    rows = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    rows[-1] += [""] * (cols - len(rows[-1]))
    table = ink.table(rows, colWidths=[cw] * cols)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [title, table]
