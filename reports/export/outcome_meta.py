"""The outcome forms (``forms.outcome_defs``) and the subject disposition as export variables,
for the formats that need metadata up front (REDCap, ODM), and where each record goes.

Every field, type, unit, range, code and en/zh_CN label comes from ``forms.outcome_defs.FORMS``;
this module only names them (``<prefix>_<field>``, prefix per form, ≤ 26 characters) and adds
two variables per record: the ePRO Desk record id and the visit it was entered at. The infusion
record's ``arm`` is coded with the protocol's arms. The disposition variables (``ds_…``) are the
columns of ``subjects.csv`` (``reports.outcome_report.dataset``), derived there once.

Placement (``home_visits``): a record entered at a visit belongs to that visit's event; a record
entered without a visit belongs to the protocol visit the app makes no visit of whose staff forms
hold its form (the screening imaging to ``SCR``, the infusion to ``D1``), else to no visit (the
formats' log / common event).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Sequence

from forms.outcome_defs import FORMS, TERMINATION, VITAL, YES_NO, FieldDef
from forms.outcomes import forms_for_visit
from forms.protocol import Arm, Protocol
from forms.screening import ELIGIBLE, INELIGIBLE, UNDETERMINED

L = Mapping[str, str]
#: outcome form kind -> variable prefix (a form not listed uses its kind)
PREFIX = {"imaging": "im", "hcc": "hcc", "vital_status": "vs", "early_termination": "et",
          "adverse_event": "ae", "infusion": "inf"}
REPEATING_KIND = "adverse_event"          # the one form kept as a repeating instrument / group
DISPOSITION_FORM = "disposition"


@dataclass(frozen=True)
class OutcomeVar:
    """One exported variable of an outcome form (``key``: the stored field, or ``record`` /
    ``visit``) or of the disposition (``key``: the ``subjects.csv`` column)."""
    form: str
    key: str
    name: str
    type: str                          # date | time | number | integer | choice | choices | text
    label: L
    unit: str = ""                     # a measurement unit (numbers only)
    codes: tuple[tuple[str, L], ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    identifier: bool = False           # dates: identifying (REDCap "y")
    when: tuple[str, tuple[str, ...]] | None = None   # shown only when (var name, codes)
    long_text: bool = False
    required: bool = False

    def text(self, lang: str) -> str:
        t = self.label.get(lang) or self.label["en"]
        return f"{t} ({self.unit})" if self.unit else t


def _l(en: str, zh: str) -> L:
    return {"en": en, "zh_CN": zh}


def var_name(kind: str, key: str) -> str:
    return f"{PREFIX.get(kind, kind)}_{key}"


def _arm_codes(arms: Sequence[Arm]) -> tuple[tuple[str, L], ...]:
    return tuple((a.id, dict(a.label)) for a in arms)


def _field_var(kind: str, f: FieldDef, arms: Sequence[Arm]) -> OutcomeVar:
    codes = tuple((c, (f.choice_labels or {}).get(c) or _l(c, c)) for c in f.choices)
    if f.value_labels:                               # a coded integer scale (CTCAE grade)
        codes = tuple(f.value_labels.items())
    typ = f.type
    if f.key == "arm" and kind == "infusion":        # the protocol arm's dose (storage fills it)
        codes, typ = _arm_codes(arms), "choice"
    when = None
    if f.when is not None and f.only_when:
        when = (var_name(kind, f.when[0]), f.when[1])
    return OutcomeVar(kind, f.key, var_name(kind, f.key), typ, dict(f.label),
                      unit=f.unit if typ == "number" else "", codes=codes, low=f.low,
                      high=f.high, identifier=typ == "date", when=when,
                      long_text=typ == "text" and f.max_len > 200, required=f.required)


def record_vars(kind: str) -> tuple[OutcomeVar, OutcomeVar]:
    return (OutcomeVar(kind, "record", var_name(kind, "record"), "integer",
                       _l("ePRO Desk record id", "ePRO Desk 记录编号")),
            OutcomeVar(kind, "visit", var_name(kind, "visit"), "text",
                       _l("Visit the record was entered at", "录入所在访视")))


def outcome_vars(kind: str, arms: Sequence[Arm] = ()) -> tuple[OutcomeVar, ...]:
    """The variables of one outcome form: record id, visit, then one per form field."""
    return record_vars(kind) + tuple(_field_var(kind, f, arms) for f in FORMS[kind].fields)


def _vital(key: str) -> FieldDef:
    return next(f for f in VITAL.fields if f.key == key)


_REASON = next(f for f in TERMINATION.fields if f.key == "reason")
DISPOSITIONS: tuple[tuple[str, L], ...] = (
    ("completed", _l("completed the 1-year visit", "完成 1 年访视")),
    ("terminated", _l("terminated early", "提前终止")),
    ("died", _l("died", "死亡")), ("ongoing", _l("ongoing", "进行中")))
_ELIGIBILITY = ((ELIGIBLE, _l("eligible", "符合入选")),
                (INELIGIBLE, _l("ineligible", "不符合入选")),
                (UNDETERMINED, _l("undetermined", "无法判定")))


def _ds(key: str, typ: str, label: L, **kw: Any) -> OutcomeVar:
    return OutcomeVar(DISPOSITION_FORM, key, f"ds_{key}", typ, label,
                      identifier=typ == "date", **kw)


def disposition_vars() -> tuple[OutcomeVar, ...]:
    """DM-like subject data (``subjects.csv`` columns), derived by the outcome dataset."""
    return (
        _ds("allocation_sequence", "integer", _l("Allocation sequence number", "随机序号"),
            low=Decimal(1)),
        _ds("eligibility_result", "choice", _l("Eligibility result", "入选评估结果"),
            codes=_ELIGIBILITY),
        _ds("eligibility_override", "choice",
            _l("Ineligible/undetermined enrolment overridden", "不符合/无法判定时经批准入组"),
            codes=tuple(YES_NO.items())),
        _ds("disposition", "choice", _l("Disposition", "受试者状态（转归）"), codes=DISPOSITIONS),
        _ds("termination_date", "date", _l("Early termination date", "提前终止日期")),
        _ds("termination_reason", "choice", _l("Early termination reason", "提前终止原因"),
            codes=tuple((c, (_REASON.choice_labels or {})[c]) for c in _REASON.choices)),
        _ds("death_date", "date", dict(_vital("death_date").label)),
        _ds("death_cause", "text", dict(_vital("death_cause").label)),
        _ds("last_known_alive", "date", dict(_vital("last_known_alive").label)),
        _ds("os_days", "integer", _l("Overall survival time from day 1 (censored at 365 days)",
                                     "总生存时间（自第 1 天起，365 天截尾）"),
            unit="days", low=Decimal(0), high=Decimal(365)),
        _ds("os_event", "choice", _l("Death within the survival time", "生存时间内死亡"),
            codes=(("1", _l("death", "死亡")), ("0", _l("censored", "截尾")))),
        _ds("hcc_date", "date", _l("First HCC diagnosis date", "首次诊断肝细胞癌日期")),
    )


def measurement_units() -> list[str]:
    """Units of the outcome numbers (cm, mm, ×10^6 cells …, the survival time's days), in form
    order."""
    out: dict[str, None] = {}
    for v in (*(v for kind in FORMS for v in outcome_vars(kind)), *disposition_vars()):
        if v.unit:
            out.setdefault(v.unit)
    return list(out)


def home_visits(protocol: Protocol, app_visits: Sequence[str]) -> dict[str, str]:
    """outcome kind -> the protocol visit a record entered without a visit belongs to: the
    first protocol visit the app makes no visit of (not in ``app_visits``, not early
    termination or unscheduled) whose staff forms hold the kind."""
    out: dict[str, str] = {}
    for v in protocol.visits:
        if v.id in app_visits or v.kind in ("early_termination", "unscheduled"):
            continue
        for kind in forms_for_visit(v.staff_forms, v.kind):
            out.setdefault(kind, v.id)
    return out


def value_text(v: OutcomeVar, value: Any) -> str | None:
    """A stored value as export text (None: empty); several codes are a list."""
    if value is None or value == "" or value == []:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if v.type == "date" else value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
