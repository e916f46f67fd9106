"""Questionnaire administrations: start, record/skip answers, submit, interrupt, state."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import schedule as sched
from forms.errors import UserError
from forms.instrument import Instrument, localize
from forms.registry import visit_battery
from forms.visit_start import battery_complete
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError, PermissionDenied
from storage.models import (SKIP_REASONS, Administration, Answer, Patient, ResponseCode, Visit)
from storage.services import administration_rows as rows_core
from storage.services import autosave, scoring
from storage.services._tx import clean_text, get, once_more_on_race, tx
from storage.services.autosave import (answer_times, check_ms, instrument_for, known_item,
                                       validate_code)
from storage.services.alerts import raise_answer_alerts
from storage.services.dto import AdministrationState
from storage.services.locks import hold_fresh, refuse_if_locked
from storage.services.not_done_records import (not_done_by_visit, not_done_ids,
                                               refuse_not_done)
from storage.services.patients import local_today, planned
from storage.services.protocol_store import patient_protocol, recall_days
from storage.services.signing import invalidate_signatures
from storage.services.translations import shown_instrument

OPEN = ("in_progress", "interrupted")


def register_codes(s: Session, inst: Instrument) -> None:
    """Fill the response_code lookup for this instrument version (idempotent; checked once
    per transaction)."""
    done = s.info.setdefault("registered_codes", set())
    if (inst.id, inst.version) in done:
        return
    done.add((inst.id, inst.version))
    have = set(s.execute(select(ResponseCode.item_id, ResponseCode.code).where(
        ResponseCode.instrument_id == inst.id, ResponseCode.instrument_version == inst.version)))
    for item in inst.items:
        for code in inst.options_for(item).codes:
            if (item.id, code) not in have:
                s.add(ResponseCode(instrument_id=inst.id, instrument_version=inst.version,
                                   item_id=item.id, code=code))


def _own(actor: Actor, visit: Visit) -> None:
    """A patient acts only on the visit the kiosk was handed over for (its token binds both)."""
    if actor.kind == "patient" and (actor.patient_id != visit.patient_id
                                    or actor.visit_id != visit.id):
        raise PermissionDenied("This questionnaire belongs to another patient or visit.")


def start_administration(db: Database, actor: Actor, *, visit_id: int, instrument_id: str,
                         language: str, station_id: str | None = None,
                         override_reason: str | None = None, proxy_reason: str | None = None
                         ) -> int:
    """Open (or resume) the administration of one instrument at one visit.

    Returns the existing in-progress/interrupted administration if there is one. Refused when the
    instrument was already submitted at this visit, or (recall-period rule) when the same
    instrument was completed less than its ``min_days_between`` (protocol) ago, unless staff
    give ``override_reason``.
    """
    inst = shown_instrument(db, instrument_id)      # with any installed translation
    shown = localize(inst, language).shown_language
    text = inst.text_version(shown)
    station = station_id or actor.station_id
    with tx(db, actor, "administration.start", permission="start_administration",
            reason=clean_text(override_reason, "Override reason", max_len=1000)) as s:
        visit = get(s, Visit, visit_id, "Visit")
        patient = rows_core.patient(s, visit.patient_id)
        audit.context(s).patient_id = patient.id
        refuse_if_locked(s, visit)
        if patient.status != "enrolled":
            raise UserError(f"Subject {patient.subject_id} is not active ({patient.status}).")
        refuse_not_done(s, visit.id, inst.id)
        rows = rows_core.at_visit(s, visit_id, inst.id)
        for row in rows:
            if row.status == "submitted":
                raise ConflictError(f"{inst.id} was already completed at this visit "
                                    f"({row.submitted_at:%Y-%m-%d %H:%M} UTC, station "
                                    f"{row.station_id or '-'}).")
        for row in rows:
            if row.status in OPEN:
                if row.status == "interrupted":
                    audit.context(s).action = "administration.resume"
                    get(s, Administration, row.id, "Administration").status = "in_progress"
                return row.id
        now = utcnow()
        last = rows_core.last_submitted(s, patient.id, inst.id)
        days = recall_days(patient_protocol(s, patient.id), inst.id)
        decision = sched.may_open(last, now, days, override_reason)
        if not decision.allowed:
            raise UserError(f"{inst.id} was completed less than {days} days ago (its recall "
                            f"period); it can open from {decision.earliest:%Y-%m-%d %H:%M} UTC "
                            "(or staff override with a reason).")
        register_codes(s, inst)
        proxy = actor.kind == "user" and proxy_reason is not None
        return rows_core.insert_administration(s, visit, {
            "visit_id": visit_id, "instrument_id": inst.id, "instrument_version": inst.version,
            "content_hash": inst.hash_for(shown), "language": shown,
            "text_version": text.version_id, "text_sha256": text.sha256,
            "status": "in_progress", "started_at": now, "submitted_at": None,
            "station_id": station, "originator": "proxy" if proxy else "patient",
            "proxy_user_id": actor.user_id if proxy else None,
            "proxy_reason": clean_text(proxy_reason, "Proxy reason",
                                       max_len=1000) if proxy else None})


def _open_adm(s: Session, actor: Actor, administration_id: int) -> tuple[Administration, Visit]:
    adm = get(s, Administration, administration_id, "Administration")
    visit = get(s, Visit, adm.visit_id, "Visit")
    _own(actor, visit)
    audit.context(s).patient_id = visit.patient_id
    refuse_if_locked(s, visit, adm)
    if adm.status not in OPEN:
        raise ConflictError(f"This questionnaire is {adm.status.replace('_', ' ')}; answers "
                            "can no longer change here (use a correction).")
    if adm.status == "interrupted":
        refuse_not_done(s, visit.id, adm.instrument_id)   # a resume list older than the record
        adm.status = "in_progress"
    return adm, visit


def _record(s: Session, adm: Administration, inst: Instrument, item_id: str, code: object,
            answered_at: datetime | None, ms_on_item: int | None,
            existing: dict[str, Answer] | None = None) -> None:
    check_ms(ms_on_item)
    code = validate_code(inst, item_id, code)
    at, saved = answer_times(answered_at)
    if existing is not None:
        ans = existing.get(item_id)
    else:
        ans = s.scalar(select(Answer).where(Answer.administration_id == adm.id,
                                            Answer.item_id == item_id))
    if ans is None:
        s.add(Answer(administration_id=adm.id, instrument_id=adm.instrument_id,
                     instrument_version=adm.instrument_version, item_id=item_id,
                     status="answered", code=code, answered_at=at, saved_at=saved,
                     change_count=0, ms_on_item=ms_on_item))
        return
    if ans.status == "answered" and ans.code == code:
        return                                   # same answer again: nothing to do
    s.flush()                                    # earlier rows keep their own action
    audit.context(s).action = "answer.change_before_submit"
    ans.status, ans.code, ans.skip_reason = "answered", code, None
    ans.change_count += 1
    ans.answered_at, ans.saved_at = at, saved
    if ms_on_item is not None:
        ans.ms_on_item = ms_on_item
    s.flush()
    audit.context(s).action = "answer.record"


def record_answer(db: Database, actor: Actor, administration_id: int, item_id: str, code: int,
                  *, answered_at: datetime | None = None, ms_on_item: int | None = None) -> None:
    """Save one answer now (idempotent; a changed answer is a change with old and new).

    The kiosk's autosave: the usual case goes through ``autosave.record_fast`` (Core
    statements, same rows and audit rows), anything else through the ORM path below."""

    def save() -> None:
        with tx(db, actor, "answer.record", permission="record_answer") as s:
            if autosave.record_fast(s, db, actor, administration_id, item_id, code,
                                    answered_at, ms_on_item):
                return
            adm, _visit = _open_adm(s, actor, administration_id)
            _record(s, adm, instrument_for(db, adm.instrument_id), item_id, code,
                    answered_at, ms_on_item)
    once_more_on_race(save)          # two stations saving one item at once (PostgreSQL)


def record_answers(db: Database, actor: Actor, administration_id: int,
                   codes: dict[str, int], *, answered_at: datetime | None = None) -> None:
    """Save several answers in one transaction (e.g. a whole page; same rules per answer): the
    usual case through ``autosave.record_batch`` (one INSERT, one audit executemany), anything
    else through the ORM path below."""
    with tx(db, actor, "answer.record", permission="record_answer") as s:
        if autosave.record_batch(s, db, actor, administration_id, codes, answered_at):
            return
        adm, _visit = _open_adm(s, actor, administration_id)
        inst = instrument_for(db, adm.instrument_id)
        existing = {a.item_id: a for a in s.scalars(
            select(Answer).where(Answer.administration_id == adm.id))}
        with s.no_autoflush:
            for item_id, code in codes.items():
                _record(s, adm, inst, item_id, code, answered_at, None, existing)


def skip_item(db: Database, actor: Actor, administration_id: int, item_id: str,
              reason: str) -> None:
    """Explicitly skip an item with a reason (never stored as NULL)."""
    if reason not in SKIP_REASONS:
        raise UserError(f"Skip reason must be one of {', '.join(SKIP_REASONS)}.")
    once_more_on_race(lambda: _skip(db, actor, administration_id, item_id, reason))


def _skip(db: Database, actor: Actor, administration_id: int, item_id: str,
          reason: str) -> None:
    with tx(db, actor, "answer.skip", permission="skip_item") as s:
        if autosave.skip_fast(s, db, actor, administration_id, item_id, reason):
            return
        adm, _visit = _open_adm(s, actor, administration_id)
        known_item(instrument_for(db, adm.instrument_id), item_id)
        at, saved = answer_times(None)
        ans = s.scalar(select(Answer).where(Answer.administration_id == adm.id,
                                            Answer.item_id == item_id))
        if ans is None:
            s.add(Answer(administration_id=adm.id, instrument_id=adm.instrument_id,
                         instrument_version=adm.instrument_version, item_id=item_id,
                         status="skipped", code=None, skip_reason=reason, answered_at=at,
                         saved_at=saved, change_count=0))
        elif not (ans.status == "skipped" and ans.skip_reason == reason):
            ans.status, ans.code, ans.skip_reason = "skipped", None, reason
            ans.change_count += 1
            ans.answered_at, ans.saved_at = at, saved


def branching_plan(s: Session, inst: Instrument, visit: Visit,
                   answers: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(applicable items with neither answer nor skip, items whose condition is false and
    that are not yet marked not applicable) for ``answers`` (item id -> a row or object with
    ``status`` and ``code``)."""
    codes = {k: a.code for k, a in answers.items() if a.status == "answered"}
    context = sched.visit_context(patient_protocol(s, visit.patient_id), visit.code)
    missing, to_na = [], []
    for item in inst.items:
        ans = answers.get(item.id)
        if inst.is_applicable(item, codes, context):
            if ans is None or ans.status == "not_applicable":
                missing.append(item.id)
            continue
        codes.pop(item.id, None)
        if ans is None or ans.status != "not_applicable":
            to_na.append(item.id)
    return missing, to_na


