"""Property tests (hypothesis) for SF-36/RAND-36 scoring and its column-wise batch fast path."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forms import sf36
from forms.sf36_batch import fmt, score_columns

SCALES = sf36.SCALES


@st.composite
def answer_sets(draw):
    """Any pattern of answered / missing items with valid codes."""
    return {i: draw(st.one_of(st.none(), st.sampled_from(sorted(sf36.VALID_CODES[i]))))
            for i in sf36.ITEMS}


@given(answer_sets())
def test_scales_within_0_100(answers):
    got = sf36.score_all(answers)
    for s in SCALES:
        for key in (f"rand_{s}", f"sf36_{s}"):
            assert got[key] is None or -1e-9 <= got[key] <= 100 + 1e-9, key


@given(answer_sets())
def test_missing_data_rules(answers):
    got = sf36.score_all(answers)
    for s in SCALES:
        n = sum(answers[i] is not None for i in sf36.SCALE_ITEMS[s])
        assert (got[f"rand_{s}"] is None) == (n == 0)
        assert (got[f"sf36_{s}"] is None) == (n < sf36.WARE_MIN_ANSWERED[s])
        assert (got[f"sf36_{s}_t"] is None) == (got[f"sf36_{s}"] is None)
    complete = all(got[f"sf36_{s}"] is not None for s in SCALES)
    assert (got["sf36_pcs"] is not None) == complete
    assert (got["sf36_mcs"] is not None) == complete


def _better(item: int, code: int) -> list[int]:
    """Codes of ``item`` that RAND rates strictly better than ``code``."""
    rec = sf36.RAND_RECODE[item]
    return [c for c in rec if rec[c] > rec[code]]


@given(answer_sets(), st.sampled_from([i for i in sf36.ITEMS if i != 2]), st.data())
def test_better_answer_never_lowers_its_scale(answers, item, data):
    code = answers[item]
    if code is None or not _better(item, code):
        return
    scale = next(s for s, its in sf36.SCALE_ITEMS.items() if item in its)
    improved = {**answers, item: data.draw(st.sampled_from(_better(item, code)))}
    before, after = sf36.score_all(answers), sf36.score_all(improved)
    for key in (f"rand_{scale}", f"sf36_{scale}", f"sf36_{scale}_t"):
        if before[key] is not None:
            assert after[key] >= before[key] - 1e-9, key


@given(answer_sets())
def test_rand_and_ware_identical_on_complete_linear_scales(answers):
    got = sf36.score_all(answers)
    for s in ("pf", "rp", "vt", "sf", "re", "mh"):
        if all(answers[i] is not None for i in sf36.SCALE_ITEMS[s]):
            assert abs(got[f"rand_{s}"] - got[f"sf36_{s}"]) < 1e-9, s


@settings(max_examples=120, deadline=None)
@given(st.lists(answer_sets(), min_size=1, max_size=20))
def test_fast_batch_path_equals_reference_exactly(rows):
    columns = {f"q{i}": ["" if r[i] is None else str(r[i]) for r in rows] for i in sf36.ITEMS}
    fast = list(zip(*score_columns(columns, len(rows))))
    for r, got in zip(rows, fast):
        assert list(got) == [fmt(v) for v in sf36.score_all(r).values()]
