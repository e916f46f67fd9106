"""Flowables for the end of the visit summary: missing data, signature, appendix."""
from __future__ import annotations

from datetime import tzinfo

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from forms import not_done
from forms.registry import instrument_name
from reports.i18n import LABELS
from reports.pdf_blocks import grid_style
from reports.pdf_kit import DASH, GREY, LIGHT, RED, RULE, Ink, fmt_local
from reports.summary_model import VisitSummary


def _code_or_text(ink: Ink, prefix: str, code: str) -> str:
    return ink.t(prefix + code) if (prefix + code) in LABELS else code


def reason_text(ink: Ink, stored: str) -> str:
    """A stored correction reason ``"<pick-list key>: <free text>"`` with the key's label."""
    key, sep, rest = stored.partition(":")
    if sep and ("reason_" + key) in LABELS:
        return f"{ink.t('reason_' + key)}: {rest.strip()}" if rest.strip() else \
            ink.t("reason_" + key)
    return stored or DASH


def _original_answer(ink: Ink, it) -> str:  # noqa: ANN001
    """The patient's original answer as printed (a label, or skipped with its reason)."""
    if it.status == "answered":
        return it.answer if it.answer is not None else DASH
    if it.status == "skipped" and it.skip_reason:
        return ink.t("ans_skipped_reason", reason=_code_or_text(ink, "skip_", it.skip_reason))
    return ink.t("ans_" + it.status) if ("ans_" + it.status) in LABELS else it.status


def outcomes_block(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    """The visit's outcome forms (imaging, AE, vital status …) as entered, one row each."""
    if not s.outcomes:
        return []
    rows = [[ink.p(form, "head"), ink.p(text, "cell", field_name="outcome")]
            for form, text in s.outcomes]
    t = ink.table(rows, colWidths=[width * 0.22, width * 0.78])
    st = grid_style(0, ink.fonts.latin.name, ink.base_size - 0.5)
    st.append(("ALIGN", (0, 0), (-1, -1), "LEFT"))
    t.setStyle(TableStyle(st))
    return [ink.p(ink.t("outcome_forms"), "h2", bold=True), t, Spacer(1, 4)]


def missing_block(ink: Ink, s: VisitSummary, width: float) -> list[Flowable]:
    title = ink.p(ink.t("missing_title"), "h2", bold=True)
    m = s.missing
    if not m.skipped and not m.not_computable and not m.not_done:
        return [title, ink.p(ink.t("no_missing"), "body")]
    out: list[Flowable] = [title]
    if m.not_done:                  # recorded by staff, with the reason (forms.not_done)
        out.append(ink.p(ink.t("not_done_title"), "h3", bold=True))
        for nd in m.not_done:
            why = not_done.reason_text(nd.reason, nd.text, ink.lang)
            out.append(ink.rich([(f"{instrument_name(nd.instrument_id, ink.lang)}: ", True),
                                 (why, False)], "body", field_name="not-done reason"))
    if m.skipped:
        rows: list[list] = [[ink.p(ink.t(k), "head") for k in ("instrument", "item", "reason")]]
        for sk in m.skipped:
            rows.append([ink.p(instrument_name(sk.instrument_id, ink.lang), "cell"),
                         ink.p(f"{sk.item_id}  {sk.item_text}", "cell", field_name="item text"),
                         ink.p(_code_or_text(ink, "skip_", sk.reason), "cell",
                               field_name="skip reason")])
        t = ink.table(rows, colWidths=[width * 0.16, width * 0.56, width * 0.28], repeatRows=1)
        st = grid_style(1, ink.fonts.latin.name, ink.base_size - 0.5)
        st.append(("ALIGN", (0, 0), (-1, -1), "LEFT"))
        t.setStyle(TableStyle(st))
        out += [ink.p(ink.t("skipped_items"), "h3", bold=True), t]
    if m.not_computable:
        out.append(ink.p(ink.t("not_computable_title"), "h3", bold=True))
        for nc in m.not_computable:
            reason = _code_or_text(ink, "nc_", nc.reason)
            if nc.detail:
                reason += f" ({nc.detail})"
            head = f"{instrument_name(nc.instrument_id, ink.lang)} {nc.scale}".strip()
            out.append(ink.rich([(f"{head}: ", True), (reason, False)], "body"))
    return out


def signature_block(ink: Ink, s: VisitSummary, tz: tzinfo | None, width: float) -> list[Flowable]:
    title = ink.p(ink.t("signature_title"), "h2", bold=True)
    sig = s.signature
    if sig is None:
        rows = [[ink.p(ink.t("resign_required" if s.resign_required else "not_signed"), "h3",
                       bold=True, color=RED if s.resign_required else None)]]
        old = s.invalidated_signature
        if old is not None:
            rows.append([ink.p(ink.t("invalidated_sig", name=old.signed_by,
                                     when=fmt_local(old.signed_at, tz),
                                     reason=old.invalidated_reason or DASH), "body",
                               field_name="signature")])
        box = ink.table(rows, colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8,
                                  RED if s.resign_required else GREY),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
        return [KeepTogether([title, box])]
    rows = [
        [ink.p(ink.t("signed_by"), "head"), ink.p(sig.signed_by, "body", bold=True,
                                                   field_name="signer name")],
        [ink.p(ink.t("meaning"), "head"), ink.p(_code_or_text(ink, "meaning_", sig.meaning),
                                                 "body")],
        [ink.p(ink.t("signed_at"), "head"), ink.p(fmt_local(sig.signed_at, tz), "body")],
    ]
    if sig.audit_head:
        rows.append([ink.p(ink.t("audit_head"), "head"), ink.p(sig.audit_head[:16], "body")])
    box = ink.table(rows, colWidths=[width * 0.22, width * 0.78])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, GREY),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 6),
                             ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [KeepTogether([title, box])]


