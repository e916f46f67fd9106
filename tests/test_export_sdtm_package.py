"""``--format sdtm`` (issues 15 and 17): XPT v5 + CSV per dataset, on the export of a demo
database with an unscheduled visit, an early termination, a death and an SAE, and of a small
study with staff text that is not ASCII, starts like a formula or runs past 200 bytes.

Every XPT is read back with pyreadstat and compared value by value with its CSV; DM, AE and DS
are checked against the outcome records they come from. define.xml: test_export_sdtm_define.
"""
from __future__ import annotations

import math
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from forms.screening_rules import age_in_years
from reports.export.commands import run_export
from reports.export.csvsafe import cell
from reports.export.sdtm_meta import DATASETS, DM
from reports.export.sdtm_meta import DS as DS_META
from reports.export.xpt import write_xpt
from reports.export.sdtm_ascii import NON_ASCII
from reports.export.sdtm_package import DEFINE, RAW_COLUMNS, dataset_files
from sdtm_package_fixtures import (LONG_REASON, LONG_TERM, LONG_VISIT_REASON, env,  # noqa: F401
                                   present, read_csv, read_xpt, typed)
from storage import services as sv
from storage.demo import _accounts
from ui.nurse.export_dialog import ExportDialog

ISO_DATE = re.compile(r"\d{4}(-\d\d-\d\d)?$")


def same(xpt_value, csv_text: str, numeric: bool, raw: bool) -> bool:
    """An XPT value equals its CSV cell: numbers exactly (missing = empty cell), text as the
    CSV writes it (defanged unless a raw column)."""
    if numeric:
        return math.isnan(xpt_value) if csv_text == "" else float(csv_text) == xpt_value
    return (xpt_value if raw else cell(xpt_value)) == csv_text


def test_every_dataset_has_an_xpt_a_csv_and_the_export_is_audited(env):
    _db, out, detail = env
    names = {n for ds in DATASETS for n in dataset_files(ds)
             if ds.name not in ("SUPPDS", "SUPPSV")} | {
        DEFINE, "qs_testcodes.csv", NON_ASCII}   # no termination or visit text past 200 bytes
    assert set(detail["files"]) == names
    assert {p.name for p in out.iterdir()} == names
    assert all(info["sha256"] for info in detail["files"].values())
    assert out.stat().st_mode & 0o777 == 0o700                       # private, like every export
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o600}


@pytest.mark.parametrize("ds", DATASETS, ids=lambda d: d.name)
def test_xpt_is_version_5_and_equals_the_csv_value_by_value(env, typed, ds):
    xpt_name, csv_name = dataset_files(ds)
    out = next(o for o in (env[1], typed) if (o / xpt_name).exists())   # SUPPDS/SV: typed
    raw = (out / xpt_name).read_bytes()
    assert raw.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!")   # v5, not LIBV8
    data, meta = read_xpt(out / xpt_name)
    rows = read_csv(out / csv_name)
    assert list(data.columns) == list(ds.columns) == list(rows[0])
    assert meta.table_name == ds.name and meta.file_label == ds.label
    assert meta.column_names_to_labels == {v.name: v.label for v in ds.vars}
    assert all(len(v.name) <= 8 and len(v.label) <= 40 for v in ds.vars)
    assert max(meta.variable_storage_width.values()) <= 200               # the v5 limit
    assert len(data) == len(rows) > 0
    raw = RAW_COLUMNS.get(ds.name, ())
    for i, r in enumerate(rows):
        for v in ds.vars:
            got = data.at[i, v.name]
            assert same(got, r[v.name], v.numeric, v.name in raw), (ds.name, i, v.name, got,
                                                                    r[v.name])


