"""Every ``Database`` audits its writes and keeps the patient-list cache, also when it is made
after an earlier one was garbage-collected.

The flush listeners were installed only ``if not event.contains(factory, …)``; SQLAlchemy keys
that by the ``id()`` of the sessionmaker's own Session class, so a new factory whose class
reused a collected one's address counted as "already listening" and wrote NO audit rows (the
rare ``test_dialysis_correction_is_audited_per_field_and_recomputes`` failure: the assessment's
rows were missing from ``audit_history``).
"""
from __future__ import annotations

import gc

from storage import audit, patient_summary
from storage.audit_verify import verify_audit
from storage import services as sv
from storage.db import Database
from storage_fixtures import sqlite_db, sqlite_template, staff  # noqa: F401

ROUNDS = 20   # the old code missed the listeners from the second round on


def test_a_database_made_after_a_collected_one_still_audits_every_write(
        sqlite_db) -> None:  # noqa: F811
    admin = staff(sqlite_db, "admin")
    for n in range(ROUNDS):
        db = Database(sqlite_db.engine, sqlite_db.url)
        station_id = sv.register_station(db, admin, code=f"kiosk-{n}", kind="kiosk")
        rows = sv.audit_history(db, entity="station", entity_id=station_id)
        assert {(r.operation, r.field, r.new_value) for r in rows} >= {
            ("insert", "code", f"kiosk-{n}")}, f"round {n}: the write was not audited"
        with db.session() as s:
            listeners = list(s.dispatch.after_flush) + list(s.dispatch.before_commit)
        assert audit._after_flush in listeners and patient_summary._note in listeners \
            and patient_summary._before_commit in listeners, f"round {n}"
        del db, s
        gc.collect(1)         # frees the factory's Session class: its id() may come back
    assert verify_audit(sqlite_db).ok
