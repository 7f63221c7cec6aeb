"""The rules for reaching a citizen beyond the window: settings and Zalo's refusal codes.

docs/zalo-messages.md records where each rule comes from. Every code listed here means
"this kind cannot reach this citizen now; try the next kind" and carries the reason staff
see; any other failure (network, rate limit, token) is the sender's ordinary retry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from config import Settings
from handlers.clock import LOCAL_TZ
from handlers.outbox import notices
from handlers.outbox.reach import DAILY, Quota

#: Consultation (/message/cs) refusals.
CS_REFUSALS = {
    -230: "window",
    -232: "window",
    -213: "not_follower",
    -217: "unreachable",
    -227: "unreachable",
    -244: "unreachable",
}

#: Template by user id and transaction message refusals.
FOLLOWER_REFUSALS = {
    **CS_REFUSALS,
    -131: "template_not_approved",
    -249: "template_not_approved",
    -109: "template_not_approved",
    -117: "template_not_approved",
    -145: "template_not_approved",
    -146: "template_not_approved",
    -111: "template_not_approved",
    -1121: "template_not_approved",
    -1122: "template_not_approved",
    -1124: "template_not_approved",
    -209: "template_not_approved",
    -211: "quota",
    -218: "quota",
    -115: "quota",
    -144: "quota",
    -147: "quota",
    -320: "quota",
    -321: "quota",
    -136: "quota",
    -137: "quota",
}

#: ZNS (template by phone) refusals.
ZNS_REFUSALS = {
    -108: "phone_unreachable",
    -114: "phone_unreachable",
    -118: "phone_unreachable",
    -119: "phone_unreachable",
    -139: "phone_unreachable",
    -140: "phone_unreachable",
    -141: "phone_unreachable",
    -131: "template_not_approved",
    -109: "template_not_approved",
    -117: "template_not_approved",
    -127: "template_not_approved",
    -145: "template_not_approved",
    -146: "template_not_approved",
    -111: "template_not_approved",
    -1121: "template_not_approved",
    -1122: "template_not_approved",
    -1124: "template_not_approved",
    -115: "quota",
    -126: "quota",
    -135: "quota",
    -1351: "quota",
    -136: "quota",
    -137: "quota",
    -144: "quota",
    -147: "quota",
}

#: ZNS "cannot send at night": the row waits for the morning.
NIGHT = -133


def slot_ids(pairs: tuple[str, ...]) -> dict[str, str]:
    """("status=123", "result=456") → {"status": "123", "result": "456"}."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name.strip() and value.strip():
            found[name.strip()] = value.strip()
    return found


@dataclass(frozen=True)
class ReachConfig:
    """The settings of reaching citizens (defaults: nothing configured, nothing paid)."""

    follower_kind: str = "template"
    flat_recipient: bool = False
    template_ids: dict[str, str] = field(default_factory=dict)
    zns_ids: dict[str, str] = field(default_factory=dict)
    zns_base: str = "https://business.openapi.zalo.me"
    zns_development: bool = False
    monthly_quota: int = 1000
    zns_daily_quota: int = 500
    warn_percent: int = 80
    quiet: tuple[time, time] | None = (time(22, 0), time(6, 0))
    window: timedelta = timedelta(days=7)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReachConfig:
        ids = slot_ids(settings.zalo_template_ids)
        return cls(
            follower_kind=settings.zalo_follower_kind.strip().lower() or "off",
            flat_recipient=settings.zalo_template_recipient.strip().lower() == "flat",
            template_ids=ids,
            zns_ids=slot_ids(settings.zns_template_ids) or ids,
            zns_base=settings.zns_api_base,
            zns_development=settings.zns_development_mode,
            monthly_quota=settings.zalo_template_monthly_quota,
            zns_daily_quota=settings.zns_daily_quota,
            warn_percent=settings.zalo_quota_warn_percent,
            quiet=parse_quiet(settings.zalo_template_quiet_hours),
        )

    def quota(self, kind: str) -> Quota:
        """The allowance of template (monthly), transaction (monthly) or zns (daily)."""
        limit = self.zns_daily_quota if kind == DAILY else self.monthly_quota
        return Quota(kind, limit, self.warn_percent)

    def morning_after(self, now: datetime) -> datetime | None:
        """When quiet hours end, if `now` is inside them; else None."""
        if self.quiet is None:
            return None
        start, end = self.quiet
        local = now.astimezone(LOCAL_TZ)
        t = local.time()
        inside = (start <= t or t < end) if start > end else (start <= t < end)
        if not inside:
            return None
        day = local.date() if t < end else local.date() + timedelta(days=1)
        wake = datetime.combine(day, end, tzinfo=LOCAL_TZ) + timedelta(minutes=5)
        return wake.astimezone(now.tzinfo)


def parse_quiet(value: str) -> tuple[time, time] | None:
    """ "22:00-06:00" → (22:00, 06:00); empty → None."""
    if not value.strip():
        return None
    start, _, end = value.partition("-")
    try:
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        return None


def transaction_payload(notice: dict[str, Any]) -> dict[str, Any]:
    """The OA transaction message for a notice: header, text, table, a look-up button."""
    data = {k: str(v) for k, v in dict(notice.get("data") or {}).items()}
    code = data.get("ma_ho_so", "")
    rows = [("Mã hồ sơ", code)]
    rows += [(label, data[k]) for k, label in _TABLE if data.get(k)]
    text = data.get("noi_dung") or data.get("tom_tat") or notices.preview(notice)
    header = f"{_HEADERS.get(str(notice.get('slot')), 'Hồ sơ phản ánh')} {code}"
    table = [{"key": k, "value": notices.cut(v, 100)} for k, v in rows]
    return {
        "template_type": "transaction_order",
        "language": "VI",
        "elements": [
            {"type": "header", "align": "left", "content": notices.cut(header, 100)},
            {"type": "text", "align": "left", "content": notices.cut(text, 1000)},
            {"type": "table", "content": table},
        ],
        "buttons": [{"title": "Tra cứu", "type": "oa.query.show", "payload": f"TRA {code}"}],
    }


_HEADERS = {
    "status": "Cập nhật hồ sơ",
    "result": "Kết quả hồ sơ",
    "satisfaction": "Ý kiến về hồ sơ",
}
_TABLE = (
    ("trang_thai", "Tình trạng"),
    ("ngay_cap_nhat", "Ngày cập nhật"),
    ("co_quan", "Cơ quan trả lời"),
    ("ngay_ket_qua", "Ngày có kết quả"),
)


def remaining_of(answer: dict[str, Any]) -> int | None:
    quota = answer.get("quota")
    if not isinstance(quota, dict):
        return None
    for key in ("remain", "remainingQuota"):
        try:
            return int(quota[key])
        except (KeyError, TypeError, ValueError):
            continue
    return None
