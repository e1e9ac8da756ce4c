"""Every model module, imported in one place so mappers and Alembic see them all."""

from trainer.audit.models import AuditEntry
from trainer.auth.models import ApiToken, User
from trainer.calibration.models import (
    CalibrationSettings,
    DoubleRating,
    GoldRating,
    GoldStandard,
)
from trainer.cases.models import (
    CaseSession,
    GroupAttendance,
    GroupMember,
    InventoryPerson,
    Recording,
    SupervisionMeeting,
    TimelineEvent,
    TrainingCase,
)
from trainer.certificates.models import Certificate, SigningKey
from trainer.competency.models import CompetencySnapshot, OfferedPathway
from trainer.content.models import CompetencyFramework, Module, Pathway, RatingScale, Vignette
from trainer.curriculum.models import ModuleAttempt, SectionRead
from trainer.dataversion import DataVersion
from trainer.notifications.models import Notification
from trainer.orgs.models import (
    Cohort,
    CohortMember,
    Invitation,
    Membership,
    Organisation,
    SupervisorAssignment,
)
from trainer.supervision.models import (
    HarmFollowUp,
    RatingComment,
    SessionRating,
    SummativeDraw,
)
from trainer.viewcache import ViewModel
from trainer.vignettes.models import VignetteAttempt, VignetteDraft

__all__ = [
    "CaseSession",
    "Certificate",
    "SigningKey",
    "GroupAttendance",
    "GroupMember",
    "HarmFollowUp",
    "InventoryPerson",
    "Notification",
    "RatingComment",
    "Recording",
    "SessionRating",
    "SummativeDraw",
    "SupervisionMeeting",
    "TimelineEvent",
    "TrainingCase",
    "ApiToken",
    "AuditEntry",
    "CalibrationSettings",
    "Cohort",
    "DoubleRating",
    "GoldRating",
    "GoldStandard",
    "CompetencySnapshot",
    "CompetencyFramework",
    "DataVersion",
    "ViewModel",
    "Module",
    "OfferedPathway",
    "Pathway",
    "RatingScale",
    "Vignette",
    "CohortMember",
    "Invitation",
    "Membership",
    "ModuleAttempt",
    "SectionRead",
    "Organisation",
    "SupervisorAssignment",
    "User",
    "VignetteAttempt",
    "VignetteDraft",
]
