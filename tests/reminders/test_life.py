"""One petition's simulated life of about 40 working days (November–December 2026): every
reminder, letter and message it caused, in order, on the right days.

Set PAKN_LIFE_TRANSCRIPT=/some/file to keep the transcript (the closing note quotes it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.chase import record_sent
from handlers.reminders.config import ReminderConfig
from handlers.workflow.actors import Actor
from storage.models import ChaseLetter, OutboxMessage, Petition, Reminder, StaffNotification
from tests.reminders import helpers as r

D = date


def _transcript(session: Session, petition: Petition, queued_on: dict[int, date]) -> list[str]:
    """What happened, day by day (outbox rows carry real time, so their day is recorded)."""
    events: list[tuple[datetime, int, str]] = []
    for row in session.scalars(select(Reminder).where(Reminder.petition_id == petition.id)):
        note = " (superseded)" if (row.data or {}).get("superseded_by") else ""
        letter = f" → letter {Path(row.letter_path).name}" if row.letter_path else ""
        events.append((row.created_at, 0, f"ledger: {row.rung}{note}{letter}"))
    for n in session.scalars(select(StaffNotification)):
        if n.kind == "reminder.supervisors":
            continue  # the supervisors' daily digest, every working day
        who = n.role + (f" (agency {n.agency_id})" if n.agency_id else "")
        events.append((n.created_at, 1, f"admin inbox [{who}]: {n.title}"))
    for m in session.scalars(select(OutboxMessage)):
        when = r.at(queued_on[m.id], 23, 59)
        if m.channel == "email":
            if "Tình hình hồ sơ" in m.payload["subject"]:
                continue  # the supervisors' daily digest, every working day
            events.append((when, 2, f"email to {m.recipient}: {m.payload['subject']}"))
        elif m.petition_id == petition.id:
            text = str(m.payload.get("text", "")).replace("\n", " / ")
            buttons = " | ".join(b["title"] for b in m.payload.get("buttons", []))
            events.append(
                (when, 3, f"Zalo to citizen: {text}" + (f" [{buttons}]" if buttons else ""))
            )
    lines = []
    for when, _, text in sorted(events, key=lambda e: (e[0], e[1])):
        lines.append(f"{wf.local_date(when):%a %d/%m/%Y}  {text}")
    return lines


def test_forty_working_days_of_one_petition(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    s = db_session
    officer = r.officer(s)
    r.supervisor(s)
    r.liaison(s)
    r.agency(s)
    s.commit()
    holder: dict[str, Petition] = {}

    def submit(now: datetime) -> None:
        holder["p"] = r.received(s, now)

    def triage_and_forward(now: datetime) -> None:
        p = holder["p"]
        r.triaged(s, p, now, officer)
        wf.forward(
            s,
            p,
            actor=officer,
            agency=r.agency(s),
            channel="van_ban",
            document_number="215/MTTQ-BTT",
            sent_on=wf.local_date(now),
            now=now,
        )

    def agency_answers(now: datetime) -> None:
        wf.record_agency_answer(
            s,
            holder["p"],
            actor=officer,
            now=now,
            text="UBND phường đã chỉ đạo thu gom, xử lý điểm rác.",
        )

    def result_sent(now: datetime) -> None:
        wf.send_result(
            s,
            holder["p"],
            actor=officer,
            now=now,
            result_text="Điểm tập kết rác đã được thu gom, xử lý ngày 09/12/2026.",
        )

    actions: dict[date, tuple[int, Callable[[datetime], None]]] = {
        D(2026, 11, 2): (9, submit),
        D(2026, 11, 5): (10, triage_and_forward),
        D(2026, 12, 10): (15, agency_answers),
        D(2026, 12, 16): (10, result_sent),
    }
    queued_on: dict[int, date] = {}
    for day in r.days(D(2026, 11, 2), D(2027, 1, 4)):
        r.run_all(session_factory, r.at(day), cfg)
        s.expire_all()
        for letter in s.scalars(select(ChaseLetter).where(ChaseLetter.sent_on.is_(None))):
            # The officer has each drafted letter signed and sends it the same afternoon.
            record_sent(
                s,
                letter,
                actor=Actor.of_staff(officer),
                document_number=f"{letter.id}/MTTQ-BTT",
                signer="Nguyễn Văn A",
                sent_on=day,
                now=r.at(day, 14),
                letter_dir=cfg.letter_dir,
            )
        s.commit()
        if day in actions:
            hour, act = actions[day]
            s.expire_all()
            act(r.at(day, hour))
            s.commit()
        for message_id in s.scalars(select(OutboxMessage.id)):
            queued_on.setdefault(message_id, day)
    p = holder["p"]
    s.expire_all()
    assert (p.state, p.close_reason) == ("closed", "no_answer")
    assert r.fired(s, p) == {
        "triage": D(2026, 11, 4),
        "triage-hard": D(2026, 11, 5),
        "remind": D(2026, 11, 6),
        "overdue": D(2026, 11, 11),
        "letter2": D(2026, 11, 25),
        "agenda": D(2026, 12, 9),
        "relay": D(2026, 12, 15),
        "feedback-remind": D(2026, 12, 23),
        "auto-close": D(2026, 12, 31),
    }
    citizen = r.citizen_messages(s, p)
    assert [t.split(":")[0] for t in citizen] == [f"Hồ sơ {p.code}"] * 3  # 2 chases, 1 ask
    lines = _transcript(s, p, queued_on)
    # Two letters and the supervision proposal: each drafted, then its signed copy.
    names = sorted(f.name for f in Path(cfg.letter_dir).rglob("*.docx"))
    assert len(names) == 6 and sum(n.endswith("-da-gui.docx") for n in names) == 3
    target = os.environ.get("PAKN_LIFE_TRANSCRIPT")
    if target:
        Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sum("email to" in line for line in lines) == 8
    assert sum("Zalo to citizen" in line for line in lines) == 8
