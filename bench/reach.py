"""A simulated life: do status messages reach citizens who never write again?

    .venv/bin/python bench/reach.py                        # SQLite and PostgreSQL, 200 citizens
    .venv/bin/python bench/reach.py --backend sqlite --citizens 80

200 citizens file petitions on day 0 through Zalo and never write again. A quarter follow the
OA, a quarter gave a phone number (and agreed to notices on it), a quarter did both, a quarter
neither. Staff forward each petition on day 1–3; agencies answer between day 8 and day 45
(some after their deadline, some with an extension); the result goes out the next day; the
reminder jobs run every morning on the moved clock and the outbox drains twice a day against
the Zalo stand-in, whose clock moves with the simulation. Then: the share of status messages
(forwarded, overdue, extension, result, satisfaction) that reached each group, by which kind
of message; the messages sent twice; and what is left, with the reason staff see.

The script runs on any checkout of the project (it uses only the workflow, the reminder jobs
and the sender): run it on main's code for the "today" figure. PostgreSQL comes from
PAKN_BENCH_POSTGRES (default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from bot.zalo.standin import StandIn  # noqa: E402
from bot.zalo.tokens import TokenPair, store_pair  # noqa: E402
from config import Settings  # noqa: E402
from handlers import workflow as wf  # noqa: E402
from handlers.chase.records import record_sent  # noqa: E402
from handlers.clock import LOCAL_TZ  # noqa: E402
from handlers.reminders.config import ReminderConfig  # noqa: E402
from storage.models import ChaseLetter, Citizen, OutboxMessage, Petition  # noqa: E402
from tests.reminders import helpers as r  # noqa: E402
from tests.support import zalo_layer  # noqa: E402

GROUPS = ("follower", "phone", "both", "neither")
KINDS = ("forwarded", "overdue", "extension", "result", "satisfaction")
#: The templates the simulation approves in the stand-in (docs/zalo-messages.md).
TEMPLATES = {
    "T-STATUS": ["ma_ho_so", "trang_thai", "ngay_cap_nhat", "noi_dung"],
    "T-RESULT": ["ma_ho_so", "co_quan", "ngay_ket_qua", "tom_tat"],
    "T-SAT": ["ma_ho_so", "ngay_ket_qua"],
}
REACH_SETTINGS = {
    "zalo_template_ids": ("status=T-STATUS", "result=T-RESULT", "satisfaction=T-SAT"),
    "zalo_template_monthly_quota": 5000,
    "zns_daily_quota": 500,
}
#: Is this checkout one that can reach citizens beyond the window?
REACHES = hasattr(Citizen, "zns_phone")


@dataclass
class Figures:
    """What the simulated life produced, by group and kind of status message."""

    queued: Counter[tuple[str, str]] = field(default_factory=Counter)
    reached: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    waiting: Counter[tuple[str, str]] = field(default_factory=Counter)
    without_reason: int = 0
    sent_twice: int = 0
    seconds: float = 0.0

    def share(self, group: str, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(KINDS)
        queued = sum(self.queued[(group, k)] for k in kinds)
        got = sum(n for (g, k, _), n in self.reached.items() if g == group and k in kinds)
        return got / queued if queued else 1.0

    def _cell(self, group: str, kind: str) -> str:
        if not self.queued[(group, kind)]:
            return f"{'none sent':>14}"
        return f"{self.share(group, kind):>8.0%} ({self.queued[(group, kind)]:>3})"

    def table(self) -> str:
        lines = ["group      " + "".join(f"{k:>14}" for k in KINDS) + "       all   by kind"]
        for group in GROUPS:
            cells = "".join(self._cell(group, k) for k in KINDS)
            via = Counter[str]()
            for (g, _, v), n in self.reached.items():
                if g == group:
                    via[v] += n
            kinds = ", ".join(f"{v} {n}" for v, n in sorted(via.items()))
            lines.append(f"{group:<11}{cells}{self.share(group):>9.0%}   {kinds}")
        by_reason = Counter[str]()
        for (_, reason), n in self.waiting.items():
            by_reason[reason] += n
        left = ", ".join(f"{reason}: {n}" for reason, n in sorted(by_reason.items()))
        lines.append(f"not reached, listed for staff: {left or 'none'}")
        lines.append(f"not reached and no reason shown: {self.without_reason}")
        lines.append(f"sent twice: {self.sent_twice}")
        return "\n".join(lines)


class _Discard:
    """Emails to agencies and staff are not what is measured here."""

    def send(self, message: OutboxMessage) -> None:
        return None


def control(standin: StandIn, name: str, **body: Any) -> bool:
    resp = requests.post(f"{standin.base_url}/_standin/{name}", json=body, timeout=5)
    return resp.status_code == 200


def settings_for(settings: Settings) -> Settings:
    """The settings with the approved templates, where this checkout knows them."""
    known = {f.name for f in dataclasses.fields(settings)}
    return settings.with_overrides(**{k: v for k, v in REACH_SETTINGS.items() if k in known})


@dataclass
class Plan:
    """One petition's life: its group and the days things happen to it."""

    group: str
    forward_day: int
    due_day: int
    answer_day: int
    extend: bool
    petition_id: int = 0


