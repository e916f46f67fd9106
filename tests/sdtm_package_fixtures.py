"""Fixtures of the ``--format sdtm`` tests: the package of a demo database (unscheduled visit,
early termination, death, SAE, and one AE term past 200 bytes) and of a small study with staff
text that is not ASCII, starts like a formula or runs past 200 bytes (AE term, termination
reason, unscheduled visit reason)."""
from __future__ import annotations

import csv
from pathlib import Path

import pyreadstat
import pytest

from bench.export_db import PASSWORD, build_small
from reports.export.commands import run_export
from reports.export.sdtm_meta import DATASETS
from reports.export.sdtm_package import dataset_files
from storage import services as sv
from storage.db import open_database
from storage.demo import _accounts, generate_demo_data
from storage_fixtures import answer_all

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.0",
      "xlink": "http://www.w3.org/1999/xlink"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("sdtm")
    db = open_database(f"sqlite:///{d / 'demo.db'}", demo=True)
    generate_demo_data(db, patients=5, seed=1)
    staff = _accounts(db)
    first = min((sv.get_patient(db, p.id) for p in sv.list_patients(db)),
                key=lambda p: p.day1_date)                      # day 1 already passed
    sv.record_outcome(db, staff["nurse"], first.id, "adverse_event", {
        "term": LONG_TERM, "onset": first.day1_date.isoformat(), "grade": 1, "serious": "no",
        "relatedness": "not", "action": "none", "outcome": "recovered"})
    detail = run_export(db, staff["investigator"], "sdtm", d / "sdtm")
    yield db, d / "sdtm", detail
    db.dispose()


#: a termination reason of 264 ASCII characters
LONG_REASON = ("The patient moved to another city far from the site and could not attend "
               "further visits; ") * 3 + "follow-up by phone was declined."
#: an unscheduled visit's reason of 248 characters (SVUPDES past 200 bytes: SUPPSV)
LONG_VISIT_REASON = ("Jaundice, itching and dark urine since last week; the patient asked to "
                     "be seen before the next scheduled visit. ") * 2 + "Labs drawn the same day."
#: an AE term of 150 characters, 450 bytes: past the 200 bytes a v5 XPT value may hold
LONG_TERM = "肝区疼痛伴恶心" * 21 + "腹胀不适"


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """A small study with staff text that is not ASCII and starts like a formula, an action and
    a termination reason without a CT term, and an unscheduled visit with a long reason."""
    d = tmp_path_factory.mktemp("sdtm_text")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    pids = {p.subject_id: p.id for p in sv.list_patients(db)}
    sv.record_outcome(db, small.nurse, pids["S-001"], "adverse_event", {
        "term": "=1+1 肝性脑病", "onset": "2026-01-10", "grade": 2, "serious": "no",
        "relatedness": "possible", "action": "dose-changed", "outcome": "recovering"})
    sv.record_outcome(db, small.nurse, pids["S-002"], "early_termination", {
        "date": "2026-02-01", "reason": "other", "reason_text": LONG_REASON})
    uns = sv.add_unscheduled_visit(db, small.nurse, pids["S-003"], reason=LONG_VISIT_REASON)
    adm = sv.start_administration(db, small.nurse, visit_id=uns, instrument_id="csc",
                                  language="en", override_reason="test: unscheduled visit")
    patient = sv.hand_over_kiosk(db, sv.authenticate(db, "nurse1", PASSWORD,
                                                     station_id="KIOSK-3"), uns)
    answer_all(db, patient, adm)
    sv.submit_administration(db, patient, adm)           # the visit took place: an SV row
    run_export(db, small.investigator, "sdtm", d / "sdtm")
    yield d / "sdtm"
    db.dispose()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_xpt(path: Path):
    return pyreadstat.read_xport(str(path), encoding="utf-8")


def present(out: Path) -> list:
    """The datasets of ``out`` (SUPPSV/SUPPAE/SUPPDS only when they have rows)."""
    return [ds for ds in DATASETS if (out / dataset_files(ds)[0]).exists()]
