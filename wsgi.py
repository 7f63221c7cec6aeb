"""WSGI entry point: `gunicorn wsgi:app` in production, `flask --app wsgi …` for commands.

Missing or invalid settings end the process with one line naming them (exit 2), never a
traceback: the same for the web server, the worker, the scheduler and `--help`.
"""

import sys

from bot import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    print(f"Cấu hình chưa đủ / configuration error: {exc}", file=sys.stderr)  # noqa: T201
    sys.exit(2)
