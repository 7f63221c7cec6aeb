"""All models, importable from one place (Alembic and the tests walk this metadata)."""

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.jobs import JobRun, MonthlyStat, Reminder, SchedulerLease
from storage.models.people import Citizen, Conversation, StaffNotification, StaffUser, staff_wards
from storage.models.petitions import (
    Attachment,
    ClassificationLabel,
    CodeSequence,
    Forward,
    Petition,
    PetitionEvent,
    PetitionMessage,
    PetitionNote,
)
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
from storage.models.work import ChaseLetter, SavedFilter
from storage.models.zalo import InboundEvent, OutboxMessage, ZaloToken

__all__ = [
    "Agency",
    "Attachment",
    "Base",
    "Category",
    "ChaseLetter",
    "Citizen",
    "ClassificationLabel",
    "CodeSequence",
    "Conversation",
    "Forward",
    "Holiday",
    "InboundEvent",
    "JobRun",
    "MonthlyStat",
    "OrgUnit",
    "OutboxMessage",
    "Petition",
    "PetitionEvent",
    "PetitionMessage",
    "PetitionNote",
    "Reminder",
    "ResponseTemplate",
    "SavedFilter",
    "RoutingRule",
    "SchedulerLease",
    "StaffNotification",
    "StaffUser",
    "UTCDateTime",
    "Ward",
    "WardAlias",
    "ZaloToken",
    "staff_wards",
    "utcnow",
]
