"""Generic item scoring that an instrument file selects as data (no code per instrument).

An instrument file may carry a ``scoring`` object::

    "scoring": {
      "algorithm": "fat5-1.0", "version": "1.0",
      "name": {"en": "FAT-5 sum score", "zh_CN": "…"},
      "scores": [
        {"key": "total", "method": "sum", "items": ["F1", "F2", "F3", "F4", "F5"],
         "min_answered": 4, "prorate": true, "values": {"F5": {"0": 4, "4": 0}},
         "label": {"en": "Fatigue total (0-20)", "zh_CN": "…"}, "type": "float",
         "min": 0, "max": 20, "unit": "points", "higher_is_better": false, "mid": 2}
      ],
      "alerts": [{"item": "F1", "op": ">=", "value": 4, "level": "amber"}]
    }

``method`` is ``sum`` or ``mean`` of the answered items' values (the precode unless ``values``
maps it); fewer than ``min_answered`` answered items gives ``None`` (not computable, never 0);
``prorate`` scales a sum to all items (``mean * n``). ``count`` counts answered items whose
value is ``>= at_least``. Alerts: the highest level whose rule holds (``red`` over ``amber``),
stored as ``alert`` with ``alert_reasons`` (``"F1>=4"``). Standard library only.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Mapping

from forms import alerts
from forms.alerts import AlertFinding
from forms.errors import InstrumentError

METHODS = ("sum", "mean", "count")
ALERT_LEVELS = alerts.SEVERITIES
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
        "==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True)
class ItemScore:
    key: str
    method: str
    items: tuple[str, ...]
    min_answered: int
    prorate: bool = False
    values: Mapping[str, Mapping[int, float]] | None = None
    at_least: float | None = None

    def value(self, item: str, code: int) -> float:
        table = (self.values or {}).get(item)
        return float(table[code]) if table and code in table else float(code)

    def compute(self, codes: Mapping[str, int | None]) -> float | int | None:
        got = [self.value(i, c) for i in self.items
               if isinstance(c := codes.get(i), int) and not isinstance(c, bool)]
        if len(got) < self.min_answered or not got:
            return None
        if self.method == "count":
            return sum(1 for v in got if v >= (self.at_least or 0))
        mean = sum(got) / len(got)
        if self.method == "mean":
            return mean
        return mean * len(self.items) if self.prorate else sum(got)


@dataclass(frozen=True)
class AlertRule:
    item: str
    op: str
    value: float
    level: str

    def holds(self, codes: Mapping[str, int | None]) -> bool:
        c = codes.get(self.item)
        return c is not None and _OPS[self.op](c, self.value)

    def finding(self, codes: Mapping[str, int | None]) -> AlertFinding | None:
        """The structured warning sign when the rule holds (``forms.alerts``)."""
        if not self.holds(codes):
            return None
        return AlertFinding(self.level, alerts.ANSWER_THRESHOLD, self.item,
                            {"code": codes[self.item], "op": self.op,  # type: ignore[dict-item]
                             "value": self.value})

    @property
    def reason(self) -> str:
        return f"{self.item}{self.op}{self.value:g}"


@dataclass(frozen=True)
class ItemScoring:
    """A data-defined scorer: ``score(codes)`` -> ``{algorithm: values}``."""
    algorithm: str
    version: str
    scores: tuple[ItemScore, ...]
    alerts: tuple[AlertRule, ...] = ()

    def score(self, codes: Mapping[str, int | None]) -> dict[str, dict[str, Any]]:
        values: dict[str, Any] = {s.key: s.compute(codes) for s in self.scores}
        if self.alerts:
            found = self.findings(codes)
            values["alert"] = alerts.level_of(found)
            values["alert_reasons"] = [f.code for f in found]
        return {self.algorithm: values}

    def findings(self, codes: Mapping[str, int | None],
                 previous: Mapping[str, int | None] | None = None) -> tuple[AlertFinding, ...]:
        """Every alert rule that holds, as structured findings (``previous`` is not used)."""
        return tuple(f for f in (r.finding(codes) for r in self.alerts) if f is not None)


def parse_scoring(data: Mapping[str, Any], item_ids: tuple[str, ...], where: str) -> ItemScoring:
    """Validate the ``scoring`` object of an instrument file (errors name the path)."""
    w = f"{where}: scoring"
    if not isinstance(data, Mapping):
        raise InstrumentError(f"{w}: must be an object")
    for key in ("algorithm", "scores"):
        if key not in data:
            raise InstrumentError(f"{w}: missing required field '{key}'")
    scores = []
    for n, sd in enumerate(data["scores"]):
        sw = f"{w}.scores[{n}]"
        if not isinstance(sd, Mapping) or not isinstance(sd.get("key"), str):
            raise InstrumentError(f"{sw}: needs a 'key'")
        if sd.get("method") not in METHODS:
            raise InstrumentError(f"{sw}.method: one of {', '.join(METHODS)}")
        items = tuple(sd.get("items") or ())
        unknown = [i for i in items if i not in item_ids]
        if not items or unknown:
            raise InstrumentError(f"{sw}.items: unknown or no items {unknown}")
        min_answered = int(sd.get("min_answered", len(items)))
        if not 1 <= min_answered <= len(items):
            raise InstrumentError(f"{sw}.min_answered: between 1 and {len(items)}")
        try:
            values = {i: {int(c): float(v) for c, v in t.items()}
                      for i, t in (sd.get("values") or {}).items()}
        except (AttributeError, TypeError, ValueError):
            raise InstrumentError(f"{sw}.values: item -> {{code: value}}") from None
        scores.append(ItemScore(sd["key"], sd["method"], items, min_answered,
                                bool(sd.get("prorate", False)), values or None,
                                sd.get("at_least")))
    if len({s.key for s in scores}) != len(scores):
        raise InstrumentError(f"{w}.scores: duplicate keys")
    alerts = []
    for n, ad in enumerate(data.get("alerts") or ()):
        aw = f"{w}.alerts[{n}]"
        if not isinstance(ad, Mapping) or ad.get("item") not in item_ids \
                or ad.get("op") not in _OPS or ad.get("level") not in ALERT_LEVELS \
                or not isinstance(ad.get("value"), (int, float)):
            raise InstrumentError(f"{aw}: needs item (an item id), op, value and level "
                                  f"({'/'.join(ALERT_LEVELS)})")
        alerts.append(AlertRule(ad["item"], ad["op"], float(ad["value"]), ad["level"]))
    return ItemScoring(str(data["algorithm"]), str(data.get("version", "1.0")), tuple(scores),
                       tuple(alerts))
