"""Visit summary PDF: one A4 portrait document per visit (ReportLab platypus), 1–3 pages.

Public API:
    build_visit_summary(summary, out) -> list[str]        # warnings (unprintable characters ...)
    build_visit_summaries(summaries, out_dir) -> list[BatchResult]
    default_file_name(summary) -> str                      # subject id + visit code, never a name

Output is deterministic (ReportLab invariant mode; the generated-at time comes from the data), so
identical data gives byte-identical files. PDF metadata carries no patient name: title = subject
id + visit code, author = the app.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate,
                                Spacer)

from reports.fonts import FontSet, load_fonts
from reports.pdf_blocks import alerts_block, clinician_block, csc_block, sf36_block
from reports.pdf_charts import trend_charts
from reports.pdf_kit import RULE, Ink, fmt_date, fmt_local, resolve_tz
from reports.pdf_scores import scores_blocks
from reports.pdf_sections import (appendix_block, missing_block, outcomes_block,
                                   signature_block)
from reports.summary_model import VisitSummary

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
MARGIN_BOTTOM = 16 * mm
HEADER_TOP = 10 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
FOOTER_LEFT = 0.84      # the stamps' share of the footer; "Page x of y" / "第 x 页，共 y 页" the rest


def default_file_name(summary: VisitSummary) -> str:
    """``<subject id>_<visit code>.pdf`` with unsafe characters replaced (no name, ever)."""
    safe = lambda s: re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-.") or "x"  # noqa: E731
    return f"{safe(summary.subject_id)}_{safe(summary.visit_code)}.pdf"


def _header_flowables(ink: Ink, s: VisitSummary):
    t = ink.t
    sep = ("   \u00b7   ", False)
    line1 = ink.rich([(t("title") + "   ", True), (f"{t('study')} ", False), (s.study, True), sep,
                      (f"{t('site')} ", False), (s.site, True), sep, (f"{t('arm')} ", False),
                      (s.arm, True)], "body", field_name="study/site")
    parts = [(f"{t('subject')} ", False), (s.subject_id, True), sep,
             (f"{t('initials')} ", False), (s.initials, True), sep]
    if s.printed_name:
        parts += [(f"{t('name')} ", False), (s.printed_name, True), sep]
        if ink.fonts.missing(s.printed_name):
            ink.warnings.append("full name: " + t("name_unprintable"))
    window = t("win_" + s.window_status) if ("win_" + s.window_status) in _labels() \
        else s.window_status
    parts += [(f"{t('visit')} ", False), (s.visit_name, True), sep,
              (f"{t('visit_date')} ", False), (fmt_date(s.visit_date), True), sep,
              (f"{t('study_day')} ", False),
              ("\u2013" if s.study_day is None else str(s.study_day), True), sep,
              (f"{t('window')} ", False), (window, True)]
    line2 = ink.rich(parts, "body", field_name="header")
    return [line1, line2]


def _labels():
    from reports.i18n import LABELS
    return LABELS


class _SummaryDoc(BaseDocTemplate):
    """Doc template whose pages carry the header (pre-measured) and a 'Page x of y' footer."""

    def __init__(self, out, ink: Ink, summary: VisitSummary, **kw):
        self.ink, self.summary = ink, summary
        self.tz = resolve_tz(summary.display_tz)
        self.header = _header_flowables(ink, summary)
        self.header_h = sum(p.wrap(CONTENT_W, PAGE_H)[1] for p in self.header) + 4
        top = HEADER_TOP + self.header_h + 5 * mm
        super().__init__(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=top, bottomMargin=MARGIN_BOTTOM, **kw)
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - top - MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def draw_page_furniture(self, canv: Canvas, page: int, total: int) -> None:
        ink, s = self.ink, self.summary
        y = PAGE_H - HEADER_TOP
        for p in self.header:
            _, h = p.wrap(CONTENT_W, PAGE_H)
            y -= h
            p.drawOn(canv, MARGIN_X, y)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, y - 3, PAGE_W - MARGIN_X, y - 3)
        fy = MARGIN_BOTTOM - 6 * mm
        canv.line(MARGIN_X, fy + 9, PAGE_W - MARGIN_X, fy + 9)
        as_of = (ink.t("data_as_of", when=fmt_local(s.data_as_of, self.tz)) + "   \u00b7   "
                 if s.data_as_of is not None else "")
        # the app and its version stay together (no break inside "ePRO Desk 0.1.0")
        version = ink.t("app_version", version=s.app_version).replace(" ", "\u00a0")
        left = ink.p(as_of + ink.t("generated", when=fmt_local(s.generated_at, self.tz))
                     + "   \u00b7   " + version, "footer")
        right = ink.p(ink.t("page_x_of_y", x=page, y=total), "footer_r")
        _, h = left.wrap(CONTENT_W * FOOTER_LEFT, 40)
        left.drawOn(canv, MARGIN_X, fy - h + 6)
        _, h = right.wrap(CONTENT_W * (1 - FOOTER_LEFT), 40)
        right.drawOn(canv, PAGE_W - MARGIN_X - CONTENT_W * (1 - FOOTER_LEFT), fy - h + 6)


def _numbered_canvas_class(doc: _SummaryDoc):
    class NumberedCanvas(Canvas):
        """Keeps each page's state until save() so the footer knows the page count."""

        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                doc.draw_page_furniture(self, n, total)
                super().showPage()
            super().save()
    return NumberedCanvas


