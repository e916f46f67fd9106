"""Scoring of the Cirrhosis Symptom Checklist v1.0 (``csc``), exactly per ``symptoms.md`` §3.

Plain functions over ``{item id: precode or None}``. ``None`` means not answered (skipped or not
applicable); it is never counted as 0. Code 9 ("Not sure") exists only on yes/no items, which are
never scored; on a scored item it is an invalid code and raises :class:`CscCodeError`.

Exactness: prorated scores are computed from integers with a single true division
(``4*sum/n``, ``100*sum/(4*n)``), so each float is the correctly rounded value of the exact
rational. Changes from baseline are computed from the exact rationals too (``fractions``), then
rounded once.

Decisions where the spec is silent (documented, tested):
- NMOD is ``None`` when no scored item is answered (not computable); otherwise it counts the
  answered scored items coded >= 2 (no minimum number answered).
- "Change per item" and the per-symptom categories cover the 12 scored items I.
- Responder (exploratory) compares with BASELINE: ΔRSS <= -2 and ΔTSB <= -10 and no core item
  C1-C4 with (now - baseline) >= 2 among the core items answered at both visits. ``None`` when
  ΔRSS or ΔTSB is not computable.
- Amber for worsening compares with the PREVIOUS visit (which may be the baseline visit); a core
  item counts only when answered at both visits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

from forms import alerts
from forms.alerts import AlertFinding

ALGORITHM_ID = "csc-1.0"
INSTRUMENT_ID = "csc"
INSTRUMENT_VERSION = "1.0"

CORE_ITEMS = ("C1", "C2", "C3", "C4")
SCORED_ITEMS = CORE_ITEMS + ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8")
ALERT_ITEMS = ("A1", "A2", "A3", "A4", "A5", "A6", "A7")
ITEM_IDS = ("C1", "C2", "C2b", "C3", "C4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8",
            "P1", "P2", "G1", "G2") + ALERT_ITEMS

_ZERO_TO_FOUR = frozenset(range(5))
_YN3 = frozenset({0, 1, 9})
_PGIC7 = frozenset(range(1, 8))
VALID_CODES: dict[str, frozenset[int]] = {
    **{i: _ZERO_TO_FOUR for i in SCORED_ITEMS + ("C2b", "G1")},
    **{i: _YN3 for i in ("P1", "P2") + ALERT_ITEMS},
    "G2": _PGIC7,
}
VALID_CODES = {i: VALID_CODES[i] for i in ITEM_IDS}  # instrument order

RSS_MIN_ANSWERED = 3
TSB_MIN_ANSWERED = 9
YES, NOT_SURE = 1, 9
RED, AMBER, NO_ALERT = "red", "amber", ""

BATCH_INPUT_COLUMNS = ITEM_IDS
BATCH_OUTPUT_COLUMNS = ("id", "rss", "tsb", "nmod", "alert")


class CscCodeError(ValueError):
    """A code that is not in the item's response set (``item`` names the field)."""

    def __init__(self, item: str, value: object) -> None:
        super().__init__(f"{item}: invalid code {value!r} (allowed: "
                         f"{', '.join(str(c) for c in sorted(VALID_CODES[item]))} or empty)")
        self.item = item
        self.value = value


def validate(codes: Mapping[str, int | None]) -> dict[str, int | None]:
    """Return ``{item: code or None}`` for all 24 items; raise CscCodeError on a bad code.

    Keys that are not CSC item ids are ignored; absent items are None (not answered).
    """
    out: dict[str, int | None] = {}
    for item in ITEM_IDS:
        v = codes.get(item)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)
                              or v not in VALID_CODES[item]):
            raise CscCodeError(item, v)
        out[item] = v
    return out