def apply_branching(s: Session, adm: Administration, inst: Instrument, visit: Visit,
                    answers: dict[str, Answer]) -> list[str]:
    """Mark items whose condition is false as not_applicable; return applicable unanswered."""
    missing, to_na = branching_plan(s, inst, visit, answers)
    now = utcnow()
    for item_id in to_na:
        ans = answers.get(item_id)
        if ans is None:
            s.add(Answer(administration_id=adm.id, instrument_id=adm.instrument_id,
                         instrument_version=adm.instrument_version, item_id=item_id,
                         status="not_applicable", answered_at=now, saved_at=now))
        else:
            ans.status, ans.code, ans.skip_reason = "not_applicable", None, None
    return missing


def submit_administration(db: Database, actor: Actor, administration_id: int
                          ) -> dict[str, Any]:
    """Finish an administration: branching, completeness, scores (idempotent once submitted)."""
    with tx(db, actor, "administration.submit", permission="submit_administration") as s:
        adm = get(s, Administration, administration_id, "Administration")
        hold_fresh(s, adm)                      # PostgreSQL: a second station's submit waits
        if adm.status == "submitted":
            visit = get(s, Visit, adm.visit_id, "Visit")
            _own(actor, visit)
            return scoring.stored_scores(s, adm.id)   # replayed submit: same result
        core = adm.status == "in_progress"      # else: resumed by _open_adm (ORM path)
        adm, visit = _open_adm(s, actor, administration_id)
        inst = instrument_for(db, adm.instrument_id)
        if inst.version != adm.instrument_version:
            raise ConflictError("The instrument file changed version since this questionnaire "
                                "started; call staff.")
        codes = _submit_core(s, adm, inst, visit) if core else _submit_orm(s, adm, inst, visit)
        _visit_done(s, visit)
        audit.flush_deferred(s)                  # the Core rows' audit with the visit's
        invalidate_signatures(s, visit, "questionnaire submitted after signature")
        scores, found = scoring.store_with_findings(s, adm, codes)
        raise_answer_alerts(s, adm, visit, found)   # staff alerts
        return scores


