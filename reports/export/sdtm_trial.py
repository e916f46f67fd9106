"""SDTM rows from the protocol and the schedule: TS (trial summary), SV (subject visits), EX
(exposure, from the infusion records), the subject's site (DM.SITEID/COUNTRY) and EPOCH.

**Site** (:func:`study_site`): SITEID is the subject's site code, else the protocol's only site;
COUNTRY the ``country_code`` (ISO 3166-1 alpha-3) of the protocol site with that id.

**TS** (:func:`ts_rows`): only parameters whose value the protocol file holds, never a guess:
TITLE (English title), TPHASE (CT TPHASE, from a title that starts "Phase I", "Phase I/II", ...;
none otherwise), STYPE INTERVENTIONAL (every protocol assigns arms with a dose), NARMS, RANDOM
(Y when the allocation randomises), AGEMIN/AGEMAX (ISO 8601 ``P18Y`` from the ``age_range``
inclusion rule), LENGTH (``P<n>D``: first to last scheduled visit's target day, both counted),
REGID (registry id; ClinicalTrials.gov for NCT numbers), SPONSOR, FCNTRY (one per distinct site
country code) and SDTIGVER (the IG this package follows). Not written because the protocol file
does not hold them: SEXPOP, PLANSUB, TTYPE, TBLIND, SSTDTC, TRT, INTTYPE. A value past the 200
bytes a SAS transport value holds (a long title or sponsor) continues in TSVAL1, TSVAL2, ...
(SDTMIG TS), columns TS has only then.

**SV** (:func:`sv_rows`): one row per visit that took place (an actual date); VISITNUM and VISIT as
QS; SVUPDES = the reason of an unscheduled visit.

**VISITNUM** (:func:`visit_numbers`, SV and QS): one number per protocol visit for every subject,
never the subject's own visit order (an unscheduled or early-termination visit moves the planned
visits after it one place down there): a planned visit its place in the protocol's schedule
(BL 1, W1 2, ... W52 9), an early-termination visit the numbers after the schedule (ET 10);
an unscheduled visit ``UNSn`` the number of the last planned visit due by its day plus n/100
(UNS1 on day 170: W24 + .01 = 7.01, VISIT ``UNSCHEDULED 7.01``: one VISITNUM names one VISIT
and one VISIT one VISITNUM across subjects, :func:`visit_name`). SDTMIG 3.2 SV: VISITNUM is
"the numeric version of VISIT", "decimal numbering may be useful for inserting unplanned visits"
(SDTMIG SV example 1: an unplanned visit after VISITNUM 4 is 4.1).

**EPOCH** (:func:`epoch`): SCREENING before the subject's first infusion date, TREATMENT from the
first to the last infusion date, FOLLOW-UP after it -- by the visit date (QS), the AE start date,
the disposition event date (DS), the infusion date (EX). Visits of the protocol's kinds
``screening`` and ``baseline`` are before dose by definition (BL is "Baseline (before dose)" on
day 1): SCREENING whatever the date. No infusion record: empty (the epoch is not known).

**EX** (:func:`ex_rows`): one row per infusion record; EXTRT the protocol's English dose text of
the arm the record names (else the subject's arm); EXDOSE the cells infused (x10^6) with EXDOSU
``10^6 CELLS``; a record without a cell count gives no EXDOSE and the arm's dose text in EXDOSTXT;
EXDOSFRQ ONCE; EXLOT the lot; EXSTDTC/EXENDTC date and clock time as recorded.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from forms.instrument import BASE_LANGUAGE
from forms.protocol import Protocol
from forms.schedule import UNSCHEDULED_PREFIX, visit_kind
from reports.export.sdtm_meta import EX, STANDARD, SV, ts_dataset
from reports.export.sdtm_outcomes import as_date, iso_date, split_text, study_dy, usubjid

SCREENING, TREATMENT, FOLLOW_UP = "SCREENING", "TREATMENT", "FOLLOW-UP"
PRE_DOSE_KINDS = ("screening", "baseline")
DOSE_UNIT = "10^6 CELLS"
CDISC_CT = "CDISC CT"
#: TSPARMCD -> TSPARM (CDISC CT C66738 / C67152)
TS_PARAMETERS = {
    "TITLE": "Trial Title", "TPHASE": "Trial Phase Classification", "STYPE": "Study Type",
    "NARMS": "Planned Number of Arms", "RANDOM": "Trial is Randomized",
    "AGEMIN": "Planned Minimum Age of Subjects", "AGEMAX": "Planned Maximum Age of Subjects",
    "LENGTH": "Trial Length", "REGID": "Registry Identifier", "SPONSOR": "Clinical Study Sponsor",
    "FCNTRY": "Planned Country of Investigational Sites", "SDTIGVER": "SDTM IG Version"}
#: title's leading phase -> (TPHASE term, NCI code)
PHASES = {"I": ("PHASE I TRIAL", "C15600"), "I/II": ("PHASE I/II TRIAL", "C15693"),
          "II": ("PHASE II TRIAL", "C15601"), "II/III": ("PHASE II/III TRIAL", "C15694"),
          "III": ("PHASE III TRIAL", "C15602"), "IV": ("PHASE IV TRIAL", "C15603")}
_PHASE = re.compile(r"phase\s+(IV|I{1,3})(?:\s*/\s*(I{1,3}))?\b", re.I)
YES_NO = {True: ("Y", "C49488"), False: ("N", "C49487")}


def study_site(proto: Protocol, site_code: str | None) -> tuple[str | None, str | None]:
    """(SITEID, COUNTRY) of a subject: its site code, else the protocol's only site
    (``Protocol.only_site``); the country code of the protocol site with that id (None when
    the protocol gives none)."""
    siteid = site_code or (proto.only_site or {}).get("id") or None
    site = next((s for s in proto.sites if s.get("id") == siteid), None)
    return siteid, (site or {}).get("country_code") or None


def trial_phase(title: str) -> tuple[str, str] | None:
    """(TPHASE term, NCI code) of a title that starts with its phase, e.g. "Phase I/II Study"."""
    m = _PHASE.match(title.strip())
    if m is None:
        return None
    key = m.group(1).upper() + (f"/{m.group(2).upper()}" if m.group(2) else "")
    return PHASES.get(key)


def _length_days(proto: Protocol) -> int | None:
    days = [v.day for v in proto.scheduled_visits() if v.day is not None]
    if not days:
        return None
    lo, hi = min(days), max(days)
    return hi - lo + (0 if lo < 0 < hi else 1)          # no study day 0


def ts_rows(proto: Protocol, studyid: str) -> list[list[Any]]:
    """TS rows of the protocol (see the module docstring for which parameters and why), in the
    columns of ``sdtm_meta.ts_dataset``: a value past 200 bytes continues in TSVAL1, TSVAL2, ...
    (``split_text``), columns every row then has (empty where its value fits in TSVAL)."""
    values: list[tuple[str, str, str | None, str | None]] = []   # code, value, TSVALCD, ref

    def add(code: str, value: Any, valcd: str | None = None, ref: str | None = None) -> None:
        if value not in (None, ""):
            values.append((code, str(value), valcd, ref))
    title = proto.title.get(BASE_LANGUAGE, "")
    add("TITLE", title)
    phase = trial_phase(title)
    if phase:
        add("TPHASE", phase[0], phase[1], CDISC_CT)
    if proto.arms:
        add("STYPE", "INTERVENTIONAL", "C98388", CDISC_CT)
        add("NARMS", len(proto.arms))
    add("RANDOM", *YES_NO[proto.allocation.randomised], CDISC_CT)
    age = next((c.params for c in proto.inclusion if c.rule == "age_range"), None)
    if age:
        add("AGEMIN", f"P{age['min']}Y", None, "ISO 8601")
        add("AGEMAX", f"P{age['max']}Y", None, "ISO 8601")
    length = _length_days(proto)
    if length:
        add("LENGTH", f"P{length}D", None, "ISO 8601")
    reg = proto.registry_id
    add("REGID", reg, reg, "ClinicalTrials.gov" if reg.upper().startswith("NCT") else None)
    add("SPONSOR", proto.sponsor)
    for code in dict.fromkeys(s.get("country_code") for s in proto.sites if s.get("country_code")):
        add("FCNTRY", code, None, "ISO 3166-1 alpha-3")
    add("SDTIGVER", STANDARD[1])
    pieces = [split_text(value) for _code, value, _cd, _ref in values]
    ts = ts_dataset(max((len(p) for p in pieces), default=1) - 1)
    rows, seq = [], {}
    for (code, _value, valcd, ref), parts in zip(values, pieces):
        seq[code] = seq.get(code, 0) + 1
        row = {"STUDYID": studyid, "DOMAIN": "TS", "TSSEQ": seq[code], "TSPARMCD": code,
               "TSPARM": TS_PARAMETERS[code], "TSVALCD": valcd, "TSVCDREF": ref,
               "TSVCDVER": None, **{f"TSVAL{n or ''}": part for n, part in enumerate(parts)}}
        rows.append([row.get(c) for c in ts.columns])
    return rows


def epoch(when: Any, infusions: Sequence[date], kind: str = "") -> str | None:
    """EPOCH of an observation on ``when`` (see the module docstring)."""
    if kind in PRE_DOSE_KINDS:
        return SCREENING
    d = as_date(when)
    if d is None or not infusions:
        return None
    if d < min(infusions):
        return SCREENING
    return TREATMENT if d <= max(infusions) else FOLLOW_UP


def visit_numbers(schedule: Sequence[Any], on_demand: Sequence[str],
                  visits: Iterable[Any]) -> dict[int, float]:
    """visit id -> VISITNUM of one subject's visits (visit rows): ``schedule`` the planned
    visits in order (``code``, ``target_day``), ``on_demand`` the early-termination visit codes
    (see the module docstring). A visit not in either follows the last planned visit whose
    target day is not after its own (its day in the study, so ``--since`` leaving visits out
    changes no number); one of a code the protocol does not know takes the first hundredth
    from .50 that the subject's other visits leave free."""
    fixed = {v.code: n for n, v in enumerate(schedule, start=1)}
    for code in on_demand:
        fixed.setdefault(code, len(fixed) + 1)
    out: dict[int, float] = {}
    for v in sorted(visits, key=lambda v: (v.code not in fixed, v.sequence, v.id)):
        if v.code in fixed:
            out[v.id] = fixed[v.code]
            continue
        before = max((n for n, d in enumerate(schedule, start=1)
                      if d.target_day <= v.target_day), default=0)
        tail = v.code[len(UNSCHEDULED_PREFIX):]
        k = int(tail) if v.code.startswith(UNSCHEDULED_PREFIX) and tail.isdigit() else 50
        num = round(before + min(k, 99) / 100, 2)
        while num in out.values():
            num = round(num + 0.01, 2)
        out[v.id] = num
    return out


