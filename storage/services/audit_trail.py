"""A patient's audit trail with where each row belongs (issue 14 item 10): the visit code, and
for answers the questionnaire and question, resolved from the entity ids in ONE read
transaction (a handful of look-up queries per patient, not one per row).

The audit rows stay as stored (raw values); the screens turn codes into option labels and
JSON into text (``ui/nurse/audit_text.py``).
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from storage.db import Database
from storage.models import (Administration, Alert, Answer, AuditEvent, ClinicalAssessment,
                            Score, Signature, Visit)
from storage.models.audit import field_rows


class AuditTrailRow(NamedTuple):
    """A named tuple: a patient's trail is thousands of rows, built ten times faster than a
    frozen dataclass (opening a patient, ``bench/bench_reads.py`` ``open_patient_10k_ms``)."""
    seq: int
    at: datetime
    action: str
    entity: str | None
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    actor_kind: str
    actor_username: str | None
    actor_role: str | None
    visit_code: str = ""
    instrument_id: str | None = None       # answers and administrations
    item_id: str | None = None             # answers
    language: str | None = None            # the language the patient answered in


def audit_trail(db: Database, patient_id: int) -> list[AuditTrailRow]:
    """Every audit row of the patient, oldest first, with its visit (and question)."""
    with db.read_session() as s:
        visits = dict(s.execute(select(Visit.id, Visit.code)
                                .where(Visit.patient_id == patient_id)).all())
        adms = {a: (v, inst, lang) for a, v, inst, lang in s.execute(
            select(Administration.id, Administration.visit_id, Administration.instrument_id,
                   Administration.language).where(Administration.visit_id.in_(list(visits))))}
        answers = dict((i, (a, item)) for i, a, item in s.execute(
            select(Answer.id, Answer.administration_id, Answer.item_id)
            .where(Answer.administration_id.in_(list(adms)))))
        by_visit: dict[str, dict[int, int]] = {
            "visit": {v: v for v in visits},
            "administration": {a: v for a, (v, _i, _l) in adms.items()},
            "clinical_assessment": dict(s.execute(
                select(ClinicalAssessment.id, ClinicalAssessment.visit_id)
                .where(ClinicalAssessment.visit_id.in_(list(visits)))).all()),
            "signature": dict(s.execute(select(Signature.id, Signature.visit_id)
                                        .where(Signature.visit_id.in_(list(visits)))).all()),
            "alert": {i: v for i, v in s.execute(select(Alert.id, Alert.visit_id)
                                                 .where(Alert.patient_id == patient_id))
                      if v is not None},
            "score": {i: adms[a][0] for i, a in s.execute(
                select(Score.id, Score.administration_id)
                .where(Score.administration_id.in_(list(adms))))},
        }
        out = []
        e = AuditEvent
        rows = s.execute(select(e.seq, e.at, e.action, e.operation, e.entity, e.entity_id,
                                e.changes, e.detail, e.reason, e.actor_kind, e.actor_username,
                                e.actor_role)        # plain columns: no ORM object per row
                         .where(e.patient_id == patient_id).order_by(e.seq))
        for (seq, at, action, operation, entity, entity_id, changes, detail, reason, kind,
             username, role) in rows:
            visit_id = inst = item = lang = None
            if entity == "answer" and entity_id in answers:
                adm_id, item = answers[entity_id]
                visit_id, inst, lang = adms[adm_id]
            elif entity == "administration" and entity_id in adms:
                visit_id, inst, lang = adms[entity_id]
            elif entity in by_visit and entity_id is not None:
                visit_id = by_visit[entity].get(entity_id)
            code = visits.get(visit_id, "") if visit_id else ""
            out.extend(AuditTrailRow(seq, at, action, entity, entity_id, f, old, new, reason,
                                     kind, username, role, code, inst, item, lang)
                       for f, old, new in field_rows(operation, changes, detail))
        return out


__all__ = ["AuditTrailRow", "audit_trail"]
