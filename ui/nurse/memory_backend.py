"""In-memory nurse backend: same interface as ``StorageBackend``, for widget tests and screenshots.

It is NOT the product's data store (nothing persists, the audit list is not tamper-evident). It
enforces the same role matrix (``storage.permissions``) and the same rules the UI relies on
(reason required for corrections, password re-entry for signing, correction invalidates a
signature) so the screens can be exercised before/without a database.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from forms import csc, schedule as sched, sf36
from forms.errors import UserError
from forms.instrument import load_instrument
from storage import permissions
from storage.actors import Actor
from storage.errors import AuthError, NotFound
from storage.services.dto import AdministrationState, PatientInfo, VisitInfo
from ui.nurse.patient_table import PatientListRow
from ui.nurse.trends import TrendPoint
from ui.nurse.view_data import (AuditRow, InstrumentReview, SignatureInfo, VisitReview,
                                review_answers, review_flags)

USERS = {  # username: (password, role, full name)
    "nurse": ("nurse-demo", "nurse", "Li Hua (demo nurse)"),
    "investigator": ("investigator-demo", "investigator", "Dr Wang Fang (demo investigator)"),
    "admin": ("admin-demo", "admin", "Admin (demo)"),
}
UTC = timezone.utc


class InMemoryBackend:
    arms = ("UC-MSC", "Control")

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.instruments = {i: load_instrument(i) for i in ("rand36", "csc")}
        self.patients: dict[int, PatientInfo] = {}
        self.visits: dict[int, VisitInfo] = {}
        self.visit_patient: dict[int, int] = {}
        self.adms: dict[int, AdministrationState] = {}
        self.scores: dict[int, dict[str, Any]] = {}
        self.clinical_data: dict[int, dict] = {}
        self.signatures: dict[int, list[SignatureInfo]] = {}
        self.audit_rows: list[AuditRow] = []
        self.eligibility: dict[int, dict] = {}
        self._ids = iter(range(1, 10**9))

    # -- helpers ---------------------------------------------------------------------------
    def _need(self, actor: Actor, action: str) -> None:
        permissions.require(actor, action)

    def _audit(self, actor: Actor, action: str, entity: str, entity_id: Any, field: str = "",
               old: Any = None, new: Any = None, reason: str | None = None,
               patient_id: int | None = None, visit_id: int | None = None) -> None:
        p = self.patients.get(patient_id) if patient_id else None
        v = self.visits.get(visit_id) if visit_id else None
        self.audit_rows.append(AuditRow(
            len(self.audit_rows) + 1, datetime.now(UTC), actor.username or actor.kind,
            permissions.role_of(actor), action, entity, str(entity_id), field,
            None if old is None else str(old), None if new is None else str(new), reason,
            p.subject_id if p else "", v.code if v else ""))

    # -- auth --------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Actor:
        u = USERS.get(username)
        if u is None or u[0] != password:
            self._audit(Actor.system(), "auth.failed", "user", username or "?")
            raise AuthError("Login failed")
        actor = Actor(kind="user", user_id=list(USERS).index(username) + 1, username=username,
                      role=u[1])
        self._audit(actor, "auth.login", "user", username)
        return actor

    def record_event(self, actor: Actor, *, action: str, entity: str | None = None,
                     entity_id: Any = None, detail: str | None = None) -> None:
        self._audit(actor, action, entity or "", entity_id, new=detail,
                    patient_id=entity_id if entity == "patient" else None)

    def full_name(self, actor: Actor) -> str:
        return USERS.get(actor.username or "", ("", "", actor.username or ""))[2]

    # -- patients and visits -------------------------------------------------------------------
    def enrol(self, actor: Actor, *, subject_id: str, initials: str, sex: str, birth_year: int,
              arm: str, day1_date: date, consent_date: date, full_name: str | None = None,
              screening_number: str | None = None, eligibility: dict | None = None,
              override: dict | None = None, override_actor: Any = None) -> int:
        self._need(actor, "enrol_patient")
        if any(p.subject_id == subject_id for p in self.patients.values()):
            raise UserError(f"Subject {subject_id} is already enrolled.")
        if arm not in self.arms:
            raise UserError("Unknown arm.")
        pid = next(self._ids)
        self.patients[pid] = PatientInfo(pid, subject_id, screening_number, initials, sex,
                                         birth_year, arm, consent_date, day1_date, "enrolled",
                                         full_name, 1)
        self.eligibility[pid] = {"eligibility": eligibility, "override": override}
        for pv in sched.planned_visits(day1_date):
            vid = next(self._ids)
            self.visits[vid] = VisitInfo(vid, pv.code, pv.target_day, (0, 0), pv.target_date,
                                         pv.earliest, pv.latest, None, "planned",
                                         sched.window_status(pv, self.today), False, 1)
            self.visit_patient[vid] = pid
        self._audit(actor, "patient.enrol", "patient", pid, "subject_id", None, subject_id,
                    (override or {}).get("reason"), patient_id=pid)
        return pid

    def patient(self, patient_id: int) -> PatientInfo:
        try:
            return self.patients[patient_id]
        except KeyError:
            raise NotFound("Patient not found.") from None

    def patient_visits(self, patient_id: int) -> list[VisitInfo]:
        return [v for vid, v in self.visits.items() if self.visit_patient[vid] == patient_id]

    def visit_administrations(self, visit_id: int) -> list[AdministrationState]:
        return [a for a in self.adms.values() if a.visit_id == visit_id]

    def list_patients(self) -> list[PatientListRow]:
        rows = []
        for p in self.patients.values():
            visits = self.patient_visits(p.id)
            nxt = next((v for v in visits if v.actual_date is None), None)
            last_sf = last_csc = None
            for v in visits:
                for a in self.visit_administrations(v.id):
                    if a.status == "submitted":
                        if a.instrument_id == "rand36":
                            last_sf = self.scores[a.id]
                        else:
                            last_csc = self.scores[a.id]
            rows.append(PatientListRow(
                p.id, p.subject_id, p.initials, p.arm, p.full_name,
                nxt.code if nxt else None, nxt.planned_date.isoformat() if nxt else None,
                nxt.window_status if nxt else None,
                (last_sf or {}).get("sf36_pcs"), (last_sf or {}).get("sf36_mcs"),
                (last_csc or {}).get("rss"), (last_csc or {}).get("alert") or None))
        return rows

    # -- answers (demo seeding; the kiosk does this in the product) ----------------------------
    def submit_answers(self, visit_id: int, instrument_id: str, answers: dict[str, int],
                       language: str = "en", minutes: float = 9.0,
                       skipped: dict[str, str] | None = None) -> int:
        inst = self.instruments[instrument_id]
        aid = next(self._ids)
        v = self.visits[visit_id]
        pid = self.visit_patient[visit_id]
        started = datetime.combine(v.planned_date, datetime.min.time(), UTC) + timedelta(hours=2)
        na = {it.id for it in inst.items if not inst.is_applicable(it, answers,
                                                                    {"visit": v.code})}
        self.adms[aid] = AdministrationState(
            aid, visit_id, pid, self.patients[pid].subject_id, v.code, inst.id, inst.version,
            language, "submitted", dict(answers), dict(skipped or {}), na, len(answers),
            len(inst.items), started, started + timedelta(minutes=minutes), "KIOSK-1")
        self.visits[visit_id] = replace(v, actual_date=v.planned_date, status="in_progress",
                                        window_status="in_window")
        self._score(aid)
        return aid

    def _score(self, aid: int) -> None:
        a = self.adms[aid]
        if a.instrument_id == "rand36":
            self.scores[aid] = sf36.score_all({int(k[1:]): c for k, c in a.answers.items()})
        else:
            base = next((x for x in self.adms.values() if x.patient_id == a.patient_id
                         and x.instrument_id == "csc" and x.visit_code == "baseline"), None)
            self.scores[aid] = csc.score_csc(
                a.answers, baseline=None if base is None or base.id == aid else base.answers
            ).values()

    # -- clinical ------------------------------------------------------------------------------
    def save_clinical(self, actor: Actor, visit_id: int, data: dict) -> int:
        self._need(actor, "enter_clinical_assessment")
        old = self.clinical_data.get(visit_id)
        self.clinical_data[visit_id] = dict(data)
        self._audit(actor, "clinical.save", "clinical_assessment", visit_id, "labs",
                    None if old is None else old.get("labs"), data.get("labs"),
                    patient_id=self.visit_patient[visit_id], visit_id=visit_id)
        self._invalidate(actor, visit_id, "clinical assessment changed")
        return visit_id

    def clinical(self, visit_id: int) -> dict | None:
        return self.clinical_data.get(visit_id)

    # -- review, correction, signature -----------------------------------------------------------
    def review(self, visit_id: int) -> VisitReview:
        v = self.visits[visit_id]
        ins = []
        for a in self.visit_administrations(visit_id):
            inst = self.instruments[a.instrument_id]
            ins.append(InstrumentReview(
                a.id, a.instrument_id, inst.title.get("en", a.instrument_id), a.instrument_version,
                a.language, a.status, a.started_at, a.submitted_at,
                review_answers(inst, a.language, a.answers, a.skipped, a.not_applicable,
                               a.change_counts),
                self.scores.get(a.id, {}), review_flags(inst, a.started_at, a.submitted_at,
                                                        a.answers)))
        return VisitReview(visit_id, v.code, tuple(ins), self.clinical_data.get(visit_id),
                           tuple(self.signatures.get(visit_id, [])))

    def correct_answer(self, actor: Actor, administration_id: int, item_id: str, new_code: int,
                       *, reason: str) -> None:
        self._need(actor, "correct_answer")
        if not reason or not reason.strip():
            raise UserError("A reason is required for a correction.")
        a = self.adms[administration_id]
        inst = self.instruments[a.instrument_id]
        if new_code not in inst.options_for(item_id).codes:
            raise UserError("That answer is not one of the item's options.")
        old = a.answers.get(item_id)
        answers = {**a.answers, item_id: new_code}
        counts = {**a.change_counts, item_id: a.change_counts.get(item_id, 0) + 1}
        skipped = {k: r for k, r in a.skipped.items() if k != item_id}
        self.adms[administration_id] = replace(a, answers=answers, change_counts=counts,
                                               skipped=skipped, answered_count=len(answers))
        self._score(administration_id)
        self._audit(actor, "answer.correct", "answer", f"{administration_id}:{item_id}", item_id,
                    old, new_code, reason.strip(), patient_id=a.patient_id, visit_id=a.visit_id)
        self._invalidate(actor, a.visit_id, "answer corrected")

    def _invalidate(self, actor: Actor, visit_id: int, why: str) -> None:
        sigs = self.signatures.get(visit_id, [])
        if sigs and sigs[-1].status == "valid":
            sigs[-1] = replace(sigs[-1], status="invalidated", invalidated_reason=why)
            self._audit(actor, "signature.invalidate", "signature", sigs[-1].id, "status",
                        "valid", "invalidated", why, patient_id=self.visit_patient[visit_id],
                        visit_id=visit_id)

    def sign_visit(self, actor: Actor, visit_id: int, *, password: str, meaning: str) -> int:
        self._need(actor, "sign_visit")
        u = USERS.get(actor.username or "")
        if u is None or u[0] != password:
            self._audit(actor, "signature.auth_failed", "visit", visit_id)
            raise AuthError("Password not accepted; the visit was not signed.")
        if not meaning.strip():
            raise UserError("The meaning of the signature is required.")
        sid = next(self._ids)
        self.signatures.setdefault(visit_id, []).append(
            SignatureInfo(sid, u[2], meaning, datetime.now(UTC), "valid"))
        self._audit(actor, "visit.sign", "signature", sid, "meaning", None, meaning,
                    patient_id=self.visit_patient[visit_id], visit_id=visit_id)
        return sid

    def verify_investigator(self, username: str, password: str) -> Actor:
        actor = self.authenticate(username, password)
        if actor.role != "investigator":
            raise AuthError("An investigator must confirm the override.")
        return actor

    # -- audit, trends -------------------------------------------------------------------------
    def audit(self, patient_id: int | None = None, visit_id: int | None = None) -> list[AuditRow]:
        p = self.patients.get(patient_id) if patient_id else None
        v = self.visits.get(visit_id) if visit_id else None
        return [r for r in self.audit_rows
                if (p is None or r.subject_id == p.subject_id)
                and (v is None or r.visit_code == v.code)]

    def trend_points(self, patient_id: int) -> list[TrendPoint]:
        pts = []
        for v in self.patient_visits(patient_id):
            vals: dict[str, float | None] = {}
            for a in self.visit_administrations(v.id):
                s = self.scores.get(a.id, {})
                if a.instrument_id == "rand36":
                    vals.update({k: s.get(k) for k in s if k.startswith("sf36_")})
                else:
                    vals.update(rss=s.get("rss"), tsb=s.get("tsb"))
                    vals.update({k: a.answers.get(k) for k in ("C1", "C2", "C3", "C4")})
            c = self.clinical_data.get(v.id)
            if c:
                d = c.get("derived", {})
                vals["child_pugh"] = d.get("child_pugh", {}).get("value")
                vals["meld"] = d.get("meld", {}).get("value")
            if vals:
                pts.append(TrendPoint(v.code, vals))
        return pts


def demo_backend(today: date | None = None, n_patients: int = 24, seed: int = 3) -> InMemoryBackend:
    """A backend with made-up patients, submitted visits and clinical data (screenshots, tests)."""
    from ui.nurse.clinical_scores import compute
    today = today or date.today()
    b = InMemoryBackend(today)
    rnd = random.Random(seed)
    system = Actor(kind="user", user_id=1, username="nurse", role="nurse")
    names = ["王伟", "李娜", "欧阳秀英", "张敏", "陈静", "买买提·艾力", "刘强", "杨丽", "赵磊",
             "黄军", "周洋", "吴艳"]
    for i in range(n_patients):
        day1 = today - timedelta(days=rnd.randint(0, 200))
        name = names[i % len(names)]
        pid = b.enrol(system, subject_id=f"SH01-{i + 1:03d}", initials="".join(
            rnd.choice("WLZCYHO") for _ in range(2)), sex=rnd.choice("FM"),
            birth_year=today.year - rnd.randint(25, 68), arm=b.arms[i % 2],
            day1_date=day1, consent_date=day1 - timedelta(days=7), full_name=name)
        done = [v for v in b.patient_visits(pid) if v.planned_date <= today - timedelta(days=1)]
        if len(done) > 1 and rnd.random() < 0.3:
            done = done[:-1]             # the last due visit was missed: overdue / due
        for k, v in enumerate(done):
            sev = max(0, 3 - k)
            sf = {f"q{n}": rnd.randint(1, 3) if n in range(3, 13) else rnd.randint(1, 5)
                  for n in range(1, 37)}
            sf.update({f"q{n}": rnd.randint(1, 2) for n in range(13, 20)})
            sf.update({f"q{n}": rnd.randint(1, 6) for n in (21, 23, 24, 25, 26, 27, 28, 29,
                                                                  30, 31)})
            b.submit_answers(v.id, "rand36", sf, minutes=rnd.choice((1.5, 8, 11)))
            cs = {c: max(0, min(4, sev + rnd.randint(-1, 1))) for c in
                  ("C1", "C2", "C3", "C4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8")}
            if cs["C2"] >= 1:
                cs["C2b"] = rnd.randint(0, 3)
            cs.update({"P1": 0, "P2": 0, "G1": rnd.randint(0, 3)})
            if v.code != "baseline":
                cs["G2"] = rnd.randint(1, 4)
            cs.update({f"A{n}": 0 for n in range(1, 8)})
            if rnd.random() < 0.1:
                cs["A3"] = 1
            lang = "zh_CN" if rnd.random() < 0.7 else "en"
            b.submit_answers(v.id, "csc", cs, language=lang)
            labs = {"bilirubin": (str(round(rnd.uniform(20, 70), 1)), "umol/L"),
                    "albumin": (str(round(rnd.uniform(25, 38), 1)), "g/L"),
                    "inr": (str(round(rnd.uniform(1.1, 2.0), 2)), ""),
                    "creatinine": (str(rnd.randint(60, 130)), "umol/L"),
                    "sodium": (str(rnd.randint(128, 141)), "mmol/L")}
            sc = compute(labs, ascites=rnd.choice(("none", "slight")), encephalopathy="none",
                         dialysis=False, female=True, age=50)
            b.clinical_data[v.id] = {"labs": {n: {"value": t, "unit": u} for n, (t, u) in
                                              labs.items()},
                                     "sample_date": v.planned_date.isoformat(),
                                     "derived": sc.derived()}
    return b
