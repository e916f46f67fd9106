"""Flowables for instruments laid out as a plain score table (registry layout "scores").

One block per ``ScoresBlock``: the instrument's title and version, then each registry score
now / baseline / change / previous / change, with ▲/▼ when the change reaches the score's MID
(▲ = better, by the score's direction), and the instrument's credit line.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from reports.pdf_blocks import grid_style, marked
from reports.pdf_kit import Ink, fmt1, fmt_delta, fmt_int
from reports.summary_model import VisitSummary


def _delta(d: float | None, mid: float | None, up: bool | None) -> str:
    if mid is None:
        return fmt_delta(d)
    return marked(d, mid, True if up is None else up)


def scores_blocks(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for b in s.scores:
        title = ink.p(f"{b.title} {b.version}", "h2", bold=True)
        head = [ink.p(ink.t("scale"), "head")] + [ink.p(ink.t(k), "headr") for k in
                                                   ("now", "baseline", "d_baseline", "previous",
                                                    "d_previous")]
        rows: list[list] = [head]
        for r in b.rows:
            m = r.measure
            label = f"{r.label} ({r.unit})" if r.unit else r.label
            fmt = fmt_int if r.integer else fmt1
            rows.append([ink.p(label, "cell"), fmt(m.now), fmt(m.baseline),
                         _delta(m.delta_baseline, r.mid, r.higher_is_better), fmt(m.previous),
                         _delta(m.delta_previous, r.mid, r.higher_is_better)])
        lw = width * 0.40
        table = ink.table(rows, colWidths=[lw] + [(width - lw) / 5] * 5)
        table.setStyle(TableStyle(grid_style(1, ink.fonts.latin.name, ink.base_size - 0.5)))
        block: list[Flowable] = [title, table]
        if b.note:
            block.append(ink.p(b.note, "small"))
        out += [KeepTogether(block), Spacer(1, 4)]
    return out