def test_death_termination_sae_and_unscheduled_visit_are_in_dm_ae_ds_qs(env):
    db, out, _ = env
    dm = {r["SUBJID"]: r for r in read_csv(out / "dm.csv")}
    ae, ds, qs = (read_csv(out / f"{n}.csv") for n in ("ae", "ds", "qs"))
    recs = sv.list_outcomes(db)
    death = next(r for r in recs if r.kind == "vital_status" and r.fields["status"] == "dead")
    dead = dm[death.subject_id]
    assert (dead["DTHFL"], dead["DTHDTC"]) == ("Y", death.fields["death_date"])
    assert [r["DTHFL"] for r in dm.values()].count("Y") == 1
    assert all(r["ARMCD"] and r["ARM"] and r["ACTARMCD"] == r["ARMCD"] for r in dm.values())
    subject_of = {r["USUBJID"]: r["SUBJID"] for r in dm.values()}
    dispo = {(subject_of[r["USUBJID"]], r["DSDECOD"]): r for r in ds
             if r["DSCAT"] == "DISPOSITION EVENT"}
    assert dispo[(death.subject_id, "DEATH")]["DSSTDTC"] == death.fields["death_date"]
    quit_ = next(r for r in recs if r.kind == "early_termination"
                 and r.fields["reason"] == "withdrew_consent")
    row = dispo[(quit_.subject_id, "WITHDRAWAL BY SUBJECT")]
    assert row["DSSTDTC"] == quit_.fields["date"] and row["DSTERM"] == "CONSENT WITHDRAWN"
    assert {r["DSDECOD"] for r in ds if r["DSCAT"] == "PROTOCOL MILESTONE"} == {
        "INFORMED CONSENT OBTAINED"}
    assert dead["RFENDTC"] == death.fields["death_date"]
    aes = [r for r in recs if r.kind == "adverse_event"]
    assert len(ae) == len(aes)
    by_spid = {r["AESPID"]: r for r in ae}
    for rec in aes:
        row, f = by_spid[str(rec.id)], rec.fields
        assert row["AEDECOD"] == ""                                     # not coded (no MedDRA)
        assert row["AETERM"] == f["term"] or f["term"] == LONG_TERM
        assert row["AETOXGR"] == str(f["grade"]) and row["AESTDTC"] == f["onset"]
        assert row["AESER"] == ("Y" if f["serious"] == "yes" else "N")
        flags = [row[k] for k in ("AESDTH", "AESLIFE", "AESHOSP", "AESDISAB", "AESCONG",
                                  "AESMIE")]
        if f["serious"] == "yes":
            assert "Y" in flags and set(flags) <= {"Y", "N"}
            assert (row["AESHOSP"] == "Y") == ("hospitalisation" in f["serious_criteria"])
        else:
            assert flags == [""] * 6
    fatal = next(r for r in ae if r["AEOUT"] == "FATAL")
    assert fatal["AESDTH"] == "Y" and fatal["AETOXGR"] == "5"
    # the demo's unscheduled visit carries an AE (no questionnaire): exported with its day
    uns = next(r for r in aes if (r.visit_code or "").startswith("UNS"))
    assert by_spid[str(uns.id)]["AESTDY"] not in ("", None)
    assert {r["VISIT"] for r in qs} >= {"BL", "W12"}
    for name, rows in (("dm", dm.values()), ("ae", ae), ("ds", ds)):
        for r in rows:
            for k, v in r.items():
                if k.endswith("DTC") and v:
                    assert ISO_DATE.match(v), (name, k, v)


def test_sdtm_qs_dm_csv_has_the_same_dm_columns(env, tmp_path):
    db, _out, _ = env
    run_export(db, _accounts(db)["investigator"], "sdtm-qs", tmp_path / "qs.csv")
    rows = read_csv(tmp_path / "qs_dm.csv")
    assert list(rows[0]) == list(DM.columns)
    assert [r["DTHFL"] for r in rows].count("Y") == 1


def test_the_xpt_libraries_stay_off_the_start_path():
    code = ("import sys, reports.export.commands, reports.cli, ui.nurse.export_dialog\n"
            "print(sorted(m for m in ('pandas', 'pyreadstat') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert res.stdout.strip() == "[]"


def test_subject_filter_narrows_every_dataset(env, tmp_path):
    db, _out, _ = env
    run_export(db, _accounts(db)["investigator"], "sdtm", tmp_path / "one",
               subject="DEMO-0002")
    per: dict[str, set[str]] = defaultdict(set)
    for ds in present(tmp_path / "one"):
        if ds.name == "TS":                                     # trial level: no subjects
            continue
        for r in read_csv(tmp_path / "one" / dataset_files(ds)[1]):
            per[ds.name].add(r["USUBJID"])
    # the long AE: another subject
    assert set(per) == {"DM", "SV", "EX", "AE", "DS", "QS", "SUPPQS"}
    assert all(len(v) == 1 and next(iter(v)).endswith("DEMO-0002") for v in per.values())


def test_the_export_dialog_offers_the_sdtm_folder_and_writes_it(env, qtbot, tmp_path):
    db, out, _ = env
    url = f"sqlite:///{out.parent / 'demo.db'}"
    dlg = ExportDialog(url, _accounts(db)["investigator"], True, default_dir=tmp_path)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("sdtm"))
    assert dlg.output.text() == str(tmp_path / "epro_export_sdtm")
    with qtbot.waitSignal(dlg.finished_export, timeout=120_000) as done:
        dlg.start()
    assert {"define.xml", "dm.xpt", "ae.xpt", "ds.xpt"} <= set(done.args[0]["files"])
    assert (tmp_path / "epro_export_sdtm" / "define.xml").is_file()


