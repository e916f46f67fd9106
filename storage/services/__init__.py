"""Storage services: the only door to the data. Each call is one transaction with its audit rows.

UI and reports import from here (``from storage.services import record_answer``).
"""
from storage.services.administrations import (administration_state,
                                              interrupted_administrations, mark_interrupted,
                                              record_answer, record_answers, skip_item,
                                              start_administration, submit_administration,
                                              visit_administrations)
from storage.services.auth import (AUTH_FAILED, LOCKOUT, MAX_FAILURES, authenticate,
                                   change_password, create_user, user_count)
from storage.services.clinical import clinical_assessment, enter_clinical_assessment
from storage.services.corrections import correct_answer
from storage.services.dto import AdministrationState, PatientInfo, PatientRow, VisitInfo
from storage.services.history import (VisitTrendData, audit_history, patient_trend_data,
                                      visit_scores)
from storage.services.listing import list_patients, rebuild_patient_summary
from storage.services.patients import find_patient, get_patient, patient_count, patient_visits
from storage.services.signing import (MEANINGS, AwaitingSignature, SignatureInfo,
                                      SignerIdRequired, sign_visit, sign_visits,
                                      signature_needs_user_id, signing_queue, visit_signatures)
from storage.services.visits import (add_early_termination_visit, add_unscheduled_visit,
                                     lock_visit, set_visit_out_of_window_reason)
from storage.models import SKIP_REASONS

__all__ = [
    "AUTH_FAILED", "LOCKOUT", "MAX_FAILURES", "MEANINGS", "SKIP_REASONS",
    "AdministrationState", "AwaitingSignature", "PatientInfo", "PatientRow", "SignatureInfo",
    "SignerIdRequired", "VisitInfo", "change_password", "signature_needs_user_id",
    "signing_queue",
    "add_early_termination_visit", "add_unscheduled_visit", "administration_state",
    "audit_history", "authenticate", "patient_trend_data", "VisitTrendData",
    "clinical_assessment", "correct_answer", "create_user",
    "enter_clinical_assessment", "find_patient", "get_patient", "interrupted_administrations",
    "list_patients", "lock_visit", "mark_interrupted", "patient_count", "patient_visits",
    "rebuild_patient_summary", "record_answer", "record_answers", "set_visit_out_of_window_reason",
    "sign_visit", "sign_visits", "skip_item", "start_administration", "submit_administration",
    "user_count", "visit_administrations", "visit_scores", "visit_signatures",
]

# administration, free-standing events, eligibility, open administrations (ui/app helper)
from storage.services.admin import (StationInfo, StudySettings, UserInfo,  # noqa: E402
                                    initialise_database, list_stations, list_users,
                                    needs_setup, register_station, reset_password,
                                    set_station_active,
                                    set_user_active, study_settings, unlock_user,
                                    update_study_settings, user_display_name)
from storage.services.events import open_administrations, record_event  # noqa: E402

__all__ += [
    "StationInfo", "StudySettings", "UserInfo",
    "initialise_database", "list_stations", "list_users", "needs_setup", "open_administrations",
    "record_event", "register_station", "reset_password", "set_station_active",
    "set_user_active",
    "study_settings", "unlock_user", "update_study_settings", "user_display_name",
]

# the protocol the study runs, enrolment (screening recomputed here), concealed allocation
from forms.enrolment import RawScreening  # noqa: E402
from storage.services.allocation import (AllocationStatus, allocation_status,  # noqa: E402
                                         import_allocation_list)
from storage.services.enrol_batch import (BatchPartlyImported, BatchRefused,  # noqa: E402
                                          EnrolmentRow, enrol_many)
from storage.services.enrolment import (CriterionRecord, EnrolmentRecord,  # noqa: E402
                                        correct_arm, enrol_patient, enrolment_record,
                                        enrolment_records)
from storage.services.protocol_store import (ProtocolFile, current_protocol,  # noqa: E402
                                             read_protocol_file)
from storage.services.study import (LoadResult, create_study,  # noqa: E402
                                    load_protocol_version, study_show)

__all__ += [
    "AllocationStatus", "BatchPartlyImported", "BatchRefused", "CriterionRecord",
    "EnrolmentRecord", "EnrolmentRow",
    "LoadResult", "ProtocolFile", "RawScreening", "allocation_status", "correct_arm",
    "create_study", "current_protocol", "enrol_many", "enrol_patient", "enrolment_record",
    "enrolment_records",
    "import_allocation_list", "load_protocol_version", "read_protocol_file", "study_show",
]

