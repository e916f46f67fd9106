"""Scoring of the RAND 36-Item Health Survey 1.0 / SF-36 v1 (spec: shared/spec/sf36.md).

Two scorings of the same 36 answers, always both computed, never mixed:

* RAND-36 1.0 (``rand_*``, algorithm ``rand36-1.0``, sf36.md section 2): items recoded to 0-100,
  scale = mean of the answered items' recodes (one answered item suffices); item 2 recoded too
  (``rand_ht``).
* SF-36 v1 standard (``sf36_*``, algorithm ``sf36v1-ware1993-norms1990``, sections 3-4): final item
  values (item 1 and 21 recalibrated, item 22 depending on item 21), the half rule with
  person-mean imputation, 0-100 transform, T-scores and PCS/MCS with the 1990 US norms.

Answers are ``{RAND item number 1..36: precode or None}`` (``"q7"`` keys are accepted too). A code
outside the item's options (or not an ``int``) counts as missing; :func:`invalid_answers` names
them so callers can report them. Full float precision, no rounding, no clamping.

The batch command uses the column-wise fast path in ``forms/sf36_batch.py``, which is built from
the functions here and tested against them.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

RAND36_ALGORITHM = "rand36-1.0"
SF36V1_ALGORITHM = "sf36v1-ware1993-norms1990"
INSTRUMENT_ID = "rand36"
INSTRUMENT_VERSION = "1.0"

ITEMS = tuple(range(1, 37))
SCALES = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")
SCALE_ITEMS: dict[str, tuple[int, ...]] = {
    "pf": (3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    "rp": (13, 14, 15, 16),
    "bp": (21, 22),
    "gh": (1, 33, 34, 35, 36),
    "vt": (23, 27, 29, 31),
    "sf": (20, 32),
    "re": (17, 18, 19),
    "mh": (24, 25, 26, 28, 30),
}
HEALTH_CHANGE_ITEM = 2
_SCALE_ITEM_ORDER = tuple(i for s in SCALE_ITEMS.values() for i in s)

# --- RAND Table 1: precode -> 0-100 recode (sf36.md 2.1) ---------------------------------------
_DOWN5 = {1: 100.0, 2: 75.0, 3: 50.0, 4: 25.0, 5: 0.0}
_UP3 = {1: 0.0, 2: 50.0, 3: 100.0}
_UP2 = {1: 0.0, 2: 100.0}
_DOWN6 = {1: 100.0, 2: 80.0, 3: 60.0, 4: 40.0, 5: 20.0, 6: 0.0}
_UP6 = {1: 0.0, 2: 20.0, 3: 40.0, 4: 60.0, 5: 80.0, 6: 100.0}
_UP5 = {1: 0.0, 2: 25.0, 3: 50.0, 4: 75.0, 5: 100.0}

RAND_RECODE: dict[int, dict[int, float]] = {}
for _items, _table in (((1, 2, 20, 22, 34, 36), _DOWN5), (range(3, 13), _UP3),
                       (range(13, 20), _UP2), ((21, 23, 26, 27, 30), _DOWN6),
                       ((24, 25, 28, 29, 31), _UP6), ((32, 33, 35), _UP5)):
    for _i in _items:
        RAND_RECODE[_i] = _table
RAND_RECODE = {i: RAND_RECODE[i] for i in ITEMS}

VALID_CODES: dict[int, frozenset[int]] = {i: frozenset(RAND_RECODE[i]) for i in ITEMS}

# --- SF-36 v1 final item values (sf36.md 3.1); item 22 is handled by ware_final_values() ------
_AS_IS = {n: {c: float(c) for c in range(1, n + 1)} for n in (2, 3, 5, 6)}
_REV5 = {c: float(6 - c) for c in range(1, 6)}
_REV6 = {c: float(7 - c) for c in range(1, 7)}
WARE_FINAL: dict[int, dict[int, float]] = {
    1: {1: 5.0, 2: 4.4, 3: 3.4, 4: 2.0, 5: 1.0},
    **{i: _AS_IS[3] for i in range(3, 13)},
    **{i: _AS_IS[2] for i in range(13, 20)},
    20: _REV5,
    21: {1: 6.0, 2: 5.4, 3: 4.2, 4: 3.1, 5: 2.2, 6: 1.0},
    **{i: _REV6 for i in (23, 26, 27, 30)},
    **{i: _AS_IS[6] for i in (24, 25, 28, 29, 31)},
    32: _AS_IS[5], 33: _AS_IS[5], 35: _AS_IS[5],
    34: _REV5, 36: _REV5,
}
WARE_22_IF_21_NONE = {1: 6.0, 2: 4.0, 3: 3.0, 4: 2.0, 5: 1.0}        # item 21 answered 1
WARE_22_IF_21_PAIN = {1: 5.0, 2: 4.0, 3: 3.0, 4: 2.0, 5: 1.0}        # item 21 answered 2..6
WARE_22_IF_21_MISSING = {1: 6.0, 2: 4.75, 3: 3.5, 4: 2.25, 5: 1.0}   # item 21 missing

# Half rule: minimum answered items (3.2); raw lowest and range (3.3).
WARE_MIN_ANSWERED = {"pf": 5, "rp": 2, "bp": 1, "gh": 3, "vt": 2, "sf": 1, "re": 2, "mh": 3}
WARE_RAW_LOWEST_RANGE = {"pf": (10.0, 20.0), "rp": (4.0, 4.0), "bp": (2.0, 10.0),
                         "gh": (5.0, 20.0), "vt": (4.0, 20.0), "sf": (2.0, 8.0),
                         "re": (3.0, 3.0), "mh": (5.0, 25.0)}

# 1990 US general-population norms and factor-score coefficients (4.1).
NORMS_1990 = {"pf": (84.52404, 22.89490), "rp": (81.19907, 33.79729),
              "bp": (75.49196, 23.55879), "gh": (72.21316, 20.16964),
              "vt": (61.05453, 20.86942), "sf": (83.59753, 22.37642),
              "re": (81.29467, 33.02717), "mh": (74.84212, 18.01189)}
PCS_COEF = {"pf": 0.42402, "rp": 0.35119, "bp": 0.31754, "gh": 0.24954,
            "vt": 0.02877, "sf": -0.00753, "re": -0.19206, "mh": -0.22069}
MCS_COEF = {"pf": -0.22999, "rp": -0.12329, "bp": -0.09731, "gh": -0.01571,
            "vt": 0.23534, "sf": 0.26876, "re": 0.43407, "mh": 0.48581}

RAND_KEYS = tuple(f"rand_{s}" for s in SCALES) + ("rand_ht",)
SF36_SCALE_KEYS = tuple(f"sf36_{s}" for s in SCALES)
SF36_T_KEYS = tuple(f"sf36_{s}_t" for s in SCALES)
SF36_KEYS = SF36_SCALE_KEYS + ("sf36_pcs", "sf36_mcs") + SF36_T_KEYS
ALGORITHM_OF_KEY = {**{k: RAND36_ALGORITHM for k in RAND_KEYS},
                    **{k: SF36V1_ALGORITHM for k in SF36_KEYS}}

BATCH_INPUT_COLUMNS = tuple(f"q{i}" for i in ITEMS)
BATCH_OUTPUT_COLUMNS = ("id",) + RAND_KEYS + SF36_KEYS

Answers = Mapping[int, "int | None"] | Mapping[str, "int | None"]


def _item_number(key: object) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key[:1] in ("q", "Q") and key[1:].isdigit():
        return int(key[1:])
    return None


def _is_valid(item: int, code: object) -> bool:
    return (isinstance(code, int) and not isinstance(code, bool)
            and code in VALID_CODES[item])


def invalid_answers(answers: Answers) -> dict[int, object]:
    """``{item: value}`` of answers that are given but not a valid precode (scored as missing)."""
    out: dict[int, object] = {}
    for key, code in answers.items():
        item = _item_number(key)
        if item in VALID_CODES and code is not None and not _is_valid(item, code):
            out[item] = code
    return out


def clean_answers(answers: Answers) -> dict[int, int | None]:
    """All 36 items -> valid precode or None (absent, None and invalid codes are all missing)."""
    out: dict[int, int | None] = dict.fromkeys(ITEMS)
    for key, code in answers.items():
        item = _item_number(key)
        if item in VALID_CODES and _is_valid(item, code):
            out[item] = code
    return out


# --- RAND-36 -------------------------------------------------------------------------------------

def rand_scale(scale: str, clean: Mapping[int, int | None]) -> float | None:
    """Mean of the answered items' 0-100 recodes; None when no item of the scale is answered."""
    values = [RAND_RECODE[i][clean[i]] for i in SCALE_ITEMS[scale] if clean.get(i) is not None]
    if not values:
        return None
    return math.fsum(values) / len(values)


