"""Role permission matrix (reliability.md §3.3, issue 6), kept as data and enforced by services.

Admins manage users, stations and settings but never touch clinical data (EMA A3.3). Patients
act only inside their own administration, started by staff.
"""
from __future__ import annotations

from storage.actors import Actor
from storage.errors import PermissionDenied

NURSE = frozenset({
    "view_patients", "enrol_patient", "start_administration", "record_answer", "skip_item",
    "submit_administration", "mark_interrupted", "correct_answer", "enter_clinical_assessment",
    "schedule_visit", "review", "print", "acknowledge_alert"})
PERMISSIONS: dict[str, frozenset[str]] = {
    "nurse": NURSE,
    "investigator": NURSE | {"sign_visit", "lock_visit", "export", "override_eligibility",
                             "correct_arm"},
    "admin": frozenset({"manage_users", "manage_stations", "study_settings", "view_audit",
                        "backup", "load_protocol", "manage_allocation"}),
    # kind-level rows: a patient inside their own administration; the system (init, migrations)
    "patient": frozenset({"record_answer", "skip_item", "submit_administration",
                          "mark_interrupted"}),
    "system": frozenset({"manage_users", "study_settings", "manage_stations", "mark_interrupted",
                         "backup", "view_audit", "load_protocol", "manage_allocation"}),
}
ACTIONS = tuple(sorted(set().union(*PERMISSIONS.values())))


def role_of(actor: Actor) -> str:
    return actor.role if actor.kind == "user" and actor.role else actor.kind


def allowed(actor: Actor, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if actor.must_change_password:          # temporary password: change it first
        return False
    return action in PERMISSIONS.get(role_of(actor), frozenset())


def require(actor: Actor, action: str) -> None:
    if actor.must_change_password:
        raise PermissionDenied("Change your temporary password first.")
    if not allowed(actor, action):
        raise PermissionDenied(f"Your role ({role_of(actor)}) may not do this.")
