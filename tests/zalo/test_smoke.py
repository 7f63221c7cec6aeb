from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from bot.zalo.standin import StandIn
from config import Settings
from handlers import outbox
from handlers.events import TextMessage
from handlers.inbound import HandlerContext, citizen_for
from storage.models import Citizen, InboundEvent, PetitionMessage
from tests.zalo.helpers import USER, post_signed, text_event


def test_text_roundtrip(
    client: FlaskClient, settings: Settings, db_session: Session, standin: StandIn, tokens, app
) -> None:
    router = runtime_of(app).zalo.processor.router.copy()
    runtime_of(app).zalo.processor.router = router

    @router.on(TextMessage)
    def reply(session: Session, event: TextMessage, ctx: HandlerContext) -> None:
        citizen = citizen_for(session, event)
        assert citizen is not None
        outbox.queue_zalo(
            session, citizen=citizen, text="Đã nhận: " + event.text, dedup_key=f"ack:{event.msg_id}"
        )

    resp = post_signed(client, settings, text_event("Xin chào", msg_id="m1"))
    assert resp.status_code == 200, resp.json
    row = db_session.scalar(select(InboundEvent))
    assert row.state == "processed", row.last_error
    assert db_session.scalar(select(Citizen.zalo_user_id)) == USER
    msgs = db_session.scalars(select(PetitionMessage).order_by(PetitionMessage.id)).all()
    assert [m.direction for m in msgs] == ["in", "out"]
    assert [m["text"] for m in standin.state.sent_to(USER)] == ["Đã nhận: Xin chào"]
