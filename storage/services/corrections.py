"""Corrections of submitted answers (staff, reason required); the clinician assessment is in
``storage.services.clinical``."""
from __future__ import annotations

from sqlalchemy import select

from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import Administration, Answer, Visit
from storage.services import scoring
from storage.services._tx import get, require_reason, tx
from storage.services.administrations import apply_branching, instrument_for, validate_code
from storage.services.alerts import raise_answer_alerts
from storage.services.locks import refuse_if_locked
from storage.services.signing import invalidate_signatures


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
        _scores, found = scoring.store_with_findings(s, adm)
        raise_answer_alerts(s, adm, visit, found)   # a new warning sign
        invalidate_signatures(s, visit, f"answer corrected: {why}")
