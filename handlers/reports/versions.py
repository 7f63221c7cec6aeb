"""Report versions: draft, edit, refresh, send (frozen), and corrections as new versions.

A period's report for a scope is read from its newest version when one exists; without one
it is computed live (nothing is written by reading). A sent version is never changed: a
correction is the next version, drafted with the reason for it, and both stay visible.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import tasks
from handlers.reports import narrative
from handlers.reports.figures import compute
from handlers.reports.periods import MIN_YEAR, Period, periods_of
from handlers.workflow.calendar import WorkCalendar, local_date, start_of_day
from storage.models import OrgUnit, ReportVersion, Ward
from storage.models.enums import UnitKind

AREA = "all"
AREA_NAME = "Ủy ban MTTQ Việt Nam khu vực Tam Kỳ"
DRAFT, SENT = "draft", "sent"
#: The kind of the monthly draft's item in "Việc cần làm".
KIND = "report.monthly_draft"
DEFAULT_SIGNER = "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH"
CITY_COMMITTEE = "Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Đà Nẵng"
LIMITS = {
    "number": 40,
    "place": 100,
    "signer_title": 200,
    "signer_name": 200,
    "recipients": 2000,
    "narrative": 20000,
    "reason": 2000,
}


class ReportError(Exception):
    """A refused report action; the message is shown to the officer."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose report: the whole area ("all") or one ward, and the committee that issues it."""

    key: str
    ward: Ward | None
    unit_name: str

    @property
    def title(self) -> str:
        return f"phường {self.ward.name}" if self.ward else "toàn khu vực Tam Kỳ"

    @property
    def place(self) -> str:
        """The place of the date line: a ward committee writes its ward's name (NĐ 30/2020)."""
        return self.ward.name if self.ward else "Tam Kỳ"


def scope_of(session: Session, key: str | None) -> Scope | None:
    """The scope a link names (None when the ward code is unknown)."""
    if not key or key == AREA:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.kind == UnitKind.CITY_FRONT).limit(1))
        return Scope(AREA, None, unit.name if unit else AREA_NAME)
    ward = session.scalar(select(Ward).where(Ward.code == key))
    if ward is None:
        return None
    unit = session.scalar(select(OrgUnit).where(OrgUnit.ward_id == ward.id))
    return Scope(ward.code, ward, unit.name if unit else f"Ủy ban MTTQ Việt Nam phường {ward.name}")


def ward_scopes(session: Session) -> list[Scope]:
    """Every active ward's scope, in display order."""
    codes = session.scalars(
        select(Ward.code).where(Ward.active.is_(True)).order_by(Ward.sort_order, Ward.name)
    )
    return [s for s in (scope_of(session, c) for c in codes) if s is not None]


@dataclass(slots=True)
class Report:
    """What the page and the files show: a version, or the live figures when none exists."""

    period: Period
    scope: Scope
    figures: dict[str, Any]
    previous: dict[str, Any] | None
    version: ReportVersion | None
    header: dict[str, Any] = field(default_factory=dict)

    @property
    def frozen(self) -> bool:
        return self.version is not None and self.version.status == SENT


def versions(session: Session, period: Period, scope: Scope) -> list[ReportVersion]:
    """Every version of the report, oldest first."""
    return list(
        session.scalars(
            select(ReportVersion)
            .where(ReportVersion.period == period.key, ReportVersion.scope == scope.key)
            .order_by(ReportVersion.version)
        )
    )


def latest(
    session: Session, period: Period, scope: Scope, *, sent_only: bool = False
) -> ReportVersion | None:
    """The newest version (the newest sent one with `sent_only`)."""
    query = select(ReportVersion).where(
        ReportVersion.period == period.key, ReportVersion.scope == scope.key
    )
    if sent_only:
        query = query.where(ReportVersion.status == SENT)
    return session.scalar(query.order_by(ReportVersion.version.desc()).limit(1))


