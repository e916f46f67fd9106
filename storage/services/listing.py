"""The nurse patient list: one row per patient from the ``patient_summary`` cache (one query).

The cache (storage/patient_summary.py) is kept up to date by every service transaction; only
the window status, which depends on today's date, is computed here.

At 10 000 patients (``bench/bench_reads.py``: ``patient_list_10k_ms``) the list is read as plain
tuples (the four date columns without SQLAlchemy's per-row date processing, on SQLite a regular
expression per value) and turned into rows column by column with ``map``/``zip``: no Python call
per row. Dates are parsed and window statuses computed once per distinct value.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from functools import partial
from itertools import repeat
from operator import itemgetter

from sqlalchemy import Connection, Select, String, or_, select, type_coerce

from forms import schedule as sched
from storage import patient_summary
from storage.db import Database
from storage.models import Patient, PatientSummary as PS
from storage.services.alerts import read_alerts
from storage.services.dto import PatientRow
from storage.services.patients import local_today

_ROW = partial(tuple.__new__, PatientRow)        # a named tuple built without a Python call
_SUMMARY = ("next_visit_code", "next_visit_date", "next_visit_earliest", "next_visit_latest",
            "next_visit_actual", "last_pcs", "last_mcs", "last_rss", "alert")


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
        rows = _fetch_tuples(s.connection(), q)
        # a patient without a summary row (``alert`` is NOT NULL in the cache): written outside
        # the services (bulk load, raw SQL); computed, not stored, here
        missing = [r[0] for r in rows if r[14] is None]
        if missing:
            fallback = patient_summary.compute(s.connection(), missing)
            rows = [r if r[14] is not None
                    else (*r[:6], *(fallback[r[0]][k] for k in _SUMMARY)) for r in rows]
        by_patient: dict[int, list] = {}        # unacknowledged (partial index), one query
        for a in sorted(read_alerts(s, unacknowledged=True), key=lambda a: a.severity != "red"):
            by_patient.setdefault(a.patient_id, []).append(a)
    open_alerts = {pid: tuple(alerts) for pid, alerts in by_patient.items()}
    days = _Days()
    windows = _WindowStatus(days, today)
    # columns as lazy itemgetter maps: ``zip(*rows)`` would make 10 000 iterators at once
    col = [map(itemgetter(i), rows) for i in range(7)]
    return list(map(_ROW, zip(
        *col, map(days.__getitem__, map(itemgetter(7), rows)),
        map(windows.__getitem__, map(itemgetter(6, 8, 9, 10), rows)),
        *(map(itemgetter(i), rows) for i in range(11, 15)),
        map(open_alerts.get, map(itemgetter(0), rows), repeat(())))))


def _fetch_tuples(conn: Connection, q: Select) -> list[tuple]:
    """The rows of ``q`` as the driver's plain tuples (no SQLAlchemy ``Row`` per row: less
    work and less for the garbage collector at 10 000 rows), in ``conn``'s transaction."""
    compiled = q.compile(dialect=conn.dialect)
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cur = conn.connection.cursor()
    try:
        cur.execute(compiled.string, params)
        return cur.fetchall()
    finally:
        cur.close()


class _Days(dict):
    """ISO text -> date, parsed once per distinct value (a list repeats the same few hundred
    dates): a date column fetched without SQLAlchemy's processing is the ISO text on SQLite, a
    date already on PostgreSQL (and in a summary computed on the fly)."""

    def __missing__(self, value: date | str | None) -> date | None:
        day = self[value] = date.fromisoformat(value) if isinstance(value, str) else value
        return day


class _WindowStatus(dict):
    """(visit code, earliest, latest, actual) -> ``forms.schedule`` window status on ``today``,
    once per distinct key; None without a next visit."""

    def __init__(self, days: _Days, today: date) -> None:
        super().__init__()
        self._days, self._today = days, today

    def __missing__(self, key: tuple) -> str | None:
        code, earliest, latest, actual = key
        d = self._days
        status = self[key] = None if code is None else sched.window_status_between(
            d[earliest], d[latest], self._today, d[actual])
        return status


def rebuild_patient_summary(db: Database) -> int:
    """Recompute the whole ``patient_summary`` cache from the audited tables (one transaction);
    returns the number of patients. Needed only after changes made outside the services."""
    with db.session() as s:
        return patient_summary.rebuild_all(s.connection())
