"""import-patients: all or nothing, errors by line, audited with the file hash; bad files."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

import main
from reports.export.import_patients import MAX_BYTES, ImportRefused, import_patients
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.db import open_database
from storage.models import AuditEvent, Patient, Visit

EXCLUSIONS = ("allergy", "organ_failure", "psychiatric", "infection", "malignancy",
              "alcohol_drug_abuse", "transplant_planned", "pregnancy", "other_study")
COLS = ("subject_id", "initials", "sex", "day1_date", "screening_number", "screening_date",
        "birth_date", "consent_date", "decompensated", "decompensation_kinds", "bilirubin",
        "bilirubin_unit", "albumin", "albumin_unit", "inr", "creatinine", "creatinine_unit",
        "sodium", "ascites", "encephalopathy", "life_expectancy_over_2_months", "hbv",
        "antiviral") + EXCLUSIONS
ELIGIBLE = dict(screening_date="2026-01-25", birth_date="1961-05-04", consent_date="2026-01-20",
                decompensated="yes", decompensation_kinds="ascites;jaundice", bilirubin="2.5",
                bilirubin_unit="mg/dL", albumin="30", albumin_unit="g/L", inr="1.5",
                creatinine="88.4", creatinine_unit="umol/L", sodium="135", ascites="slight",
                encephalopathy="none", life_expectancy_over_2_months="yes", hbv="yes",
                antiviral="yes", **{e: "no" for e in EXCLUSIONS})


def line(subject, initials="AB", sex="F", day1="2026-02-02", screening_number="", **kw):
    values = dict(ELIGIBLE, subject_id=subject, initials=initials, sex=sex, day1_date=day1,
                  screening_number=screening_number, **kw)
    return ",".join(values[c] for c in COLS) + "\n"


HEADER = ",".join(COLS) + "\n"
N_COLS = len(COLS)
GOOD = HEADER + line("P-001", screening_number="SCR1") + line("P-002", "CD", "M", "2026-02-03")
PW = "import-test-pw-1"


@pytest.fixture
def env(tmp_path):
    url = f"sqlite:///{tmp_path / 'i.db'}"
    db = open_database(url)
    sv.create_user(db, system_actor(), username="nurse1", full_name="N N", role="nurse",
                   password=PW)
    sv.create_study(db, system_actor())            # the default protocol (randomised)
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
    n_visits = len(sv.patient_visits(db, sv.find_patient(db, "P-001").id))
    with db.session() as s:
        assert s.scalar(select(func.count(Visit.id))) == 2 * n_visits == 2 * 9
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "patients.imported")).one()
        assert json.loads(ev.detail) == {"file": "ok.csv", "sha256": res.sha256, "rows": 2}
        assert ev.actor_username == "nurse1"
    # imported subjects show in the nurse list like enrolled ones (summary cache maintained)
    assert sorted(r.subject_id for r in sv.list_patients(db)) == ["P-001", "P-002"]
    # through the enrolment service: screening recomputed and stored, arm from allocation
    rec = sv.enrolment_record(db, sv.find_patient(db, "P-001").id)
    assert rec.result == "eligible" and rec.derived["child_pugh"]["score"] == 8
    assert rec.allocation_sequence == 1 and rec.arm in {a.id for a in sv.current_protocol(db).arms}
    assert rec.screening.decompensation_kinds == ("ascites", "jaundice")


def test_ineligible_or_undetermined_rows_refuse_the_file_by_line(env):
    db, nurse, tmp, _ = env
    p = write(tmp, "inel.csv", HEADER + line("P-001") + line("P-002", pregnancy="yes")
              + line("P-003", antiviral=""))          # HBV yes, antiviral not known
    with pytest.raises(ImportRefused) as e:
        import_patients(db, nurse, p)
    msg = str(e.value)
    assert "line 3:" in msg and "pregnancy" in msg and "line 4:" in msg and "hbv_antiviral" in msg
    assert "line 2:" not in msg and count(db) == 0


def test_an_arm_column_is_refused_in_a_randomised_study(env):
    db, nurse, tmp, _ = env
    p = write(tmp, "arm.csv", HEADER.replace("\n", ",arm\n") + line("P-001").replace("\n", ",low\n"))
    with pytest.raises(ImportRefused, match="line 2: .*never chosen by hand"):
        import_patients(db, nurse, p)
    assert count(db) == 0


def test_gb18030_only_when_declared(env):
    db, nurse, tmp, _ = env
    p = write(tmp, "gbk.csv", HEADER + line("P-010", "王李"), encoding="gb18030")
    with pytest.raises(ImportRefused, match="line 2: not valid utf-8.*--encoding gb18030"):
        import_patients(db, nurse, p)
    assert count(db) == 0
    assert import_patients(db, nurse, p, encoding="gb18030").rows == 1
    with db.session() as s:
        assert s.scalar(select(Patient.initials)) == "王李"


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "the file is empty"),
    ("truncated.csv", GOOD + 'P-003,EF,F,"2026-02', "truncated"),
    ("short_last.csv", GOOD + "P-003,EF,F,1980", f"line 4: expected {N_COLS} fields, got 4"),
    ("dup.csv", GOOD + line("P-001", "ZZ"), "line 4: subject P-001 duplicates line 2"),
    ("extra_col.csv", GOOD.replace("screening_number", "screening_number,notes", 1),
     "unexpected column"),
    ("missing_col.csv", "subject_id,initials,sex\nP-1,AB,F\n", "missing column"),
    ("formula.csv", HEADER + line('"=HYPERLINK(""http://x"")"'),
     "line 2, subject_id: .* looks like a spreadsheet formula"),
    ("formula_tab.csv", HEADER + line("P-9", "\tAB"), "line 2, initials: .*formula"),
    ("utf16.csv", GOOD.encode("utf-16"), "UTF-16"),
    ("values.csv", HEADER + line("P-9", birth_date="1700-13-01", hbv="maybe"),
     "line 2, birth_date.*\n.*line 2, hbv"),
    ("demographics.csv", HEADER + line("P 9", "A1", sex="X") + line("P-10", sex="X"),
     "line 2: Subject id.*\n.*line 3: Sex must be F or M"),      # the enrolment service's rules
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
    import_patients(db, nurse, write(tmp, "a.csv", HEADER + line("P-001")))
    with pytest.raises(ImportRefused, match="line 2: Subject P-001 is already enrolled"):
        import_patients(db, nurse, write(tmp, "b.csv", GOOD))
    assert count(db) == 1      # P-002 was not imported either


def test_cli_exit_code_2_with_a_clear_message(env, capsys):
    db, _, tmp, url = env
    pw = write(tmp, "pw.txt", PW + "\n")
    bad = write(tmp, "dup.csv", GOOD + line("P-001", "ZZ"))
    db.dispose()
    rc = main.main(["--database", url, "import-patients", str(bad), "--user", "nurse1",
                    "--password-file", str(pw)])
    err = capsys.readouterr().err
    assert rc == 2 and "nothing was imported" in err and "Traceback" not in err
    rc = main.main(["--database", url, "import-patients", str(write(tmp, "ok.csv", GOOD)),
                    "--user", "nurse1", "--password-file", str(pw)])
    assert rc == 0 and "imported 2 subjects" in capsys.readouterr().out
