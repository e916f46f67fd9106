"""Score columns every export carries, per instrument (names and algorithms as the specs say).

``sf36.md`` §0: RAND scoring ``rand_*`` (algorithm ``rand36-1.0``) and SF-36 v1 standard scoring
``sf36_*`` with T-scores and PCS/MCS (``sf36v1-ware1993-norms1990``); exports always carry both.
``symptoms.md`` §3: CSC RSS, TSB, NMOD, alert level, change from baseline and the exploratory
responder flag (``csc-1.0``). The storage keeps each algorithm's values keyed by ``key``.
"""
from __future__ import annotations

from dataclasses import dataclass

from forms import csc as _csc_mod
from forms import sf36 as _sf36

RAND_ALGORITHM = _sf36.RAND36_ALGORITHM
SF36_ALGORITHM = _sf36.SF36V1_ALGORITHM
CSC_ALGORITHM = _csc_mod.ALGORITHM_ID

SCALES = {
    "pf": "Physical functioning", "rp": "Role limitations (physical)", "bp": "Bodily pain",
    "gh": "General health", "vt": "Energy/fatigue (vitality)", "sf": "Social functioning",
    "re": "Role limitations (emotional)", "mh": "Emotional well-being (mental health)",
}


@dataclass(frozen=True)
class ScoreDef:
    name: str                 # export column / variable name
    key: str                  # key in the stored score values of ``algorithm``
    label: str
    type: str                 # "float" | "integer" | "text" | "boolean"
    algorithm: str
    instrument: str
    minimum: float | None = None
    maximum: float | None = None
    codes: tuple[tuple[str, str], ...] = ()   # for text scores with a fixed vocabulary


def _rand36() -> list[ScoreDef]:
    """Keys are forms.sf36's own (``score_all`` returns them): RAND_KEYS then SF36_KEYS."""
    out: list[ScoreDef] = []
    for key in _sf36.RAND_KEYS + _sf36.SF36_KEYS:
        algo = _sf36.ALGORITHM_OF_KEY[key]
        prefix, _, rest = key.partition("_")
        scale, _, t = rest.partition("_")
        if key == "rand_ht":
            label, lo, hi = "RAND-36 health change, item 2 recoded (0-100)", 0, 100
        elif scale in ("pcs", "mcs"):
            kind = "physical" if scale == "pcs" else "mental"
            label, lo, hi = (f"SF-36 {kind} component summary (T-score, 1990 US norms)",
                             None, None)
        elif t == "t":
            label, lo, hi = f"SF-36 {SCALES[scale]} T-score (1990 US norms)", None, None
        elif prefix == "rand":
            label, lo, hi = f"RAND-36 {SCALES[scale]} (0-100, RAND scoring)", 0, 100
        else:
            label, lo, hi = f"SF-36 v1 {SCALES[scale]} (0-100, standard scoring)", 0, 100
        out.append(ScoreDef(key, key, label, "float", algo, "rand36", lo, hi))
    return out


def _csc() -> list[ScoreDef]:
    a, i = CSC_ALGORITHM, "csc"
    return [
        ScoreDef("csc_rss", "rss", "CSC registered symptom score C1-C4 (0-16, prorated)", "float",
                 a, i, 0, 16),
        ScoreDef("csc_tsb", "tsb", "CSC total symptom burden (0-100)", "float", a, i, 0, 100),
        ScoreDef("csc_nmod", "nmod", "CSC number of scored symptoms moderate or worse", "integer",
                 a, i, 0, 12),
        ScoreDef("csc_alert", "alert", "CSC alert level (warning signs; core symptom worse by >= 2)",
                 "text", a, i, codes=(("red", "Red alert"), ("amber", "Amber alert"))),
        ScoreDef("csc_rss_change", "rss_change", "CSC RSS change from baseline", "float", a, i,
                 -16, 16),
        ScoreDef("csc_tsb_change", "tsb_change", "CSC TSB change from baseline", "float", a, i,
                 -100, 100),
        ScoreDef("csc_responder_exploratory", "responder_exploratory",
                 "CSC responder (exploratory): dRSS <= -2 and dTSB <= -10, no core symptom worse "
                 "by >= 2", "boolean", a, i),
    ]


SCORE_DEFS: dict[str, tuple[ScoreDef, ...]] = {"rand36": tuple(_rand36()), "csc": tuple(_csc())}


def score_defs(instrument_id: str) -> tuple[ScoreDef, ...]:
    """Score columns of an instrument (empty for an instrument without a scoring module)."""
    return SCORE_DEFS.get(instrument_id, ())


def algorithms(instrument_id: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in score_defs(instrument_id):
        seen.setdefault(s.algorithm)
    return tuple(seen)


def algorithm_version_column(algorithm: str) -> str:
    """Column holding the stored version of an algorithm: ``rand36_1_0_version``."""
    return "".join(c if c.isalnum() else "_" for c in algorithm.lower()) + "_version"
