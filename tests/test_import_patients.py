"""import-patients: all or nothing, errors by line, audited with the file hash; bad files."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

import main
from reports.export.import_patients import MAX_BYTES, ImportRefused, import_patients
from storage import services as sv
from storage.actors import Actor
from storage.db import open_database
from storage.models import AuditEvent, Patient, Visit

HEADER = "subject_id,initials,sex,birth_year,arm,day1_date,consent_date,screening_number\n"
GOOD = HEADER + "P-001,AB,F,1961,A,2026-02-02,2026-01-20,SCR1\nP-002,CD,M,1970,B,2026-02-03,2026-01-21,\n"
PW = "import-test-pw-1"


@pytest.fixture
def env(tmp_path):
    url = f"sqlite:///{tmp_path / 'i.db'}"
    db = open_database(url)
    sv.create_user(db, Actor.system(), username="nurse1", full_name="N N", role="nurse",
                   password=PW)
    sv.create_study(db, Actor.system(), protocol_id="IMP", title="Import test")
    nurse = sv.authenticate(db, "nurse1", PW)
    yield db, nurse, tmp_path, url
    db.dispose()


def count(db):
    with db.session() as s:
        return s.scalar(select(func.count(Patient.id)))


def write(tmp_path, name, content, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return p


def test_good_file_enrols_everyone_with_visits_and_an_audit_event(env):
    db, nurse, tmp, _ = env
    p = write(tmp, "ok.csv", "\ufeff" + GOOD)      # UTF-8 with BOM
    res = import_patients(db, nurse, p)
    assert res.rows == 2 and res.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    with db.session() as s:
        assert s.scalar(select(func.count(Visit.id))) == 2 * 9
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "patients.imported")).one()
        assert json.loads(ev.new_value) == {"file": "ok.csv", "sha256": res.sha256, "rows": 2}
        assert ev.actor_username == "nurse1"
    # imported subjects show in the nurse list like enrolled ones (summary cache maintained)
    assert sorted(r.subject_id for r in sv.list_patients(db)) == ["P-001", "P-002"]


def test_gb18030_only_when_declared(env):
    db, nurse, tmp, _ = env
    p = write(tmp, "gbk.csv", HEADER + "P-010,王李,F,1961,A,2026-02-02,2026-01-20,\n",
              encoding="gb18030")
    with pytest.raises(ImportRefused, match="line 2: not valid utf-8.*--encoding gb18030"):
        import_patients(db, nurse, p)
    assert count(db) == 0
    assert import_patients(db, nurse, p, encoding="gb18030").rows == 1
    with db.session() as s:
        assert s.scalar(select(Patient.initials)) == "王李"


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "the file is empty"),
    ("truncated.csv", GOOD + 'P-003,EF,F,1980,A,"2026-02', "truncated"),
    ("short_last.csv", GOOD + "P-003,EF,F,1980", "line 4: expected 8 fields, got 4"),
    ("dup.csv", GOOD + "P-001,ZZ,F,1961,A,2026-02-02,2026-01-20,\n",
     "line 4: subject P-001 duplicates line 2"),
    ("extra_col.csv", GOOD.replace("screening_number", "screening_number,notes", 1),
     "unexpected column"),
    ("missing_col.csv", "subject_id,initials,sex\nP-1,AB,F\n", "missing column"),
    ("formula.csv", HEADER + '=HYPERLINK("http://x"),AB,F,1961,A,2026-02-02,2026-01-20,\n',
     "line 2, subject_id: .* looks like a spreadsheet formula"),
    ("formula_tab.csv", HEADER + "P-9,\tAB,F,1961,A,2026-02-02,2026-01-20,\n",
     "line 2, initials: .*formula"),
    ("utf16.csv", GOOD.encode("utf-16"), "UTF-16"),
    ("values.csv", HEADER + "P-9,AB,X,1700,C,2026-13-01,2026-01-20,\n",
     "line 2, sex.*\n.*line 2, birth_year"),
])
def test_bad_files_import_nothing_and_say_why(env, name, content, message):
    db, nurse, tmp, _ = env
    with pytest.raises(ImportRefused, match=message):
        import_patients(db, nurse, write(tmp, name, content))
    assert count(db) == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "patients.imported")) == 0


def test_file_over_100_mb_is_refused_before_reading(env):
    db, nurse, tmp, _ = env
    p = tmp / "huge.csv"
    with open(p, "wb") as fh:            # sparse: no 100 MB actually written
        fh.write(HEADER.encode())
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(ImportRefused, match="limit is 100 MB"):
        import_patients(db, nurse, p)
    assert count(db) == 0


def test_already_enrolled_subject_refuses_the_whole_file(env):
    db, nurse, tmp, _ = env
    import_patients(db, nurse, write(tmp, "a.csv", HEADER + "P-001,AB,F,1961,A,2026-02-02,2026-01-20,\n"))
    with pytest.raises(ImportRefused, match="line 2: subject P-001 is already enrolled"):
        import_patients(db, nurse, write(tmp, "b.csv", GOOD))
    assert count(db) == 1      # P-002 was not imported either


def test_cli_exit_code_2_with_a_clear_message(env, capsys):
    db, _, tmp, url = env
    pw = write(tmp, "pw.txt", PW + "\n")
    bad = write(tmp, "dup.csv", GOOD + "P-001,ZZ,F,1961,A,2026-02-02,2026-01-20,\n")
    db.dispose()
    rc = main.main(["--database", url, "import-patients", str(bad), "--user", "nurse1",
                    "--password-file", str(pw)])
    err = capsys.readouterr().err
    assert rc == 2 and "nothing was imported" in err and "Traceback" not in err
    rc = main.main(["--database", url, "import-patients", str(write(tmp, "ok.csv", GOOD)),
                    "--user", "nurse1", "--password-file", str(pw)])
    assert rc == 0 and "imported 2 subjects" in capsys.readouterr().out
