"""The app the crash test runs under gunicorn: the platform's router plus one reply per text.

`gunicorn tests.zalo.crash_app:app` with the environment the test sets (database, stand-in).
"""

from __future__ import annotations

from bot import create_app
from tests.zalo.crash_handlers import crash_router

app = create_app(router=crash_router())
