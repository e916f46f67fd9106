"""CSV folder export on a database built through the storage services: round trip, defanging,
BOM, subject/since filters, and the export's own audit event with file hashes."""
from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from sqlalchemy import select

from bench.export_db import INJECTION_NAME, INJECTION_REASON, build_small
from reports.export.audit_hook import sha256_file
from reports.export.commands import run_export
from reports.export.csv_folder import FILES
from storage import services as sv
from storage.db import open_database
from storage.errors import PermissionDenied
from storage.models import Answer, AuditEvent, Patient


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("csvexp")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    detail = run_export(db, small.investigator, "csv", d / "out")
    yield db, small, d / "out", detail
    db.dispose()


def read(path):
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the BOM"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_file_is_written_with_a_bom(env):
    _, _, out, _ = env
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    for name in FILES:
        read(out / name)


def test_answers_round_trip_against_the_database(env):
    db, _, out, _ = env
    rows = read(out / "answers_long.csv")
    with db.session() as s:
        stored = {(a.administration_id, a.item_id): a for a in s.scalars(select(Answer))}
    assert len(rows) == len(stored)
    for r in rows:
        a = stored[(int(r["administration_id"]), r["item"])]
        assert r["status"] == a.status
        assert r["code"] == ("" if a.code is None else str(a.code))
        assert r["skip_reason"] == (a.skip_reason or "")
        assert r["answered_at_utc"] == a.answered_at.isoformat()
    skipped = [r for r in rows if r["status"] == "skipped"]
    assert [(r["item"], r["skip_reason"]) for r in skipped] == [("q7", "prefer_not_to_answer")]
    na = {r["item"] for r in rows if r["status"] == "not_applicable"}
    assert "G2" in na  # not shown at baseline


def test_wide_file_has_items_scores_and_algorithm_versions(env):
    db, small, out, _ = env
    rows = read(out / "administrations_wide.csv")
    sub, item, old, new = small.corrected
    w1_csc = [r for r in rows if r["subject_id"] == sub and r["visit"] == "W1"
              and r["instrument"] == "csc"]
    assert len(w1_csc) == 1 and w1_csc[0]["csc_c1"] == str(new)
    rand_base = next(r for r in rows if r["instrument"] == "rand36" and r["visit"] == "BL")
    assert rand_base["rand36_q7"] == ""            # skipped: empty, never 0
    assert rand_base["rand36_1_0_version"] == "1.0"
    assert rand_base["sf36v1_ware1993_norms1990_version"] == "1.0"
    # full precision: the exported float equals the stored one exactly
    from storage.services.scoring import stored_scores
    with db.session() as s:
        stored = stored_scores(s, int(rand_base["administration_id"]))
    assert float(rand_base["sf36_pcs"]) == stored["sf36_pcs"]
    assert float(rand_base["rand_pf"]) == stored["rand_pf"]
    in_progress = [r for r in rows if r["status"] == "in_progress"]
    assert [r["subject_id"] for r in in_progress] == ["S-002"]


def test_free_text_formulas_are_defanged_but_numbers_are_not(env):
    _, _, out, _ = env
    audit = read(out / "audit.csv")
    # one line per change: the values sit inside the canonical JSON of ``changes`` (a cell
    # starting with "{"), free text columns such as the reason are defanged
    assert any(r["reason"] == "'" + INJECTION_REASON for r in audit)
    assert not any(v.startswith(("=", "+", "@")) for r in audit for v in r.values())
    scores = read(out / "scores.csv")
    neg = [r for r in scores if r["value"].startswith("-")]
    for r in neg:
        float(r["value"])  # a genuine number left as is


def test_export_is_audited_with_the_hash_of_every_file(env):
    db, small, out, detail = env
    with db.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "export.created")).all()
    assert len(ev) == 1 and ev[0].actor_username == "inv" and ev[0].actor_role == "investigator"
    logged = json.loads(ev[0].detail)
    assert logged["format"] == "csv"
    for name in FILES:
        assert logged["files"][name]["sha256"] == sha256_file(out / name)


def test_subject_and_since_filters(env, tmp_path):
    db, small, _, _ = env
    run_export(db, small.investigator, "csv", tmp_path / "one", subject="S-002")
    rows = read(tmp_path / "one" / "administrations_wide.csv")
    assert {r["subject_id"] for r in rows} == {"S-002"}
    assert all(r["patient_id"] in ("", "2") for r in read(tmp_path / "one" / "audit.csv"))
    run_export(db, small.investigator, "csv", tmp_path / "future", since=date(2999, 1, 1))
    assert read(tmp_path / "future" / "administrations_wide.csv") == []


def test_a_nurse_may_not_export_and_the_refusal_is_audited(env, tmp_path):
    db, small, _, _ = env
    with pytest.raises(PermissionDenied):
        run_export(db, small.nurse, "csv", tmp_path / "no")
    assert not (tmp_path / "no").exists()
    with db.session() as s:
        denied = s.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied",
                                                    AuditEvent.detail == "export")).all()
    assert denied


def test_enrolment_screening_is_exported_as_stored(env):
    """Raw screening inputs, derived scores, result and per-criterion results as typed columns
    (issue 11 item 3: the exports carry what storage stored at enrolment)."""
    db, small, out, _ = env
    rows = read(out / "enrolment.csv")
    assert [r["subject_id"] for r in rows] == list(small.subjects)
    first = rows[0]
    rec = sv.enrolment_record(db, sv.find_patient(db, small.subjects[0]).id)
    assert (first["result"], first["child_pugh"], first["meld"]) == ("eligible", "8", "14")
    assert (first["bilirubin"], first["bilirubin_unit"]) == ("2.5", "mg/dL")
    assert first["exclusion_pregnancy"] == "no" and first["hbv"] == "yes"
    assert first["arm"] == rec.arm and first["allocation_sequence"] == "1"
    crit = [r for r in read(out / "enrolment_criteria.csv")
            if r["subject_id"] == first["subject_id"]]
    assert [c["criterion_id"] for c in crit] == [c.id for c in rec.criteria]
    assert {c["met"] for c in crit} == {"yes"}



def test_no_patient_name_or_initials_in_any_file_and_audit_says_withheld(env):
    """Issue 17: with full names stored, audit.csv carried them (``changes`` of the patient
    insert); the export has no identifiable-data option, so no file holds a name or initials."""
    db, _, out, _ = env
    with db.session() as s:
        people = s.execute(select(Patient.full_name, Patient.initials)).all()
    secrets = {x for row in people for x in row if x}
    assert INJECTION_NAME in secrets and "李小龙" in secrets
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert not [x for x in secrets if len(x) > 2 and x in text], path.name
        assert not [x for x in secrets if f'"{x}"' in text], path.name   # initials as JSON
    patient_rows = [json.loads(r["changes"]) for r in read(out / "audit.csv")
                    if r["entity"] == "patient" and r["changes"]]
    named = [d for d in patient_rows if "full_name" in d and d["full_name"][1]]
    assert named and {d["full_name"][1] for d in named} == {"WITHHELD"}
    assert {d["initials"][1] for d in patient_rows if "initials" in d} == {"WITHHELD"}