def _story(ink: Ink, s: VisitSummary, tz) -> list:
    w = CONTENT_W
    story: list = []
    story += alerts_block(ink, s)
    story += sf36_block(ink, s, w)
    story += csc_block(ink, s, w)
    story += scores_blocks(ink, s, w)
    story += clinician_block(ink, s, w)
    story += outcomes_block(ink, s, w)
    story += [KeepTogether(trend_charts(ink, s.trends, s.visit_code, w))]
    story += missing_block(ink, s, w)
    story += signature_block(ink, s, tz, w)
    story += [Spacer(1, 4)]
    story += appendix_block(ink, s, tz, w)
    return story


def build_visit_summary(summary: VisitSummary, out: Path | str | BinaryIO, *,
                        fonts: FontSet | None = None) -> list[str]:
    """Write the visit summary PDF to ``out`` (path or binary file); return warnings.

    Warnings name the field and code points of characters no embedded font can print (they are
    printed as a placeholder) — never the text itself, so they are safe to log.
    """
    fonts = fonts or load_fonts(require_cjk=summary.report_language == "zh_CN")
    ink = Ink(fonts, summary.report_language)
    buf = io.BytesIO()
    doc = _SummaryDoc(buf, ink, summary, invariant=1, pageCompression=1,
                      title=f"{summary.subject_id} {summary.visit_name}",
                      author="ePRO Desk", subject=ink.t("title"), creator="ePRO Desk",
                      producer="ePRO Desk (ReportLab)", keywords="",
                      initialFontName=fonts.latin.name, initialFontSize=8,
                      lang="zh-CN" if summary.report_language == "zh_CN" else "en")
    story = _story(ink, summary, doc.tz)
    doc.build(story, canvasmaker=_numbered_canvas_class(doc))
    data = buf.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)
    # de-duplicate, keep order
    return list(dict.fromkeys(fonts.notes + ink.warnings))


@dataclass(frozen=True)
class BatchResult:
    subject_id: str
    visit_code: str
    path: Path | None
    warnings: tuple[str, ...]
    error: str | None = None


def _build_one(summary: VisitSummary, path: Path, fonts: FontSet | None) -> BatchResult:
    """Build one file atomically (``.part`` then rename); errors become the result's ``error``."""
    tmp = path.with_suffix(".pdf.part")
    try:
        warnings = build_visit_summary(summary, tmp, fonts=fonts)
        os.replace(tmp, path)
        return BatchResult(summary.subject_id, summary.visit_code, path, tuple(warnings))
    except Exception as exc:   # report per visit; the batch goes on
        tmp.unlink(missing_ok=True)
        return BatchResult(summary.subject_id, summary.visit_code, None, (),
                           f"{type(exc).__name__}: {exc}")


def _build_one_in_worker(summary: VisitSummary, path: Path) -> BatchResult:
    return _build_one(summary, path, None)


def build_visit_summaries(summaries: Iterable[VisitSummary], out_dir: Path | str, *,
                          workers: int = 1) -> list[BatchResult]:
    """One PDF per summary into ``out_dir``, results in input order.

    File names are ``default_file_name``; never overwrites silently (a second summary with the
    same subject and visit gets ``_2``, ``_3`` ...). A failing summary is reported in its result
    and does not stop the batch. ``workers > 1`` builds in that many spawned processes (the
    summaries are plain picklable data); a frozen app must call
    ``multiprocessing.freeze_support()`` first.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[VisitSummary, Path]] = []
    used: set[str] = set()
    for s in summaries:
        name = default_file_name(s)
        stem, n = name[:-4], 2
        while name in used or (out_dir / name).exists():
            name, n = f"{stem}_{n}.pdf", n + 1
        used.add(name)
        jobs.append((s, out_dir / name))
    if workers > 1 and len(jobs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        ctx = multiprocessing.get_context("spawn")   # safe with Qt/GUI threads in the parent
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
            return list(pool.map(_build_one_in_worker, *zip(*jobs), chunksize=4))
    fonts_cache: dict[bool, FontSet] = {}
    results: list[BatchResult] = []
    for s, path in jobs:
        need_cjk = s.report_language == "zh_CN"
        try:
            if need_cjk not in fonts_cache:
                fonts_cache[need_cjk] = load_fonts(require_cjk=need_cjk)
        except Exception as exc:
            results.append(BatchResult(s.subject_id, s.visit_code, None, (),
                                       f"{type(exc).__name__}: {exc}"))
            continue
        results.append(_build_one(s, path, fonts_cache[need_cjk]))
    return results