def appendix_block(ink: Ink, s: VisitSummary, tz: tzinfo | None, width: float) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(90), ink.p(ink.t("appendix_title"), "h2", bold=True)]
    if not s.appendix:
        return out + [ink.p(ink.t("no_answers"), "body")]
    out.append(ink.p(ink.t("appendix_note"), "tiny", color=GREY))
    small = "tiny"
    for sec in s.appendix:
        submitted = (ink.t("submitted_at", when=fmt_local(sec.submitted_at, tz))
                     if sec.submitted_at else "")
        lang_name = ink.t("lang_" + sec.language) if ("lang_" + sec.language) in LABELS \
            else sec.language
        # no keep-with-next here: a long answer table may start on the current page
        out.append(CondPageBreak(60))
        # a title that ends with its version ("RAND 36-Item Health Survey 1.0") prints it once
        version = "" if sec.instrument_name.endswith(sec.version) else " " + sec.version
        out.append(ink.p(ink.t("appendix_section", name=sec.instrument_name, version=version,
                               language=lang_name, submitted=submitted), "h3s", bold=True))
        if sec.text_version:
            out.append(ink.p(ink.t("text_version", version=sec.text_version), "tiny",
                             field_name="text version", color=GREY))
        rows: list[list] = []
        widths = [width * 0.05, width * 0.70, width * 0.25]
        stem_rows, status_rows, corrected_rows = [], [], []
        last_stem = None
        for it in sec.items:
            if it.stem and it.stem != last_stem:
                stem_rows.append(len(rows))
                rows.append([ink.p(it.stem, "tiny", field_name="item stem", color=GREY), "", ""])
            last_stem = it.stem
            answer = _original_answer(ink, it)
            if it.status != "answered":
                status_rows.append(len(rows))
            cell: Flowable | list[Flowable] = ink.cell(answer, widths[2] - 4, small,
                                                       field_name="answer")
            if it.corrections:
                corrected_rows.append(len(rows))
                cell = [cell] + [ink.p(ink.t("corrected_to", value=value,
                                             reason=reason_text(ink, reason)), small,
                                       field_name="correction", color=RED)
                                 for value, reason in it.corrections]
            rows.append([ink.cell(it.label, widths[0] - 4, small),
                         ink.cell(it.text, widths[1] - 4, small, field_name="item text"),
                         cell])
        t = ink.table(rows, colWidths=widths, repeatRows=0)
        st = [("VALIGN", (0, 0), (-1, -1), "TOP"),
              ("TOPPADDING", (0, 0), (-1, -1), 0.3), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
              ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
              ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]
        for r in stem_rows:
            st += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LIGHT)]
        for r in status_rows:
            st += [("BACKGROUND", (2, r), (2, r), colors.HexColor("#fff4e0"))]
        for r in corrected_rows:
            st += [("BOX", (2, r), (2, r), 0.6, RED)]
        t.setStyle(TableStyle(st))
        out += [t, Spacer(1, 4)]
    return out
