"""Score columns every export carries, per instrument: the instrument registry's score
definitions (``forms.registry``; names and algorithms as the specs say).

``sf36.md`` §0: RAND scoring ``rand_*`` (algorithm ``rand36-1.0``) and SF-36 v1 standard scoring
``sf36_*`` with T-scores and PCS/MCS (``sf36v1-ware1993-norms1990``); exports always carry both.
``symptoms.md`` §3: CSC RSS, TSB, NMOD, alert level, change from baseline and the exploratory
responder flag (``csc-1.0``). An instrument scored as data (``forms.itemscore``) brings its own
``<prefix>_<key>`` columns. The storage keeps each algorithm's values keyed by ``key``.
"""
from __future__ import annotations

from forms.instrument_defs import ScoreDef
from forms.registry import registry
from forms.registry_coded import SCALE_NAMES as SCALES

__all__ = ["SCALES", "ScoreDef", "algorithm_version_column", "algorithms", "score_defs",
           "score_name"]


def score_defs(instrument_id: str) -> tuple[ScoreDef, ...]:
    """Score columns of an instrument (empty for an instrument without scoring)."""
    return registry().score_defs(instrument_id)


def algorithms(instrument_id: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in score_defs(instrument_id):
        seen.setdefault(s.algorithm)
    return tuple(seen)


def algorithm_version_column(algorithm: str) -> str:
    """Column holding the stored version of an algorithm: ``rand36_1_0_version``."""
    return "".join(c if c.isalnum() else "_" for c in algorithm.lower()) + "_version"


def _prefix(instrument_id: str) -> str:
    """The prefix the instrument's score names put before their keys (``csc_``; ``""`` for
    RAND-36, whose names are the keys); ``""`` when the names follow no one prefix."""
    found = {s.name[:len(s.name) - len(s.key)] for s in score_defs(instrument_id)
             if s.name.endswith(s.key)}
    return found.pop() if len(found) == 1 else ""


def score_name(instrument_id: str, key: str) -> str:
    """The one name of a stored score value in every export (issue 17: ``scores.csv`` said
    ``rss`` where the wide file says ``csc_rss``): the registry's column name, else a supporting
    value's key with the instrument's prefix (``csc_alert_reasons``)."""
    for s in score_defs(instrument_id):
        if s.key == key:
            return s.name
    return _prefix(instrument_id) + key
