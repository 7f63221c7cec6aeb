"""Where the problem is: outside the area, a shared location, a neighbourhood name.

A place outside the four wards gets a polite answer saying where to turn (and the ward
buttons, in case it is in Tam Kỳ after all). A shared location inside the area proposes the
ward of the nearest former unit for the citizen to confirm. Names staff added to the
gazetteer (khối phố, thôn, streets) reach the resolver through understand.extra_ward_names.
"""

from __future__ import annotations

from handlers.conversation.replies import button, say, ward_buttons
from handlers.conversation.state import Step, Turn
from handlers.conversation.understand import extra_ward_names, ward_by_code
from nlp.places import elsewhere, nearest_ward
from storage.models import Petition

FAR_KM = 15.0  # a shared point this far from every former unit is outside the area


def outside_name(turn: Turn, text: str) -> str | None:
    """The place outside the area the text names ("Hội An", "Hà Nội (Hà Nội)"), or None."""
    found = elsewhere(text, extra_ward_names(turn.session))
    if found is None:
        return None
    if found.province and found.province != found.name:
        return f"{found.name} ({found.province})"
    return found.name


def say_outside(turn: Turn, place: str) -> None:
    turn.state.outside = place
    turn.go(Step.ASK_WARD)
    buttons = ward_buttons(turn)[:4] + [button(turn, "button.cancel_draft", "#edit:cancel")]
    say(turn, "bot.outside_area", place=place, buttons=buttons)


def settle_ward(turn: Turn, draft: Petition) -> bool:
    """No ward yet: propose one from a location, or answer a place outside; False if neither."""
    if draft.latitude is not None and draft.longitude is not None and not turn.state.proposed_ward:
        near = nearest_ward(draft.latitude, draft.longitude)
        if near is not None and near.inside:
            return _propose(turn, near.code, near.unit)
        if near is not None and near.km >= FAR_KM:
            say_outside(turn, "vị trí Ông/Bà chia sẻ")
            return True
    place = outside_name(turn, draft.text)
    if place is not None and turn.state.outside != place:
        say_outside(turn, place)
        return True
    return False


def _propose(turn: Turn, code: str, unit: str) -> bool:
    ward = ward_by_code(turn.session, code)
    if ward is None:
        return False
    turn.state.proposed_ward = code
    turn.go(Step.CONFIRM_WARD)
    say(
        turn,
        "bot.location_ward",
        unit=unit,
        ward=ward.full_name,
        buttons=[
            button(turn, "button.yes_ward", f"#ward:{code}", ward=ward.name),
            button(turn, "button.other_ward", "#edit:ward"),
        ],
    )
    return True
