"""Who may do what, from which state, to which petitions: the workflow's one rule table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from handlers.workflow.actors import Actor
from handlers.workflow.errors import InvalidState, NotAllowed, OutOfScope
from handlers.workflow.labels import STAFF_STATE_LABELS
from storage.models import Forward, Petition
from storage.models.enums import OPEN_STATES, ActorType, Role
from storage.models.enums import PetitionState as S

STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.STAFF})
ALL_ROLES = STAFF_ROLES | {Role.AGENCY}
CITIZEN_OR_SYSTEM = frozenset({ActorType.CITIZEN, ActorType.SYSTEM})
NOT_DRAFT = frozenset(S) - {S.DRAFT}


@dataclass(frozen=True)
class Rule:
    """An action: the staff roles that may take it, other actor types, and source states."""

    roles: frozenset[str]
    from_states: frozenset[str]
    actor_types: frozenset[str] = frozenset({ActorType.SYSTEM})


RULES: dict[str, Rule] = {
    "view": Rule(ALL_ROLES, frozenset(S)),
    "submit": Rule(STAFF_ROLES, frozenset({S.DRAFT}), CITIZEN_OR_SYSTEM),
    "withdraw": Rule(STAFF_ROLES, OPEN_STATES, CITIZEN_OR_SYSTEM),
    "feedback": Rule(
        frozenset(), frozenset({S.RESULT_SENT, S.ANSWERED_BY_FRONT}), CITIZEN_OR_SYSTEM
    ),
    "rate": Rule(
        frozenset(),
        frozenset({S.RESULT_SENT, S.ANSWERED_BY_FRONT, S.REOPENED, S.CLOSED}),
        CITIZEN_OR_SYSTEM,
    ),
    "add_info": Rule(STAFF_ROLES, frozenset({S.NEED_INFO}), CITIZEN_OR_SYSTEM),
    "assign": Rule(STAFF_ROLES, OPEN_STATES),
    "request_info": Rule(
        STAFF_ROLES,
        frozenset({S.RECEIVED, S.TRIAGED, S.REOPENED, S.FORWARDED, S.AGENCY_ACKNOWLEDGED}),
    ),
    "answer_directly": Rule(STAFF_ROLES, frozenset({S.RECEIVED, S.TRIAGED, S.REOPENED})),
    "triage": Rule(STAFF_ROLES, frozenset({S.RECEIVED, S.REOPENED})),
    "classify": Rule(STAFF_ROLES, OPEN_STATES),
    "forward": Rule(
        STAFF_ROLES,
        frozenset({S.TRIAGED, S.REOPENED, S.FORWARDED, S.AGENCY_ACKNOWLEDGED, S.AGENCY_ANSWERED}),
    ),
    "acknowledge": Rule(ALL_ROLES, frozenset({S.FORWARDED})),
    "record_answer": Rule(ALL_ROLES, frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})),
    "extend_deadline": Rule(STAFF_ROLES, frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})),
    # The agency's side; the Front may record what an agency sent on paper.
    "return_forward": Rule(ALL_ROLES, frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})),
    "request_extension": Rule(ALL_ROLES, frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})),
    "decide_extension": Rule(STAFF_ROLES, frozenset({S.FORWARDED, S.AGENCY_ACKNOWLEDGED})),
    "agency_message": Rule(ALL_ROLES, NOT_DRAFT),
    "send_result": Rule(STAFF_ROLES, frozenset({S.AGENCY_ANSWERED})),
    "merge": Rule(STAFF_ROLES, OPEN_STATES),
    "reopen": Rule(STAFF_ROLES, frozenset({S.RESULT_SENT, S.ANSWERED_BY_FRONT, S.CLOSED})),
    "close": Rule(STAFF_ROLES, OPEN_STATES),
    "redact": Rule(STAFF_ROLES, NOT_DRAFT),
    # What agencies will read of a tố cáo, reviewed by staff (forwarding waits for it).
    "confirm_redaction": Rule(STAFF_ROLES, NOT_DRAFT),
    "note": Rule(STAFF_ROLES, NOT_DRAFT),
    "record_delivery": Rule(
        STAFF_ROLES, frozenset({S.RESULT_SENT, S.ANSWERED_BY_FRONT, S.REOPENED, S.CLOSED})
    ),
}

#: The actions a staff member sees as buttons on the petition page, in display order.
PAGE_ACTIONS = (
    "triage",
    "assign",
    "request_info",
    "add_info",
    "answer_directly",
    "forward",
    "acknowledge",
    "record_answer",
    "request_extension",
    "return_forward",
    "decide_extension",
    "extend_deadline",
    "send_result",
    "merge",
    "reopen",
    "close",
    "redact",
    "confirm_redaction",
    "note",
)


def scope_clause(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Petition limiting a query to what the actor may see.

    An officer sees their wards' petitions and urgent ones of no known ward: the alert of such
    an emergency reaches every ward's officers, and each of them must be able to open it.
    """
    if actor.sees_everything:
        return true()
    if actor.type == ActorType.CITIZEN:
        return Petition.citizen_id == actor.id if actor.id is not None else false()
    if actor.role == Role.STAFF:
        unplaced = and_(Petition.ward_id.is_(None), Petition.urgent.is_(True))
        mine = Petition.ward_id.in_(sorted(actor.ward_ids)) if actor.ward_ids else false()
        return or_(mine, unplaced)
    if actor.role == Role.AGENCY and actor.agency_id is not None:
        # An alias, so a query that joins forwards itself still gets its own subquery.
        sent = aliased(Forward)
        return exists(
            select(sent.id).where(
                sent.petition_id == Petition.id, sent.agency_id == actor.agency_id
            )
        )
    return false()


