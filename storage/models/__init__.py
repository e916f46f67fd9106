"""SQLAlchemy models (typed ORM). Importing this package registers every table on Base."""
from storage.models.base import Base, NAMING_CONVENTION
from storage.models.study import (PATIENT_STATUSES, SEXES, VISIT_STATUSES, Patient, Site,
                                  Station, Study, User, Visit)
from storage.models.responses import (ADMIN_STATUSES, ANSWER_STATUSES, SKIP_REASONS,
                                      Administration, Answer, ResponseCode, Score)
from storage.models.clinical import ClinicalAssessment, Signature
from storage.models.audit import AuditEvent
from storage.models.summary import PatientSummary
from storage.models.translations import InstalledTranslation
from storage.models.alerts import ALERT_SEVERITIES, ALERT_SOURCES, Alert
from storage.models.outcomes import OUTCOME_KINDS, OutcomeRecord
from storage.models.sessions import SESSION_KINDS, AuthSession
from storage.models.protocol import (AllocationSlot, Enrolment, EnrolmentCriterion,
                                     ProtocolVersion)

__all__ = ["Base", "NAMING_CONVENTION", "Study", "Site", "Station", "User", "Patient", "Visit",
           "Administration", "Answer", "Score", "ResponseCode", "ClinicalAssessment",
           "Signature", "AuditEvent", "PatientSummary", "ProtocolVersion", "Enrolment",
           "EnrolmentCriterion", "AllocationSlot", "InstalledTranslation", "Alert",
           "AuthSession", "SESSION_KINDS", "OUTCOME_KINDS", "OutcomeRecord",
           "ALERT_SOURCES", "ALERT_SEVERITIES", "PATIENT_STATUSES",
           "SEXES", "VISIT_STATUSES", "ADMIN_STATUSES", "ANSWER_STATUSES", "SKIP_REASONS"]
