"""Demo study with generated (fictitious) patients, written ONLY through the services so the
audit trail, scores and signatures are real. Times are placed in the past with storage.clock.

DEMO-0001 has completed every visit through W24; the others started over the last year and
have done every visit whose window has passed (a rare missed or late visit), the visit whose
window is open sometimes, nothing later. The study is the default protocol file (three dose
arms assigned by its permuted-block allocation, its visits, batteries and recall periods);
pinyin initials, every patient eligible at screening, no full names unless
asked for, clinician grades on the nurse form's 0–3 scale, one patient in 25 on dialysis later on.
Accounts: nurse / ward-demo-1, investigator / trial-demo-1, admin / site-demo-1.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from forms import sf36
from forms.errors import UserError
from forms.instrument import Instrument, load_instrument
from forms.instrument_defs import InstrumentEntry
from forms.registry import registry
from forms import schedule as sched
from forms.enrolment import RawScreening
from forms.protocol import Protocol
from storage import services as sv
from storage.actors import Actor
from storage.auth_sessions import system_actor
from storage.clock import use_clock
from storage.db import Database
from storage.demo_batch import PatientBatch
from storage.demo_outcomes import patient_events, visit_outcomes
from storage.models import Study, User

DEMO_ACCOUNTS = {"nurse": ("ward-demo-1", "Demo Nurse"),
                 "investigator": ("trial-demo-1", "Demo Investigator"),
                 "admin": ("site-demo-1", "Demo Admin")}
SHANGHAI = timezone(timedelta(hours=8))
# (character, pinyin): initials are the pinyin initials of surname and given name ("ZW" for
# 张伟), as Chinese sites write them on CRFs
SURNAMES = (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
            ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
            ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"),
            ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"))
GIVEN = (("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"),
         ("丽", "Li"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"),
         ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("娟", "Juan"), ("涛", "Tao"),
         ("明", "Ming"), ("超", "Chao"), ("秀", "Xiu"), ("霞", "Xia"), ("平", "Ping"),
         ("刚", "Gang"), ("桂", "Gui"), ("英", "Ying"), ("华", "Hua"))
#: clinician-rated core symptoms (symptoms.md §4; the nurse form's keys), graded 0–3
CLINICIAN_SYMPTOMS = ("appetite", "debilitation", "abdominal_distension", "lower_limb_edema")
#: every DIALYSIS_EVERY-th patient (from DEMO-0007) develops hepatorenal syndrome and is on
#: dialysis from W12 on (not at enrolment: renal failure on dialysis is an exclusion criterion)
DIALYSIS_EVERY, DIALYSIS_FIRST, DIALYSIS_FROM_DAY = 25, 7, 85


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
    """Demo accounts logged in; an empty database first gets the study from the default
    protocol file (three dose arms, permuted-block allocation), flagged as demo."""
    system = system_actor()
    with db.session() as s:
        have = set(s.scalars(select(User.username)))
        demo = s.scalar(select(Study.is_demo).order_by(Study.id).limit(1))
    has_study = demo is not None
    if has_study and not demo:
        raise UserError("This database holds a study that was not created as a demo; demo "
                        "data are added only to a demo database (nothing was changed).")
    if not has_study:
        sv.create_study(db, system, is_demo=True)
    for role, (pw, full) in DEMO_ACCOUNTS.items():
        if role not in have:
            sv.create_user(db, system, username=role, full_name=full, role=role, password=pw)
    logins = {role: sv.authenticate(db, role, pw, station_id="DEMO-WS")
              for role, (pw, _f) in DEMO_ACCOUNTS.items()}
    # the nurse at the kiosk, who hands it over to each patient (storage.auth_sessions)
    logins["kiosk"] = sv.authenticate(db, "nurse", DEMO_ACCOUNTS["nurse"][0],
                                      station_id="DEMO-KIOSK")
    return logins


#: screening labs and grades of an eligible patient (Child-Pugh 8 B, MELD 14)
ELIGIBLE_LABS = {"bilirubin": {"value": "2.5", "unit": "mg/dL"},
                 "albumin": {"value": "30", "unit": "g/L"}, "inr": {"value": "1.5", "unit": ""},
                 "creatinine": {"value": "1.0", "unit": "mg/dL"},
                 "sodium": {"value": "135", "unit": "mmol/L"}}


def eligible_screening(protocol: Protocol, day1: date, *, birth_date: date | None = None,
                       consent_date: date | None = None) -> RawScreening:
    """Raw screening inputs meeting every criterion of ``protocol`` (NCT01342250 §3; the
    exclusion ids are read from the protocol): for demo data and the export test database."""
    consent = consent_date or day1 - timedelta(days=7)
    return RawScreening(
        screening_date=max(consent, day1 - timedelta(days=5)),
        birth_date=birth_date or date(day1.year - 55, 6, 1), consent_date=consent,
        decompensated=True, decompensation_kinds=("ascites",), labs=ELIGIBLE_LABS,
        ascites="slight", encephalopathy="none", life_expectancy_over_2_months=True,
        hbv=True, antiviral=True, exclusions={c.id: False for c in protocol.exclusion})


def _person(rng: random.Random) -> tuple[str, str]:
    """(initials, full name): pinyin initials of a generated Chinese name."""
    (sur, sur_py), = rng.sample(SURNAMES, 1)
    given = rng.sample(GIVEN, rng.choice((1, 2, 2)))
    return sur_py[0] + given[0][1][0], sur + "".join(ch for ch, _py in given)


def _sf36_codes(rng: random.Random, health: float) -> dict[str, int]:
    out = {}
    for i in sf36.ITEMS:
        target = max(0.0, min(100.0, health * 100 + rng.gauss(0, 15)))
        table = sf36.RAND_RECODE[i]
        out[f"q{i}"] = min(table, key=lambda c: abs(table[c] - target))
    return out


def _csc_codes(rng: random.Random, health: float, ctx: dict[str, str],
               inst: Instrument) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in inst.items:
        codes = inst.options_for(item).codes
        if not inst.is_applicable(item, out, ctx):
            continue
        if item.response_set == "YN3":
            r = rng.random()
            out[item.id] = 1 if r < 0.03 else 9 if r < 0.06 else 0
        elif item.response_set == "PGIC7":
            out[item.id] = max(1, min(7, round(4 - (health - 0.5) * 6 + rng.gauss(0, 0.7))))
        else:
            out[item.id] = max(0, min(4, round((1 - health) * 4 + rng.gauss(0, 0.8))))
    return out


def _generic_codes(rng: random.Random, health: float, ctx: dict[str, str],
                   inst: Instrument) -> dict[str, int]:
    """Any instrument: the option at the patient's health position (first = healthiest), noisy."""
    out: dict[str, int] = {}
    for item in inst.items:
        if inst.is_applicable(item, out, ctx):
            codes = inst.options_for(item).codes
            pos = round((1 - health) * (len(codes) - 1) + rng.gauss(0, 0.6))
            out[item.id] = codes[max(0, min(len(codes) - 1, pos))]
    return out


