"""``--format sdtm`` (issue 17): text that is not ASCII (FDA expects ASCII in XPT v5) is listed
per dataset variable in ``non_ascii.csv`` and on the console -- and never changed."""
from __future__ import annotations

import pytest

import main
from bench.export_db import PASSWORD, build_small
from reports.export.sdtm_ascii import NON_ASCII, non_ascii, read_report, summary_lines
from reports.export.sdtm_package import dataset_files
from sdtm_package_fixtures import LONG_TERM, env, present, read_csv, read_xpt  # noqa: F401
from storage import services as sv
from storage.db import open_database


def test_non_ascii_csv_lists_every_dataset_variable_with_such_text(env):
    _db, out, _ = env
    expected = {}
    for ds in present(out):                       # an independent scan of the written CSVs
        rows = read_csv(out / dataset_files(ds)[1])
        for var in ds.columns:
            hits = [n for n, r in enumerate(rows, 1) if not r[var].isascii()]
            if hits:
                expected[(ds.name, var)] = (len(hits), hits[0])
    got = {(d, v): (n, first) for d, v, n, first in read_report(out)}
    assert got == expected
    assert ("AE", "AETERM") in got and ("SUPPAE", "QVAL") in got      # the Chinese AE term
    # listed, not changed: the XPT still holds the term (first 200 bytes + SUPPAE)
    terms = list(read_xpt(out / "ae.xpt")[0]["AETERM"])
    assert any(LONG_TERM.startswith(t) and not t.isascii() for t in terms)


def test_the_check_counts_values_not_characters():
    rows = [["A", "é", 1], ["B", "ok", None], ["C", "肝肝", 2.5]]
    assert non_ascii("AE", ("X", "Y", "Z"), rows) == [("AE", "Y", 2, 1)]
    assert non_ascii("AE", ("X", "Y", "Z"), rows[1:2]) == []
    assert summary_lines([]) == []


@pytest.fixture
def small_with_chinese_ae(tmp_path):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    db = open_database(url)
    small = build_small(db)
    pid = next(p.id for p in sv.list_patients(db) if p.subject_id == "S-001")
    sv.record_outcome(db, small.nurse, pid, "adverse_event", {
        "term": "腹胀 abdominal distension", "onset": "2026-01-10", "grade": 1,
        "serious": "no", "relatedness": "not", "action": "none", "outcome": "recovered"})
    db.dispose()
    (tmp_path / "pw").write_text(PASSWORD + "\n", encoding="utf-8")
    return url, tmp_path


def test_the_console_names_the_non_ascii_variables(small_with_chinese_ae, capsys):
    url, d = small_with_chinese_ae
    assert main.main(["--database", url, "export", "--user", "inv", "--password-file",
                      str(d / "pw"), "--format", "sdtm", "-o", str(d / "pkg")]) == 0
    printed = capsys.readouterr().out.splitlines()
    found = read_report(d / "pkg")
    assert ("AE", "AETERM", 1, 1) in found
    head = next(n for n, line in enumerate(printed) if "not ASCII" in line)
    assert NON_ASCII in printed[head]
    assert "  AE.AETERM: 1 value(s), first in row 1" in printed[head + 1:]
    assert printed[head + 1:head + 1 + len(found)] == summary_lines(found)[1:]
    assert read_csv(d / "pkg" / "ae.csv")[0]["AETERM"] == "腹胀 abdominal distension"
