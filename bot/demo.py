"""`flask --app wsgi demo`: the embedded local default for newcomers (`make run`).

Migrates and seeds the SQLite database, (re)creates the demo accounts (an administrator, an
officer of the four wards, who receives the alerts and to-dos, and a supervisor) with the one
password it prints, starts a local Zalo stand-in, a mail catcher (read at /simulator/mail), the
worker and the scheduler in threads of this process, and serves the app on http://127.0.0.1:5000 (or
--port / PORT). Links in emails and slips name that host and port. Refuses to run outside demo
mode so a production server can never get a printed password.
"""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import run_simple

from bot import scheduler, worker
from bot.runtime import Runtime, runtime_of
from bot.simulator.demo import start_standin
from bot.simulator.mailbox import MailCatcher, start_catcher
from config import Settings
from config.settings import DEMO_SECRETS
from handlers import accounts, login_throttle
from handlers.demo_data import seed_demo_petitions
from handlers.seed import seed_reference
from storage import migrate
from storage.db import transaction
from storage.models import StaffUser, Ward
from storage.models.enums import Role

DEMO_ADMIN = "admin"
# Who does what in the demo: an emergency typed into the simulator is an item on the officer's
# list (and the supervisor's), never the administrator's.
DEMO_ACCOUNTS = (
    (DEMO_ADMIN, Role.ADMIN, "Quản trị (demo)"),
    ("canbo", Role.STAFF, "Cán bộ phường (demo)"),
    ("giamsat", Role.SUPERVISOR, "Giám sát (demo)"),
)
DEFAULT_ADMIN_URL = Settings.__dataclass_fields__["admin_base_url"].default


def prepare_demo(runtime: Runtime) -> str:
    """Migrate, seed reference and demo data, reset the demo accounts; return their password."""
    db = runtime.db
    migrate.upgrade(db.engine)
    password = secrets.token_urlsafe(9)
    with transaction(db.sessions) as session:
        seed_reference(session)
        seed_demo_petitions(
            session, now=runtime.clock(), code_prefix=runtime.settings.petition_code_prefix
        )
        reset_demo_accounts(session, password)
    return password


def reset_demo_accounts(session: Session, password: str) -> None:
    """Create the demo accounts, or give them ``password`` again and lift any lockout."""
    wards = list(session.scalars(select(Ward.code).where(Ward.active)))
    for username, role, name in DEMO_ACCOUNTS:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            accounts.create_user(
                session,
                username=username,
                password=password,
                role=role,
                ward_codes=wards if role == Role.STAFF else (),
                display_name=name,
            )
            continue
        user.password_hash = accounts.hash_password(password)
        user.locked_until = None
        login_throttle.forgive(session, username)


def wire_mail(runtime: Runtime, *, host: str, port: int) -> MailCatcher | None:
    """Links in emails and slips name the port the demo serves on, and the demo's emails land
    in an in-process catcher — unless ADMIN_BASE_URL or SMTP_URL were set on purpose."""
    settings = runtime.settings
    changes: dict[str, str] = {}
    if settings.admin_base_url == DEFAULT_ADMIN_URL:
        shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - a name
        changes["admin_base_url"] = f"http://{shown}:{port}"
    catcher = None
    if settings.smtp_url == DEMO_SECRETS["SMTP_URL"]:
        catcher = start_catcher(current_app._get_current_object())  # type: ignore[attr-defined]
        changes["smtp_url"] = catcher.url
    if changes:
        runtime.reconfigure(**changes)
    return catcher


@click.command("demo")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int, envvar="PORT", show_envvar=True)
def demo(host: str, port: int) -> None:
    """Run the local demo: SQLite, seeded data, a demo admin."""
    runtime = runtime_of()
    settings = runtime.settings
    if not settings.demo:
        raise click.ClickException("demo runs only with PAKN_DEMO=1 (make run sets it)")
    password = prepare_demo(runtime)
    base = f"http://{host}:{port}"
    standin = start_standin(runtime, host=host, port=port)
    catcher = wire_mail(runtime, host=host, port=port)
    click.echo(
        "\n".join(
            [
                "",
                "PAKN Tam Kỳ — bản chạy thử (demo)",
                f"  Trạng thái:   {base}/healthz",
                f"  Quản trị:     {base}/admin   mật khẩu của mọi tài khoản: {password}",
                "  Tài khoản:    admin (quản trị) · canbo (cán bộ 4 phường: cảnh báo khẩn,"
                " việc cần làm) · giamsat (giám sát)",
                f"  Cơ sở dữ liệu: {settings.database_url}",
                *(
                    [f"  Thử trò chuyện: {base}/simulator   (Zalo giả lập: {standin.base_url})"]
                    if standin is not None
                    else []
                ),
                *(
                    [f"  Hộp thư thử:  {base}/simulator/mail   (SMTP {catcher.url})"]
                    if catcher is not None
                    else ["  Thư điện tử: gửi qua máy chủ SMTP_URL đã đặt"]
                ),
                "",
            ]
        )
    )
    worker.embedded(runtime).start()
    scheduler.embedded(runtime).start()
    # app.run() is a no-op under the `flask` command (FLASK_RUN_FROM_CLI): serve directly.
    run_simple(host, port, current_app._get_current_object(), threaded=True)  # type: ignore[attr-defined]
