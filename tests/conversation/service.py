"""The whole service on loopback, as production runs it, for end-to-end conversations.

A database of its own (migrated and seeded), the Zalo stand-in, the app served by a real
HTTP server, the conversation tick running; citizens post signed webhook events over HTTP
and read the bot's replies from the stand-in's record of what the OA sent.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server

from bot import create_app, worker
from bot.database import get_db
from bot.runtime import runtime_of
from bot.simulator.events import follow_event, message_event, signed
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings
from handlers.clock import Clock
from handlers.seed import seed_reference
from handlers.workflow import LOCAL_TZ, WorkCalendar
from storage import migrate
from storage.db import make_engine, transaction
from storage.models.base import utcnow
from tests.conftest import make_settings
from tests.support import OA_ID, fresh_database, start_standin

OA = OA_ID


@contextmanager
def own_database(database_url: str, folder: Path) -> Iterator[str]:
    """A new database of the session's backend, migrated and seeded; dropped afterwards."""
    with fresh_database(database_url, folder, "pakn_e2e") as target:
        engine = make_engine(target)
        try:
            migrate.upgrade(engine)
            with Session(engine) as session, session.begin():
                seed_reference(session)
        finally:
            engine.dispose()
        yield target


@dataclass
class Service:
    """The running service and its stand-in."""

    app: Flask
    settings: Settings
    standin: StandIn
    base_url: str

    @property
    def sessions(self) -> sessionmaker[Session]:
        return get_db(self.app).sessions

    def control(self, path: str, **body: Any) -> dict[str, Any]:
        resp = requests.post(f"{self.standin.base_url}/_standin/{path}", json=body, timeout=10)
        resp.raise_for_status()
        result: dict[str, Any] = resp.json()
        return result

    def drain(self) -> None:
        """Send what the outbox holds now (what the sender job does)."""
        runtime_of(self.app).zalo.sender.drain(limit=200)

    def phone(self, user_id: str | None = None) -> Phone:
        return Phone(self, user_id or str(7_100_000_000_000_000_000 + next(_counter)))

    @contextmanager
    def db(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session


_counter = iter(range(1, 10**9))


_OFFICE_OFFSET: list[timedelta] = []


def office_clock(sessions: sessionmaker[Session]) -> Clock:
    """The real clock moved back to 09:00 of the latest working day that has reached 09:00
    (holidays known); every service of this test run shares the one offset.

    Backwards, never ahead: rows the ORM stamps by default (created_at) then never lie in the
    service's future.
    """
    if not _OFFICE_OFFSET:
        with sessions() as session:
            calendar = WorkCalendar.load(session)
        moment = utcnow().astimezone(LOCAL_TZ)
        day = moment.date() if moment.hour >= 9 else moment.date() - timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
        _OFFICE_OFFSET.append(datetime.combine(day, time_of_day(9), LOCAL_TZ) - moment)
    offset = _OFFICE_OFFSET[0]
    return lambda: utcnow() + offset


@contextmanager
def running_service(
    database_url: str,
    folder: Path,
    *,
    standin: StandIn | None = None,
    office_time: bool = True,
    **overrides: Any,
) -> Iterator[Service]:
    """Stand-in + app on a real HTTP server + a worker, all on loopback.

    The service's clock runs from 09:00 of the latest working day (`office_time`), so the
    replies scripted residents read do not depend on the hour or the day the suite runs on.

    With `standin`, a second process of the same service: it shares that stand-in and the
    tokens already stored in the database.
    """
    shared = standin is not None
    if standin is None:
        standin = start_standin()
    state = standin.state
    settings = make_settings(
        database_url,
        folder,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=OA,
        zalo_media_hosts=("127.0.0.1",),
        attachment_private_networks=("127.0.0.1/32",),
        zalo_connect_timeout_seconds=2,
        zalo_timeout_seconds=5,
        conversation_gather_ms=overrides.pop("conversation_gather_ms", 400),
        worker_poll_ms=overrides.pop("worker_poll_ms", 25),
        **overrides,
    )
    app = create_app(settings)
    runtime = runtime_of(app)
    if office_time:
        runtime.use_clock(office_clock(get_db(app).sessions))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-http", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    previous_webhook = state.webhook_url
    state.webhook_url = f"{base_url}/webhooks/zalo"
    if not shared:
        access, refresh = state.issue_pair()
        with transaction(get_db(app).sessions) as session:
            pair = TokenPair(access, refresh, 90000)
            store_pair(session, pair, now=runtime.clock(), source="test")
    loop = worker.embedded(runtime).start()
    try:
        yield Service(app, settings, standin, base_url)
    finally:
        loop.stop()
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        state.webhook_url = previous_webhook
        if not shared:
            standin.close()
        get_db(app).engine.dispose()


@dataclass
class Bubble:
    """One message the OA sent, as the stand-in recorded it."""

    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return [b["title"] for b in self.buttons]

    def payload(self, title: str) -> str:
        for b in self.buttons:
            if b["title"] == title:
                return str(b["payload"])
        raise AssertionError(f"no button {title!r} in {self.titles}")


@dataclass
class Phone:
    """A citizen's Zalo: signed events in over HTTP, the OA's messages out of the stand-in."""

    service: Service
    user_id: str
    seen: int = 0
    transcript: list[str] = field(default_factory=list)

    def _post(self, event: dict[str, Any]) -> int:
        # Zalo stamps the event with its own now; here that is the service's clock.
        clock = runtime_of(self.service.app).clock
        event = {**event, "timestamp": str(int(clock().timestamp() * 1000))}
        raw, headers = signed(self.service.settings, event)
        self.service.control("interaction", user_id=self.user_id)
        resp = requests.post(
            f"{self.service.base_url}/webhooks/zalo", data=raw, headers=headers, timeout=20
        )
        assert resp.status_code == 200, resp.text
        return resp.status_code

    def say(self, text: str) -> int:
        self.transcript.append(f"Người dân: {text}")
        return self._post(message_event(self.service.settings, self.user_id, "text", text=text))

    def tap(self, bubble: Bubble, title: str) -> int:
        self.transcript.append(f"Người dân: [{title}]")
        event = message_event(
            self.service.settings, self.user_id, "text", text=bubble.payload(title)
        )
        return self._post(event)

    def upload(self, content: bytes = b"\xff\xd8\xff\xe0fake-jpeg") -> str:
        """Put a photo on Zalo's media server; its URL, as a photo message would carry it."""
        name = f"p-{uuid.uuid4().hex[:8]}.jpg"
        body = {"name": name, "content_b64": base64.b64encode(content).decode()}
        return str(self.service.control("media", **body)["url"])

    def photo(
        self, content: bytes = b"\xff\xd8\xff\xe0fake-jpeg", caption: str = "", url: str = ""
    ) -> int:
        url = url or self.upload(content)
        self.transcript.append("Người dân: (ảnh)")
        event = message_event(self.service.settings, self.user_id, "image", text=caption, url=url)
        return self._post(event)

    def location(self, lat: float, lng: float) -> int:
        self.transcript.append(f"Người dân: (vị trí {lat:.4f}, {lng:.4f})")
        event = message_event(self.service.settings, self.user_id, "location", lat=lat, lng=lng)
        return self._post(event)

    def follow(self) -> int:
        self.transcript.append("Người dân: (bấm Quan tâm)")
        return self._post(follow_event(self.service.settings, self.user_id))

    def record(self) -> list[dict[str, Any]]:
        resp = requests.get(
            f"{self.service.standin.base_url}/_standin/messages",
            params={"user_id": self.user_id},
            timeout=10,
        )
        resp.raise_for_status()
        messages: list[dict[str, Any]] = resp.json()["messages"]
        return messages

    def expect(
        self,
        count: int = 1,
        *,
        until: Callable[[list[Bubble]], bool] | None = None,
        timeout: float = 20.0,  # only a bound: a loaded runner can take seconds per reply
        settle: float = 0.12,
    ) -> list[Bubble]:
        """The OA's new messages, once `count` arrived (or `until` holds) and all is quiet."""
        deadline = time.monotonic() + timeout
        new: list[Bubble] = []
        while time.monotonic() < deadline:
            new = [_bubble(m) for m in self.record()[self.seen :]]
            done = until(new) if until is not None else len(new) >= count
            if done:
                time.sleep(settle)
                new = [_bubble(m) for m in self.record()[self.seen :]]
                break
            time.sleep(0.03)
        else:
            raise AssertionError(f"expected {count} new message(s), got {[b.text for b in new]}")
        self.seen += len(new)
        for b in new:
            extra = f"   [{' | '.join(b.titles)}]" if b.buttons else ""
            self.transcript.append(f"OA: {b.text}{extra}")
        return new

    def nothing(self, wait: float = 0.6) -> None:
        """No message comes (flood control, spam)."""
        time.sleep(wait)
        assert self.record()[self.seen :] == []


def _bubble(entry: dict[str, Any]) -> Bubble:
    message = entry.get("message") or {}
    payload = (message.get("attachment") or {}).get("payload") or {}
    return Bubble(str(entry.get("text") or ""), list(payload.get("buttons") or []))