def visit_name(code: str, visitnum: float) -> str:
    """VISIT of a visit numbered ``visitnum``: the protocol's visit code, or for an unscheduled
    one (a number between two planned visits) ``UNSCHEDULED 7.01``, so that VISIT and VISITNUM
    name each other across the study (``UNS1`` of two subjects falls after different visits)."""
    return code if float(visitnum).is_integer() else f"UNSCHEDULED {visitnum:.2f}"


def sv_rows(proto: Protocol, studyid: str, p: Any, visits: Iterable[Any],
            number: Mapping[int, float]) -> list[list[Any]]:
    """SV rows of one subject's visits (visit rows) that took place, in visit order;
    ``number``: their VISITNUM (:func:`visit_numbers`)."""
    out = []
    for v in sorted(visits, key=lambda v: (v.sequence, v.id)):
        if v.actual_date is None:
            continue
        kind = visit_kind(proto, v.code)
        planned = next((d.day for d in proto.visits if d.id == v.code), None)
        row = {"STUDYID": studyid, "DOMAIN": "SV", "USUBJID": usubjid(studyid, p.subject_id),
               "VISITNUM": number[v.id], "VISIT": visit_name(v.code, number[v.id]),
               "VISITDY": planned,
               "SVSTDTC": iso_date(v.actual_date), "SVENDTC": iso_date(v.actual_date),
               "SVSTDY": study_dy(p.day1_date, v.actual_date),
               "SVENDY": study_dy(p.day1_date, v.actual_date),
               "SVUPDES": v.unscheduled_reason if kind == "unscheduled" else None}
        out.append([row[c] for c in SV.columns])
    return out


