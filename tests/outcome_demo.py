"""Outcome records added to a demo study through the real services (outcome report tests).

Per patient, deterministic: imaging at baseline and at the 1-year visit when done, an infusion on
day 1, a grade 1-2 AE for every third patient, and for the first patients a death with an SAE,
an early termination and an HCC diagnosis (the issue's demo cases)."""
from __future__ import annotations

from datetime import date, timedelta

from storage import services as sv
from storage.actors import Actor


def _visit(visits, code):
    return next((v for v in visits if v.code == code), None)


def add_outcomes(db, actor: Actor) -> dict[str, str]:
    """Returns {"death": subject, "sae": subject, "terminated": subject, "hcc": subject}."""
    today = date.today()
    special: dict[str, str] = {}
    rows = sorted(sv.list_patients(db), key=lambda r: r.subject_id)
    started = [r for r in rows if sv.get_patient(db, r.id).day1_date < today]
    for i, row in enumerate(started):
        pid = row.id
        p = sv.get_patient(db, pid)
        visits = sv.patient_visits(db, pid)
        bl, w52 = _visit(visits, "BL"), _visit(visits, "W52")
        day1 = p.day1_date
        sv.record_outcome(db, actor, pid, "infusion", {
            "date": day1, "cell_count_e6": 50 + 10 * (i % 3), "lot": f"L{i:03d}",
            "start_time": "09:00", "stop_time": "09:40"})
        for v, size, pv in ((bl, 14.0 + i % 4, 13 + i % 3), (w52, 13.0 + i % 3, 12 + i % 4)):
            if v is not None and v.actual_date is not None:
                sv.record_outcome(db, actor, pid, "imaging", {
                    "date": v.actual_date, "modality": "ultrasound", "liver_size_cm": size,
                    "portal_vein_mm": pv}, visit_id=v.id)
        last = max([v.actual_date for v in visits if v.actual_date] + [day1])
        if i % 3 == 2:
            sv.record_outcome(db, actor, pid, "adverse_event", {
                "term": "Fever", "onset": day1 + timedelta(days=1), "grade": 1 + i % 2,
                "serious": "no", "relatedness": "possible", "action": "none",
                "outcome": "recovered"})
        if i == 0:
            death = min(last + timedelta(days=3), today)
            sv.record_outcome(db, actor, pid, "adverse_event", {
                "term": "Variceal bleeding", "onset": death, "grade": 5, "serious": "yes",
                "serious_criteria": ["death"], "relatedness": "unlikely", "action": "none",
                "outcome": "fatal"})
            sv.record_outcome(db, actor, pid, "vital_status", {
                "contact_date": death, "status": "dead", "death_date": death,
                "death_cause": "Variceal bleeding"})
            special["death"] = special["sae"] = row.subject_id
        elif i == 1:
            sv.record_outcome(db, actor, pid, "early_termination", {
                "date": last, "reason": "withdrew_consent"})
            special["terminated"] = row.subject_id
        elif i == 2:
            sv.record_outcome(db, actor, pid, "hcc", {
                "date_found": last, "size_mm": 18, "hcc_diagnosis": "yes",
                "diagnosis_date": last, "basis": ["imaging"]})
            special["hcc"] = row.subject_id
        else:
            sv.record_outcome(db, actor, pid, "vital_status", {
                "contact_date": last, "status": "alive", "last_known_alive": last})
    return special
