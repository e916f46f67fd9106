"""The report's numbers, computed from the analysis rows ALONE (``dataset``'s CSV tables).

Each result is a :class:`Table` (name, header, rows of plain values) written as
``report_<name>.csv`` and printed in the PDF; groups are the protocol's arms, then ``overall``.
Choices where the record is silent: baseline = the protocol's baseline visit, 1 year = its last
dated visit (W52); imaging and CSC at those visits (several imaging records at one visit: the
latest by date, then record id); HCC within 365 days of day 1; overall survival
censored at the last known alive date, the data-as-of date or day 365; a symptom is "improved"
when the CSC total symptom burden fell by ≥ 10 points (the CSC responder threshold, symptoms.md),
"worse" when it rose by ≥ 10, else "same".
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from reports.outcome_report.dataset import KEY_LABS, ONE_YEAR_DAYS, SF36_SCALES, Dataset
from reports.outcome_report.stats import at_risk_at, describe, kaplan_meier, survival_at

OVERALL = "overall"
RISK_DAYS = (0, 90, 180, 270, 365)
SYMPTOM_CHANGE_POINTS = 10.0
STAT_COLUMNS = ("n", "mean", "sd", "median", "q1", "q3")
AE_DIMENSIONS = ("grade", "serious", "relatedness")


@dataclass(frozen=True)
class Table:
    name: str
    header: tuple[str, ...]
    rows: list[list[Any]]


def _groups(ds: Dataset) -> list[str]:
    return [a for a, _ in ds.arms] + [OVERALL]


def _in(group: str, row: dict) -> bool:
    return group == OVERALL or row.get("arm") == group


def _stats(values: Sequence[float]) -> list[Any]:
    d = describe(values)
    return [d.n, d.mean, d.sd, d.median, d.q1, d.q3]


def consort(ds: Dataset) -> Table:
    rows = []
    for g in _groups(ds):
        sub = [s for s in ds.subjects if _in(g, s)]
        disp = Counter(s["disposition"] for s in sub)
        rows.append([g, len(sub), sum(1 for s in sub if s["eligibility_result"] == "eligible"),
                     sum(1 for s in sub if s["arm"]), disp["completed"], disp["terminated"],
                     disp["died"], disp["ongoing"]])
    return Table("consort", ("group", "screened", "eligible", "allocated", "completed",
                             "terminated", "died", "ongoing"), rows)


def survival(ds: Dataset) -> tuple[Table, Table]:
    """Numbers at risk and S(t) at RISK_DAYS; and every KM step."""
    risk, steps = [], []
    for g in _groups(ds):
        sub = [s for s in ds.subjects if _in(g, s)]
        times = [float(s["os_days"]) for s in sub]
        km = kaplan_meier(times, [bool(s["os_event"]) for s in sub])
        for day in RISK_DAYS:
            risk.append([g, day, at_risk_at(times, day), survival_at(km, day)])
        steps += [[g, st.time, st.at_risk, st.events, st.censored, st.survival] for st in km]
    return (Table("survival", ("group", "day", "at_risk", "survival"), risk),
            Table("km_steps", ("group", "day", "at_risk", "events", "censored", "survival"),
                  steps))


def measure_keys(ds: Dataset) -> tuple[str, ...]:
    return ("child_pugh", "meld", *KEY_LABS, *(ds.sf36_prefix + s for s in SF36_SCALES),
            "sf36_pcs", "sf36_mcs", "csc_tsb")


def change_from_baseline(ds: Dataset) -> Table:
    by: dict[tuple[str, str], dict] = {(m["subject_id"], m["visit"]): m for m in ds.measures}
    rows = []
    for g in _groups(ds):
        subjects = [s["subject_id"] for s in ds.subjects if _in(g, s)]
        for key in measure_keys(ds):
            for visit in ds.visit_order:
                vals, changes = [], []
                for sid in subjects:
                    now, base = by.get((sid, visit)), by.get((sid, ds.baseline_visit))
                    if now is None or now.get(key) is None:
                        continue
                    vals.append(now[key])
                    if base is not None and base.get(key) is not None:
                        changes.append(now[key] - base[key])
                if vals:
                    rows.append([g, key, visit, "value", *_stats(vals)])
                    if visit != ds.baseline_visit:
                        rows.append([g, key, visit, "change", *_stats(changes)])
    return Table("change_from_baseline", ("group", "measure", "visit", "statistic")
                 + STAT_COLUMNS, rows)


def imaging(ds: Dataset) -> Table:
    at: dict[tuple[str, str], dict] = {}
    for r in sorted(ds.outcomes.get("imaging", []), key=lambda r: (str(r["date"]),
                                                                    int(r["record_id"]))):
        if r.get("visit") in (ds.baseline_visit, ds.year_visit):
            at[(r["subject_id"], r["visit"])] = r      # the latest record of the visit counts
    rows = []
    for g in _groups(ds):
        subjects = [s["subject_id"] for s in ds.subjects if _in(g, s)]
        for key in ("liver_size_cm", "portal_vein_mm"):
            def val(sid: str, visit: str) -> Any:
                r = at.get((sid, visit))
                return None if r is None else r.get(key)
            base = [val(s, ds.baseline_visit) for s in subjects]
            year = [val(s, ds.year_visit) for s in subjects]
            ch = [y - b for b, y in zip(base, year) if b is not None and y is not None]
            rows.append([g, key, "baseline", *_stats([v for v in base if v is not None])])
            rows.append([g, key, "1 year", *_stats([v for v in year if v is not None])])
            rows.append([g, key, "change", *_stats(ch)])
    return Table("imaging", ("group", "measure", "timepoint") + STAT_COLUMNS, rows)


def _days(a: Any, b: Any) -> int:
    return (date.fromisoformat(str(a)) - date.fromisoformat(str(b))).days


def hcc(ds: Dataset) -> Table:
    rows = []
    for g in _groups(ds):
        sub = [s for s in ds.subjects if _in(g, s)]
        k = sum(1 for s in sub if s.get("hcc_date") is not None
                and _days(s["hcc_date"], s["enrolment_date"]) <= ONE_YEAR_DAYS)
        rows.append([g, len(sub), k, 100.0 * k / len(sub) if sub else None])
    return Table("hcc", ("group", "n", "hcc_within_1_year", "percent"), rows)


def symptoms(ds: Dataset) -> Table:
    by = {(m["subject_id"], m["visit"]): m.get("csc_tsb") for m in ds.measures}
    rows = []
    for g in _groups(ds):
        c: Counter = Counter()
        for s in ds.subjects:
            if not _in(g, s):
                continue
            b, y = by.get((s["subject_id"], ds.baseline_visit)), by.get((s["subject_id"],
                                                                         ds.year_visit))
            if b is None or y is None:
                continue
            d = y - b
            c["improved" if d <= -SYMPTOM_CHANGE_POINTS else
              "worse" if d >= SYMPTOM_CHANGE_POINTS else "same"] += 1
        n = sum(c.values())
        rows.append([g, ds.year_visit, n, c["improved"], c["same"], c["worse"],
                     100.0 * c["improved"] / n if n else None])
    return Table("symptoms", ("group", "visit", "n", "improved", "same", "worse",
                              "improved_percent"), rows)


def adverse_events(ds: Dataset) -> Table:
    aes = ds.outcomes.get("adverse_event", [])
    rows = []
    for g in _groups(ds):
        mine = [a for a in aes if _in(g, a)]
        for dim in AE_DIMENSIONS:
            cats = sorted({str(a.get(dim)) for a in mine})
            for cat in cats:
                hit = [a for a in mine if str(a.get(dim)) == cat]
                rows.append([g, dim, cat, len(hit), len({a["subject_id"] for a in hit})])
    return Table("adverse_events", ("group", "by", "category", "events", "subjects"), rows)


def serious_events(ds: Dataset) -> Table:
    rows = [[a["subject_id"], a["arm"], a["term"], a["onset"], a["grade"], a["relatedness"],
             a["outcome"]] for a in ds.outcomes.get("adverse_event", [])
            if a.get("serious") == "yes" or (a.get("grade") or 0) >= 3]
    rows += [[s["subject_id"], s["arm"], "death", s["death_date"], 5, "", s["death_cause"] or ""]
             for s in ds.subjects if s.get("death_date") is not None]
    return Table("serious_events", ("subject_id", "arm", "event", "date", "grade",
                                    "relatedness", "outcome"), rows)


def all_tables(ds: Dataset) -> list[Table]:
    km_risk, km_steps = survival(ds)
    return [consort(ds), km_risk, km_steps, change_from_baseline(ds), imaging(ds), hcc(ds),
            symptoms(ds), adverse_events(ds), serious_events(ds)]
