"""SDTM QS-style export: columns, unique project-defined test codes within SDTM limits, values."""
from __future__ import annotations

import csv
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bench.export_db import build_small
from reports.export.commands import run_export
from reports.export.sdtm import COLUMNS, _dtc, item_testcd, qs_test_codes
from reports.export.variables import instruments
from storage import services as sv
from storage.db import open_database
from storage.models import Administration, Answer


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("qs")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    run_export(db, small.investigator, "sdtm-qs", d / "qs.csv")
    yield db, read(d / "qs.csv"), read(d / "qs_testcodes.csv")
    db.dispose()


def test_columns_in_the_issue_order():
    assert COLUMNS == ("STUDYID", "DOMAIN", "USUBJID", "QSSEQ", "QSTESTCD", "QSTEST", "QSCAT",
                       "QSORRES", "QSSTRESC", "QSSTRESN", "QSSTAT", "QSREASND", "QSLOBXFL",
                       "QSDRVFL", "VISITNUM", "VISIT", "EPOCH", "QSDTC", "QSDY",
                       "QSEVLINT")


def test_test_codes_are_unique_short_and_labelled_project_defined(env):
    codes = [c[0] for c in qs_test_codes(instruments())]
    assert len(codes) == len(set(codes))
    assert all(len(c) <= 8 and c.isalnum() and c[0].isalpha() for c in codes)
    side = env[2]
    assert {r["TERMINOLOGY"] for r in side if r["QSTESTCD"] != "QSALL"} == \
        {"project-defined (not CDISC Controlled Terminology)"}
    qsall = [r for r in side if r["QSTESTCD"] == "QSALL"]   # SDTMIG's whole-questionnaire code
    assert [r["QSTEST"] for r in qsall] == ["Questionnaire"]
    assert qsall[0]["TERMINOLOGY"].startswith("SDTMIG")
    assert all(len(r["QSTEST"]) <= 40 for r in side)


def test_rows_match_submitted_answers(env):
    db, rows, _ = env
    study = sv.current_protocol(db).protocol_id                # the protocol file's id
    assert {r["DOMAIN"] for r in rows} == {"QS"} and {r["STUDYID"] for r in rows} == {study}
    seqs = [int(r["QSSEQ"]) for r in rows if r["USUBJID"] == f"{study}-S-001"]
    assert seqs == list(range(1, len(seqs) + 1))
    with db.session() as s:
        q = (select(Answer).join(Administration, Administration.id == Answer.administration_id)
             .where(Administration.status == "submitted"))
        n_answers = len(list(s.scalars(q)))
    item_codes = {item_testcd(i.id, it.id) for i in instruments() for it in i.items}
    item_rows = [r for r in rows if r["QSTESTCD"] in item_codes]
    assert len(item_rows) == n_answers
    q1 = next(r for r in rows if r["QSTESTCD"] == "R36Q01" and r["VISIT"] == "BL")
    assert q1["QSSTRESN"] == q1["QSSTRESC"] and q1["QSORRES"] in (
        "Excellent", "Very good", "Good", "Fair", "Poor")
    assert q1["QSEVLINT"] == ""                                      # "in general": none
    # local time with its offset, on the visit's (local) date as SV and QSDY have it
    assert datetime.fromisoformat(q1["QSDTC"]).utcoffset() == \
        datetime.now().astimezone().utcoffset()
    q7 = next(r for r in rows if r["QSTESTCD"] == "R36Q07" and r["VISIT"] == "BL")
    assert (q7["QSSTAT"], q7["QSREASND"], q7["QSORRES"]) == ("NOT DONE", "PREFER NOT TO ANSWER",
                                                             "")
    g2 = next(r for r in rows if r["QSTESTCD"] == "CSCG2" and r["VISIT"] == "BL")
    assert g2["QSREASND"] == "NOT APPLICABLE"
    assert next(r for r in rows if r["QSTESTCD"] == "CSCC1")["QSEVLINT"] == "-P7D"
    pcs = [r for r in rows if r["QSTESTCD"] == "SF36PCS"]
    assert len(pcs) == 2 and all(float(r["QSSTRESN"]) == float(r["QSSTRESC"]) for r in pcs)


def test_qsdtc_is_the_sites_local_time_so_its_date_is_the_visit_date(monkeypatch) -> None:
    """07:30 in Shanghai is 23:30 UTC the day before: QSDTC keeps the local date that SVSTDTC
    and QSDY were recorded with (a UTC date would disagree with QSDY)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        at = datetime(2026, 1, 20, 23, 30, tzinfo=timezone.utc)
        assert _dtc(at) == "2026-01-21T07:30:00+08:00"
        assert _dtc(None) is None
    finally:
        monkeypatch.undo()
        time.tzset()
