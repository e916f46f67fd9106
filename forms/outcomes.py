"""Typed outcome forms entered by staff (protocol.md §5, issue 15) — standard library only.

Each form is data: its fields (type, unit, plausible range, codes with en/zh_CN labels, when it is
required) and its cross-field rules. :func:`check_outcome` is the ONE check: the nurse screen calls
it for live messages, storage calls it on save and stores only its canonical result (dates as ISO
text, numbers as JSON numbers in the field's unit, codes). Nothing is free text to be parsed
later; the few text fields (AE term, cause of death, lot, reactions) are descriptions, never read
by a rule. :func:`outcome_findings` is the alert rule (death, SAE, grade ≥ 3 AE, new HCC);
:func:`child_pugh_rise_finding` the Child-Pugh rise of ≥ 2 points from baseline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from forms.alerts import (AE_GRADE_3PLUS, AMBER, CHILD_PUGH_RISE, DEATH, NEW_HCC, RED,
                          SERIOUS_AE, AlertFinding)
from forms import schedule as sched
from forms.outcome_defs import FORMS, FieldDef, OutcomeForm, choice_label, field_label
from forms.protocol import Protocol

__all__ = ["FORMS", "FieldDef", "OutcomeForm", "OutcomeProblem", "check_outcome", "describe_outcome",
           "kind_of_fields",
           "child_pugh_rise_finding", "choice_label", "event_date", "field_label",
           "forms_for_visit", "outcome_findings", "visit_outcome_kinds", "problem_message",
           "CHILD_PUGH_RISE_POINTS"]

CHILD_PUGH_RISE_POINTS = 2
#: the protocol's staff form id (forms.protocol_check.STAFF_FORMS) -> outcome kinds it shows
STAFF_FORM_KINDS = {"imaging": ("imaging",), "hcc": ("hcc",), "vital_status": ("vital_status",),
                    "adverse_events": ("adverse_event",), "dose": ("infusion",)}


@dataclass(frozen=True)
class OutcomeProblem:
    field: str
    kind: str          # required | invalid | not_a_number | out_of_range | invalid_date |
    #                    invalid_time | future | before_consent | before | not_allowed | unknown
    value: str = ""
    other: str = ""    # the other field of an order rule, or "low–high" of a range


_MESSAGES = {
    "required": {"en": "{field}: required.", "zh_CN": "{field}：必填。"},
    "invalid": {"en": "{field}: {value} is not one of the choices.",
                "zh_CN": "{field}：{value} 不是可选项。"},
    "not_a_number": {"en": "{field}: {value} is not a number.", "zh_CN": "{field}：{value} 不是数字。"},
    "out_of_range": {"en": "{field}: {value} is outside the plausible range {other}.",
                     "zh_CN": "{field}：{value} 超出合理范围 {other}。"},
    "invalid_date": {"en": "{field}: {value} is not a date (YYYY-MM-DD).",
                     "zh_CN": "{field}：{value} 不是日期（YYYY-MM-DD）。"},
    "invalid_time": {"en": "{field}: {value} is not a time (HH:MM).",
                     "zh_CN": "{field}：{value} 不是时间（HH:MM）。"},
    "future": {"en": "{field}: {value} is in the future.", "zh_CN": "{field}：{value} 晚于今天。"},
    "before_consent": {"en": "{field}: {value} is before the patient's consent ({other}).",
                       "zh_CN": "{field}：{value} 早于患者知情同意日期（{other}）。"},
    "before": {"en": "{field}: {value} is before {other}.", "zh_CN": "{field}：{value} 早于{other}。"},
    "not_allowed": {"en": "{field}: leave empty for this answer.",
                    "zh_CN": "{field}：此情况下请留空。"},
    "unknown": {"en": "{field}: not a field of this form.", "zh_CN": "{field}：不是本表的字段。"},
}


def problem_message(kind: str, problem: OutcomeProblem, lang: str) -> str:
    """One problem in the reader's language (field names and codes as labels, never ids)."""
    form = FORMS[kind]
    names = {f.key: f for f in form.fields}
    fdef = names.get(problem.field)
    label = field_label(fdef, lang) if fdef else problem.field
    value = problem.value
    if fdef is not None and fdef.choices and value in fdef.choices:
        value = choice_label(fdef, value, lang)
    other = problem.other
    if problem.kind == "before" and other in names:
        other = field_label(names[other], lang)
    text = _MESSAGES[problem.kind]
    return (text.get(lang) or text["en"]).format(field=label, value=value, other=other)