def score_rand36(answers: Answers) -> dict[str, float | None]:
    """RAND-36 1.0 scores: ``rand_pf … rand_mh`` and ``rand_ht`` (item 2 recoded 0-100)."""
    clean = clean_answers(answers)
    out: dict[str, float | None] = {f"rand_{s}": rand_scale(s, clean) for s in SCALES}
    ht = clean[HEALTH_CHANGE_ITEM]
    out["rand_ht"] = None if ht is None else RAND_RECODE[HEALTH_CHANGE_ITEM][ht]
    return out


# --- SF-36 v1 standard (Ware) --------------------------------------------------------------------

def ware_item_value(item: int, code: int, code21: int | None = None) -> float:
    """Final value of one valid answer (sf36.md 3.1); item 22 needs item 21's code (or None)."""
    if item == 22:
        table = (WARE_22_IF_21_MISSING if code21 is None
                 else WARE_22_IF_21_NONE if code21 == 1 else WARE_22_IF_21_PAIN)
        return table[code]
    return WARE_FINAL[item][code]


def ware_final_values(clean: Mapping[int, int | None],
                      items: tuple[int, ...] | None = None) -> dict[int, float | None]:
    """Final item values of the scale items (all 35, or ``items``); None = missing."""
    c21 = clean.get(21)
    out: dict[int, float | None] = {}
    for i in items if items is not None else _SCALE_ITEM_ORDER:
        code = clean.get(i)
        out[i] = None if code is None else ware_item_value(i, code, c21)
    return out


