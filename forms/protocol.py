"""The study protocol as data (protocol.md §1-§4): a typed, frozen model of one protocol file.

One JSON file per study (``resources/studies/<registry id>.json``) holds the study, its arms and
allocation, the visit schedule with each visit's patient battery and staff forms, the instruments
with their minimum days between administrations, the eligibility criteria (rule kinds from
:mod:`forms.screening_rules`) and the outcome forms. :func:`parse_protocol` checks everything and
raises :class:`ProtocolError` listing *every* problem as ``"path: message"``
(``visits[3].window: lo > hi``). Study days follow CDISC: day 1 = first dose, no day 0.

File conventions (where protocol.md gives a range instead of a day, e.g. screening −14…−1):
``window`` is the inclusive range and ``day`` its last day (the day the visit is due by);
``window`` may be left out for a fixed-day visit and is then ``[day, day]``. Early-termination
and unscheduled visits have neither. Stdlib only.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from forms.errors import UserError
from forms.protocol_check import (ALLOCATION_METHODS, REQUIRED_LANGUAGES, STAFF_FORMS,
                                  VISIT_KINDS, check_protocol)

__all__ = ["ProtocolError", "Arm", "AllocationDef", "VisitDef", "InstrumentUse", "CriterionDef",
           "Protocol", "site_name", "parse_protocol", "load_protocol", "DEFAULT_PROTOCOL_PATH",
           "ALLOCATION_METHODS", "REQUIRED_LANGUAGES", "STAFF_FORMS", "VISIT_KINDS"]

DEFAULT_PROTOCOL_PATH = (Path(__file__).resolve().parent.parent
                         / "resources" / "studies" / "nct01342250.json")


class ProtocolError(UserError):
    """A protocol file is missing, unreadable or invalid; ``errors`` lists every problem."""

    def __init__(self, source: str, errors: tuple[str, ...] | list[str]) -> None:
        self.source = source
        self.errors = tuple(errors)
        n = len(self.errors)
        super().__init__(f"{source}: invalid protocol ({n} problem{'s' if n != 1 else ''}): "
                         + "; ".join(self.errors))


@dataclass(frozen=True)
class Arm:
    id: str
    label: Mapping[str, str]      # "en", "zh_CN"
    dose: Mapping[str, str]


@dataclass(frozen=True)
class AllocationDef:
    method: str                   # "permuted_blocks" | "list" | "none" (non-randomised: staff pick)
    block_sizes: tuple[int, ...]
    ratio: Mapping[str, int]      # arm id -> weight

    @property
    def randomised(self) -> bool:
        """True when the app assigns the arm (staff never pick it)."""
        return self.method != "none"


@dataclass(frozen=True)
class VisitDef:
    id: str
    kind: str                            # one of VISIT_KINDS
    label: Mapping[str, str]
    day: int | None                      # target study day (None: early termination, unscheduled)
    window: tuple[int, int] | None       # inclusive study days, no day 0
    battery: tuple[str, ...]             # patient instruments, in order
    staff_forms: tuple[str, ...]         # e.g. "eligibility", "labs", "clinician", "imaging"
    optional_battery: bool = False       # unscheduled: the patient battery is optional
    reason_required: bool = False        # early termination / unscheduled: staff give a reason


@dataclass(frozen=True)
class InstrumentUse:
    id: str
    min_days_between: int                # recall period: earliest reopening after a completion


@dataclass(frozen=True)
class CriterionDef:
    id: str
    kind: str                            # "inclusion" | "exclusion"
    text: Mapping[str, str]
    rule: str                            # a kind of forms.screening_rules.RULES
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Protocol:
    protocol_id: str
    registry_id: str
    version: str
    title: Mapping[str, str]
    sponsor: str
    sites: tuple[Mapping[str, str], ...]
    arms: tuple[Arm, ...]
    allocation: AllocationDef
    visits: tuple[VisitDef, ...]
    instruments: tuple[InstrumentUse, ...]
    inclusion: tuple[CriterionDef, ...]
    exclusion: tuple[CriterionDef, ...]
    outcome_forms: tuple[str, ...]
    sha256: str                          # of the file's bytes

    def __hash__(self) -> int:           # the mappings inside are not hashable
        return hash(self.sha256)

    def arm(self, arm_id: str) -> Arm:
        for a in self.arms:
            if a.id == arm_id:
                return a
        raise KeyError(arm_id)

    def visit(self, visit_id: str) -> VisitDef:
        for v in self.visits:
            if v.id == visit_id:
                return v
        raise KeyError(visit_id)

    def min_days_between(self, instrument_id: str) -> int:
        for i in self.instruments:
            if i.id == instrument_id:
                return i.min_days_between
        raise KeyError(instrument_id)

    def scheduled_visits(self) -> tuple[VisitDef, ...]:
        """Visits with a target day, in day order (file order among equal days)."""
        return tuple(sorted((v for v in self.visits if v.day is not None),
                            key=lambda v: v.day))  # type: ignore[arg-type, return-value]

    @property
    def criteria(self) -> tuple[CriterionDef, ...]:
        """Inclusion then exclusion criteria, in protocol order."""
        return self.inclusion + self.exclusion

    def visits_of_kind(self, kind: str) -> tuple[VisitDef, ...]:
        return tuple(v for v in self.visits if v.kind == kind)

    @property
    def only_site(self) -> Mapping[str, str] | None:
        """The site of a single-site protocol (every subject belongs to it, also one enrolled
        with no site stored: demo and imported subjects); None when the protocol names several
        sites. The one rule for SDTM ``SITEID``/``COUNTRY`` and the visit summary header."""
        return self.sites[0] if len(self.sites) == 1 else None

    def show(self) -> dict:
        """What ``study show --json`` prints for this protocol."""
        return {
            "protocol_id": self.protocol_id,
            "registry_id": self.registry_id,
            "version": self.version,
            "sha256": self.sha256,
            "arms": [{"id": a.id, "label": dict(a.label)} for a in self.arms],
            "visits": [{"id": v.id, "kind": v.kind, "day": v.day,
                        "window": None if v.window is None else list(v.window),
                        "battery": list(v.battery)} for v in self.visits],
            "eligibility": {"inclusion": [c.id for c in self.inclusion],
                            "exclusion": [c.id for c in self.exclusion]},
            "instruments": [i.id for i in self.instruments],
        }


def site_name(site: Mapping[str, str], lang: str) -> str:
    """A protocol site as printed for people: ``<id> <name>`` with the name in ``lang``
    (``name_<lang>``, else the English ``name``)."""
    name = site.get(f"name_{lang}") or site.get("name") or ""
    return f"{site.get('id', '')} {name}".strip()


def _frozen(m: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: (tuple(v) if isinstance(v, list) else v) for k, v in m.items()})


def _build(d: dict, sha256: str) -> Protocol:
    """Protocol of a file that :func:`check_protocol` found valid."""
    study, alloc, elig = d["study"], d["allocation"], d["eligibility"]

    def visit(v: dict) -> VisitDef:
        day = v.get("day")
        window = v.get("window", [day, day] if day is not None else None)
        return VisitDef(v["id"], v["kind"], _frozen(v["label"]), day,
                        None if window is None else (window[0], window[1]),
                        tuple(v.get("battery", ())), tuple(v.get("staff_forms", ())),
                        v.get("optional_battery", False), v.get("reason_required", False))

    def criteria(kind: str) -> tuple[CriterionDef, ...]:
        return tuple(CriterionDef(c["id"], kind, _frozen(c["text"]), c["rule"],
                                  _frozen(c.get("params", {}))) for c in elig[kind])

    return Protocol(
        protocol_id=study["protocol_id"], registry_id=study["registry_id"], version=d["version"],
        title=_frozen(study["title"]), sponsor=study["sponsor"],
        sites=tuple(_frozen(s) for s in study["sites"]),
        arms=tuple(Arm(a["id"], _frozen(a["label"]), _frozen(a["dose"])) for a in d["arms"]),
        allocation=AllocationDef(alloc["method"], tuple(alloc.get("block_sizes", ())),
                                 _frozen(alloc.get("ratio", {}))),
        visits=tuple(visit(v) for v in d["visits"]),
        instruments=tuple(InstrumentUse(i["id"], i["min_days_between"])
                          for i in d["instruments"]),
        inclusion=criteria("inclusion"), exclusion=criteria("exclusion"),
        outcome_forms=tuple(d["outcome_forms"]), sha256=sha256)


def parse_protocol(data: bytes, source: str = "<protocol>",
                   instrument_ids: frozenset[str] | None = None) -> Protocol:
    """Check and load a protocol file's bytes; raises :class:`ProtocolError` with every problem.

    ``instrument_ids`` (optional): the instruments the app has; any other id is an error.
    """
    repeated: list[str] = []

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                repeated.append(f"file: key '{key}' appears twice in one object (JSON would keep "
                                "only the last)")
            seen[key] = value
        return seen

    try:
        d = json.loads(data.decode("utf-8-sig"), object_pairs_hook=no_repeats)
    except UnicodeDecodeError as exc:
        raise ProtocolError(source, [f"file: not UTF-8 text (bad byte at offset {exc.start})"]
                            ) from None
    except json.JSONDecodeError as exc:
        raise ProtocolError(source, [f"file: not valid JSON (line {exc.lineno}, column "
                                     f"{exc.colno}: {exc.msg})"]) from None
    errors = repeated + check_protocol(d, instrument_ids)
    if errors:
        raise ProtocolError(source, errors)
    return _build(d, hashlib.sha256(data).hexdigest())


def load_protocol(path: str | Path, instrument_ids: frozenset[str] | None = None) -> Protocol:
    """Read and check the protocol file at ``path`` (see :func:`parse_protocol`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ProtocolError(str(path), ["file: not found"]) from None
    except IsADirectoryError:
        raise ProtocolError(str(path), ["file: is a folder, not a protocol file"]) from None
    except OSError as exc:
        raise ProtocolError(str(path), [f"file: cannot read ({exc.strerror or exc})"]) from None
    return parse_protocol(data, str(path), instrument_ids)