def _codes_for(rng: random.Random, health: float, ctx: dict[str, str],
               entry: InstrumentEntry) -> dict[str, int]:
    """Demo answers by the registry layout: realistic for SF-36 and the symptom checklist."""
    if entry.layout == "sf36":
        return _sf36_codes(rng, health)
    make = _csc_codes if entry.layout == "symptoms" else _generic_codes
    return make(rng, health, ctx, entry.instrument())


def _labs(rng: random.Random, health: float, dialysis: bool) -> dict:
    sick = 1 - health
    cr = rng.uniform(2.5, 4.5) if dialysis else 0.8 + sick * 0.8 + rng.uniform(-.1, .1)
    return {"bilirubin": {"value": round(1.0 + sick * 4 + rng.uniform(-.3, .3), 1),
                          "unit": "mg/dL"},
            "albumin": {"value": round(38 - sick * 12 + rng.uniform(-2, 2)), "unit": "g/L"},
            "inr": {"value": round(1.1 + sick * 0.9 + rng.uniform(-.1, .1), 2)},
            "creatinine": {"value": round(cr, 2), "unit": "mg/dL"},
            "sodium": {"value": round(139 - sick * 8 + rng.uniform(-2, 2)), "unit": "mmol/L"}}


def _grades(rng: random.Random, health: float) -> dict[str, int]:
    """Clinician grades 0 none … 3 severe, worse when the patient is sicker."""
    return {k: max(0, min(3, round((1 - health) * 3 + rng.gauss(0, 0.6))))
            for k in CLINICIAN_SYMPTOMS}