# what the screens need besides the calls: actors, errors, the role matrix, opening a database,
# and small read look-ups (ui/ imports storage only through this module)
from storage.actors import Actor  # noqa: E402
from storage.open_args import open_from_args  # noqa: E402
from storage.db import Database, open_database  # noqa: E402
from storage.errors import (AuthError, ConflictError, DatabaseError, NotFound,  # noqa: E402
                            PermissionDenied, RecordLocked, StorageError, StorageFullError)
from storage.permissions import allowed  # noqa: E402
from storage.services.exports import (record_export, require_export_permission,  # noqa: E402
                                      sign_audit_checkpoint)
from storage.services.lookups import (DEFAULT_BATTERY,  # noqa: E402
                                      VisitOverview, arm_labels, open_visits,
                                      remaining_battery, study_arms, submitted_battery,
                                      visit_battery, visit_overview)

__all__ += [
    "Actor", "AuthError", "ConflictError", "DEFAULT_BATTERY", "Database",
    "DatabaseError", "NotFound", "PermissionDenied", "RecordLocked", "StorageError",
    "StorageFullError", "VisitOverview", "allowed", "open_database",
    "open_from_args", "open_visits", "record_export", "remaining_battery",
    "require_export_permission", "sign_audit_checkpoint", "study_arms", "submitted_battery", "visit_battery",
    "visit_overview", "arm_labels",
]

# instrument texts: installed translations, the text shown (issue 12)
from storage.services.translations import (InstalledTranslationInfo,  # noqa: E402
                                           administration_instrument, install_translation,
                                           installed_translations, shown_instrument)

__all__ += ["InstalledTranslationInfo", "administration_instrument", "install_translation",
            "installed_translations", "shown_instrument"]

# staff alerts (issue 12 item 7; staff-form alerts for issue 15)
from storage.services.alerts import (AlertInfo, acknowledge_alert, list_alerts,  # noqa: E402
                                     raise_alert)

__all__ += ["AlertInfo", "acknowledge_alert", "list_alerts", "raise_alert"]

# the kiosk staff list: open visits and whether each can start now (issue 12 item 4)
from storage.services.kiosk_visits import KioskVisit, kiosk_visit, kiosk_visits  # noqa: E402

__all__ += ["KioskVisit", "kiosk_visit", "kiosk_visits"]

# the kiosk hand-over: a patient acts only through it (issue 13)
from storage.services.kiosk_handover import (HANDOVER_END_REASONS,  # noqa: E402
                                             end_hand_over, hand_over_kiosk)

__all__ += ["HANDOVER_END_REASONS", "end_hand_over", "hand_over_kiosk"]

# value histories of a visit (issue 14 item 3) and the audited end of a staff session (item 5)
from storage.services.history import (AnswerValue, ValueChange, ValueHistory,  # noqa: E402
                                      VisitHistory, value_history)
from storage.services.sessions import LOGOUT_REASONS, record_logout  # noqa: E402

__all__ += ["AnswerValue", "LOGOUT_REASONS", "ValueChange", "ValueHistory", "VisitHistory",
            "record_logout", "value_history"]

# kiosk staff PIN (issue 12 item 6)
from storage.services.kiosk_pin import (PIN_ROLES, authenticate_pin,  # noqa: E402
                                        kiosk_pin_users, set_kiosk_pin)

__all__ += ["PIN_ROLES", "authenticate_pin", "kiosk_pin_users", "set_kiosk_pin"]

# the staff Today view: due / this week / overdue visits, open alerts, visits awaiting signature
from storage.services.today import DueVisit, TodayOverview, today_overview  # noqa: E402

__all__ += ["DueVisit", "TodayOverview", "today_overview"]

# a patient's audit trail with the visit and question of every row (issue 14 item 10)
from storage.services.audit_trail import AuditTrailRow, audit_trail  # noqa: E402

__all__ += ["AuditTrailRow", "audit_trail"]

# typed outcome records entered by staff, alerts raised on save (issue 15)
from storage.services.outcomes import (OutcomeRecord, correct_outcome,  # noqa: E402
                                       list_outcomes, record_outcome)

__all__ += ["OutcomeRecord", "correct_outcome", "list_outcomes", "record_outcome"]

# a questionnaire recorded "not done" with a reason, and its withdrawal (forms.not_done)
from storage.services.not_done import (NotDoneRecord, mark_not_done,  # noqa: E402
                                       subject_not_done, visit_not_done, withdraw_not_done)

__all__ += ["NotDoneRecord", "mark_not_done", "subject_not_done", "visit_not_done",
            "withdraw_not_done"]
