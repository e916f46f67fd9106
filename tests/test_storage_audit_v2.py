"""Audit trail v2 (issue 16, issue 13 item 6): one compact row per change, a chain keyed with the
site key kept outside the database, signed checkpoints, read-only verify, and the migration of a
database made by the per-field (v1) code."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

import main
from storage import audit_key, migrate
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.audit import GENESIS, row_hash
from storage.audit_verify import verify_audit, verify_sqlite_file
from storage.db import open_database
from storage.errors import DatabaseError
from storage_fixtures import (answer_all, enrol, sqlite_db, sqlite_template,  # noqa: F401
                              at_kiosk, staff)

V1_FIXTURE = Path(__file__).parent / "fixtures" / "audit_v1_demo_0008.db.gz"


def _answers(db):  # noqa: ANN001, ANN202, F811
    v = enrol(db)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    return v, adm


def _raw(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    for trig in ("audit_event_no_update", "audit_event_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {trig}")
    return con


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- compact rows -------------------------------------------------------------------------------
def test_one_row_per_answer_with_sorted_canonical_changes(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    con = sqlite3.connect(sqlite_db.path)
    before = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    sv.record_answer(sqlite_db, at_kiosk(sqlite_db, v.visit_id), adm, "q1", 2)
    sv.record_answer(sqlite_db, at_kiosk(sqlite_db, v.visit_id), adm, "q1", 3)
    rows = con.execute("SELECT operation, changes, actor_kind, station_id, patient_id FROM "
                       "audit_event WHERE seq > ? ORDER BY seq", (before,)).fetchall()
    assert [r[0] for r in rows] == ["insert", "update"]          # one row per change
    new, changed = json.loads(rows[0][1]), json.loads(rows[1][1])
    assert rows[0][1] == json.dumps(new, sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":"))          # canonical
    assert new["code"] == [None, "2"] and changed["code"] == ["2", "3"]
    assert changed["change_count"] == ["0", "1"]
    assert rows[1][2:] == ("patient", "K-1", v.patient_id)         # who, where, whose
    # schema: seq is the rowid (no separate key index), no index on the hash
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_event'").fetchone()[0]
    assert "seq INTEGER NOT NULL" in sql and "UNIQUE" not in sql
    indexes = {r[1] for r in con.execute("PRAGMA index_list(audit_event)")}
    assert indexes == {"ix_audit_event_entity", "ix_audit_event_patient"}
    con.close()


def test_alembic_has_a_single_head() -> None:
    from alembic.script import ScriptDirectory
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1 and heads[0] >= "0010"


# -- the site key -------------------------------------------------------------------------------
def test_init_creates_the_key_0600_and_writes_need_it(tmp_path, monkeypatch, capsys) -> None:
    key = tmp_path / "conf" / "audit.key"
    monkeypatch.setenv(audit_key.KEY_ENV, str(key))
    db = open_database(f"sqlite:///{tmp_path / 'e.db'}")
    try:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        sv.create_study(db, system_actor())
        key.rename(tmp_path / "elsewhere.key")                       # the key went missing
        with pytest.raises(audit_key.AuditKeyMissing, match="Restore the key file"):
            sv.create_user(db, system_actor(), username="n1", full_name="N", role="nurse",
                           password="ward-rounds-17")
        con = sqlite3.connect(tmp_path / "e.db")
        assert con.execute("SELECT count(*) FROM user_account").fetchone()[0] == 0  # not saved
        con.close()
        (tmp_path / "elsewhere.key").rename(key)
        key.chmod(0o644)                                             # readable by others
        with pytest.raises(audit_key.AuditKeyMissing, match="0600"):
            audit_key.load_key()
    finally:
        db.dispose()


def test_a_chain_rebuilt_without_the_key_is_caught(sqlite_db) -> None:  # noqa: F811
    """An attacker edits a value AND its audit row, then re-chains everything under a key of
    his own: every row is self-consistent, but not under the site key."""
    _v, adm = _answers(sqlite_db)
    con = _raw(sqlite_db.path)
    aid = con.execute("SELECT id FROM answer WHERE administration_id = ? ORDER BY id LIMIT 1",
                      (adm,)).fetchone()[0]
    con.execute("UPDATE answer SET code = 0 WHERE id = ?", (aid,))
    con.execute("UPDATE audit_event SET changes = json_set(changes, '$.code[1]', '0') "
                "WHERE entity = 'answer' AND entity_id = ?", (aid,))
    prev, forged = GENESIS, b"attacker" * 4
    for r in con.execute("SELECT * FROM audit_event ORDER BY seq").fetchall():
        row = dict(r)
        row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=timezone.utc)
        prev = row_hash(forged, prev, row)
        con.execute("UPDATE audit_event SET row_hash = ? WHERE seq = ?", (prev, r["seq"]))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and "seq 1:" in result.first_problem
    assert "without the site key" in result.first_problem


def test_without_the_key_verify_checks_the_structure_and_says_so(sqlite_db, monkeypatch,  # noqa: F811
                                                                 capsys) -> None:
    _answers(sqlite_db)
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "no.key"))
    result = verify_audit(sqlite_db)
    assert result.ok and not result.keyed and "NOT possible" in str(result)
    assert main.main(["--database", f"sqlite:///{sqlite_db.path}", "audit", "verify"]) == 3
    con = _raw(sqlite_db.path)                      # data tampering is still caught
    con.execute("UPDATE patient SET birth_year = 1901")
    con.commit()
    con.close()
    assert not verify_audit(sqlite_db).ok


def test_credentials_are_markers_in_the_chain_and_checked(sqlite_db) -> None:  # noqa: F811
    con = _raw(sqlite_db.path)
    pw_hash = con.execute("SELECT password_hash FROM user_account WHERE username = 'nurse'"
                          ).fetchone()[0]
    texts = [r[0] or "" for r in con.execute("SELECT changes FROM audit_event")]
    assert not any(pw_hash in t for t in texts)
    assert any('"password_hash":[null,"changed:' in t for t in texts)
    admin_hash = con.execute("SELECT password_hash FROM user_account WHERE username = 'admin'"
                             ).fetchone()[0]
    con.execute("UPDATE user_account SET password_hash = ? WHERE username = 'nurse'",
                (admin_hash,))                        # swap in a password the attacker knows
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and "'password_hash'" in result.first_problem


def test_patient_summary_and_schema_version_are_checked(sqlite_db) -> None:  # noqa: F811
    _answers(sqlite_db)
    assert verify_audit(sqlite_db).ok
    con = _raw(sqlite_db.path)
    con.execute("UPDATE patient_summary SET next_visit_code = 'W99'")
    con.commit()
    result = verify_audit(sqlite_db)
    assert not result.ok and "patient_summary" in result.first_problem
    con.execute("UPDATE alembic_version SET version_num = '0009'")
    con.commit()
    con.close()
    result = verify_sqlite_file(sqlite_db.path)
    assert not result.ok and "alembic_version" in result.first_problem


# -- read-only verify, integrity --------------------------------------------------------------
def test_verify_a_read_only_archived_copy_and_a_damaged_one(sqlite_db, tmp_path,  # noqa: F811
                                                            capsys) -> None:
    _answers(sqlite_db)
    archive = tmp_path / "archive"
    archive.mkdir()
    copy = archive / "epro-2026.db"
    shutil.copyfile(sqlite_db.path, copy)
    copy.chmod(0o444)
    archive.chmod(0o555)
    try:
        before = sha(copy)
        assert main.main(["--database", f"sqlite:///{copy}", "audit", "verify"]) == 0
        assert "audit OK" in capsys.readouterr().out
        assert sha(copy) == before and [p.name for p in archive.iterdir()] == [copy.name]
    finally:
        archive.chmod(0o755)
        copy.chmod(0o644)
    data = bytearray(copy.read_bytes())
    n_pages = len(data) // 4096
    data[4096 * (n_pages - 2) + 100: 4096 * (n_pages - 2) + 600] = b"\xff" * 500
    copy.write_bytes(bytes(data))
    assert main.main(["--database", f"sqlite:///{copy}", "audit", "verify"]) == 1
    assert "integrity_check" in capsys.readouterr().out


# -- checkpoints --------------------------------------------------------------------------------
def test_backup_prints_a_signed_checkpoint_kept_in_the_site_log(sqlite_db, tmp_path,  # noqa: F811
                                                                 capsys, monkeypatch) -> None:
    from storage_fixtures import PASSWORDS
    pw = tmp_path / "pw"
    pw.write_text(PASSWORDS["admin"] + "\n")
    url = f"sqlite:///{sqlite_db.path}"
    assert main.main(["--database", url, "backup", str(tmp_path / "b.db"), "--user", "admin",
                      "--password-file", str(pw)]) == 0
    line = capsys.readouterr().out.split("signed audit checkpoint (also in the site log): ")[1]
    line = line.strip()
    log = audit_key.key_path().with_name(audit_key.CHECKPOINT_LOG)
    assert log.read_text().splitlines()[-1] == line
    assert main.main(["--database", url, "audit", "verify", "--expect-head", line]) == 0
    forged = line[:-1] + ("0" if line[-1] != "0" else "1")
    assert main.main(["--database", url, "audit", "verify", "--expect-head", forged]) == 2


# -- migration of a v1 database ---------------------------------------------------------------
@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    path = tmp_path / "epro-demo.db"
    with gzip.open(V1_FIXTURE) as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_a_v1_database_is_verified_compacted_and_rechained(v1_db: Path) -> None:
    con = sqlite3.connect(v1_db)
    n_v1, head_v1 = con.execute("SELECT count(*), max(seq) FROM audit_event").fetchone()
    old_head = "{}:{}".format(*con.execute(
        "SELECT seq, row_hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone())
    con.close()
    db = open_database(f"sqlite:///{v1_db}")
    try:
        result = verify_audit(db)
        assert result.ok and result.keyed, result.first_problem
        assert result.events < n_v1 / 4                     # 3 702 per-field rows -> ~500
        with db.read_session() as s:
            from sqlalchemy import select

            from storage.models import AuditEvent
            # the last row of 0010 (later migrations may append their own records)
            last = s.scalars(select(AuditEvent).where(AuditEvent.action == "audit.migrated")
                             ).one()
        assert json.loads(last.detail)["old_head"] == old_head
        # the app goes on writing on the new chain
        nurse = sv.authenticate(db, "nurse", "ward-demo-1")
        sv.record_event(db, nurse, action="kiosk.identity_mismatch")
        assert verify_audit(db).ok
    finally:
        db.dispose()


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_event SET new_value = '9' WHERE seq = 100",
    "DELETE FROM audit_event WHERE seq = 100"])
def test_a_tampered_v1_database_is_refused_unchanged(v1_db: Path, tamper: str) -> None:
    con = _raw(v1_db)
    con.execute(tamper)
    con.commit()
    con.close()
    before = sha(v1_db)
    with pytest.raises(DatabaseError, match="does not verify.*NOT upgraded"):
        open_database(f"sqlite:///{v1_db}")
    assert sha(v1_db) == before
    con = sqlite3.connect(v1_db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0008",)
    con.close()


def test_key_file_is_never_in_the_database_folder_by_default(monkeypatch) -> None:
    monkeypatch.delenv(audit_key.KEY_ENV)
    from storage.db import data_dir
    assert audit_key.key_path().parent != data_dir()
    assert os.fspath(audit_key.key_path()).endswith("audit.key")


def test_opening_without_the_key_is_refused_with_how_to_restore(sqlite_db, monkeypatch  # noqa: F811
                                                                ) -> None:
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "lost.key"))
    with pytest.raises(audit_key.AuditKeyMissing, match=r"lost\.key.*Restore the key file"):
        open_database(f"sqlite:///{sqlite_db.path}", create=False)


def test_a_response_code_added_outside_the_app_is_caught(sqlite_db) -> None:  # noqa: F811
    _answers(sqlite_db)                                  # registers csc's codes
    assert verify_audit(sqlite_db).ok
    con = sqlite3.connect(sqlite_db.path)
    item, version = con.execute("SELECT item_id, instrument_version FROM response_code WHERE "
                                "instrument_id = 'csc' LIMIT 1").fetchone()
    con.execute("INSERT INTO response_code VALUES ('csc', ?, ?, 99)", (version, item))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and "response_code of csc" in result.first_problem
