"""``--format fhir``: a FHIR R4 ``collection`` Bundle (JSON), streamed entry by entry.

Entries: one Questionnaire per instrument version (``fhir_meta``), one Patient per subject
(identifier only: the pseudonymous subject id, sex and birth year; no name), one
QuestionnaireResponse per administration and one Observation per scale score. References use
``urn:uuid`` full URLs derived deterministically (uuid5) from the database ids, so they resolve
inside the Bundle and are stable between exports.

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

from forms.instrument import Instrument
from reports.export.fhir_meta import coding, questionnaire, questionnaire_canonical
from reports.export.reader import AdminData, PatientData, iter_patients
from reports.export.scoredefs import score_defs
from reports.export.variables import matrix_groups

NS = uuid.UUID("6f1c1b0e-2f4a-5c8e-9a57-0e9d2f0c3b11")
SKIP_REASON_EXT = "urn:epro-desk:fhir:StructureDefinition:skip-reason"
SCORE_SYSTEM = "urn:epro-desk:score"
SUBJECT_SYSTEM = "urn:epro-desk:subject-id"
_STATUS = {"submitted": "completed", "in_progress": "in-progress",
           "interrupted": "in-progress", "entered_in_error": "entered-in-error"}


def urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NS, f'{kind}/{key}')}"


def qr_status(ad: AdminData, pd: PatientData) -> str:
    st = _STATUS[ad.adm.status]
    if st == "completed" and any(c.action == "answer.correct" for ans in ad.answers
                                 for c in pd.changes.get(ans.id, [])):
        return "amended"
    return st


def patient_resource(pd: PatientData) -> dict[str, Any]:
    p = pd.patient
    return {"resourceType": "Patient", "id": f"subject-{p.id}",
            "identifier": [{"system": SUBJECT_SYSTEM, "value": p.subject_id}],
            "gender": {"F": "female", "M": "male"}.get(p.sex, "unknown"),
            "birthDate": str(p.birth_year)}


def questionnaire_response(pd: PatientData, ad: AdminData, inst: Instrument) -> dict[str, Any]:
    a = ad.adm
    by_item = {ans.item_id: ans for ans in ad.answers}
    groups = matrix_groups(inst)

    def item(it_id: str) -> dict[str, Any] | None:
        ans = by_item.get(it_id)
        if ans is None or ans.status == "not_applicable":
            return None
        it = inst.item(it_id)
        d: dict[str, Any] = {"linkId": it_id, "text": it.text.get("en", "")}
        if ans.status == "skipped":
            d["extension"] = [{"url": SKIP_REASON_EXT, "valueCode": ans.skip_reason}]
        else:
            d["answer"] = [{"valueCoding": coding(inst, it, ans.code)}]
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
        "status": qr_status(ad, pd), "subject": {"reference": urn("Patient", pd.patient.id)},
        "authored": (a.submitted_at or a.started_at).isoformat(),
        "language": a.language.replace("_", "-"),
    }
    if a.originator == "patient":
        qr["source"] = {"reference": urn("Patient", pd.patient.id)}
    if items:
        qr["item"] = items
    return qr


def observations(pd: PatientData, ad: AdminData, inst: Instrument) -> list[dict[str, Any]]:
    values = ad.score_values()
    a = ad.adm
    out = []
    for d in score_defs(inst.id):
        v = values.get(d.key)
        if v is None or v == "" or isinstance(v, (dict, list)):
            continue
        obs: dict[str, Any] = {
            "resourceType": "Observation", "id": f"score-{a.id}-{d.name}".replace("_", "-"),
            "status": "entered-in-error" if a.status == "entered_in_error" else
            ("final" if a.status == "submitted" else "preliminary"),
            "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey"}]}],
            "code": {"coding": [{"system": SCORE_SYSTEM, "code": d.name, "display": d.label}],
                     "text": d.label},
            "subject": {"reference": urn("Patient", pd.patient.id)},
            "effectiveDateTime": (a.submitted_at or a.started_at).isoformat(),
            "method": {"text": d.algorithm},
            "derivedFrom": [{"reference": urn("QuestionnaireResponse", a.id)}],
        }
        if d.type == "boolean":
            obs["valueBoolean"] = bool(v)
        elif d.type == "integer":
            obs["valueInteger"] = int(v)
        elif d.type == "text":
            obs["valueString"] = str(v)
        else:
            obs["valueQuantity"] = {"value": v}
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
    counts = {"Questionnaire": 0, "Patient": 0, "QuestionnaireResponse": 0, "Observation": 0}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"resourceType": "Bundle", "type": "collection",
                             "timestamp": now})[:-1] + ',"entry":[')
        w = _BundleWriter(fh)
        for inst in insts:
            w.add(urn("Questionnaire", f"{inst.id}|{inst.version}"), questionnaire(inst))
            counts["Questionnaire"] += 1
        for pd in iter_patients(db, subject=subject, since=since):
            w.add(urn("Patient", pd.patient.id), patient_resource(pd))
            counts["Patient"] += 1
            for _, ad in pd.administrations:
                inst = by_id.get(ad.adm.instrument_id)
                if inst is None:
                    continue
                w.add(urn("QuestionnaireResponse", ad.adm.id),
                      questionnaire_response(pd, ad, inst))
                counts["QuestionnaireResponse"] += 1
                for obs in observations(pd, ad, inst):
                    w.add(urn("Observation", obs["id"]), obs)
                    counts["Observation"] += 1
        fh.write("\n]}\n")
    return counts
