"""CLI: seeding, user creation, running a job once."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.accounts import verify_password
from storage.models import Agency, Category, Holiday, OrgUnit, RoutingRule, StaffUser, Ward
from storage.reference_data import HOLIDAY_YEARS


def test_seed_is_idempotent(runner: FlaskCliRunner, db_session: Session) -> None:
    counts_before = _counts(db_session)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "nothing new" in result.output
    assert _counts(db_session) == counts_before


def _counts(session: Session) -> dict[str, int]:
    models = (Ward, OrgUnit, Category, Agency, RoutingRule, Holiday)
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models}


def test_seeded_reference_data(db_session: Session) -> None:
    counts = _counts(db_session)
    assert counts["Ward"] == 4 and counts["Category"] == 13 and counts["OrgUnit"] == 5
    old = {a.name for w in db_session.scalars(select(Ward)) for a in w.aliases}
    assert {"An Mỹ", "Hòa Hương", "Tam Thăng", "Tam Thanh", "Phước Hòa"} <= old
    police = db_session.scalar(select(Agency).where(Agency.code == "ca_ban_thach"))
    assert police is not None and police.name == "Công an phường Bàn Thạch"
    tet = db_session.scalars(select(Holiday).where(Holiday.name.like("%Tết Nguyên Đán%")))
    assert len(list(tet)) >= 12


def test_users_create_hashes_the_password(runner: FlaskCliRunner, db_session: Session) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "lan",
            "--role",
            "staff",
            "--unit",
            "tam_ky",
            "--unit",
            "huong_tra",
        ],
        input="mat-khau-rat-dai\n",
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(StaffUser).where(StaffUser.username == "lan"))
    assert user is not None
    assert user.password_hash.startswith("$argon2")
    assert verify_password(user.password_hash, "mat-khau-rat-dai")
    assert not verify_password(user.password_hash, "sai")
    assert sorted(w.code for w in user.wards) == ["huong_tra", "tam_ky"]


def test_users_create_refuses_bad_scope(runner: FlaskCliRunner) -> None:
    staff = runner.invoke(
        args=["users", "create", "--username", "a", "--role", "staff"], input="mat-khau-rat-dai\n"
    )
    assert staff.exit_code != 0 and "--unit" in staff.output
    agency = runner.invoke(
        args=["users", "create", "--username", "b", "--role", "agency", "--agency", "khong_co"],
        input="mat-khau-rat-dai\n",
    )
    assert agency.exit_code != 0 and "unknown agency" in agency.output
    short = runner.invoke(
        args=["users", "create", "--username", "c", "--role", "admin"], input="ngan\n"
    )
    assert short.exit_code != 0 and "at least" in short.output


def test_jobs_run_once_with_injected_clock(runner: FlaskCliRunner, db_session: Session) -> None:
    # In the last seeded year: the two years after it are not in the holiday table yet.
    now = f"{HOLIDAY_YEARS[-1]}-06-01T08:00:00+07:00"
    result = runner.invoke(args=["jobs", "run", "holidays-sync", "--now", now])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["job"] == "holidays-sync" and out["added"] > 0
    again = json.loads(runner.invoke(args=["jobs", "run", "holidays-sync", "--now", now]).output)
    assert again["added"] == 0


def test_jobs_run_refuses_unknown_job_and_naive_time(runner: FlaskCliRunner) -> None:
    unknown = runner.invoke(args=["jobs", "run", "khong-co"])
    assert unknown.exit_code != 0 and "unknown job" in unknown.output
    naive = runner.invoke(args=["jobs", "run", "holidays-sync", "--now", "2027-06-01T08:00"])
    assert naive.exit_code != 0 and "time zone" in naive.output


def test_every_scheduled_job_exists(runner: FlaskCliRunner) -> None:
    from bot.scheduler import JOBS

    listed = set(runner.invoke(args=["jobs", "list"]).output.split())
    assert {spec.id for spec in JOBS} <= listed
