"""A questionnaire recorded "not done" at a visit, with a reason (CDISC QSSTAT = "NOT DONE",
QSREASND).

A patient who refuses or cannot answer a questionnaire of the visit's battery (too unwell,
refused, cannot read it…) would otherwise leave the visit in progress for ever. Staff record it
as not done with one reason of a controlled list (``REASONS``), free text required for
``other`` and optional otherwise. ``forms.visit_start`` counts a not-done questionnaire as
accounted for (the visit completes); storage keeps the record and its withdrawal in the audit
trail; the nurse dialog, the CSV export and the SDTM QS domain read the same codes and labels.
Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from forms.errors import UserError

REFUSED, TOO_UNWELL, UNABLE, STAFF_ERROR, OTHER = (
    "refused", "too_unwell", "unable", "staff_error", "other")
REASONS: tuple[str, ...] = (REFUSED, TOO_UNWELL, UNABLE, STAFF_ERROR, OTHER)
REASON_LABELS: Mapping[str, Mapping[str, str]] = {
    REFUSED: {"en": "Patient refused", "zh_CN": "患者拒绝"},
    TOO_UNWELL: {"en": "Patient too unwell", "zh_CN": "患者身体状况不允许"},
    UNABLE: {"en": "Unable to complete (vision, literacy or language)",
             "zh_CN": "无法完成（视力、读写或语言原因）"},
    STAFF_ERROR: {"en": "Administrative or staff error", "zh_CN": "管理或工作人员差错"},
    OTHER: {"en": "Other", "zh_CN": "其他"},
}
TEXT_MAX = 200          # SDTM QSREASND is at most 200 characters


@dataclass(frozen=True)
class NotDone:
    """One questionnaire of a visit recorded not done: the reason code and optional text."""
    instrument_id: str
    reason: str
    text: str = ""

    def label(self, lang: str = "en") -> str:
        """The reason as a person reads it: "Other: no interpreter", "Patient refused"."""
        return reason_text(self.reason, self.text, lang)


def reason_label(reason: str, lang: str = "en") -> str:
    labels = REASON_LABELS[reason]
    return labels.get(lang) or labels["en"]


def reason_text(reason: str, text: str = "", lang: str = "en") -> str:
    """The reason label followed by the staff's text when there is one (the QSREASND value in
    English)."""
    label = reason_label(reason, lang)
    sep = "：" if lang.startswith("zh") else ": "
    return f"{label}{sep}{text}" if text else label


def check_not_done(instrument_id: str, battery: Sequence[str], reason: str,
                   text: str | None) -> NotDone:
    """A valid not-done record, or a UserError naming what is wrong: the questionnaire must be
    one of the visit's battery, the reason one of ``REASONS``, the text (stripped) at most
    ``TEXT_MAX`` characters and given when the reason is ``other``."""
    if instrument_id not in battery:
        raise UserError(f"{instrument_id} is not a questionnaire of this visit.")
    if reason not in REASONS:
        raise UserError(f"Reason not done must be one of: {', '.join(REASONS)}.")
    clean = " ".join((text or "").split())
    if reason == OTHER and not clean:
        raise UserError("Say why the questionnaire was not done (reason: other).")
    if len(clean) > TEXT_MAX:
        raise UserError(f"The reason text is too long (at most {TEXT_MAX} characters).")
    return NotDone(instrument_id, reason, clean)


__all__ = ["NotDone", "OTHER", "REASONS", "REASON_LABELS", "REFUSED", "STAFF_ERROR",
           "TEXT_MAX", "TOO_UNWELL", "UNABLE", "check_not_done", "reason_label",
           "reason_text"]
