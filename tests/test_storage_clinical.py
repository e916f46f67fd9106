"""Clinician assessment inputs of the derived scores: dialysis and the Child-Pugh variant are
stored, audited per field, used by the MELD family / Child-Pugh, returned to the nurse form and
printed on the visit summary (SQLite and a real PostgreSQL server)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from forms.errors import UserError
from storage import services as sv
from storage.audit_verify import verify_audit
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import db, enrol, pg_template, sqlite_db, sqlite_template, staff  # noqa: F401

# calculators.md §6 pitfall 2: bilirubin 1.5, INR 1.6, creatinine 0.8 ON DIALYSIS, Na 128
PITFALL2 = {"bilirubin": {"value": 1.5, "unit": "mg/dL"}, "inr": {"value": 1.6},
            "creatinine": {"value": 0.8, "unit": "mg/dL"},
            "sodium": {"value": 128, "unit": "mmol/L"},
            "albumin": {"value": 3.0, "unit": "g/dL"}}


def _data(**extra) -> dict:  # noqa: ANN003
    return {"sample_date": date.today(), "labs": PITFALL2, "ascites": "slight",
            "encephalopathy": "none", **extra}


def test_dialysis_sets_creatinine_to_the_cap_and_is_stored(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(dialysis=True))
    ca = sv.clinical_assessment(db, v.visit_id)
    assert ca["dialysis"] is True and ca["child_pugh_variant"] == "standard"
    d = ca["derived"]
    assert d["meld"]["score"] == 26          # Cr 4.0, not 0.8 (floored to 1.0)
    assert d["meld_na"]["score"] == 30       # the spec's value (21 without dialysis)
    assert d["meld3"]["score"] > 0


def test_without_dialysis_the_measured_creatinine_counts(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(dialysis=False))
    ca = sv.clinical_assessment(db, v.visit_id)
    assert ca["dialysis"] is False
    assert ca["derived"]["meld_na"]["score"] == 21


def test_dialysis_not_given_is_not_recorded_and_not_guessed(db) -> None:  # noqa: F811
    v = enrol(db)
    nurse = staff(db, "nurse")
    sv.enter_clinical_assessment(db, nurse, v.visit_id, _data())
    assert sv.clinical_assessment(db, v.visit_id)["dialysis"] is None
    with pytest.raises(UserError, match="Dialysis"):
        sv.enter_clinical_assessment(db, nurse, v.visit_id, _data(dialysis="yes", reason="r"))


def test_pbc_variant_is_stored_and_used(db) -> None:  # noqa: F811
    v = enrol(db)
    labs = {**PITFALL2, "bilirubin": {"value": 3.5, "unit": "mg/dL"}}
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id,
                                 _data(labs=labs, child_pugh_variant="pbc"))
    ca = sv.clinical_assessment(db, v.visit_id)
    assert ca["child_pugh_variant"] == "pbc"
    cp = ca["derived"]["child_pugh"]
    assert cp["formula_id"] == "CTP-Pugh1973-INR-PBC"
    # bilirubin 3.5: 1 point in the PBC bands (< 4), 3 in the standard bands (> 3)
    # albumin 3.0 -> 2, INR 1.6 -> 1, ascites slight -> 2, HE none -> 1
    assert cp["score"] == 1 + 2 + 1 + 2 + 1
    with pytest.raises(UserError):
        sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id,
                                     _data(child_pugh_variant="other", reason="r"))


def test_dialysis_correction_is_audited_per_field_and_recomputes(db) -> None:  # noqa: F811
    v = enrol(db)
    nurse = staff(db, "nurse")
    sv.enter_clinical_assessment(db, nurse, v.visit_id, _data(dialysis=False))
    ca = sv.clinical_assessment(db, v.visit_id)
    sv.enter_clinical_assessment(db, nurse, v.visit_id,
                                 _data(dialysis=True, reason="dialysis since Monday",
                                       expected_version=ca["version"]))
    assert sv.clinical_assessment(db, v.visit_id)["derived"]["meld_na"]["score"] == 30
    rows = [(r.operation, r.old_value, r.new_value, r.reason)
            for r in sv.audit_history(db, entity="clinical_assessment")
            if r.field in ("dialysis", "child_pugh_variant")]   # one line per changed field
    assert rows == [("insert", None, "standard", None), ("insert", None, "false", None),
                    ("update", "false", "true", "dialysis since Monday")]
    assert verify_audit(db).ok


def test_audit_verify_catches_a_raw_sql_change_of_dialysis(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(dialysis=False))
    assert verify_audit(db).ok
    with db.engine.begin() as c:
        c.execute(text("UPDATE clinical_assessment SET dialysis = :d"), {"d": True})
    result = verify_audit(db)
    assert not result.ok and "'dialysis'" in result.first_problem


def test_audit_verify_catches_a_raw_sql_change_of_the_variant(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(dialysis=False))
    with db.engine.begin() as c:
        c.execute(text("UPDATE clinical_assessment SET child_pugh_variant = 'pbc'"))
    result = verify_audit(db)
    assert not result.ok and "'child_pugh_variant'" in result.first_problem


def test_migration_0004_down_and_up_keeps_the_assessments(db) -> None:  # noqa: F811
    """0004 adds nullable columns (batch mode on SQLite, ALTER TABLE on PostgreSQL); a
    database at 0003 is upgraded in place and its assessments keep their data."""
    from alembic import command
    from storage import migrate
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(dialysis=True))
    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with db.engine.connect() as conn:
        cols = set(conn.execute(text("SELECT * FROM clinical_assessment")).keys())
    assert "dialysis" not in cols and "child_pugh_variant" not in cols
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    ca = sv.clinical_assessment(db, v.visit_id)
    assert ca["dialysis"] is None and ca["child_pugh_variant"] is None   # not recorded
    assert ca["derived"]["meld_na"]["score"] == 30 and ca["labs"]["creatinine"]["value"] == "0.8"
    with pytest.raises(Exception):      # the CHECK constraint came back with the column
        with db.engine.begin() as c:
            c.execute(text("UPDATE clinical_assessment SET child_pugh_variant = 'x'"))


def test_visit_summary_prints_dialysis(sqlite_db) -> None:  # noqa: F811
    from reports.summary_loader import load_visit_summary
    v = enrol(sqlite_db, "PDF-1")
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "nurse"), v.visit_id,
                                 _data(dialysis=True))
    block = load_visit_summary(sqlite_db, "PDF-1", v.visits[0].code).clinician
    assert block is not None and block.dialysis is True
    assert block.meld_na is not None and block.meld_na.value == 30
