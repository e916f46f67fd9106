"""RAND-36 and SF-36 v1 scoring against sf36.md: published vectors, anchors, every recode,
every half-rule threshold, the item 21/22 dependency, no clamping.

Expected values are transcribed from the spec here, independently of forms/sf36.py's tables.
"""
from __future__ import annotations

import csv

import pytest

from forms import sf36
from forms.batch import fast_path

SCALES = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")
ITEMS_OF = {"pf": list(range(3, 13)), "rp": [13, 14, 15, 16], "bp": [21, 22],
            "gh": [1, 33, 34, 35, 36], "vt": [23, 27, 29, 31], "sf": [20, 32],
            "re": [17, 18, 19], "mh": [24, 25, 26, 28, 30]}

# sf36.md 2.1, Table 1 (RAND recodes), row by row
RAND_TABLE = {}
for items, values in (([1, 2, 20, 22, 34, 36], [100, 75, 50, 25, 0]),
                      (range(3, 13), [0, 50, 100]), (range(13, 20), [0, 100]),
                      ([21, 23, 26, 27, 30], [100, 80, 60, 40, 20, 0]),
                      ([24, 25, 28, 29, 31], [0, 20, 40, 60, 80, 100]),
                      ([32, 33, 35], [0, 25, 50, 75, 100])):
    for i in items:
        RAND_TABLE[i] = {c: v for c, v in enumerate(values, start=1)}

# sf36.md 3.1 (Ware final values); item 22 separately
WARE_TABLE = {1: {1: 5.0, 2: 4.4, 3: 3.4, 4: 2.0, 5: 1.0},
              21: {1: 6.0, 2: 5.4, 3: 4.2, 4: 3.1, 5: 2.2, 6: 1.0}}
for i in range(3, 13):
    WARE_TABLE[i] = {1: 1, 2: 2, 3: 3}
for i in range(13, 20):
    WARE_TABLE[i] = {1: 1, 2: 2}
WARE_TABLE[20] = {x: 6 - x for x in range(1, 6)}
for i in (23, 26, 27, 30):
    WARE_TABLE[i] = {x: 7 - x for x in range(1, 7)}
for i in (24, 25, 28, 29, 31):
    WARE_TABLE[i] = {x: x for x in range(1, 7)}
for i in (32, 33, 35):
    WARE_TABLE[i] = {x: x for x in range(1, 6)}
for i in (34, 36):
    WARE_TABLE[i] = {x: 6 - x for x in range(1, 6)}
W22 = {"none": {1: 6, 2: 4, 3: 3, 4: 2, 5: 1}, "pain": {1: 5, 2: 4, 3: 3, 4: 2, 5: 1},
       "missing": {1: 6.0, 2: 4.75, 3: 3.5, 4: 2.25, 5: 1.0}}
LOW_RANGE = {"pf": (10, 20), "rp": (4, 4), "bp": (2, 10), "gh": (5, 20), "vt": (4, 20),
             "sf": (2, 8), "re": (3, 3), "mh": (5, 25)}
MIN_ANSWERED = {"pf": 5, "rp": 2, "bp": 1, "gh": 3, "vt": 2, "sf": 1, "re": 2, "mh": 3}

BEST = {i: max(RAND_TABLE[i], key=RAND_TABLE[i].get) for i in range(1, 37)}
WORST = {i: min(RAND_TABLE[i], key=RAND_TABLE[i].get) for i in range(1, 37)}


