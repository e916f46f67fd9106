"""FHIR R4 of a questionnaire recorded not done at a visit (``forms.not_done``).

A QuestionnaireResponse would claim a questionnaire that was started; this one never was. So it
is one ``Observation`` (status ``cancelled``: "not started") coded with the instrument's local
panel code (``panel_code``, declared in the Bundle's CodeSystem beside the score codes: no LOINC
panel exists for these instruments, see ``fhir_codes``), without a value and with
``dataAbsentReason`` ``asked-declined`` when the patient refused, ``not-performed`` otherwise
(the reason's English label as its text); the staff's words are the ``note``; it names the
visit's Encounter like every response and observation.
"""
from __future__ import annotations

from typing import Any, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument
from forms.not_done import REFUSED, reason_label
from reports.export.fhir_codes import LOCAL_SYSTEM
from reports.export.reader import VisitData
from storage.services.not_done_records import NotDoneRecord

ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
_ABSENT = {"asked-declined": "Asked But Declined", "not-performed": "Not Performed"}


def panel_code(inst: Instrument | str) -> str:
    """The local code of the whole questionnaire (``rand36_panel``)."""
    return f"{inst if isinstance(inst, str) else inst.id}_panel"


def _title(inst: Instrument) -> str:
    return inst.title.get(BASE_LANGUAGE) or inst.id


def panel_concepts(insts: Sequence[Instrument]) -> list[dict[str, str]]:
    """The CodeSystem concepts of the instruments' panel codes."""
    return [{"code": panel_code(i), "display": f"{_title(i)} (whole questionnaire)",
             "definition": f"The {_title(i)} questionnaire as a whole (ePRO Desk), used for a "
                           "questionnaire recorded not done"} for i in insts]


def absent_reason(reason: str) -> str:
    return "asked-declined" if reason == REFUSED else "not-performed"


def not_done_observation(patient_ref: str, vd: VisitData, rec: NotDoneRecord,
                         inst: Instrument, encounter_ref: str) -> dict[str, Any]:
    v = vd.visit
    absent = absent_reason(rec.reason)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"not-done-{v.id}-{inst.id}".replace("_", "-")[:64],
        "status": "cancelled",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey"}]}],
        "code": {"coding": [{"system": LOCAL_SYSTEM, "code": panel_code(inst),
                             "display": f"{_title(inst)} (whole questionnaire)"}],
                 "text": _title(inst)},
        "subject": {"reference": patient_ref},
        "encounter": {"reference": encounter_ref},
        "effectiveDateTime": (v.actual_date or rec.recorded_at).isoformat(),
        "issued": rec.recorded_at.isoformat(),
        "dataAbsentReason": {"coding": [{"system": ABSENT_SYSTEM, "code": absent,
                                         "display": _ABSENT[absent]}],
                             "text": reason_label(rec.reason, "en")},
    }
    if rec.text:
        obs["note"] = [{"text": rec.text}]
    return obs


def not_done_observations(vd: VisitData, insts: dict[str, Instrument], patient_ref: str,
                          encounter_ref: str) -> list[dict[str, Any]]:
    """One Observation per questionnaire of the visit recorded not done."""
    return [not_done_observation(patient_ref, vd, rec, insts[i], encounter_ref)
            for i, rec in vd.not_done.items() if i in insts]
