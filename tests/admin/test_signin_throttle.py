"""Failed sign-ins: the guessing address is held back, the owner elsewhere still gets in, and
no refusal tells a locked, disabled or existing account from an unknown name."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from config import Settings
from handlers import audit, users
from storage.models import AuditEntry, LoginThrottle, StaffNotification
from storage.models.base import utcnow
from tests.admin.conftest import csrf, login
from tests.workflow import helpers as h

WRONG = "sai-mat-khau-1234"  # noqa: S105 - a wrong password on purpose
ATTACKER, OWNER, OTHER = "203.0.113.7", "198.51.100.20", "192.0.2.55"
_TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def _guess(client: FlaskClient, name: str, times: int, address: str = ATTACKER) -> None:
    for _ in range(times):
        assert login(client, name, WRONG, address).status_code == 401


def _lockouts(db_session: Session) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.kind == audit.LOCKOUT)))


def test_the_guessing_address_is_held_back_the_owner_elsewhere_gets_in(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    admin = h.staff(db_session, "admin")
    db_session.commit()
    _guess(client, admin.username, settings.login_max_failures)
    assert login(client, admin.username, address=ATTACKER).status_code == 401  # right, held
    assert login(client, admin.username, address=OWNER).status_code == 302
    kinds = sorted(e.after["scope"] for e in _lockouts(db_session) if e.after)
    assert kinds == ["account", "pair"]  # each lock audited once
    assert all(e.address == ATTACKER for e in _lockouts(db_session))
    db_session.refresh(admin)
    status = users.status(admin, utcnow())[1]
    assert status == "Tạm khóa (đăng nhập sai)"  # the soft lock shows in the account list


def test_a_soft_account_lock_refuses_only_addresses_that_failed(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    admin = h.staff(db_session, "admin")
    db_session.commit()
    _guess(client, admin.username, 1, OTHER)  # one slip from another address
    _guess(client, admin.username, settings.login_max_failures - 1)  # the name is now locked
    assert login(client, admin.username, address=OTHER).status_code == 401
    assert login(client, admin.username, address=OWNER).status_code == 302


def test_an_address_spraying_many_names_is_held_back(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    for n in range(settings.login_max_failures * 4):
        _guess(client, f"ten-doan-{n}", 1)
    assert login(client, user.username, address=ATTACKER).status_code == 401
    assert login(client, user.username, address=OWNER).status_code == 302


def test_a_lock_ends_after_the_lockout_minutes(
    app: Flask, client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    user = h.staff(db_session)
    db_session.commit()
    start = utcnow()
    runtime_of(app).use_clock(lambda: start)
    _guess(client, user.username, settings.login_max_failures)
    later = start + timedelta(minutes=settings.login_lockout_minutes - 1)
    runtime_of(app).use_clock(lambda: later)
    assert login(client, user.username, address=ATTACKER).status_code == 401
    after = start + timedelta(minutes=settings.login_lockout_minutes, seconds=1)
    runtime_of(app).use_clock(lambda: after)
    assert login(client, user.username, address=ATTACKER).status_code == 302


def test_an_administrators_reset_lifts_the_lock(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    user, admin = h.staff(db_session), h.staff(db_session, "admin")
    db_session.commit()
    _guess(client, user.username, settings.login_max_failures)
    users.reset_password(db_session, user, by=admin, now=utcnow())
    db_session.commit()
    rows = db_session.scalars(select(LoginThrottle).where(LoginThrottle.name == user.username))
    assert rows.all() == []
    db_session.refresh(user)
    assert user.locked_until is None


def _answer(client: FlaskClient, name: str, password: str, address: str) -> tuple[int, str, float]:
    """(status, page without its CSRF token, seconds) of one sign-in's POST."""
    form = {"username": name, "password": password, "csrf_token": csrf(client)}
    began = time.perf_counter()
    response = client.post("/admin/login", data=form, headers={"X-Forwarded-For": address})
    took = time.perf_counter() - began
    return response.status_code, _TOKEN.sub("", response.get_data(as_text=True)), took


def test_every_refusal_looks_and_takes_alike(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    """Locked, disabled, wrong and unknown: one status, one page, about the same time."""
    locked, disabled, plain = (h.staff(db_session) for _ in range(3))
    disabled.active = False
    db_session.commit()
    _guess(client, locked.username, settings.login_max_failures)
    cases: dict[str, tuple[str, str, str]] = {
        "locked, right password": (locked.username, h.PASSWORD, ATTACKER),
        "disabled, right password": (disabled.username, h.PASSWORD, OWNER),
        "wrong password": (plain.username, WRONG, OWNER),
        "unknown name": ("khong-ton-tai", WRONG, OTHER),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    pages: dict[str, set[tuple[int, str]]] = {k: set() for k in cases}
    for n in range(3):
        for label, (name, password, address) in cases.items():
            if label == "unknown name":
                name = f"khong-ton-tai-{n}"  # never reaches a lock
            status, page, took = _answer(client, name, password, address)
            pages[label].add((status, page))
            times[label].append(took)
    assert len(set().union(*pages.values())) == 1, {k: len(v) for k, v in pages.items()}
    ((status, page),) = pages["unknown name"]
    assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in page
    medians = [statistics.median(t) for t in times.values()]
    assert max(medians) / min(medians) < 2.5, times


def test_a_lockout_is_the_same_for_an_unknown_name(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    """Locks follow the typed name, so locking reveals no account either."""
    user = h.staff(db_session)
    db_session.commit()
    for name in (user.username, "khong-co-ai"):
        _guess(client, name, settings.login_max_failures)
    kinds = sorted(str(e.after["scope"]) for e in _lockouts(db_session) if e.after)
    assert kinds == ["account", "account", "pair", "pair"]


def test_a_lockout_is_an_item_for_administrators_once_with_a_link_that_opens(
    client: FlaskClient, db_session: Session, settings: Settings
) -> None:
    target = h.staff(db_session)
    admin = h.staff(db_session, "admin")
    db_session.commit()
    _guess(client, target.username, settings.login_max_failures + 3)  # goes on guessing
    for n in range(settings.login_max_failures * 4):
        _guess(client, f"ten-doan-{n}", 1, OTHER)  # another address tries many names
    items = db_session.scalars(
        select(StaffNotification).where(StaffNotification.kind == "signin_lockout")
    ).all()
    assert sorted(i.link for i in items) == ["/audit?kind=auth", f"/users/{target.id}"]
    assert all(i.role == "admin" for i in items)
    assert login(client, admin.username, address=OWNER).status_code == 302
    tasks = client.get("/admin/tasks").get_data(as_text=True)
    assert tasks.count("Tạm dừng đăng nhập") == 2
    for item in items:
        opened = client.get(f"/admin/tasks/{item.id}/open", follow_redirects=True)
        assert opened.status_code == 200
    assert target.username in client.get(f"/admin/users/{target.id}").get_data(as_text=True)