@dataclass(frozen=True)
class CscScores:
    """Scores of one administration (no comparison with other visits)."""
    rss: float | None
    tsb: float | None
    nmod: int | None
    rss_answered: int
    tsb_answered: int
    alert_yes: tuple[str, ...]       # A-items answered 1 (Yes)  -> red
    alert_not_sure: tuple[str, ...]  # A-items answered 9 (Not sure) -> amber
    rss_exact: Fraction | None = field(default=None, repr=False, compare=False)
    tsb_exact: Fraction | None = field(default=None, repr=False, compare=False)
    algorithm: str = ALGORITHM_ID


def _rss_exact(c: Mapping[str, int | None]) -> Fraction | None:
    vals = [c[i] for i in CORE_ITEMS if c[i] is not None]
    if len(vals) < RSS_MIN_ANSWERED:
        return None
    return Fraction(4 * sum(vals), len(vals))  # type: ignore[arg-type]


def _tsb_exact(c: Mapping[str, int | None]) -> Fraction | None:
    vals = [c[i] for i in SCORED_ITEMS if c[i] is not None]
    if len(vals) < TSB_MIN_ANSWERED:
        return None
    return Fraction(100 * sum(vals), 4 * len(vals))  # type: ignore[arg-type]


def _float(x: Fraction | None) -> float | None:
    # Fraction -> float is correctly rounded (same as int / int true division).
    return None if x is None else float(x)


def score_visit(codes: Mapping[str, int | None]) -> CscScores:
    """RSS, TSB, NMOD and the A-item alerts of one administration."""
    c = validate(codes)
    scored = [c[i] for i in SCORED_ITEMS if c[i] is not None]
    rss, tsb = _rss_exact(c), _tsb_exact(c)
    return CscScores(
        rss=_float(rss), tsb=_float(tsb),
        nmod=sum(1 for v in scored if v >= 2) if scored else None,  # type: ignore[operator]
        rss_answered=sum(1 for i in CORE_ITEMS if c[i] is not None),
        tsb_answered=len(scored),
        alert_yes=tuple(i for i in ALERT_ITEMS if c[i] == YES),
        alert_not_sure=tuple(i for i in ALERT_ITEMS if c[i] == NOT_SURE),
        rss_exact=rss, tsb_exact=tsb)


# --- comparison with other visits ------------------------------------------------------------

RESOLVED, IMPROVED, STABLE, WORSENED, ABSENT = "resolved", "improved", "stable", "worsened", "absent"


def symptom_category(baseline: int | None, now: int | None) -> str | None:
    """Per-symptom category at a follow-up visit; None when either value is missing."""
    if baseline is None or now is None:
        return None
    if now > baseline:
        return WORSENED
    if baseline == 0:  # and now == 0
        return ABSENT
    if now == 0:
        return RESOLVED
    if now <= baseline - 1:
        return IMPROVED
    return STABLE


