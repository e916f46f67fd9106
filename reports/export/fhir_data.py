"""``--format fhir``: a FHIR R4 ``collection`` Bundle (JSON), streamed entry by entry.

Entries: the local CodeSystem and the ResearchStudy (``fhir_clinical``), one Questionnaire per
instrument version with a CodeSystem per answer set (``fhir_meta``), one Patient per subject
(identifier only: the pseudonymous subject id, sex, birth year and death date; no name) with its
ResearchSubject (arm, status and period from the outcome dataset's disposition) and one
Encounter per visit, one QuestionnaireResponse per administration (question and answer texts in
the language the patient answered in) and one Observation per scale score (local code, UCUM
``{score}``; a count UCUM ``1``), per lab value (LOINC, UCUM) and per liver score, one
Observation without a value per questionnaire recorded not done (``fhir_not_done``); every
response and observation names its visit's Encounter. References use ``urn:uuid`` full URLs
derived deterministically (uuid5) from the database ids, so they resolve inside the Bundle and
are stable between exports.

QuestionnaireResponse.status: submitted → ``completed`` (``amended`` once an answer was
corrected after submission), in progress/interrupted → ``in-progress``, entered in error →
``entered-in-error``. A skipped item has no answer and carries the reason in an extension.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument
from reports.export.fhir_clinical import (LOCAL_SYSTEM, SCORE_UNIT, code_system, encounter,
                                          lab_observations, liver_observations, research_study,
                                          research_subject)
from reports.export.fhir_codes import COUNT_UNIT
from reports.export.fhir_meta import (answer_code_systems, coding, questionnaire,
                                      questionnaire_canonical)
from reports.export.fhir_not_done import not_done_observations
from reports.export.reader import AdminData, PatientData, VisitData, iter_patients
from reports.export.scoredefs import score_defs
from reports.export.variables import matrix_groups
from reports.outcome_report.dataset import build_dataset
from storage.services.protocol_store import current_protocol

NS = uuid.UUID("6f1c1b0e-2f4a-5c8e-9a57-0e9d2f0c3b11")
# a skipped item: FHIR's core data-absent-reason extension (R4 context Element, value bound to
# DataAbsentReason), one code per skip reason: prefer not to answer = asked-declined ("asked but
# declined to answer"), did not understand = asked-unknown ("asked but does not know the
# value"), not applicable = not-applicable
ABSENT_EXT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
SKIP_ABSENT = {"prefer_not_to_answer": "asked-declined", "dont_understand": "asked-unknown",
               "not_applicable": "not-applicable"}
SCORE_SYSTEM = LOCAL_SYSTEM
SUBJECT_SYSTEM = "urn:epro-desk:subject-id"
_STATUS = {"submitted": "completed", "in_progress": "in-progress",
           "interrupted": "in-progress", "entered_in_error": "entered-in-error"}


def urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NS, f'{kind}/{key}')}"


def qr_status(ad: AdminData, pd: PatientData, vd: VisitData) -> str:
    """The QuestionnaireResponse status of ``ad`` (at visit ``vd``), computed once per
    administration; its score Observations follow it."""
    st = _STATUS[ad.adm.status]
    if ad.adm.status == "interrupted" and ad.adm.instrument_id in vd.not_done:
        return "stopped"    # paused, then recorded not done: "partially filled out with
        #                     answers but abandoned" (R4 QuestionnaireResponseStatus)
    if st == "completed" and any(c.action == "answer.correct" for ans in ad.answers
                                 for c in pd.changes.get(ans.id, [])):
        return "amended"
    return st


def patient_resource(pd: PatientData, outcome: dict[str, Any] | None = None) -> dict[str, Any]:
    """``outcome``: the subject's ``subjects.csv`` row; its death date is ``deceasedDateTime``."""
    p = pd.patient
    d = {"resourceType": "Patient", "id": f"subject-{p.id}",
         "identifier": [{"system": SUBJECT_SYSTEM, "value": p.subject_id}],
         "gender": {"F": "female", "M": "male"}.get(p.sex, "unknown"),
         "birthDate": str(p.birth_year)}
    if outcome and outcome.get("death_date"):
        d["deceasedDateTime"] = str(outcome["death_date"])
    return d


def questionnaire_response(pd: PatientData, ad: AdminData, inst: Instrument,
                           encounter_ref: str | None, status: str) -> dict[str, Any]:
    a = ad.adm
    lang = a.language
    by_item = {ans.item_id: ans for ans in ad.answers}
    groups = matrix_groups(inst)

    def item(it_id: str) -> dict[str, Any] | None:
        ans = by_item.get(it_id)
        if ans is None or ans.status == "not_applicable":
            return None
        it = inst.item(it_id)
        d: dict[str, Any] = {"linkId": it_id,
                             "text": it.text.get(lang) or it.text.get(BASE_LANGUAGE, "")}
        if ans.status == "skipped":
            d["extension"] = [{"url": ABSENT_EXT, "valueCode": SKIP_ABSENT[ans.skip_reason]}]
        else:
            d["answer"] = [{"valueCoding": coding(inst, it, ans.code, lang)}]
        return d

    items: list[dict[str, Any]] = []
    open_group: dict[str, Any] | None = None
    for it in inst.items:
        d = item(it.id)
        g = groups[it.id]
        if g is None:
            open_group = None
            if d:
                items.append(d)
            continue
        if d is None:
            continue
        if open_group is None or open_group["linkId"] != g:
            open_group = {"linkId": g, "item": []}
            items.append(open_group)
        open_group["item"].append(d)
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": f"administration-{a.id}",
        "identifier": {"system": "urn:epro-desk:administration-id", "value": str(a.id)},
        "questionnaire": questionnaire_canonical(a.instrument_id, a.instrument_version),
        "status": status, "subject": {"reference": urn("Patient", pd.patient.id)},
        **({"encounter": {"reference": encounter_ref}} if encounter_ref else {}),
        "authored": (a.submitted_at or a.started_at).isoformat(),
        "language": a.language.replace("_", "-"),
    }
    if a.originator == "patient":
        qr["source"] = {"reference": urn("Patient", pd.patient.id)}
    if items:
        qr["item"] = items
    return qr


