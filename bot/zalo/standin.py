"""A local Zalo stand-in: plays `openapi.zalo.me` and `oauth.zaloapp.com` on loopback.

A real HTTP server (stdlib, threaded) for tests, the simulator and local runs:
`flask --app wsgi zalo standin --port 8099`, or in Python `with StandIn(...) as z: …`.
It issues and rotates tokens (refresh tokens single-use), enforces the 2000-character and
button limits, the 7-day window (-230) from a per-user last interaction, rate limits (-32),
expired tokens (-216), answers -240 on v2 sends, and records every message sent. It also
plays templates by user id, the transaction message and ZNS (bot/zalo/standin_reach.py).

JSON control API (under /_standin/):
  GET  messages[?user_id=]  every message the OA sent, oldest first
  GET  state                tokens, users, faults, counts
  POST tokens               {} → a new pair; {"expire_access": true} → access tokens expire
  POST interaction          {"user_id", "seconds_ago" | "at_ms", "following", "display_name"}
                            (no time given and nothing else: the user interacts now)
  POST fail                 {"path", "mode": error|http|drop|slow, "code", "status", "delay",
                             "times" (-1: until reset)}
  POST outage               {"on": bool, "mode": http|drop|slow, "delay"} (every API path)
  POST clock                {"advance_seconds": n}
  POST config               {"strict_window", "rate_per_minute", "webhook_url",
                             "template_monthly_quota", "zns_daily_quota",
                             "transaction_enabled", "transaction_window_days",
                             "cs_requires_follow", "zns_night_block"}
  POST templates            {"id", "status": ENABLE|PENDING_REVIEW|REJECT|DISABLE,
                             "params": [names], "uid": bool, "max_length"}
  POST phones               {"phone": "84…", "on_zalo", "user_id", "refuses", "admin"}
  POST media                {"name", "content_b64", "content_type"} → GET /_standin/media/<name>;
                            {"name", "expired": true} → that link answers 404
  POST deliver              {"event": {...}} → signed like Zalo, posted to webhook_url
  POST reset
"""

from __future__ import annotations

