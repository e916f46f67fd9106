"""Databases for the export tests and benchmark.

``build_small`` goes through the storage services (real audit trail, scores, a correction, a
clinical assessment, a signature, a skipped item, an in-progress administration and free text
that looks like a spreadsheet formula). ``build_bulk`` writes N generated patients with Core
bulk inserts (fast enough for 10 000 patients; it writes no audit rows for the bulk data).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from forms import csc as csc_mod
from forms import sf36
from forms.instrument import load_instrument
from storage.actors import Actor
from storage.auth_sessions import system_actor
from storage.db import Database
from storage.demo import eligible_screening

PASSWORD = "export-test-pw-1"
INJECTION_NAME = '=HYPERLINK("http://x.invalid","click")'
INJECTION_REASON = "=cmd|' /C calc'!A0 wrong box ticked"


@dataclass
class Small:
    investigator: Actor
    nurse: Actor
    subjects: tuple[str, ...]
    corrected: tuple[str, str, int, int]     # subject, item (csc), old, new
    signed_visit: tuple[str, str]            # subject, visit code


def _answers(inst_id: str, rng: random.Random) -> dict[str, int]:
    inst = load_instrument(inst_id)
    return {it.id: rng.choice(inst.options_for(it).codes) for it in inst.items}


def build_small(db: Database) -> Small:
    from storage import services as sv
    system = system_actor()
    sv.create_user(db, system, username="inv", full_name="Ina Vestigator", role="investigator",
                   password=PASSWORD)
    sv.create_user(db, system, username="nurse1", full_name="Nora Nurse", role="nurse",
                   password=PASSWORD)
    sv.create_study(db, system)                       # the default protocol (NCT01342250)
    inv = sv.authenticate(db, "inv", PASSWORD, station_id="WS-1")
    nurse = sv.authenticate(db, "nurse1", PASSWORD, station_id="WS-1")
    kiosk = {k: sv.authenticate(db, "nurse1", PASSWORD, station_id=k)   # hands the kiosk over
             for k in ("KIOSK-1", "KIOSK-2")}
    day1 = date(2026, 1, 5)
    pids = {}
    for sid, name in (("S-001", INJECTION_NAME), ("S-002", "李小龙"), ("S-003", None)):
        pids[sid] = sv.enrol_patient(db, nurse, subject_id=sid, initials="AB", sex="F",
                                     day1_date=day1, full_name=name,
                                     screening=eligible_screening(sv.current_protocol(db),
                                                                  day1))
    rng = random.Random(7)
    visits = {v.code: v.id for v in sv.patient_visits(db, pids["S-001"])}
    for code in ("BL", "W1"):
        for inst_id, lang in (("rand36", "en"), ("csc", "zh_CN")):
            adm = sv.start_administration(db, nurse, visit_id=visits[code], instrument_id=inst_id,
                                          language=lang, station_id="KIOSK-1",
                                          override_reason=None if code == "BL"
                                          else "test data: visits on the same day")
            patient = sv.hand_over_kiosk(db, kiosk["KIOSK-1"], visits[code])
            answers = _answers(inst_id, rng)
            if inst_id == "csc":
                answers["C2"] = 2          # C2b applies
                answers["C1"] = 1
            for item, code_ in answers.items():
                if inst_id == "rand36" and item == "q7" and code == "BL":
                    sv.skip_item(db, patient, adm, item, "prefer_not_to_answer")
                    continue
                if inst_id == "csc" and item == "G2" and code == "BL":
                    continue               # not applicable at baseline
                sv.record_answer(db, patient, adm, item, code_, ms_on_item=1500)
            sv.submit_administration(db, patient, adm)
    sv.enter_clinical_assessment(db, nurse, visits["BL"], {
        "sample_date": day1 - timedelta(days=2),
        "labs": {"bilirubin": {"value": 34.2, "unit": "umol/L"},
                 "albumin": {"value": 32, "unit": "g/L"}, "inr": {"value": 1.3},
                 "creatinine": {"value": 88.4, "unit": "umol/L"},
                 "sodium": {"value": 136, "unit": "mmol/L"}},
        "ascites": "slight", "encephalopathy": "none",
        "symptom_grades": {"appetite": 1, "debilitation": 2}, "vital_status": "alive"})
    sv.sign_visit(db, inv, visits["BL"], username="inv",
                  password=PASSWORD, meaning="reviewed and approved")
    # a correction after submit (W1 CSC C1 1 -> 3) with a formula-looking reason
    w1 = sv.visit_administrations(db, visits["W1"])
    w1_csc = next(a for a in w1 if a.instrument_id == "csc")
    sv.correct_answer(db, nurse, w1_csc.id, "C1", 3, reason=INJECTION_REASON)
    # S-002: an unfinished CSC at baseline
    v2 = {v.code: v.id for v in sv.patient_visits(db, pids["S-002"])}
    adm2 = sv.start_administration(db, nurse, visit_id=v2["BL"], instrument_id="csc",
                                   language="en", station_id="KIOSK-2")
    sv.record_answer(db, sv.hand_over_kiosk(db, kiosk["KIOSK-2"], v2["BL"]), adm2, "C1", 0)
    return Small(inv, nurse, ("S-001", "S-002", "S-003"), ("S-001", "C1", 1, 3),
                 ("S-001", "BL"))


def build_bulk(db: Database, n_patients: int, *, visits_done: int = 3, seed: int = 1) -> None:
    """N generated patients, each with ``visits_done`` visits of SF-36 + CSC submitted and
    scored (bulk Core inserts in one transaction per 500 patients; no audit rows)."""
    from sqlalchemy import insert, select

    from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
    from forms.schedule import protocol_schedule
    from storage import audit
    from storage import services as sv
    from storage.models import (Administration, Answer, Patient, ResponseCode, Score, Study,
                                Visit)
    rng = random.Random(seed)
    protocol = load_protocol(DEFAULT_PROTOCOL_PATH)
    schedule, arms = protocol_schedule(protocol), [a.id for a in protocol.arms]
    rand36, csc = load_instrument("rand36"), load_instrument("csc")
    with db.session() as s:
        has_study = s.scalar(select(Study.id).limit(1)) is not None
    if not has_study:
        sv.create_study(db, system_actor())
    now = datetime.now(timezone.utc)
    with db.session() as s:
        audit.set_context(s, system_actor(), "bench.generate")
        study_id = s.scalar(select(Study.id).limit(1))
        have = {tuple(r) for r in s.execute(select(ResponseCode.instrument_id,
                                                   ResponseCode.item_id, ResponseCode.code))}
        codes = [{"instrument_id": i.id, "instrument_version": i.version, "item_id": it.id,
                  "code": c} for i in (rand36, csc) for it in i.items
                 for c in i.options_for(it).codes if (i.id, it.id, c) not in have]
        if codes:
            s.execute(insert(ResponseCode), codes)
    conn_rows = 500
    next_ids = {"patient": 1, "visit": 1, "adm": 1, "answer": 1, "score": 1}
    with db.session() as s:
        for table, model in (("patient", Patient), ("visit", Visit), ("adm", Administration),
                             ("answer", Answer), ("score", Score)):
            mx = s.scalar(select(model.id).order_by(model.id.desc()).limit(1))
            next_ids[table] = (mx or 0) + 1
    for start in range(0, n_patients, conn_rows):
        P, V, A, AN, SC = [], [], [], [], []
        for k in range(start, min(n_patients, start + conn_rows)):
            pid = next_ids["patient"]; next_ids["patient"] += 1
            day1 = date(2025, 1, 1) + timedelta(days=k % 300)
            P.append({"id": pid, "study_id": study_id, "subject_id": f"B-{k + 1:05d}",
                      "initials": "XY", "sex": "FM"[k % 2], "birth_year": 1950 + k % 40,
                      "arm": arms[k % len(arms)], "consent_date": day1 - timedelta(days=7),
                      "day1_date": day1, "status": "enrolled", "created_at": now,
                      "version_id": 1})
            for seq, vdef in enumerate(schedule, start=1):
                vid = next_ids["visit"]; next_ids["visit"] += 1
                done = seq <= visits_done
                vdate = day1 + timedelta(days=max(vdef.target_day, 1) - 1)
                V.append({"id": vid, "patient_id": pid, "code": vdef.code, "sequence": seq,
                          "target_day": vdef.target_day,
                          "window_before": vdef.target_day - vdef.earliest_day,
                          "window_after": vdef.latest_day - vdef.target_day,
                          "planned_date": vdate, "actual_date": vdate if done else None,
                          "status": "completed" if done else "planned", "out_of_window": False,
                          "version_id": 1})
                if not done:
                    continue
                t0 = datetime(vdate.year, vdate.month, vdate.day, 2, tzinfo=timezone.utc)
                for inst in (rand36, csc):
                    aid = next_ids["adm"]; next_ids["adm"] += 1
                    A.append({"id": aid, "visit_id": vid, "instrument_id": inst.id,
                              "instrument_version": inst.version,
                              "content_hash": inst.content_hash, "language": "en",
                              "status": "submitted", "started_at": t0,
                              "submitted_at": t0 + timedelta(minutes=9), "station_id": "K1",
                              "originator": "patient", "version_id": 1})
                    codes_ = {}
                    for it in inst.items:
                        aid_ = next_ids["answer"]; next_ids["answer"] += 1
                        code = rng.choice(inst.options_for(it).codes)
                        applicable = inst.is_applicable(it, codes_, {"visit": vdef.code})
                        if applicable:
                            codes_[it.id] = code
                        AN.append({"id": aid_, "administration_id": aid,
                                   "instrument_id": inst.id,
                                   "instrument_version": inst.version, "item_id": it.id,
                                   "status": "answered" if applicable else "not_applicable",
                                   "code": code if applicable else None,
                                   "answered_at": t0, "saved_at": t0, "change_count": 0,
                                   "version_id": 1})
                    if inst.id == "rand36":
                        vals = sf36.score_all(codes_)
                        by_alg: dict[str, dict] = {}
                        for key, val in vals.items():
                            by_alg.setdefault(sf36.ALGORITHM_OF_KEY[key], {})[key] = val
                    else:
                        full = {i: codes_.get(i) for i in csc_mod.ITEM_IDS}
                        by_alg = {csc_mod.ALGORITHM_ID: csc_mod.score_csc(full).values()}
                    for alg, vals in by_alg.items():
                        sid = next_ids["score"]; next_ids["score"] += 1
                        SC.append({"id": sid, "administration_id": aid, "algorithm_id": alg,
                                   "algorithm_version": "1.0", "values": vals,
                                   "computed_at": t0, "version_id": 1})
        with db.session() as s:
            for model, rows in ((Patient, P), (Visit, V), (Administration, A), (Answer, AN),
                                (Score, SC)):
                s.execute(insert(model), rows)
