"""The outcome report PDF (A4): every table of ``tables`` with words from ``labels``; the
"data as of" stamp and the protocol id + version on every page."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle

from forms.outcome_defs import FORMS, choice_label
from forms.schedule import visit_label
from reports.alert_text import alert_level, alert_reason
from reports.fonts import FontSet, load_fonts
from reports.outcome_report.dataset import Dataset
from reports.outcome_report.km_figure import KmFigure
from reports.outcome_report.labels import t
from reports.outcome_report.tables import OVERALL, Table
from reports.pdf_kit import Ink
from reports.timefmt import local_time_text

DASH = "\u2013"
_AE_FIELDS = {f.key: f for f in FORMS["adverse_event"].fields}
_WIDTH = 180 * mm
#: text columns and their widths; the numeric columns share the rest (at most 24 mm each)
_WIDE = {"group": 26 * mm, "arm": 24 * mm, "measure": 40 * mm, "timepoint": 20 * mm,
         "statistic": 16 * mm, "by": 20 * mm, "category": 28 * mm, "event": 38 * mm,
         "outcome": 30 * mm, "relatedness": 22 * mm, "subject_id": 22 * mm, "date": 20 * mm}


def _num(v: Any) -> str:
    if v is None or v == "":
        return DASH
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


class _Pdf:
    def __init__(self, ds: Dataset, lang: str, fonts: FontSet) -> None:
        self.ds, self.lang = ds, lang
        self.ink = Ink(fonts, lang)
        self.arms = dict(ds.arms)

    def group(self, g: str) -> str:
        return t("overall", self.lang) if g == OVERALL else \
            self.arms.get(g, {}).get(self.lang) or self.arms.get(g, {}).get("en", g)

    def visit(self, code: str) -> str:
        return visit_label(self.ds.protocol, code, self.lang, short=True)

    def word(self, col: str, v: Any) -> str:
        if col in ("group", "arm"):
            return self.group(str(v))
        if col == "visit":                       # a visit as people name it, not its code
            return self.visit(str(v))
        if col in ("measure", "statistic", "timepoint"):
            return t(str(v), self.lang)
        if col == "category" and v in ("yes", "no"):
            return t(v, self.lang)
        if col == "category" and v in _AE_FIELDS["relatedness"].choices:
            return choice_label(_AE_FIELDS["relatedness"], v, self.lang)
        if col == "outcome" and v in _AE_FIELDS["outcome"].choices:
            return choice_label(_AE_FIELDS["outcome"], v, self.lang)
        if col == "relatedness" and v in _AE_FIELDS["relatedness"].choices:
            return choice_label(_AE_FIELDS["relatedness"], v, self.lang)
        if col == "by":
            return t(str(v), self.lang)
        if col == "event" and v == "death":
            return t("death", self.lang)
        return _num(v)

    def table(self, tb: Table, cols: tuple[str, ...] | None = None) -> list:
        cols = cols or tb.header
        idx = [tb.header.index(c) for c in cols]
        if not tb.rows:
            return [self.ink.p(t("none", self.lang))]
        wide = [c in _WIDE for c in cols]
        rest = (_WIDTH - sum(_WIDE.get(c, 0) for c in cols)) / max(1, wide.count(False))
        widths = [_WIDE[c] if w else min(rest, 24 * mm) for c, w in zip(cols, wide)]
        head = [self.ink.p(t(c, self.lang), "head") for c in cols]
        body = [[self.ink.cell(self.word(c, r[i]), w - 4, "cell") for c, i, w in
                 zip(cols, idx, widths)] for r in tb.rows]
        tab = self.ink.table([head] + body, colWidths=widths, repeatRows=1, hAlign="LEFT")
        tab.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return [tab]

    def km_figure(self, tables: dict[str, Table]) -> KmFigure:
        groups = [a for a, _ in self.ds.arms] + [OVERALL]
        return KmFigure(tables["km_steps"], tables["survival"], groups,
                        {g: self.group(g) for g in groups}, self.lang, self.ink.fonts)

    def story(self, tables: dict[str, Table]) -> list:
        ink, lang = self.ink, self.lang
        out: list = [ink.p(t("title", lang), "h1", bold=True), Spacer(1, 3 * mm)]

        def section(key: str, *flow: Any) -> None:
            out.append(ink.p(t(key, lang), "h2", bold=True))
            for f in flow:
                out.extend(f if isinstance(f, list) else [f])

        section("s_consort", self.table(tables["consort"]))
        section("s_survival", self.km_figure(tables).drawing(), Spacer(1, 2 * mm),
                self.table(tables["survival"]), ink.p(t("km_note", lang), "small"))
        section("s_hcc", self.table(tables["hcc"]))
        section("s_imaging", self.table(tables["imaging"]))
        section("s_symptoms", self.table(tables["symptoms"]), ink.p(t("sym_note", lang), "small"))
        section("s_ae", self.table(tables["adverse_events"]))
        section("s_serious", self.table(tables["serious_events"]))
        section("s_alerts", self._alerts(self.ds.alerts))
        section("s_change", self.table(tables["change_from_baseline"]))
        return out

    def _alerts(self, alerts: list) -> list:
        if not alerts:
            return [self.ink.p(t("none", self.lang))]
        return [self.ink.p(t("alert_line", self.lang, subject=a.subject_id,
                             visit=self.visit(a.visit_code) if a.visit_code else "",
                             reason=alert_reason(a.reason, a.item_id, a.params, self.lang),
                             level=alert_level(a.severity, self.lang)))
                for a in self.ds.alerts]


def build_outcome_pdf(ds: Dataset, tables: list[Table], out: Path | str, *, lang: str = "en",
                      fonts: FontSet | None = None) -> list[str]:
    """Write the PDF; returns font warnings (code points no font prints)."""
    fonts = fonts or load_fonts(require_cjk=lang == "zh_CN")
    pdf = _Pdf(ds, lang, fonts)
    stamp = t("as_of", lang, when=local_time_text(ds.data_as_of, seconds=False)) + "    " + \
        t("protocol", lang, pid=ds.protocol_id, version=ds.protocol_version)

    def on_page(canvas: Any, doc: Any) -> None:
        foot = pdf.ink.p(stamp + "    " + t("page", lang, n=doc.page), "footer")
        w, h = foot.wrap(A4[0] - 30 * mm, 20 * mm)
        foot.drawOn(canvas, 15 * mm, 8 * mm)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=18 * mm, invariant=1,
                            title=t("title", lang), author="ePRO Desk", creator="ePRO Desk",
                            lang="zh-CN" if lang == "zh_CN" else "en")
    doc.build(pdf.story({tb.name: tb for tb in tables}), onFirstPage=on_page,
              onLaterPages=on_page)
    Path(out).write_bytes(buf.getvalue())
    return list(dict.fromkeys(fonts.notes + pdf.ink.warnings))
