"""Time as an input: the clock handlers are given, and Vietnam's local time zone.

Handlers never read the wall clock. A request, a job or a command takes `now` from the
process's clock (bot.clock) and passes it down, so tests and catch-ups choose the time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

#: The one local time zone: deadlines, office hours, holidays and every date on screen.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: Returns the current instant, aware and in UTC.
Clock = Callable[[], datetime]
