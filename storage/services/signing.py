"""Electronic signatures of a visit (Part 11 §11.50/§11.70/§11.200).

§11.200(a)(1): the FIRST signature of a login session needs both components (user ID and
password); later signatures in the same session the password only. The service decides which
applies from the actor's session start (``Actor.session_started``, set at login) and the
signatures that user made since; an actor without a session start always gives both. A visit
with a valid signature is never signed again (only a change, which invalidates the signature,
makes it signable). ``signing_queue``: completed visits awaiting a signature, oldest first.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.audit import canon
from storage.clock import utcnow
from storage.db import Database
from storage.errors import AuthError, ConflictError
from storage.models import (Administration, Answer, ClinicalAssessment, Patient, Score,
                            Signature, User, Visit)
from storage.services._tx import clean_text, get, tx
from storage.services.auth import verify_user_password
from storage.services.locks import refuse_if_locked
from storage.services.not_done_records import not_done_by_visit

MEANINGS = ("reviewed and approved", "reviewed")
#: visit statuses that wait for a signature (a first one, or a new one after a correction)
AWAITING_SIGNATURE = ("completed", "resign_required")
SIGNATURE_REFUSED = "Signature refused: the user ID or password is wrong, or the account is locked."


class SignerIdRequired(AuthError):
    """The first signature of a login session needs the user ID as well as the password."""


def visit_content(s: Session, visit: Visit) -> dict:
    """Canonical content a signature covers: every administration, answer, score, assessment,
    and the questionnaires recorded not done."""
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
    content = {"visit": [visit.id, visit.patient_id, visit.code, canon(visit.actual_date)],
               "administrations": adms, "clinical": clinical}
    not_done = not_done_by_visit(s, [visit.id]).get(visit.id, {})
    if not_done:        # questionnaires recorded not done (absent before: old hashes hold)
        content["not_done"] = [[r.instrument_id, r.reason, r.text]
                               for _i, r in sorted(not_done.items())]
    return content


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


def _signed_in_session(s: Session, actor: Actor) -> bool:
    """Has this user signed anything since the session began (login)?"""
    if actor.session_started is None or actor.user_id is None:
        return False
    return bool(s.scalar(select(exists().where(Signature.user_id == actor.user_id,
                                               Signature.signed_at >= actor.session_started))))


def signature_needs_user_id(db: Database, actor: Actor) -> bool:
    """True when the actor's next signature is the first of the session (user ID + password)."""
    with db.read_session() as s:
        return not _signed_in_session(s, actor)


def sign_visit(db: Database, actor: Actor, visit_id: int, *, password: str,
               meaning: str, username: str | None = None) -> int:
    """Investigator signs a visit after re-entering the password (and, at the first signature
    of the session, the user ID); stores a content hash."""
    return sign_visits(db, actor, [visit_id], password=password, meaning=meaning,
                       username=username)[0]


def _refuse_signed(s: Session, visit: Visit) -> None:
    sig = s.scalar(select(Signature).where(Signature.visit_id == visit.id,
                                           Signature.status == "valid").limit(1))
    if sig is not None:
        subject = s.scalar(select(Patient.subject_id).where(Patient.id == visit.patient_id))
        raise ConflictError(f"Visit {visit.code} of {subject} is already signed (by "
                            f"{sig.signer_name}); a signed visit cannot be signed again. It "
                            "needs a new signature only after a correction.")


def sign_visits(db: Database, actor: Actor, visit_ids: list[int], *, password: str,
                meaning: str, username: str | None = None) -> list[int]:
    """Sign several visits in one transaction with ONE re-authentication (a series of
    signings in one continuous session, 21 CFR 11.200(a)(1)(i)); all or nothing.

    ``username`` (the user ID) is required at the first signature of the login session
    (``SignerIdRequired`` otherwise) and, when given, must be the actor's own. A visit already
    signed (a valid signature) is refused (``ConflictError``) before the password is checked.
    Each signature gets its own row, content hash and audit rows (with that visit's patient).
    Returns the signature ids in the order of ``visit_ids``.
    """
    meaning_text = clean_text(meaning, "Meaning", max_len=200, required=True)
    ids = list(dict.fromkeys(visit_ids))
    if not ids:
        return []
    sig_ids: list[int] | None = None
    with tx(db, actor, "visit.sign", permission="sign_visit") as s:
        user = get(s, User, actor.user_id or 0, "User")
        visits = [get(s, Visit, vid, "Visit") for vid in ids]
        ctx = audit.context(s)
        ctx.patient_id = visits[0].patient_id
        for visit in visits:
            refuse_if_locked(s, visit)
            _refuse_signed(s, visit)
        given = (username or "").strip()
        if not given and not _signed_in_session(s, actor):
            raise SignerIdRequired("This is your first signature since you logged in: enter "
                                   "your user ID and your password.")
        if given and given != user.username:
            # a wrong user ID is a failed signature attempt like a wrong password: audited as
            # signature.failure and counted toward the lockout (the password is not checked)
            verify_user_password(s, user, "", actor.station_id, "signature")
        elif verify_user_password(s, user, password or "", actor.station_id, "signature"):
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
        raise AuthError(SIGNATURE_REFUSED)
    by_visit = dict(zip(ids, sig_ids))
    return [by_visit[v] for v in visit_ids]


@dataclass(frozen=True)
class AwaitingSignature:
    """A completed visit waiting for an investigator's signature (``resign`` after a change)."""
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    visit_date: date | None
    resign: bool


def awaiting_signature(s: Session) -> list[AwaitingSignature]:
    """Completed (or invalidated) unlocked visits of enrolled patients, oldest visit first."""
    q = (select(Visit.id, Patient.id, Patient.subject_id, Patient.initials, Visit.code,
                Visit.actual_date, Visit.status)
         .join(Patient, Patient.id == Visit.patient_id)
         .where(Visit.status.in_(AWAITING_SIGNATURE), Visit.locked_at.is_(None))
         .order_by(Visit.actual_date.is_(None), Visit.actual_date, Visit.id))
    return [AwaitingSignature(vid, pid, subject, initials or "", code, day,
                              status == "resign_required")
            for vid, pid, subject, initials, code, day, status in s.execute(q)]


def signing_queue(db: Database) -> list[AwaitingSignature]:
    """Visits awaiting signature, oldest first (one read transaction)."""
    with db.read_session() as s:
        return awaiting_signature(s)


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
    with db.read_session() as s:
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
