"""The clinician assessment of a visit: entered and corrected by staff (reason required).

The derived liver scores are never taken from the caller: every save derives them from the
stored inputs with ``forms.liver.derive_liver_scores`` and stores ``LiverScores.derived()``
(score, class, unrounded value and formula id per score, or the missing inputs).

Imaging and vital status arrive as typed values (checked by ``forms.clinical_fields``) and are
kept, until the typed outcome tables of issue 15 exist, as canonical JSON in the existing text
columns: ``imaging`` = ``{"liver_size_cm": 13.5, "new_lesion_hcc": "no", ...}`` (sorted keys),
``vital_status`` = ``["died", "2026-12-02"]`` / ``["alive", null]`` (the column holds 32
characters). :func:`clinical_assessment` returns them typed again; rows written before this
(``liver_size_cm=13.5; …``, ``died 2026-12-02``) are read by :func:`read_imaging` and
:func:`read_vital_status` here and nowhere else.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import calculators
from forms.clinical_fields import FieldProblem, VitalStatus, check_imaging, check_vital_status
from forms.errors import UserError
from forms.liver import LIVER_LABS, LiverInputs, age_on, derive_liver_scores
from forms.labs import lab_value
from forms import schedule as sched
from forms.liver import stored_score
from forms.outcomes import child_pugh_rise_finding
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.services.patients import local_today
from storage.db import Database
from storage.errors import ConflictError
from storage.models import Alert, ClinicalAssessment, Patient, Visit
from storage.services._tx import get, require_reason, tx
from storage.services.alerts import raise_form_alerts
from storage.services.locks import refuse_if_locked
from storage.services.protocol_store import patient_protocol
from storage.services.signing import invalidate_signatures

LABS = LIVER_LABS   # symptoms.md §4: five core labs feed the scores; AFP, ALT, AST, platelets not


def _labs(raw: dict[str, Any]) -> dict[str, Any]:
    labs = {}
    for key, entry in (raw or {}).items():
        if key not in LABS:
            raise UserError(f"Unknown lab {key!r} (use {', '.join(LABS)}).")
        if entry is None or entry.get("value") in (None, ""):
            continue
        lv = lab_value(key, entry["value"], entry.get("unit"))   # plausibility + unit checks
        labs[key] = {"value": lv.raw, "unit": lv.raw_unit, "canonical": str(lv.canonical),
                     "canonical_unit": lv.unit}
    return labs


def _dialysis(value: object) -> bool | None:
    """True/False, or None when the caller did not record it (never guessed from text)."""
    if value is None or isinstance(value, bool):
        return value
    raise UserError("Dialysis must be yes or no (true/false).")


def _variant(data: dict[str, Any]) -> str:
    raw = data.get("child_pugh_variant", data.get("variant"))
    try:
        return calculators.parse_variant(raw)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _refuse(problems: tuple[FieldProblem, ...]) -> None:
    if problems:
        p = problems[0]
        rng = f" (plausible range {p.low}–{p.high})" if p.low else ""
        raise UserError(f"{p.field.replace('_', ' ')} {p.value or '(missing)'}: "
                        f"{p.kind.replace('_', ' ')}{rng}.")


def _imaging_text(data: dict[str, Any]) -> str | None:
    raw = data.get("imaging")
    if raw is not None and not isinstance(raw, dict):
        raise UserError("Imaging must be given as typed fields, not as text.")
    img, problems = check_imaging(raw)
    _refuse(problems)
    return json.dumps(img, sort_keys=True, separators=(",", ":")) if img else None


def _vital_text(data: dict[str, Any]) -> str | None:
    vital, problems = check_vital_status(data.get("vital_status"), data.get("death_date"),
                                         today=local_today())
    _refuse(problems)
    if vital is None:
        return None
    death = vital.death_date.isoformat() if vital.death_date else None
    return json.dumps([vital.status, death], separators=(",", ":"))


def read_imaging(text: str | None) -> dict[str, Any]:
    """The stored imaging as typed values ({} when none). Rows before the JSON form held
    ``key=value; …`` text; anything else old is returned as ``{"note": text}``."""
    if not text:
        return {}
    if text.startswith("{"):
        return json.loads(text)
    pairs = dict((k, v.strip()) for k, v in re.findall(r"(\w+)\s*=\s*([^;]*)", text))
    img, problems = check_imaging(pairs)
    return {"note": text} if problems or not pairs else img


def read_vital_status(text: str | None) -> VitalStatus | None:
    """The stored vital status; also reads the old plain "alive" / "died [YYYY-MM-DD]" text."""
    if not text:
        return None
    if text.startswith("["):
        status, death = json.loads(text)
        return VitalStatus(status, date.fromisoformat(death) if death else None)
    m = re.fullmatch(r"died(?:\s+(\d{4}-\d{2}-\d{2}))?", text.strip())
    if m:
        return VitalStatus("died", date.fromisoformat(m.group(1)) if m.group(1) else None)
    return VitalStatus(text.strip())


def enter_clinical_assessment(db: Database, actor: Actor, visit_id: int,
                              data: dict[str, Any]) -> int:
    """Create or (with ``data["reason"]``) correct the clinician assessment of a visit.

    ``data``: sample_date, labs {name: {"value", "unit"}} (``LABS``: the five core labs and the
    optional afp, alt, ast, platelets), ascites, encephalopathy, symptom_grades,
    imaging {liver_size_cm, portal_vein_mm, spleen_size_cm: number, new_lesion_hcc: code},
    vital_status ("alive" | "died") with death_date (date or ISO text; required when died),
    dialysis (True/False; None = not recorded), child_pugh_variant ("standard" default | "pbc";
    ``variant`` is accepted as an alias), expected_version, reason. A ``derived`` sent by the
    caller is ignored: the scores are derived here from the stored inputs.
    """
    labs = _labs(data.get("labs") or {})
    sample = data.get("sample_date")
    if labs and not isinstance(sample, date):
        raise UserError("Labs need their sample date.")
    for key in ("ascites", "encephalopathy"):
        if data.get(key):
            data = {**data, key: getattr(calculators, f"parse_{key}")(data[key])}
    fields = {"sample_date": sample, "labs": labs, "dialysis": _dialysis(data.get("dialysis")),
              "child_pugh_variant": _variant(data),
              "ascites": data.get("ascites") or None,
              "encephalopathy": data.get("encephalopathy") or None,
              "symptom_grades": dict(data.get("symptom_grades") or {}),
              "imaging": _imaging_text(data), "vital_status": _vital_text(data)}
    with tx(db, actor, "clinical.enter", permission="enter_clinical_assessment") as s:
        visit = get(s, Visit, visit_id, "Visit")
        patient = get(s, Patient, visit.patient_id, "Patient")
        ctx = audit.context(s)
        ctx.patient_id = patient.id
        refuse_if_locked(s, visit)
        scores = derive_liver_scores(LiverInputs(
            labs=labs, ascites=fields["ascites"], encephalopathy=fields["encephalopathy"],
            sex=patient.sex, age=age_on(patient.birth_year, sample or local_today()),
            dialysis=fields["dialysis"], variant=fields["child_pugh_variant"]))
        fields["derived"] = scores.derived()
        ca = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == visit_id))
        if ca is None:
            ca = ClinicalAssessment(visit_id=visit_id, entered_by=actor.user_id,
                                    entered_at=utcnow(), **fields)
            s.add(ca)
        else:
            ctx.reason = require_reason(data.get("reason"), "A reason for the change")
            ctx.action = "clinical.correct"
            exp = data.get("expected_version")
            if exp is not None and exp != ca.version_id:
                raise ConflictError("Someone else changed this assessment; reload.")
            for k, v in fields.items():
                setattr(ca, k, v)
            if s.is_modified(ca):
                invalidate_signatures(s, visit, f"clinical assessment corrected: {ctx.reason}")
        s.flush()
        _raise_child_pugh_rise(s, visit, ca)
        return ca.id


def _cp(derived: dict[str, Any] | None) -> int | None:
    entry = stored_score(derived, "child_pugh")
    return None if entry is None or entry["score"] is None else int(entry["score"])


def _raise_child_pugh_rise(s: Session, visit: Visit, ca: ClinicalAssessment) -> None:
    """A Child-Pugh rise of >= 2 points from the baseline assessment raises one staff alert per
    visit (``forms.outcomes.child_pugh_rise_finding``; storage decides, never a screen)."""
    codes = sched.baseline_codes(patient_protocol(s, visit.patient_id))
    if visit.code in codes:
        return
    base = s.scalar(select(ClinicalAssessment.derived)
                    .join(Visit, Visit.id == ClinicalAssessment.visit_id)
                    .where(Visit.patient_id == visit.patient_id, Visit.code.in_(codes))
                    .order_by(Visit.sequence).limit(1))
    finding = child_pugh_rise_finding(_cp(base), _cp(ca.derived))
    if finding is None or s.scalar(select(Alert.id).where(
            Alert.visit_id == visit.id, Alert.reason == finding.reason)) is not None:
        return
    raise_form_alerts(s, patient_id=visit.patient_id, visit_id=visit.id, source="clinical",
                      form="clinician", findings=(finding,))


def clinical_assessment(db: Database, visit_id: int) -> dict[str, Any] | None:
    """The stored assessment; ``derived`` as stored (read it with ``forms.liver.stored_score``),
    ``imaging`` a dict, ``vital_status`` the code and ``death_date`` its date."""
    with db.read_session() as s:
        ca = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == visit_id))
        if ca is None:
            return None
        vital = read_vital_status(ca.vital_status)
        return {"id": ca.id, "visit_id": ca.visit_id, "sample_date": ca.sample_date,
                "labs": ca.labs, "ascites": ca.ascites, "encephalopathy": ca.encephalopathy,
                "symptom_grades": ca.symptom_grades, "imaging": read_imaging(ca.imaging),
                "vital_status": vital.status if vital else None,
                "death_date": vital.death_date if vital else None, "derived": ca.derived,
                "dialysis": ca.dialysis, "child_pugh_variant": ca.child_pugh_variant,
                "entered_by": ca.entered_by, "entered_at": ca.entered_at,
                "version": ca.version_id}
