"""The staff screens' door to the patient-level corrections and on-demand visits (Qt-free):
arm correction (``storage.services.correct_arm``), early-termination and unscheduled visits
(``add_early_termination_visit`` / ``add_unscheduled_visit``), and how a visit is named and what
it gives (``forms.schedule.visit_label`` / ``visit_definition`` on the protocol the study runs).

Every method is one service call and may run in a pool thread; names and batteries are read from
the protocol, cached per adapter (one read, then no database access on the GUI thread).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from forms import schedule as sched
from forms.errors import UserError
from forms.protocol import Protocol
from forms.registry import registry
from storage import services as sv
from ui.i18n import current_language

#: the visit kinds staff add on demand, in the order the dialog offers them
ON_DEMAND_KINDS = ("unscheduled", "early_termination")


@dataclass(frozen=True)
class ArmChoice:
    id: str
    label: str          # in the GUI language


@dataclass(frozen=True)
class VisitKindChoice:
    kind: str           # "unscheduled" | "early_termination"
    code: str           # the protocol's visit id (UNS, ET)
    label: str          # in the GUI language


class VisitActions:
    def __init__(self, db: Any) -> None:
        self.db = db
        self._protocol: Protocol | None = None
        self._looked = False

    def protocol(self) -> Protocol | None:
        """The protocol the study runs (read once); None for a database made before protocol
        files that has none loaded yet (visits are then named by their codes)."""
        if not self._looked:
            try:
                self._protocol = sv.current_protocol(self.db)
            except UserError:
                self._protocol = None
            self._looked = True
        return self._protocol

    # -- names ---------------------------------------------------------------------------------
    def visit_label(self, visit_code: str) -> str:
        """The visit as staff read it ("Week 12", "第12周"; "Unscheduled visit 2")."""
        return sched.visit_label(self.protocol(), visit_code, current_language())

    def visit_battery(self, visit_code: str) -> tuple[str, ...]:
        """The patient questionnaires the protocol gives at this visit (UNSn: the protocol's
        unscheduled visit); the registry's default battery for a code the protocol lacks."""
        vdef = sched.visit_definition(self.protocol(), visit_code)
        return tuple(vdef.battery) if vdef is not None else registry().default_battery()

    def arms(self) -> list[ArmChoice]:
        lang = current_language()
        proto = self.protocol()
        return [ArmChoice(a.id, a.label.get(lang) or a.label.get("en") or a.id)
                for a in (proto.arms if proto is not None else ())]

    def on_demand_kinds(self, existing_codes: set[str]) -> list[VisitKindChoice]:
        """The on-demand visits the protocol has; early termination only once per patient."""
        lang = current_language()
        proto = self.protocol()
        out: list[VisitKindChoice] = []
        for kind in ON_DEMAND_KINDS:
            for v in (proto.visits_of_kind(kind) if proto is not None else ()):
                if kind == "early_termination" and v.id in existing_codes:
                    continue
                out.append(VisitKindChoice(kind, v.id,
                                           v.label.get(lang) or v.label.get("en") or v.id))
                break
        return out

    # -- changes (audited by the services, with the reason) ---------------------------------------
    def correct_arm(self, actor: Any, patient_id: int, arm: str, reason: str) -> None:
        sv.correct_arm(self.db, actor, patient_id, arm=arm, reason=reason)

    def add_visit(self, actor: Any, patient_id: int, kind: str, visit_date: date,
                  reason: str) -> int:
        """Add an unscheduled or the early-termination visit; returns the new visit's id."""
        if kind == "early_termination":
            return sv.add_early_termination_visit(self.db, actor, patient_id, reason=reason,
                                                  visit_date=visit_date)
        if kind == "unscheduled":
            return sv.add_unscheduled_visit(self.db, actor, patient_id, reason=reason,
                                            visit_date=visit_date)
        raise ValueError(f"not an on-demand visit kind: {kind!r}")