def observations(pd: PatientData, ad: AdminData, inst: Instrument,
                 encounter_ref: str | None, qr: str) -> list[dict[str, Any]]:
    values = ad.score_values()
    a = ad.adm
    # a score recomputed after an answer was corrected: R4 "amended" (modified after final)
    status = {"completed": "final", "amended": "amended", "in-progress": "preliminary",
              "stopped": "preliminary", "entered-in-error": "entered-in-error"}[qr]
    out = []
    for d in score_defs(inst.id):
        v = values.get(d.key)
        if v is None or v == "" or isinstance(v, (dict, list)):
            continue
        obs: dict[str, Any] = {
            "resourceType": "Observation", "id": f"score-{a.id}-{d.name}".replace("_", "-"),
            "status": status,
            "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey"}]}],
            "code": {"coding": [{"system": SCORE_SYSTEM, "code": d.name, "display": d.label}],
                     "text": d.label},
            "subject": {"reference": urn("Patient", pd.patient.id)},
            **({"encounter": {"reference": encounter_ref}} if encounter_ref else {}),
            "effectiveDateTime": (a.submitted_at or a.started_at).isoformat(),
            "method": {"text": d.algorithm},
            "derivedFrom": [{"reference": urn("QuestionnaireResponse", a.id)}],
        }
        if d.type == "boolean":
            obs["valueBoolean"] = bool(v)
        elif d.type == "integer":
            obs["valueQuantity"] = {"value": int(v), **COUNT_UNIT}
        elif d.type == "text":
            obs["valueString"] = str(v)
        else:
            obs["valueQuantity"] = {"value": v, **SCORE_UNIT}
        out.append(obs)
    return out


class _BundleWriter:
    def __init__(self, fh: IO[str]) -> None:
        self.fh, self.n = fh, 0

    def add(self, full_url: str, resource: dict[str, Any]) -> None:
        self.fh.write(",\n" if self.n else "\n")
        self.fh.write(json.dumps({"fullUrl": full_url, "resource": resource},
                                 ensure_ascii=False, separators=(",", ":")))
        self.n += 1


def export_fhir(db, path: Path, insts: Sequence[Instrument], *,  # noqa: ANN001
                subject: str | None = None, since: datetime | None = None) -> dict[str, int]:
    by_id = {i.id: i for i in insts}
    counts = {"CodeSystem": 0, "ResearchStudy": 0, "Questionnaire": 0, "Patient": 0,
              "ResearchSubject": 0, "Encounter": 0, "QuestionnaireResponse": 0,
              "Observation": 0}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    study_ref = urn("ResearchStudy", "study")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"resourceType": "Bundle", "type": "collection",
                             "timestamp": now})[:-1] + ',"entry":[')
        w = _BundleWriter(fh)

        def add(full_url: str, resource: dict[str, Any]) -> None:
            w.add(full_url, resource)
            counts[resource["resourceType"]] += 1
        add(urn("CodeSystem", "scores"), code_system(insts))
        add(study_ref, research_study(current_protocol(db)))
        for inst in insts:
            add(urn("Questionnaire", f"{inst.id}|{inst.version}"), questionnaire(inst))
            for cs in answer_code_systems(inst):
                add(urn("CodeSystem", f"{cs['url']}|{cs['version']}"), cs)
        outcomes = {r["subject_id"]: r for r in build_dataset(db).subjects}
        for pd in iter_patients(db, subject=subject, since=since):
            pref = urn("Patient", pd.patient.id)
            outcome = outcomes.get(pd.patient.subject_id)
            add(pref, patient_resource(pd, outcome))
            add(urn("ResearchSubject", pd.patient.id),
                research_subject(pd, pref, study_ref, outcome))
            for vd in pd.visits:
                eref = urn("Encounter", vd.visit.id)
                add(eref, encounter(vd, pref))
                for ad in vd.administrations:
                    inst = by_id.get(ad.adm.instrument_id)
                    if inst is None:
                        continue
                    status = qr_status(ad, pd, vd)
                    add(urn("QuestionnaireResponse", ad.adm.id),
                        questionnaire_response(pd, ad, inst, eref, status))
                    for obs in observations(pd, ad, inst, eref, status):
                        add(urn("Observation", obs["id"]), obs)
                for obs in not_done_observations(vd, by_id, pref, eref):   # never started
                    add(urn("Observation", obs["id"]), obs)
                refs: dict[str, Any] = {"patient": pref, "encounter": eref, "labs": {}}
                for lab, obs in lab_observations(vd, refs):
                    refs["labs"][lab] = urn("Observation", obs["id"])
                    add(refs["labs"][lab], obs)
                for obs in liver_observations(vd, refs):
                    add(urn("Observation", obs["id"]), obs)
        fh.write("\n]}\n")
    return counts
