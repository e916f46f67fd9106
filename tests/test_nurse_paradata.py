"""Paradata flags (forms/paradata.py): fast completion and identical answers in a block."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from forms.instrument import load_instrument
from forms.paradata import instrument_blocks, paradata_flags

T0 = datetime(2025, 3, 10, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("secs,flagged", [(119.9, True), (120, False), (600, False)])
def test_fast_completion_threshold(secs, flagged):
    f = paradata_flags(T0, T0 + timedelta(seconds=secs), {}, [])
    assert [x.id for x in f] == (["fast_completion"] if flagged else [])


def test_not_submitted_no_time_flag():
    assert paradata_flags(T0, None, {}, []) == []


def test_identical_block_needs_three_same_answers():
    blocks = [("b", ["a1", "a2", "a3", "a4"])]
    same = paradata_flags(T0, None, {"a1": 2, "a2": 2, "a3": 2, "a4": None}, blocks)
    assert [(x.id, x.block, x.code, x.n_items) for x in same] == [("identical_block", "b", 2, 3)]
    assert paradata_flags(T0, None, {"a1": 2, "a2": 2}, blocks) == []
    assert paradata_flags(T0, None, {"a1": 2, "a2": 2, "a3": 1}, blocks) == []


def test_sf36_blocks_follow_stems():
    blocks = dict(instrument_blocks(load_instrument("rand36").items))
    assert len(blocks["activities"]) == 10
    csc = dict(instrument_blocks(load_instrument("csc").items))
    assert list(csc) == ["warning"] and len(csc["warning"]) == 7