def _missing(missing: list[str]) -> None:
    if missing:
        raise UserError(f"{len(missing)} question(s) have neither an answer nor a skip: "
                        f"{', '.join(missing[:10])}.")


def _submit_core(s: Session, adm: Administration, inst: Instrument, visit: Visit
                 ) -> dict[str, int | None]:
    """Branching and status by Core statements (``administration_rows``), audited with the
    visit's changes; returns the stored codes for the scores (not read again)."""
    stored = rows_core.answers(s, adm.id)
    missing, to_na = branching_plan(s, inst, visit, stored)
    _missing(missing)
    na_at = utcnow()
    return rows_core.write_submit(s, adm, stored, to_na, na_at, utcnow())


def _submit_orm(s: Session, adm: Administration, inst: Instrument, visit: Visit) -> None:
    """The same through the ORM (an administration resumed by this submit)."""
    answers = {a.item_id: a for a in s.scalars(
        select(Answer).where(Answer.administration_id == adm.id))}
    _missing(apply_branching(s, adm, inst, visit, answers))
    adm.status = "submitted"
    adm.submitted_at = utcnow()


def _visit_done(s: Session, visit: Visit) -> None:
    """Data were recorded on ``visit`` (a questionnaire submitted, a staff form): it took place
    (actual date, window flag), and it is completed once every questionnaire of its battery is
    submitted or recorded not done (``forms.visit_start.battery_complete``), in progress until
    then."""
    if visit.actual_date is None:
        visit.actual_date = local_today()
        patient = rows_core.patient(s, visit.patient_id)
        pv = planned(visit, patient.day1_date)
        if sched.window_status(pv, visit.actual_date, visit.actual_date) == sched.OUT_OF_WINDOW:
            visit.out_of_window = True
            day = sched.study_day(patient.day1_date, visit.actual_date)
            # a reason staff already gave (set_visit_out_of_window_reason) is kept
            visit.out_of_window_reason = visit.out_of_window_reason or (
                f"assessed on study day {day} (outside the window; kept and flagged)")
    if visit.status in ("planned", "in_progress"):
        submitted = rows_core.submitted_at_visit(s, visit.id)
        battery = visit_battery(visit.code, patient_protocol(s, visit.patient_id))
        visit.status = ("completed" if battery_complete(battery, submitted,
                                                        not_done_ids(s, visit.id))
                        else "in_progress")


