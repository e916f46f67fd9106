"""Liver calculators against calculators.md: published vectors, every band edge, floors, caps,
dialysis, MELD-Na rounding order, units, plausibility, and hypothesis properties."""
from __future__ import annotations

import csv
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import calculators as calc
from forms.errors import UserError
from forms.labs import LabValueError, lab_value, round_half_up


def kim_rows(spec_dir):
    with open(spec_dir / "meld3_kim2021_examples.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- MELD 3.0 (Kim 2021 Table 4)
def test_kim2021_table4_examples(spec_dir):
    rows = kim_rows(spec_dir)
    assert len(rows) == 8
    got = []
    for r in rows:
        res = calc.meld3(r["bilirubin"], r["inr"], r["creatinine"], r["sodium"], r["albumin"],
                         female=r["female"] == "True", age=r["age"],
                         dialysis=r["dialysis"] == "True", bilirubin_unit=r["bilirubin_unit"],
                         creatinine_unit=r["creatinine_unit"], albumin_unit=r["albumin_unit"])
        assert res.formula_id == "MELD-3.0-OPTN-2023"
        assert (res.score, res.uncapped) == (int(r["expected"]), int(r["expected_uncapped"])), r
        got.append(res.score)
    assert got == [16, 17, 25, 26, 27, 34, 38, 39]


def test_meld3_cap_40_keeps_uncapped_47():
    res = calc.meld3(30, 4.0, 3.0, 125, 1.5, female=True)
    assert res.uncapped == 47 and res.score == 40
    assert 47.0 < res.unrounded < 47.5


def test_meld3_female_factor_rules():
    args = (2.5, 1.0, 1.2, 131, 3.8)
    male, female = calc.meld3(*args, female=False), calc.meld3(*args, female=True)
    assert female.unrounded - male.unrounded == pytest.approx(1.33)
    teen_boy = calc.meld3(*args, female=False, age=15)
    assert teen_boy.female_factor == 1 and teen_boy.unrounded == pytest.approx(female.unrounded)
    assert calc.meld3(*args, female=None, age=17.9).female_factor == 1   # sex not needed 12–17
    assert calc.meld3(*args, female=False, age=18).female_factor == 0
    with pytest.raises(LabValueError, match="female"):
        calc.meld3(*args, female=None)
    with pytest.raises(LabValueError, match="PELD"):
        calc.meld3(*args, female=True, age=11)


def test_meld3_creatinine_cap_3_and_dialysis():
    at3 = calc.meld3(2, 1.5, 3.0, 135, 3.0, female=False)
    assert calc.meld3(2, 1.5, 3.5, 135, 3.0, female=False).unrounded == at3.unrounded
    assert calc.meld3(2, 1.5, 0.6, 135, 3.0, female=False, dialysis=True).creatinine_used == 3.0
    assert calc.meld3(2, 1.5, 0.6, 135, 3.0, female=False, dialysis=True).unrounded \
        == at3.unrounded


def test_meld3_sodium_and_albumin_bounds():
    base = dict(female=False)
    assert calc.meld3(3, 1.2, 1.5, 120, 3.0, **base).unrounded == \
        calc.meld3(3, 1.2, 1.5, 125, 3.0, **base).unrounded
    assert calc.meld3(3, 1.2, 1.5, 140, 3.0, **base).unrounded == \
        calc.meld3(3, 1.2, 1.5, 137, 3.0, **base).unrounded
    assert calc.meld3(3, 1.2, 1.5, 130, 1.0, **base).unrounded == \
        calc.meld3(3, 1.2, 1.5, 130, 1.5, **base).unrounded
    assert calc.meld3(3, 1.2, 1.5, 130, 4.5, **base).unrounded == \
        calc.meld3(3, 1.2, 1.5, 130, 3.5, **base).unrounded
    # inside the bounds the values matter
    assert calc.meld3(3, 1.2, 1.5, 126, 3.0, **base).unrounded > \
        calc.meld3(3, 1.2, 1.5, 127, 3.0, **base).unrounded


def test_meld3_albumin_in_g_per_l():
    assert calc.meld3(6, 1.5, 1.5, 131, 22, female=False, albumin_unit="g/L").score == 26


# ---------------------------------------------------------------- MELD (UNOS)
def test_meld_floor_all_one_gives_6():
    res = calc.meld(1.0, 1.0, 1.0)
    assert res.score == 6 and res.meld_i == pytest.approx(0.643)
    assert calc.meld(0.3, 0.9, 0.5).score == 6          # below-1 values floored to 1.0
    assert res.formula_id == "MELD-UNOS-2002"


def test_meld_uses_unos_coefficients_natural_log():
    res = calc.meld(3.0, 1.8, 1.4)
    expected = 0.957 * math.log(1.4) + 0.378 * math.log(3.0) + 1.120 * math.log(1.8) + 0.643
    assert res.meld_i == pytest.approx(expected)
    assert res.score == 20  # 10·2.0228 = 20.2


def test_meld_creatinine_cap_4_pitfall_1():
    # calculators.md pitfall 1: creatinine 5.5, others 1.0 → 20 (23 without the cap)
    assert calc.meld(1.0, 1.0, 5.5).score == 20
    assert calc.meld(1.0, 1.0, 4.0).score == 20
    assert round_half_up(10 * (0.957 * math.log(5.5) + 0.643)) == 23   # what no cap would give


def test_meld_cap_40():
    res = calc.meld(40, 8, 4)
    assert res.uncapped > 40 and res.score == 40


def test_meld_dialysis_sets_creatinine_4_even_when_low():
    res = calc.meld(1.5, 1.6, 0.8, dialysis=True)
    assert res.creatinine_used == 4.0 and res.score == 26
    assert calc.meld(1.5, 1.6, 0.8).score == 13


def test_meld_rounds_to_tenth_half_up():
    # bilirubin chosen so that MELD(i) is just above / below x.x5
    assert round_half_up(Decimal("2.65"), 1) == Decimal("2.7")
    assert round_half_up(2.5) == 3 and round_half_up(3.5) == 4      # not banker's rounding
    def inr_for(ten_meld_i):   # bilirubin = creatinine = 1 → 10·MELD(i) = 11.2·ln INR + 6.43
        return math.exp((ten_meld_i / 10 - 0.643) / 1.120)
    assert calc.meld(1, inr_for(11.49), 1).score == 11
    assert calc.meld(1, inr_for(11.51), 1).score == 12
    assert calc.meld(1, inr_for(12.6), 1).uncapped == 13


# ---------------------------------------------------------------- MELD-Na (OPTN 2016)
def test_meld_na_dialysis_pitfall_2():
    # bilirubin 1.5, INR 1.6, creatinine 0.8 on dialysis, Na 128 → 30 (medcalc-bench: 21)
    res = calc.meld_na(1.5, 1.6, 0.8, 128, dialysis=True)
    assert res.meld.score == 26 and res.score == 30
    assert calc.meld_na(1.5, 1.6, 0.8, 128).score == 21   # the wrong result without dialysis


def test_meld_na_uses_rounded_meld_for_threshold():
    # INR chosen so that 10·MELD(i) ≈ 11.3: rounded MELD 11 → no sodium term (OPTN)
    inr = math.exp((1.13 - 0.643) / 1.120)
    res = calc.meld_na(1.0, inr, 1.0, 125)
    assert 11.0 < 10 * res.meld.meld_i < 11.5
    assert res.meld.score == 11 and not res.na_applied and res.score == 11
    unrounded_way = 10 * res.meld.meld_i
    unrounded_way += 1.32 * 12 - 0.033 * unrounded_way * 12
    assert round_half_up(unrounded_way) == 23     # ameld-style (MELD(i)): 23 vs OPTN 11


def test_meld_na_formula_with_integer_meld():
    res = calc.meld_na(3.0, 1.8, 1.4, 130)   # MELD 20
    assert res.meld.score == 20 and res.na_applied
    assert res.unrounded == Decimal(20) + Decimal("1.32") * 7 - Decimal("0.033") * 20 * 7
    assert res.unrounded == Decimal("24.62") and res.score == 25


def test_meld_na_sodium_bounds_125_137():
    at = {na: calc.meld_na(3.0, 1.8, 1.4, na).score for na in (120, 125, 126, 136, 137, 140)}
    assert at[120] == at[125] == 28          # 20 + 15.84 − 7.92 = 27.92 → 28
    assert at[137] == at[140] == 20
    assert at[126] > at[136] > at[137]


def test_meld_na_no_change_when_meld_le_11():
    res = calc.meld_na(1.0, 1.0, 1.0, 125)
    assert res.meld.score == 6 and res.score == 6 and not res.na_applied


def test_meld_na_cap_40():
    assert calc.meld_na(40, 8, 4, 125).score == 40


# ---------------------------------------------------------------- Child-Pugh
def cp(bili, alb=4.0, inr=1.0, asc="none", enc="none", **kw):
    return calc.child_pugh(bili, alb, inr, asc, enc, **kw)


@pytest.mark.parametrize("bili, unit, points", [
    (1.9, "mg/dL", 1), (1.99, "mg/dL", 1), (2.0, "mg/dL", 2), (3.0, "mg/dL", 2),
    (3.01, "mg/dL", 3), (3.1, "mg/dL", 3),
    (34.1, "umol/L", 1), (34.2, "umol/L", 2), (51.3, "umol/L", 2), (51.4, "umol/L", 3),
    (34.0, "µmol/L", 1), (51.2, "µmol/L", 2),     # integer SI tables would give 2 and 3 here
])
def test_child_pugh_bilirubin_edges(bili, unit, points):
    assert cp(bili, bilirubin_unit=unit).bilirubin_points == points


@pytest.mark.parametrize("alb, unit, points", [
    (3.6, "g/dL", 1), (3.51, "g/dL", 1), (3.5, "g/dL", 2), (2.8, "g/dL", 2), (2.79, "g/dL", 3),
    (2.7, "g/dL", 3), (36, "g/L", 1), (35.1, "g/L", 1), (35, "g/L", 2), (28, "g/L", 2),
    (27.9, "g/L", 3), (30, "g/L", 2),
])
def test_child_pugh_albumin_edges(alb, unit, points):
    assert cp(1.0, alb, albumin_unit=unit).albumin_points == points


@pytest.mark.parametrize("inr, points", [(1.69, 1), (1.7, 2), (2.3, 2), (2.31, 3)])
def test_child_pugh_inr_edges(inr, points):
    assert cp(1.0, inr=inr).inr_points == points


@pytest.mark.parametrize("asc, points", [("none", 1), ("slight", 2), ("mild", 2), ("Mild", 2),
                                         ("moderate", 3), ("severe", 3)])
def test_child_pugh_ascites(asc, points):
    assert cp(1.0, asc=asc).ascites_points == points


@pytest.mark.parametrize("enc, points", [("none", 1), ("grade1-2", 2), ("grade 1-2", 2),
                                         ("grade3-4", 3)])
def test_child_pugh_encephalopathy(enc, points):
    assert cp(1.0, enc=enc).encephalopathy_points == points


def test_child_pugh_bad_grades_rejected():
    with pytest.raises(LabValueError, match="ascites"):
        cp(1.0, asc="tense-ish")
    with pytest.raises(LabValueError, match="encephalopathy"):
        cp(1.0, enc="2")


@pytest.mark.parametrize("args, score, klass", [
    ((1.0, 4.0, 1.0, "none", "none"), 5, "A"),
    ((2.0, 4.0, 1.0, "none", "none"), 6, "A"),
    ((2.0, 3.5, 1.0, "none", "none"), 7, "B"),
    ((2.0, 3.5, 1.7, "slight", "grade1-2"), 10, "C"),
    ((2.0, 3.5, 1.7, "slight", "none"), 9, "B"),
    ((3.1, 2.7, 2.4, "moderate", "grade3-4"), 15, "C"),
])
def test_child_pugh_class_edges(args, score, klass):
    res = calc.child_pugh(*args)
    assert (res.score, res.child_class) == (score, klass)
    assert res.formula_id == "CTP-Pugh1973-INR" and res.variant == "standard"


@pytest.mark.parametrize("bili, unit, points", [
    (3.99, "mg/dL", 1), (4.0, "mg/dL", 2), (10.0, "mg/dL", 2), (10.01, "mg/dL", 3),
    (68.3, "umol/L", 1), (68.4, "umol/L", 2), (171, "umol/L", 2), (171.1, "umol/L", 3),
    (68, "umol/L", 1),   # 68 µmol/L = 3.98 mg/dL: the spec's "68" is a rounded cut-off
])
def test_child_pugh_pbc_variant_edges(bili, unit, points):
    res = cp(bili, bilirubin_unit=unit, variant="pbc")
    assert res.bilirubin_points == points
    assert res.formula_id == "CTP-Pugh1973-INR-PBC"


def test_child_pugh_variant_is_explicit():
    assert cp(5.0).bilirubin_points == 3 and cp(5.0, variant="PBC").bilirubin_points == 2
    with pytest.raises(LabValueError, match="variant"):
        cp(5.0, variant="cholestatic")


def test_converted_value_rounded_to_two_decimals_before_comparison():
    assert 51.3 / 17.1 != 3.0                         # the float trap the spec describes
    v = lab_value("bilirubin", 51.3, "umol/L")
    assert v.canonical == 3 and v.band_value == Decimal("3.00")
    assert lab_value("bilirubin", 34.12, "umol/L").band_value == Decimal("2.00")   # 1.9953
    assert cp(34.12, bilirubin_unit="umol/L").bilirubin_points == 2
    assert lab_value("bilirubin", 1.996, "mg/dL").band_value == Decimal("1.996")   # not converted


# ---------------------------------------------------------------- units and plausibility
@pytest.mark.parametrize("field, value, unit, canonical", [
    ("bilirubin", 17.1, "umol/L", Decimal(1)), ("bilirubin", 171, "µmol/L", Decimal(10)),
    ("bilirubin", 342, "μmol/L", Decimal(20)), ("creatinine", 88.4, "umol/L", Decimal(1)),
    ("creatinine", 353.6, "umol/L", Decimal(4)), ("albumin", 35, "g/L", Decimal("3.5")),
    ("sodium", 130, "mEq/L", Decimal(130)), ("bilirubin", "2.5", None, Decimal("2.5")),
    ("albumin", 3.5, "", Decimal("3.5")), ("creatinine", 1.2, "MG/DL", Decimal("1.2")),
])
def test_unit_conversion_exact(field, value, unit, canonical):
    assert lab_value(field, value, unit).canonical == canonical


def test_units_change_scores_consistently():
    assert calc.meld(171, 2.0, 176.8, bilirubin_unit="umol/L", creatinine_unit="umol/L").score \
        == calc.meld(10, 2.0, 2.0).score
    # 17.0 instead of 17.1 would move 51.2 µmol/L over the 3.0 boundary (3.01 mg/dL)
    assert cp(51.2, bilirubin_unit="umol/L").bilirubin_points == 2


@pytest.mark.parametrize("field, value, unit", [
    ("bilirubin", 0.09, "mg/dL"), ("bilirubin", 80.1, "mg/dL"), ("bilirubin", 1369, "umol/L"),
    ("albumin", 0.4, "g/dL"), ("albumin", 35, "g/dL"), ("albumin", 71, "g/L"),
    ("inr", 0.4, None), ("inr", 15.1, None), ("creatinine", 26, "mg/dL"),
    ("creatinine", 2300, "umol/L"), ("sodium", 99, "mmol/L"), ("sodium", 181, "mmol/L"),
])
def test_implausible_values_rejected_naming_field_value_unit(field, value, unit):
    with pytest.raises(LabValueError) as info:
        lab_value(field, value, unit)
    exc = info.value
    assert isinstance(exc, ValueError) and isinstance(exc, UserError)
    assert exc.field == field and str(value) in str(exc) and field in str(exc)
    if unit:
        assert exc.unit.lower() in str(exc).lower()


@pytest.mark.parametrize("field, value, unit", [
    ("bilirubin", 0.1, "mg/dL"), ("bilirubin", 80, "mg/dL"), ("bilirubin", 1368, "umol/L"),
    ("albumin", 0.5, "g/dL"), ("albumin", 70, "g/L"), ("inr", 0.5, None), ("inr", 15, None),
    ("creatinine", 25, "mg/dL"), ("sodium", 100, None), ("sodium", 180, None),
])
def test_plausible_range_ends_inclusive(field, value, unit):
    assert lab_value(field, value, unit).field == field


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "", True, None, "2,5"])
def test_non_numbers_rejected(value):
    with pytest.raises(LabValueError):
        lab_value("inr", value)


