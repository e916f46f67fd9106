"""Demo outcome records (issue 15 item 4), written through the services: imaging, infusions at
day 1, AEs (serious, grade >= 3), one death, one early termination, one HCC diagnosis and one
unscheduled visit, with the staff alerts storage raised for them."""
from __future__ import annotations

import pytest

from storage import demo
from storage import services as sv
from storage.db import open_database


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):  # noqa: ANN001, ANN201
    d = open_database(f"sqlite:///{tmp_path_factory.mktemp('demo-outcomes') / 'demo.db'}")
    demo.generate_demo_data(d, patients=5, seed=1)
    yield d
    d.dispose()


def test_demo_has_every_kind_of_outcome(demo_db) -> None:
    recs = sv.list_outcomes(demo_db)
    by_kind = {k: [r for r in recs if r.kind == k] for k in
               ("imaging", "infusion", "adverse_event", "vital_status", "early_termination",
                "hcc")}
    assert {r.visit_code for r in by_kind["imaging"]} >= {None, "BL", "W12", "W24"}
    cells = {"low": 50, "medium": 100, "high": 150}       # a higher-dose arm gets more cells
    assert by_kind["infusion"]
    for r in by_kind["infusion"]:
        p = sv.get_patient(demo_db, r.patient_id)
        assert r.fields["date"] == p.day1_date.isoformat() and r.fields["arm"] == p.arm
        assert r.fields["cell_count_e6"] == cells[p.arm]
    aes = by_kind["adverse_event"]
    assert any(a.fields["serious"] == "yes" for a in aes)
    assert any(a.fields["grade"] >= 3 for a in aes)
    assert [r.fields["status"] for r in by_kind["vital_status"]].count("dead") == 1
    assert sorted(r.fields["reason"] for r in by_kind["early_termination"]) == [
        "death", "withdrew_consent"]
    assert [r.fields["hcc_diagnosis"] for r in by_kind["hcc"]] == ["yes"]
    assert any(v.code.startswith("UNS") for pid in range(1, 6)
               for v in sv.patient_visits(demo_db, pid))


def test_demo_death_sae_and_hcc_raise_staff_alerts(demo_db) -> None:
    reasons = {a.reason for a in sv.list_alerts(demo_db) if a.source == "outcome"}
    assert {"death", "serious_ae", "ae_grade_3plus", "new_hcc"} <= reasons
