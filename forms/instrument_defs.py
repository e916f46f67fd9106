"""The records the instrument registry (``forms.registry``) is made of. Standard library only.

Kept apart from the registry so that the code table of coded instruments
(``forms.registry_coded``) and the registry can both use them without an import loop.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from forms.alerts import AlertFinding
from forms.instrument import BASE_LANGUAGE, Instrument, load_instrument

# how a summary/review screen lays an instrument's scores out (a layout id, never an instrument
# id): "sf36" = 8 scales x two scorings + T-scores + PCS/MCS; "symptoms" = per-symptom table with
# change categories and alerts (CSC); "scores" = generic table of the instrument's scores.
LAYOUTS = ("sf36", "symptoms", "scores")

Codes = Mapping[str, "int | None"]
Scorer = Callable[..., dict[str, dict[str, Any]]]   # (codes, *, baseline, previous) -> {alg: values}
Alerter = Callable[..., tuple[AlertFinding, ...]]   # (codes, previous) -> warning signs


@dataclass(frozen=True)
class ScoreDef:
    """One stored score: export column ``name``, key ``key`` in the values of ``algorithm``."""
    name: str
    key: str
    label: str                        # English (export labels are English)
    type: str                         # "float" | "integer" | "text" | "boolean"
    algorithm: str
    instrument: str
    minimum: float | None = None
    maximum: float | None = None
    codes: tuple[tuple[str, str], ...] = ()   # for text scores with a fixed vocabulary
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)   # lang -> label
    unit: str | None = field(default=None, compare=False)
    higher_is_better: bool | None = field(default=None, compare=False)
    mid: float | None = field(default=None, compare=False)   # minimal important difference
    shown: bool = field(default=True, compare=False)   # in the generic review / PDF score table

    def text(self, lang: str = BASE_LANGUAGE) -> str:
        return self.labels.get(lang) or self.label

    @property
    def sdtm_testcd(self) -> str:
        """Project-defined QSTESTCD: ``rand_pf`` -> ``RANDPF``, ``csc_rss_change`` -> ``CSCRSSCH``."""
        n = self.name.upper().replace("_CHANGE", "CH").replace("RESPONDER_EXPLORATORY", "RESP")
        return n.replace("_", "")[:8]


@dataclass(frozen=True)
class AlgorithmDef:
    id: str
    version: str
    name: Mapping[str, str]           # lang -> human name ("RAND-36 scoring (Hays 1993)")


_RECALL = re.compile(r"\b(\d+|one|a)\s+(day|week|month|year)s?\b", re.I)


def recall_evlint(text: str) -> str | None:
    """The ISO 8601 evaluation interval a text names: "past 7 days" -> ``-P7D``, "one year
    ago" -> ``-P1Y`` (None if it names none)."""
    m = _RECALL.search(text or "")
    if m is None:
        return None
    n = m.group(1).lower()
    return f"-P{1 if n in ('one', 'a') else int(n)}{m.group(2)[0].upper()}"


@dataclass(frozen=True)
class ExportNames:
    column_prefix: str                # REDCap / CSV variable prefix of items and scores
    sdtm_prefix: str                  # QSTESTCD prefix of items ("R36Q", "CSC")
    sdtm_category: str                # QSCAT
    evlint: str | None = None         # QSEVLINT when the recall period text gives none
    sdtm_item_numbers: bool = False   # items "q<n>" -> <prefix><nn> (two digits)

    def item_testcd(self, item_id: str) -> str:
        if self.sdtm_item_numbers and item_id[:1] in "qQ" and item_id[1:].isdigit():
            return f"{self.sdtm_prefix}{int(item_id[1:]):02d}"
        return (self.sdtm_prefix + re.sub(r"\W", "", item_id.upper()))[:8]


@dataclass(frozen=True)
class PrimaryScoring:
    """A study-level choice of how the 0-100 scales are scored (a scoring-algorithm id)."""
    id: str                           # stored study setting ("rand36", "sf36v1")
    algorithm: str
    key_prefix: str                   # value keys of the 0-100 scales ("rand_", "sf36_")
    label: Mapping[str, str]


@dataclass(frozen=True)
class Headline:
    """A patient-list column fed from the latest stored value ``algorithm``/``key``."""
    column: str
    algorithm: str
    key: str


@dataclass(frozen=True)
class TrendDef:
    """A trend series: ``series`` key, from stored ``algorithm``/``key``."""
    series: str
    algorithm: str
    key: str


@dataclass(frozen=True)
class InstrumentEntry:
    id: str
    version: str
    directory: Path
    title: Mapping[str, str]
    short_name: Mapping[str, str]
    languages: tuple[str, ...]
    credit: Mapping[str, str]
    n_items: int
    recall_period: Mapping[str, str]
    scores: tuple[ScoreDef, ...]
    algorithms: tuple[AlgorithmDef, ...]
    export: ExportNames
    layout: str = "scores"
    order: int = 100                  # position in the default battery
    uses_history: bool = False        # the scorer compares with baseline / previous answers
    alert: tuple[str, str] | None = None          # (algorithm, key) of the stored alert level
    headline: tuple[Headline, ...] = ()
    trends: tuple[TrendDef, ...] = ()
    trend_items: tuple[str, ...] = ()             # item answers charted on the staff trends
    no_straightline_blocks: frozenset[str] = frozenset()
    primary_scorings: tuple[PrimaryScoring, ...] = ()
    batch_module: str | None = None   # module with the ``score`` batch hooks, if any
    scorer: Scorer | None = field(default=None, compare=False, repr=False)
    alerter: Alerter | None = field(default=None, compare=False, repr=False)

    def instrument(self) -> Instrument:
        return load_instrument(self.id, self.directory)

    def name(self, lang: str = BASE_LANGUAGE) -> str:
        return self.short_name.get(lang) or self.short_name.get(BASE_LANGUAGE) or self.id

    def score(self, codes: Codes, *, baseline: Codes | None = None,
              previous: Codes | None = None) -> dict[str, dict[str, Any]]:
        """``{algorithm id: values}`` of one administration (empty when not scored)."""
        if self.scorer is None:
            return {}
        return self.scorer(codes, baseline=baseline, previous=previous)

    def alert_findings(self, codes: Codes, previous: Codes | None = None
                       ) -> tuple[AlertFinding, ...]:
        """The warning signs of one administration (the rules that also set the stored alert
        level); ``previous``: the answers of the previous submitted administration."""
        if self.alerter is None:
            return ()
        return self.alerter(codes, previous)

    def algorithm_version(self, algorithm: str) -> str:
        return next((a.version for a in self.algorithms if a.id == algorithm), "1.0")

    def algorithm_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.algorithms)

    @property
    def evlint(self) -> str | None:
        """ISO 8601 recall period (``-P7D``) from the English recall text, else the export's."""
        return recall_evlint(self.recall_period.get(BASE_LANGUAGE, "")) or self.export.evlint
