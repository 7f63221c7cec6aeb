"""Command line: `flask --app wsgi db|seed|users|jobs|nlp|demo|scheduler|worker …`."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from bot.clock import parse_now
from bot.database import get_db
from bot.demo import demo
from bot.runtime import runtime_of
from bot.scheduler import scheduler_command
from bot.worker import worker_command
from handlers import accounts, audit
from handlers.jobs import UnknownJob, run_job
from handlers.seed import seed_reference
from handlers.training_labels import labelled_examples
from storage import migrate
from storage.db import transaction

db_cli = AppGroup("db", help="Database schema migrations.")
users_cli = AppGroup("users", help="Staff accounts.")
jobs_cli = AppGroup("jobs", help="Scheduled jobs, run once by hand.")
nlp_cli = AppGroup("nlp", help="Training data for the classifier.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    migrate.upgrade(get_db().engine, revision)
    click.echo(f"database at revision {migrate.current_revision(get_db().engine)}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    migrate.downgrade(get_db().engine, revision)
    click.echo(f"database at revision {migrate.current_revision(get_db().engine)}")


@db_cli.command("current")
def db_current() -> None:
    """Print the database's revision."""
    click.echo(migrate.current_revision(get_db().engine) or "empty")


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Add the reference data (wards, categories, agencies, routing, holidays) that is missing."""
    with transaction(get_db().sessions) as session:
        added = seed_reference(session)
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(added.items())) or "nothing new"
    click.echo(f"seeded ({summary})")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["admin", "supervisor", "staff", "agency"])
)
@click.option("--unit", "units", multiple=True, help="Ward code; repeat for several wards.")
@click.option("--agency", default=None, help="Agency code (for --role agency).")
@click.option("--name", "display_name", default="")
@click.option("--email", default=None)
def users_create(
    username: str,
    role: str,
    units: tuple[str, ...],
    agency: str | None,
    display_name: str,
    email: str | None,
) -> None:
    """Create a staff user; the password is read from stdin or asked for."""
    password = _read_password()
    runtime = runtime_of()
    try:
        with transaction(runtime.db.sessions) as session:
            user = accounts.create_user(
                session,
                username=username,
                password=password,
                role=role,
                ward_codes=units,
                agency_code=agency,
                display_name=display_name,
                email=email,
            )
            audit.write(
                session,
                "user.create",
                now=runtime.clock(),
                summary=f"Tạo tài khoản {user.username} bằng dòng lệnh",
                target=("user", user.id),
                address="dòng lệnh",
            )
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created user {user.username} ({user.role})")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@jobs_cli.command("run")
@click.argument("name")
@click.option("--now", "now_text", default=None, help="ISO-8601 time to run as (tests, catch-up).")
def jobs_run(name: str, now_text: str | None) -> None:
    """Run the job NAME once and print what it did."""
    runtime = runtime_of()
    ctx = runtime.job_context(parse_now(now_text) if now_text else None)
    now = ctx.now
    try:
        result = run_job(runtime.jobs, name, ctx)
    except UnknownJob:
        known = ", ".join(sorted(runtime.jobs))
        raise click.ClickException(f"unknown job {name}; known: {known}") from None
    click.echo(json.dumps({"job": name, "now": now.isoformat(), **result}, ensure_ascii=False))


@nlp_cli.command("export-labels")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
def nlp_export_labels(out: str) -> None:
    """Write staff-confirmed labels to OUT (JSON lines) for `python -m nlp train --extra OUT`."""
    with transaction(get_db().sessions) as session, open(out, "w", encoding="utf-8") as fh:
        count = 0
        for example in labelled_examples(session):
            fh.write(json.dumps(example, ensure_ascii=False) + "\n")
            count += 1
    click.echo(f"exported {count} labelled petitions to {out}")


@jobs_cli.command("list")
def jobs_list() -> None:
    """List the jobs that can be run."""
    for name in sorted(runtime_of().jobs):
        click.echo(name)


def init_app(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(nlp_cli)
    app.cli.add_command(seed)
    app.cli.add_command(demo)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(worker_command)
