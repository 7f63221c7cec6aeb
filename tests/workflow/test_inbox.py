"""The inbox query: filters, scope, both sorts with keyset paging, diacritics-free search."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.workflow.inbox import InboxFilter, inbox_page
from storage.models import Petition
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def codes(s: Session, actor: wf.Actor, f: InboxFilter, **kw: object) -> list[str]:
    return [r.code for r in inbox_page(s, actor, f, now=T0 + timedelta(days=30), **kw).rows]  # type: ignore[arg-type]


def submitted(s: Session, minutes: int, **kw: object) -> Petition:
    return wf.submit(s, h.draft(s, **kw), now=T0 + timedelta(minutes=minutes))  # type: ignore[arg-type]


def test_search_ignores_diacritics_and_case(db_session: Session) -> None:
    s = db_session
    flood = submitted(s, 1, text="Đường Hùng Vương NGẬP NƯỚC sau mưa", phone="0905 123 456")
    other = submitted(s, 2, text="Đèn đường hỏng ở khối phố 3")
    boss = wf.SYSTEM
    assert codes(s, boss, InboxFilter(q="ngap nuoc")) == [flood.code]
    assert codes(s, boss, InboxFilter(q="Ngập  Nước")) == [flood.code]
    assert codes(s, boss, InboxFilter(q="nuoc ngap")) == [flood.code]  # every word, any order
    assert codes(s, boss, InboxFilter(q=flood.code.lower())) == [flood.code]  # type: ignore[union-attr]
    assert codes(s, boss, InboxFilter(q="0905123456")) == [flood.code]
    assert codes(s, boss, InboxFilter(q="den duong")) == [other.code]
    assert codes(s, boss, InboxFilter(q="100%_")) == []  # LIKE wildcards are literal
    assert codes(s, boss, InboxFilter(q="xe")) == []  # short words still work (no index)
    for hostile in ("'; DROP TABLE petitions; --", "'''", "\\'", '"'):
        assert codes(s, boss, InboxFilter(q=hostile)) == []


def test_filters(db_session: Session) -> None:
    s = db_session
    officer = h.staff(s)
    urgent = submitted(s, 1, urgent=True)
    plain = submitted(
        s, 2, ward_code="quang_phu", category_code="giao_thong", legal_type="kien_nghi"
    )
    manual = submitted(s, 3)
    manual.needs_manual_classification = True
    wf.assign(s, plain, actor=h.staff(s, "supervisor"), assignee=None, now=T0)
    wf.assign(s, urgent, actor=officer, assignee=officer, now=T0)
    wf.triage(
        s,
        urgent,
        actor=officer,
        category_id=urgent.category_id,
        ward_id=urgent.ward_id,
        legal_type="phan_anh",
        urgent=True,
        now=T0,
    )
    fwd = wf.forward(
        s,
        urgent,
        actor=officer,
        agency=h.agency(s),
        channel="van_ban",
        document_number="1",
        sent_on=h.MONDAY,
        now=T0,
    )
    s.flush()
    boss = wf.SYSTEM
    assert codes(s, boss, InboxFilter(urgent=True)) == [urgent.code]
    assert codes(s, boss, InboxFilter(ward_id=plain.ward_id)) == [plain.code]
    assert codes(s, boss, InboxFilter(category_id=plain.category_id)) == [plain.code]
    assert codes(s, boss, InboxFilter(legal_type="kien_nghi")) == [plain.code]
    assert codes(s, boss, InboxFilter(agency_id=fwd.agency_id)) == [urgent.code]
    assert codes(s, boss, InboxFilter(state="forwarded")) == [urgent.code]
    assert codes(s, boss, InboxFilter(unassigned=True)) == [manual.code, plain.code]
    assert codes(s, boss, InboxFilter(assignee_id=officer.id)) == [urgent.code]
    assert codes(s, boss, InboxFilter(manual=True)) == [manual.code]
    assert set(codes(s, boss, InboxFilter(overdue=True))) == {urgent.code, plain.code, manual.code}
    wf.close(s, plain, actor=h.staff(s, "admin"), reason="resolved", now=T0)
    assert plain.code not in codes(s, boss, InboxFilter())
    assert plain.code in codes(s, boss, InboxFilter(state="all"))
    staff_tk = wf.Actor.of_staff(officer)
    assert plain.code not in codes(s, staff_tk, InboxFilter(state="all"))


def test_keyset_paging_visits_every_row_once(db_session: Session) -> None:
    s = db_session
    made = [submitted(s, i % 7, text=f"Phản ánh số {i}") for i in range(23)]  # equal times too
    for sort in ("time", "deadline"):
        seen: list[str] = []
        cursor = None
        while True:
            page = inbox_page(s, wf.SYSTEM, InboxFilter(sort=sort), now=T0, cursor=cursor, limit=5)
            seen += [r.code for r in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(seen) == sorted(p.code for p in made) and len(seen) == len(set(seen))  # type: ignore[type-var]
    garbage = inbox_page(s, wf.SYSTEM, InboxFilter(), now=T0, cursor="%%%not-a-cursor", limit=5)
    assert len(garbage.rows) == 5
