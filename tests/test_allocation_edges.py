"""forms.allocation at its edges: design checks with the exact refusal (weights, block sizes and
the slot count that are not whole numbers, block size 1 of a one-arm ratio), the number of
blocks at exactly a block's end, and every list problem reported with its line."""
from __future__ import annotations

import random

import pytest

from forms.allocation import parse_allocation_list, permuted_block_sequence
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol

NCT = load_protocol(DEFAULT_PROTOCOL_PATH)


def _refused(call, msg: str) -> None:  # noqa: ANN001
    with pytest.raises(UserError) as err:
        call()
    assert str(err.value) == msg


@pytest.mark.parametrize("ratio, sizes, n, msg", [
    ({}, [2], 1, "allocation: no arms to allocate to"),
    ({"a": 1, "b": 1.0}, [2], 1, "allocation: arm 'b' needs a whole-number weight of at least 1"),
    ({"a": True}, [1], 1, "allocation: arm 'a' needs a whole-number weight of at least 1"),
    ({"a": 1, "b": 1}, [], 1, "allocation: no block sizes"),
    ({"a": 1, "b": 1}, [2.0], 1, "allocation: block size 2.0 is not a positive multiple of the "
                                 "ratio's total 2"),
    ({"a": 1, "b": 1}, ["2"], 1, "allocation: block size '2' is not a positive multiple of the "
                                 "ratio's total 2"),
    ({"a": 1}, [True], 1, "allocation: block size True is not a positive multiple of the "
                          "ratio's total 1"),
    ({"a": 1}, [0], 1, "allocation: block size 0 is not a positive multiple of the ratio's "
                       "total 1"),
    ({"a": 1}, [1], 2.0, "allocation: the number of slots must be a whole number >= 0, got 2.0"),
    ({"a": 1}, [1], True, "allocation: the number of slots must be a whole number >= 0, got "
                          "True")])
def test_design_refusals_exactly(ratio, sizes, n, msg):
    _refused(lambda: permuted_block_sequence(ratio, sizes, n, random.Random(0)), msg)


def test_block_size_one_of_a_one_arm_ratio():
    assert permuted_block_sequence({"a": 1}, [1], 2, random.Random(0)) == [("a",), ("a",)]


def test_blocks_stop_exactly_at_n():
    assert permuted_block_sequence({"a": 1, "b": 1}, [2], 0, random.Random(0)) == []
    assert len(permuted_block_sequence({"a": 1, "b": 1}, [2], 2, random.Random(0))) == 1
    assert len(permuted_block_sequence({"a": 1, "b": 1}, [2], 3, random.Random(0))) == 2
    assert len(permuted_block_sequence({"a": 1, "b": 1}, [2], 4, random.Random(0))) == 2


def test_list_messages_exactly():
    _refused(lambda: parse_allocation_list(" \n", NCT),
             "allocation list: empty (expected lines 'seq,arm')")
    _refused(lambda: parse_allocation_list("Seq,Arm\n\n", NCT),
             "allocation list: no allocations after the header")
    _refused(lambda: parse_allocation_list("group,ARM\n1,low\n", NCT),
             "allocation list: line 1: the header needs the columns 'seq' and 'arm'")
    _refused(lambda: parse_allocation_list("\n seq ,block\n1,low\n", NCT),
             "allocation list: line 2: the header needs the columns 'seq' and 'arm'")


def test_every_bad_line_is_reported():
    _refused(lambda: parse_allocation_list("1,low,x\n2\n3,high\n4,lo\n", NCT),
             "allocation list: 3 problem(s): line 1: expected 2 values 'seq,arm', got 3; "
             "line 2: expected 2 values 'seq,arm', got 1; line 4: arm 'lo' is not an arm of "
             "BKCR-LD-1.0(2010) (low, medium, high)")
    _refused(lambda: parse_allocation_list("seq,block,arm\n1,1\n2,1,low\n3\n", NCT),
             "allocation list: 2 problem(s): line 2: too few values; line 4: too few values")


def test_line_endings_and_a_newline_inside_a_quoted_cell():
    assert parse_allocation_list("1,low\r2,high\r", NCT) == [(1, "low"), (2, "high")]
    assert parse_allocation_list("seq,arm\r\n1,low\r\n", NCT) == [(1, "low")]
    _refused(lambda: parse_allocation_list('1,"lo\r\nw"\r\n', NCT),
             "allocation list: 1 problem(s): line 2: arm 'lo\\r\\nw' is not an arm of "
             "BKCR-LD-1.0(2010) (low, medium, high)")
