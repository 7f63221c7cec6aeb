"""End-to-end latency of the conversation: signed webhook in → the bot's reply at the stand-in.

Runs the real service on loopback (app on a threaded HTTP server, a worker as in production,
the Zalo stand-in) against a database of its own, and files N petitions, one citizen each:

  consent tap   → "Cảm ơn…"              (an immediate reply)
  petition text → the summary (GỬI/Sửa)   (a burst answer: waits for the quiet window)
  GỬI           → the receipt with code   (submit: code, clocks, audit, notify)
  TRA <code>    → the state               (a lookup)

Latency = the stand-in's clock when it recorded the reply − the moment before the webhook
POST (same machine, same clock). Baseline, same run and machine: an app whose router only
records the event and echoes "ok" (the platform floor the conversation builds on).

    .venv/bin/python -m bench.conversation --petitions 200
    .venv/bin/python -m bench.conversation --database-url postgresql+psycopg://…/db
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bot import create_app, worker
from bot.database import get_db
from bot.runtime import runtime_of
from bot.simulator.events import message_event, signed
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings, load_settings
from handlers.conversation.dispatch import converse
from handlers.events import MessageEvent
from handlers.inbound import HandlerContext, citizen_for, router
from handlers.outbox import queue_zalo
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine, transaction
from storage.models.base import utcnow

WARM_UP = 3
SETTLE = 0.03  # after the awaited reply: collect the rest of the turn
THINK = 0.05  # seconds between a reply and the citizen's next message
TEXT = "Cống thoát nước ở kiệt 12 Hùng Vương, phường An Xuân bị tắc, mưa xuống là ngập và bốc mùi"


@dataclass
class Server:
    app: Flask
    settings: Settings
    base_url: str


def _settings(database_url: str, standin: StandIn, folder: Path, gather_ms: int) -> Settings:
    return load_settings(
        environ={"PAKN_DEMO": "1"},
        env_file=folder / "none.env",
        database_url=database_url,
        attachment_dir=str(folder / "attachments"),
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=standin.state.oa_id,
        zalo_media_hosts=("127.0.0.1",),
        attachment_private_networks=("127.0.0.1/32",),
        conversation_gather_ms=gather_ms,
        worker_poll_ms=20,
        log_level="WARNING",
    )


@contextmanager
def serve(settings: Settings, *, echo: bool = False) -> Iterator[Server]:
    """The app on a real threaded HTTP server (echo: a router that only answers 'ok')."""
    echo_router = None
    if echo:
        echo_router = router.copy()
        echo_router.remove(converse)
        echo_router.on(MessageEvent)(_echo)
    app = create_app(settings, router=echo_router)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    loop = worker.embedded(runtime_of(app)).start()
    try:
        yield Server(app, settings, f"http://127.0.0.1:{server.server_port}")
    finally:
        loop.stop()
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        get_db(app).engine.dispose()


def _echo(session: Session, event: MessageEvent, ctx: HandlerContext) -> None:
    citizen = citizen_for(session, event)
    if citizen is not None:
        queue_zalo(session, citizen=citizen, text="ok")


class Citizen:
    """One citizen posting signed events and timing the replies at the stand-in."""

    def __init__(self, server: Server, standin: StandIn, user_id: str) -> None:
        self.server, self.standin, self.user_id = server, standin, user_id
        self.seen = 0

    def send(self, text: str) -> float:
        time.sleep(THINK)  # nobody answers within a millisecond; lets the last send settle
        event = message_event(self.server.settings, self.user_id, "text", text=text)
        raw, headers = signed(self.server.settings, event)
        self.standin.state.touch(self.user_id, self.standin.state.now())
        started = time.time()
        resp = requests.post(
            f"{self.server.base_url}/webhooks/zalo", data=raw, headers=headers, timeout=30
        )
        resp.raise_for_status()
        return started

    def reply(
        self, started: float, match: Callable[[dict[str, Any]], bool]
    ) -> tuple[float, list[dict[str, Any]]]:
        """Seconds from `started` to the first new reply that matches; the turn's replies."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            new = self.standin.state.sent_to(self.user_id)[self.seen :]
            hit = next((m for m in new if match(m)), None)
            if hit is not None:
                time.sleep(SETTLE)  # the turn's other messages (a note, a second part)
                new = self.standin.state.sent_to(self.user_id)[self.seen :]
                self.seen += len(new)
                return hit["time"] / 1000 - started, new
            time.sleep(0.002)
        raise TimeoutError(f"no reply for {self.user_id}")


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    payload = ((message.get("message") or {}).get("attachment") or {}).get("payload") or {}
    return list(payload.get("buttons") or [])