def test_unknown_unit_rejected():
    with pytest.raises(LabValueError, match="bilirubin_unit"):
        lab_value("bilirubin", 2, "mmol/L")
    with pytest.raises(LabValueError, match="albumin_unit"):
        calc.meld3(2, 1, 1, 135, 35, female=False, albumin_unit="mg/dL")


def test_albumin_g_per_l_as_g_dl_is_rejected_not_clamped():   # pitfall 5
    with pytest.raises(LabValueError, match="albumin 35 g/dL"):
        calc.meld3(2, 1, 1, 135, 35, female=False)


def test_flags_must_be_bool():
    with pytest.raises(LabValueError, match="dialysis"):
        calc.meld(2, 1, 1, dialysis="false")


def test_mortality_helpers():
    assert calc.meld_mortality_band(9) == ("≤ 9", 1.9)
    assert calc.meld_mortality_band(10) == ("10–19", 6.0)
    assert calc.meld_mortality_band(40) == ("≥ 40", 71.3)
    assert calc.meld3_survival_90d(6) > calc.meld3_survival_90d(30) > 0


# ---------------------------------------------------------------- properties
bili_st = st.decimals("0.1", "80", places=1)
inr_st = st.decimals("0.5", "15", places=2)
cr_st = st.decimals("0.1", "25", places=2)


