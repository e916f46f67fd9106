"""The instrument registry: the ONE place that lists every instrument the app can give.

Discovered from the instrument files (``resources/instruments/*.json``, then the folders in
``$EPRO_INSTRUMENTS_DIR`` or given as ``extra_dirs``), merged with the small code table
``forms.registry_coded`` for instruments scored by code (RAND-36/SF-36, CSC). Each entry
(``InstrumentEntry``) carries the file's id, version, languages, title and credit, plus the
scorer, score definitions (key, label en/zh_CN, range, unit, higher-is-better, MID), export names
(SDTM prefix/category, REDCap/CSV prefix), the alert value, primary-scoring options, layout and
trend series. Storage, reports and screens loop over this registry; none of them names an
instrument.

A new instrument = one JSON file (+ its golden vectors in the tests), no code change: its
``scoring`` object selects the generic item scorer of ``forms.itemscore``; optional keys::

    "short_name": {"en": …, "zh_CN": …},  "order": 30,
    "export": {"column_prefix": "fat", "sdtm_prefix": "FAT", "sdtm_category": "…",
               "evlint": "-P7D"},
    "trend": ["total"],  "no_straightline_blocks": ["block id"]

and per item ``"short": {"en": …, "zh_CN": …}``: what staff call the question (alerts, the
PDF; ``item_label``), the question's text when absent — never its id.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from forms.errors import InstrumentError
from forms.instrument import (BASE_LANGUAGE, INSTRUMENTS_DIR_ENV, Instrument, _read_json,
                              available_instruments, instrument_dir_of, instrument_dirs,
                              load_instrument)
from forms.instrument_defs import (LAYOUTS, AlgorithmDef, ExportNames, InstrumentEntry,
                                   PrimaryScoring, ScoreDef, TrendDef)
from forms.itemscore import ItemScoring, parse_scoring
from forms.registry_coded import CODED, PRIMARY_SCORINGS

__all__ = ["DEFAULT_PRIMARY_SCORING", "LAYOUTS", "PRIMARY_SCORINGS", "PRIMARY_SCORING_IDS",
           "InstrumentEntry", "Registry", "ScoreDef", "item_label", "primary_scoring", "registry",
           "visit_battery"]

PRIMARY_SCORING_IDS = tuple(p.id for p in PRIMARY_SCORINGS)
DEFAULT_PRIMARY_SCORING = PRIMARY_SCORING_IDS[0]


def primary_scoring(setting: str | None) -> PrimaryScoring:
    """The primary-scoring option of a study setting (unknown/None -> the default)."""
    return next((p for p in PRIMARY_SCORINGS if p.id == setting), PRIMARY_SCORINGS[0])


class Registry:
    """Every registered instrument, iterated in id order (stable export order)."""

    def __init__(self, entries: Sequence[InstrumentEntry]) -> None:
        self._by_id = {e.id: e for e in sorted(entries, key=lambda e: e.id)}

    def __iter__(self) -> Iterator[InstrumentEntry]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self._by_id

    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, instrument_id: str) -> InstrumentEntry:
        try:
            return self._by_id[instrument_id]
        except KeyError:
            raise InstrumentError(f"unknown instrument '{instrument_id}' (registered: "
                                  f"{', '.join(self._by_id)})") from None

    def find(self, instrument_id: str) -> InstrumentEntry | None:
        return self._by_id.get(instrument_id)

    def default_battery(self) -> tuple[str, ...]:
        """Every instrument in its default order (``order``, then id)."""
        return tuple(e.id for e in sorted(self, key=lambda e: (e.order, e.id)))

    def with_layout(self, layout: str) -> tuple[InstrumentEntry, ...]:
        return tuple(e for e in self if e.layout == layout)

    def score_defs(self, instrument_id: str) -> tuple[ScoreDef, ...]:
        e = self.find(instrument_id)
        return e.scores if e is not None else ()

    def algorithms(self) -> dict[str, AlgorithmDef]:
        return {a.id: a for e in self for a in e.algorithms}

    def algorithm_version(self, algorithm: str) -> str:
        a = self.algorithms().get(algorithm)
        return a.version if a is not None else "1.0"

    def algorithm_name(self, algorithm: str, lang: str = BASE_LANGUAGE) -> str:
        a = self.algorithms().get(algorithm)
        if a is None:
            return algorithm
        return a.name.get(lang) or a.name.get(BASE_LANGUAGE) or algorithm


# ------------------------------------------------------------------------------ discovery
def _lang(v: Any, fallback: Mapping[str, str]) -> Mapping[str, str]:
    return dict(v) if isinstance(v, Mapping) and v.get(BASE_LANGUAGE) else dict(fallback)


def _data_scores(iid: str, prefix: str, raw: Mapping[str, Any], scoring: ItemScoring,
                 name: str) -> tuple[ScoreDef, ...]:
    out = []
    for n, (sd, sc) in enumerate(zip(raw.get("scores", ()), scoring.scores)):
        if not (isinstance(sd.get("label"), Mapping) and sd["label"].get(BASE_LANGUAGE)):
            # a score shown to staff needs words, never its internal key
            raise InstrumentError(f"{iid}.json: scoring.scores[{n}].label: needs an "
                                  f"'{BASE_LANGUAGE}' text")
        labels = dict(sd["label"])
        typ = sd.get("type") or ("integer" if sc.method == "count" else "float")
        out.append(ScoreDef(f"{prefix}_{sc.key}", sc.key, labels[BASE_LANGUAGE], typ,
                            scoring.algorithm, iid, sd.get("min"), sd.get("max"), labels=labels,
                            unit=sd.get("unit"), higher_is_better=sd.get("higher_is_better"),
                            mid=sd.get("mid")))
    if scoring.alerts:
        label = f"{name} alert level"
        out.append(ScoreDef(f"{prefix}_alert", "alert", label, "text", scoring.algorithm, iid,
                            codes=(("red", "Red alert"), ("amber", "Amber alert")),
                            labels={BASE_LANGUAGE: label}, shown=False))
    return tuple(out)


def _entry(iid: str, directory: Path) -> InstrumentEntry:
    inst: Instrument = load_instrument(iid, directory)
    raw = _read_json(directory / f"{iid}.json")
    where = f"{iid}.json"
    common: dict[str, Any] = dict(
        id=iid, version=inst.version, directory=directory, title=inst.title,
        languages=inst.languages, credit=inst.credit, n_items=len(inst.items),
        recall_period=inst.recall_period)
    coded = CODED.get(iid)
    if coded is not None:
        return InstrumentEntry(**common, **coded)
    exp = raw.get("export") or {}
    if not isinstance(exp, Mapping):
        raise InstrumentError(f"{where}: export must be an object")
    prefix = str(exp.get("column_prefix") or iid)
    export = ExportNames(prefix, str(exp.get("sdtm_prefix") or iid[:4].upper()),
                         str(exp.get("sdtm_category")
                             or f"{inst.title[BASE_LANGUAGE].upper()} {inst.version}"),
                         exp.get("evlint"))
    scores: tuple[ScoreDef, ...] = ()
    algorithms: tuple[AlgorithmDef, ...] = ()
    scorer = None
    alert = None
    alerter = None
    trends: tuple[TrendDef, ...] = ()
    if raw.get("scoring") is not None:
        scoring = parse_scoring(raw["scoring"], inst.item_ids, where)
        scores = _data_scores(iid, prefix, raw["scoring"], scoring,
                              _lang(raw.get("short_name"), inst.title)[BASE_LANGUAGE])
        algorithms = (AlgorithmDef(scoring.algorithm, scoring.version,
                                   _lang(raw["scoring"].get("name"),
                                         {BASE_LANGUAGE: scoring.algorithm})),)

        def scorer(codes, **_):  # noqa: ANN001, ANN003, ANN202
            return scoring.score(codes)
        alert = (scoring.algorithm, "alert") if scoring.alerts else None
        alerter = scoring.findings if scoring.alerts else None
        keys = {s.key for s in scoring.scores}
        unknown = [k for k in raw.get("trend", ()) if k not in keys]
        if unknown:
            raise InstrumentError(f"{where}: trend: unknown score keys {unknown}")
        trends = tuple(TrendDef(f"{iid}_{k}", scoring.algorithm, k) for k in raw.get("trend", ()))
    return InstrumentEntry(
        **common, short_name=_lang(raw.get("short_name"), inst.title), scores=scores,
        algorithms=algorithms, export=export, layout="scores", order=int(raw.get("order", 100)),
        alert=alert, alerter=alerter, trends=trends,
        no_straightline_blocks=frozenset(raw.get("no_straightline_blocks", ())), scorer=scorer)


_CACHE: dict[tuple[str, tuple[str, ...]], Registry] = {}


def registry(extra_dirs: Sequence[Path] = ()) -> Registry:
    """The registry of the shipped folder + ``$EPRO_INSTRUMENTS_DIR`` + ``extra_dirs`` (cached
    per folder list, so a call in a loop costs a dict look-up; a broken file is an
    ``InstrumentError`` naming it)."""
    key = (os.environ.get(INSTRUMENTS_DIR_ENV, ""), tuple(map(str, extra_dirs)))
    reg = _CACHE.get(key)
    if reg is None:
        extra = tuple(Path(d) for d in extra_dirs)
        ids = sorted({i for d in instrument_dirs(extra) for i in available_instruments(d)})
        reg = _CACHE[key] = Registry([_entry(i, instrument_dir_of(i, extra)) for i in ids])
    return reg


def item_label(item_id: str, lang: str = BASE_LANGUAGE,
               instrument_id: str | None = None) -> str:
    """A question's short label for staff (``Item.short_label``): from ``instrument_id``'s
    data when given, else from the registered instrument that has this item; the id only for
    an item no registered instrument knows (a removed instrument)."""
    reg = registry()
    entries = [reg.find(instrument_id)] if instrument_id else []
    for entry in [e for e in entries if e is not None] + list(reg):
        inst = entry.instrument()
        if item_id in inst.item_ids:
            return inst.item(item_id).short_label(lang)
    return item_id


def instrument_name(instrument_id: str, lang: str = BASE_LANGUAGE) -> str:
    """An instrument's short name for staff ("SF-36 (RAND-36)", "肝硬化症状清单"); the id only
    for an instrument no longer registered."""
    entry = registry().find(instrument_id)
    return entry.name(lang) if entry is not None else instrument_id


def get(instrument_id: str) -> InstrumentEntry:
    return registry().get(instrument_id)


def visit_battery(visit_code: str | None = None, protocol: Any = None) -> tuple[str, ...]:
    """Instruments a visit gives, in order.

    SEAM (issue 11): the study protocol (``forms.protocol``, ``Protocol.visits[i].battery``)
    decides this; until it is wired in, a protocol-less call gives the registry's default
    battery at every visit. With a ``protocol`` the visit's battery is taken as given (unknown
    ids are an error).
    """
    reg = registry()
    if protocol is None:
        return reg.default_battery()
    visit = next((v for v in protocol.visits if v.id == visit_code), None)
    ids = tuple(visit.battery) if visit is not None else ()
    for i in ids:
        reg.get(i)
    return ids
