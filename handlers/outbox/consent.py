"""The citizen's agreement to receive notices on their phone number (ZNS).

Zalo's ZNS policy sends a template to a phone number only when its owner agreed to receive
it; the general consent to process the petition's data does not say that. So the number and
the moment of that agreement are kept on the citizen, and a withdrawal of either consent
stops ZNS (`Citizen.zns_number`).
"""

from __future__ import annotations

import re
from datetime import datetime

from storage.models import Citizen

_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese mobile number as ZNS wants it (84 and 9 digits), or None."""
    digits = _DIGITS.sub("", raw or "")
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    elif not digits.startswith("84"):
        digits = "84" + digits
    return digits if re.fullmatch(r"84[35789]\d{8}", digits) else None


def grant(citizen: Citizen, phone: str, now: datetime) -> bool:
    """Record the agreement for this number; False when it is not a mobile number."""
    number = normalise_phone(phone)
    if number is None or not citizen.has_consent:
        return False
    citizen.zns_phone = number
    citizen.zns_consent_at = now
    citizen.zns_unreachable_at = None
    return True


def withdraw(citizen: Citizen) -> None:
    """No more notices by phone."""
    citizen.zns_consent_at = None
