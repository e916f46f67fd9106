"""Shared pieces for PDF building: number/time formatting, styles and a paragraph factory.

Every piece of text goes through ``Ink.p`` (a wrapping Paragraph, never ``drawString`` for user
text), which picks the font per character run and records a warning for characters no embedded
font can print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from reports.fonts import PLACEHOLDER, FontSet
from reports.i18n import tr
from reports.timefmt import local_time_text

DASH = "\u2013"
GREY = colors.HexColor("#5f6368")
LIGHT = colors.HexColor("#eef1f4")
RULE = colors.HexColor("#b0b7bf")
RED = colors.HexColor("#b3261e")
AMBER = colors.HexColor("#b26a00")
RED_BG = colors.HexColor("#fdecea")
AMBER_BG = colors.HexColor("#fff4e0")
PCS_COLOR = colors.HexColor("#1f5fa8")
MCS_COLOR = colors.HexColor("#c0392b")


def fmt1(value: float | None) -> str:
    """One decimal for paper (sf36.md §0.3); None prints as a dash. No "-0.0"."""
    if value is None:
        return DASH
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fmt_delta(value: float | None) -> str:
    if value is None:
        return DASH
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def fmt_int(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}"


def fmt_date(value: date | None) -> str:
    return DASH if value is None else value.isoformat()


def resolve_tz(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name)
    except Exception:   # unknown zone or no tz database (Windows without tzdata): local zone
        return None


def fmt_local(value: datetime, tz: tzinfo | None) -> str:
    """Local time with UTC offset, e.g. ``2025-03-01 09:30 (UTC+08:00)`` (reliability.md §4.3)."""
    return local_time_text(value, tz, seconds=False)


# Decimals printed per lab and unit (labs are not scores: print clinically meaningful precision).
LAB_DECIMALS = {("bilirubin", "mg/dL"): 1, ("bilirubin", "umol/L"): 0, ("bilirubin", "µmol/L"): 0,
                ("albumin", "g/dL"): 1, ("albumin", "g/L"): 0, ("inr", ""): 2,
                ("creatinine", "mg/dL"): 2, ("creatinine", "umol/L"): 0,
                ("creatinine", "µmol/L"): 0, ("sodium", "mmol/L"): 0}
LAB_DECIMALS_ANY_UNIT = {"inr": 2, "sodium": 0, "platelets": 0, "alt": 0, "ast": 0}


def fmt_lab(analyte: str, value: float, unit: str) -> str:
    decimals = LAB_DECIMALS.get((analyte, unit), LAB_DECIMALS_ANY_UNIT.get(analyte, 1))
    return f"{value:.{decimals}f}"


@dataclass
class Ink:
    """Paragraph factory bound to one document: fonts, language, styles, collected warnings."""
    fonts: FontSet
    lang: str
    warnings: list[str] = field(default_factory=list)
    base_size: float = 8.5

    def __post_init__(self) -> None:
        f = self.fonts.latin.name
        s = self.base_size
        cjk = None   # CJK line breaking is switched on per paragraph when the text has CJK
        self.styles = {
            "body": ParagraphStyle("body", fontName=f, fontSize=s, leading=s * 1.25,
                                   wordWrap=cjk),
            "small": ParagraphStyle("small", fontName=f, fontSize=s - 1.5, leading=(s - 1.5) * 1.25,
                                    textColor=GREY, wordWrap=cjk),
            "cell": ParagraphStyle("cell", fontName=f, fontSize=s - 0.5, leading=(s - 0.5) * 1.2,
                                   wordWrap=cjk),
            "tiny": ParagraphStyle("tiny", fontName=f, fontSize=s - 1.7, leading=(s - 1.7) * 1.18,
                                   wordWrap=cjk),
            "num": ParagraphStyle("num", fontName=f, fontSize=s - 0.5, leading=(s - 0.5) * 1.2,
                                  alignment=TA_RIGHT),
            "numc": ParagraphStyle("numc", fontName=f, fontSize=s - 0.5, leading=(s - 0.5) * 1.2,
                                   alignment=TA_CENTER),
            "head": ParagraphStyle("head", fontName=f, fontSize=s - 0.5, leading=(s - 0.5) * 1.2,
                                   textColor=GREY, wordWrap=cjk),
            "headr": ParagraphStyle("headr", fontName=f, fontSize=s - 0.5, leading=(s - 0.5) * 1.2,
                                    textColor=GREY, alignment=TA_RIGHT, wordWrap=cjk),
            "h1": ParagraphStyle("h1", fontName=f, fontSize=s + 5, leading=(s + 5) * 1.2,
                                 wordWrap=cjk),
            "h2": ParagraphStyle("h2", fontName=f, fontSize=s + 2.5, leading=(s + 2.5) * 1.25,
                                 spaceBefore=7, spaceAfter=3, wordWrap=cjk, keepWithNext=1),
            "h3s": ParagraphStyle("h3s", fontName=f, fontSize=s + 0.5, leading=(s + 0.5) * 1.25,
                                  spaceBefore=4, spaceAfter=2, wordWrap=cjk),
            "h3": ParagraphStyle("h3", fontName=f, fontSize=s + 0.5, leading=(s + 0.5) * 1.25,
                                 spaceBefore=4, spaceAfter=2, wordWrap=cjk, keepWithNext=1),
            "alert": ParagraphStyle("alert", fontName=f, fontSize=s + 0.5, leading=(s + 0.5) * 1.3,
                                    wordWrap=cjk),
            "footer": ParagraphStyle("footer", fontName=f, fontSize=s - 1.5,
                                     leading=(s - 1.5) * 1.2, textColor=GREY, wordWrap=cjk),
            "footer_r": ParagraphStyle("footer_r", fontName=f, fontSize=s - 1.5,
                                       leading=(s - 1.5) * 1.2, textColor=GREY, alignment=TA_RIGHT),
        }

    def markup(self, text: str, field_name: str | None = None, bold: bool = False) -> str:
        markup, missing = self.fonts.markup(text, bold)
        self._warn_missing(missing, field_name)
        return markup

    def _warn_missing(self, missing: list[str], field_name: str | None) -> None:
        if missing:
            cps = ", ".join(sorted({f"U+{ord(c):04X}" for c in missing}))
            where = field_name or "text"
            # code points only: never the surrounding (possibly identifying) text
            self.warnings.append(f"{where}: {len(missing)} character(s) not in the embedded fonts "
                                 f"({cps}); printed as {PLACEHOLDER}")

    def cell(self, text: str, max_width: float, style: str = "tiny", *,
             field_name: str | None = None) -> Flowable:
        """Fast path for table cells: one line drawn run by run when it fits ``max_width``
        (the width is measured first, so nothing can overflow); otherwise a wrapping Paragraph."""
        if "\n" not in text:
            runs, missing = self.fonts.runs(text)
            st = self.styles[style]
            width = sum(stringWidth(chunk, f.name, st.fontSize) for f, chunk in runs)
            if width <= max_width:
                self._warn_missing(missing, field_name)
                return OneLine(runs, width, st)
        return self.p(text, style, field_name=field_name)

    def p(self, text: str, style: str = "body", *, field_name: str | None = None,
          bold: bool = False, color: colors.Color | None = None) -> Paragraph:
        """A wrapping paragraph of plain (unescaped) text."""
        body = self.markup(text, field_name, bold)
        st = self.styles[style]
        if _has_cjk(text):
            st = self._cjk_style(st)
        if bold:
            body = f"<b>{body}</b>"
        if color is not None:
            body = f'<font color="#{color.hexval()[2:]}">{body}</font>'
        return Paragraph(body, st)

    def rich(self, parts: list[tuple], style: str = "body", *,
             field_name: str | None = None) -> Paragraph:
        """Paragraph from (text, bold[, color]) parts, e.g. a bold label followed by a value."""
        chunks = []
        for part in parts:
            text, bold = part[0], part[1]
            color = part[2] if len(part) > 2 else None
            chunk = self.markup(text, field_name, bool(bold))
            if bold:
                chunk = f"<b>{chunk}</b>"
            if color is not None:
                chunk = f'<font color="#{color.hexval()[2:]}">{chunk}</font>'
            chunks.append(chunk)
        body = "".join(chunks)
        st = self.styles[style]
        if any(_has_cjk(p[0]) for p in parts):
            st = self._cjk_style(st)
        return Paragraph(body, st)

    def _cjk_style(self, st: ParagraphStyle) -> ParagraphStyle:
        key = st.name + "_cjk"
        if key not in self.styles:
            self.styles[key] = ParagraphStyle(key, parent=st, wordWrap="CJK")
        return self.styles[key]

    def table(self, rows: list, *args, **kw) -> Table:
        """A Table whose plain-string cells use the embedded Latin font (never Helvetica)."""
        t = Table(rows, *args, **kw)
        t.setStyle([("FONTNAME", (0, 0), (-1, -1), self.fonts.latin.name)])
        return t

    def t(self, key: str, **fields: object) -> str:
        return tr(key, self.lang, **fields)


class OneLine(Flowable):
    """A single pre-measured line of text in one or more fonts (see ``Ink.cell``)."""

    def __init__(self, runs, width: float, style: ParagraphStyle):
        super().__init__()
        self.runs, self.text_width, self.style = runs, width, style

    def wrap(self, avail_width, avail_height):
        return self.text_width, self.style.leading

    def draw(self):
        canv, st = self.canv, self.style
        canv.setFillColor(st.textColor)
        text = canv.beginText(0.0, st.leading - st.fontSize)   # one text object: one line
        for font, chunk in self.runs:
            text.setFont(font.name, st.fontSize)
            text.textOut(chunk)
        canv.drawText(text)


def _has_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)