def _number(fdef: FieldDef, value: Any) -> tuple[Any, OutcomeProblem | None]:
    if isinstance(value, bool):
        return None, OutcomeProblem(fdef.key, "not_a_number", str(value))
    text = str(value).strip().replace(",", ".")
    try:
        num = Decimal(text)
    except InvalidOperation:
        return None, OutcomeProblem(fdef.key, "not_a_number", text)
    if not num.is_finite() or (fdef.type == "integer" and num != num.to_integral_value()):
        return None, OutcomeProblem(fdef.key, "not_a_number", text)
    if not (fdef.low is None or fdef.low <= num) or not (fdef.high is None or num <= fdef.high):
        return None, OutcomeProblem(fdef.key, "out_of_range", text, f"{fdef.low}\u2013{fdef.high}")
    return (int(num) if num == num.to_integral_value() else float(num)), None


def _one(fdef: FieldDef, value: Any, consent: date | None, today: date | None
         ) -> tuple[Any, OutcomeProblem | None]:
    if fdef.type in ("number", "integer"):
        return _number(fdef, value)
    if fdef.type == "choice":
        v = str(value)
        return (v, None) if v in fdef.choices else (None, OutcomeProblem(fdef.key, "invalid", v))
    if fdef.type == "choices":
        vals = [value] if isinstance(value, str) else list(value)
        bad = [str(v) for v in vals if v not in fdef.choices]
        if bad:
            return None, OutcomeProblem(fdef.key, "invalid", bad[0])
        return [c for c in fdef.choices if c in vals], None       # canonical order, no repeats
    if fdef.type == "date":
        try:
            d = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        except ValueError:
            return None, OutcomeProblem(fdef.key, "invalid_date", str(value))
        if today is not None and d > today:
            return None, OutcomeProblem(fdef.key, "future", d.isoformat())
        if consent is not None and d < consent:
            return None, OutcomeProblem(fdef.key, "before_consent", d.isoformat(),
                                        consent.isoformat())
        return d.isoformat(), None
    if fdef.type == "time":
        try:
            t = value if isinstance(value, time) else time.fromisoformat(str(value).strip())
        except ValueError:
            return None, OutcomeProblem(fdef.key, "invalid_time", str(value))
        return t.strftime("%H:%M"), None
    text = " ".join(str(value).split())                        # "text": one line, bounded
    if len(text) > fdef.max_len:
        return None, OutcomeProblem(fdef.key, "out_of_range", text[:20] + "…",
                                    f"\u2264 {fdef.max_len}")
    return text, None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, (list, tuple)) and not value)


def check_outcome(kind: str, raw: Mapping[str, Any], *, consent_date: date | None = None,
                  today: date | None = None) -> tuple[dict[str, Any], tuple[OutcomeProblem, ...]]:
    """(canonical fields, problems) of one outcome form. Empty values are left out; dates must
    lie between the patient's consent and ``today``; the form's conditions and orders apply."""
    form = FORMS[kind]
    out: dict[str, Any] = {}
    problems: list[OutcomeProblem] = []
    known = {f.key for f in form.fields}
    problems += [OutcomeProblem(k, "unknown") for k in raw if k not in known]
    for fdef in form.fields:
        value = raw.get(fdef.key)
        if _empty(value):
            continue
        canon, problem = _one(fdef, value, consent_date, today)
        if problem is not None:
            problems.append(problem)
        else:
            out[fdef.key] = canon
    bad = {p.field for p in problems}
    for fdef in form.fields:
        needed = fdef.required if fdef.when is None else _holds(fdef.when, out)
        if fdef.key in bad:
            continue
        if needed and fdef.key not in out and (fdef.when is None or fdef.when[0] not in bad):
            problems.append(OutcomeProblem(fdef.key, "required"))
        elif fdef.when is not None and fdef.key in out and not needed and fdef.only_when:
            problems.append(OutcomeProblem(fdef.key, "not_allowed", str(out[fdef.key])))
    for later, earlier in form.order:
        if later in out and earlier in out and out[later] < out[earlier]:
            problems.append(OutcomeProblem(later, "before", str(out[later]), earlier))
    problems += _rules(kind, out)
    return out, tuple(problems)


def _holds(when: tuple[str, tuple[str, ...]], out: Mapping[str, Any]) -> bool:
    key, values = when
    v = out.get(key)
    if isinstance(v, list):
        return any(x in values for x in v)
    return v in values


def _rules(kind: str, out: Mapping[str, Any]) -> list[OutcomeProblem]:
    """Rules beyond 'required when' and 'not before' (AE grade 5 is a fatal outcome)."""
    if kind == "adverse_event" and "grade" in out and "outcome" in out:
        if (out["grade"] == 5) != (out["outcome"] == "fatal"):
            return [OutcomeProblem("outcome", "invalid", str(out["outcome"]))]
    return []


