"""Demo outcome records (issue 15), written through the outcome services like real entries:
imaging at every visit whose staff forms hold imaging (SCR, BL, W12, W24, W36, W52), the
infusion record at D1 (the patient's arm), vital status where the protocol asks for it,
occasional adverse events (some serious, some of grade >= 3), and per study one death, one
early termination, one HCC diagnosis and one unscheduled visit (DEMO-0002 … DEMO-0005;
DEMO-0001 has one serious AE so that a one-patient demo shows a staff alert).

Each draw uses its own random stream seeded by (patient, visit), so adding outcomes leaves the
rest of the demo data (answers, labs, dates) as before.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Callable

from forms.outcomes import forms_for_visit
from forms.protocol import Protocol
from storage import services as sv
from storage.actors import Actor
from storage.db import Database

SetClock = Callable[[datetime], None]
AE_TERMS = (("Fever", 1, 2), ("Headache", 1, 2), ("Nausea", 1, 2), ("Rash", 1, 1),
            ("Abdominal pain", 2, 3), ("Upper gastrointestinal bleeding", 3, 4),
            ("Spontaneous bacterial peritonitis", 3, 4), ("Hepatic encephalopathy", 2, 3))


def _rng(pid: int, what: str) -> random.Random:
    return random.Random(f"demo-outcome-{pid}-{what}")


def visit_outcomes(db: Database, nurse: Actor, protocol: Protocol, pid: int,
                   visit: sv.VisitInfo, day: date, health: float, n: int,
                   consent: date, day1: date) -> None:
    """The outcome forms of one demo visit (the protocol's staff forms of that visit; nothing
    dated before the patient's consent)."""
    vdef = protocol.visit(visit.code)
    rng = _rng(pid, visit.code)
    kinds = forms_for_visit(vdef.staff_forms, vdef.kind)
    if vdef.kind == "baseline":               # the screening imaging (SCR is no app visit)
        _imaging(db, nurse, pid, None, max(consent, day - timedelta(days=5)), health, rng)
    if "imaging" in kinds:
        _imaging(db, nurse, pid, visit.id, day, health, rng)
    if "infusion" in kinds or (visit.code == _first_follow_up(protocol) and any(
            "dose" in v.staff_forms for v in protocol.visits)):
        # D1 holds only the dose record, so the schedule makes no app visit of it: the
        # infusion is recorded at the next visit, dated day 1, without a visit
        sv.record_outcome(db, nurse, pid, "infusion", {
            "date": day1, "cell_count_e6": _demo_cells(protocol, sv.get_patient(db, pid).arm),
            "lot": f"UC-{day1:%y%m}-{rng.randint(1, 40):02d}", "start_time": "09:30",
            "stop_time": "10:10", "reactions": "transient fever" if rng.random() < .1 else ""})
    if "vital_status" in kinds:
        sv.record_outcome(db, nurse, pid, "vital_status", {
            "contact_date": day, "status": "alive", "last_known_alive": day}, visit_id=visit.id)
    if vdef.kind == "follow_up" and (rng.random() < 0.12 or (n == 1 and visit.code == "W4")):
        adverse_event(db, nurse, pid, visit.id, day, rng, serious=n == 1 or rng.random() < .3)


def _demo_cells(protocol: Protocol, arm: str) -> int:
    """Cells infused (×10^6) in the demo: 50, 100, 150… by the arm's place in the protocol (low,
    medium, high dose). Made up: the registry record names the doses, not their sizes."""
    ids = [a.id for a in protocol.arms]
    return 50 * (ids.index(arm) + 1 if arm in ids else 1)


def _first_follow_up(protocol: Protocol) -> str | None:
    return next((v.id for v in protocol.visits_of_kind("follow_up")), None)


def _imaging(db: Database, nurse: Actor, pid: int, visit_id: int | None, day: date,
             health: float, rng: random.Random) -> None:
    sv.record_outcome(db, nurse, pid, "imaging", {
        "date": day, "modality": rng.choice(("ultrasound", "ultrasound", "ct", "mri")),
        "liver_size_cm": round(rng.uniform(9.5, 14.5) - 2 * (1 - health), 1),
        "portal_vein_mm": round(rng.uniform(11, 15) + 3 * (1 - health), 1),
        "spleen_thickness_mm": rng.randint(35, 60),
        "ascites": "none" if health > .6 else "slight" if health > .3 else "moderate"},
        visit_id=visit_id)


def adverse_event(db: Database, nurse: Actor, pid: int, visit_id: int | None, day: date,
                  rng: random.Random, *, serious: bool, fatal: bool = False) -> int:
    term, lo, hi = rng.choice(AE_TERMS[4:] if serious else AE_TERMS)
    grade = 5 if fatal else rng.randint(lo, hi)
    onset = day - timedelta(days=rng.randint(1, 5))
    fields = {"term": term, "onset": onset, "grade": grade,
              "serious": "yes" if serious else "no",
              "serious_criteria": (["death"] if fatal else ["hospitalisation"]) if serious else [],
              "relatedness": rng.choice(("not", "unlikely", "unlikely", "possible")),
              "action": "none", "outcome": "fatal" if fatal else "recovered"}
    if not fatal:
        fields["end"] = day
    return sv.record_outcome(db, nurse, pid, "adverse_event", fields, visit_id=visit_id)


def patient_events(db: Database, nurse: Actor, pid: int, n: int, last: date, today: date,
                   set_clock: SetClock) -> None:
    """The study's one death (DEMO-0002), early termination (DEMO-0003), HCC diagnosis
    (DEMO-0004) and unscheduled visit (DEMO-0005), after the patient's last visit ``last``."""
    day = max(last, min(last + timedelta(days=10), today - timedelta(days=1)))
    if n not in (2, 3, 4, 5):
        return
    set_clock(datetime.combine(day, time(10, 0)).astimezone())   # local: storage dates by it
    rng = _rng(pid, "events")
    if n in (2, 3):
        why = "death" if n == 2 else "withdrew_consent"
        vid = sv.add_early_termination_visit(
            db, nurse, pid, visit_date=day,
            reason="patient died" if n == 2 else "patient withdrew consent")
        if n == 2:
            adverse_event(db, nurse, pid, vid, day, rng, serious=True, fatal=True)
            sv.record_outcome(db, nurse, pid, "vital_status", {
                "contact_date": day, "status": "dead", "death_date": day,
                "death_cause": "variceal bleeding", "last_known_alive": last}, visit_id=vid)
        sv.record_outcome(db, nurse, pid, "early_termination", {"date": day, "reason": why},
                          visit_id=vid)
        return
    vid = sv.add_unscheduled_visit(db, nurse, pid, visit_date=day,
                                   reason="new lesion on routine ultrasound" if n == 4
                                   else "abdominal pain")
    if n == 4:
        sv.record_outcome(db, nurse, pid, "hcc", {
            "date_found": day - timedelta(days=2), "size_mm": 22, "hcc_diagnosis": "yes",
            "diagnosis_date": day, "basis": ["imaging", "afp"]}, visit_id=vid)
    else:
        adverse_event(db, nurse, pid, vid, day, rng, serious=False)

