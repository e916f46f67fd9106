"""The nurse patient list: one row per patient, a few set-based queries (fast on 10 000)."""
from __future__ import annotations

import unicodedata

from sqlalchemy import func, or_, select

from forms import csc, schedule as sched, sf36
from storage.db import Database
from storage.models import Administration, Patient, Score, Visit
from storage.services.dto import PatientRow
from storage.services.patients import local_today, planned


def list_patients(db: Database, *, search: str | None = None) -> list[PatientRow]:
    """All patients (or those whose subject id, initials or name contain ``search`` literally;
    ``%``, ``_`` and ``\\`` are not wildcards)."""
    today = local_today()
    with db.session() as s:
        q = select(Patient.id, Patient.subject_id, Patient.initials, Patient.arm, Patient.status,
                   Patient.full_name, Patient.day1_date).order_by(Patient.subject_id)
        if search and search.strip():
            term = unicodedata.normalize("NFC", search.strip())
            q = q.where(or_(Patient.subject_id.contains(term, autoescape=True),
                            Patient.initials.contains(term.upper(), autoescape=True),
                            Patient.full_name.contains(term, autoescape=True)))
        patients = s.execute(q).all()
        if not patients:
            return []
        ids = [p.id for p in patients] if search else None

        nxt_seq = (select(Visit.patient_id, func.min(Visit.sequence).label("seq"))
                   .where(Visit.status.in_(("planned", "in_progress")))
                   .group_by(Visit.patient_id).subquery())
        vq = select(Visit).join(nxt_seq, (Visit.patient_id == nxt_seq.c.patient_id)
                                & (Visit.sequence == nxt_seq.c.seq))
        if ids is not None:
            vq = vq.where(Visit.patient_id.in_(ids))
        next_visit = {v.patient_id: v for v in s.scalars(vq)}

        rank = func.row_number().over(
            partition_by=(Visit.patient_id, Score.algorithm_id),
            order_by=(Visit.sequence.desc(), Administration.submitted_at.desc())).label("rk")
        inner = (select(Visit.patient_id, Score.algorithm_id, Score.values, rank)
                 .join(Administration, Administration.visit_id == Visit.id)
                 .join(Score, Score.administration_id == Administration.id)
                 .where(Administration.status == "submitted",
                        Score.algorithm_id.in_((sf36.SF36V1_ALGORITHM, csc.ALGORITHM_ID))))
        if ids is not None:
            inner = inner.where(Visit.patient_id.in_(ids))
        inner = inner.subquery()
        latest: dict[tuple[int, str], dict] = {}
        for pid, alg, values, _rk in s.execute(select(inner).where(inner.c.rk == 1)):
            latest[(pid, alg)] = values

    rows = []
    for p in patients:
        v = next_visit.get(p.id)
        status = None
        if v is not None:
            status = sched.window_status(planned(v, p.day1_date), today, v.actual_date)
        sfv = latest.get((p.id, sf36.SF36V1_ALGORITHM)) or {}
        cv = latest.get((p.id, csc.ALGORITHM_ID)) or {}
        rows.append(PatientRow(p.id, p.subject_id, p.initials, p.arm, p.status, p.full_name,
                               v.code if v else None, v.planned_date if v else None, status,
                               sfv.get("sf36_pcs"), sfv.get("sf36_mcs"), cv.get("rss"),
                               cv.get("alert") or ""))
    return rows
