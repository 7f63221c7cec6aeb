"""The agency ladder on every running forward (petition-workflow.md, "reminder ladder").

−2 working days: a reminder to the agency's contact (email) and its liaisons' inbox.
Deadline passed: overdue; the first đôn đốc letter (.docx) is drafted for staff to number,
sign and send, and the liaisons are told. +10 working days: the second letter, to the
agency's head. +20: a proposal to put it on the standing committee's supervision agenda.
Each drafted document is a ChaseLetter on the letters screen and an item of "Việc cần làm";
the citizen hears that a letter went out only once staff record it as sent
(handlers.chase). A re-forward (a new forward) or an extension (a new deadline_version and
date) starts a new ladder, because both are part of the ledger key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.agencies.mail import agency_digest
from handlers.jobs import JobContext
from handlers.reminders import engine, ladder, letters, notices, texts
from handlers.reminders.drafting import record_drafts
from handlers.reminders.engine import Item, Pass, Planned, by_rung, ward_of
from handlers.reminders.ledger import forward_key
from handlers.workflow.calendar import local_date
from storage.models import Forward, Petition, Reminder
from storage.models.enums import PetitionState as S
from storage.models.enums import Role

LETTER_RUNGS = (ladder.AGENCY_OVERDUE, ladder.AGENCY_LETTER2)
#: Rungs that draft a document (the two letters and the supervision proposal).
DOCUMENT_RUNGS = (*LETTER_RUNGS, ladder.AGENCY_AGENDA)


def _items(session: Session, p: Pass) -> Iterable[Item]:
    horizon = p.cal.add_working_days(p.today, p.config.ladder.agency_remind_before)
    rows = session.execute(
        select(
            Forward.id,
            Forward.deadline_version,
            Forward.handler_due_on,
            Forward.sent_on,
            Forward.document_number,
            Forward.agency_id,
            Petition.id.label("petition_id"),
            Petition.code,
            Petition.ward_id,
            Petition.category_id,
            Petition.citizen_id,
            Petition.state,
        )
        .join(Petition, Petition.id == Forward.petition_id)
        .where(
            Forward.active.is_(True),
            Forward.answered_at.is_(None),
            Forward.handler_due_on <= horizon,
            Petition.state.in_((S.FORWARDED, S.AGENCY_ACKNOWLEDGED)),
            Petition.paused_at.is_(None),
        )
    )
    for row in rows:
        steps = ladder.agency_steps(p.cal, row.handler_due_on, p.config.ladder)
        fid, version = row.id, row.deadline_version

        def key_of(step: ladder.Step, fid: int = fid, version: int = version) -> str:
            return forward_key(fid, version, step.due_on, step.rung)

        yield Item(row.petition_id, row.ward_id, steps, key_of, row, forward_id=fid)


def _prepare(p: Pass, pl: Planned) -> None:
    """Name the document's file before claiming, so the row records where it is."""
    if pl.act.rung in DOCUMENT_RUNGS:
        row = pl.item.row
        name = f"{row.code or f'p{row.petition_id}'}-{pl.act.rung}-f{row.id}v{row.deadline_version}"
        pl.act.letter_path = f"{p.today:%Y/%m}/{name}.docx"
        pl.act.data = {"manual_fields": sorted(letters.MANUAL_FIELDS)}