def _do_visit(db: Database, staff: dict[str, Actor], clock: _Clock, rng: random.Random,
              pid: int, visit: sv.VisitInfo, health: float, dialysis: bool,
              protocol: Protocol) -> None:
    nurse = staff["nurse"]
    patient = sv.hand_over_kiosk(db, staff["kiosk"], visit.id)
    ctx = sched.visit_context(protocol, visit.code)
    vdef = protocol.visit(visit.code)
    battery = [registry().get(i) for i in vdef.battery]
    for inst_id, codes in [(e.id, _codes_for(rng, health, ctx, e)) for e in battery]:
        adm = sv.start_administration(db, nurse, visit_id=visit.id, instrument_id=inst_id,
                                      language=rng.choice(("zh_CN", "zh_CN", "en")),
                                      station_id="DEMO-KIOSK")
        skips = [k for k in codes if rng.random() < 0.02]
        sv.record_answers(db, patient, adm, {k: c for k, c in codes.items() if k not in skips})
        for k in skips:
            sv.skip_item(db, patient, adm, k, "prefer_not_to_answer")
        if rng.random() < 0.1:                      # the patient changed one answer
            k = rng.choice([k for k in codes if k not in skips])
            new = rng.choice(load_instrument(inst_id).options_for(k).codes)
            if _same_branching(inst_id, ctx, codes, k, new):
                sv.record_answer(db, patient, adm, k, new)
        sv.submit_administration(db, patient, adm)
    sv.end_hand_over(db, patient, "done")
    if not {"labs", "clinician"} & set(vdef.staff_forms):
        return                                      # e.g. the infusion visit: dose record
    sv.enter_clinical_assessment(db, nurse, visit.id, {
        "sample_date": clock.t.astimezone().date() - timedelta(days=rng.randint(0, 2)),
        "labs": _labs(rng, health, dialysis), "dialysis": dialysis,
        "ascites": "none" if health > .6 else "slight" if health > .25 else "moderate",
        "encephalopathy": "none" if health > .4 else "grade1-2",
        "symptom_grades": _grades(rng, health)})


def _same_branching(inst_id: str, ctx: dict[str, str], codes: dict[str, int], item: str,
                    new: int) -> bool:
    """Whether changing ``item`` to ``new`` leaves the same items applicable (a change that
    opens a follow-up question, e.g. C2 0 -> 2 opening C2b, would leave it unanswered)."""
    inst = load_instrument(inst_id)
    changed = {**codes, item: new}
    return all(inst.is_applicable(i, codes, ctx) == inst.is_applicable(i, changed, ctx)
               for i in inst.items)


