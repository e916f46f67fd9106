"""Dates typed by staff are checked against the LOCAL calendar, the one storage dates visits by
(``storage.services.patients.local_today``), not the UTC date (issue 18: the environment must
not decide). At 01:00 in Kiritimati (UTC+14) the UTC date is still yesterday; in Shanghai the same
happens every morning before 08:00: an imaging study or a death dated today was refused as "in
the future". The clock and the zone are moved with time-machine (real storage)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from storage import services as sv
from storage.services.patients import local_today
from storage_fixtures import PASSWORDS, eligible_screening, sqlite_db, sqlite_template  # noqa: F401

EARLY_MORNING = datetime(2030, 1, 2, 1, 0, tzinfo=ZoneInfo("Pacific/Kiritimati"))
LOCAL_DAY = date(2030, 1, 2)                            # the UTC date is 2030-01-01


def test_a_date_of_the_local_today_is_not_in_the_future(sqlite_db) -> None:  # noqa: F811
    with time_machine.travel(EARLY_MORNING, tick=False):
        assert local_today() == LOCAL_DAY and datetime.now(ZoneInfo("UTC")).date() < LOCAL_DAY
        nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])   # a session of then
        day1 = LOCAL_DAY - timedelta(days=30)
        pid = sv.enrol_patient(sqlite_db, nurse, subject_id="T-LOCAL", initials="AB", sex="F",
                               day1_date=day1, screening=eligible_screening(sqlite_db, day1))
        sv.record_outcome(sqlite_db, nurse, pid, "imaging",
                          {"date": LOCAL_DAY, "modality": "ultrasound", "ascites": "none"})
        [rec] = sv.list_outcomes(sqlite_db, None, patient_id=pid, kind="imaging")
        assert rec.fields["date"] == LOCAL_DAY.isoformat()
