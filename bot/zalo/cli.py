"""`flask --app wsgi zalo …`: store the first token pair, inspect, requeue, run the stand-in."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from bot.runtime import runtime_of
from bot.zalo import processing
from bot.zalo.tokens import TokenPair, store_pair
from handlers import outbox
from storage.db import transaction
from storage.models import InboundEvent

zalo_cli = AppGroup("zalo", help="Zalo OA: tokens, status, the local stand-in.")


@zalo_cli.command("set-tokens")
@click.option("--access-token", default=None, help="From the console's API Explorer.")
@click.option("--refresh-token", default=None, help="From the console's API Explorer.")
@click.option("--expires-in", default=90000, show_default=True, help="Access token lifetime (s).")
def set_tokens(access_token: str | None, refresh_token: str | None, expires_in: int) -> None:
    """Store a token pair (first start, or after a failed refresh); asks if not given."""
    access = access_token or _ask("Access token")
    refresh = refresh_token or _ask("Refresh token")
    if not access or not refresh:
        raise click.ClickException("both tokens are needed")
    runtime = runtime_of()
    with transaction(runtime.db.sessions) as session:
        row = store_pair(
            session, TokenPair(access, refresh, expires_in), now=runtime.clock(), source="manual"
        )
        expires = row.access_expires_at
    click.echo(f"tokens stored; access token valid until {expires:%d/%m/%Y %H:%M} UTC")


def _ask(label: str) -> str:
    if sys.stdin.isatty():
        return str(click.prompt(label, hide_input=True)).strip()
    return sys.stdin.readline().strip()


@zalo_cli.command("status")
def status() -> None:
    """Tokens, inbound and outbox figures (no secrets, no citizen data)."""
    runtime = runtime_of()
    zalo = runtime.zalo
    with transaction(runtime.db.sessions) as session:
        inbound = dict(
            session.execute(
                select(InboundEvent.state, func.count()).group_by(InboundEvent.state)
            ).all()
        )
        figures = {
            "tokens": zalo.tokens.status(),
            "inbound": {str(k): int(v) for k, v in inbound.items()},
            "outbox": outbox.counts(session),
        }
    click.echo(json.dumps(figures, ensure_ascii=False, indent=2))


@zalo_cli.command("requeue")
@click.argument("kind", type=click.Choice(["inbound", "outbox"]))
@click.argument("row_id", type=int)
def requeue(kind: str, row_id: int) -> None:
    """Process a parked inbound event, or send a dead/held outbox message, again."""
    runtime = runtime_of()
    with transaction(runtime.db.sessions) as session:
        if kind == "inbound":
            done = processing.requeue(session, row_id, now=runtime.clock())
        else:
            done = outbox.requeue(session, row_id, now=runtime.clock())
    if not done:
        raise click.ClickException(f"{kind} {row_id} is not parked/dead/held")
    click.echo(f"{kind} {row_id} requeued")


@zalo_cli.command("standin")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8099, show_default=True, type=int)
@click.option("--webhook-url", default=None, help="Where /_standin/deliver posts events.")
@click.option("--store-tokens", is_flag=True, help="Issue a token pair and store it here.")
def standin(host: str, port: int, webhook_url: str | None, store_tokens: bool) -> None:
    """Run the local Zalo stand-in (openapi + oauth) until interrupted."""
    from bot.zalo.standin import StandIn

    runtime = runtime_of()
    server = StandIn.from_settings(runtime.settings, host=host, port=port, webhook_url=webhook_url)
    base = server.base_url
    if store_tokens:
        pair = server.state.issue_pair()
        with transaction(runtime.db.sessions) as session:
            now = runtime.clock()
            store_pair(session, TokenPair(pair[0], pair[1], 90000), now=now, source="standin")
    click.echo(f"Zalo stand-in on {base}  (ZALO_API_BASE={base} ZALO_OAUTH_BASE={base})")
    click.echo(f"control: {base}/_standin/messages  {base}/_standin/state")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
