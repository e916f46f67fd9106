"""The nurse screens' door to storage: ``NurseBackend`` (ui/nurse/ports.py) over
``storage.services``, the only storage module ui/ imports.

Every method is one service call (or a few read calls) and is safe to run in a pool thread:
the services open their own session per call. Storage DTOs are turned into the screens' plain
rows (``PatientListRow``, ``VisitReview``, ``AuditRow``, ``TrendPoint``); no rule and no query
lives here. Widget tests run this same adapter over a real (SQLite) database.
"""
from __future__ import annotations

from datetime import date
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from forms import schedule as sched
from forms.liver import stored_score
from forms.outcomes import visit_outcome_kinds
from forms.registry import registry
from storage import services as sv
from forms.translation import text_version_label
from ui.i18n import current_language
from ui.nurse import audit_text
from reports.alert_text import alert_words
from ui.nurse.patient_table import PatientListRow
from ui.nurse.view_data import (AuditRow, InstrumentReview, SignatureInfo, TrendPoint,
                                VisitReview, review_answers, review_flags)

_LIST_ROW = partial(tuple.__new__, PatientListRow)   # a named tuple without a Python call


class StorageBackend:
    def __init__(self, db: Any, *, station_id: str | None = None) -> None:
        self.db = db
        self.station_id = station_id
        self._instruments: dict[str, Any] = {}
        self._names: dict[str, str] = {}

    @property
    def arms(self) -> tuple[str, ...]:
        """The arms as shown (labels in the GUI language; the list rows carry the same)."""
        labels = sv.arm_labels(self.db, current_language())
        return tuple(labels.get(a, a) for a in sv.study_arms(self.db))

    def arm_label(self, arm_id: str) -> str:
        """An arm as the protocol names it in the GUI language (never the bare id unless the
        protocol has no such arm)."""
        return sv.arm_labels(self.db, current_language()).get(arm_id, arm_id)

    def _inst(self, instrument_id: str):
        if instrument_id not in self._instruments:
            from forms.instrument import load_instrument
            self._instruments[instrument_id] = load_instrument(instrument_id)
        return self._instruments[instrument_id]

    # -- auth --------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str):
        actor = sv.authenticate(self.db, username, password, station_id=self.station_id)
        return actor

    def record_logout(self, actor, *, why: str) -> None:
        sv.record_logout(self.db, actor, why=why)

    def full_name(self, actor) -> str:
        if actor.user_id not in self._names:
            self._names[actor.user_id] = sv.user_display_name(self.db, actor.user_id)
        return self._names[actor.user_id] or actor.username or ""

    def change_password(self, actor, old_password: str, new_password: str):
        return sv.change_password(self.db, actor, old_password=old_password,
                                  new_password=new_password)

    def verify_investigator(self, username: str, password: str):
        actor = self.authenticate(username, password)
        if actor.role != "investigator":
            raise sv.AuthError("An investigator must confirm the override.")
        return actor

    # -- patients ------------------------------------------------------------------------------
    def list_patients(self) -> list[PatientListRow]:
        lang = current_language()
        labels = sv.arm_labels(self.db, lang)    # an arm id is an internal code
        protocol = sv.current_protocol(self.db) if labels else None   # none: an old database
        rows = sv.list_patients(self.db)
        if not rows:
            return []
        # 10 000 rows name a few arms, visit codes and dates: each text is made once per call,
        # and the rows are built column by column (map/zip: no Python call per row)
        arms = _Memo(lambda arm: labels.get(arm, arm))
        visits = _Memo(lambda code: sched.visit_label(protocol, code, lang) if code else None)
        days = _Memo(lambda day: day.isoformat() if day else None)
        # the alert column: the worst unacknowledged staff alert, with its reason
        worst, words, count = {}, {}, {}
        for r in filter(itemgetter(13), rows):            # the few with open alerts
            worst[r.id] = r.open_alerts[0].severity
            words[r.id] = alert_words(r.open_alerts[0], lang)
            count[r.id] = len(r.open_alerts)

        def col(i: int):        # a lazy column: zip(*rows) would make an iterator per row
            return map(itemgetter(i), rows)
        return list(map(_LIST_ROW, zip(
            col(0), col(1), col(2), map(arms.__getitem__, col(3)), col(5),
            map(visits.__getitem__, col(6)), map(days.__getitem__, col(7)), col(8), col(9),
            col(10), col(11), map(worst.get, col(0)), map(words.get, col(0)),
            map(count.get, col(0), repeat(0)))))

    # -- staff alerts and the kiosk PIN --------------------------------------------------------
    def alerts(self) -> list[Any]:
        """Unacknowledged staff alerts, newest first (the notice after login)."""
        return sv.list_alerts(self.db, unacknowledged=True)

    def acknowledge_alert(self, actor, alert_id: int, note: str | None = None) -> None:
        sv.acknowledge_alert(self.db, actor, alert_id, note)

    def set_kiosk_pin(self, actor, password: str, pin: str) -> None:
        sv.set_kiosk_pin(self.db, actor, password=password, pin=pin)

    def patient(self, patient_id: int):
        return sv.get_patient(self.db, patient_id)

    def patient_visits(self, patient_id: int):
        return sv.patient_visits(self.db, patient_id)

    def visit_administrations(self, visit_id: int):
        return sv.visit_administrations(self.db, visit_id)

    def protocol(self):
        """The protocol the database runs (criteria, arms, allocation) for the enrol dialog."""
        return sv.current_protocol(self.db)

    def enrol(self, actor, *, override_actor=None, **fields) -> int:
        """Raw screening inputs and demographics to the enrolment service, which recomputes
        the screening, assigns the arm and stores both; ``override_actor`` is the investigator
        who re-entered their password in the enrol dialog."""
        return sv.enrol_patient(self.db, actor, override_by=override_actor, **fields)

    def enrolment(self, patient_id: int):
        """What storage stored at enrolment (result, arm, allocation sequence)."""
        return sv.enrolment_record(self.db, patient_id)

    def record_event(self, actor, *, action: str, entity: str | None = None,
                     entity_id: int | None = None, detail: str | None = None) -> None:
        sv.record_event(self.db, actor, action=action, entity=entity, entity_id=entity_id,
                           detail=detail)

    # -- clinical ------------------------------------------------------------------------------
    def save_clinical(self, actor, visit_id: int, data: dict) -> int:
        d = dict(data)
        if isinstance(d.get("sample_date"), str):
            d["sample_date"] = date.fromisoformat(d["sample_date"])
        return sv.enter_clinical_assessment(self.db, actor, visit_id, d)

    # -- outcome forms (issue 15) ------------------------------------------------------------
    def visit_outcome_kinds(self, visit_code: str) -> tuple[str, ...]:
        return visit_outcome_kinds(self.protocol(), visit_code)

    def outcome_records(self, patient_id: int, visit_id: int | None) -> list:
        return sv.list_outcomes(self.db, None, patient_id=patient_id, visit_id=visit_id)

    def record_outcome(self, actor, patient_id: int, kind: str, fields: dict, *,
                       visit_id: int | None, lang: str) -> int:
        return sv.record_outcome(self.db, actor, patient_id, kind, fields, visit_id=visit_id,
                                 lang=lang)

    def correct_outcome(self, actor, record_id: int, fields: dict, reason: str, *,
                        lang: str) -> None:
        sv.correct_outcome(self.db, actor, record_id, fields, reason, lang=lang)

    def clinical(self, visit_id: int) -> dict | None:
        return sv.clinical_assessment(self.db, visit_id)

    # -- review ------------------------------------------------------------------------------
    def review(self, visit_id: int) -> VisitReview:
        scores = sv.visit_scores(self.db, visit_id)
        ins = []
        code = ""
        for a in sv.visit_administrations(self.db, visit_id):
            code = a.visit_code
            inst = sv.administration_instrument(self.db, a.id)   # the text this patient read
            flat: dict[str, Any] = {}
            for algo in scores.get(a.instrument_id, {}).values():
                flat.update(algo.get("values") or {})
            ins.append(InstrumentReview(
                a.id, a.instrument_id, inst.title.get(current_language())
                or inst.title.get("en", a.instrument_id),
                a.instrument_version, a.language, a.status, a.started_at, a.submitted_at,
                review_answers(inst, a.language, a.answers, a.skipped, a.not_applicable,
                               a.change_counts),
                flat, review_flags(inst, a.started_at, a.submitted_at, a.answers),
                text_version_label(a.text_version, a.text_sha256)))
        sigs = tuple(SignatureInfo(s.id, s.signer_name, s.meaning, s.signed_at,
                                   s.status if s.content_matches or s.status != "valid"
                                   else "invalidated", s.invalidated_reason)
                     for s in sv.visit_signatures(self.db, visit_id))
        return VisitReview(visit_id, code, tuple(ins), sv.clinical_assessment(self.db, visit_id),
                           sigs)

    def correct_answer(self, actor, administration_id: int, item_id: str, new_code: int, *,
                       reason: str) -> None:
        sv.correct_answer(self.db, actor, administration_id, item_id, new_code, reason=reason)

    def sign_visit(self, actor, visit_id: int, *, password: str, meaning: str,
                   username: str | None = None) -> int:
        return sv.sign_visit(self.db, actor, visit_id, password=password, meaning=meaning,
                             username=username)

    def today(self, actor):
        """The Today view's overview (one service call, one read transaction)."""
        return sv.today_overview(self.db, actor)

    def signature_needs_user_id(self, actor) -> bool:
        return sv.signature_needs_user_id(self.db, actor)

    # -- audit and trends -----------------------------------------------------------------------
    def audit(self, patient_id: int | None = None) -> list[AuditRow]:
        """The patient's audit trail (the Audit trail tab): each row with its visit, answers
        with their question, values in words (ui/nurse/audit_text.py); raw values kept."""
        lang = current_language()
        if patient_id is None:
            rows = [sv.AuditTrailRow(r.seq, r.at, r.action, r.entity, r.entity_id, r.field,
                                     r.old_value, r.new_value, r.reason, r.actor_kind,
                                     r.actor_username, r.actor_role)
                    for r in sv.audit_history(self.db)]
        else:
            rows = sv.audit_trail(self.db, patient_id)
        # the same (field, question, value) recurs thousands of times in a patient's trail:
        # each text is made once per call (opening a patient, bench_reads open_patient_10k_ms)
        roles = _Memo(audit_text.role_text)
        actions = _Memo(audit_text.action_text)
        fields = _Memo(lambda k: audit_text.field_text(*k, lang))      # (field, instrument, item)
        values = _Memo(lambda k: audit_text.value_text(*k, lang))      # (value, field, ...)
        out = []
        for r in rows:
            where = (r.field, r.instrument_id, r.item_id)
            out.append(AuditRow(
                r.seq, r.at, r.actor_username or r.actor_kind, roles[r.actor_role or r.actor_kind],
                r.action, r.entity or "", "" if r.entity_id is None else str(r.entity_id),
                r.field or "", r.old_value, r.new_value, r.reason, visit_code=r.visit_code,
                action_text=actions[r.action], field_text=fields[where],
                old_text=values[(r.old_value, *where)], new_text=values[(r.new_value, *where)]))
        return out

    def value_history(self, visit_id: int) -> sv.VisitHistory:
        """The story of every value of the visit (the Review tab's history pane)."""
        return sv.value_history(self.db, visit_id)

    def trend_points(self, patient_id: int) -> list[TrendPoint]:
        """One point per visit with values, labelled as the protocol names the visit in the GUI
        language (short form: "Baseline", "Week 12"; an unknown code stays the code)."""
        lang = current_language()
        protocol = sv.current_protocol(self.db)
        pts = []
        for v in sv.patient_trend_data(self.db, patient_id):     # one read transaction
            vals: dict[str, float | None] = {}
            for inst, algos in v.scores.items():
                for values in algos.values():
                    for k, x in values.items():
                        if isinstance(x, (int, float)) and not isinstance(x, bool):
                            vals[k] = float(x)
                entry = registry().find(inst)
                for t in entry.trends if entry is not None else ():   # the registry's series
                    x = (algos.get(t.algorithm) or {}).get(t.key)
                    vals[t.series] = None if x is None else float(x)
            for inst, answered in v.answers:
                entry = registry().find(inst)
                if entry is not None and entry.trend_items:
                    vals.update({k: answered.get(k) for k in entry.trend_items})
            if v.clinical_derived is not None:
                for key in ("child_pugh", "meld"):
                    x = stored_score(v.clinical_derived, key)
                    vals[key] = None if x is None else x["score"]
            if vals:
                pts.append(TrendPoint(v.code, vals,
                                      sched.visit_label(protocol, v.code, lang, short=True)))
        return pts


class _Memo(dict):
    """``make(key)`` computed once per distinct key (a dict lookup for every repeat)."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._make(key)
        return value