import json
import logging
import threading
import time
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from bot.zalo import signature
from bot.zalo.standin_control import CONTROL
from bot.zalo.standin_reach import ENDPOINTS
from bot.zalo.standin_state import StandinState, check_message

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without this, Nagle holds the body back until the
    # client's delayed ACK (~40 ms a call), which would make the stand-in slower than Zalo.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    # --- plumbing -------------------------------------------------------------------------

    @property
    def state(self) -> StandinState:
        return self.server.state

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        # Recorded before the reply leaves: a client that has its answer may look at once.
        self.state.calls.append((urlsplit(self.path).path, status))
        self.wfile.write(data)

    def _zalo(self, code: int, data: Any = None, message: str = "") -> None:
        body: dict[str, Any] = {
            "error": code,
            "message": message or ("Success" if code == 0 else "Error"),
        }
        if data is not None:
            body["data"] = data
        self._send(200, body)

    def _json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def _query_data(self) -> dict[str, Any]:
        values = parse_qs(urlsplit(self.path).query).get("data", ["{}"])
        parsed = self._json(values[0].encode())
        return parsed if isinstance(parsed, dict) else {}

    def _fault(self, path: str) -> bool:
        """Apply an injected fault; True if the request was answered (or dropped)."""
        fault = self.state.next_fault(path)
        if fault is None:
            return False
        if fault.delay:
            time.sleep(fault.delay)
        if fault.mode == "slow":
            return False
        if fault.mode == "drop":
            self.close_connection = True
            self.state.calls.append((path, 0))
            return True
        if fault.mode == "http":
            self._send(fault.status, {"error": "unavailable"})
            return True
        self._zalo(fault.code, message="injected")
        return True

    # --- routing --------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        path = urlsplit(self.path).path
        if path.startswith("/_standin/"):
            return self._control_get(path)
        if self._fault(path):
            return None
        if not self.state.access_ok(self.headers.get("access_token")):
            return self._zalo(-216, message="Access token is invalid")
        if path == "/v3.0/oa/user/detail":
            return self._user_detail()
        if path == "/v2.0/oa/conversation":
            return self._conversation()
        return self._zalo(-201, message="unknown endpoint")

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        path = urlsplit(self.path).path
        raw = self._body()
        if path.startswith("/_standin/"):
            return self._control_post(path, raw)
        if self._fault(path):
            return None
        if path == "/v4/oa/access_token":
            return self._oauth(raw)
        if path == "/v2.0/oa/message":
            return self._zalo(-240, message="API v2 is shut down")
        if not self.state.access_ok(self.headers.get("access_token")):
            return self._zalo(-216, message="Access token is invalid")
        if self.state.rate_limited():
            return self._zalo(-32, message="Rate limit")
        if path == "/v3.0/oa/message/cs":
            return self._send_cs(raw)
        if path in ENDPOINTS:
            body = self._json(raw)
            if not isinstance(body, dict):
                return self._zalo(-201, message="body is not JSON")
            code, data = ENDPOINTS[path](self.state, body)
            return self._zalo(code, data if code == 0 else None)
        if path == "/v3.0/oa/quota/message":
            return self._quota(raw)
        if path.startswith("/v2.0/oa/upload/"):
            return self._upload(path.rsplit("/", 1)[-1], raw)
        return self._zalo(-201, message="unknown endpoint")

    # --- the platform ---------------------------------------------------------------------

    def _oauth(self, raw: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if self.headers.get("secret_key") != self.state.app_secret:
            return self._send(200, {"error": -14002, "error_name": "Invalid secret key"})
        if form.get("app_id") != self.state.app_id:
            return self._send(200, {"error": -14001, "error_name": "Invalid app id"})
        pair = None
        if form.get("grant_type") == "refresh_token":
            pair = self.state.spend_refresh(form.get("refresh_token", ""))
        elif (
            form.get("grant_type") == "authorization_code" and form.get("code") in self.state.codes
        ):
            self.state.codes.discard(form["code"])
            pair = self.state.issue_pair()
        if pair is None:
            return self._send(200, {"error": -14014, "error_name": "Invalid refresh token"})
        self._send(200, {"access_token": pair[0], "refresh_token": pair[1], "expires_in": "90000"})

    def _send_cs(self, raw: bytes) -> None:
        body = self._json(raw)
        if not isinstance(body, dict):
            return self._zalo(-201, message="body is not JSON")
        user_id = str((body.get("recipient") or {}).get("user_id") or "")
        message = body.get("message")
        problem = check_message(message) if user_id else -201
        if problem:
            return self._zalo(problem, message="invalid message")
        refusal = self.state.check_recipient(user_id)
        if refusal:
            return self._zalo(refusal, message="user cannot receive this message")
        entry = self.state.record(user_id, message if isinstance(message, dict) else {})
        self._zalo(0, {"message_id": entry["message_id"], "user_id": user_id})

    def _user_detail(self) -> None:
        user_id = str(self._query_data().get("user_id") or "")
        user = self.state.users.get(user_id)
        if user is None:
            return self._zalo(-213, message="user not found")
        self._zalo(
            0,
            {
                "user_id": user_id,
                "display_name": user.display_name,
                "user_is_follower": user.following,
                "avatar": "",
                "shared_info": None,
            },
        )

    def _quota(self, raw: bytes) -> None:
        body = self._json(raw) or {}
        user = self.state.users.get(str(body.get("user_id") or ""))
        last = int((user.last_interaction or 0) * 1000) if user else 0
        self._zalo(0, {"quota_type": "reply", "remain": 8, "last_interaction": last})

    def _conversation(self) -> None:
        user_id = str(self._query_data().get("user_id") or "")
        items = [
            {
                "src": 0,
                "time": m["time"],
                "type": "photo" if m["kind"] == "image" else "text",
                "message": m["text"],
                "message_id": m["message_id"],
                "to_id": user_id,
            }
            for m in self.state.sent_to(user_id)
        ]
        self._zalo(0, list(reversed(items)))

    def _upload(self, kind: str, raw: bytes) -> None:
        ctype = self.headers.get("Content-Type", "")
        message = BytesParser(policy=email_policy).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw
        )
        files = [p for p in message.iter_parts() if p.get_filename()]
        if not files:
            return self._zalo(-201, message="no file")
        content = files[0].get_payload(decode=True) or b""
        if len(content) > (1 if kind == "image" else 5) * 1024 * 1024:
            return self._zalo(-210, message="file too large")
        key = "attachment_id" if kind == "image" else "token"
        self._zalo(0, {key: f"{kind}-{len(content)}-{int(time.time() * 1000)}"})

    # --- control --------------------------------------------------------------------------

    def _control_get(self, path: str) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if path == "/_standin/messages":
            return self._send(200, {"messages": self.state.sent_to(query.get("user_id"))})
        if path == "/_standin/state":
            return self._send(200, self.server.describe())
        if path.startswith("/_standin/media/"):
            if self._fault(path):
                return None
            found = self.state.media.get(path.rsplit("/", 1)[-1])
            if found is None:
                return self._send(404, {"error": "expired or unknown"})
            return self._send(200, found[0], found[1])
        return self._send(404, {"error": "unknown control path"})

    def _control_post(self, path: str, raw: bytes) -> None:
        body = self._json(raw)
        if not isinstance(body, dict):
            return self._send(400, {"error": "JSON object expected"})
        handler = CONTROL.get(path.removeprefix("/_standin/"))
        if handler is None:
            return self._send(404, {"error": "unknown control path"})
        try:
            result = handler(self.server, body)
        except (KeyError, TypeError, ValueError) as exc:
            return self._send(400, {"error": f"bad request: {exc}"})
        self._send(200, result)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: StandinState, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.state = state

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def describe(self) -> dict[str, Any]:
        s = self.state
        with s.lock:
            return {
                "base_url": self.base_url,
                "now_ms": int(s.now() * 1000),
                "valid_access_tokens": sum(1 for t in s.access.values() if t > s.now()),
                "valid_refresh_tokens": len(s.refresh),
                "messages": len(s.messages),
                "users": {u: vars(v) for u, v in s.users.items()},
                "faults": [f.as_dict() for f in s.faults],
                "strict_window": s.strict_window,
            }

    def deliver(self, event: dict[str, Any]) -> int:
        """Sign an event like Zalo and post it to the webhook; user events open the window."""
        s = self.state
        if not s.webhook_url:
            raise ValueError("no webhook_url configured")
        event = {"app_id": s.app_id, "timestamp": str(int(s.now() * 1000)), **event}
        raw = json.dumps(event, ensure_ascii=False).encode()
        secrets_ = signature.Secrets(s.app_id, s.oa_secret_key, s.app_secret, s.oa_id)
        header = signature.sign(raw, secrets=secrets_, timestamp=str(event["timestamp"]))
        name = str(event.get("event_name", ""))
        user = str((event.get("sender") or event.get("follower") or {}).get("id") or "")
        if user and (name.startswith("user_send") or name in {"follow", "user_submit_info"}):
            s.touch(user, s.now(), following=True)
        resp = requests.post(
            s.webhook_url,
            data=raw,
            headers={signature.HEADER: header, "Content-Type": "application/json"},
            timeout=10,
        )
        with s.lock:
            s.inbound.append({"event_name": name, "status": resp.status_code})
        return resp.status_code


class StandIn:
    """The stand-in server, running in a background thread (tests) or in the foreground."""

    def __init__(self, state: StandinState, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = state
        self._server = _Server(state, host, port)
        self._thread: threading.Thread | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str | None = None,
    ) -> StandIn:
        state = StandinState(
            app_id=settings.zalo_app_id,
            app_secret=settings.zalo_app_secret,
            oa_secret_key=settings.zalo_oa_secret_key,
            oa_id=settings.zalo_oa_id or "388613280878808645",
            webhook_url=webhook_url,
        )
        return cls(state, host=host, port=port)

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def start(self) -> StandIn:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="zalo-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def close(self) -> None:
        """Stop serving and free the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def deliver(self, event: dict[str, Any]) -> int:
        return self._server.deliver(event)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
