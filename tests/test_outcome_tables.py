"""Report tables on hand-made analysis rows (the 1-year comparisons the short demo cannot reach):
imaging baseline vs 1 year, symptom improvement by the CSC ±10 rule, HCC within 365 days,
survival censored at day 365, per arm and overall."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from reports.outcome_report.dataset import Dataset
from reports.outcome_report.tables import hcc, imaging, survival, symptoms

D1 = date(2025, 1, 1)


def _ds() -> Dataset:
    ds = Dataset("P", "1.0", [("low", {"en": "Low"}), ("high", {"en": "High"})],
                 datetime(2026, 6, 1, tzinfo=timezone.utc), "BL", "W52", ["BL", "W52"], "rand_",
                 [])
    arms = ["low", "low", "high"]
    hcc_dates = [date(2026, 1, 1), date(2026, 1, 2), None]     # 365 days after day 1: in; 366: out
    os_ = [(365, 0), (200, 1), (365, 0)]
    for i, arm in enumerate(arms):
        sid = f"S{i}"
        ds.subjects.append({"subject_id": sid, "arm": arm, "enrolment_date": D1,
                            "hcc_date": hcc_dates[i], "os_days": os_[i][0],
                            "os_event": os_[i][1], "disposition": "completed",
                            "eligibility_result": "eligible"})
        tsb = [(50.0, 30.0), (50.0, 45.0), (40.0, 55.0)][i]          # improved, same, worse
        for visit, v in zip(("BL", "W52"), tsb):
            ds.measures.append({"subject_id": sid, "arm": arm, "visit": visit, "csc_tsb": v})
    ds.outcomes["imaging"] = [
        {"subject_id": "S0", "arm": "low", "visit": "BL", "date": "2025-01-01", "record_id": 1,
         "liver_size_cm": 15.0, "portal_vein_mm": 14},
        {"subject_id": "S0", "arm": "low", "visit": "BL", "date": "2025-01-02", "record_id": 2,
         "liver_size_cm": 16.0, "portal_vein_mm": 14},                # the later one counts
        {"subject_id": "S0", "arm": "low", "visit": "W52", "date": "2026-01-01", "record_id": 3,
         "liver_size_cm": 13.0, "portal_vein_mm": 12},
        {"subject_id": "S2", "arm": "high", "visit": "W52", "date": "2026-01-01", "record_id": 4,
         "liver_size_cm": 12.0, "portal_vein_mm": 11}]
    return ds


def _row(table, *key):
    return next(r for r in table.rows if tuple(r[:len(key)]) == key)


def test_imaging_baseline_vs_one_year() -> None:
    t = imaging(_ds())
    assert _row(t, "low", "liver_size_cm", "baseline")[3:5] == [1, 16.0]
    assert _row(t, "low", "liver_size_cm", "change")[3:5] == [1, -3.0]
    assert _row(t, "overall", "liver_size_cm", "1 year")[3:5] == [2, 12.5]
    assert _row(t, "high", "portal_vein_mm", "change")[3] == 0          # no baseline: no change


def test_symptom_improvement_by_ten_points() -> None:
    t = symptoms(_ds())
    assert _row(t, "low")[2:6] == [2, 1, 1, 0]
    assert _row(t, "high")[2:6] == [1, 0, 0, 1]
    assert _row(t, "overall")[2:7] == [3, 1, 1, 1, pytest.approx(100 / 3)]


def test_hcc_within_one_year_counts_day_365_only() -> None:
    t = hcc(_ds())
    assert _row(t, "low") == ["low", 2, 1, 50.0] and _row(t, "overall")[2] == 1


def test_survival_censored_at_one_year() -> None:
    risk, steps = survival(_ds())
    assert _row(risk, "low", 365)[2:] == [1, 0.5]
    assert _row(risk, "overall", 365)[2:] == [2, pytest.approx(2 / 3)]
    assert _row(steps, "low", 200.0)[2:] == [2, 1, 0, 0.5]
