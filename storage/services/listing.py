"""The nurse patient list: one row per patient from the ``patient_summary`` cache (one query).

The cache (storage/patient_summary.py) is kept up to date by every service transaction; only
the window status, which depends on today's date, is computed here.

At 10 000 patients the list is read as plain tuples: the four date columns are fetched without
SQLAlchemy's per-row date processing (on SQLite a regular expression per value) and parsed with
``date.fromisoformat`` (``bench/bench_reads.py``: ``patient_list_10k_ms``).
"""
from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import String, or_, select, type_coerce

from forms import schedule as sched
from storage import patient_summary
from storage.db import Database
from storage.models import Patient, PatientSummary as PS
from storage.services.alerts import read_alerts
from storage.services.dto import PatientRow
from storage.services.patients import local_today


def _window_status(earliest: date, latest: date, actual: date | None, today: date) -> str:
    """forms.schedule.window_status without building a PlannedVisit per row (10 000 rows);
    tests check both agree."""
    if actual is not None:
        return sched.IN_WINDOW if earliest <= actual <= latest else sched.OUT_OF_WINDOW
    if today < earliest:
        return sched.NOT_YET_DUE
    if today > latest:
        return sched.OVERDUE
    return sched.DUE


def list_patients(db: Database, *, search: str | None = None) -> list[PatientRow]:
    """All patients (or those whose subject id, initials or name contain ``search`` literally;
    ``%``, ``_`` and ``\\`` are not wildcards), ordered by subject id."""
    today = local_today()
    q = (select(Patient.id, Patient.subject_id, Patient.initials, Patient.arm, Patient.status,
                Patient.full_name, PS.next_visit_code,
                *(type_coerce(c, String) for c in (PS.next_visit_date, PS.next_visit_earliest,
                                                   PS.next_visit_latest, PS.next_visit_actual)),
                PS.last_pcs, PS.last_mcs, PS.last_rss, PS.alert)
         .outerjoin(PS, PS.patient_id == Patient.id).order_by(Patient.subject_id))
    if search and search.strip():
        term = unicodedata.normalize("NFC", search.strip())
        q = q.where(or_(Patient.subject_id.contains(term, autoescape=True),
                        Patient.initials.contains(term.upper(), autoescape=True),
                        Patient.full_name.contains(term, autoescape=True)))
    with db.read_session() as s:
        rows = s.connection().execute(q).tuples().all()   # Core rows: no ORM loading cost
        # a patient without a summary row (``alert`` is NOT NULL in the cache): written outside
        # the services (bulk load, raw SQL); computed, not stored, here
        missing = [r[0] for r in rows if r[14] is None]
        fallback = patient_summary.compute(s.connection(), missing) if missing else {}
        by_patient: dict[int, list] = {}        # unacknowledged (partial index), one query
        for a in sorted(read_alerts(s, unacknowledged=True), key=lambda a: a.severity != "red"):
            by_patient.setdefault(a.patient_id, []).append(a)
    open_alerts = {pid: tuple(alerts) for pid, alerts in by_patient.items()}
    out = []
    append = out.append
    days = _Days()
    for (pid, subject, initials, arm, status, name, code, pdate, earliest, latest, actual,
         pcs, mcs, rss, alert) in rows:
        if alert is None:
            f = fallback[pid]
            code, pdate, earliest, latest, actual = (
                f["next_visit_code"], f["next_visit_date"], f["next_visit_earliest"],
                f["next_visit_latest"], f["next_visit_actual"])
            pcs, mcs, rss, alert = f["last_pcs"], f["last_mcs"], f["last_rss"], f["alert"]
            wstatus = None if code is None else _window_status(earliest, latest, actual, today)
        elif code is None:                      # no visit left to plan
            pdate, wstatus = days[pdate], None
        else:
            pdate = days[pdate]
            wstatus = _window_status(days[earliest], days[latest], days[actual], today)
        append(PatientRow(pid, subject, initials, arm, status, name, code, pdate, wstatus,
                          pcs, mcs, rss, alert or "", open_alerts.get(pid, ())))
    return out


class _Days(dict):
    """ISO text -> date, parsed once per distinct value (a list repeats the same few hundred
    dates): a date column fetched without SQLAlchemy's processing is the ISO text on SQLite, a
    date already on PostgreSQL."""

    def __missing__(self, value: date | str | None) -> date | None:
        day = self[value] = date.fromisoformat(value) if isinstance(value, str) else value
        return day


def rebuild_patient_summary(db: Database) -> int:
    """Recompute the whole ``patient_summary`` cache from the audited tables (one transaction);
    returns the number of patients. Needed only after changes made outside the services."""
    with db.session() as s:
        return patient_summary.rebuild_all(s.connection())
