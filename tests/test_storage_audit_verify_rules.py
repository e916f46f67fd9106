"""The audit verifier (storage/audit_verify.py) pinned where a small wrong change survived its
tests: the ``--expect-head`` syntax at both sides of each bound (seq ≥ 1, exactly 64 hex
digits, a checkpoint's signature), what a result says in each state, and the exact first
problem for each kind of tampering (messages name tables, ids and fields, never values)."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from forms.errors import UserError
from storage import audit_key, services as sv
from storage.audit import audited_columns
from storage.audit_verify import (VerifyResult, audit_head, parse_head, verify_audit,
                                  verify_sqlite_file)
from storage.models import Answer, Base
from storage_fixtures import (PASSWORDS, account_made_outside, answer_all,  # noqa: F401
                              at_kiosk, enrol, sqlite_db, sqlite_template, staff)

H = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
AT = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# ---------------------------------------------------------------- --expect-head syntax
@pytest.mark.parametrize("text, parsed", [(f"1:{H}", (1, H)), (f" 1234:{H.upper()} ", (1234, H)),
                                          (f"07:{H}", (7, H))])
def test_heads_accepted(text, parsed):
    assert parse_head(text) == parsed


@pytest.mark.parametrize("text", [f"0:{H}", f"-1:{H}", f":{H}", f"1:{H[:63]}", f"1:{H}0",
                                  f"1:{H[:63]}g", f"1 {H}", f"1.0:{H}", H])
def test_heads_refused_with_the_syntax(text):
    with pytest.raises(UserError) as err:
        parse_head(text)
    assert str(err.value) == ("--expect-head must be SEQ:HASH as printed by `audit verify` or "
                              "`backup` (e.g. 1234:9f86d0…, 64 hex digits).")


def test_a_signed_checkpoint_is_accepted_and_a_forged_one_refused(sqlite_db):  # noqa: F811
    """(``sqlite_db``: a database made, so the site key exists.)"""
    good = audit_key.checkpoint(f"12:{H}", AT)
    assert good.startswith(f"12:{H}:2030-01-02T03:04:05Z:")
    assert parse_head(good) == (12, H)
    forged = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(UserError) as err:
        parse_head(forged)
    assert str(err.value) == ("--expect-head: the checkpoint's signature does not match the "
                              "site key (not written by this site, or altered).")


def test_a_checkpoint_cannot_be_checked_without_the_key_but_its_head_is_used(monkeypatch,
                                                                             tmp_path):
    forged = f"12:{H}:2030-01-02T03:04:05Z:{'0' * 64}"
    monkeypatch.setenv(audit_key.KEY_ENV, str(tmp_path / "no.key"))
    assert parse_head(forged) == (12, H)


# ---------------------------------------------------------------- what a result says
def test_result_texts():
    head = f"3:{H}"
    assert str(VerifyResult(True, 3, 7, head=head)) == (
        "audit OK: 3 events in an unbroken keyed chain, 7 values match their last audited "
        f"value\naudit chain head: {head}")
    assert str(VerifyResult(True, 3, 7, head=head, keyed=False, key_problem="no key file")) == (
        "audit PARTIAL: 3 events in a gap-free sequence, 7 values match their last audited "
        "value, but the KEYED check was NOT possible (no site key: no key file); a chain "
        "rebuilt by someone without the key is not detected by this run\n"
        f"audit chain head: {head}")
    assert str(VerifyResult(False, 3, 0, "x broke", head)) == "audit FAILED: x broke"
    assert str(VerifyResult(False, 3, 0, "x broke", head, keyed=False)) == "audit FAILED: x broke"


# ---------------------------------------------------------------- first problems, exactly
def _activity(db):  # noqa: ANN001, ANN202
    v = enrol(db)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    return v, adm


def _raw(db) -> sqlite3.Connection:  # noqa: ANN001
    con = sqlite3.connect(db.path)
    for trig in ("audit_event_no_update", "audit_event_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {trig}")
    con.execute("PRAGMA foreign_keys = OFF")
    return con


def test_a_clean_database_counts_events_and_values(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    result = verify_audit(sqlite_db)
    assert result.ok and result.keyed and result.first_problem is None
    assert result.key_problem is None                      # the key was there
    con = _raw(sqlite_db)
    n = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    head = con.execute("SELECT row_hash FROM audit_event WHERE seq = ?", (n,)).fetchone()[0]
    con.close()
    assert (result.events, result.head) == (n, f"{n}:{head}")
    assert result.values > 100


def test_a_missing_row_names_the_seq_expected_and_found(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("DELETE FROM audit_event WHERE seq = 4")
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert (result.ok, result.events, result.values) == (False, 3, 0)
    assert result.first_problem == ("audit chain broken: expected seq 4, found seq 5 (a row is "
                                    "missing or inserted)")


def test_an_edited_row_names_its_seq(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("UPDATE audit_event SET detail = 'x' WHERE seq = 6")
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert (result.ok, result.events, result.values) == (False, 5, 0)  # no data checked
    assert result.first_problem == (
        "audit chain broken at seq 6: the row's keyed hash does not match (the row was edited, "
        "a row before it was removed, or the chain was rebuilt without the site key)")


def test_anchor_differs_and_anchor_beyond_the_end(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    good = verify_audit(sqlite_db)
    n, digest = good.head.split(":")
    other = "a" * 64 if digest != "a" * 64 else "b" * 64
    at3 = verify_audit(sqlite_db, expect_head=f"3:{other}")
    assert (at3.ok, at3.events, at3.values) == (False, 3, 0) and at3.head.startswith("3:")
    assert at3.first_problem == ("audit chain differs from the expected head at seq 3 (the "
                                 "trail was rewritten or this is another database)")
    assert verify_audit(sqlite_db, expect_head=good.head).ok
    assert verify_audit(sqlite_db, expect_head=f"{int(n) - 1}:{other}").ok is False
    beyond = verify_audit(sqlite_db, expect_head=f"{int(n) + 2}:{digest}")
    assert (beyond.ok, beyond.events, beyond.values, beyond.head) == (False, int(n), 0,
                                                                      good.head)
    assert beyond.first_problem == (
        f"audit chain ends at seq {n} but the expected head is seq {int(n) + 2}: the newest 2 "
        "audit row(s) were removed, or this is an older copy of the database")


def test_a_changed_value_names_table_id_and_field(sqlite_db):  # noqa: F811
    v, _adm = _activity(sqlite_db)
    head = verify_audit(sqlite_db).head
    con = _raw(sqlite_db)
    con.execute("UPDATE patient SET birth_year = 1901 WHERE id = ?", (v.patient_id,))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert result.ok is False and result.values > 0
    assert result.head == head                  # the chain itself is whole: its head is named
    assert result.events == int(head.split(":")[0])              # and all its rows counted
    assert result.first_problem == (f"patient id {v.patient_id} field 'birth_year' differs from "
                                    "its last audited value (changed outside the application)")


def test_an_inserted_and_a_deleted_row_are_named(sqlite_db):  # noqa: F811
    _v, adm = _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("INSERT INTO site (study_id, code, name) VALUES (1, 'X', 'x')")
    con.commit()
    sid = con.execute("SELECT max(id) FROM site").fetchone()[0]
    result = verify_audit(sqlite_db)
    assert result.first_problem == (f"site id {sid} has no audit record (inserted outside the "
                                    "application)")
    aid = con.execute("SELECT max(id) FROM answer WHERE administration_id = ?",
                      (adm,)).fetchone()[0]
    con.execute("DELETE FROM answer WHERE id = ?", (aid,))       # 'answer' is checked first
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert result.first_problem == (f"answer id {aid} was deleted outside the application (no "
                                    "audited delete)")


def test_patient_summary_problems_are_named(sqlite_db):  # noqa: F811
    v, _adm = _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("UPDATE patient_summary SET next_visit_code = 'W99' WHERE patient_id = ?",
                (v.patient_id,))
    con.commit()
    result = verify_audit(sqlite_db)
    assert result.first_problem == (
        f"patient_summary of patient id {v.patient_id} field 'next_visit_code' differs from the "
        "audited data (changed outside the application; `rebuild` it)")
    con.execute("DELETE FROM patient_summary")                 # a missing row is computed on
    con.commit()                                               # the fly: not a problem
    assert verify_audit(sqlite_db).ok
    con.close()


def test_an_empty_trail_has_the_genesis_head(sqlite_db):  # noqa: F811
    con = _raw(sqlite_db)
    con.execute("DELETE FROM audit_event")
    con.commit()
    con.close()
    assert audit_head(sqlite_db) == "0:" + "0" * 64


def test_a_damaged_file_names_sqlites_first_complaint(sqlite_db, tmp_path):  # noqa: F811
    _activity(sqlite_db)
    copy = tmp_path / "damaged.db"
    shutil.copyfile(sqlite_db.path, copy)
    data = bytearray(copy.read_bytes())
    page = 4096 * (len(data) // 4096 - 2)
    data[page + 100: page + 600] = b"\xff" * 500
    copy.write_bytes(bytes(data))
    con = sqlite3.connect(copy)
    first = con.execute("PRAGMA integrity_check").fetchall()[0][0]
    con.close()
    assert first != "ok"
    result = verify_sqlite_file(copy)
    assert (result.ok, result.events, result.values) == (False, 0, 0)
    assert result.first_problem == f"the database file is damaged: SQLite integrity_check " \
                                   f"reports {first!r}"
    assert verify_sqlite_file(sqlite_db.path).ok


def test_response_codes_of_every_administered_instrument_are_checked(sqlite_db):  # noqa: F811
    """Only rand36 administered: csc (registered before it, never administered) is skipped and
    rand36's codes are still compared with its file."""
    v = enrol(sqlite_db)
    sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                            instrument_id="rand36", language="en")
    con = _raw(sqlite_db)
    assert con.execute("SELECT count(*) FROM response_code WHERE instrument_id = 'csc'"
                       ).fetchone()[0] == 0
    item, version = con.execute("SELECT item_id, instrument_version FROM response_code WHERE "
                                "instrument_id = 'rand36' LIMIT 1").fetchone()
    assert verify_audit(sqlite_db).ok
    con.execute("DELETE FROM response_code WHERE instrument_id = 'rand36' AND item_id = ?",
                (item,))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert result.first_problem == (f"response_code of rand36 {version} differs from the "
                                    "instrument file (codes added or removed outside the "
                                    "application)")


