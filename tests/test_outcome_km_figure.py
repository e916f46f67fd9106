"""The Kaplan–Meier figure of the outcome report (issue 15): the drawn step functions and
censor ticks are the KM table's values; the numbers at risk under the axis are the survival
table's; the PDF carries the figure in en and zh_CN. On the real storage (a death, censored
patients of two arms) and on the textbook data (Freireich 6-MP)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from reports.fonts import load_fonts
from reports.outcome_report.command import build_report
from reports.outcome_report.dataset import build_dataset
from reports.outcome_report.km_figure import KmFigure
from reports.outcome_report.stats import kaplan_meier
from reports.outcome_report.tables import OVERALL, Table, all_tables
from storage import services as sv
from pdf_text import pages_text
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401

GEHAN_6MP = [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0), (13, 1),
             (16, 1), (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0), (32, 0), (32, 0),
             (34, 0), (35, 0)]


def _data_points(fig: KmFigure, group: str) -> list[tuple[float, float]]:
    """The drawn polyline read back in (day, survival)."""
    p = fig.curves[group].points
    return [(round((x - fig.x0) / (fig.x1 - fig.x0) * fig.max_day, 6),
             round((y - fig.y0) / (fig.y1 - fig.y0), 6)) for x, y in zip(p[::2], p[1::2])]


def _expected(rows: list[list]) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Corners and censor marks written out from km_steps rows (group, day, at_risk, events,
    censored, survival): level at the previous estimate up to each time, down at a death."""
    corners, marks, s, last = [(0.0, 1.0)], [], 1.0, 0.0
    for _g, day, _n, events, censored, surv in rows:
        if day > last:
            corners.append((float(day), round(s, 6)))
        if events:
            corners.append((float(day), round(surv, 6)))
            s = surv
        if censored:
            marks.append((float(day), round(surv, 6)))
        last = day
    return corners, marks


def _check(fig: KmFigure, steps: Table, groups: list[str]) -> None:
    fig.drawing()
    for g in groups:
        rows = [r for r in steps.rows if r[0] == g]
        corners, marks = _expected(rows)
        assert _data_points(fig, g) == corners, g
        ticks = [(round((t.x1 - fig.x0) / (fig.x1 - fig.x0) * fig.max_day, 6),
                  round(((t.y1 + t.y2) / 2 - fig.y0) / (fig.y1 - fig.y0), 6))
                 for t in fig.ticks[g]]
        assert ticks == marks, g


def test_the_curve_of_the_textbook_data_is_its_km_table() -> None:
    steps_rows, risk_rows = [], []
    arms = {"a": GEHAN_6MP[::2], "b": GEHAN_6MP[1::2], OVERALL: GEHAN_6MP}
    for g, data in arms.items():
        km = kaplan_meier([t for t, _ in data], [bool(e) for _, e in data])
        steps_rows += [[g, st.time, st.at_risk, st.events, st.censored, st.survival]
                       for st in km]
        risk_rows += [[g, d, sum(1 for t, _ in data if t >= d), None] for d in (0, 10, 20, 30)]
    steps = Table("km_steps", ("group", "day", "at_risk", "events", "censored", "survival"),
                  steps_rows)
    risk = Table("survival", ("group", "day", "at_risk", "survival"), risk_rows)
    fig = KmFigure(steps, risk, list(arms), {g: g for g in arms}, "en", load_fonts(),
                   max_day=40)
    _check(fig, steps, list(arms))
    assert _data_points(fig, OVERALL)[1:3] == [(6.0, 1.0), (6.0, round(18 / 21, 6))]


def test_the_report_figure_on_real_storage_draws_the_tables(sqlite_db,  # noqa: F811
                                                           tmp_path) -> None:
    today = date.today()
    nurse = staff(sqlite_db, "nurse")
    day1 = today - timedelta(days=120)
    for n in range(6):
        v = enrol(sqlite_db, f"T-KM{n}", day1=day1)
        if n == 0:
            death = day1 + timedelta(days=40)
            sv.record_outcome(sqlite_db, nurse, v.patient_id, "vital_status", {
                "contact_date": death, "status": "dead", "death_date": death,
                "death_cause": "liver failure"})
        else:
            seen = day1 + timedelta(days=20 * n)
            sv.record_outcome(sqlite_db, nurse, v.patient_id, "vital_status", {
                "contact_date": seen, "status": "alive", "last_known_alive": seen})
    ds = build_dataset(sqlite_db)
    tables = {tb.name: tb for tb in all_tables(ds)}
    groups = [a for a, _ in ds.arms] + [OVERALL]
    fig = KmFigure(tables["km_steps"], tables["survival"], groups, {g: g for g in groups},
                   "en", load_fonts())
    _check(fig, tables["km_steps"], groups)
    assert any(s < 1 for _d, s in _data_points(fig, OVERALL))        # the death is drawn
    # the numbers at risk printed under the axis are the survival table's
    drawn = fig.drawing()
    texts = [s.text for g in drawn.contents if hasattr(g, "contents") for s in g.contents
             if hasattr(s, "text")]
    for g, day, at_risk, _s in tables["survival"].rows:
        assert str(at_risk) in texts
    for lang, words in (("en", ("Number at risk", "Overall survival probability")),
                        ("zh_CN", ("风险人数", "总生存率"))):
        pdf = tmp_path / f"r_{lang}.pdf"
        build_report(sqlite_db, pdf, None, lang)
        first = pages_text(pdf.read_bytes())[0]
        for w in words:
            assert w in first.replace("\n", " "), (lang, w)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_group_names_in_the_language_print_in_a_font_that_has_them(lang) -> None:
    fonts = load_fonts(require_cjk=lang == "zh_CN")
    steps = Table("km_steps", ("group", "day", "at_risk", "events", "censored", "survival"),
                  [["low", 10, 2, 1, 0, 0.5], [OVERALL, 10, 2, 1, 0, 0.5]])
    risk = Table("survival", ("group", "day", "at_risk", "survival"), [["low", 0, 2, 1.0]])
    fig = KmFigure(steps, risk, ["low", OVERALL], {"low": "低剂量组 (low)", OVERALL: "合计"},
                   lang, fonts)
    runs = fig._runs("低剂量组 (low)")
    assert [text for _f, text in runs] == ["低剂量组", " (low)"]
    assert runs[0][0] != runs[1][0] and runs[1][0] == fonts.latin.name
