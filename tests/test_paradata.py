"""forms.paradata: the fast-completion and identical-block flags on both sides of their limits,
and how items group into blocks (issue 18: mutation testing of forms/paradata.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from forms.paradata import (FAST_COMPLETION_SECONDS, MIN_BLOCK_ANSWERS, ParadataFlag,
                            completion_seconds, instrument_blocks, paradata_flags)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_limits():
    assert (FAST_COMPLETION_SECONDS, MIN_BLOCK_ANSWERS) == (120, 3)


def test_completion_seconds():
    assert completion_seconds(T0, T0 + timedelta(minutes=2, seconds=1)) == 121.0
    assert completion_seconds(None, T0) is None and completion_seconds(T0, None) is None
    with pytest.raises(ValueError) as info:
        completion_seconds(T0.replace(tzinfo=None), T0)
    assert str(info.value) == "compare aware with aware datetimes"
    with pytest.raises(ValueError, match="compare aware with aware datetimes"):
        completion_seconds(T0, T0.replace(tzinfo=None))
    naive = T0.replace(tzinfo=None)
    assert completion_seconds(naive, naive + timedelta(seconds=5)) == 5.0


def test_fast_completion_on_both_sides_of_two_minutes():
    assert paradata_flags(T0, T0 + timedelta(seconds=119.5), {}, []) == [
        ParadataFlag("fast_completion", seconds=119.5)]
    assert paradata_flags(T0, T0 + timedelta(seconds=120), {}, []) == []
    assert paradata_flags(None, T0, {}, []) == []


def test_identical_block_on_both_sides_of_three_answers():
    blocks = [("b1", ["a", "b", "c", "d"]), ("b2", ["e", "f"])]
    slow = T0 + timedelta(minutes=10)
    three = {"a": 2, "b": 2, "c": 2, "d": None, "e": 1, "f": 1}
    assert paradata_flags(T0, slow, three, blocks) == [
        ParadataFlag("identical_block", block="b1", code=2, n_items=3)]
    assert paradata_flags(T0, slow, {"a": 2, "b": 2, "d": None}, blocks) == []
    assert paradata_flags(T0, slow, {"a": 2, "b": 2, "c": 3}, blocks) == []
    both = paradata_flags(T0, T0 + timedelta(seconds=30), {"a": 0, "b": 0, "c": 0, "d": 0},
                          blocks)
    assert both == [ParadataFlag("fast_completion", seconds=30.0),
                    ParadataFlag("identical_block", block="b1", code=0, n_items=4)]


def test_instrument_blocks_by_block_then_stem_in_order():
    items = [SimpleNamespace(id="q1", block=None, stem_id=None),
             SimpleNamespace(id="q2", block=None, stem_id="s"),
             SimpleNamespace(id="q3", block="B", stem_id="s"),
             SimpleNamespace(id="q4", block=None, stem_id="s"),
             SimpleNamespace(id="q5", block="B", stem_id=None),
             SimpleNamespace(id="q6")]
    assert instrument_blocks(items) == [("s", ["q2", "q4"]), ("B", ["q3", "q5"])]
