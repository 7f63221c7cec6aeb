"""All models, importable from one place (Alembic and the tests walk this metadata)."""

from storage.models.admin import PasswordToken, SettingChange
from storage.models.agencies import AgencyChange, AgencyDelivery, AgencyMessage, ExtensionRequest
from storage.models.audit import AuditEntry
from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.jobs import JobRun, Reminder, SchedulerLease
from storage.models.knowledge import KnowledgeAnswer, KnowledgeAnswerChange
from storage.models.nlp_models import ActiveModel, LabelReview, ModelVersion, TrainingRun
from storage.models.people import Citizen, Conversation, StaffNotification, StaffUser, staff_wards
from storage.models.petitions import (
    AgencyRedaction,
    Attachment,
    ClassificationLabel,
    CodeSequence,
    Forward,
    Petition,
    PetitionEvent,
    PetitionMessage,
    PetitionNote,
)
from storage.models.privacy import DataRequest
from storage.models.reference import (
    Agency,
    Category,
    Holiday,
    OrgUnit,
    ResponseTemplate,
    RoutingRule,
    Ward,
    WardAlias,
)
from storage.models.reports import ReportVersion
from storage.models.signin import LoginThrottle, StaffSession
from storage.models.work import ChaseLetter, SavedFilter
from storage.models.zalo import InboundEvent, OutboxMessage, ZaloQuotaUsage, ZaloToken

__all__ = [
    "ActiveModel",
    "Agency",
    "AgencyChange",
    "AgencyDelivery",
    "AgencyRedaction",
    "AgencyMessage",
    "Attachment",
    "AuditEntry",
    "Base",
    "Category",
    "ChaseLetter",
    "Citizen",
    "ClassificationLabel",
    "CodeSequence",
    "Conversation",
    "DataRequest",
    "ExtensionRequest",
    "Forward",
    "Holiday",
    "InboundEvent",
    "JobRun",
    "KnowledgeAnswer",
    "KnowledgeAnswerChange",
    "LabelReview",
    "LoginThrottle",
    "ModelVersion",
    "OrgUnit",
    "OutboxMessage",
    "PasswordToken",
    "Petition",
    "PetitionEvent",
    "PetitionMessage",
    "PetitionNote",
    "Reminder",
    "ReportVersion",
    "ResponseTemplate",
    "SavedFilter",
    "RoutingRule",
    "SchedulerLease",
    "SettingChange",
    "StaffSession",
    "StaffNotification",
    "StaffUser",
    "TrainingRun",
    "UTCDateTime",
    "Ward",
    "WardAlias",
    "ZaloQuotaUsage",
    "ZaloToken",
    "staff_wards",
    "utcnow",
]
