"""Both sides of every threshold of the liver calculators (calculators.md), so that moving any of
them by one step fails a test: MELD-Na's "MELD > 11" (11 vs 12), sodium bounds 125 / 137, MELD
floors 1.0 and caps (creatinine 4.0, score 40, dialysis), MELD 3.0 caps (creatinine 3.0,
albumin 1.5 / 3.5, score 40) and the Child-Pugh bands and classes."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from forms import calculators as calc


def inr_for(ten_meld_i: float) -> float:
    """INR that makes 10·MELD(i) = ``ten_meld_i`` with bilirubin = creatinine = 1.0."""
    return math.exp((ten_meld_i / 10 - 0.643) / 1.120)


def bili_for(ten_meld_i: float, inr: float, creatinine: float) -> float:
    """Bilirubin that makes 10·MELD(i) = ``ten_meld_i`` with the given INR and creatinine."""
    rest = 0.957 * math.log(creatinine) + 1.120 * math.log(inr) + 0.643
    return math.exp((ten_meld_i / 10 - rest) / 0.378)


# ---------------------------------------------------------------- MELD-Na: sodium term from MELD > 11
@pytest.mark.parametrize("meld, applied, score", [
    (10, False, 10), (11, False, 11),
    (12, True, 23),     # 12 + 1.32·12 − 0.033·12·12 = 23.088
    (13, True, 24),     # 13 + 15.84 − 5.148 = 23.692
])
def test_meld_na_sodium_term_starts_at_meld_12(meld, applied, score):
    res = calc.meld_na(1.0, inr_for(meld + 0.02), 1.0, 125)
    assert res.meld.score == meld and res.na_applied is applied
    if applied:
        m = Decimal(meld)
        assert res.unrounded == m + Decimal("1.32") * 12 - Decimal("0.033") * m * 12
    else:
        assert res.unrounded == meld
    assert res.score == score


def test_meld_na_at_meld_12_differs_from_meld():
    """The mutation "MELD > 12" leaves MELD 12 unchanged; OPTN applies the sodium term."""
    res = calc.meld_na(1.0, inr_for(12.02), 1.0, 125)
    assert (res.meld.score, res.score) == (12, 23)
    assert calc.meld_na(1.0, inr_for(11.02), 1.0, 125).score == 11


# ---------------------------------------------------------------- MELD-Na: sodium bounds 125 / 137
@pytest.mark.parametrize("na, used", [(124, 125), (125, 125), (126, 126), (136, 136), (137, 137),
                                      (138, 137)])
def test_meld_na_sodium_is_bounded_125_to_137(na, used):
    res = calc.meld_na(3.0, 1.8, 1.4, na)            # MELD 20
    assert res.sodium_used == used
    assert res.unrounded == 20 + Decimal("0.66") * (137 - used)


def test_meld_na_sodium_bounds_change_the_score_on_both_sides():
    at = {na: calc.meld_na(3.0, 1.8, 1.4, na).score for na in (124, 125, 126, 136, 137, 138)}
    assert at == {124: 28, 125: 28, 126: 27, 136: 21, 137: 20, 138: 20}


# ---------------------------------------------------------------- MELD: floors 1.0, caps
@pytest.mark.parametrize("field", ["bilirubin", "inr", "creatinine"])
def test_meld_floor_1_on_both_sides(field):
    def m(x):
        args = {"bilirubin": 2.0, "inr": 1.5, "creatinine": 2.0, field: x}
        return calc.meld(args["bilirubin"], args["inr"], args["creatinine"]).meld_i
    assert m(0.5) == m(0.99) == m(1.0)           # floored
    assert m(1.01) > m(1.0)                      # not floored above 1.0


def test_meld_creatinine_cap_4_on_both_sides():
    assert calc.meld(1.0, 1.0, 3.99).creatinine_used == 3.99
    assert calc.meld(1.0, 1.0, 4.0).creatinine_used == 4.0
    assert calc.meld(1.0, 1.0, 4.01).creatinine_used == 4.0
    assert calc.meld(1.0, 1.0, 3.99).meld_i < calc.meld(1.0, 1.0, 4.0).meld_i \
        == calc.meld(1.0, 1.0, 4.01).meld_i


@pytest.mark.parametrize("creatinine", [0.5, 1.0, 2.0, 4.0, 9.0])
def test_meld_dialysis_means_creatinine_4(creatinine):
    on = calc.meld(2.0, 1.5, creatinine, dialysis=True)
    assert on.creatinine_used == 4.0 and on.dialysis is True
    assert on.meld_i == calc.meld(2.0, 1.5, 4.0).meld_i
    off = calc.meld(2.0, 1.5, creatinine, dialysis=False)
    assert off.creatinine_used == min(max(creatinine, 1.0), 4.0)


@pytest.mark.parametrize("target, uncapped, score", [(39.02, 39, 39), (40.02, 40, 40),
                                                     (41.02, 41, 40)])
def test_meld_score_cap_40_on_both_sides(target, uncapped, score):
    res = calc.meld(bili_for(target, 5.0, 3.0), 5.0, 3.0)
    assert (res.uncapped, res.score) == (uncapped, score)


def test_meld_na_uses_the_capped_meld_and_caps_at_40():
    res = calc.meld_na(bili_for(45.02, 5.0, 3.0), 5.0, 3.0, 137)
    assert res.meld.uncapped == 45 and res.meld.score == 40 and res.score == 40
    assert res.unrounded == 40
    low_na = calc.meld_na(bili_for(39.02, 5.0, 3.0), 5.0, 3.0, 136)   # 39 + 1.32 − 1.287
    assert low_na.unrounded == Decimal("39.033") and low_na.score == 39
    # near 40 the sodium term vanishes (1.32 − 0.033·40 = 0): MELD-Na never passes 40 unless
    # the uncapped MELD were used
    assert calc.meld_na(bili_for(45.02, 5.0, 3.0), 5.0, 3.0, 125).unrounded == 40


# ---------------------------------------------------------------- MELD 3.0: caps and bounds
def test_meld3_creatinine_cap_3_on_both_sides():
    def used(cr):
        return calc.meld3(2, 1.5, cr, 135, 3.0, female=False).creatinine_used
    assert (used(2.99), used(3.0), used(3.01), used(0.99)) == (2.99, 3.0, 3.0, 1.0)


@pytest.mark.parametrize("alb, used", [(1.4, 1.5), (1.5, 1.5), (1.6, 1.6), (3.4, 3.4), (3.5, 3.5),
                                       (3.6, 3.5)])
def test_meld3_albumin_bounds_1_5_and_3_5(alb, used):
    assert calc.meld3(2, 1.5, 1.2, 135, alb, female=False).albumin_used == used


@pytest.mark.parametrize("na, used", [(124, 125), (125, 125), (126, 126), (136, 136), (137, 137),
                                      (138, 137)])
def test_meld3_sodium_bounds_125_and_137(na, used):
    assert calc.meld3(2, 1.5, 1.2, na, 3.0, female=False).sodium_used == used


def test_meld3_score_cap_40_on_both_sides():
    # find MELD 3.0 values of 39, 40, 41 by scanning bilirubin (female, other inputs fixed)
    seen = {}
    b = 5.0
    while b < 60 and len(seen) < 3:
        r = calc.meld3(round(b, 2), 3.0, 2.0, 130, 2.5, female=True)
        if r.uncapped in (39, 40, 41):
            seen.setdefault(r.uncapped, r)
        b += 0.05
    assert set(seen) == {39, 40, 41}
    assert [(r.uncapped, r.score) for _, r in sorted(seen.items())] == [(39, 39), (40, 40), (41, 40)]


# ---------------------------------------------------------------- Child-Pugh classes 6/7, 9/10
@pytest.mark.parametrize("args, score, klass", [
    ((2.0, 4.0, 1.0, "none", "none"), 6, "A"),
    ((2.0, 4.0, 1.7, "none", "none"), 7, "B"),
    ((2.0, 3.5, 1.7, "slight", "none"), 9, "B"),
    ((2.0, 3.5, 1.7, "slight", "grade1-2"), 10, "C"),
])
def test_child_pugh_class_edges_both_sides(args, score, klass):
    res = calc.child_pugh(*args)
    assert (res.score, res.child_class) == (score, klass)