def _vectors(spec_dir):
    with open(spec_dir / "sf36_published_vectors.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _tol(text: str) -> float:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 1e-6 if decimals > 6 else 1e-5  # the file prints 5 d.p. for most values


def answers_of(row) -> dict[int, int | None]:
    return {i: int(row[f"i{i:02d}"]) if row[f"i{i:02d}"] else None for i in range(1, 37)}


def check_against_vector(row, got: dict) -> None:
    pairs = [(f"rand_{s.upper()}", f"rand_{s}") for s in SCALES]
    pairs += [(f"ware_{s.upper()}", f"sf36_{s}") for s in SCALES]
    pairs += [("ware_PCS", "sf36_pcs"), ("ware_MCS", "sf36_mcs")]
    for col, key in pairs:
        expected = row[col]
        if expected == "NA":
            assert got[key] is None, (key, got[key])
        else:
            assert got[key] is not None, key
            assert got[key] == pytest.approx(float(expected), abs=_tol(expected)), key


def test_vectors_file_has_all_published_cases(spec_dir):
    assert len(_vectors(spec_dir)) == 12


@pytest.mark.parametrize("n", range(12))
def test_published_vector(spec_dir, n):
    row = _vectors(spec_dir)[n]
    check_against_vector(row, sf36.score_all(answers_of(row)))


def test_pharmcat_pcs_mcs_full_precision(spec_dir):
    row = [r for r in _vectors(spec_dir) if r["source"].startswith("PharmCat")][0]
    got = sf36.score_sf36v1(answers_of(row))
    assert got["sf36_pcs"] == pytest.approx(44.4027962318693, abs=1e-9)
    assert got["sf36_mcs"] == pytest.approx(32.31104541346562, abs=1e-9)


def test_anchor_all_best():
    got = sf36.score_all(BEST)
    assert got["sf36_pcs"] == pytest.approx(57.872440, abs=1e-6)
    assert got["sf36_mcs"] == pytest.approx(62.136556, abs=1e-6)
    assert all(got[f"sf36_{s}"] == 100.0 and got[f"rand_{s}"] == 100.0 for s in SCALES)
    assert got["rand_ht"] == 100.0


def test_anchor_all_worst():
    got = sf36.score_all(WORST)
    assert got["sf36_pcs"] == pytest.approx(20.136024, abs=1e-6)
    assert got["sf36_mcs"] == pytest.approx(17.337274, abs=1e-6)
    assert all(got[f"sf36_{s}"] == 0.0 and got[f"rand_{s}"] == 0.0 for s in SCALES)


# NBS at 0 / 100 from sf36.md 4.2 (2 d.p.)
NBS = {"pf": (13.08, 56.76), "rp": (25.97, 55.56), "bp": (17.96, 60.40), "gh": (14.20, 63.78),
       "vt": (20.74, 68.66), "sf": (12.64, 57.33), "re": (25.39, 55.66), "mh": (8.45, 63.97)}


@pytest.mark.parametrize("scale", SCALES)
def test_t_scores_at_floor_and_ceiling(scale):
    worst, best = sf36.score_sf36v1(WORST), sf36.score_sf36v1(BEST)
    assert worst[f"sf36_{scale}_t"] == pytest.approx(NBS[scale][0], abs=0.005)
    assert best[f"sf36_{scale}_t"] == pytest.approx(NBS[scale][1], abs=0.005)


def test_rand_energy_fatigue_worked_example():
    got = sf36.score_rand36({23: 4, 27: 3, 29: 3})
    assert got["rand_vt"] == pytest.approx(140 / 3, abs=1e-12)
    assert round(got["rand_vt"], 1) == 46.7
    assert all(got[f"rand_{s}"] is None for s in SCALES if s != "vt")


@pytest.mark.parametrize("item", range(1, 37))
def test_every_rand_recode(item):
    scale = next((s for s, its in ITEMS_OF.items() if item in its), "ht")
    for code, expected in RAND_TABLE[item].items():
        got = sf36.score_rand36({item: code})
        assert got[f"rand_{scale}"] == expected, (item, code)
    assert set(sf36.VALID_CODES[item]) == set(RAND_TABLE[item])


def _expected_ware(scale: str, answers: dict[int, int]) -> float:
    finals = []
    for i in ITEMS_OF[scale]:
        if i == 22:
            c21 = answers.get(21)
            rule = "missing" if c21 is None else "none" if c21 == 1 else "pain"
            finals.append(W22[rule][answers[22]])
        else:
            finals.append(WARE_TABLE[i][answers[i]])
    low, span = LOW_RANGE[scale]
    return (sum(finals) - low) / span * 100


@pytest.mark.parametrize("item", [i for i in range(1, 37) if i not in (2, 22)])
def test_every_ware_final_value(item):
    """Each code of each item, with the rest of its scale fixed, gives the spec's scale score."""
    scale = next(s for s, its in ITEMS_OF.items() if item in its)
    for code in WARE_TABLE[item]:
        for filler in ("best", "worst"):
            answers = {i: (BEST if filler == "best" else WORST)[i] for i in ITEMS_OF[scale]}
            answers[item] = code
            got = sf36.score_sf36v1(answers)[f"sf36_{scale}"]
            assert got == pytest.approx(_expected_ware(scale, answers), abs=1e-9), (item, code)
        assert sf36.ware_final_values({item: code})[item] == pytest.approx(WARE_TABLE[item][code])


def test_item_2_is_in_no_sf36_scale():
    base = sf36.score_sf36v1(BEST)
    for code in range(1, 6):
        assert sf36.score_sf36v1({**BEST, 2: code}) == base


@pytest.mark.parametrize("c21", [None, 1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("c22", [1, 2, 3, 4, 5])
def test_item_22_depends_on_item_21(c21, c22):
    finals = sf36.ware_final_values({21: c21, 22: c22})
    rule = "missing" if c21 is None else "none" if c21 == 1 else "pain"
    assert finals[22] == W22[rule][c22]
    got = sf36.score_sf36v1({21: c21, 22: c22})["sf36_bp"]
    if c21 is None:  # imputed item 21 = item 22's recalibrated value
        assert got == pytest.approx((2 * W22["missing"][c22] - 2) / 10 * 100, abs=1e-9)
    else:
        assert got == pytest.approx(_expected_ware("bp", {21: c21, 22: c22}), abs=1e-9)


@pytest.mark.parametrize("c21", range(1, 7))
def test_item_21_alone_imputes_its_own_value(c21):
    got = sf36.score_sf36v1({21: c21})["sf36_bp"]
    assert got == pytest.approx((2 * WARE_TABLE[21][c21] - 2) / 10 * 100, abs=1e-9)


@pytest.mark.parametrize("pair, rand, ware", [((2, 2), 77.5, 74.0), ((6, 1), 50.0, 40.0),
                                              ((2, None), 80.0, 88.0), ((None, 2), 75.0, 75.0)])
def test_section_3_4_pain_examples(pair, rand, ware):
    answers = {21: pair[0], 22: pair[1]}
    assert sf36.score_rand36(answers)["rand_bp"] == pytest.approx(rand, abs=1e-9)
    assert sf36.score_sf36v1(answers)["sf36_bp"] == pytest.approx(ware, abs=1e-9)


def test_rand_and_ware_pain_agree_only_where_spec_says():
    agree = set()
    for c21 in range(1, 7):
        for c22 in range(1, 6):
            a = {21: c21, 22: c22}
            r, w = sf36.score_rand36(a)["rand_bp"], sf36.score_sf36v1(a)["sf36_bp"]
            if abs(r - w) < 1e-9:
                agree.add((c21, c22))
    assert agree == {(1, 1), (1, 5), (6, 5)}
    for c22 in range(1, 6):  # item 22 alone always agrees
        assert sf36.score_rand36({22: c22})["rand_bp"] == pytest.approx(
            sf36.score_sf36v1({22: c22})["sf36_bp"], abs=1e-9)
    alone = {c for c in range(1, 7) if abs(sf36.score_rand36({21: c})["rand_bp"]
                                           - sf36.score_sf36v1({21: c})["sf36_bp"]) < 1e-9}
    assert alone == {1, 6}


@pytest.mark.parametrize("c1", range(1, 6))
def test_gh_differs_only_for_item_1_codes_2_and_3(c1):
    others = {33: 2, 34: 3, 35: 4, 36: 2}
    a = {1: c1, **others}
    diff = sf36.score_sf36v1(a)["sf36_gh"] - sf36.score_rand36(a)["rand_gh"]
    assert diff == pytest.approx(2.0 if c1 in (2, 3) else 0.0, abs=1e-9)


@pytest.mark.parametrize("scale", SCALES)
def test_half_rule_thresholds(scale):
    items = ITEMS_OF[scale]
    k = MIN_ANSWERED[scale]
    assert k == (len(items) + 1) // 2
    answered = {i: BEST[i] for i in items[:k]}
    got = sf36.score_sf36v1(answered)[f"sf36_{scale}"]
    assert got == pytest.approx(100.0, abs=1e-9)  # imputed with the person mean (all best)
    fewer = {i: BEST[i] for i in items[:k - 1]}
    assert sf36.score_sf36v1(fewer)[f"sf36_{scale}"] is None
    assert sf36.score_sf36v1(fewer)[f"sf36_{scale}_t"] is None
    # RAND needs only one answered item
    one = {items[0]: BEST[items[0]]}
    assert sf36.score_rand36(one)[f"rand_{scale}"] == 100.0
    assert sf36.score_rand36({})[f"rand_{scale}"] is None


def test_person_mean_imputation_value():
    # PF: five answered (3,3,3,3,1) -> mean 2.6, raw 26 -> (26-10)/20*100 = 80
    a = {3: 3, 4: 3, 5: 3, 6: 3, 7: 1}
    assert sf36.score_sf36v1(a)["sf36_pf"] == pytest.approx(80.0, abs=1e-9)
    assert sf36.score_rand36(a)["rand_pf"] == pytest.approx(80.0, abs=1e-9)
    # MH: 24=2, 25=3 (as is), 26=3 (reversed->4): mean 3, raw 15 -> 40
    assert sf36.score_sf36v1({24: 2, 25: 3, 26: 3})["sf36_mh"] == pytest.approx(40.0, abs=1e-9)


def test_summary_needs_all_eight_scales():
    for scale in SCALES:
        a = {i: c for i, c in BEST.items() if i not in ITEMS_OF[scale]}
        got = sf36.score_sf36v1(a)
        assert got["sf36_pcs"] is None and got["sf36_mcs"] is None


def test_no_clamping_mcs_can_be_negative():
    a = {**{i: BEST[i] for s in ("pf", "rp", "bp", "gh") for i in ITEMS_OF[s]},
         **{i: WORST[i] for s in ("vt", "sf", "re", "mh") for i in ITEMS_OF[s]}}
    got = sf36.score_sf36v1(a)
    assert got["sf36_mcs"] == pytest.approx(-1.27, abs=0.005)
    assert got["sf36_mcs"] < 0


@pytest.mark.parametrize("bad", [0, 4, -1, 99, True, 2.0, "2", 2.5])
def test_invalid_codes_count_as_missing_and_are_named(bad):
    a = {3: bad, 4: 3}
    assert sf36.invalid_answers(a) == {3: bad}
    assert sf36.score_rand36(a)["rand_pf"] == 100.0  # only item 4 counts
    assert sf36.score_all(a) == sf36.score_all({4: 3})


def test_string_item_keys_accepted():
    assert sf36.score_all({"q23": 4, "q27": 3, "q29": 3}) == sf36.score_all({23: 4, 27: 3, 29: 3})


def test_all_missing_gives_all_none():
    assert all(v is None for v in sf36.score_all({}).values())


def test_output_keys_and_algorithm_ids():
    assert list(sf36.score_all({})) == list(sf36.BATCH_OUTPUT_COLUMNS[1:])
    assert sf36.BATCH_OUTPUT_COLUMNS[:2] == ("id", "rand_pf")
    assert sf36.BATCH_OUTPUT_COLUMNS[9:12] == ("rand_ht", "sf36_pf", "sf36_rp")
    assert sf36.BATCH_OUTPUT_COLUMNS[18:21] == ("sf36_pcs", "sf36_mcs", "sf36_pf_t")
    assert sf36.BATCH_OUTPUT_COLUMNS[-1] == "sf36_mh_t" and len(sf36.BATCH_OUTPUT_COLUMNS) == 28
    assert sf36.RAND36_ALGORITHM == "rand36-1.0"
    assert sf36.SF36V1_ALGORITHM == "sf36v1-ware1993-norms1990"
    assert sf36.ALGORITHM_OF_KEY["rand_ht"] == "rand36-1.0"
    assert sf36.ALGORITHM_OF_KEY["sf36_pcs"] == "sf36v1-ware1993-norms1990"


@pytest.mark.parametrize("key", ["q7", "Q7", 7])
def test_single_digit_item_keys_in_either_case(key):
    assert sf36.clean_answers({key: 2})[7] == 2
    assert sf36.invalid_answers({key: 9}) == {7: 9}
    assert sf36.score_rand36({key: 2})["rand_pf"] == 50.0


@pytest.mark.parametrize("key", ["x7", "17", "7", "q", "q7a", "item7", True, None])
def test_keys_that_are_not_item_numbers_are_ignored(key):
    assert all(v is None for v in sf36.clean_answers({key: 2}).values())
    assert sf36.invalid_answers({key: 99}) == {}


def test_ware_final_values_of_the_items_asked_only():
    """Item 22 still follows item 21 when only item 22 is asked for."""
    assert sf36.ware_final_values({21: 2, 22: 3, 3: 1}, (22,)) == {22: 3.0}
    assert sf36.ware_final_values({21: 1, 22: 1}, (22, 3)) == {22: 6.0, 3: None}
    assert len(sf36.ware_final_values({})) == 35


def test_batch_hooks_give_the_reference_scores():
    answers = {**{f"q{i}": BEST[i] for i in ITEMS_OF["gh"]}, "q2": 4, "q21": 3, "q22": 2}
    row = sf36.score_batch_row(answers)
    assert row == sf36.score_all(answers) and row["rand_ht"] == 25.0
    columns = {k: [str(v), ""] for k, v in answers.items()}
    out = dict(zip(sf36.BATCH_OUTPUT_COLUMNS[1:], (list(c) for c in
                                                  fast_path(sf36)(columns, 2))))
    for key, value in row.items():
        assert out[key] == ["" if value is None else repr(value), ""], key
