"""Plain data the staff screens display (built by a backend from storage DTOs; no Qt, no ORM)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, NamedTuple

from forms.instrument import Instrument, localize
from forms.paradata import ParadataFlag, instrument_blocks, paradata_flags
from forms.registry import registry


@dataclass(frozen=True)
class TrendPoint:
    """One visit's values for the trend charts (``ui/nurse/trends.py`` draws them)."""
    visit: str                                   # visit code
    values: dict[str, float | None] = field(default_factory=dict)
    # keys: sf36_<scale>_t, sf36_pcs, sf36_mcs, rss, tsb, C1..C4, child_pugh, meld, and the
    # registry's trend series (forms.registry: TrendDef.series, e.g. "<instrument>_<score>")
    label: str = ""      # the visit as staff read it on the x axis (forms.schedule.visit_label)

    @property
    def axis_text(self) -> str:
        return self.label or self.visit


@dataclass(frozen=True)
class ReviewAnswer:
    item_id: str
    number: int
    text: str                      # as the patient saw it (administration language)
    answer: str | None             # option label as shown, None if not answered
    code: int | None
    skipped_reason: str | None = None
    not_applicable: bool = False
    change_count: int = 0


@dataclass(frozen=True)
class InstrumentReview:
    administration_id: int
    instrument_id: str
    title: str
    version: str
    language: str
    status: str
    started_at: datetime | None
    submitted_at: datetime | None
    answers: tuple[ReviewAnswer, ...]
    scores: Mapping[str, Any] = field(default_factory=dict)
    flags: tuple[ParadataFlag, ...] = ()
    text_version: str = ""          # the exact text shown: "<id> · sha256 <12 hex>"


@dataclass(frozen=True)
class SignatureInfo:
    id: int
    signer_name: str
    meaning: str
    signed_at: datetime            # aware UTC; shown in local time with offset
    status: str                    # "valid" | "invalidated"
    invalidated_reason: str | None = None


@dataclass(frozen=True)
class VisitReview:
    visit_id: int
    visit_code: str
    instruments: tuple[InstrumentReview, ...]
    clinical: Mapping[str, Any] | None = None
    signatures: tuple[SignatureInfo, ...] = ()

    @property
    def signature_state(self) -> str:
        """"unsigned" | "signed" | "resign_required"."""
        if not self.signatures:
            return "unsigned"
        return "signed" if self.signatures[-1].status == "valid" else "resign_required"


class AuditRow(NamedTuple):
    """A named tuple (thousands per patient: built ten times faster than a frozen dataclass)."""
    seq: int
    at: datetime                   # aware UTC
    username: str
    role: str
    action: str
    entity: str
    entity_id: str
    field: str
    old_value: str | None
    new_value: str | None
    reason: str | None
    subject_id: str = ""
    visit_code: str = ""
    # what the Audit trail tab shows (ui/nurse/audit_text.py): the action, the field (for an
    # answer: questionnaire and question) and the values in words; empty = show as stored
    action_text: str = ""
    field_text: str = ""
    old_text: str | None = None
    new_text: str | None = None


CORRECTION_REASONS = (  # pick list; free text is always required in addition
    "transcription_error", "patient_clarified", "wrong_patient_or_visit", "source_document",
    "other")


def review_answers(inst: Instrument, language: str, answers: Mapping[str, int],
                   skipped: Mapping[str, str], not_applicable: Iterable[str],
                   change_counts: Mapping[str, int] | None = None) -> tuple[ReviewAnswer, ...]:
    loc = localize(inst, language)
    na = set(not_applicable)
    out = []
    for it in inst.items:
        code = answers.get(it.id)
        label = None
        if code is not None:
            label = dict(loc.options(it)).get(code, str(code))
        stem = loc.stem(it)
        # the item's own words first (they differ between items); the shared stem after
        text = f"{loc.text(it)} — {stem}" if stem else loc.text(it)
        out.append(ReviewAnswer(it.id, it.number, text, label, code, skipped.get(it.id),
                                it.id in na, (change_counts or {}).get(it.id, 0)))
    return tuple(out)


def review_flags(inst: Instrument, started_at: datetime | None, submitted_at: datetime | None,
                 answers: Mapping[str, int]) -> tuple[ParadataFlag, ...]:
    # blocks where identical answers are the expected normal case (all "No" warning signs)
    entry = registry().find(inst.id)
    skip = entry.no_straightline_blocks if entry is not None else frozenset()
    blocks = [(b, ids) for b, ids in instrument_blocks(inst.items) if b not in skip]
    return tuple(paradata_flags(started_at, submitted_at, answers, blocks))
