"""Corrections after submission and clinician assessments (staff, reason required)."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from forms import calculators
from forms.errors import UserError
from forms.labs import CORE_LABS, OPTIONAL_LABS, lab_value
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import Administration, Answer, ClinicalAssessment, Patient, Visit
from storage.services import scoring
from storage.services._tx import clean_text, get, require_reason, tx
from storage.services.administrations import apply_branching, instrument_for, validate_code
from storage.services.locks import refuse_if_locked
from storage.services.signing import invalidate_signatures

# symptoms.md §4: the core labs feed the scores; AFP, ALT, AST, platelets are optional, stored
# and audited the same way (one ``labs`` JSON column) and feed no score
LABS = CORE_LABS + OPTIONAL_LABS


def correct_answer(db: Database, actor: Actor, administration_id: int, item_id: str,
                   new_code: int, *, reason: str, expected_version: int | None = None) -> None:
    """Change a submitted answer: reason required, original kept in the audit trail, scores
    recomputed, and any signature of the visit invalidated (re-signature required)."""
    why = require_reason(reason)
    with tx(db, actor, "answer.correct", permission="correct_answer", reason=why) as s:
        adm = get(s, Administration, administration_id, "Administration")
        if adm.status != "submitted":
            raise ConflictError("Only submitted questionnaires are corrected; this one is "
                                f"{adm.status.replace('_', ' ')}.")
        visit = get(s, Visit, adm.visit_id, "Visit")
        from storage import audit
        audit.context(s).patient_id = visit.patient_id
        refuse_if_locked(s, visit)
        inst = instrument_for(db, adm.instrument_id)
        code = validate_code(inst, item_id, new_code)
        ans = s.scalar(select(Answer).where(Answer.administration_id == adm.id,
                                            Answer.item_id == item_id))
        if ans is None:
            raise UserError(f"Item {item_id} has no stored answer to correct.")
        if expected_version is not None and ans.version_id != expected_version:
            raise ConflictError("Someone else changed this answer in the meantime; reload.")
        if ans.status == "answered" and ans.code == code:
            return
        ans.status, ans.code, ans.skip_reason = "answered", code, None
        ans.change_count += 1
        ans.saved_at = utcnow()
        answers = {a.item_id: a for a in s.scalars(
            select(Answer).where(Answer.administration_id == adm.id))}
        apply_branching(s, adm, inst, visit, answers)   # a branch may open or close
        s.flush()
        scoring.store(s, adm)
        invalidate_signatures(s, visit, f"answer corrected: {why}")


def _derive(labs: dict[str, Any], data: dict[str, Any], patient: Patient,
            when: date) -> dict[str, Any]:
    """Scores from the stored fields: ``data`` carries ``dialysis`` (True/False/None = not
    recorded, derived as False) and ``child_pugh_variant``."""
    derived: dict[str, Any] = {}
    val = {k: (labs[k]["value"], labs[k].get("unit")) for k in labs}
    dialysis = data.get("dialysis") is True
    try:
        if all(k in val for k in ("bilirubin", "albumin", "inr")) and data.get("ascites") \
                and data.get("encephalopathy"):
            cp = calculators.child_pugh(
                val["bilirubin"][0], val["albumin"][0], val["inr"][0], data["ascites"],
                data["encephalopathy"], bilirubin_unit=val["bilirubin"][1],
                albumin_unit=val["albumin"][1],
                variant=data.get("child_pugh_variant") or "standard")
            derived["child_pugh"] = {"score": cp.score, "class": cp.child_class,
                                     "formula_id": cp.formula_id}
        if all(k in val for k in ("bilirubin", "inr", "creatinine")):
            m = calculators.meld(val["bilirubin"][0], val["inr"][0], val["creatinine"][0],
                                 dialysis=dialysis, bilirubin_unit=val["bilirubin"][1],
                                 creatinine_unit=val["creatinine"][1])
            derived["meld"] = {"score": m.score, "formula_id": m.formula_id}
            if "sodium" in val:
                mn = calculators.meld_na(val["bilirubin"][0], val["inr"][0],
                                         val["creatinine"][0], val["sodium"][0],
                                         dialysis=dialysis, bilirubin_unit=val["bilirubin"][1],
                                         creatinine_unit=val["creatinine"][1],
                                         sodium_unit=val["sodium"][1])
                derived["meld_na"] = {"score": mn.score, "formula_id": mn.formula_id}
                if "albumin" in val:
                    m3 = calculators.meld3(
                        val["bilirubin"][0], val["inr"][0], val["creatinine"][0],
                        val["sodium"][0], val["albumin"][0], female=patient.sex == "F",
                        age=when.year - patient.birth_year, dialysis=dialysis,
                        bilirubin_unit=val["bilirubin"][1],
                        creatinine_unit=val["creatinine"][1], albumin_unit=val["albumin"][1],
                        sodium_unit=val["sodium"][1])
                    derived["meld3"] = {"score": m3.score, "uncapped": m3.uncapped,
                                        "formula_id": m3.formula_id}
    except ValueError as exc:          # LabValueError is a UserError and a ValueError
        raise UserError(str(exc)) from None
    return derived


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


def enter_clinical_assessment(db: Database, actor: Actor, visit_id: int,
                              data: dict[str, Any]) -> int:
    """Create or (with ``data["reason"]``) correct the clinician assessment of a visit.

    ``data``: sample_date, labs {name: {"value", "unit"}} (``LABS``: the five core labs and the
    optional afp, alt, ast, platelets), ascites, encephalopathy,
    symptom_grades, imaging, vital_status, dialysis (True/False; None = not recorded),
    child_pugh_variant ("standard" default | "pbc"; ``variant`` is accepted as an alias),
    expected_version, reason. Dialysis and the variant are stored (audited per field) and
    used by the derived MELD family / Child-Pugh.
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
              "ascites": data.get("ascites"),
              "encephalopathy": data.get("encephalopathy"),
              "symptom_grades": dict(data.get("symptom_grades") or {}),
              "imaging": clean_text(data.get("imaging"), "Imaging", max_len=2000,
                                    multiline=True),
              "vital_status": clean_text(data.get("vital_status"), "Vital status", max_len=32)}
    with tx(db, actor, "clinical.enter", permission="enter_clinical_assessment") as s:
        visit = get(s, Visit, visit_id, "Visit")
        patient = get(s, Patient, visit.patient_id, "Patient")
        from storage import audit
        ctx = audit.context(s)
        ctx.patient_id = patient.id
        refuse_if_locked(s, visit)
        fields["derived"] = _derive(labs, fields, patient, sample or utcnow().date())
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
        return ca.id


def clinical_assessment(db: Database, visit_id: int) -> dict[str, Any] | None:
    with db.session() as s:
        ca = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == visit_id))
        if ca is None:
            return None
        return {"id": ca.id, "visit_id": ca.visit_id, "sample_date": ca.sample_date,
                "labs": ca.labs, "ascites": ca.ascites, "encephalopathy": ca.encephalopathy,
                "symptom_grades": ca.symptom_grades, "imaging": ca.imaging,
                "vital_status": ca.vital_status, "derived": ca.derived,
                "dialysis": ca.dialysis, "child_pugh_variant": ca.child_pugh_variant,
                "entered_by": ca.entered_by, "entered_at": ca.entered_at,
                "version": ca.version_id}
