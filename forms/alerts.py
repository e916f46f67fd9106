"""Warning signs found in a patient's answers, as structured findings (standard library only).

An instrument's alert rules (the CSC's warning-sign items and core-symptom worsening in
``forms.csc``; the ``alerts`` of a data-defined instrument in ``forms.itemscore``) produce
``AlertFinding`` records: a severity, a fixed ``reason`` key and its parameters. The stored
alert level and its machine-readable reasons (``"A3=yes"``) are derived from the same findings,
and storage keeps each finding as a staff alert (``storage.services.alerts``), so the level a
score row shows and the alerts staff acknowledge always agree. Texts are the reader's job:
``reason`` keys are translated by the screens and the PDF, never parsed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union

RED, AMBER = "red", "amber"
SEVERITIES = (RED, AMBER)
#: reason keys: the patient answered Yes / Not sure to a warning-sign item; a core symptom rose
#: by at least the rule's points since the previous visit; a data-defined ``item op value`` rule
WARNING_SIGN_YES = "warning_sign_yes"
WARNING_SIGN_UNSURE = "warning_sign_unsure"
CORE_WORSENED = "core_worsened"
ANSWER_THRESHOLD = "answer_threshold"
#: staff-data reasons (forms.outcomes, issue 15): a death, a serious AE, an AE of grade >= 3, a
#: new HCC diagnosis, a Child-Pugh rise of >= 2 points from baseline
DEATH = "death"
SERIOUS_AE = "serious_ae"
AE_GRADE_3PLUS = "ae_grade_3plus"
NEW_HCC = "new_hcc"
CHILD_PUGH_RISE = "child_pugh_rise"
STAFF_REASONS = (DEATH, SERIOUS_AE, AE_GRADE_3PLUS, NEW_HCC, CHILD_PUGH_RISE)
REASONS = (WARNING_SIGN_YES, WARNING_SIGN_UNSURE, CORE_WORSENED, ANSWER_THRESHOLD) + STAFF_REASONS

Param = Union[int, float, str]


@dataclass(frozen=True)
class AlertFinding:
    """One warning sign of one item: ``params`` holds plain JSON values (``code``: the answer;
    ``previous``/``now`` for a worsening; ``op``/``value`` for a threshold rule)."""
    severity: str
    reason: str
    item_id: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown alert severity {self.severity!r}")
        if self.reason not in REASONS:
            raise ValueError(f"unknown alert reason {self.reason!r}")

    @property
    def code(self) -> str:
        """The machine-readable reason stored with the scores (``A3=yes``, ``C2+2_vs_previous``,
        ``F1>=4``)."""
        p = self.params
        if self.reason in STAFF_REASONS:
            return self.reason
        if self.reason == WARNING_SIGN_YES:
            return f"{self.item_id}=yes"
        if self.reason == WARNING_SIGN_UNSURE:
            return f"{self.item_id}=not_sure"
        if self.reason == CORE_WORSENED:
            return f"{self.item_id}+{int(p['now']) - int(p['previous'])}_vs_previous"
        return f"{self.item_id}{p['op']}{float(p['value']):g}"


def level_of(findings: tuple[AlertFinding, ...] | list[AlertFinding]) -> str:
    """The highest severity of the findings (``red`` over ``amber``), ``""`` for none."""
    return next((lv for lv in SEVERITIES if any(f.severity == lv for f in findings)), "")