def sent_covering(session: Session, day: date, ward_code: str | None) -> list[tuple[Period, str]]:
    """The sent reports (period, scope key) of the area or the ward whose period holds `day`:
    their figures are frozen, so a petition entered later with that day of receipt is not in
    them (a correction would count it)."""
    periods = {p.key: p for p in periods_of(day)}
    scopes = [AREA, ward_code] if ward_code else [AREA]
    rows = session.execute(
        select(ReportVersion.period, ReportVersion.scope)
        .where(
            ReportVersion.status == SENT,
            ReportVersion.period.in_(periods),
            ReportVersion.scope.in_(scopes),
        )
        .distinct()
    )
    return sorted((periods[key], scope) for key, scope in rows)


def figures_of(session: Session, period: Period, scope: Scope, now: datetime) -> dict[str, Any]:
    """The period's figures as reported: the newest sent version's, else computed."""
    sent = latest(session, period, scope, sent_only=True)
    if sent is not None:
        return sent.figures
    return compute(session, period, ward=scope.ward, now=now)


def default_header(scope: Scope, now: datetime) -> dict[str, Any]:
    """The header a new draft starts with; the officer edits it before sending."""
    if scope.ward is not None:
        recipients = (
            f"- {CITY_COMMITTEE};\n- Thường trực Đảng ủy, HĐND, UBND phường {scope.ward.name};\n"
            "- Lưu: VT."
        )
    else:
        recipients = (
            f"- {CITY_COMMITTEE};\n- Ban Thường trực Ủy ban MTTQ Việt Nam các phường;\n- Lưu: VT."
        )
    return {
        "number": "",
        "place": scope.place,
        "issued_on": local_date(now),
        "signer_title": DEFAULT_SIGNER,
        "signer_name": "",
        "recipients": recipients,
    }


def build(
    session: Session, period: Period, scope: Scope, *, now: datetime, version_no: int | None = None
) -> Report | None:
    """The report to show: the asked version (None if it does not exist), else the newest,
    else the live figures with a drafted narrative."""
    if version_no is not None:
        version = session.scalar(
            select(ReportVersion).where(
                ReportVersion.period == period.key,
                ReportVersion.scope == scope.key,
                ReportVersion.version == version_no,
            )
        )
        if version is None:
            return None
    else:
        version = latest(session, period, scope)
    previous = (
        figures_of(session, period.previous(), scope, now)
        if period.previous().year >= MIN_YEAR
        else None
    )
    if version is not None:
        return Report(period, scope, version.figures, previous, version, _header_of(version))
    figures = compute(session, period, ward=scope.ward, now=now)
    header = default_header(scope, now)
    header["narrative"] = narrative.draft(figures, previous, period, scope.unit_name)
    return Report(period, scope, figures, previous, None, header)


def _header_of(version: ReportVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "place": version.place,
        "issued_on": version.issued_on,
        "signer_title": version.signer_title,
        "signer_name": version.signer_name,
        "recipients": version.recipients,
        "narrative": version.narrative,
    }


def create_draft(
    session: Session,
    period: Period,
    scope: Scope,
    *,
    now: datetime,
    actor_id: int | None,
    reason: str = "",
    calendar: WorkCalendar | None = None,
    figures: dict[str, Any] | None = None,
    previous: dict[str, Any] | None = None,
) -> ReportVersion:
    """Version 1, or the correction of a sent version (a reason is required then). The
    figures and the previous period's may be given when already computed (the job)."""
    newest = latest(session, period, scope)
    reason = clean(reason, "reason")
    if newest is not None and newest.status == DRAFT:
        raise ReportError("Đã có dự thảo của kỳ báo cáo này; hãy sửa dự thảo đó.")
    if newest is not None and not reason:
        raise ReportError("Báo cáo đã gửi; cần nêu lý do đính chính để lập bản mới.")
    if figures is None:
        figures = compute(session, period, ward=scope.ward, now=now, calendar=calendar)
    if previous is None:
        previous = figures_of(session, period.previous(), scope, now)
    header = default_header(scope, now) if newest is None else _header_of(newest)
    version = ReportVersion(
        period=period.key,
        scope=scope.key,
        version=(newest.version + 1) if newest else 1,
        status=DRAFT,
        figures=figures,
        as_of=datetime.fromisoformat(figures["as_of"]),
        narrative=narrative.draft(figures, previous, period, scope.unit_name),
        number="" if newest is not None else header["number"],
        place=header["place"],
        issued_on=local_date(now),
        signer_title=header["signer_title"],
        signer_name=header["signer_name"],
        recipients=header["recipients"],
        reason=reason,
        created_by_id=actor_id,
        created_at=now,
        updated_at=now,
    )
    session.add(version)
    session.flush()
    return version


