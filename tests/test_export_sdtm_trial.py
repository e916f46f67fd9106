"""``--format sdtm`` (issue 17): DM.COUNTRY, TS from the protocol, SV, EX from the infusion
records and EPOCH in QS/AE/DS, on the demo database's package (unscheduled visit, early
termination, death) and with a made-up two-site protocol for the protocol-only rules."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forms.instrument import BASE_LANGUAGE
from forms.protocol import load_protocol
from forms.schedule import protocol_schedule, study_day
from reports.export.sdtm_trial import (epoch, study_site, trial_phase, ts_rows, visit_name,
                                       visit_numbers)
from reports.export.sdtm_meta import TS
from sdtm_package_fixtures import NS, env, read_csv, read_xpt  # noqa: F401
from storage import services as sv
from storage.models import Patient, Visit
from storage.services.protocol_store import current_protocol

TWO_SITES = Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json"


def test_dm_country_is_the_country_code_of_the_subjects_site(env):
    db, out, _ = env
    proto = current_protocol(db)
    (site,) = proto.sites
    assert site["country_code"] == "CHN"                 # the bundled protocol's Shanghai site
    dm = read_csv(out / "dm.csv")
    assert {(r["SITEID"], r["COUNTRY"]) for r in dm} == {("SH85", "CHN")}
    data, _meta = read_xpt(out / "dm.xpt")
    assert set(data["COUNTRY"]) == {"CHN"}


def test_study_site_takes_the_subjects_site_and_falls_back_to_the_only_site():
    two = load_protocol(TWO_SITES)
    assert study_site(two, "T1") == ("T1", "GBR")
    assert study_site(two, "T2") == ("T2", None)         # the protocol gives no country code
    assert study_site(two, "") == (None, None)           # two sites: no fallback
    one = load_protocol(Path(__file__).parents[1] / "resources" / "studies"
                        / "nct01342250.json")
    assert study_site(one, "") == ("SH85", "CHN")
    assert study_site(one, "WARD7") == ("WARD7", None)   # a site code the protocol lacks


def test_ts_holds_the_protocols_parameters_and_nothing_it_lacks(env):
    db, out, _ = env
    proto = current_protocol(db)
    rows = read_csv(out / "ts.csv")
    data, meta = read_xpt(out / "ts.xpt")
    assert meta.table_name == "TS" and len(data) == len(rows)
    assert len({(r["TSPARMCD"], r["TSSEQ"]) for r in rows}) == len(rows)     # the keys
    got = {r["TSPARMCD"]: (r["TSVAL"], r["TSVALCD"], r["TSVCDREF"]) for r in rows}
    assert got == {
        "TITLE": (proto.title["en"], "", ""),
        "TPHASE": ("PHASE I/II TRIAL", "C15693", "CDISC CT"),
        "STYPE": ("INTERVENTIONAL", "C98388", "CDISC CT"),
        "NARMS": ("3", "", ""), "RANDOM": ("Y", "C49488", "CDISC CT"),
        "AGEMIN": ("P18Y", "", "ISO 8601"), "AGEMAX": ("P70Y", "", "ISO 8601"),
        "LENGTH": ("P366D", "", "ISO 8601"),               # study day -1 (SCR) to 365 (W52)
        "REGID": ("NCT01342250", "NCT01342250", "ClinicalTrials.gov"),
        "SPONSOR": ("Shenzhen Beike Bio-Technology Co., Ltd.", "", ""),
        "FCNTRY": ("CHN", "", "ISO 3166-1 alpha-3"), "SDTIGVER": ("3.2", "", "")}
    assert {r["STUDYID"] for r in rows} == {proto.protocol_id}


def test_ts_of_another_protocol_writes_only_what_it_holds():
    proto = load_protocol(TWO_SITES)
    got = {r[TS.columns.index("TSPARMCD")]: r[TS.columns.index("TSVAL")]
           for r in ts_rows(proto, "X")}
    assert "TPHASE" not in got                           # the title names no phase
    assert (got["NARMS"], got["AGEMIN"], got["AGEMAX"]) == ("2", "P40Y", "P80Y")
    assert got["LENGTH"] == "P94D"                        # day -3 to day 91
    assert got["FCNTRY"] == "GBR"                         # T2 has no code: one row
    assert "ClinicalTrials.gov" not in [r[TS.columns.index("TSVCDREF")]
                                        for r in ts_rows(proto, "X")]   # a ChiCTR id


@pytest.mark.parametrize("title, phase", [
    ("Phase I/II Study of X", ("PHASE I/II TRIAL", "C15693")),
    ("phase II study", ("PHASE II TRIAL", "C15601")),
    ("Phase II/III trial", ("PHASE II/III TRIAL", "C15694")),
    ("Phase IV", ("PHASE IV TRIAL", "C15603")),
    ("A study in phase II", None),                       # only a leading phase counts
    ("Phases of the moon", None)])
def test_trial_phase_from_the_title(title, phase):
    assert trial_phase(title) == phase


def _visits(db) -> dict[str, list]:
    """subject -> (sequence, code, actual date, unscheduled reason) of every stored visit."""
    out: dict[str, list] = defaultdict(list)
    with db.session() as s:
        for sid, v in s.execute(select(Patient.subject_id, Visit).join(
                Visit, Visit.patient_id == Patient.id)).all():
            out[sid].append((v.sequence, v.code, v.actual_date, v.unscheduled_reason))
    return out


def test_sv_has_one_row_per_visit_that_took_place(env):
    db, out, _ = env
    dm = {r["USUBJID"]: r for r in read_csv(out / "dm.csv")}
    got = defaultdict(list)
    for r in read_csv(out / "sv.csv"):
        got[dm[r["USUBJID"]]["SUBJID"]].append(r)
    visits = _visits(db)
    uns = 0
    for sid, vs in visits.items():
        done = sorted(v for v in vs if v[2] is not None)
        rows = got[sid]
        assert [(r["VISIT"], r["SVSTDTC"]) for r in rows] == [       # in visit order
            (f"UNSCHEDULED {float(r['VISITNUM']):.2f}" if code.startswith("UNS") else code,
             d.isoformat()) for r, (_seq, code, d, _why) in zip(rows, done)]
        day1 = date.fromisoformat(dm[f"{rows[0]['USUBJID']}"]["RFSTDTC"])
        for r, (_s, code, d, why) in zip(rows, done):
            assert r["SVENDTC"] == r["SVSTDTC"] and r["SVSTDY"] == str(study_day(day1, d))
            assert r["SVUPDES"] == (why if code.startswith("UNS") else "")
            uns += code.startswith("UNS")
    assert uns == 2                                      # the demo's unscheduled visits
    assert {r["SVUPDES"] for rs in got.values() for r in rs if r["VISIT"].startswith("UNS")} \
        == {"abdominal pain", "new lesion on routine ultrasound"}
    qs_visits = {(r["USUBJID"], r["VISIT"], r["VISITNUM"]) for r in read_csv(out / "qs.csv")}
    sv_visits = {(r["USUBJID"], r["VISIT"], r["VISITNUM"]) for r in read_csv(out / "sv.csv")}
    assert qs_visits <= sv_visits                        # QS visits are SV visits


def test_visitnum_is_one_number_per_visit_for_every_subject(env):
    """A planned visit keeps its place in the schedule after an unscheduled or early-termination
    visit (was the subject's visit order: the demo's ET had W24's 7), ET follows the schedule,
    UNSn is the last planned visit due by its day + n/100, named ``UNSCHEDULED 7.01`` (one
    VISIT per VISITNUM and one VISITNUM per VISIT in SV and QS, across subjects)."""
    db, out, _ = env
    schedule = protocol_schedule(current_protocol(db))
    number = {v.code: n for n, v in enumerate(schedule, start=1)}
    sv_rows = read_csv(out / "sv.csv")
    names = defaultdict(set)
    for r in sv_rows + read_csv(out / "qs.csv"):
        names[r["VISITNUM"]].add(r["VISIT"])
    assert all(len(v) == 1 for v in names.values()), names
    nums = defaultdict(set)
    for r in sv_rows:
        nums[r["VISIT"]].add(r["VISITNUM"])
    assert all(len(v) == 1 for v in nums.values()), nums           # and the other way round
    due = {number[v.code]: v.target_day for v in schedule}
    kinds = set()
    for r in sv_rows:
        num, visit = float(r["VISITNUM"]), r["VISIT"]
        if visit in number:
            assert num == number[visit]
        elif visit == "ET":
            assert num == len(number) + 1
        else:
            last = max(n for n, day in due.items() if day <= int(r["SVSTDY"]))
            assert last < num < last + 1 and visit == f"UNSCHEDULED {num:.2f}", r
        kinds.add(visit[:3] if visit.startswith("UNS") else visit)
    assert {"ET", "UNS"} <= kinds
    keys = [(r["USUBJID"], r["VISITNUM"]) for r in sv_rows]
    assert len(keys) == len(set(keys))                 # SDTMIG SV: one record per VISITNUM


def test_an_unscheduled_visit_is_named_by_its_number():
    assert visit_name("UNS1", 7.01) == "UNSCHEDULED 7.01" != visit_name("UNS1", 3.01)
    assert (visit_name("W12", 5), visit_name("ET", 10.0)) == ("W12", "ET")


def test_visit_numbers_do_not_depend_on_the_visits_exported():
    """--since leaves visits out: the numbers of the others stay (by day, not by order)."""
    sched = [SimpleNamespace(code=c, target_day=d) for c, d in
             (("BL", 1), ("W1", 8), ("W2", 15), ("W4", 29))]
    rows = [SimpleNamespace(id=i, code=c, sequence=i, target_day=d) for i, (c, d) in
            enumerate((("BL", 1), ("W1", 8), ("UNS1", 12), ("UNS2", 13), ("W2", 15),
                       ("ET", 20), ("W4", 29)), start=1)]
    got = visit_numbers(sched, ("ET",), rows)
    assert got == {1: 1, 2: 2, 3: 2.01, 4: 2.02, 5: 3, 6: 5, 7: 4}
    assert visit_numbers(sched, ("ET",), [rows[3]]) == {4: 2.02}


def test_ex_is_one_row_per_infusion_record(env):
    db, out, _ = env
    proto = current_protocol(db)
    dm = {r["SUBJID"]: r for r in read_csv(out / "dm.csv")}
    ex = {r["EXSPID"]: r for r in read_csv(out / "ex.csv")}
    recs = [r for r in sv.list_outcomes(db) if r.kind == "infusion"]
    assert recs and len(ex) == len(recs)
    data, _meta = read_xpt(out / "ex.xpt")
    assert list(data["EXDOSE"]) == [float(ex[k]["EXDOSE"]) for k in ex]
    for rec in recs:
        row, f = ex[str(rec.id)], rec.fields
        arm = sv.get_patient(db, rec.patient_id).arm
        assert row["EXTRT"] == proto.arm(arm).dose[BASE_LANGUAGE]
        assert float(row["EXDOSE"]) == float(f["cell_count_e6"]) and row["EXDOSU"] == "10^6 CELLS"
        assert row["EXDOSTXT"] == "" and row["EXDOSFRQ"] == "ONCE" and row["EXLOT"] == f["lot"]
        assert row["EXSTDTC"] == f"{f['date']}T{f['start_time']}"
        assert row["EXENDTC"] == f"{f['date']}T{f['stop_time']}"
        assert row["EPOCH"] == "TREATMENT"
        assert dm[rec.subject_id]["RFXSTDTC"] == row["EXSTDTC"][:10]


def test_epoch_rule():
    first, last = date(2026, 3, 1), date(2026, 3, 8)
    inf = [last, first]
    assert epoch(first - timedelta(days=1), inf) == "SCREENING"
    assert epoch(first, inf) == epoch(last, inf) == "TREATMENT"
    assert epoch(last + timedelta(days=1), inf) == "FOLLOW-UP"
    assert epoch("2026-03-09", inf) == "FOLLOW-UP"               # ISO text as in the records
    assert epoch(last + timedelta(days=30), inf, "baseline") == "SCREENING"   # before dose
    assert epoch(first, [], "follow_up") is None and epoch(None, inf) is None
    assert epoch(first, [], "screening") == "SCREENING"


def test_epoch_in_qs_ae_and_ds_by_the_rule(env):
    db, out, _ = env
    dm = {r["USUBJID"]: r for r in read_csv(out / "dm.csv")}
    infusions = defaultdict(list)
    for r in sv.list_outcomes(db):
        if r.kind == "infusion":
            infusions[r.subject_id].append(date.fromisoformat(r.fields["date"]))
    sv_dates = {(r["USUBJID"], r["VISIT"]): r["SVSTDTC"] for r in read_csv(out / "sv.csv")}
    qs = read_csv(out / "qs.csv")
    seen = set()
    for r in qs:
        inf = infusions[dm[r["USUBJID"]]["SUBJID"]]
        kind = "baseline" if r["VISIT"] == "BL" else ""
        assert r["EPOCH"] == epoch(sv_dates[(r["USUBJID"], r["VISIT"])], inf, kind), r
        seen.add(r["EPOCH"])
    assert seen == {"SCREENING", "FOLLOW-UP"}
    assert {r["EPOCH"] for r in qs if r["VISIT"] == "BL"} == {"SCREENING"}
    for name, col in (("ae", "AESTDTC"), ("ds", "DSSTDTC")):
        for r in read_csv(out / f"{name}.csv"):
            inf = infusions[dm[r["USUBJID"]]["SUBJID"]]
            assert r["EPOCH"] == (epoch(r[col], inf) or ""), (name, r)
    ds = read_csv(out / "ds.csv")
    assert {r["EPOCH"] for r in ds if r["DSCAT"] == "PROTOCOL MILESTONE"} == {"SCREENING"}
    assert {r["EPOCH"] for r in ds if r["DSCAT"] == "DISPOSITION EVENT"} == {"FOLLOW-UP"}


def test_define_describes_ts_as_reference_data_and_country_by_iso_3166(env):
    _db, out, _ = env
    root = ET.parse(out / "define.xml").getroot()
    groups = {g.get("Name"): g for g in root.iter(f"{{{NS['odm']}}}ItemGroupDef")}
    assert {"TS", "SV", "EX"} <= set(groups)
    assert groups["TS"].get("IsReferenceData") == "Yes"
    assert groups["SV"].get("IsReferenceData") == groups["EX"].get("IsReferenceData") == "No"
    lists = {c.get("OID"): c for c in root.iter(f"{{{NS['odm']}}}CodeList")}
    ext = lists["CL.COUNTRY"].find("odm:ExternalCodeList", NS)
    assert ext is not None and ext.get("Dictionary") == "ISO 3166-1 alpha-3"
    assert lists["CL.COUNTRY"].find("odm:Alias", NS).get("Name") == "C66786"
    assert {e.get("CodedValue") for e in lists["CL.TSPARMCD"]
            if e.get("CodedValue")} >= {"TITLE", "TPHASE", "REGID", "FCNTRY"}
    assert {e.get("CodedValue") for e in lists["CL.EPOCH"] if e.get("CodedValue")} == {
        "SCREENING", "TREATMENT", "FOLLOW-UP"}
