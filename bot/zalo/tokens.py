"""Zalo OA tokens: kept in the database, refreshed under a lock that holds across processes.

Refresh tokens are single-use: spending one twice, or losing the answer, means a person must
re-authorise the OA. So a refresh takes a lock (PostgreSQL: a transaction advisory lock;
SQLite: the write lock taken by the transaction's first statement, as BEGIN IMMEDIATE
would), re-reads the newest pair, calls Zalo only if that pair still needs it, and commits
the new pair before anyone uses it. A refused refresh marks the pair failed, alerts the
administrators and makes every send stop cleanly until `flask --app wsgi zalo set-tokens`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.zalo import alerts
from bot.zalo.errors import TokenError, TokenRefreshFailed, ZaloApiError, ZaloTransportError
from handlers.clock import Clock
from storage.db import transaction
from storage.models import ZaloToken

logger = logging.getLogger(__name__)

#: pg_advisory_xact_lock key: any stable 64-bit number unique to this lock.
ADVISORY_KEY = 0x7A616C6F_746F6B  # "zalotok"
REFRESH_LIFETIME = timedelta(days=90)
#: Refresh rather than use an access token this close to its expiry.
USE_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True)
class TokenPair:
    """What Zalo's OAuth endpoint answers."""

    access_token: str
    refresh_token: str
    expires_in: int


class OAuthClient:
    """`POST {oauth_base}/v4/oa/access_token`, form-encoded, with the app secret header."""

    def __init__(
        self,
        *,
        base: str,
        app_id: str,
        app_secret: str,
        timeout: tuple[float, float] = (3, 10),
        http: requests.Session | None = None,
    ) -> None:
        self.url = base.rstrip("/") + "/v4/oa/access_token"
        self.app_id = app_id
        self.app_secret = app_secret
        self.timeout = timeout
        self.http = http or requests.Session()

    def refresh(self, refresh_token: str) -> TokenPair:
        """Spend a refresh token for a new pair."""
        return self._post(
            {"refresh_token": refresh_token, "app_id": self.app_id, "grant_type": "refresh_token"}
        )

    def authorize(self, code: str, code_verifier: str) -> TokenPair:
        """Exchange an authorisation code (first pair) for tokens."""
        return self._post(
            {
                "code": code,
                "app_id": self.app_id,
                "grant_type": "authorization_code",
                "code_verifier": code_verifier,
            }
        )

    def _post(self, form: dict[str, str]) -> TokenPair:
        try:
            resp = self.http.post(
                self.url, data=form, headers={"secret_key": self.app_secret}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise ZaloTransportError(f"oauth: {type(exc).__name__}") from None
        if resp.status_code >= 500:
            raise ZaloTransportError(f"oauth: HTTP {resp.status_code}")
        try:
            body: Any = resp.json()
        except ValueError:
            raise ZaloTransportError(f"oauth: HTTP {resp.status_code}, not JSON") from None
        if not isinstance(body, dict) or not body.get("access_token"):
            code = body.get("error") if isinstance(body, dict) else None
            reason = body.get("error_name") or body.get("message") if isinstance(body, dict) else ""
            raise ZaloApiError(int(code) if isinstance(code, int) else -1, str(reason or ""))
        try:
            expires_in = int(body.get("expires_in", 90000))
        except (TypeError, ValueError):
            expires_in = 90000
        return TokenPair(str(body["access_token"]), str(body["refresh_token"]), expires_in)


class TokenStore:
    """The current access token for the OA, refreshed early, once, and never twice."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        oauth: OAuthClient,
        *,
        early_margin: timedelta = timedelta(hours=5),
        clock: Clock = system_clock,
    ) -> None:
        self.sessions = sessions
        self.oauth = oauth
        self.early_margin = early_margin
        self.clock = clock

    def access_token(self, *, now: datetime | None = None) -> str:
        """A usable access token (refreshing first if it is about to expire)."""
        with transaction(self.sessions) as session:
            row = newest(session)
            if row is None:
                raise TokenError("no Zalo token stored: run `flask --app wsgi zalo set-tokens`")
            if row.refresh_failed_at is not None:
                raise TokenRefreshFailed("the last refresh failed; store a new pair")
            token, expires = row.access_token, row.access_expires_at
        if (now or self.clock()) >= expires - USE_MARGIN:
            return self.refresh(stale=token, now=now)
        return token

    def refresh(
        self, *, stale: str | None = None, early: bool = False, now: datetime | None = None
    ) -> str:
        """Refresh under the lock; skip if another process already did (or it is not due)."""
        failure: TokenRefreshFailed | None = None
        with transaction(self.sessions) as session:
            lock(session)
            row = newest(session)
            now = now or self.clock()
            if row is None:
                raise TokenError("no Zalo token stored")
            if row.refresh_failed_at is not None:
                raise TokenRefreshFailed("the last refresh failed; store a new pair")
            fresh = row.access_expires_at - now > USE_MARGIN
            if stale is not None and row.access_token != stale and fresh:
                return row.access_token  # someone refreshed while we waited for the lock
            if early and row.access_expires_at - now > self.early_margin:
                return row.access_token
            try:
                pair = self.oauth.refresh(row.refresh_token)
            except ZaloApiError as exc:
                row.refresh_failed_at = now
                row.refresh_error = str(exc)[:500]
                alerts.alert_admins(
                    session,
                    kind="zalo_token",
                    title="Kết nối Zalo OA bị ngắt: cần cấp lại mã truy cập",
                    body=(
                        "Làm mới mã truy cập Zalo OA thất bại; tin nhắn gửi công dân đang tạm "
                        "dừng. Quản trị viên cần cấp lại cặp mã (zalo set-tokens). "
                        f"Mã lỗi: {exc.code}."
                    ),
                    now=now,
                )
                logger.error("Zalo token refresh refused (code %s); sends stopped", exc.code)
                failure = TokenRefreshFailed(str(exc))
            else:
                store_pair(session, pair, now=now, source="refresh")
                logger.info("Zalo tokens refreshed; access token valid %s s", pair.expires_in)
        if failure is not None:
            raise failure
        return pair.access_token

    def status(self) -> dict[str, Any]:
        """Expiry and health of the current pair (CLI, health page); no secrets."""
        with transaction(self.sessions) as session:
            row = newest(session)
            if row is None:
                return {"stored": False}
            return {
                "stored": True,
                "access_expires_at": row.access_expires_at.isoformat(),
                "refresh_expires_at": row.refresh_expires_at.isoformat(),
                "refresh_failed": row.refresh_failed_at is not None,
                "source": row.source,
            }


def lock(session: Session) -> None:
    """Serialise token refreshes across processes until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
    else:
        # A write as the first statement takes SQLite's write lock now (BEGIN IMMEDIATE).
        session.execute(
            update(ZaloToken)
            .where(
                ZaloToken.id
                == select(ZaloToken.id).order_by(ZaloToken.id.desc()).limit(1).scalar_subquery()
            )
            .values(source=ZaloToken.source)
            .execution_options(synchronize_session=False)
        )


def newest(session: Session) -> ZaloToken | None:
    """The current pair (the newest row)."""
    return session.scalar(
        select(ZaloToken)
        .order_by(ZaloToken.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def store_pair(session: Session, pair: TokenPair, *, now: datetime, source: str) -> ZaloToken:
    """Add a pair as the current one (old rows stay for the audit)."""
    row = ZaloToken(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        access_expires_at=now + timedelta(seconds=pair.expires_in),
        refresh_expires_at=now + REFRESH_LIFETIME,
        source=source,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