@settings(max_examples=300, deadline=None)
@given(bili_st, inr_st, cr_st, st.booleans(), st.decimals("100", "180", places=0))
def test_meld_family_in_range(b, i, c, dialysis, na):
    m = calc.meld(b, i, c, dialysis=dialysis)
    assert 6 <= m.score <= 40
    assert 6 <= calc.meld_na(b, i, c, na, dialysis=dialysis).score <= 40


@settings(max_examples=300, deadline=None)
@given(bili_st, bili_st, inr_st, inr_st, cr_st, cr_st)
def test_meld_monotone(b1, b2, i1, i2, c1, c2):
    lo = calc.meld(min(b1, b2), min(i1, i2), min(c1, c2)).score
    assert lo <= calc.meld(max(b1, b2), min(i1, i2), min(c1, c2)).score
    assert lo <= calc.meld(min(b1, b2), max(i1, i2), min(c1, c2)).score
    assert lo <= calc.meld(min(b1, b2), min(i1, i2), max(c1, c2)).score


@settings(max_examples=300, deadline=None)
@given(bili_st, st.decimals("0.5", "7", places=1), inr_st,
       st.sampled_from(calc.ASCITES), st.sampled_from(calc.ENCEPHALOPATHY),
       st.sampled_from(calc.VARIANTS))