def test_without_the_key_the_result_names_why(sqlite_db, monkeypatch):  # noqa: F811
    _activity(sqlite_db)
    keyed = verify_audit(sqlite_db)
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "gone.key"))
    with pytest.raises(audit_key.AuditKeyMissing) as err:
        audit_key.load_key()
    result = verify_audit(sqlite_db)
    assert (result.ok, result.keyed, result.key_problem) == (True, False, str(err.value))
    assert (result.events, result.head) == (keyed.events, keyed.head)
    assert 0 < result.values < keyed.values               # credentials need the key


def test_changes_that_are_not_json_are_named(sqlite_db, monkeypatch):  # noqa: F811
    """Checked without the key (with it, the edited row already breaks the keyed hash)."""
    _activity(sqlite_db)
    con = _raw(sqlite_db)
    seq = con.execute("SELECT max(seq) FROM audit_event WHERE operation = 'update'").fetchone()[0]
    con.execute("UPDATE audit_event SET changes = '{' WHERE seq = ?", (seq,))
    con.commit()
    con.close()
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "gone.key"))
    result = verify_audit(sqlite_db)
    assert (result.ok, result.events, result.values) == (False, seq, 0)
    assert result.first_problem == f"audit row seq {seq}: changes are not JSON"


def test_changes_removed_from_a_row_are_named_not_a_crash(sqlite_db, monkeypatch):  # noqa: F811
    """Without the key: an insert row whose changes were emptied (NULL) records no values, so
    the row it inserted is named as differing (the walk does not try to parse NULL)."""
    v, _adm = _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("UPDATE audit_event SET changes = NULL WHERE entity = 'patient' AND "
                "operation = 'insert'")
    con.commit()
    con.close()
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "gone.key"))
    result = verify_audit(sqlite_db)
    assert result.ok is False and result.first_problem.startswith(
        f"patient id {v.patient_id} field '") and "differs from its last audited" in \
        result.first_problem