def _has_button(title: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: any(b["title"] == title for b in _buttons(m))


def _any(message: dict[str, Any]) -> bool:
    return True


def _button(replies: list[dict[str, Any]], title: str) -> str:
    for r in replies:
        for b in _buttons(r):
            if b["title"] == title:
                return str(b["payload"])
    raise KeyError(title)


def one_petition(server: Server, standin: StandIn, user_id: str) -> dict[str, float]:
    """Consent, petition, GỬI, TRA: the latency of each reply."""
    c = Citizen(server, standin, user_id)
    _, asked = c.reply(c.send("xin chào"), _has_button("Đồng ý"))
    consent, _ = c.reply(c.send(_button(asked, "Đồng ý")), _any)
    burst, summary = c.reply(c.send(TEXT), _has_button("GỬI"))
    submit, receipt = c.reply(c.send(_button(summary, "GỬI")), lambda m: "Mã hồ sơ: " in m["text"])
    code = next(x["text"] for x in receipt if "Mã hồ sơ: " in x["text"]).split("Mã hồ sơ: ")[1]
    lookup, _ = c.reply(c.send(f"TRA {code[:14]}"), lambda m: m["text"].startswith("Hồ sơ TK-"))
    return {"consent": consent, "burst": burst, "submit": submit, "lookup": lookup}


def baseline(server: Server, standin: StandIn, n: int) -> list[float]:
    """A known citizen's message answered by the echo router (first contact not timed)."""
    times = []
    for i in range(n + WARM_UP):
        c = Citizen(server, standin, f"{8_200_000_000_000_000_000 + i}")
        c.reply(c.send("xin chào"), _any)
        latency, _ = c.reply(c.send("alo"), _any)
        if i >= WARM_UP:
            times.append(latency)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:<34} {len(ms):>5} {pct(ms, 50):>9.1f} {pct(ms, 99):>9.1f} "
        f"{statistics.mean(ms):>9.1f} {max(ms):>9.1f}"
    )


def prepare(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petitions", type=int, default=200)
    parser.add_argument("--gather-ms", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-conv-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    prepare(url)
    with StandIn.from_settings(load_settings(environ={"PAKN_DEMO": "1"})) as standin:
        settings = _settings(url, standin, folder, args.gather_ms)
        standin.state.issue_pair()
        access, refresh = standin.state.issue_pair()
        with serve(settings, echo=True) as echo:
            with transaction(get_db(echo.app).sessions) as session:
                store_pair(session, TokenPair(access, refresh, 90000), now=utcnow(), source="bench")
            base = baseline(echo, standin, args.petitions)
        results: dict[str, list[float]] = {"consent": [], "burst": [], "submit": [], "lookup": []}
        with serve(settings) as server:
            for i in range(WARM_UP):  # load the models, fill the caches: not timed
                one_petition(server, standin, f"{8_400_000_000_000_000_000 + i}")
            started = time.monotonic()
            for i in range(args.petitions):
                for key, value in one_petition(
                    server, standin, f"{8_300_000_000_000_000_000 + i}"
                ).items():
                    results[key].append(value)
            wall = time.monotonic() - started
    window = args.gather_ms / 1000
    where = "PostgreSQL" if url.startswith("postgresql") else "SQLite (WAL, file)"
    print(
        f"database: {where}   petitions: {args.petitions}   quiet window: {args.gather_ms} ms"
        f"   think time: {THINK * 1000:.0f} ms   wall time: {wall:.1f} s"
    )
    print(
        f"{'webhook → reply at the stand-in':<34} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'mean ms':>9} {'max ms':>9}"
    )
    print(row("baseline: record + echo 'ok'", base))
    print(row("consent tap → thanks", results["consent"]))
    print(row("petition → summary (raw)", results["burst"]))
    print(row("petition → summary − quiet window", [v - window for v in results["burst"]]))
    print(row("GỬI → receipt with code", results["submit"]))
    print(row("TRA <mã> → state", results["lookup"]))


if __name__ == "__main__":
    main()
