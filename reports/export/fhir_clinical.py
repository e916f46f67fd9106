"""FHIR R4 resources around the questionnaires: the study, its subjects, visits, labs, liver
scores, and the local CodeSystem for what has no standard code.

* ``ResearchStudy`` (protocol id and registry id, the arms) and one ``ResearchSubject`` per
  subject (``assignedArm`` = the arm id, ``individual`` = the Patient, ``period`` from consent
  to death or early termination, ``status`` ``off-study`` once the outcome dataset's
  disposition is died, terminated or completed).
* one ``Encounter`` per stored visit (``identifier`` = visit code; ``period`` = the actual date,
  else none; ``status`` from the visit status; ``reasonCode.text`` = the reason staff gave for
  an unscheduled or early-termination visit); every QuestionnaireResponse and Observation
  points at its visit's Encounter (``encounter``).
* labs: one ``Observation`` per lab value, LOINC code (``fhir_codes.LAB_LOINC``, each with its
  source), value converted to the canonical unit by ``forms.labs`` (the value as entered is in
  ``note``) with its UCUM unit.
* liver scores (Child-Pugh score and class, MELD, MELD-Na, MELD 3.0) and the PRO scale scores:
  no LOINC code could be verified for them (``fhir_codes`` says why), so they use the local
  CodeSystem ``LOCAL_SYSTEM``, included in the Bundle as a ``CodeSystem`` resource listing every
  local code.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Sequence

from forms.instrument import Instrument
from forms.labs import LabValueError, lab_value
from forms.liver import SCORE_INPUTS
from forms.protocol import Protocol
from reports.export.clinical_meta import DERIVED, LABS
from reports.export.fhir_codes import (LAB_LOINC, LOCAL_CODES_REASON, LOCAL_SYSTEM, LOINC,
                                       SCORE_UNIT, UCUM, UCUM_UNITS)
from reports.export.fhir_not_done import panel_concepts
from reports.export.reader import PatientData, VisitData
from reports.export.scoredefs import score_defs
from reports.export.sdtm_outcomes import disposition_date

STUDY_SYSTEM = "urn:epro-desk:protocol-id"
VISIT_SYSTEM = "urn:epro-desk:visit-code"
ARM_SYSTEM = "urn:epro-desk:arm"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_LIVER_LABEL = {"child_pugh": "Child-Pugh score", "child_pugh_class": "Child-Pugh class",
                "meld": "MELD (UNOS 2002)", "meld_na": "MELD-Na (OPTN 2016)",
                "meld3": "MELD 3.0 (OPTN 2023)"}
_ENCOUNTER_STATUS = {"planned": "planned", "in_progress": "in-progress",
                     "completed": "finished", "signed": "finished",
                     "resign_required": "finished", "missed": "cancelled"}
_SUBJECT_STATUS = {"enrolled": "on-study", "completed": "off-study", "withdrawn": "withdrawn",
                   "screen_failed": "ineligible"}
#: dispositions (outcome dataset) after which a subject is R4 ``off-study`` ("ended their
#: participation on a study either because their treatment/observation is complete or through
#: not responding, withdrawal, non-compliance and/or adverse event": FHIR R4 CodeSystem
#: research-subject-status); ``withdrawn`` is R4's withdrawal *before registration*
_ENDED = ("died", "terminated")


def liver_codes() -> list[tuple[str, str, str]]:
    """(local code, label, derived part) of the liver scores, in ``clinical_meta`` order."""
    out = []
    for calc, part, _ in DERIVED:
        code = calc if part == "score" else f"{calc}_{part}"
        out.append((code, _LIVER_LABEL[code], part))
    return out


def code_system(insts: Sequence[Instrument]) -> dict[str, Any]:
    concepts = [{"code": s.name, "display": s.label,
                 "definition": f"{s.label} ({s.algorithm}), computed by ePRO Desk"}
                for inst in insts for s in score_defs(inst.id)]
    concepts += [{"code": c, "display": lab, "definition": f"{lab}, derived by ePRO Desk"}
                 for c, lab, _ in liver_codes()]
    concepts += panel_concepts(insts)
    return {"resourceType": "CodeSystem", "id": "epro-desk-scores", "url": LOCAL_SYSTEM,
            "name": "EproDeskScores", "status": "active", "content": "complete",
            "description": LOCAL_CODES_REASON,
            "concept": concepts}


def research_study(protocol: Protocol) -> dict[str, Any]:
    ident = [{"system": STUDY_SYSTEM, "value": protocol.protocol_id}]
    if protocol.registry_id:
        ident.append({"system": "https://clinicaltrials.gov", "value": protocol.registry_id})
    return {"resourceType": "ResearchStudy", "id": "study", "identifier": ident,
            "title": protocol.title.get("en", protocol.protocol_id), "status": "active",
            "arm": [{"name": a.id, "description": a.label.get("en", a.id)}
                    for a in protocol.arms]}


def end_of_participation(outcome: dict[str, Any] | None) -> str | None:
    """The day a subject who died or terminated early left the study (ISO date), from the
    ``subjects.csv`` row of the outcome dataset (``reports.outcome_report.dataset``); None while
    the subject takes part or completed. The date is the disposition event's, as SDTM's
    (``sdtm_outcomes.disposition_date``)."""
    if not outcome or outcome.get("disposition") not in _ENDED:
        return None
    end = disposition_date(outcome, None)
    return end.isoformat() if end else None


def research_subject(pd: PatientData, patient_ref: str, study_ref: str,
                     outcome: dict[str, Any] | None = None) -> dict[str, Any]:
    """``outcome``: the subject's ``subjects.csv`` row (disposition, death, termination)."""
    p = pd.patient
    status = _SUBJECT_STATUS.get(p.status, "on-study")
    if outcome and outcome.get("disposition") in _ENDED + ("completed",):
        status = "off-study"
    d: dict[str, Any] = {"resourceType": "ResearchSubject", "id": f"research-subject-{p.id}",
                         "status": status, "period": {"start": p.consent_date.isoformat()},
                         "study": {"reference": study_ref},
                         "individual": {"reference": patient_ref}}
    if (end := end_of_participation(outcome)) is not None:
        d["period"]["end"] = end
    if p.arm:
        d["assignedArm"] = p.arm
    return d