def plans(citizens: int, seed: int) -> list[Plan]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation
    found = []
    for i in range(citizens):
        forward_day = 1 + i % 3
        answer = rng.randint(8, 45)
        due = forward_day + rng.randint(10, 40)
        found.append(Plan(GROUPS[i % 4], forward_day, due, answer, i % 5 == 0 and answer > due - 2))
    return found


def simulate(
    sessions: sessionmaker[Session],
    standin: StandIn,
    settings: Settings,
    *,
    start: date,
    citizens: int = 200,
    seed: int = 17,
    letter_dir: Path,
) -> Figures:
    """Live the petitions' lives from `start` (a Monday) until every reminder has fired."""
    began = time.perf_counter()
    settings = settings_for(settings)
    sender = zalo_layer(settings, sessions, transports={"email": _Discard()}).sender
    cfg = ReminderConfig(letter_dir=str(letter_dir))
    for template_id, params in TEMPLATES.items():
        control(standin, "templates", id=template_id, params=params)
    # Zalo's documents do not say a consultation reply needs a follower: the lenient reading.
    control(standin, "config", cs_requires_follow=False, template_monthly_quota=5000)
    with sessions() as s:
        pair = standin.state.issue_pair()
        store_pair(s, TokenPair(pair[0], pair[1], 90000), now=r.at(start, 7), source="bench")
        officer = r.officer(s)
        chief = r.supervisor(s)
        r.agency(s)
        s.commit()
        officer_id, chief_id = officer.id, chief.id
    lives = plans(citizens, seed)
    last_day = max(p.answer_day for p in lives) + 30
    for day_no in range(last_day + 1):
        day = start + timedelta(days=day_no)
        _clock(standin, r.at(day, 8))
        r.run_all(sessions, r.at(day), cfg)
        with sessions() as s:
            _sign_letters(s, s.get(type(chief), chief_id), r.at(day, 9), letter_dir)
            officer = s.get(type(officer), officer_id)
            for n, plan in enumerate(lives):
                _act(s, standin, plan, n, day_no, day, officer)
            s.commit()
        for hour in (10, 16):
            _clock(standin, r.at(day, hour))
            sender.drain(now=r.at(day, hour), limit=100_000)
    figures = measure(sessions, standin, lives)
    figures.seconds = time.perf_counter() - began
    return figures


def _sign_letters(s: Session, chief: Any, when: datetime, letter_dir: Path) -> None:
    """The office signs and sends the day's chase letters the same morning (only then is the
    citizen told the agency was chased)."""
    drafted = s.scalars(select(ChaseLetter).where(ChaseLetter.recorded_at.is_(None))).all()
    for n, letter in enumerate(drafted, 1):
        record_sent(
            s,
            letter,
            actor=wf.as_actor(chief),
            document_number=f"{n}/MTTQ-BTT",
            signer="Chủ tịch",
            sent_on=when.astimezone(LOCAL_TZ).date(),
            now=when,
            letter_dir=str(letter_dir),
        )


def _clock(standin: StandIn, when: datetime) -> None:
    """Move the stand-in's clock to the simulation's."""
    with standin.state.lock:
        standin.state.offset = when.timestamp() - time.time()


def _act(
    s: Session, standin: StandIn, plan: Plan, n: int, day_no: int, day: date, officer: Any
) -> None:
    if day_no == 0:
        plan.petition_id = _file(s, standin, plan, n, r.at(day, 9, n % 60)).id
        return
    petition = s.get(Petition, plan.petition_id)
    assert petition is not None
    if day_no == plan.forward_day:
        r.triaged(s, petition, r.at(day, 9), officer)
        due = day + timedelta(days=plan.due_day - plan.forward_day)
        wf.forward(
            s,
            petition,
            actor=officer,
            agency=r.agency(s),
            channel="van_ban",
            document_number=f"{petition.id}/MTTQ",
            sent_on=day,
            handler_due_on=due,
            now=r.at(day, 9, 30),
        )
    elif plan.extend and day_no == plan.due_day - 2 and petition.state == "forwarded":
        new_due = day + timedelta(days=plan.answer_day - day_no + 5)
        wf.extend_deadline(
            s,
            petition,
            actor=officer,
            new_due_on=new_due,
            note="Văn bản gia hạn",
            now=r.at(day, 9, 40),
        )
    elif day_no == plan.answer_day:
        wf.record_agency_answer(
            s, petition, actor=officer, text="Đã xử lý xong.", now=r.at(day, 11)
        )
    elif day_no == plan.answer_day + 1:
        wf.send_result(
            s,
            petition,
            actor=officer,
            now=r.at(day, 14),
            result_text="UBND phường đã cho thu gom rác và nhắc nhở các hộ dân.",
        )


