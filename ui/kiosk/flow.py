"""Where the patient is in one instrument: applicable items, progress, what is unanswered.

Plain Python (no Qt) so the navigation rules are testable on their own. Branching comes from the
instrument data via ``Instrument.is_applicable`` (e.g. CSC C2b only if C2 >= 1; G2 not at
baseline).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from forms.instrument import Instrument, Item

WARNING_BLOCK = "warning"
YES = 1


@dataclass
class InstrumentRun:
    instrument: Instrument
    administration_id: int
    visit_code: str
    answers: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    visit_kind: str = ""          # the visit's protocol kind, as storage reports it

    @property
    def context(self) -> dict[str, Any]:
        return {"visit": self.visit_code, "visit_kind": self.visit_kind}

    def applicable(self) -> list[Item]:
        return [it for it in self.instrument.items
                if self.instrument.is_applicable(it, self.answers, self.context)]

    def ids(self) -> list[str]:
        return [it.id for it in self.applicable()]

    def position(self, item_id: str) -> tuple[int, int]:
        """(1-based number among the applicable items, how many are applicable)."""
        ids = self.ids()
        return ids.index(item_id) + 1, len(ids)

    def answered_count(self) -> int:
        """Applicable items with an answer (the progress bar: a skipped item is not answered)."""
        return sum(1 for i in self.ids() if i in self.answers)

    def is_done(self, item_id: str) -> bool:
        return item_id in self.answers or item_id in self.skipped

    def first_unanswered(self) -> str | None:
        return next((i for i in self.ids() if not self.is_done(i)), None)

    def unanswered(self) -> list[str]:
        """Applicable items without an answer (skipped ones included: the patient may reconsider)."""
        return [i for i in self.ids() if i not in self.answers]

    def next_id(self, item_id: str) -> str | None:
        ids = self.ids()
        k = ids.index(item_id)
        return ids[k + 1] if k + 1 < len(ids) else None

    def prev_id(self, item_id: str) -> str | None:
        ids = self.ids()
        k = ids.index(item_id)
        return ids[k - 1] if k > 0 else None

    def warning_yes(self) -> list[str]:
        """Warning-sign items (block ``warning``) answered Yes: tell the nurse now."""
        return [it.id for it in self.applicable()
                if it.block == WARNING_BLOCK and self.answers.get(it.id) == YES]


# -- taps ------------------------------------------------------------------------------------
GUARD_MS = 400        # a tap this soon after the screen changed is the rest of a double tap
CONFIRM_MS = 350      # a tapped answer stays on screen, selected, this long before moving on
THANKS_MS = 8000      # the thank-you screen ends by itself after this long


class TapGuard:
    """Drops the second tap of a double tap: a press within ``guard_ms`` after the screen
    changed (issue 12 item 3), whatever now lies under the finger.

    Times are the input events' own timestamps (ms, monotonic, as the platform stamps touch and
    mouse events; a test sends events with the timestamps it wants). A screen change is dated
    by the tap that caused it; one that comes later (the answer confirmation, a slow save) adds
    the time passed since that tap on ``clock`` (monotonic seconds; a test may replace it).
    Keys are never dropped: a key press is deliberate.
    """

    def __init__(self, guard_ms: int = GUARD_MS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.guard_ms = guard_ms
        self.clock = clock
        self.last_tap_ms: int | None = None
        self.until_ms: int | None = None
        self._tap_at = 0.0               # ``clock`` at the last tap

    def press(self, t_ms: int) -> bool:
        """A press at ``t_ms``: True if it may act, False if it is dropped."""
        if (self.until_ms is not None and self.last_tap_ms is not None
                and self.last_tap_ms <= t_ms < self.until_ms):
            return False                 # (an earlier time than the last tap: a new time base)
        self.release(t_ms)
        return True

    def release(self, t_ms: int) -> None:
        self.last_tap_ms = t_ms
        self._tap_at = self.clock()

    def since_tap_ms(self) -> int:
        """Time passed since the last tap (ms on ``clock``)."""
        return max(0, int((self.clock() - self._tap_at) * 1000))

    def changed(self, after_ms: int = 0) -> None:
        """The screen changed because of the last tap, ``after_ms`` after it."""
        if self.last_tap_ms is not None:
            self.until_ms = self.last_tap_ms + after_ms + self.guard_ms