def _editable(version: ReportVersion) -> None:
    if version.status != DRAFT:
        raise ReportError("Báo cáo đã gửi không thể sửa; hãy lập bản đính chính.")


def clean(value: str | None, name: str) -> str:
    """NFC, trimmed, CRLF → LF, within the field's limit."""
    text = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n")).strip()
    if len(text) > LIMITS[name]:
        raise ReportError(f"Nội dung quá dài (tối đa {LIMITS[name]} ký tự).")
    return text


def save_text(
    session: Session,
    version: ReportVersion,
    *,
    values: dict[str, str],
    issued_on: date,
    now: datetime,
) -> ReportVersion:
    """The officer's edits of the draft: header fields and the narrative."""
    _editable(version)
    cleaned = {
        name: clean(values.get(name), name)
        for name in ("number", "place", "signer_title", "signer_name", "recipients", "narrative")
    }
    if not cleaned["place"]:
        raise ReportError("Cần nhập địa danh.")
    for name, value in cleaned.items():
        setattr(version, name, value)
    version.issued_on = issued_on
    version.updated_at = now
    return version


def refresh(
    session: Session, version: ReportVersion, scope: Scope, period: Period, *, now: datetime
) -> ReportVersion:
    """Recompute the draft's figures; an untouched narrative is drafted again with them."""
    _editable(version)
    previous = figures_of(session, period.previous(), scope, now)
    untouched = version.narrative == narrative.draft(
        version.figures, previous, period, scope.unit_name
    )
    version.figures = compute(session, period, ward=scope.ward, now=now)
    version.as_of = datetime.fromisoformat(version.figures["as_of"])
    if untouched:
        version.narrative = narrative.draft(version.figures, previous, period, scope.unit_name)
    version.updated_at = now
    return version


#: What a sent report cannot lack, by its label on the form.
_SIGNED = {"số văn bản": "number", "họ tên người ký": "signer_name"}


def send(
    session: Session, version: ReportVersion, period: Period, *, now: datetime, actor_id: int | None
) -> ReportVersion:
    """Freeze the draft as sent: from now on it is read, never recomputed or edited."""
    _editable(version)
    if version.as_of < start_of_day(period.after):
        raise ReportError(
            "Số liệu được lấy trước khi hết kỳ báo cáo; hãy cập nhật số liệu sau khi hết kỳ "
            "rồi mới chốt báo cáo."
        )
    missing = [label for label, value in _SIGNED.items() if not getattr(version, value).strip()]
    if missing:  # an administrative document carries its number and its signer (NĐ 30/2020)
        raise ReportError(f"Cần nhập {' và '.join(missing)} trước khi chốt báo cáo.")
    version.status = SENT
    version.sent_at = now
    version.sent_by_id = actor_id
    version.updated_at = now
    key = item_key(version.period, version.scope)
    tasks.settle_item(session, key, now=now, staff_id=actor_id, note="Đã chốt, gửi báo cáo")
    return version


def item_key(period_key: str, scope_key: str) -> str:
    """The key of the monthly draft's item in "Việc cần làm" (sending the report settles it)."""
    return f"{KIND}:{period_key}:{scope_key}"


def count_versions(session: Session, period: Period) -> int:
    """How many versions a period has in any scope (the monthly job's idempotence check)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReportVersion)
            .where(ReportVersion.period == period.key)
        )
        or 0
    )