def test_child_pugh_range_and_class(b, a, i, asc, enc, variant):
    res = calc.child_pugh(b, a, i, asc, enc, variant=variant)
    assert 5 <= res.score <= 15
    assert res.score == (res.bilirubin_points + res.albumin_points + res.inr_points
                         + res.ascites_points + res.encephalopathy_points)
    assert res.child_class == ("A" if res.score <= 6 else "B" if res.score <= 9 else "C")


@settings(max_examples=200, deadline=None)
@given(st.decimals("1.8", "1368", places=1))
def test_bilirubin_points_same_in_both_unit_systems(umol):
    mg = round_half_up(umol / Decimal("17.1"), 2)
    assert cp(umol, bilirubin_unit="umol/L").bilirubin_points == cp(mg).bilirubin_points


@settings(max_examples=200, deadline=None)
@given(bili_st, inr_st, cr_st, st.decimals("100", "180", places=0),
       st.decimals("0.5", "7", places=1), st.booleans(), st.booleans())
def test_meld3_capped_and_uncapped(b, i, c, na, alb, female, dialysis):
    res = calc.meld3(b, i, c, na, alb, female=female, dialysis=dialysis)
    assert res.score == min(res.uncapped, 40) and res.uncapped >= 6


def test_to_record_is_json_safe_and_keeps_raw_canonical_intermediate_and_id():
    import json
    rec = calc.to_record(calc.meld_na(51.3, 1.6, 70.72, 128, bilirubin_unit="umol/L",
                                      creatinine_unit="umol/L", dialysis=True))
    back = json.loads(json.dumps(rec))
    assert back["formula_id"] == "MELD-Na-OPTN-2016" and back["score"] == 32
    assert back["meld"]["bilirubin"] == {"raw": "51.3", "raw_unit": "umol/L", "value": "3",
                                         "unit": "mg/dL"}
    assert back["meld"]["formula_id"] == "MELD-UNOS-2002" and back["meld"]["score"] == 29
    assert back["unrounded"] == str(Decimal(29) + Decimal("1.32") * 9 - Decimal("0.033") * 29 * 9)
    with pytest.raises(TypeError):
        calc.to_record({"score": 1})
