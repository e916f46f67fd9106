"""sign_visits: a series of signatures with one re-authentication; demo data stays cheap."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import services as sv
from storage.errors import AuthError, ConflictError, NotFound
from storage.models import AuditEvent, Signature
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (PASSWORDS, answer_all, db, enrol, pg_template,  # noqa: F401
                              at_kiosk, sqlite_db, sqlite_template, staff)


def _submitted_visit(database, subject: str):  # noqa: ANN001, ANN202
    v = enrol(database, subject)
    adm = sv.start_administration(database, staff(database, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    pat = at_kiosk(database, v.visit_id)
    answer_all(database, pat, adm)
    sv.submit_administration(database, pat, adm)
    return v


def test_sign_visits_one_password_check_for_many_visits(db, monkeypatch) -> None:  # noqa: F811
    a, b = _submitted_visit(db, "SV-1"), _submitted_visit(db, "SV-2")
    from storage.services import auth
    checks = []
    real = auth._check
    monkeypatch.setattr(auth, "_check", lambda *a: checks.append(1) or real(*a))
    inv = staff(db, "investigator")
    ids = sv.sign_visits(db, inv, [a.visit_id, b.visit_id], username="investigator",
                         password=PASSWORDS["investigator"],
                         meaning="reviewed and approved")
    assert len(checks) == 1 and len(set(ids)) == 2
    for v, sig_id in ((a, ids[0]), (b, ids[1])):
        sig = sv.visit_signatures(db, v.visit_id)[0]
        assert (sig.id, sig.status, sig.content_matches) == (sig_id, "valid", True)
        assert sv.patient_visits(db, v.patient_id)[0].status == "signed"
        rows = [r for r in sv.audit_history(db, entity="signature", entity_id=sig_id)]
        assert rows and {r.patient_id for r in rows} == {v.patient_id}      # its own patient
        assert {r.action for r in rows} == {"visit.sign"}
    with pytest.raises(ConflictError, match="already signed"):    # never signed twice
        sv.sign_visit(db, inv, a.visit_id, username="investigator",
                      password=PASSWORDS["investigator"], meaning="reviewed")
    c = _submitted_visit(db, "SV-3")
    assert sv.sign_visit(db, inv, c.visit_id, username="investigator",
                         password=PASSWORDS["investigator"],
                         meaning="reviewed") not in ids                  # single form still works


def test_sign_visits_is_all_or_nothing(db) -> None:  # noqa: F811
    a, b = _submitted_visit(db, "SV-1"), _submitted_visit(db, "SV-2")
    inv = staff(db, "investigator")
    with pytest.raises(AuthError):
        sv.sign_visits(db, inv, [a.visit_id, b.visit_id], username="investigator",
                       password="wrong-password",
                       meaning="reviewed and approved")
    with pytest.raises(NotFound):
        sv.sign_visits(db, inv, [a.visit_id, 999_999], username="investigator",
                       password=PASSWORDS["investigator"],
                       meaning="reviewed and approved")
    with db.session() as s:
        assert s.scalars(select(Signature)).all() == []
        failures = s.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "signature.failure")).all()
    assert failures == ["signature.failure"]              # the wrong password was recorded
    with pytest.raises(Exception, match="(?i)may not"):
        sv.sign_visits(db, staff(db, "nurse"), [a.visit_id], password=PASSWORDS["nurse"],
                       meaning="reviewed")


def test_demo_data_checks_passwords_a_bounded_number_of_times(tmp_path, monkeypatch) -> None:
    """argon2 costs ~0.2 s a check: the demo logs in once per account (and once at its kiosk,
    which hands the kiosk over to each patient) and signs in sessions,
    it does not re-authenticate for every signature."""
    from storage.db import open_database
    from storage.demo import generate_demo_data
    from storage.services import auth
    checks = []
    real = auth._check
    monkeypatch.setattr(auth, "_check", lambda *a: checks.append(1) or real(*a))
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        assert generate_demo_data(db, patients=6, seed=2) == 6
        with db.session() as s:
            n_sigs = len(s.scalars(select(Signature)).all())
    finally:
        db.dispose()
    assert n_sigs >= 7                         # DEMO-0001 alone signs every completed visit
    assert len(checks) == 3 + 1 + 1            # 3 logins, the kiosk nurse, 1 signing session


def test_demo_signing_sessions_come_after_the_visits_they_sign(tmp_path, monkeypatch) -> None:
    """Many small sessions: every signature and correction is later than the data it covers
    (a correction earlier than its answer would break ck_answer_saved_after_answered)."""
    from storage import demo
    from storage.audit_verify import verify_audit
    from storage.db import open_database
    from storage.models import Administration
    monkeypatch.setattr(demo, "SIGNING_SESSION", 2)
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        assert demo.generate_demo_data(db, patients=8, seed=1) == 8
        with db.session() as s:
            sigs = s.scalars(select(Signature)).all()
            assert len(sigs) >= 8
            for sig in sigs:
                done = s.scalars(select(Administration.submitted_at).where(
                    Administration.visit_id == sig.visit_id)).all()
                assert done and sig.signed_at > max(done)
        assert [r for r in sv.audit_history(db) if r.action == "answer.correct"]
        assert verify_audit(db).ok
    finally:
        db.dispose()
