"""Plain data for one visit summary (what the PDF shows), independent of storage and Qt.

A loader (storage -> ``VisitSummary``) fills these frozen dataclasses; the PDF builder only reads
them. Values are kept at full precision: changes (vs baseline / previous visit) are computed here
from unrounded values and rounded only when printed (sf36.md §0.3: one decimal on paper).

Minimal important difference (MID) markers: a change is marked when ``|change| >= MID``, compared
on the unrounded change. The study sets the MID; defaults are 5 points on the 0–100 scales and
3 points on T-scores (PCS, MCS and the scale T-scores). See ``MidSettings``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

REPORT_LANGUAGES = ("en", "zh_CN")
SF36_SCALES = ("PF", "RP", "BP", "GH", "VT", "SF", "RE", "MH")
CSC_SCORED_ITEMS = ("C1", "C2", "C3", "C4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8")
CSC_CATEGORIES = ("resolved", "improved", "stable", "worsened", "absent")
SKIP_REASONS = ("prefer_not_to_answer", "dont_understand", "not_applicable")
ALERT_LEVELS = ("red", "amber")
ALERT_KINDS = ("warning_sign_yes", "warning_sign_unsure", "core_worsened", "answer_threshold",
               "death", "serious_ae", "ae_grade_3plus", "new_hcc", "child_pugh_rise")
#: alerts raised from staff data (forms.alerts.STAFF_REASONS): they lead the alert box
STAFF_ALERT_KINDS = ALERT_KINDS[4:]


def _require_aware(value: datetime | None, what: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{what} must be a timezone-aware datetime")


@dataclass(frozen=True)
class Measure:
    """One value at this visit, with the same measure at baseline and at the previous visit."""
    now: float | None
    baseline: float | None = None
    previous: float | None = None

    @property
    def delta_baseline(self) -> float | None:
        if self.now is None or self.baseline is None:
            return None
        return self.now - self.baseline

    @property
    def delta_previous(self) -> float | None:
        if self.now is None or self.previous is None:
            return None
        return self.now - self.previous


@dataclass(frozen=True)
class MidSettings:
    """Minimal important differences set by the study (defaults: 5 on 0–100, 3 on T-scores)."""
    scale_points: float = 5.0
    t_points: float = 3.0

    def __post_init__(self) -> None:
        if not (self.scale_points > 0 and self.t_points > 0):
            raise ValueError("MID thresholds must be positive")

    @staticmethod
    def reached(delta: float | None, mid: float) -> bool:
        # unrounded comparison; the tiny epsilon only absorbs float noise such as 4.999999999
        return delta is not None and abs(delta) >= mid - 1e-9


@dataclass(frozen=True)
class Algorithm:
    id: str          # e.g. "sf36v1-ware1993-norms1990", "rand36-1.0"
    name: str        # e.g. "SF-36 v1 standard scoring (Ware 1993), 1990 US norms"
    version: str     # e.g. "1990 norms", "1.0"


@dataclass(frozen=True)
class ScaleScore:
    code: str                       # one of SF36_SCALES
    score: Measure                  # 0–100 under the study's primary scoring
    t_score: Measure                # norm-based T-score (SF-36 v1 scoring)
    not_computable: str | None = None   # reason code when score.now is None


@dataclass(frozen=True)
class Sf36Block:
    primary_scoring: str            # "sf36" (default) or "rand"
    primary: Algorithm
    secondary: Algorithm
    scales: tuple[ScaleScore, ...]
    pcs: Measure
    mcs: Measure
    instrument_version: str = "RAND-36 1.0"

    def __post_init__(self) -> None:
        if self.primary_scoring not in ("sf36", "rand"):
            raise ValueError(f"unknown primary scoring {self.primary_scoring!r}")


@dataclass(frozen=True)
class SymptomRow:
    item_id: str                    # C1 … S8
    now: int | None
    baseline: int | None = None
    category: str | None = None     # CSC_CATEGORIES, None at baseline or when not computable

    def __post_init__(self) -> None:
        if self.category is not None and self.category not in CSC_CATEGORIES:
            raise ValueError(f"unknown symptom category {self.category!r}")


@dataclass(frozen=True)
class CscBlock:
    instrument_id: str
    version: str
    symptoms: tuple[SymptomRow, ...]
    rss: Measure
    tsb: Measure
    nmod: Measure
    responder: bool | None = None   # exploratory; None when not assessable (e.g. baseline)


@dataclass(frozen=True)
class ScoreRow:
    """One score of an instrument laid out as a plain score table (registry layout "scores")."""
    key: str
    label: str                      # in the report language
    measure: Measure
    unit: str | None = None
    mid: float | None = None        # minimal important difference (None: no ▲/▼ marks)
    higher_is_better: bool | None = None
    integer: bool = False           # a count: printed without decimals


@dataclass(frozen=True)
class ScoresBlock:
    """An instrument without a dedicated block: its registry scores, now / baseline / previous."""
    instrument_id: str
    title: str                      # in the report language
    version: str
    rows: tuple[ScoreRow, ...]
    note: str = ""                  # e.g. the credit line of the instrument


@dataclass(frozen=True)
class Alert:
    level: str                      # "red" | "amber"
    kind: str                       # ALERT_KINDS
    item_id: str                    # A1…A7 for warning signs, C1…C4 for core symptoms
    previous: int | None = None     # for core_worsened
    now: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)   # stored params
    acknowledged_by: str | None = None      # the stored staff alert's acknowledgement
    acknowledged_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.level not in ALERT_LEVELS:
            raise ValueError(f"unknown alert level {self.level!r}")
        if self.kind not in ALERT_KINDS:
            raise ValueError(f"unknown alert kind {self.kind!r}")


@dataclass(frozen=True)
class LabValue:
    analyte: str                    # bilirubin, albumin, inr, creatinine, sodium, afp, alt, ast, platelets
    value: float
    unit: str                       # as entered, e.g. "umol/L"
    sample_date: date | None


@dataclass(frozen=True)
class CalcScore:
    value: float
    formula_id: str                 # CTP-Pugh1973-INR, MELD-UNOS-2002, MELD-Na-OPTN-2016, MELD-3.0-OPTN-2023
    grade: str | None = None        # Child-Pugh class "A" | "B" | "C"
    uncapped: float | None = None   # MELD 3.0 before the OPTN cap at 40


@dataclass(frozen=True)
class Imaging:
    liver_size_cm: float | None = None
    portal_vein_mm: float | None = None
    spleen_size_cm: float | None = None
    new_lesion: str | None = None   # "yes" | "no" | "not_done"
    exam_date: date | None = None
    note: str | None = None         # stored imaging text that is not in key=value form


@dataclass(frozen=True)
class VitalStatus:
    status: str                     # "alive" | "died"
    date_of_death: date | None = None


@dataclass(frozen=True)
class ClinicianBlock:
    labs: tuple[LabValue, ...] = ()
    dialysis: bool | None = None
    ascites: str | None = None          # "none" | "slight" | "moderate"
    encephalopathy: str | None = None   # "none" | "grade1-2" | "grade3-4"
    clinician_symptoms: tuple[tuple[str, int], ...] = ()   # (appetite|debilitation|distension|edema, 0–3)
    child_pugh: CalcScore | None = None
    meld: CalcScore | None = None
    meld_na: CalcScore | None = None
    meld3: CalcScore | None = None
    imaging: Imaging | None = None
    vital_status: VitalStatus | None = None
    not_computed: tuple[tuple[str, str], ...] = ()   # (score name, reason), e.g. ("meld", "inr missing")


@dataclass(frozen=True)
class TrendPoint:
    visit_code: str
    value: float | None


@dataclass(frozen=True)
class TrendSeries:
    key: str                        # pcs, mcs, rss, tsb, meld, child_pugh
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class Trends:
    visit_codes: tuple[str, ...]    # the study schedule, in order: the fixed x axis of every chart
    series: tuple[TrendSeries, ...]
    # the axis' names of the visits in the report language (forms.schedule.visit_label, short),
    # same order as visit_codes; empty: the codes are shown
    visit_labels: tuple[str, ...] = ()

    def get(self, key: str) -> TrendSeries | None:
        return next((s for s in self.series if s.key == key), None)

    def axis_label(self, index: int) -> str:
        """The name printed under the ``index``-th visit of the x axis."""
        if index < len(self.visit_labels) and self.visit_labels[index]:
            return self.visit_labels[index]
        return self.visit_codes[index]


@dataclass(frozen=True)
class SkippedItem:
    instrument_id: str
    item_id: str
    item_text: str
    reason: str                     # SKIP_REASONS code (other text is printed as given)


@dataclass(frozen=True)
class NotComputable:
    instrument_id: str
    scale: str
    reason: str                     # e.g. "too_few_items"
    detail: str | None = None       # e.g. "4 of 10 items answered, 5 needed"


@dataclass(frozen=True)
class NotDoneQuestionnaire:
    """A questionnaire of the visit recorded not done (``forms.not_done``)."""
    instrument_id: str
    reason: str                     # forms.not_done.REASONS code
    text: str = ""                  # the staff's words, as entered


@dataclass(frozen=True)
class MissingData:
    skipped: tuple[SkippedItem, ...] = ()
    not_computable: tuple[NotComputable, ...] = ()
    not_done: tuple[NotDoneQuestionnaire, ...] = ()


@dataclass(frozen=True)
class Signature:
    signed_by: str                  # printed full name of the signer (Part 11 §11.50)
    meaning: str                    # code ("review", "approval", "responsibility") or text
    signed_at: datetime             # aware UTC
    audit_head: str | None = None   # audit hash-chain head at signing (short form is printed)
    invalidated_reason: str | None = None   # set on an invalidated (superseded) signature

    def __post_init__(self) -> None:
        _require_aware(self.signed_at, "signed_at")


@dataclass(frozen=True)
class AppendixItem:
    label: str                      # number shown to the patient ("3", "C1")
    text: str                       # item text in the language shown
    answer: str | None              # the patient's ORIGINAL option label (None: skipped / n.a.)
    status: str = "answered"        # original status: "answered" | "skipped" | "not_applicable"
    stem: str | None = None         # grid stem shown above the item, printed once per group
    code: int | None = None
    skip_reason: str | None = None  # SKIP_REASONS code when the patient skipped the item
    # each later correction: (the value it set, as printed; its reason as stored)
    corrections: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AppendixSection:
    instrument_id: str
    instrument_name: str
    version: str
    language: str                   # language shown to the patient
    items: tuple[AppendixItem, ...]
    submitted_at: datetime | None = None
    text_version: str = ""          # the exact text shown: "<id> · sha256 <12 hex>"

    def __post_init__(self) -> None:
        _require_aware(self.submitted_at, "submitted_at")


@dataclass(frozen=True)
class VisitSummary:
    study: str
    site: str
    subject_id: str
    initials: str
    arm: str
    visit_code: str
    visit_date: date
    study_day: int | None
    window_status: str              # in_window | early | late | out_of_window | unscheduled
    generated_at: datetime          # aware
    app_version: str
    report_language: str = "en"
    full_name: str | None = None
    show_full_name: bool = False    # study setting; the name prints only when True
    is_baseline: bool = False
    sf36: Sf36Block | None = None   # None = no SF-36 submitted at this visit
    csc: CscBlock | None = None     # None = no CSC submitted at this visit
    scores: tuple[ScoresBlock, ...] = ()   # other instruments submitted at this visit
    alerts: tuple[Alert, ...] = ()
    clinician: ClinicianBlock | None = None
    trends: Trends | None = None
    missing: MissingData = field(default_factory=MissingData)
    signature: Signature | None = None
    # Re-signature required: the data changed after signing (storage invalidated the signature,
    # or the signed content hash no longer matches). ``invalidated_signature`` is the last
    # signature that no longer covers the data (printed with its reason).
    resign_required: bool = False
    invalidated_signature: Signature | None = None
    appendix: tuple[AppendixSection, ...] = ()
    mid: MidSettings = field(default_factory=MidSettings)
    display_tz: str | None = None   # IANA zone for printed times (None = this computer's zone)
    data_as_of: datetime | None = None   # a signed visit: its signature time, no later data
    outcomes: tuple[tuple[str, str], ...] = ()   # the visit's outcome records: (form, values)
    visit_label: str = ""           # the protocol's name of the visit in the report language

    def __post_init__(self) -> None:
        _require_aware(self.generated_at, "generated_at")
        if self.report_language not in REPORT_LANGUAGES:
            raise ValueError(f"report language must be one of {REPORT_LANGUAGES}")
        if not self.subject_id.strip():
            raise ValueError("subject_id is required")

    @property
    def visit_name(self) -> str:
        """The visit as printed for people: its label ("Week 12", "第12周"), else its code."""
        return self.visit_label or self.visit_code

    @property
    def printed_name(self) -> str | None:
        """The full name, only when the study setting allows printing it."""
        return self.full_name if (self.show_full_name and self.full_name) else None
