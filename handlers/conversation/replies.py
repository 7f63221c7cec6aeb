"""Everything the bot says goes through here: a catalogue key, its values, its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from handlers.clock import LOCAL_TZ
from handlers.conversation.state import Turn
from handlers.messages import render
from handlers.outbox import Button, queue_zalo
from handlers.workflow import active_forward, citizen_state_label, latest_forward
from nlp.pii import mask_ids
from storage.models import Petition, Ward


def say(
    turn: Turn,
    key: str,
    *,
    buttons: Sequence[Button] = (),
    petition: Petition | None = None,
    **params: object,
) -> None:
    """Queue one catalogue message for the citizen (silently dropped in a flood)."""
    if turn.quiet:
        return
    text(turn, render(turn.session, key, **params), buttons=buttons, petition=petition, tag=key)


def text(
    turn: Turn,
    body: str,
    *,
    buttons: Sequence[Button] = (),
    petition: Petition | None = None,
    tag: str = "text",
) -> None:
    """Queue an already rendered text (in the turn's transaction, with its state change)."""
    if turn.quiet:
        return
    turn.replies += 1
    turn.facts.setdefault("said", []).append(tag)
    queue_zalo(
        turn.session, citizen=turn.citizen, text=body, buttons=tuple(buttons), petition=petition
    )


def button(turn: Turn, key: str, payload: str, **params: object) -> Button:
    """A button whose title comes from the catalogue."""
    return Button(title=render(turn.session, key, **params)[:20], payload=payload)


def ward_buttons(turn: Turn) -> list[Button]:
    """One button per active ward (four in Tam Kỳ), in the administrator's order."""
    wards = turn.session.scalars(
        select(Ward).where(Ward.active.is_(True)).order_by(Ward.sort_order, Ward.id).limit(5)
    )
    return [button(turn, "button.ward", f"#ward:{w.code}", ward=w.name) for w in wards]


def consent_buttons(turn: Turn) -> list[Button]:
    return [
        button(turn, "button.consent_yes", "#consent:yes"),
        button(turn, "button.consent_no", "#consent:no"),
    ]


def local(dt: datetime) -> datetime:
    return dt.astimezone(LOCAL_TZ)


def day(dt: datetime | None) -> str:
    """dd/mm/yyyy in Vietnam's time zone ("" when unknown)."""
    return local(dt).strftime("%d/%m/%Y") if dt is not None else ""


def clock(dt: datetime) -> str:
    """HH:MM dd/mm/yyyy in Vietnam's time zone."""
    return local(dt).strftime("%H:%M %d/%m/%Y")


def state_label(turn: Turn, petition: Petition) -> str:
    """The words the citizen sees for the petition's state (with the agency when forwarded)."""
    forward = active_forward(turn.session, petition) or latest_forward(turn.session, petition)
    return citizen_state_label(petition, forward.agency.name if forward is not None else None)


def short(text_: str, limit: int = 90) -> str:
    """A one-line excerpt of the citizen's own words, cut at a word boundary.

    ID-card and bank numbers are starred: every echo of the citizen's words goes through here.
    """
    line = " ".join(mask_ids(text_).split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"