#: a visit with data recorded on it took place (staff outcome forms use it too)
visit_done = _visit_done


def mark_interrupted(db: Database, actor: Actor, administration_id: int) -> None:
    with tx(db, actor, "administration.interrupt", permission="mark_interrupted") as s:
        adm = get(s, Administration, administration_id, "Administration")
        visit = get(s, Visit, adm.visit_id, "Visit")
        _own(actor, visit)
        if adm.status == "in_progress":
            refuse_if_locked(s, visit)
            adm.status = "interrupted"


def _state(s: Session, adm: Administration, inst: Instrument | None) -> AdministrationState:
    visit = s.get(Visit, adm.visit_id)
    patient = s.get(Patient, visit.patient_id) if visit else None
    assert visit is not None and patient is not None
    answers, skipped, na, changes = {}, {}, set(), {}
    for a in s.scalars(select(Answer).where(Answer.administration_id == adm.id)):
        changes[a.item_id] = a.change_count
        if a.status == "answered":
            answers[a.item_id] = a.code
        elif a.status == "skipped":
            skipped[a.item_id] = a.skip_reason
        else:
            na.add(a.item_id)
    kind = sched.visit_kind(patient_protocol(s, patient.id), visit.code)
    # the items this visit asks (the instrument's conditions on the answers and the visit):
    # "3 of 23 answered" as the kiosk's own progress counts, not every item of the instrument
    ctx = {"visit": visit.code, "visit_kind": kind}
    total = (sum(1 for it in inst.items if inst.is_applicable(it, answers, ctx))
             if inst is not None else len(answers) + len(skipped) + len(na))
    return AdministrationState(
        adm.id, visit.id, patient.id, patient.subject_id, visit.code, adm.instrument_id,
        adm.instrument_version, adm.language, adm.status, answers, skipped, na, len(answers),
        total, adm.started_at, adm.submitted_at, adm.station_id, changes,
        text_version=adm.text_version, text_sha256=adm.text_sha256, visit_kind=kind)


def administration_state(db: Database, administration_id: int) -> AdministrationState:
    with db.read_session() as s:
        adm = get(s, Administration, administration_id, "Administration")
        return _state(s, adm, instrument_for(db, adm.instrument_id))


def interrupted_administrations(db: Database) -> list[AdministrationState]:
    """The paused questionnaires the kiosk offers to resume: not those that staff recorded
    not done (the patient could not finish them; ``storage.services.not_done``)."""
    with db.read_session() as s:
        rows = list(s.scalars(select(Administration).where(
            Administration.status == "interrupted").order_by(Administration.started_at)))
        not_done = not_done_by_visit(s, {a.visit_id for a in rows})
        return [_state(s, a, instrument_for(db, a.instrument_id)) for a in rows
                if a.instrument_id not in not_done.get(a.visit_id, {})]


def visit_administrations(db: Database, visit_id: int) -> list[AdministrationState]:
    with db.read_session() as s:
        rows = s.scalars(select(Administration).where(Administration.visit_id == visit_id)
                         .order_by(Administration.id))
        return [_state(s, a, instrument_for(db, a.instrument_id)) for a in rows]
