"""Flowables for the score blocks of the visit summary: alerts, SF-36, CSC, clinician."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from forms import csc, not_done, sf36
from reports.alert_text import acknowledgement, alert_level, alert_reason
from reports.i18n import credit_line, symptom_label, tr_opt
from reports.pdf_kit import (AMBER, AMBER_BG, DASH, GREY, LIGHT, RED, RED_BG, RULE, Ink, fmt1,
                             fmt_date, fmt_delta, fmt_int, fmt_lab, resolve_tz)
from reports.summary_model import (STAFF_ALERT_KINDS, ClinicianBlock, CscBlock, Measure,
                                   MidSettings, Sf36Block, VisitSummary)

UP, DOWN = "\u25b2", "\u25bc"


def grid_style(header_rows: int = 1, font: str = "Helvetica", size: float = 8) -> list:
    """Common table look; ``font`` is the embedded Latin font (numbers are plain strings)."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, header_rows), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, LIGHT]),
    ]


def marked(delta: float | None, mid: float, higher_is_better: bool = True) -> str:
    """Signed change with one decimal, plus ▲/▼ when |change| ≥ MID (▲ = better)."""
    text = fmt_delta(delta)
    if MidSettings.reached(delta, mid):
        better = (delta > 0) == higher_is_better
        text += " " + (UP if better else DOWN)
    return text


# ----------------------------------------------------------------------------------- alerts
def alerts_block(ink: Ink, s: VisitSummary) -> list[Flowable]:
    if not s.alerts:
        return [ink.p(ink.t("no_alerts"), "small"), Spacer(1, 2)]
    rows = [[ink.p(ink.t("alerts"), "h3", bold=True)]]
    worst = "red" if any(a.level == "red" for a in s.alerts) else "amber"
    # staff-data alerts (death, SAE, HCC …) lead, then by level
    for a in sorted(s.alerts, key=lambda a: (a.kind not in STAFF_ALERT_KINDS, a.level != "red",
                                             a.item_id)):
        params = dict(a.params) or {"previous": a.previous, "now": a.now}
        level = alert_level(a.level, ink.lang)
        color = RED if a.level == "red" else AMBER
        ack = acknowledgement(a.acknowledged_by, a.acknowledged_at, ink.lang,
                              resolve_tz(s.display_tz))
        rows.append([ink.rich([(f"\u25cf {level}  ", True, color),
                               (alert_reason(a.kind, a.item_id, params, ink.lang), False),
                               (f"  \u2014 {ack}", False, GREY)], "alert",
                              field_name="alert")])
    table = ink.table(rows, colWidths=["100%"])
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.2, RED if worst == "red" else AMBER),
        ("BACKGROUND", (0, 0), (-1, -1), RED_BG if worst == "red" else AMBER_BG),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return [table, Spacer(1, 4)]


def _absent(ink: Ink, s: VisitSummary, instrument_id: str) -> Flowable:
    """"No questionnaire submitted", or "Not done: <reason>" when staff recorded it so."""
    nd = next((n for n in s.missing.not_done if n.instrument_id == instrument_id), None)
    if nd is None:
        return ink.p(ink.t("no_questionnaire"), "body")
    return ink.p(ink.t("not_done_reason",
                       reason=not_done.reason_text(nd.reason, nd.text, ink.lang)), "body",
                 field_name="not-done reason")


