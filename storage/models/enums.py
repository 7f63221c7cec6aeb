"""Closed vocabularies stored as short strings (portable, readable in SQL)."""

from __future__ import annotations

from enum import StrEnum


class PetitionState(StrEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    NEED_INFO = "need_info"
    TRIAGED = "triaged"
    ANSWERED_BY_FRONT = "answered_by_front"
    FORWARDED = "forwarded"
    AGENCY_ACKNOWLEDGED = "agency_acknowledged"
    AGENCY_ANSWERED = "agency_answered"
    RESULT_SENT = "result_sent"
    REOPENED = "reopened"
    CLOSED = "closed"


#: States in which a petition still needs work (used by the inbox and reminders).
OPEN_STATES = frozenset(PetitionState) - {PetitionState.DRAFT, PetitionState.CLOSED}


class LegalType(StrEnum):
    KHIEU_NAI = "khieu_nai"
    TO_CAO = "to_cao"
    KIEN_NGHI = "kien_nghi"
    PHAN_ANH = "phan_anh"
    HOI_DAP = "hoi_dap"
    NGOAI_PHAM_VI = "ngoai_pham_vi"


class Channel(StrEnum):
    ZALO = "zalo"
    WALK_IN = "walk_in"
    LETTER = "letter"
    PHONE = "phone"
    EMAIL = "email"


class CloseReason(StrEnum):
    RESOLVED = "resolved"
    DUPLICATE = "duplicate"
    NOT_IN_SCOPE = "not_in_scope"
    WITHDRAWN = "withdrawn"
    UNREACHABLE = "unreachable"
    NO_ANSWER = "no_answer"
    ABUSIVE = "abusive"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    STAFF = "staff"
    AGENCY = "agency"


class ActorType(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    SYSTEM = "system"


class InboundState(StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"
    PARKED = "parked"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    HELD = "held"
    DEAD = "dead"


class OutboxChannel(StrEnum):
    ZALO = "zalo"
    EMAIL = "email"


class MessageDirection(StrEnum):
    IN = "in"
    OUT = "out"
    STAFF_ZALO = "staff_zalo"


class UnitKind(StrEnum):
    CITY_FRONT = "city_front"
    WARD_FRONT = "ward_front"


class AgencyKind(StrEnum):
    WARD_PEOPLES_COMMITTEE = "ubnd_phuong"
    WARD_OFFICE = "phong_phuong"
    WARD_POLICE = "cong_an_phuong"
    BRANCH_OFFICE = "nganh_doc"
    CITY_DEPARTMENT = "so"
    SERVICE_COMPANY = "cong_ty"
    INSPECTORATE = "thanh_tra"
    HEALTH_STATION = "tram_y_te"
    OTHER = "khac"
