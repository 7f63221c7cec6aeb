"""Zalo's error codes and what the product does about each (shared doc, section 3).

Zalo answers HTTP 200 with a non-zero `error` on failure; the client raises ZaloApiError and
the sender acts on `action_for(code)`. Unknown codes are retried with back-off, like
network failures, until the outbox gives up.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    RETRY = "retry"  # back off and try again
    REFRESH = "refresh"  # token invalid/expired: refresh once, retry once
    HOLD = "hold"  # outside the 7-day window: wait for the citizen to write
    UNREACHABLE = "unreachable"  # not following / blocked: never retry, mark the citizen
    INVALID = "invalid"  # the message itself is wrong: never retry
    RETRY_ALERT = "retry_alert"  # Zalo-side failure or quota: retry later and tell staff
    CONFIG = "config"  # the product is misconfigured: stop and tell staff


CODES: dict[int, Action] = {
    -216: Action.REFRESH,
    -220: Action.REFRESH,
    -32: Action.RETRY,
    -230: Action.HOLD,
    -232: Action.HOLD,
    -213: Action.UNREACHABLE,
    -217: Action.UNREACHABLE,
    -227: Action.UNREACHABLE,
    -244: Action.UNREACHABLE,
    -201: Action.INVALID,
    -210: Action.INVALID,
    -233: Action.INVALID,
    -200: Action.RETRY_ALERT,
    -211: Action.RETRY_ALERT,
    -218: Action.RETRY_ALERT,
    -240: Action.CONFIG,
}


def action_for(code: int) -> Action:
    """What to do about an error code."""
    return CODES.get(code, Action.RETRY)


class ZaloError(Exception):
    """Talking to Zalo failed."""

    action: Action = Action.RETRY


class ZaloApiError(ZaloError):
    """Zalo answered with a non-zero `error`."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(f"Zalo error {code}: {message}"[:300])
        self.code = code
        self.message = message
        self.action = action_for(code)


class ZaloTransportError(ZaloError):
    """No usable answer: connection refused or reset, timeout, HTTP 5xx, not JSON."""

    action = Action.RETRY


class ZaloUncertain(ZaloTransportError):
    """The request may have reached Zalo (read timeout, connection lost, 500/502/504).

    For a send this means "perhaps delivered": the outbox reconciles before sending again.
    """


class TokenError(ZaloError):
    """No usable access token: none stored, refresh failed, or the OA must be re-authorised."""

    action = Action.CONFIG


class TokenRefreshFailed(TokenError):
    """Zalo refused the refresh token: a person must store a new pair (`zalo set-tokens`)."""