# ----------------------------------------------------------------------------------- SF-36
def sf36_block(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    title = ink.p(ink.t("sf36_title"), "h2", bold=True)
    block = s.sf36
    if block is None:
        return [title, _absent(ink, s, sf36.INSTRUMENT_ID),
                ink.p(credit_line(ink.lang), "small")]
    mid = s.mid
    head1 = [ink.p(ink.t("scale"), "head"), ink.p(ink.t("score_0_100"), "head"), "", "",
             ink.p(ink.t("t_score"), "head"), "", ""]
    sub = [ink.t("now"), ink.t("d_baseline"), ink.t("d_previous")]
    head2 = [""] + [ink.p(x, "headr") for x in sub] * 2
    rows: list[list] = [head1, head2]
    nc_rows = []
    for sc in block.scales:
        label = ink.p(f"{ink.t('scale_' + sc.code)} ({sc.code})", "cell")
        if sc.score.now is None:
            nc_rows.append(len(rows))
            score = [ink.t("not_computable"), DASH, DASH]
        else:
            score = [fmt1(sc.score.now), marked(sc.score.delta_baseline, mid.scale_points),
                     marked(sc.score.delta_previous, mid.scale_points)]
        rows.append([label, *score, *_t_cells(sc.t_score, mid)])
    for code, m in (("PCS", block.pcs), ("MCS", block.mcs)):
        rows.append([ink.p(f"{ink.t('scale_' + code)} ({code})", "cell", bold=True),
                     "", "", "", *_t_cells(m, mid)])
    label_w = width * 0.31
    num_w = (width - label_w) / 6
    table = ink.table(rows, colWidths=[label_w] + [num_w] * 6, repeatRows=2)
    style = grid_style(2, ink.fonts.latin.name, ink.base_size - 0.5) + [
        ("SPAN", (1, 0), (3, 0)), ("SPAN", (4, 0), (6, 0)),
        ("LINEBEFORE", (4, 0), (4, -1), 0.4, RULE),
        ("LINEABOVE", (0, len(rows) - 2), (-1, len(rows) - 2), 0.6, RULE),
        ("FONTNAME", (4, len(rows) - 2), (4, -1), ink.fonts.latin.bold),
    ]
    for r in nc_rows:
        style += [("SPAN", (1, r), (3, r)), ("TEXTCOLOR", (1, r), (1, r), GREY),
                  ("ALIGN", (1, r), (1, r), "CENTER")]
    table.setStyle(TableStyle(style))
    primary, other = block.primary, block.secondary
    notes = [
        ink.p(ink.t("mid_legend", scale=_mid_num(mid.scale_points), t=_mid_num(mid.t_points)),
              "small"),
        ink.p(ink.t("primary_scoring", name=primary.name, id=primary.id, version=primary.version,
                    other_name=other.name, other_id=other.id, other_version=other.version),
              "small"),
        ink.p(credit_line(ink.lang), "small"),
    ]
    return [KeepTogether([title, table]), Spacer(1, 2), *notes]


def _t_cells(m: Measure, mid: MidSettings) -> list[str]:
    if m.now is None:
        return [DASH, DASH, DASH]
    return [fmt1(m.now), marked(m.delta_baseline, mid.t_points),
            marked(m.delta_previous, mid.t_points)]


def _mid_num(x: float) -> str:
    return f"{x:g}"


# ----------------------------------------------------------------------------------- CSC
def csc_block(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    block: CscBlock | None = s.csc
    version = block.version if block else "1.0"
    title = ink.p(ink.t("csc_title", version=version), "h2", bold=True)
    note = ink.p(ink.t("csc_not_validated"), "small", bold=True)
    if block is None:
        return [title, note, _absent(ink, s, csc.INSTRUMENT_ID)]
    head = [ink.p(ink.t("symptom"), "head"), ink.p(ink.t("now"), "headr"),
            ink.p(ink.t("baseline"), "headr"), ink.p(ink.t("d_baseline"), "headr"),
            ink.p(ink.t("category"), "head")]
    rows: list[list] = [head]
    worse_rows = []
    for sym in block.symptoms:
        delta = (None if sym.now is None or sym.baseline is None else sym.now - sym.baseline)
        # the item's short label from the instrument data, never its code (C1 …)
        rows.append([ink.p(symptom_label(sym.item_id, ink.lang, block.instrument_id), "cell"),
                     fmt_int(sym.now), fmt_int(sym.baseline),
                     DASH if delta is None else (f"{delta:+d}" if delta else "0"),
                     ink.p(tr_opt("cat_", sym.category, ink.lang), "cell")])
        if sym.category == "worsened":
            worse_rows.append(len(rows) - 1)
    label_w = width * 0.34
    sym_table = ink.table(rows, colWidths=[label_w, width * 0.1, width * 0.1, width * 0.1,
                                       width - label_w - width * 0.3], repeatRows=1)
    st = grid_style(1, ink.fonts.latin.name, ink.base_size - 0.5)
    for r in worse_rows:
        st.append(("TEXTCOLOR", (1, r), (3, r), AMBER))
    sym_table.setStyle(TableStyle(st))

    shead = [ink.p(ink.t("scale"), "head")] + [ink.p(ink.t(k), "headr") for k in
                                                ("now", "baseline", "d_baseline", "previous",
                                                 "d_previous")]
    srows: list[list] = [shead]
    for key, m in (("rss", block.rss), ("tsb", block.tsb), ("nmod", block.nmod)):
        fmt = fmt_int if key == "nmod" else fmt1
        srows.append([ink.p(ink.t(key), "cell"), fmt(m.now), fmt(m.baseline),
                      fmt_delta(m.delta_baseline) if key != "nmod" else _int_delta(m.delta_baseline),
                      fmt(m.previous),
                      fmt_delta(m.delta_previous) if key != "nmod" else _int_delta(m.delta_previous)])
    lw = width * 0.40
    score_table = ink.table(srows, colWidths=[lw] + [(width - lw) / 5] * 5)
    score_table.setStyle(TableStyle(grid_style(1, ink.fonts.latin.name, ink.base_size - 0.5)))
    out: list[Flowable] = [KeepTogether([title, note, Spacer(1, 2), sym_table]), Spacer(1, 4),
                           score_table, ink.p(ink.t("csc_mid_legend"), "small")]
    if block.responder is not None:
        out.append(ink.p(ink.t("responder", value=ink.t("yes" if block.responder else "no")),
                         "small"))
    return out


def _int_delta(d: float | None) -> str:
    if d is None:
        return DASH
    return "0" if d == 0 else f"{d:+.0f}"


# ----------------------------------------------------------------------------------- clinician
def clinician_block(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    title = ink.p(ink.t("clin_title"), "h2", bold=True)
    c: ClinicianBlock | None = s.clinician
    if c is None:
        return [title, ink.p(ink.t("no_clinician"), "body")]
    # Two splittable tables (scores and findings, then labs) so the block may run across a page
    # break instead of leaving the rest of page 1 empty.
    def kv(label: str, value: str, formula_id: str | None = None) -> list:
        return [ink.p(label, "head"), ink.p(value, "cell", bold=True),
                ink.p(f"{ink.t('formula')} {formula_id}" if formula_id else "", "small")]

    kvs: list[list] = []
    kvs.append(kv(ink.t("ascites"), tr_opt("asc_", c.ascites, ink.lang)))
    kvs.append(kv(ink.t("encephalopathy"), tr_opt("he_", c.encephalopathy, ink.lang)))
    if c.dialysis is not None:
        kvs.append(kv(ink.t("dialysis"), ink.t("yes" if c.dialysis else "no")))
    if c.child_pugh is not None:
        kvs.append(kv(ink.t("child_pugh"),
                      ink.t("child_pugh_value", points=fmt_int(c.child_pugh.value),
                            grade=c.child_pugh.grade or DASH), c.child_pugh.formula_id))
    for key, sc in (("meld", c.meld), ("meld_na", c.meld_na), ("meld3", c.meld3)):
        if sc is None:
            continue
        value = fmt_int(sc.value)
        if key == "meld3" and sc.uncapped is not None and sc.uncapped != sc.value:
            value = ink.t("meld3_uncapped", value=value, uncapped=fmt1(sc.uncapped))
        kvs.append(kv(ink.t(key), value, sc.formula_id))
    for name, reason in c.not_computed:
        kvs.append(kv(ink.t(name) if name in _labels() else name,
                      ink.t("not_computed", reason=reason)))
    if c.clinician_symptoms:
        kvs.append(kv(ink.t("clin_symptoms"), ink.t("list_sep").join(
            f"{tr_opt('cs_', k, ink.lang)} {v}" for k, v in c.clinician_symptoms)))
    if c.imaging is not None and c.imaging.note:
        kvs.append([ink.p(ink.t("imaging"), "head"),
                    ink.p(c.imaging.note, "cell", field_name="imaging"), ""])
    elif c.imaging is not None:
        im = c.imaging
        text = ink.t("imaging_value", liver=fmt1(im.liver_size_cm), portal=fmt1(im.portal_vein_mm),
                     spleen=fmt1(im.spleen_size_cm),
                     lesion=tr_opt("lesion_", im.new_lesion, ink.lang))
        kvs.append([ink.p(ink.t("imaging"), "head"), ink.p(text, "cell"),
                    ink.p(fmt_date(im.exam_date) if im.exam_date else "", "small")])
    if c.vital_status is not None:
        vs = c.vital_status
        text = (ink.t("vs_died", date=fmt_date(vs.date_of_death)) if vs.status == "died"
                else tr_opt("vs_", vs.status, ink.lang))
        kvs.append(kv(ink.t("vital_status"), text))
    findings = ink.table(kvs, colWidths=[width * 0.27, width * 0.48, width * 0.25])
    findings.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]))
    out: list[Flowable] = [title, findings]
    if c.labs:
        lrows: list[list] = [[ink.p(ink.t(k), "head" if k in ("lab", "unit") else "headr")
                              for k in ("lab", "value", "unit", "sample_date")]]
        for lab in c.labs:
            key = "lab_" + lab.analyte
            lrows.append([ink.p(ink.t(key) if key in _labels() else lab.analyte, "cell"),
                          fmt_lab(lab.analyte, lab.value, lab.unit),
                          ink.p(UNIT_SHOWN.get(lab.unit, lab.unit) or DASH, "cell"),
                          fmt_date(lab.sample_date)])
        labs = ink.table(lrows, colWidths=[width * 0.28, width * 0.14, width * 0.2, width * 0.16],
                         repeatRows=1, hAlign="LEFT")
        st = grid_style(1, ink.fonts.latin.name, ink.base_size - 0.5)
        labs.setStyle(TableStyle(st))
        out += [Spacer(1, 4), KeepTogether([labs])]   # no orphaned lab row
    return out


# units stored in ASCII (forms.labs) and printed in their usual typography
UNIT_SHOWN = {"10^9/L": "×10⁹/L"}


def _labels():
    from reports.i18n import LABELS
    return LABELS
