"""Demo study with generated (fictitious) patients, written ONLY through the services so the
audit trail, scores and signatures are real. Times are placed in the past with storage.clock.

DEMO-0001 has completed every visit through W24; the others are spread over the study.
Accounts: nurse / nurse-demo, investigator / investigator-demo, admin / admin-demo.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from forms import sf36
from forms.instrument import load_instrument
from storage import services as sv
from storage.actors import Actor
from storage.clock import use_clock
from storage.db import Database
from storage.models import Study, User

DEMO_ACCOUNTS = {"nurse": ("nurse-demo", "Demo Nurse"),
                 "investigator": ("investigator-demo", "Demo Investigator"),
                 "admin": ("admin-demo", "Demo Admin")}
SHANGHAI = timezone(timedelta(hours=8))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


class _Clock:
    """Advances a few seconds on every reading, starting at a chosen moment."""

    def __init__(self) -> None:
        self.t = datetime.now(timezone.utc)

    def set(self, moment: datetime) -> None:
        self.t = moment

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=3)
        return self.t


def _accounts(db: Database) -> dict[str, Actor]:
    system = Actor.system()
    with db.session() as s:
        have = set(s.scalars(select(User.username)))
        has_study = s.scalar(select(Study.id).limit(1)) is not None
    if not has_study:
        sv.create_study(db, system, protocol_id="DEMO-CIRRHOSIS", is_demo=True,
                        title="DEMO: decompensated HBV cirrhosis PRO study (fictitious data)")
    for role, (pw, full) in DEMO_ACCOUNTS.items():
        if role not in have:
            sv.create_user(db, system, username=role, full_name=full, role=role, password=pw)
    return {role: sv.authenticate(db, role, pw, station_id="DEMO-WS")
            for role, (pw, _f) in DEMO_ACCOUNTS.items()}


def _sf36_codes(rng: random.Random, health: float) -> dict[str, int]:
    out = {}
    for i in sf36.ITEMS:
        target = max(0.0, min(100.0, health * 100 + rng.gauss(0, 15)))
        table = sf36.RAND_RECODE[i]
        out[f"q{i}"] = min(table, key=lambda c: abs(table[c] - target))
    return out


def _csc_codes(rng: random.Random, health: float, visit_code: str) -> dict[str, int]:
    inst = load_instrument("csc")
    out: dict[str, int] = {}
    for item in inst.items:
        codes = inst.options_for(item).codes
        if not inst.is_applicable(item, out, {"visit": visit_code}):
            continue
        if item.response_set == "YN3":
            r = rng.random()
            out[item.id] = 1 if r < 0.03 else 9 if r < 0.06 else 0
        elif item.response_set == "PGIC7":
            out[item.id] = max(1, min(7, round(4 - (health - 0.5) * 6 + rng.gauss(0, 0.7))))
        else:
            out[item.id] = max(0, min(4, round((1 - health) * 4 + rng.gauss(0, 0.8))))
    return out


def _labs(rng: random.Random, health: float) -> dict:
    sick = 1 - health
    return {"bilirubin": {"value": round(1.0 + sick * 4 + rng.uniform(-.3, .3), 1),
                          "unit": "mg/dL"},
            "albumin": {"value": round(38 - sick * 12 + rng.uniform(-2, 2)), "unit": "g/L"},
            "inr": {"value": round(1.1 + sick * 0.9 + rng.uniform(-.1, .1), 2)},
            "creatinine": {"value": round(0.8 + sick * 0.8 + rng.uniform(-.1, .1), 2),
                           "unit": "mg/dL"},
            "sodium": {"value": round(139 - sick * 8 + rng.uniform(-2, 2)), "unit": "mmol/L"}}


def _do_visit(db: Database, staff: dict[str, Actor], clock: _Clock, rng: random.Random,
              pid: int, visit: sv.VisitInfo, health: float) -> None:
    nurse = staff["nurse"]
    patient = Actor.patient(pid, "DEMO-KIOSK")
    for inst_id, codes in (("rand36", _sf36_codes(rng, health)),
                           ("csc", _csc_codes(rng, health, visit.code))):
        adm = sv.start_administration(db, nurse, visit_id=visit.id, instrument_id=inst_id,
                                      language=rng.choice(("zh_CN", "zh_CN", "en")),
                                      station_id="DEMO-KIOSK")
        skips = [k for k in codes if rng.random() < 0.02]
        sv.record_answers(db, patient, adm, {k: c for k, c in codes.items() if k not in skips})
        for k in skips:
            sv.skip_item(db, patient, adm, k, "prefer_not_to_answer")
        if rng.random() < 0.1:                      # the patient changed one answer
            k = rng.choice([k for k in codes if k not in skips])
            options = load_instrument(inst_id).options_for(k).codes
            sv.record_answer(db, patient, adm, k, rng.choice(options))
        sv.submit_administration(db, patient, adm)
    sv.enter_clinical_assessment(db, nurse, visit.id, {
        "sample_date": clock.t.astimezone(SHANGHAI).date() - timedelta(days=rng.randint(0, 2)),
        "labs": _labs(rng, health), "ascites": "none" if health > .6 else "slight",
        "encephalopathy": "none" if health > .4 else "grade1-2", "vital_status": "alive",
        "symptom_grades": {"fatigue": max(0, min(4, round((1 - health) * 4)))}})


def generate_demo_data(db: Database, patients: int = 20, seed: int = 1) -> int:
    """Create ``patients`` demo subjects (DEMO-0001 …); returns how many were created."""
    rng = random.Random(seed)
    clock = _Clock()
    today = datetime.now(SHANGHAI).date()
    with use_clock(clock), db.unsynced_bulk_load():
        staff = _accounts(db)
        start = sv.patient_count(db)
        made = 0
        to_sign: list[int] = []                       # visits waiting for the investigator
        to_correct: list[int] = []                    # patients waiting for a correction
        latest = [datetime(2000, 1, 1, tzinfo=timezone.utc)]   # end of the latest visit
        for n in range(start + 1, start + patients + 1):
            subject = f"DEMO-{n:04d}"
            if sv.find_patient(db, subject) is not None:
                continue
            day1 = today - timedelta(days=180 if n == 1 else rng.randint(-10, 340))
            clock.set(datetime.combine(day1 - timedelta(days=7), time(9, 0), SHANGHAI))
            full = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))
            pid = sv.enrol_patient(
                db, staff["nurse"], subject_id=subject, initials="DM", full_name=full,
                sex=rng.choice("FM"), birth_year=today.year - rng.randint(25, 68),
                arm=rng.choice(("A", "B")), day1_date=day1,
                consent_date=day1 - timedelta(days=rng.randint(3, 14)),
                screening_number=f"SCR-{n:04d}")
            made += 1
            base_h = rng.uniform(0.3, 0.6)
            slope = rng.uniform(0.0, 0.25) if n % 2 else rng.uniform(-0.1, 0.1)
            last: datetime | None = None
            for visit in sv.patient_visits(db, pid):
                when = datetime.combine(visit.planned_date, time(9, 30), SHANGHAI) \
                    + timedelta(minutes=rng.randint(0, 240))
                if last is not None:
                    when = max(when, last + timedelta(days=7, hours=1))
                if when.date() >= today or (n != 1 and rng.random() < 0.07):
                    continue                        # future, or a missed visit (overdue)
                if n == 1 and visit.code in ("W36", "W48"):
                    continue
                clock.set(when.astimezone(timezone.utc))
                health = max(0.05, min(0.95, base_h + slope * visit.target_day / 337))
                _do_visit(db, staff, clock, rng, pid, visit, health)
                last = clock.t
                latest[0] = max(latest[0], clock.t)
                if n == 1 or rng.random() < 0.25:
                    to_sign.append(visit.id)
            if n == 1 or rng.random() < 0.15:
                to_correct.append(pid)
            if len(to_sign) >= SIGNING_SESSION:
                _signing_session(db, staff, clock, latest[0], to_sign, to_correct)
        _signing_session(db, staff, clock, latest[0], to_sign, to_correct)
    return made


#: visits an investigator signs in one session (one password entry, see sign_visits)
SIGNING_SESSION = 60


def _signing_session(db: Database, staff: dict[str, Actor], clock: _Clock,
                     last_visit: datetime, to_sign: list[int], to_correct: list[int]) -> None:
    """The investigator signs the waiting visits in one session (one re-authentication), a day
    after the latest visit generated so far (or, if that is still to come, as soon as
    possible after it); then the waiting corrections are made, so some signed visits need
    re-signature. Empties both lists."""
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    clock.set(min(last_visit + timedelta(days=1), max(now, last_visit + timedelta(minutes=30))))
    if to_sign:
        sv.sign_visits(db, staff["investigator"], to_sign,
                       password=DEMO_ACCOUNTS["investigator"][0],
                       meaning="reviewed and approved")
    for pid in to_correct:
        _demo_correction(db, staff, clock, pid)
    to_sign.clear()
    to_correct.clear()


def _demo_correction(db: Database, staff: dict[str, Actor], clock: _Clock, pid: int) -> None:
    visits = [v for v in sv.patient_visits(db, pid) if v.status in ("signed", "completed")]
    if len(visits) < 2:
        return
    visit = visits[1]
    adms = [a for a in sv.visit_administrations(db, visit.id) if a.instrument_id == "rand36"]
    if not adms or "q3" not in adms[0].answers:
        return
    clock.set(clock.t + timedelta(minutes=20))
    old = adms[0].answers["q3"]
    sv.correct_answer(db, staff["nurse"], adms[0].id, "q3", 1 if old != 1 else 2,
                      reason="patient reported a mis-tap on this item (phone note)")