def describe_outcome(kind: str, fields: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(form label, "Field: value · …") of a stored record in ``lang``: codes as their labels,
    numbers with units (the visit summary and the nurse screens print the same words)."""
    form = FORMS[kind]
    parts = []
    for f in form.fields:
        v = fields.get(f.key)
        if v in (None, "", []):
            continue
        vs = v if isinstance(v, list) else [v]
        shown = ", ".join(choice_label(f, str(x), lang) if f.choices else str(x) for x in vs)
        parts.append(f"{field_label(f, lang)}: {shown}")
    return form.label.get(lang) or form.label["en"], " \u00b7 ".join(parts)


def kind_of_fields(keys: Any) -> str | None:
    """The outcome form whose fields hold all of ``keys`` (an audit row's stored values carry
    no kind), or None."""
    keys = set(keys)
    return next((k for k, f in FORMS.items() if keys and keys <= {x.key for x in f.fields}),
                None)


def event_date(kind: str, fields: Mapping[str, Any]) -> date | None:
    """The date a record speaks for (its form's ``date_field``): orders records and decides
    whether a visit summary printed as of a day shows it."""
    text = fields.get(FORMS[kind].date_field)
    return date.fromisoformat(text) if text else None


def forms_for_visit(staff_forms: tuple[str, ...], visit_kind: str) -> tuple[str, ...]:
    """The outcome kinds a visit shows: from the protocol's ``staff_forms`` of the visit, plus
    the early-termination form at an early-termination visit."""
    kinds = [k for sf in staff_forms for k in STAFF_FORM_KINDS.get(sf, ())]
    if visit_kind == "early_termination":
        kinds.append("early_termination")
    return tuple(dict.fromkeys(kinds))


def visit_outcome_kinds(protocol: Protocol, visit_code: str) -> tuple[str, ...]:
    """The outcome kinds of a visit of ``protocol`` (``UNS2`` is the protocol's unscheduled
    visit); ``()`` for a code the protocol does not know."""
    vdef = next((v for v in protocol.visits if v.id == visit_code), None)
    if vdef is None:
        kind = sched.visit_kind(protocol, visit_code)
        vdef = next(iter(protocol.visits_of_kind(kind)), None) if kind else None
    return forms_for_visit(vdef.staff_forms, vdef.kind) if vdef is not None else ()


def outcome_findings(kind: str, fields: Mapping[str, Any],
                     before: Mapping[str, Any] | None = None) -> tuple[AlertFinding, ...]:
    """Alerts a saved record raises: a death, an SAE, an AE of grade ≥ 3, a new HCC diagnosis.
    ``before``: the record's previous values (a correction raises only what is new)."""
    now = _findings(kind, fields)
    old = {(f.reason, f.item_id) for f in _findings(kind, before)} if before else set()
    return tuple(f for f in now if (f.reason, f.item_id) not in old)


def _findings(kind: str, f: Mapping[str, Any]) -> list[AlertFinding]:
    out: list[AlertFinding] = []
    if kind == "vital_status" and f.get("status") == "dead":
        out.append(AlertFinding(RED, DEATH, "death_date",
                                {"date": f.get("death_date", "")}))
    if kind == "adverse_event":
        if f.get("serious") == "yes":
            out.append(AlertFinding(RED, SERIOUS_AE, "serious",
                                    {"term": f.get("term", ""), "onset": f.get("onset", ""),
                                     "criteria": ", ".join(f.get("serious_criteria", []))}))
        if int(f.get("grade") or 0) >= 3:
            out.append(AlertFinding(RED, AE_GRADE_3PLUS, "grade",
                                    {"term": f.get("term", ""), "grade": int(f["grade"]),
                                     "onset": f.get("onset", "")}))
    if kind == "hcc" and f.get("hcc_diagnosis") == "yes":
        out.append(AlertFinding(RED, NEW_HCC, "hcc_diagnosis",
                                {"date": f.get("diagnosis_date", ""),
                                 "basis": ", ".join(f.get("basis", []))}))
    return out


def child_pugh_rise_finding(baseline: int | None, now: int | None) -> AlertFinding | None:
    """A rise of ≥ 2 Child-Pugh points from baseline (both scores known)."""
    if baseline is None or now is None or now - baseline < CHILD_PUGH_RISE_POINTS:
        return None
    return AlertFinding(AMBER, CHILD_PUGH_RISE, "child_pugh",
                        {"baseline": int(baseline), "now": int(now)})
