"""The kinds of eligibility rule a protocol file may use (protocol.md §3), as code.

A protocol file names, for each criterion, an id, its texts, a rule kind and the rule's
parameters (``{"rule": "age_range", "params": {"min": 18, "max": 70}}``): ids, texts and numbers
are data, what a kind *means* is here, so another protocol reuses the kinds with other ids and
parameters. This module sits below both :mod:`forms.protocol` (which checks parameters when a
file is loaded) and :mod:`forms.screening` (which evaluates), so neither imports the other's
internals.

Every rule is three-valued: it returns True (met), False (not met) or None (undecided), and an
unknown input (``None``) leaves a criterion undecided only if its value could change the outcome.
For an exclusion, "met" means "does not apply". Stdlib only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping

# Inputs of a screening (names of :class:`forms.screening.ScreeningInputs` fields). An exclusion's
# input is named ``exclusions.<criterion id>``.
DATE_INPUTS = ("screening_date", "birth_date", "consent_date")
BOOL_INPUTS = ("decompensated", "life_expectancy_over_2_months", "hbv", "antiviral")
SCORE_INPUTS = ("child_pugh", "meld")
EXCLUSION_PREFIX = "exclusions."
# Plausible ranges of the computed scores (Child-Pugh 5-15 points; original UNOS MELD 6-40).
SCORE_RANGES: Mapping[str, tuple[int, int]] = {"child_pugh": (5, 15), "meld": (6, 40)}
DECOMPENSATION_KINDS = ("ascites", "variceal_bleeding", "encephalopathy", "jaundice")

Value = Callable[[str], Any]   # input name -> its value, None when not known


def age_in_years(birth: date, on: date) -> int:
    """Completed years of age on ``on``.

    The age goes up on the birthday itself. Convention for 29 February in a common year: the
    birthday is 1 March -- the age only goes up once the full number of years has elapsed (on
    28 February the person is still one day short). This is the reading of "aged 18" that never
    counts anyone as 18 before 18 whole years have passed; it is what the month/day comparison
    below gives without a special case, and what the app used before (no result changes).
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _all3(*values: bool | None) -> bool | None:
    """Three-valued AND."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _any3(*values: bool | None) -> bool | None:
    """Three-valued OR."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


# --- parameter checks (each returns [(param path below "params", message)]) ----------------------

Problems = list[tuple[str, str]]


def _bad_int(v: Any, lo: int, hi: int) -> str | None:
    """Why ``v`` is not a whole number in [lo, hi], or None when it is."""
    if isinstance(v, bool) or not isinstance(v, int):
        return "expected a whole number"
    return None if lo <= v <= hi else f"must be between {lo} and {hi}"


def _int(params: Mapping[str, Any], key: str, lo: int, hi: int, out: Problems) -> int | None:
    why = _bad_int(params.get(key), lo, hi)
    if why:
        out.append((key, why))
        return None
    return params[key]


def _input(params: Mapping[str, Any], key: str, out: Problems) -> str | None:
    v = params.get(key)
    if v not in BOOL_INPUTS:
        out.append((key, f"must name a yes/no input ({', '.join(BOOL_INPUTS)})"))
        return None
    return v


def _check_age(params: Mapping[str, Any]) -> Problems:
    out: Problems = []
    lo, hi = _int(params, "min", 0, 150, out), _int(params, "max", 0, 150, out)
    if lo is not None and hi is not None and lo > hi:
        out.append(("min", "must not exceed max"))
    return out


def _check_scores(params: Mapping[str, Any]) -> Problems:
    out: Problems = []
    cp = params.get("child_pugh")
    if not (isinstance(cp, list) and len(cp) == 2):
        out.append(("child_pugh", "expected [lowest, highest] points"))
    else:
        lo, hi = SCORE_RANGES["child_pugh"]
        for i, v in enumerate(cp):
            if why := _bad_int(v, lo, hi):
                out.append((f"child_pugh[{i}]", why))
        if not any(k.startswith("child_pugh[") for k, _ in out) and cp[0] > cp[1]:
            out.append(("child_pugh", "lowest exceeds highest"))
    _int(params, "meld_max", *SCORE_RANGES["meld"], out)
    return out


def _check_yes(params: Mapping[str, Any]) -> Problems:
    out: Problems = []
    _input(params, "input", out)
    return out


def _check_conditional(params: Mapping[str, Any]) -> Problems:
    out: Problems = []
    a, b = _input(params, "if", out), _input(params, "then", out)
    if a is not None and a == b:
        out.append(("then", "must differ from 'if'"))
    return out


def _check_none(params: Mapping[str, Any]) -> Problems:
    return []


# --- decisions ----------------------------------------------------------------------------------

def _consent(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    consent, screening = value("consent_date"), value("screening_date")
    if consent is None or screening is None:
        return None
    return consent <= screening


def _age(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    birth, screening = value("birth_date"), value("screening_date")
    if birth is None or screening is None:
        return None
    return params["min"] <= age_in_years(birth, screening) <= params["max"]


def _scores(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    cp, meld = value("child_pugh"), value("meld")
    lo, hi = params["child_pugh"]
    cp_ok = None if cp is None else lo <= cp <= hi
    meld_ok = None if meld is None else meld <= params["meld_max"]
    return _all3(value("decompensated"), _any3(cp_ok, meld_ok))


def _yes(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    return value(params["input"])


def _conditional(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    cond = value(params["if"])
    return _any3(None if cond is None else not cond, value(params["then"]))


def _exclusion(cid: str, params: Mapping[str, Any], value: Value) -> bool | None:
    applies = value(EXCLUSION_PREFIX + cid)
    return None if applies is None else not applies


@dataclass(frozen=True)
class Rule:
    """One rule kind: which list may use it, its parameters, the inputs it reads, its decision."""
    used_for: str                                   # "inclusion" | "exclusion"
    params: tuple[str, ...]                         # allowed (and required) parameter names
    check: Callable[[Mapping[str, Any]], Problems]
    inputs: Callable[[str, Mapping[str, Any]], tuple[str, ...]]
    decide: Callable[[str, Mapping[str, Any], Value], bool | None]


RULES: Mapping[str, Rule] = {
    # consent date recorded and not after the screening date
    "consent_not_after_screening": Rule(
        "inclusion", (), _check_none, lambda c, p: ("consent_date", "screening_date"), _consent),
    # whole years at the screening date, min <= age <= max
    "age_range": Rule(
        "inclusion", ("min", "max"), _check_age, lambda c, p: ("birth_date", "screening_date"),
        _age),
    # decompensated = yes AND (child_pugh within [lo, hi] OR meld <= meld_max)
    "decompensated_with_scores": Rule(
        "inclusion", ("child_pugh", "meld_max"), _check_scores,
        lambda c, p: ("decompensated", "child_pugh", "meld"), _scores),
    # the named yes/no input is yes
    "yes": Rule("inclusion", ("input",), _check_yes, lambda c, p: (p["input"],), _yes),
    # 'if' = no, or 'then' = yes  (e.g. hbv -> antiviral)
    "conditional_yes": Rule(
        "inclusion", ("if", "then"), _check_conditional, lambda c, p: (p["if"], p["then"]),
        _conditional),
    # staff answer whether the exclusion applies (yes = applies = not met)
    "exclusion": Rule(
        "exclusion", (), _check_none, lambda c, p: (EXCLUSION_PREFIX + c,), _exclusion),
}