def test_a_schema_version_changed_outside_is_named(sqlite_db):  # noqa: F811
    con = _raw(sqlite_db)
    head = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    con.execute("UPDATE alembic_version SET version_num = '0009'")
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert (result.ok, result.events, result.values) == (False, 0, 0)
    assert result.first_problem == (f"alembic_version is '0009', expected {head!r} (schema "
                                    "changed outside the application, or the database needs "
                                    "`epro init`)")


def test_a_summary_row_of_no_patient_is_named(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("INSERT INTO patient_summary (patient_id, alert) VALUES (999, '')")
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert result.first_problem == ("patient_summary has a row for patient id 999 that does "
                                    "not exist")


def test_the_anchor_result_carries_the_head_at_the_anchor(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    con = _raw(sqlite_db)
    h3 = con.execute("SELECT row_hash FROM audit_event WHERE seq = 3").fetchone()[0]
    con.close()
    other = "a" * 64 if h3 != "a" * 64 else "b" * 64
    assert verify_audit(sqlite_db, expect_head=f"3:{other}").head == f"3:{h3}"
    assert verify_audit(sqlite_db, expect_head=f"3:{h3}").ok


def test_values_counts_every_audited_value(sqlite_db):  # noqa: F811
    _activity(sqlite_db)
    with sqlite_db.session() as s:
        want = sum(len(audited_columns(m.class_)) * s.scalar(select(func.count()).select_from(
            m.class_)) for m in Base.registry.mappers if m.class_.__audited__)
    assert verify_audit(sqlite_db).values == want


def test_a_missing_summary_row_does_not_end_the_summary_check(sqlite_db):  # noqa: F811
    first, _adm = _activity(sqlite_db)
    second = enrol(sqlite_db, "S-002")
    con = _raw(sqlite_db)
    con.execute("DELETE FROM patient_summary WHERE patient_id = ?", (first.patient_id,))
    con.execute("UPDATE patient_summary SET next_visit_code = 'W99' WHERE patient_id = ?",
                (second.patient_id,))
    con.commit()
    con.close()
    assert first.patient_id < second.patient_id
    result = verify_audit(sqlite_db)
    assert result.first_problem == (
        f"patient_summary of patient id {second.patient_id} field 'next_visit_code' differs "
        "from the audited data (changed outside the application; `rebuild` it)")


def test_without_the_key_every_other_field_of_an_account_is_still_checked(sqlite_db,  # noqa: F811
                                                                        monkeypatch):
    """Only the credential columns need the key: the fields after them (here ``active``) are
    compared too, and counted (all audited columns of every account but its two hashes)."""
    keyed = verify_audit(sqlite_db)
    monkeypatch.setenv(audit_key.KEY_ENV, str(sqlite_db.path.parent / "gone.key"))
    keyless = verify_audit(sqlite_db)
    con = _raw(sqlite_db)
    accounts = con.execute("SELECT count(*) FROM user_account").fetchone()[0]
    uid = con.execute("SELECT id FROM user_account WHERE username = 'nurse'").fetchone()[0]
    con.execute("UPDATE user_account SET active = 0 WHERE id = ?", (uid,))
    con.commit()
    con.close()
    assert keyless.ok and keyless.values == keyed.values - 2 * accounts
    result = verify_audit(sqlite_db)                         # still without the key
    assert not result.ok
    assert result.first_problem == (f"user_account id {uid} field 'active' differs from its "
                                    "last audited value (changed outside the application)")


def test_an_event_naming_an_account_made_outside_is_not_its_audit_record(sqlite_db):  # noqa: F811
    """An account inserted outside the application still has no audit record after logins
    named it in the chain: an event row records no values (only insert/update/delete do)."""
    con = _raw(sqlite_db)
    uid = account_made_outside(con)
    con.close()
    sv.authenticate(sqlite_db, "intruder", PASSWORDS["nurse"], station_id="WS-9")
    result = verify_audit(sqlite_db)
    assert result.first_problem == (f"user_account id {uid} has no audit record (inserted "
                                    "outside the application)")


def test_a_deleted_newest_row_whose_id_the_app_reuses_is_named(sqlite_db):  # noqa: F811
    """SQLite gives the next row the id of a deleted newest row: the app's later insert then
    has the same id, and its audit row must not hide the deletion made outside the app."""
    v, adm = _activity(sqlite_db)
    con = _raw(sqlite_db)
    aid = con.execute("SELECT max(id) FROM answer").fetchone()[0]
    con.execute("DELETE FROM answer WHERE id = ?", (aid,))
    con.commit()
    con.close()
    other = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                    instrument_id="rand36", language="en")
    answer_all(sqlite_db, at_kiosk(sqlite_db, v.visit_id), other)
    with sqlite_db.session() as s:                  # the app's next answer took the same id
        assert s.get(Answer, aid).administration_id == other
    result = verify_audit(sqlite_db)
    assert result.ok is False and result.first_problem.startswith(f"answer id {aid} inserted again")
    assert result.first_problem.endswith("without an audited delete (the earlier row was "
                                         "deleted outside the application)")
    assert result.head == audit_head(sqlite_db)     # the whole chain was walked
