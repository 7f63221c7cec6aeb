"""Two scheduler processes started together; the leader is killed (SIGKILL) in the middle of
the agency ladder. Every reminder must exist once and every email arrive once at a real SMTP
server. PostgreSQL runs the advisory lock, SQLite the lease row: the same scenario on both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from handlers.seed import seed_reference
from handlers.workflow.calendar import WorkCalendar, end_of_day
from storage import migrate
from storage.db import make_engine, make_sessionmaker, transaction
from storage.models import (
    Agency,
    Category,
    Forward,
    JobRun,
    OutboxMessage,
    Petition,
    Reminder,
    StaffUser,
    Ward,
    staff_wards,
)
from tests.reminders.conftest import SmtpServer
from tests.reminders.helpers import VN, at

ROOT = Path(__file__).resolve().parents[2]
OVERDUE, REMIND, UNTRIAGED = 360, 40, 20
BATCH = 20


@dataclass
class Scenario:
    day: date
    overdue: int
    remind: int
    untriaged: int


def _pick_day(cal: WorkCalendar) -> date:
    """A working Friday at least 30 days ahead (the outbox stamps rows with real time)."""
    day = datetime.now(VN).date() + timedelta(days=30)
    while day.weekday() != 4 or day.month in (1, 2) or not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def _build(session: Session) -> Scenario:
    cal = WorkCalendar.load(session)
    day = _pick_day(cal)
    wards = session.scalars(select(Ward).order_by(Ward.id)).all()
    category = session.scalars(select(Category).order_by(Category.id)).first()
    assert category is not None
    agencies: dict[int, list[Agency]] = {}
    for ward in wards:
        found = session.scalars(
            select(Agency).where(
                Agency.ward_id == ward.id, Agency.kind.in_(("ubnd_phuong", "cong_an_phuong"))
            )
        ).all()
        for a in found:
            a.contact_email = f"vanthu.{a.code}@coquan.test"
        agencies[ward.id] = list(found)
        staff = StaffUser(
            username=f"canbo_{ward.code}",
            email=f"canbo.{ward.code}@mttq.test",
            password_hash="x",
            role="staff",
        )
        session.add(staff)
        session.flush()
        session.execute(insert(staff_wards).values(staff_id=staff.id, ward_id=ward.id))
    session.add(
        StaffUser(
            username="lanhdao", email="lanhdao@mttq.test", password_hash="x", role="supervisor"
        )
    )
    overdue_due = cal.add_working_days(day, -1)
    remind_due = cal.add_working_days(day, 2)
    rows = []
    for n in range(OVERDUE + REMIND + UNTRIAGED):
        ward = wards[n % len(wards)]
        forwarded = n < OVERDUE + REMIND
        due = overdue_due if n < OVERDUE else remind_due
        received = at(day - timedelta(days=20))
        rows.append(
            {
                "code": f"TK-TEST-{n:06d}",
                "state": "forwarded" if forwarded else "received",
                "channel": "walk_in",
                "ward_id": ward.id,
                "category_id": category.id,
                "legal_type": "phan_anh",
                "received_at": received if forwarded else at(cal.add_working_days(day, -2)),
                "decided_at": received if forwarded else None,
                "triage_due_on": None if forwarded else cal.add_working_days(day, -1),
                "triage_hard_due_on": None if forwarded else cal.add_working_days(day, 1),
                "decision_due_on": None if forwarded else day + timedelta(days=8),
                "next_due_at": end_of_day(due if forwarded else cal.add_working_days(day, -1)),
            }
        )
    ids = session.scalars(insert(Petition).returning(Petition.id), rows).all()
    forwards = []
    for n, pid in enumerate(ids[: OVERDUE + REMIND]):
        ward = wards[n % len(wards)]
        agency = agencies[ward.id][(n // len(wards)) % len(agencies[ward.id])]
        forwards.append(
            {
                "petition_id": pid,
                "agency_id": agency.id,
                "channel": "van_ban",
                "document_number": f"{n}/MTTQ",
                "sent_on": day - timedelta(days=20),
                "handler_due_on": overdue_due if n < OVERDUE else remind_due,
                "deadline_version": 1,
                "active": True,
            }
        )
    session.execute(insert(Forward), forwards)
    return Scenario(day, OVERDUE, REMIND, UNTRIAGED)


@pytest.fixture
def database(empty_database_url: str) -> Iterator[tuple[str, Engine]]:
    engine = make_engine(empty_database_url, poolclass=NullPool)
    migrate.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        seed_reference(session)
    yield empty_database_url, engine
    engine.dispose()


def _spawn(
    url: str, smtp: SmtpServer, now: str, letters: Path, log: BinaryIO, command: str = "scheduler"
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAKN_DEMO": "1",
        "DATABASE_URL": url,
        "SMTP_URL": smtp.url,
        "LETTER_DIR": str(letters),
        "REMINDER_BATCH_SIZE": str(BATCH),
        "SCHEDULER_POLL_SECONDS": "1",
        # Long enough that a leader starved by a loaded runner still renews in time (the
        # standby running while the leader lives fails the test), short enough to fail over.
        "SCHEDULER_LEASE_SECONDS": "10",
        "ZALO_API_BASE": "http://127.0.0.1:9",
        "ZALO_OAUTH_BASE": "http://127.0.0.1:9",
        "ZALO_INLINE_MODE": "off",
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", command, "--now", now],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _until(what: str, condition: Callable[[], Any], seconds: float, tmp: Path) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp.glob("*.log"))
            raise AssertionError(f"timed out waiting for {what}\n{logs}")
        time.sleep(0.01)


def test_two_schedulers_one_killed_mid_run(
    database: tuple[str, Engine], smtp_server: SmtpServer, tmp_path: Path, backend: str
) -> None:
    url, engine = database
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        scenario = _build(session)
    now = at(scenario.day, 8, 20).isoformat()
    logs = [(tmp_path / f"scheduler-{n}.log").open("wb") for n in range(2)]
    worker_log = (tmp_path / "worker.log").open("wb")
    procs: list[subprocess.Popen[bytes]] = []
    # The worker sends what the schedulers queue, as in production.
    sender = _spawn(url, smtp_server, now, tmp_path / "letters", worker_log, "worker")

    def read(fn: Callable[[Session], Any]) -> Any:
        with transaction(sessions) as s:
            return fn(s)

    def agency_run(s: Session) -> JobRun | None:
        return s.scalars(
            select(JobRun).where(JobRun.job == "reminders-agency", JobRun.outcome == "running")
        ).first()

    def overdue_rows(s: Session) -> int:
        return (
            s.scalar(select(func.count()).select_from(Reminder).where(Reminder.rung == "overdue"))
            or 0
        )

    try:
        procs.extend(_spawn(url, smtp_server, now, tmp_path / "letters", log) for log in logs)
        by_pid = {p.pid: p for p in procs}
        # Mid-run: the agency pass has committed some chunks but not all of them.
        run = _until(
            "the agency pass to be half done",
            lambda: read(
                lambda s: (r := agency_run(s)) is not None and 0 < overdue_rows(s) < OVERDUE and r
            ),
            90,
            tmp_path,
        )
        leader_pid = int(run.detail["by"].split(":")[1])
        assert leader_pid in by_pid
        os.kill(leader_pid, signal.SIGKILL)
        by_pid[leader_pid].wait(10)
        done_at_kill = read(overdue_rows)
        assert 0 < done_at_kill < OVERDUE, "the kill did not land mid-run"
        survivor = next(p for p in procs if p.pid != leader_pid)

        def settled(s: Session) -> bool:
            emails = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
            return (
                overdue_rows(s) == OVERDUE
                and s.scalar(
                    select(func.count())
                    .select_from(JobRun)
                    .where(JobRun.job == "reminders-agency", JobRun.outcome == "ok")
                )
                == 1
                and bool(emails)
                and all(m.state == "sent" for m in emails)
                and len(smtp_server.inbox.messages) >= len(emails)
            )

        _until(
            "the standby to finish the work and drain the outbox",
            lambda: read(settled),
            90,
            tmp_path,
        )
        time.sleep(1.0)  # anything sent twice would arrive now
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(30) == 0
        sender.send_signal(signal.SIGTERM)
        assert sender.wait(30) == 0
    finally:
        for p in [*procs, sender]:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        for log in [*logs, worker_log]:
            log.close()

    with transaction(sessions) as s:
        runs = s.scalars(select(JobRun).order_by(JobRun.id)).all()
        agency = [
            (r.outcome, int(r.detail["by"].split(":")[1]))
            for r in runs
            if r.job == "reminders-agency"
        ]
        assert agency == [("interrupted", leader_pid), ("ok", survivor.pid)]
        # The standby ran nothing while the leader lived.
        first_survivor_run = min(r.id for r in runs if f":{survivor.pid}:" in r.detail["by"])
        assert all(f":{leader_pid}:" in r.detail["by"] for r in runs if r.id < first_survivor_run)
        # Every reminder exactly once: one overdue (+ the superseded −2) per overdue forward,
        # one −2 reminder per forward due in two working days, one triage digest row each.
        per_rung = dict(
            s.execute(select(Reminder.rung, func.count()).group_by(Reminder.rung)).all()
        )
        assert per_rung == {
            "overdue": OVERDUE,
            "remind": OVERDUE + REMIND,
            "triage": UNTRIAGED,
            "supervisors-digest": 1,
        }
        emails = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
        expected_ids = sorted(f"<outbox-{m.id}@mttq-tamky.vn>" for m in emails)
        letters = len(list((tmp_path / "letters").rglob("*.docx")))
    received = sorted(smtp_server.inbox.message_ids())
    assert received == expected_ids  # every email arrived, and arrived once
    assert letters == OVERDUE
    # Digests, not floods: per ward and chunk of BATCH forwards one staff digest of letters.
    chunks = OVERDUE // BATCH
    assert len(emails) <= chunks * 4 + 20