def test_staff_text_is_exact_in_the_xpt_and_defanged_in_the_csv(typed):
    data, meta = read_xpt(typed / "ae.xpt")
    assert list(data["AETERM"]) == ["=1+1 肝性脑病"]
    assert read_csv(typed / "ae.csv")[0]["AETERM"] == "'=1+1 肝性脑病"
    assert meta.variable_storage_width["AETERM"] == len("=1+1 肝性脑病".encode("utf-8"))
    row = read_csv(typed / "ae.csv")[0]
    assert (row["AEACN"], row["AEACNOTH"], row["AEREL"], row["AEOUT"]) == (
        "", "DOSE CHANGED", "POSSIBLY RELATED", "RECOVERING/RESOLVING")
    assert (row["AESER"], row["AESTDY"], row["AEENDTC"]) == ("N", "6", "")


def test_termination_for_another_reason_and_ongoing_subjects_in_ds(typed):
    dm = {r["USUBJID"]: r["SUBJID"] for r in read_csv(typed / "dm.csv")}
    ds = defaultdict(list)
    for r in read_csv(typed / "ds.csv"):
        ds[dm[r["USUBJID"]]].append((r["DSCAT"], r["DSDECOD"], r["DSTERM"], r["DSSTDTC"]))
    last = ds["S-002"][-1]
    assert (last[0], last[1], last[3]) == ("DISPOSITION EVENT", "OTHER", "2026-02-01")
    assert LONG_REASON.startswith(last[2]) and len(last[2].encode()) <= 200
    assert [e[0] for e in ds["S-001"]] == ["PROTOCOL MILESTONE"]        # ongoing: no event
    rows = {r["SUBJID"]: r for r in read_csv(typed / "dm.csv")}
    assert rows["S-002"]["RFENDTC"] == "2026-02-01" and rows["S-001"]["RFENDTC"] == ""


def test_dm_age_is_the_screening_age_rule_at_day_1(env):
    db, out, _ = env
    dm = {r["SUBJID"]: r for r in read_csv(out / "dm.csv")}
    births = {sid: rec.screening.birth_date for sid, rec in sv.enrolment_records(db)}
    assert set(births) == set(dm)
    for sid, r in dm.items():
        day1 = date.fromisoformat(r["RFSTDTC"])
        assert r["AGE"] == str(age_in_years(births[sid], day1)) and r["AGEU"] == "YEARS"
        assert r["BRTHDTC"] == str(births[sid].year)          # the year only, as every export


def _continued(out: Path, domain: str, var: str,
               idvar: str = "") -> dict[tuple[str, str], str]:
    """(USUBJID, --SEQ) -> the whole text of ``var``: its row's value + its SUPP-- pieces."""
    idvar = idvar or f"{domain}SEQ"
    whole = {(r["USUBJID"], r[idvar]): r[var] for r in read_csv(out / f"{domain.lower()}.csv")}
    supp = read_csv(out / f"supp{domain.lower()}.csv")
    for r in sorted(supp, key=lambda r: int(r["QNAM"][len(var):])):
        assert r["QNAM"].startswith(var) and r["IDVAR"] == idvar
        assert r["RDOMAIN"] == domain and len(r["QLABEL"]) <= 40
        whole[(r["USUBJID"], r["IDVARVAL"])] += r["QVAL"]
    return whole


def test_text_past_200_bytes_continues_in_suppae_suppds_and_suppsv(env, typed):
    _db, out, _ = env
    assert LONG_TERM in _continued(out, "AE", "AETERM").values()
    assert all(len(v.encode()) <= 200 for v in read_xpt(out / "ae.xpt")[0]["AETERM"])
    assert LONG_REASON in _continued(typed, "DS", "DSTERM").values()
    qnams = [r["QNAM"] for r in read_csv(typed / "suppds.csv")]
    assert qnams == ["DSTERM1"]
    assert not (typed / "suppae.xpt").exists()           # nothing to continue there
    # an unscheduled visit's reason: SVUPDES + SUPPSV keyed by VISITNUM (SV has no --SEQ)
    assert LONG_VISIT_REASON in _continued(typed, "SV", "SVUPDES", "VISITNUM").values()
    assert [r["QNAM"] for r in read_csv(typed / "suppsv.csv")] == ["SVUPDES1"]
    assert not (out / "suppsv.xpt").exists()


def test_the_xpt_writer_refuses_a_value_past_the_v5_limit(tmp_path):
    row = ["S", "DS", "S-1", 1, "x" * 201, "OTHER", "DISPOSITION EVENT", "2026-01-01", 1]
    with pytest.raises(ValueError, match="DSTERM"):
        write_xpt(tmp_path / "ds.xpt", DS_META, [row])
    write_xpt(tmp_path / "ds.xpt", DS_META, [])                # an empty dataset is fine
    assert len(read_xpt(tmp_path / "ds.xpt")[0]) == 0
