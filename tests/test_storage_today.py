"""The Today view's one service call on real storage (issue 14): due today, this week, overdue,
unacknowledged alerts, visits awaiting signature; staff who see patients only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage import services as sv
from storage.errors import PermissionDenied
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (answer_all, at_kiosk, db, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def test_today_overview_lists_due_week_overdue_alerts_and_signing(db) -> None:  # noqa: F811
    today = date.today()
    fresh = enrol(db, "T-1", day1=today)                  # baseline window open today
    late = enrol(db, "T-2", day1=today - timedelta(days=20))
    done = enrol(db, "T-3", day1=today)
    nurse = staff(db, "nurse")
    adm = sv.start_administration(db, nurse, visit_id=done.visit_id,
                                  instrument_id="csc", language="en")
    pat = at_kiosk(db, done.visit_id)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    part = sv.today_overview(db, nurse, today)        # one questionnaire of two: still due
    assert ("T-3", done.visits[0].code) in {(r.subject_id, r.visit_code) for r in part.due_today}
    assert part.awaiting_signature == ()
    for inst in sv.remaining_battery(db, done.visit_id):    # the rest of the battery
        nxt = sv.start_administration(db, nurse, visit_id=done.visit_id, instrument_id=inst,
                                      language="en")
        answer_all(db, pat, nxt)
        sv.submit_administration(db, pat, nxt)
    sv.raise_alert(db, nurse, patient_id=late.patient_id, visit_id=late.visit_id,
                   source="clinical", severity="red", reason="answer_threshold",
                   params={"op": ">=", "value": 4}, form="clinical", field="bilirubin")

    o = sv.today_overview(db, nurse, today)
    due = {(r.subject_id, r.visit_code) for r in o.due_today}
    assert (fresh.visits[0].code and ("T-1", fresh.visits[0].code) in due)
    assert ("T-3", done.visits[0].code) not in due                  # completed: not due
    assert all(r.earliest <= today <= r.latest for r in o.due_today)
    assert all(today < r.earliest <= today + timedelta(days=6) for r in o.due_this_week)
    assert {r.subject_id for r in o.due_this_week} >= {"T-1", "T-2"}
    overdue = [r for r in o.overdue if r.subject_id == "T-2"]
    assert overdue and all(r.latest < today for r in o.overdue)
    assert overdue[0].visit_code == late.visits[0].code             # oldest window first
    assert [(a.subject_id, a.reason, a.severity) for a in o.alerts] == \
        [("T-2", "answer_threshold", "red")]
    assert [w.visit_id for w in o.awaiting_signature] == [done.visit_id]
    assert not o.drafts_supported
    sv.acknowledge_alert(db, nurse, o.alerts[0].id, note="called the patient")
    assert sv.today_overview(db, nurse, today).alerts == ()
    with pytest.raises(PermissionDenied):
        sv.today_overview(db, staff(db, "admin"), today)
