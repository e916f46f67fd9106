"""The analysis tables of the outcome report, read through storage (one row = one dict).

These rows ARE the CSV export files ``subjects.csv``, ``visit_measures.csv`` and one file per
outcome form (``imaging.csv``, ``adverse_events.csv``, …); the report's numbers are computed from
them alone (``tables``), so a statistician gets the same numbers from the files. Values are typed
(dates, numbers, codes); labs in canonical units (forms.labs), the liver scores as storage derived
them, questionnaire scores as storage scored them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from forms.labs import lab_value
from forms.liver import stored_score
from forms.outcome_defs import FORMS
from forms.protocol import Protocol
from forms.registry import primary_scoring
from storage import services as sv
from storage.models import Administration, ClinicalAssessment, Patient, Score, Site, Visit
from storage.services.protocol_store import stored_protocol
from storage.clock import utcnow

ONE_YEAR_DAYS = 365
KEY_LABS = ("bilirubin", "albumin", "inr", "creatinine", "sodium")
SF36_SCALES = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")
#: outcome form kind -> export file
OUTCOME_FILES = {"imaging": "imaging.csv", "hcc": "hcc.csv", "vital_status": "vital_status.csv",
                 "early_termination": "early_termination.csv",
                 "adverse_event": "adverse_events.csv", "infusion": "infusions.csv"}
SUBJECT_COLUMNS = ("subject_id", "site", "arm", "arm_label", "allocation_sequence",
                   "allocation_method", "consent_date", "enrolment_date", "eligibility_result",
                   "eligibility_override")   # + criterion_<id> columns + SUBJECT_TAIL
SUBJECT_TAIL = ("disposition", "termination_date", "termination_reason", "death_date",
                "death_cause", "last_known_alive", "os_days", "os_event", "hcc_date")
OUTCOME_HEAD = ("subject_id", "arm", "visit", "record_id", "version")
OUTCOME_TAIL = ("entered_by", "entered_at_utc")


@dataclass
class Dataset:
    protocol_id: str
    protocol_version: str
    arms: list[tuple[str, dict]]                    # (arm id, label by language)
    data_as_of: datetime
    baseline_visit: str
    year_visit: str
    visit_order: list[str]                          # scheduled visit codes in order
    sf36_prefix: str                                # the study's primary SF-36 scoring prefix
    criteria: list[str]
    subjects: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    outcomes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    alerts: list[Any] = field(default_factory=list)  # sv.AlertInfo of outcome forms
    protocol: Protocol | None = None                # names the visits on paper (visit_label)

    @property
    def measure_columns(self) -> tuple[str, ...]:
        return measure_columns(self.sf36_prefix)


def measure_columns(prefix: str) -> tuple[str, ...]:
    return ("subject_id", "arm", "visit", "visit_day", "actual_date", "child_pugh", "meld",
            *KEY_LABS, *(prefix + s for s in SF36_SCALES), "sf36_pcs", "sf36_mcs",
            "csc_tsb", "csc_rss")


def outcome_columns(kind: str) -> tuple[str, ...]:
    return OUTCOME_HEAD + tuple(f.key for f in FORMS[kind].fields) + OUTCOME_TAIL


def _canonical_lab(name: str, entry: Any) -> float | None:
    if not isinstance(entry, dict) or entry.get("value") in (None, ""):
        return None
    try:
        return float(lab_value(name, str(entry["value"]), entry.get("unit")).canonical)
    except (ValueError, ArithmeticError):
        return None


def _measure_row(subject: str, arm: str, v: Any, c: Any, vals: dict, day: int | None,
                 prefix: str) -> dict:
    row: dict[str, Any] = {"subject_id": subject, "arm": arm, "visit": v.code, "visit_day": day,
                           "actual_date": v.actual_date}
    for k in ("child_pugh", "meld"):
        sc = stored_score(c.derived, k) if c is not None else None
        row[k] = sc.get("score") if sc else None
    for lab in KEY_LABS:
        row[lab] = _canonical_lab(lab, (c.labs or {}).get(lab)) if c is not None else None
    for s in SF36_SCALES:
        row[prefix + s] = vals.get(prefix + s)
    for k in ("sf36_pcs", "sf36_mcs"):
        row[k] = vals.get(k)
    row["csc_tsb"], row["csc_rss"] = vals.get("tsb"), vals.get("rss")
    return row


def _subject_row(p: Any, site: str, visits: list, arm_labels: dict, rec: Any, method: str, criteria: list[str],
                 recs: dict[str, list], as_of: date,
                 year_visit: str) -> dict:
    row: dict[str, Any] = {
        "subject_id": p.subject_id, "site": site, "arm": p.arm,
        "arm_label": arm_labels.get(p.arm, {}).get("en", p.arm),
        "allocation_sequence": rec.allocation_sequence if rec else None,
        "allocation_method": method, "consent_date": p.consent_date,
        "enrolment_date": p.day1_date, "eligibility_result": rec.result if rec else None,
        "eligibility_override": "yes" if rec and rec.override_reason else ("no" if rec else None)}
    met = {c.id: c.met for c in rec.criteria} if rec else {}
    for cid in criteria:
        m = met.get(cid)
        row[f"criterion_{cid}"] = None if m is None else ("met" if m else "not_met")
    term = recs.get("early_termination", [])
    deaths = sorted(date.fromisoformat(r["death_date"]) for r in recs.get("vital_status", [])
                    if r.get("status") == "dead" and r.get("death_date"))
    causes = [r.get("death_cause") for r in recs.get("vital_status", [])
              if r.get("status") == "dead" and r.get("death_date")]
    alive = [p.day1_date] + [v.actual_date for v in visits if v.actual_date]
    for r in recs.get("vital_status", []):
        if r.get("status") == "alive":
            alive.append(date.fromisoformat(r["contact_date"]))
        if r.get("last_known_alive"):
            alive.append(date.fromisoformat(r["last_known_alive"]))
    death = deaths[0] if deaths else None
    lka = max((d for d in alive if death is None or d <= death), default=None)
    hcc = sorted(r.get("diagnosis_date") or r["date_found"] for r in recs.get("hcc", [])
                 if r.get("hcc_diagnosis") == "yes")
    done_year = any(v.code == year_visit and v.actual_date for v in visits)
    row["disposition"] = ("died" if death else "terminated" if term else
                          "completed" if done_year else "ongoing")
    row["termination_date"] = term[0]["date"] if term else None
    row["termination_reason"] = term[0]["reason"] if term else None
    row["death_date"], row["death_cause"] = death, causes[0] if causes else None
    row["last_known_alive"] = lka
    end = min(death or lka or p.day1_date, as_of)
    days = (end - p.day1_date).days
    event = death is not None and days <= ONE_YEAR_DAYS
    row["os_days"] = min(max(days, 0), ONE_YEAR_DAYS)
    row["os_event"] = 1 if event else 0
    row["hcc_date"] = hcc[0] if hcc else None
    return row


def build_dataset(db: Any, *, now: datetime | None = None,
                  enrolment: list[tuple[str, Any]] | None = None) -> Dataset:
    """Every table of the report, in one pass over the patients (streamed by the export reader).
    ``enrolment``: ``sv.enrolment_records(db)`` when the caller read them already (the CSV
    export writes them too: read once)."""
    now = now or utcnow()                     # aware UTC; printed in local time with offset
    with db.read_session() as s:
        proto = stored_protocol(s).protocol
    settings = sv.study_settings(db)
    prefix = primary_scoring(settings.primary_sf36_scoring).key_prefix
    kinds = {v.id: v.kind for v in proto.visits}
    days = {v.id: v.day for v in proto.visits}
    order = [v.id for v in proto.visits if v.day is not None and v.kind != "screening"]
    year = max((v for v in proto.visits if v.day is not None), key=lambda v: v.day).id
    baseline = next((v.id for v in proto.visits if v.kind == "baseline"), order[0])
    criteria = [c.id for c in proto.criteria]
    ds = Dataset(proto.protocol_id, proto.version, [(a.id, dict(a.label)) for a in proto.arms],
                 now, baseline, year, order, prefix, criteria, protocol=proto)
    enrol = dict(sv.enrolment_records(db) if enrolment is None else enrolment)
    by_patient: dict[int, dict[str, list]] = {}
    ds.outcomes = {k: [] for k in OUTCOME_FILES}
    records = sv.list_outcomes(db)
    for r in records:
        by_patient.setdefault(r.patient_id, {}).setdefault(r.kind, []).append(dict(r.fields))
    labels = {a.id: dict(a.label) for a in proto.arms}
    arm_of: dict[int, str] = {}
    for p, site, visits, clinical, scores in _read(db):
        arm_of[p.id] = p.arm
        ds.subjects.append(_subject_row(p, site, visits, labels, enrol.get(p.subject_id),
                                        proto.allocation.method, criteria,
                                        by_patient.get(p.id, {}), now.astimezone().date(), year))
        for v in visits:
            if v.actual_date is not None and kinds.get(v.code) != "screening":
                ds.measures.append(_measure_row(p.subject_id, p.arm, v, clinical.get(v.id),
                                                scores.get(v.id, {}), days.get(v.code), prefix))
    for r in records:
        row = {"subject_id": r.subject_id, "arm": arm_of.get(r.patient_id), "visit": r.visit_code,
               "record_id": r.id, "version": r.version, **r.fields,
               "entered_by": r.entered_by, "entered_at_utc": r.entered_at}
        ds.outcomes[r.kind].append(row)
    ds.alerts = sv.list_alerts(db, source="outcome")
    return ds


def _read(db: Any, batch: int = 500):
    """(patient, site code, visits, clinical by visit id, score values by visit id) per patient,
    by subject id; batches of patients, a handful of queries each (no answers are read)."""
    P, V = Patient.__table__, Visit.__table__
    with db.read_session() as s:
        ids = list(s.scalars(select(Patient.id).order_by(Patient.subject_id)))
        sites = {i: c for i, c in s.execute(select(Site.id, Site.code))}
    for k in range(0, len(ids), batch):
        chunk = ids[k:k + batch]
        with db.read_session() as s:
            patients = s.execute(select(P).where(P.c.id.in_(chunk))
                                 .order_by(P.c.subject_id)).fetchall()
            visits: dict[int, list] = {}
            for v in s.execute(select(V.c.id, V.c.patient_id, V.c.code, V.c.actual_date)
                               .where(V.c.patient_id.in_(chunk)).order_by(V.c.sequence)):
                visits.setdefault(v.patient_id, []).append(v)
            C = ClinicalAssessment.__table__
            clinical = {c.visit_id: c for c in s.execute(
                select(C.c.visit_id, C.c.labs, C.c.derived).join(V, V.c.id == C.c.visit_id)
                .where(V.c.patient_id.in_(chunk)))}
            scores: dict[int, dict] = {}
            A, S = Administration.__table__, Score.__table__
            for visit_id, values in s.execute(
                    select(A.c.visit_id, S.c["values"]).join(A, A.c.id == S.c.administration_id)
                    .join(V, V.c.id == A.c.visit_id)
                    .where(V.c.patient_id.in_(chunk), A.c.status == "submitted")
                    .order_by(A.c.submitted_at, A.c.id)):
                scores.setdefault(visit_id, {}).update(values or {})
        for p in patients:
            yield (p, sites.get(p.site_id or -1, ""), visits.get(p.id, []), clinical, scores)
