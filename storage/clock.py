"""The one source of "now" for storage (aware UTC). Demo data generation replaces it to place
generated visits in the past; production code never does."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable, Iterator

_now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


def utcnow() -> datetime:
    return _now()


@contextmanager
def use_clock(fn: Callable[[], datetime]) -> Iterator[None]:
    global _now
    old = _now
    _now = fn
    try:
        yield
    finally:
        _now = old
