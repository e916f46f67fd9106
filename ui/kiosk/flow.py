"""Where the patient is in one instrument: applicable items, progress, what is unanswered.

Plain Python (no Qt) so the navigation rules are testable on their own. Branching comes from the
instrument data via ``Instrument.is_applicable`` (e.g. CSC C2b only if C2 >= 1; G2 not at
baseline).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