def _dtc(day: Any, clock: Any) -> str | None:
    d = iso_date(day)
    return f"{d}T{clock}" if d and clock else d


def ex_rows(proto: Protocol, studyid: str, p: Any, records: Iterable[Any],
            infusions: Sequence[date]) -> list[list[Any]]:
    """EX rows of one subject's infusion records (OutcomeRecord), by date then id."""
    doses = {a.id: a.dose.get(BASE_LANGUAGE, a.id) for a in proto.arms}
    out = []
    for seq, r in enumerate(sorted(records, key=lambda r: (r.fields.get("date", ""), r.id)), 1):
        f = r.fields
        arm = f.get("arm") if f.get("arm") in doses else p.arm
        count = f.get("cell_count_e6")
        row = {"STUDYID": studyid, "DOMAIN": "EX", "USUBJID": usubjid(studyid, p.subject_id),
               "EXSEQ": seq, "EXSPID": str(r.id), "EXTRT": doses.get(arm),
               "EXDOSE": float(count) if count not in (None, "") else None,
               "EXDOSTXT": doses.get(arm) if count in (None, "") else None,
               "EXDOSU": DOSE_UNIT if count not in (None, "") else None, "EXDOSFRM": None,
               "EXDOSFRQ": "ONCE", "EXLOT": f.get("lot") or None,
               "EPOCH": epoch(f.get("date"), infusions),
               "EXSTDTC": _dtc(f.get("date"), f.get("start_time")),
               "EXENDTC": _dtc(f.get("date"), f.get("stop_time")),
               "EXSTDY": study_dy(p.day1_date, f.get("date")),
               "EXENDY": study_dy(p.day1_date, f.get("date"))}
        out.append([row[c] for c in EX.columns])
    return out
