"""``epro export`` through main(): every format, exit codes, audit, clear errors."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import main
from bench.export_db import PASSWORD, build_small
from storage.db import open_database
from storage.models import AuditEvent


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{d / 'e.db'}"
    db = open_database(url)
    build_small(db)
    db.dispose()
    (d / "pw").write_text(PASSWORD + "\n", encoding="utf-8")
    return url, d


def run(env, *extra):
    url, d = env
    return main.main(["--database", url, "export", "--user", "inv", "--password-file",
                      str(d / "pw"), *extra])


@pytest.mark.parametrize("fmt, out", [("csv", "csv_out"), ("redcap", "rc_out"),
                                      ("odm", "x.xml"), ("fhir", "b.json"),
                                      ("sdtm-qs", "qs.csv"), ("sdtm", "sdtm_out")])
def test_each_format_exports_and_is_audited(env, capsys, fmt, out):
    url, d = env
    assert run(env, "--format", fmt, "-o", str(d / out)) == 0
    printed = capsys.readouterr().out
    assert "sha256" in printed and "recorded in the audit trail" in printed
    db = open_database(url)
    try:
        with db.session() as s:
            formats = [e.detail for e in s.scalars(
                select(AuditEvent).where(AuditEvent.action == "export.created"))]
    finally:
        db.dispose()
    assert any(f'"format": "{fmt}"' in v for v in formats)


@pytest.mark.parametrize("args, message", [
    (["--format", "csv", "-o", "x", "--since", "31/01/2026"], "--since must be a date"),
    (["--format", "odm", "-o", "."], "is a folder"),
    (["--format", "odm", "-o", "/nonexistent-dir/x.xml"], "does not exist"),
])
def test_bad_arguments_exit_2_without_a_traceback(env, capsys, args, message):
    assert run(env, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_wrong_password_and_nurse_are_refused(env, capsys, tmp_path):
    url, d = env
    (tmp_path / "bad").write_text("nope\n")
    assert main.main(["--database", url, "export", "--user", "inv", "--password-file",
                      str(tmp_path / "bad"), "--format", "csv", "-o", str(tmp_path / "o")]) == 2
    assert main.main(["--database", url, "export", "--user", "nurse1", "--password-file",
                      str(d / "pw"), "--format", "csv", "-o", str(tmp_path / "o")]) == 2
    assert "may not" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_export_refuses_an_existing_target_unless_forced(tmp_path) -> None:
    from reports.export.commands import check_target
    from forms.errors import UserError
    existing = tmp_path / "study.xml"
    existing.write_text("keep me")
    with pytest.raises(UserError, match="--force"):
        check_target("odm", existing, force=False)
    check_target("odm", existing, force=True)
    folder = tmp_path / "csv"
    folder.mkdir()
    check_target("csv", folder, force=False)                  # an empty folder is fine
    (folder / "scores.csv").write_text("x")
    with pytest.raises(UserError, match="not empty"):
        check_target("csv", folder, force=False)
    check_target("csv", folder, force=True)
    assert existing.read_text() == "keep me"


def test_export_refuses_a_planted_symlink(tmp_path) -> None:
    from reports.export.commands import check_target
    from forms.errors import UserError
    elsewhere = tmp_path / "elsewhere.xml"
    elsewhere.write_text("not ours")
    link = tmp_path / "study.xml"
    link.symlink_to(elsewhere)
    for force in (False, True):
        with pytest.raises(UserError, match="symbolic link"):
            check_target("odm", link, force=force)
    assert elsewhere.read_text() == "not ours"