def ware_scale_from_finals(scale: str, finals: Mapping[int, float | None]) -> float | None:
    """Half rule with person-mean imputation, then (raw - lowest) / range * 100."""
    items = SCALE_ITEMS[scale]
    answered = [finals[i] for i in items if finals.get(i) is not None]
    if len(answered) < WARE_MIN_ANSWERED[scale]:
        return None
    total = math.fsum(answered)
    person_mean = total / len(answered)
    raw = total + (len(items) - len(answered)) * person_mean
    lowest, span = WARE_RAW_LOWEST_RANGE[scale]
    return (raw - lowest) / span * 100.0


def ware_scale(scale: str, clean: Mapping[int, int | None]) -> float | None:
    """SF-36 v1 0-100 score of one scale from cleaned answers."""
    return ware_scale_from_finals(scale, ware_final_values(clean, SCALE_ITEMS[scale]))


def z_score(scale: str, value: float) -> float:
    mean, sd = NORMS_1990[scale]
    return (value - mean) / sd


def t_score(scale: str, value: float | None) -> float | None:
    """Norm-based scale score 50 + 10 z (1990 US norms); None stays None."""
    return None if value is None else 50.0 + 10.0 * z_score(scale, value)


def summary_from_parts(pcs_parts: list[float], mcs_parts: list[float]) -> tuple[float, float]:
    """PCS/MCS from the per-scale products z*coefficient (exactly rounded sums: any order)."""
    return 50.0 + 10.0 * math.fsum(pcs_parts), 50.0 + 10.0 * math.fsum(mcs_parts)


def summary_scores(scales: Mapping[str, float | None]) -> tuple[float | None, float | None]:
    """PCS and MCS (1990 norms) from the eight Ware 0-100 scales; None unless all 8 present."""
    if any(scales.get(s) is None for s in SCALES):
        return None, None
    zs = {s: z_score(s, scales[s]) for s in SCALES}  # type: ignore[arg-type]
    return summary_from_parts([zs[s] * PCS_COEF[s] for s in SCALES],
                              [zs[s] * MCS_COEF[s] for s in SCALES])


def score_sf36v1(answers: Answers) -> dict[str, float | None]:
    """SF-36 v1 standard scores: ``sf36_pf … sf36_mh``, ``sf36_pcs``, ``sf36_mcs``, ``sf36_*_t``."""
    finals = ware_final_values(clean_answers(answers))
    scales = {s: ware_scale_from_finals(s, finals) for s in SCALES}
    pcs, mcs = summary_scores(scales)
    out: dict[str, float | None] = {f"sf36_{s}": scales[s] for s in SCALES}
    out["sf36_pcs"] = pcs
    out["sf36_mcs"] = mcs
    out.update({f"sf36_{s}_t": t_score(s, scales[s]) for s in SCALES})
    return out


def score_all(answers: Answers) -> dict[str, float | None]:
    """Both scorings; keys in batch output order (``BATCH_OUTPUT_COLUMNS`` without ``id``)."""
    return {**score_rand36(answers), **score_sf36v1(answers)}


def score_batch_row(codes: Mapping[str, int | None]) -> dict[str, object]:
    """Batch hook: ``{"q1": code, …}`` -> every output column except ``id``."""
    return dict(score_all(codes))


# Batch fast path (``forms.batch``): the module whose ``score_columns(columns, n_rows)`` scores
# ``{"q1": cells, …}`` (cells ``""`` or a valid precode as text) column-wise into
# BATCH_OUTPUT_COLUMNS[1:]. It builds on this module, so it is named here, not imported.
BATCH_COLUMNS_MODULE = "forms.sf36_batch"