def letter_date(day: date) -> tuple[str, str, str]:
    """Nghị định 30/2020: a zero before days under 10 and before months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def letter_values(
    p: Pass, pl: Planned, first_letter_on: date | None, second_letter_on: date | None = None
) -> dict[str, str]:
    """The placeholders of one document (never the citizen's identity)."""
    row = pl.item.row
    agency = p.agencies[row.agency_id]
    ngay, thang, nam = letter_date(p.today)
    unit = p.unit_name(row.ward_id)
    return {
        "ten_don_vi": unit,
        # The committee, in capitals, under the letter's "ỦY BAN MTTQ VIỆT NAM".
        "ten_don_vi_hoa": unit.replace("Ủy ban MTTQ Việt Nam ", "").upper(),
        "dia_danh": p.wards.get(row.ward_id, "Tam Kỳ"),
        "ngay": ngay,
        "thang": thang,
        "nam": nam,
        "co_quan": agency.name,
        "thu_truong": agency.head_title or f"Thủ trưởng {agency.name}",
        "ngay_chuyen": texts.fmt_date(row.sent_on),
        "ma_ho_so": row.code or "",
        "linh_vuc": p.category(row.category_id),
        "so_van_ban_chuyen": row.document_number or letters.BLANK,
        "han_giai_quyet": texts.fmt_date(row.handler_due_on),
        "han_tra_loi": texts.fmt_date(p.cal.add_working_days(p.today, p.config.letter_reply_wd)),
        "ngay_lan_1": texts.fmt_date(first_letter_on) if first_letter_on else letters.BLANK,
        "ngay_lan_2": texts.fmt_date(second_letter_on) if second_letter_on else letters.BLANK,
        "so_ngay_qua_han": str(max(0, p.cal.working_days_between(row.handler_due_on, p.today))),
    }


def _letter_days(session: Session, members: list[Planned], rung: str) -> dict[int, date]:
    """When each forward's earlier letter of `rung` was drafted (for the later ones' text)."""
    keys = [
        forward_key(pl.item.row.id, pl.item.row.deadline_version, pl.act.due_on, rung)
        for pl in members
        if pl.act.due_on is not None
    ]
    rows = session.execute(
        select(Reminder.forward_id, Reminder.created_at, Reminder.data).where(
            Reminder.key.in_(keys)
        )
    )
    return {
        fid: local_date(created)
        for fid, created, data in rows
        if not (data or {}).get("superseded_by")
    }


def _line(p: Pass, pl: Planned) -> str:
    row = pl.item.row
    return (
        f"{row.code} — {p.agencies[row.agency_id].name} — văn bản số "
        f"{row.document_number or '…'} ngày {texts.fmt_date(row.sent_on)} — hạn giải quyết "
        f"{texts.fmt_date(row.handler_due_on)}"
    )


def _by_agency(members: list[Planned]) -> dict[int, list[Planned]]:
    grouped: dict[int, list[Planned]] = defaultdict(list)
    for pl in sorted(members, key=lambda pl: pl.item.row.code or ""):
        grouped[pl.item.row.agency_id].append(pl)
    return grouped


def _remind(session: Session, p: Pass, ward: int | None, members: list[Planned]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for agency_id, group in _by_agency(members).items():
        agency = p.agencies[agency_id]
        rendered = texts.render(
            session,
            "reminder.remind",
            agency=agency.name,
            count=len(group),
            items=texts.item_lines([_line(p, pl) for pl in group]),
        )
        key = min(pl.act.key for pl in group)
        counts["emails"] += agency_digest(
            session,
            dedup=partial(notices.dedup, key, "to"),
            agency_id=agency_id,
            forward_ids=[pl.item.row.id for pl in group],
            subject=rendered.subject,
            body=rendered.body,
            now=p.now,
        )
        counts["emails"] += notices.post(
            session,
            key=key,
            kind="reminder.remind",
            rendered=rendered,
            people=p.audience.liaisons(agency_id),
            now=p.now,
            role=Role.AGENCY,
            ward_id=ward,
            agency_id=agency_id,
            link="/?sort=deadline",
        )
    return counts


def _draft(
    session: Session,
    p: Pass,
    members: list[Planned],
    firsts: dict[int, date],
    seconds: dict[int, date] | None = None,
) -> tuple[int, list[str]]:
    """Write the documents (a few threads: file metadata is the slow part of a big catch-up),
    then record them; return how many and the digest's lines."""
    lines, jobs, drafted = [], [], []
    for pl in sorted(members, key=lambda pl: pl.item.row.code or ""):
        template = letters.compiled(pl.act.rung, p.config.letter_template_dir)
        fid = pl.item.row.id
        values = letter_values(p, pl, firsts.get(fid), (seconds or {}).get(fid))
        jobs.append((p.config.letter_dir, str(pl.act.letter_path), template, values))
        drafted.append((pl, values))
        lines.append(f"{_line(p, pl)} — {_what(pl.act.rung)}: {pl.act.letter_path}")
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="letters") as pool:
        list(pool.map(lambda job: letters.write_letter(*job), jobs))
    return record_drafts(session, p, drafted), lines


def _what(rung: str) -> str:
    if rung == ladder.AGENCY_AGENDA:
        return "dự thảo đề xuất giám sát"
    return f"dự thảo văn bản đôn đốc lần {1 if rung == ladder.AGENCY_OVERDUE else 2}"


def _letters(session: Session, p: Pass, ward: int | None, members: list[Planned]) -> Counter[str]:
    counts: Counter[str] = Counter()
    second = [pl for pl in members if pl.act.rung == ladder.AGENCY_LETTER2]
    firsts = _letter_days(session, second, ladder.AGENCY_OVERDUE)
    drafted, lines = _draft(session, p, members, firsts)
    counts["letters"] += drafted
    rendered = texts.render(
        session,
        "reminder.letters",
        ward=p.ward_name(ward),
        count=len(members),
        items=texts.item_lines(lines),
        placeholder="Số: ……/MTTQ-BTT và người ký",
        link=p.link("/letters"),
    )
    # Each letter is an item of its own (drafting.record_drafts): the digest is email only.
    counts["emails"] += notices.post(
        session,
        key=min(pl.act.key for pl in members),
        kind="reminder.letters",
        rendered=rendered,
        people=p.audience.staff(ward),
        now=p.now,
        item=False,
    )
    for agency_id, group in _by_agency(members).items():
        liaison = texts.render(
            session,
            "reminder.liaison",
            agency=p.agencies[agency_id].name,
            count=len(group),
            items=texts.item_lines([f"{_line(p, pl)} — đã quá hạn" for pl in group]),
        )
        notices.post(
            session,
            key=min(pl.act.key for pl in group),
            kind="reminder.overdue",
            rendered=liaison,
            people=[],  # the signed letter is the agency's notice; the inbox shows the list
            now=p.now,
            role=Role.AGENCY,
            ward_id=ward,
            agency_id=agency_id,
            link=f"/?agency={agency_id}&overdue=1&sort=deadline",
        )
    return counts


def _agenda(session: Session, p: Pass, ward: int | None, members: list[Planned]) -> Counter[str]:
    firsts = _letter_days(session, members, ladder.AGENCY_OVERDUE)
    seconds = _letter_days(session, members, ladder.AGENCY_LETTER2)
    drafted, lines = _draft(session, p, members, firsts, seconds)
    rendered = texts.render(
        session,
        "reminder.agenda",
        ward=p.ward_name(ward),
        count=len(members),
        items=texts.item_lines(lines),
        link=p.link("/letters?kind=agenda"),
    )
    emails = notices.post(
        session,
        key=min(pl.act.key for pl in members),
        kind="reminder.agenda",
        rendered=rendered,
        people=p.audience.supervisors(ward),
        now=p.now,
        item=False,
    )
    return Counter(emails=emails, agenda=drafted)


def handle(session: Session, p: Pass, group: Hashable, acted: list[Planned]) -> Mapping[str, int]:
    """Act on one ward's claimed rungs: reminders, letters, agenda; one digest of each."""
    ward, rungs = ward_of(group), by_rung(acted)
    counts: Counter[str] = Counter()
    if rungs[ladder.AGENCY_REMIND]:
        counts.update(_remind(session, p, ward, rungs[ladder.AGENCY_REMIND]))
    letter_members = [pl for rung in LETTER_RUNGS for pl in rungs[rung]]
    if letter_members:
        counts.update(_letters(session, p, ward, letter_members))
    if rungs[ladder.AGENCY_AGENDA]:
        counts.update(_agenda(session, p, ward, rungs[ladder.AGENCY_AGENDA]))
    return counts


def agency_ladder(ctx: JobContext) -> Mapping[str, Any]:
    """Chase every running forward: reminder, overdue + letter, second letter, agenda."""
    return engine.run(ctx, _items, handle, prepare=_prepare)
