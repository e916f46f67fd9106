"""Electronic signatures of a visit (Part 11 §11.50/§11.70/§11.200)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.audit import canon
from storage.clock import utcnow
from storage.db import Database
from storage.errors import AuthError
from storage.models import (Administration, Answer, ClinicalAssessment, Score, Signature, User,
                            Visit)
from storage.services._tx import clean_text, get, tx
from storage.services.locks import refuse_if_locked

MEANINGS = ("reviewed and approved", "reviewed")


def visit_content(s: Session, visit: Visit) -> dict:
    """Canonical content a signature covers: every administration, answer, score, assessment."""
    adms = []
    for adm in s.scalars(select(Administration).where(Administration.visit_id == visit.id)
                         .order_by(Administration.id)):
        answers = [[a.item_id, a.status, a.code, a.skip_reason] for a in s.scalars(
            select(Answer).where(Answer.administration_id == adm.id).order_by(Answer.item_id))]
        scores = {sc.algorithm_id: sc.values for sc in s.scalars(
            select(Score).where(Score.administration_id == adm.id))}
        adms.append({"id": adm.id, "instrument": [adm.instrument_id, adm.instrument_version,
                                                  adm.content_hash, adm.language],
                     "status": adm.status, "answers": answers, "scores": scores})
    ca = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == visit.id))
    clinical = None if ca is None else {
        "sample_date": canon(ca.sample_date), "labs": ca.labs, "ascites": ca.ascites,
        "encephalopathy": ca.encephalopathy, "symptom_grades": ca.symptom_grades,
        "imaging": ca.imaging, "vital_status": ca.vital_status, "derived": ca.derived}
    return {"visit": [visit.id, visit.patient_id, visit.code, canon(visit.actual_date)],
            "administrations": adms, "clinical": clinical}


def visit_content_hash(s: Session, visit: Visit) -> str:
    blob = json.dumps(visit_content(s, visit), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def invalidate_signatures(s: Session, visit: Visit, reason: str) -> int:
    """Any change after signing invalidates the signature: the visit needs re-signature."""
    n = 0
    for sig in s.scalars(select(Signature).where(Signature.visit_id == visit.id,
                                                 Signature.status == "valid")):
        sig.status = "invalidated"
        sig.invalidated_at = utcnow()
        sig.invalidated_reason = reason
        n += 1
    if n:
        visit.status = "resign_required"
    return n


def sign_visit(db: Database, actor: Actor, visit_id: int, *, password: str,
               meaning: str) -> int:
    """Investigator signs a visit after re-entering the password; stores a content hash."""
    return sign_visits(db, actor, [visit_id], password=password, meaning=meaning)[0]


def sign_visits(db: Database, actor: Actor, visit_ids: list[int], *, password: str,
                meaning: str) -> list[int]:
    """Sign several visits in one transaction with ONE re-authentication (a series of
    signings in one continuous session, 21 CFR 11.200(a)(1)(i)); all or nothing.

    Each signature gets its own row, content hash and audit rows (with that visit's patient).
    Returns the signature ids in the order of ``visit_ids``.
    """
    from storage.services.auth import verify_user_password
    meaning_text = clean_text(meaning, "Meaning", max_len=200, required=True)
    ids = list(dict.fromkeys(visit_ids))
    if not ids:
        return []
    sig_ids: list[int] | None = None
    with tx(db, actor, "visit.sign", permission="sign_visit") as s:
        user = get(s, User, actor.user_id or 0, "User")
        visits = [get(s, Visit, vid, "Visit") for vid in ids]
        from storage import audit
        ctx = audit.context(s)
        ctx.patient_id = visits[0].patient_id
        for visit in visits:
            refuse_if_locked(s, visit)
        if verify_user_password(s, user, password or "", actor.station_id, "signature"):
            s.flush()
            sig_ids = []
            for visit in visits:
                ctx.patient_id = visit.patient_id
                sig = Signature(visit_id=visit.id, user_id=user.id, signer_name=user.full_name,
                                meaning=meaning_text, signed_at=utcnow(),
                                content_hash=visit_content_hash(s, visit), status="valid")
                s.add(sig)
                visit.status = "signed"
                s.flush()
                sig_ids.append(sig.id)
    if sig_ids is None:
        raise AuthError("Signature refused: the password is wrong or the account is locked.")
    by_visit = dict(zip(ids, sig_ids))
    return [by_visit[v] for v in visit_ids]


@dataclass(frozen=True)
class SignatureInfo:
    id: int
    visit_id: int
    signer_name: str
    username: str
    meaning: str
    signed_at: datetime
    status: str
    content_matches: bool
    invalidated_reason: str | None


def visit_signatures(db: Database, visit_id: int) -> list[SignatureInfo]:
    """Every signature of a visit, with whether the signed content still matches."""
    with db.session() as s:
        visit = get(s, Visit, visit_id, "Visit")
        current = visit_content_hash(s, visit)
        out = []
        for sig in s.scalars(select(Signature).where(Signature.visit_id == visit_id)
                             .order_by(Signature.id)):
            user = s.get(User, sig.user_id)
            out.append(SignatureInfo(sig.id, sig.visit_id, sig.signer_name,
                                     user.username if user else "?", sig.meaning, sig.signed_at,
                                     sig.status, sig.content_hash == current,
                                     sig.invalidated_reason))
        return out