def _file(s: Session, standin: StandIn, plan: Plan, n: int, when: datetime) -> Petition:
    """Day 0: the citizen writes (the only time), through Zalo."""
    petition = r.received(s, when)
    citizen = petition.citizen
    assert citizen is not None
    following = plan.group in {"follower", "both"}
    citizen.following = following or not REACHES  # today's code has no use for it
    phone = f"090{n:07d}" if plan.group in {"phone", "both"} else None
    control(standin, "interaction", user_id=citizen.zalo_user_id, at_ms=when.timestamp() * 1000)
    control(standin, "interaction", user_id=citizen.zalo_user_id, following=citizen.following)
    if phone:
        citizen.phone = petition.callback_phone = phone
        if REACHES:
            from handlers.outbox import consent

            consent.grant(citizen, phone, when)
            control(standin, "phones", phone=citizen.zns_phone, user_id=citizen.zalo_user_id)
    return petition


def kind_of(dedup_key: str | None) -> str | None:
    """Which status message an outbox row is, from its dedup key (any checkout's)."""
    key = dedup_key or ""
    for needle, kind in (
        ("notify.forwarded", "forwarded"),
        ("notify.extended", "extension"),
        ("notify.result", "result"),
        (":rating", "satisfaction"),
        (":overdue:", "overdue"),
        ("feedback", "satisfaction"),
    ):
        if needle in key:
            return kind
    return None


def measure(sessions: sessionmaker[Session], standin: StandIn, lives: list[Plan]) -> Figures:
    figures = Figures()
    group_of = {p.petition_id: p.group for p in lives}
    with sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id.is_not(None)))
        for row in rows:
            kind, group = kind_of(row.dedup_key), group_of.get(row.petition_id or 0)
            if kind is None or group is None:
                continue
            figures.queued[(group, kind)] += 1
            if row.state == "sent":
                via = getattr(row, "delivered_via", None) or "cs"
                figures.reached[(group, kind, via)] += 1
                continue
            held = row.last_error if row.state == "held" else None
            reason = getattr(row, "wait_reason", None) or held
            if reason:
                figures.waiting[(group, reason)] += 1
            else:
                figures.without_reason += 1
    # Every message the stand-in received must be one an outbox row recorded as its own.
    with sessions() as s:
        recorded = Counter[str]()
        for payload in s.scalars(select(OutboxMessage.payload)):
            recorded.update(str(i) for i in (payload or {}).get("sent_ids") or [] if i)
    received = Counter(str(m["message_id"]) for m in standin.state.sent_to(None))
    figures.sent_twice = sum((received - recorded).values()) + sum(
        n - 1 for n in recorded.values() if n > 1
    )
    return figures


def run(backend: str, citizens: int) -> Figures:
    from handlers.seed import seed_reference
    from storage import migrate
    from storage.db import make_engine, make_sessionmaker
    from tests.conftest import make_settings
    from tests.support import fresh_database, start_standin

    base = {
        "sqlite": "sqlite:////tmp/unused.sqlite3",
        "postgresql": os.environ.get(
            "PAKN_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    }[backend]
    with tempfile.TemporaryDirectory() as tmp, fresh_database(base, Path(tmp)) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)
        with sessions() as s:
            seed_reference(s)
            s.commit()
        standin = start_standin()
        try:
            settings = make_settings(
                url, Path(tmp), zalo_api_base=standin.base_url, zalo_oauth_base=standin.base_url
            )
            if "zns_api_base" in {f.name for f in dataclasses.fields(settings)}:
                settings = settings.with_overrides(zns_api_base=standin.base_url)
            start = next_monday(datetime.now(UTC).date() + timedelta(days=7))
            return simulate(
                sessions,
                standin,
                settings,
                start=start,
                citizens=citizens,
                letter_dir=Path(tmp) / "letters",
            )
        finally:
            standin.close()
            engine.dispose()


def next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--citizens", type=int, default=200)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"code: {'reaches beyond the window' if REACHES else 'consultation messages only'}")
    for backend in backends:
        figures = run(backend, args.citizens)
        print(f"\n== {backend}: {args.citizens} citizens, {figures.seconds:.0f} s")
        print(figures.table())


if __name__ == "__main__":
    main()