def in_scope(session: Session, actor: Actor, petition: Petition) -> bool:
    """Whether the actor may see this petition at all."""
    if actor.sees_everything:
        return True
    if actor.type == ActorType.CITIZEN:
        return actor.id is not None and petition.citizen_id == actor.id
    if actor.role == Role.STAFF:
        if petition.ward_id is None:
            return bool(petition.urgent)  # its alert reached every ward's officers
        return petition.ward_id in actor.ward_ids
    if actor.role == Role.AGENCY and actor.agency_id is not None:
        return bool(
            session.scalar(
                select(Forward.id)
                .where(Forward.petition_id == petition.id, Forward.agency_id == actor.agency_id)
                .limit(1)
            )
        )
    return False


def may(actor: Actor, action: str) -> bool:
    """Whether the actor's role or type may take the action at all (scope aside)."""
    rule = RULES[action]
    if actor.type == ActorType.STAFF:
        return actor.role in rule.roles
    return actor.type in rule.actor_types


def check(session: Session, actor: Actor, action: str, petition: Petition) -> None:
    """Raise unless the actor may take the action on this petition in its current state."""
    if not in_scope(session, actor, petition):
        raise OutOfScope("Không tìm thấy hồ sơ.")
    if not may(actor, action):
        raise NotAllowed("Bạn không có quyền thực hiện thao tác này.")
    if petition.state not in RULES[action].from_states:
        state = STAFF_STATE_LABELS.get(petition.state, petition.state)
        raise InvalidState(f"Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “{state}”.")


def allowed_actions(session: Session, actor: Actor, petition: Petition) -> list[str]:
    """The page's actions this actor may take now (scope already checked by the caller)."""
    actions = [a for a in PAGE_ACTIONS if may(actor, a) and petition.state in RULES[a].from_states]
    if actor.is_liaison and actions and not _runs_for(session, actor, petition):
        return []  # re-forwarded elsewhere: the liaison may still read, no longer act
    return actions


def _runs_for(session: Session, actor: Actor, petition: Petition) -> bool:
    """Whether the petition's running forward is the liaison's agency's."""
    agency_id = session.scalar(
        select(Forward.agency_id)
        .where(Forward.petition_id == petition.id, Forward.active.is_(True))
        .order_by(Forward.id.desc())
        .limit(1)
    )
    return agency_id == actor.agency_id