def _visit_dates(rng: random.Random, visits: list[sv.VisitInfo], today: date,
                 first: bool, protocol: Protocol) -> list[tuple[sv.VisitInfo, date]]:
    """Which visits were done and on which date: every visit whose window has passed (a rare
    missed or late, out-of-window visit), the visit whose window is open now sometimes, nothing
    later. ``first`` (DEMO-0001): every due visit, in its window, no misses."""
    plan: list[tuple[sv.VisitInfo, date]] = []
    miss = not first and rng.random() < 0.06       # the latest passed visit was missed
    passed = [v for v in visits
              if v.latest_date < today and not sched.is_baseline(protocol, v.code)]
    prev: date | None = None
    for v in visits:
        lo, hi = v.earliest_date, v.latest_date
        if hi >= today:                              # window open now, or not yet due
            if lo >= today or not (first or rng.random() < 0.5):
                break
            hi = today - timedelta(days=1)
        if miss and passed and v is passed[-1]:
            continue
        if first:                                    # the showcase patient: on target days
            d = v.planned_date
        elif sched.is_baseline(protocol, v.code):    # day -3 … 1, before the first dose
            d = v.planned_date - timedelta(days=rng.choice((0, 0, 1, 2, 3)))
        else:
            spread = max(1, (v.window_days[0] + v.window_days[1]) // 4)
            d = v.planned_date + timedelta(days=round(rng.gauss(0, spread)))
        d = min(max(d, lo), hi)
        late = v.latest_date + timedelta(days=rng.randint(1, 4))
        if not first and v.window_days[1] >= 3 and late < today and rng.random() < 0.05:
            d = late                                 # came late: kept and flagged out of window
        if prev is not None:
            d = max(d, prev)                         # visits in schedule order
        if d >= today:
            break
        plan.append((v, d))
        prev = d
    return plan


def generate_demo_data(db: Database, patients: int = 20, seed: int = 1, *,
                       full_names: bool = False) -> int:
    """Create ``patients`` demo subjects (DEMO-0001 …); returns how many were created.

    Deterministic for a seed (apart from dates, which are relative to today). Initials are
    pinyin initials; ``full_names`` also stores the generated Chinese name (only for a study
    that records names; off by default)."""
    rng = random.Random(seed)
    clock = _Clock()
    # visit dates must lie before today both in Shanghai and on this machine's calendar
    # (storage records a visit's actual date in the machine's local time)
    now = datetime.now(timezone.utc)
    today = min(now.astimezone(SHANGHAI).date(), now.astimezone().date())
    with use_clock(clock), db.unsynced_bulk_load():
        db = batch = PatientBatch(db)                 # one transaction per patient
        staff = _accounts(db)
        protocol = sv.current_protocol(db)
        start = sv.patient_count(db)
        made = 0
        to_sign: list[int] = []                       # visits waiting for the investigator
        to_correct: list[int] = []                    # patients waiting for a correction
        latest = [datetime(2000, 1, 1, tzinfo=timezone.utc)]   # end of the latest visit
        for n in range(start + 1, start + patients + 1):
            subject = f"DEMO-{n:04d}"
            if sv.find_patient(db, subject) is not None:
                continue
            with batch.transaction():
                _patient(db, staff, clock, rng, protocol, n, today, full_names, latest,
                         to_sign, to_correct)
            made += 1
            if len(to_sign) >= SIGNING_SESSION:
                with batch.transaction():
                    _signing_session(db, staff, clock, latest[0], to_sign, to_correct)
        with batch.transaction():
            _signing_session(db, staff, clock, latest[0], to_sign, to_correct)
    return made


def _patient(db: Database, staff: dict[str, Actor], clock: _Clock, rng: random.Random,
             protocol: Protocol, n: int, today: date, full_names: bool, latest: list[datetime],
             to_sign: list[int], to_correct: list[int]) -> None:
    """Enrol DEMO-``n`` and do its visits, outcome records and events; queue its visits for
    signing and the patient for a correction."""
    subject = f"DEMO-{n:04d}"
    # day 1 spread over the last year; a few patients enrolled for a visit to come
    day1 = today - timedelta(days=180 if n == 1 else rng.randint(-6, 345))
    if n % DIALYSIS_EVERY == DIALYSIS_FIRST:     # far enough in to reach dialysis
        day1 = min(day1, today - timedelta(days=DIALYSIS_FROM_DAY + 30))
    consent = min(day1 - timedelta(days=rng.randint(3, 14)), today)
    clock.set(min(datetime.combine(consent, time(10, 0), SHANGHAI),   # enrolled on
                  datetime.now(timezone.utc) - timedelta(hours=2)))     # consent day
    initials, name = _person(rng)
    birth = date(today.year - rng.randint(25, 68), rng.randint(1, 12), rng.randint(1, 28))
    pid = sv.enrol_patient(                     # arm from the allocation list
        db, staff["nurse"], subject_id=subject, initials=initials,
        full_name=name if full_names else None, sex=rng.choice("FM"),
        day1_date=day1, screening_number=f"SCR-{n:04d}",
        screening=eligible_screening(protocol, day1, birth_date=birth,
                                     consent_date=consent))
    base_h = rng.uniform(0.3, 0.6)
    slope = rng.uniform(0.0, 0.25) if n % 2 else rng.uniform(-0.1, 0.1)
    on_dialysis = n % DIALYSIS_EVERY == DIALYSIS_FIRST
    if on_dialysis:
        base_h, slope = 0.3, -0.2
    done_at: dict[str, datetime] = {}         # instrument -> last completion
    last_day: date | None = None
    for visit, day in _visit_dates(rng, sv.patient_visits(db, pid), today, n == 1,
                                   protocol):
        # the kiosk's own (local) morning: storage dates a visit by the local calendar
        when = datetime.combine(day, time(8, 30)).astimezone() \
            + timedelta(minutes=rng.randint(0, 360))
        battery = protocol.visit(visit.code).battery
        for inst_id in battery:            # each instrument's recall period (protocol)
            if inst_id in done_at:
                when = max(when, done_at[inst_id] + timedelta(
                    days=protocol.min_days_between(inst_id), minutes=5))
        clock.set(when.astimezone(timezone.utc))
        health = max(0.05, min(0.95, base_h + slope * visit.target_day / 365))
        _do_visit(db, staff, clock, rng, pid, visit, health,
                  on_dialysis and visit.target_day >= DIALYSIS_FROM_DAY, protocol)
        visit_outcomes(db, staff["nurse"], protocol, pid, visit, day, health, n,
                       consent, day1)
        last_day = day
        done_at.update((i, clock.t) for i in battery)
        latest[0] = max(latest[0], clock.t)
        if n == 1 or rng.random() < 0.25:
            to_sign.append(visit.id)
    if last_day is not None:                   # death, termination, HCC, UNS visit
        patient_events(db, staff["nurse"], pid, n, last_day, today, clock.set)
        latest[0] = max(latest[0], clock.t)
    if n == 1 or rng.random() < 0.15:
        to_correct.append(pid)


#: visits an investigator signs in one session (one password entry, see sign_visits; each
#: entry is a deliberately slow hash: 60 made a 1 000-patient demo ~23 of them, ~16 s)
SIGNING_SESSION = 400


def _signing_session(db: Database, staff: dict[str, Actor], clock: _Clock,
                     last_visit: datetime, to_sign: list[int], to_correct: list[int]) -> None:
    """The investigator signs the waiting visits in one session (one re-authentication), a day
    after the latest visit generated so far (or, if that is still to come, as soon as
    possible after it); then the waiting corrections are made, so some signed visits need
    re-signature. Empties both lists."""
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    clock.set(min(last_visit + timedelta(days=1), max(now, last_visit + timedelta(minutes=30))))
    if to_sign:
        sv.sign_visits(db, staff["investigator"], to_sign, username="investigator",
                       password=DEMO_ACCOUNTS["investigator"][0],
                       meaning="reviewed and approved")
    for pid in to_correct:
        _demo_correction(db, staff, clock, pid)
    to_sign.clear()
    to_correct.clear()


def _demo_correction(db: Database, staff: dict[str, Actor], clock: _Clock, pid: int) -> None:
    """A mis-tap corrected on the SF-36 of the first follow-up visit that gave it (W4 under
    NCT01342250: the SF-36 is not given at every visit)."""
    visits = [v for v in sv.patient_visits(db, pid) if v.status in ("signed", "completed")]
    sf36_ids = {e.id for e in registry().with_layout("sf36")}
    adms = next((found for v in visits[1:]
                 if (found := [a for a in sv.visit_administrations(db, v.id)
                               if a.instrument_id in sf36_ids])), [])
    if not adms or "q3" not in adms[0].answers:
        return
    clock.set(clock.t + timedelta(minutes=20))
    old = adms[0].answers["q3"]
    sv.correct_answer(db, staff["nurse"], adms[0].id, "q3", 1 if old != 1 else 2,
                      reason="patient reported a mis-tap on this item (phone note)")