def _diff(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def core_worsened(now: Mapping[str, int | None], before: Mapping[str, int | None],
                  by: int = 2) -> tuple[str, ...]:
    """Core items C1-C4 answered at both visits whose value rose by ``by`` points or more."""
    n, b = validate(now), validate(before)
    return tuple(i for i in CORE_ITEMS if (d := _diff(n[i], b[i])) is not None and d >= by)


@dataclass(frozen=True)
class CscChange:
    """Change from baseline (current minus baseline; negative = better)."""
    item_change: dict[str, int | None]
    categories: dict[str, str | None]
    rss_change: float | None
    tsb_change: float | None
    responder: bool | None  # EXPLORATORY responder definition, see module docstring


def change_from_baseline(current: Mapping[str, int | None],
                         baseline: Mapping[str, int | None]) -> CscChange:
    cur, base = validate(current), validate(baseline)
    s_cur, s_base = score_visit(cur), score_visit(base)
    d_rss = (None if s_cur.rss_exact is None or s_base.rss_exact is None
             else s_cur.rss_exact - s_base.rss_exact)
    d_tsb = (None if s_cur.tsb_exact is None or s_base.tsb_exact is None
             else s_cur.tsb_exact - s_base.tsb_exact)
    responder: bool | None
    if d_rss is None or d_tsb is None:
        responder = None
    else:
        responder = d_rss <= -2 and d_tsb <= -10 and not core_worsened(cur, base)
    return CscChange(
        item_change={i: _diff(cur[i], base[i]) for i in SCORED_ITEMS},
        categories={i: symptom_category(base[i], cur[i]) for i in SCORED_ITEMS},
        rss_change=_float(d_rss), tsb_change=_float(d_tsb), responder=responder)


@dataclass(frozen=True)
class CscAlert:
    level: str                  # "red", "amber" or ""
    reasons: tuple[str, ...]    # machine-readable: "A3=yes", "A5=not_sure", "C2+2_vs_previous"


def alert_findings(current: Mapping[str, int | None],
                   previous: Mapping[str, int | None] | None = None) -> tuple[AlertFinding, ...]:
    """The warning signs of one administration: every A-item answered Yes (red) or Not sure
    (amber), and every core symptom that rose >= 2 points since the previous visit (amber)."""
    s = score_visit(current)
    out = [AlertFinding(RED, alerts.WARNING_SIGN_YES, i, {"code": YES}) for i in s.alert_yes]
    out += [AlertFinding(AMBER, alerts.WARNING_SIGN_UNSURE, i, {"code": NOT_SURE})
            for i in s.alert_not_sure]
    if previous is not None:
        cur, prev = validate(current), validate(previous)
        out += [AlertFinding(AMBER, alerts.CORE_WORSENED, i,
                             {"previous": prev[i], "now": cur[i]})  # type: ignore[dict-item]
                for i in core_worsened(cur, prev)]
    return tuple(out)


def alert_level(current: Mapping[str, int | None],
                previous: Mapping[str, int | None] | None = None) -> CscAlert:
    """Red if any A-item is Yes; amber if any A-item is Not sure or a core symptom rose >= 2
    points since the previous visit; otherwise no alert (from ``alert_findings``)."""
    found = alert_findings(current, previous)
    return CscAlert(alerts.level_of(found) or NO_ALERT, tuple(f.code for f in found))


@dataclass(frozen=True)
class CscResult:
    scores: CscScores
    alert: CscAlert
    change: CscChange | None  # None at baseline (no baseline given)
    algorithm: str = ALGORITHM_ID
    instrument_id: str = INSTRUMENT_ID
    instrument_version: str = INSTRUMENT_VERSION

    def values(self) -> dict[str, object]:
        """Flat, JSON-serialisable values for storage (floats at full precision)."""
        s, ch = self.scores, self.change
        out: dict[str, object] = {
            "rss": s.rss, "tsb": s.tsb, "nmod": s.nmod, "rss_answered": s.rss_answered,
            "tsb_answered": s.tsb_answered, "alert": self.alert.level,
            "alert_reasons": list(self.alert.reasons)}
        if ch is not None:
            out.update({"rss_change": ch.rss_change, "tsb_change": ch.tsb_change,
                        "responder_exploratory": ch.responder,
                        "item_change": dict(ch.item_change), "category": dict(ch.categories)})
        return out


def score_csc(current: Mapping[str, int | None], *,
              baseline: Mapping[str, int | None] | None = None,
              previous: Mapping[str, int | None] | None = None) -> CscResult:
    """Everything for one administration: scores, alert (vs previous visit) and, at a
    follow-up visit, change from baseline with categories and the exploratory responder flag."""
    return CscResult(
        scores=score_visit(current), alert=alert_level(current, previous),
        change=None if baseline is None else change_from_baseline(current, baseline))


def score_batch_row(codes: Mapping[str, int | None]) -> dict[str, object]:
    """Hook for ``main.py score --instrument csc``: rss, tsb, nmod, alert of one CSV row.

    No previous visit in batch, so the alert comes from the A-items only. Raises CscCodeError
    (a ValueError with ``.item``) for a code outside the item's response set.
    """
    s = score_visit(codes)
    return {"rss": s.rss, "tsb": s.tsb, "nmod": s.nmod,
            "alert": RED if s.alert_yes else AMBER if s.alert_not_sure else NO_ALERT}
