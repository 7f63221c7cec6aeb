"""The simulator: its JSON API, its guard, and a real browser filing a petition through it."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from bot import create_app
from config import load_settings
from tests.conversation.service import Service, own_database, running_service

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("sim")
    with own_database(database_url, folder) as url, running_service(url, folder) as svc:
        yield svc


def test_simulator_is_404_outside_demo_and_tests(tmp_path: Path, database_url: str) -> None:
    settings = load_settings(
        environ={
            "SECRET_KEY": "x" * 32,
            "ZALO_APP_ID": "1",
            "ZALO_APP_SECRET": "s",
            "ZALO_OA_SECRET_KEY": "k",
            "SMTP_URL": "smtp://127.0.0.1:25",
            "DATABASE_URL": database_url,
            "ZALO_INLINE_MODE": "off",
            "CONVERSATION_TICK_MS": "0",
        },
        env_file=tmp_path / "none.env",
    )
    assert not settings.demo and not settings.testing
    app = create_app(settings)
    try:
        client: FlaskClient = app.test_client()
        assert client.get("/simulator/").status_code == 404
        assert client.post("/simulator/api/send", json={}).status_code == 404
    finally:
        from bot.database import get_db

        get_db(app).engine.dispose()


def test_api_sends_signed_events_and_reads_the_standin(service: Service) -> None:
    api = f"{service.base_url}/simulator/api"
    personas = requests.get(f"{api}/personas", timeout=10).json()
    user = personas["new_user_id"]
    assert len(personas["personas"]) >= 3
    sent = requests.post(
        f"{api}/send", json={"user_id": user, "kind": "text", "text": "chào"}, timeout=20
    )
    assert sent.json()["ok"] is True
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        shown = requests.get(f"{api}/messages", params={"user_id": user}, timeout=10).json()
        if shown["next"] >= 2:
            break
        time.sleep(0.05)
    assert shown["messages"][-1]["buttons"][0]["title"] == "Đồng ý"
    photo = {
        "user_id": user,
        "kind": "image",
        "image_b64": base64.b64encode(PNG).decode(),
        "content_type": "image/png",
    }
    assert requests.post(f"{api}/send", json=photo, timeout=20).json()["ok"] is True
    bad = requests.post(f"{api}/send", json={"user_id": "x", "kind": "text"}, timeout=10)
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["error"]


@pytest.mark.browser
def test_a_newcomer_files_a_petition_in_the_browser(service: Service, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    photo = tmp_path / "o-ga.png"
    photo.write_bytes(PNG)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"{service.base_url}/simulator/")
            page.select_option("#persona", "new")
            bot = page.locator(".msg.bot")

            def send(text: str) -> None:
                page.fill("#text", text)
                page.click("#send")

            def tap(title: str) -> None:
                page.get_by_role("button", name=title, exact=True).last.click()

            send("xin chào")
            expect(page.locator(".chip", has_text="Không đồng ý").last).to_be_visible(
                timeout=10_000
            )
            tap("Đồng ý")
            expect(bot.last).to_contain_text("Cảm ơn Ông/Bà đã đồng ý", timeout=10_000)
            send("Cống thoát nước trước nhà bị tắc, mưa xuống là ngập và bốc mùi hôi")
            page.set_input_files("#photo", str(photo))
            expect(page.locator(".chip", has_text="P. Bàn Thạch").last).to_be_visible(
                timeout=10_000
            )
            send("tam thang")
            expect(bot.last).to_contain_text("phường Bàn Thạch (Tam Thăng cũ)", timeout=10_000)
            expect(bot.last).to_contain_text("Kèm theo: 1 ảnh/tệp")
            tap("GỬI")
            receipt = page.locator(".msg.bot", has_text=re.compile(r"Mã hồ sơ: TK-"))
            expect(receipt.last).to_be_visible(timeout=10_000)
            assert receipt.count() == 1  # every message shown once
            text = receipt.inner_text()
            code = re.search(r"TK-\d{4}-\d{6}", text)
            assert code is not None
            send(f"TRA {code.group()}")
            expect(bot.last).to_contain_text(f"Hồ sơ {code.group()}: Đã tiếp nhận", timeout=10_000)
            assert page.locator(".msg.me").count() >= 6
        finally:
            browser.close()
