"""Enrolment eligibility (forms/eligibility.py): protocol boundaries and three-valued logic."""
from __future__ import annotations

from datetime import date

import pytest

from forms import eligibility as el


def _all_clear(**kw) -> el.ScreeningInput:
    base = dict(age=50, child_pugh=8, meld=15, life_expectancy_over_2_months=True,
                hbv_on_antivirals=True, exclusions={c.id: False for c in el.EXCLUSIONS})
    base.update(kw)
    return el.ScreeningInput(**base)


def test_nine_placeholder_exclusions_and_four_inclusions():
    assert len(el.EXCLUSIONS) == 9
    assert all(c.placeholder and c.kind == "exclusion" for c in el.EXCLUSIONS)
    assert [c.id for c in el.INCLUSIONS] == ["I1_age", "I2_liver", "I3_life", "I4_hbv"]
    assert len({c.id for c in el.CRITERIA}) == 13


def test_all_clear_is_eligible():
    r = el.evaluate(_all_clear())
    assert r.complete and r.eligible and r.failed == ()


@pytest.mark.parametrize("age,ok", [(17, False), (18, True), (70, True), (71, False)])
def test_age_boundaries(age, ok):
    r = el.evaluate(_all_clear(age=age))
    assert r.eligible is ok
    assert ("I1_age" in r.failed) is (not ok)


@pytest.mark.parametrize("cp,ok", [(6, False), (7, True), (12, True), (13, False)])
def test_child_pugh_boundaries_when_meld_does_not_qualify(cp, ok):
    r = el.evaluate(_all_clear(child_pugh=cp, meld=25))
    assert r.eligible is ok


@pytest.mark.parametrize("meld,ok", [(21, True), (22, False)])
def test_meld_boundaries_when_child_pugh_does_not_qualify(meld, ok):
    r = el.evaluate(_all_clear(child_pugh=6, meld=meld))
    assert r.eligible is ok


def test_liver_rule_is_an_or():
    assert el.liver_ok(6, 21) is True     # MELD alone qualifies
    assert el.liver_ok(9, 30) is True     # Child-Pugh alone qualifies
    assert el.liver_ok(13, 22) is False
    # one score missing: decided only if the other qualifies
    assert el.liver_ok(None, 20) is True
    assert el.liver_ok(None, 22) is None
    assert el.liver_ok(6, None) is None


def test_unanswered_is_incomplete_not_eligible():
    r = el.evaluate(_all_clear(hbv_on_antivirals=None, exclusions={}))
    assert not r.complete and not r.eligible
    assert "I4_hbv" in r.undecided and "E1" in r.undecided and r.failed == ()


def test_any_exclusion_makes_ineligible():
    ex = {c.id: False for c in el.EXCLUSIONS}
    ex["E5"] = True
    r = el.evaluate(_all_clear(exclusions=ex))
    assert r.complete and not r.eligible and r.failed == ("E5",)


def test_age_on_birthday_boundaries():
    assert el.age_on(date(2000, 6, 15), date(2018, 6, 14)) == 17
    assert el.age_on(date(2000, 6, 15), date(2018, 6, 15)) == 18
    assert el.age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert el.age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18