def encounter(vd: VisitData, patient_ref: str) -> dict[str, Any]:
    v = vd.visit
    d: dict[str, Any] = {
        "resourceType": "Encounter", "id": f"visit-{v.id}",
        "identifier": [{"system": VISIT_SYSTEM, "value": v.code}],
        "status": _ENCOUNTER_STATUS.get(v.status, "unknown"),
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                  "code": "AMB", "display": "ambulatory"},
        "type": [{"text": f"study visit {v.code}"}],
        "subject": {"reference": patient_ref}}
    if v.actual_date is not None:
        d["period"] = {"start": v.actual_date.isoformat(), "end": v.actual_date.isoformat()}
    if v.unscheduled_reason:        # why an unscheduled / early-termination visit took place
        d["reasonCode"] = [{"text": v.unscheduled_reason}]
    return d


def _number(x: Decimal) -> float | int:
    q = x.quantize(Decimal("0.0001")).normalize()
    return int(q) if q == q.to_integral_value() else float(q)


def lab_observations(vd: VisitData, refs: dict[str, Any]
                     ) -> Iterable[tuple[str, dict[str, Any]]]:
    """(lab id, Observation) of every lab value of the visit."""
    ca = vd.clinical
    if ca is None:
        return
    for lab in LABS:
        entry = (ca.labs or {}).get(lab)
        if not isinstance(entry, dict) or entry.get("value") in (None, ""):
            continue
        try:
            lv = lab_value(lab, entry["value"], entry.get("unit"))
        except LabValueError:
            continue
        lc = LAB_LOINC[lab]
        obs: dict[str, Any] = {
            "resourceType": "Observation", "id": f"lab-{ca.id}-{lab}", "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": "laboratory"}]}],
            "code": {"coding": [{"system": LOINC, "code": lc.code, "display": lc.display}],
                     "text": lab},
            "subject": {"reference": refs["patient"]},
            "encounter": {"reference": refs["encounter"]},
            "valueQuantity": {"value": _number(lv.canonical), "unit": lv.unit or "INR",
                              "system": UCUM, "code": UCUM_UNITS[lv.unit]}}
        if ca.sample_date is not None:
            obs["effectiveDateTime"] = ca.sample_date.isoformat()
        if lv.converted:
            obs["note"] = [{"text": f"as entered: {lv.raw} {lv.raw_unit}"}]
        yield lab, obs


def liver_observations(vd: VisitData, refs: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The liver scores of the visit; ``refs["labs"]``: lab id -> its Observation's full URL,
    of which ``derivedFrom`` names the labs the score is computed from
    (``forms.liver.SCORE_INPUTS``)."""
    ca = vd.clinical
    if ca is None:
        return
    derived = ca.derived or {}
    for code, label, part in liver_codes():
        calc = code if part == "score" else code[: -len(part) - 1]
        value = (derived.get(calc) or {}).get(part) if isinstance(derived.get(calc), dict) \
            else None
        if value is None or value == "":
            continue
        obs: dict[str, Any] = {
            "resourceType": "Observation", "id": f"liver-{ca.id}-{code}".replace("_", "-"),
            "status": "final",
            "code": {"coding": [{"system": LOCAL_SYSTEM, "code": code, "display": label}],
                     "text": label},
            "subject": {"reference": refs["patient"]},
            "encounter": {"reference": refs["encounter"]},
            "derivedFrom": [{"reference": r} for lab, r in refs.get("labs", {}).items()
                            if lab in SCORE_INPUTS[calc]] or None}
        if obs["derivedFrom"] is None:
            del obs["derivedFrom"]
        if ca.sample_date is not None:
            obs["effectiveDateTime"] = ca.sample_date.isoformat()
        if isinstance(value, str):
            obs["valueString"] = value
        else:
            obs["valueQuantity"] = {"value": value, **SCORE_UNIT}
        yield obs
