"""The hand-written canonical JSON of audit rows equals json.dumps byte for byte (existing
chains must keep verifying), keyed: HMAC-SHA256 under the site key."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone

from hypothesis import given, settings, strategies as st

from storage.audit import _HASHED, canon, row_hash

KEY = bytes(range(32))

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUE = st.one_of(st.none(), TEXT, st.integers(-2**63, 2**63 - 1))


def reference_hash(prev: str, row: dict) -> str:
    content = {k: row.get(k) for k in _HASHED}
    content["at"] = canon(content["at"])
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(KEY, (prev + blob).encode("utf-8"), hashlib.sha256).hexdigest()


@settings(max_examples=300, deadline=None)
@given(values=st.fixed_dictionaries({k: VALUE for k in _HASHED if k != "at"}),
       prev=st.text("0123456789abcdef", min_size=64, max_size=64),
       micros=st.integers(0, 10**15))
def test_row_hash_equals_json_dumps_reference(values, prev, micros) -> None:
    row = {**values, "at": datetime.fromtimestamp(micros / 1e6, timezone.utc)}
    assert row_hash(KEY, prev, row) == reference_hash(prev, row)
    assert row_hash(bytes(32), prev, row) != reference_hash(prev, row)   # keyed


def test_row_hash_of_odd_values_equals_reference() -> None:
    at = datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    for odd in ('quote " back\\slash', "tab\tnewline\n\x00\x1f", "张伟 \u2028\u2029 \ud7ff",
                "", 0, -1, 1.5, True, ["x", 1], {"b": 1, "a": None}):
        row = {k: odd for k in _HASHED}
        row.update(at=at)
        assert row_hash(KEY, "0" * 64, row) == reference_hash("0" * 64, row), repr(odd)
