"""Commands: init, audit verify, backup, restore, demo-data (through main.py's parser)."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import main
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.auth_sessions import system_actor
from storage.db import open_database


def run(db_path: Path, *argv: str) -> int:
    return main.main(["--database", f"sqlite:///{db_path}", *argv])


def test_init_creates_database_study_and_admin(tmp_path, capsys) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text("correct horse battery\n", encoding="utf-8")
    path = tmp_path / "epro.db"
    assert run(path, "init", "--admin", "alice", "--password-file", str(pw)) == 0
    assert "admin account 'alice' created" in capsys.readouterr().out
    db = open_database(f"sqlite:///{path}")
    try:
        actor = sv.authenticate(db, "alice", "correct horse battery")
        assert actor.role == "admin"
    finally:
        db.dispose()
    assert run(path, "init") == 0                       # idempotent upgrade/check


def test_init_reads_password_from_prompt(tmp_path, monkeypatch) -> None:
    answers = iter(["prompted-password", "different"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(tmp_path / "e.db", "init", "--admin", "bob") == 2   # mismatch -> UserError
    assert not (tmp_path / "e.db").exists()


def test_audit_verify_exit_codes(tmp_path, capsys) -> None:
    path = tmp_path / "epro.db"
    pw = tmp_path / "pw"
    pw.write_text("admin-password\n")
    run(path, "init", "--admin", "root-admin", "--password-file", str(pw))
    assert run(path, "audit", "verify") == 0
    assert "audit OK" in capsys.readouterr().out
    con = sqlite3.connect(path)
    con.execute("UPDATE user_account SET role = 'investigator'")
    con.commit()
    con.close()
    assert run(path, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert "user_account id 1 field 'role'" in out


def test_backup_and_restore(tmp_path, capsys) -> None:
    path = tmp_path / "epro.db"
    pw = tmp_path / "pw"
    pw.write_text("admin-password\n")
    run(path, "init", "--admin", "a1", "--password-file", str(pw))
    backup = tmp_path / "copy.db"
    assert run(path, "backup", str(backup), "--user", "a1", "--password-file", str(pw)) == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    assert f"SHA-256: {digest}" in out
    assert run(path, "backup", str(backup), "--user", "a1", "--password-file",
               str(pw)) == 2                               # never overwrites
    db = open_database(f"sqlite:///{path}")
    sv.create_user(db, system_actor(), username="later", full_name="L", role="nurse",
                   password="nurse-password")
    db.dispose()
    assert run(path, "restore", str(backup), "--user", "a1", "--password-file", str(pw),
               "--yes") == 0                               # 'later' is not in the backup
    kept = list(tmp_path.glob("epro.db.*.bak"))
    assert len(kept) == 1
    db = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(Exception):
            sv.authenticate(db, "later", "nurse-password")   # restored state has no 'later'
        assert verify_audit(db).ok
    finally:
        db.dispose()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"nope" * 100)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert run(path, "restore", str(garbage), "--user", "a1", "--password-file",
               str(pw)) == 2                               # verified before replacing
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_demo_data_through_services(tmp_path) -> None:
    path = tmp_path / "demo.db"
    assert run(path, "demo-data", "--patients", "2", "--seed", "3") == 0
    db = open_database(f"sqlite:///{path}")
    try:
        rows = sv.list_patients(db)
        assert [r.subject_id for r in rows] == ["DEMO-0001", "DEMO-0002"]
        visits = sv.patient_visits(db, rows[0].id)
        done = [v.code for v in visits if v.actual_date is not None]
        assert done == ["BL", "W1", "W2", "W4", "W8", "W12", "W24"]
        assert rows[0].last_pcs is not None and rows[0].last_rss is not None
        statuses = {v.status for v in visits}
        assert "signed" in statuses and "resign_required" in statuses   # correction after sign
        assert sv.clinical_assessment(db, visits[0].id)["derived"]["child_pugh"]["class"]
        assert sv.authenticate(db, "nurse", "ward-demo-1").role == "nurse"
        assert sv.authenticate(db, "investigator", "trial-demo-1").role == "investigator"
        assert sv.authenticate(db, "admin", "site-demo-1").role == "admin"
        assert [r for r in sv.audit_history(db, patient_id=rows[0].id)
                if r.action == "answer.correct"]
        assert verify_audit(db).ok
    finally:
        db.dispose()
