"""The app factory, health check, error pages and the masking log formatter."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.database import get_db
from bot.logs import MaskingFormatter, mask_for_log
from config import Settings


def test_healthz_reports_the_migrated_database(client: FlaskClient) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json is not None
    assert resp.json["status"] == "ok" and resp.json["revision"]


def test_healthz_fails_on_an_unmigrated_database(
    settings: Settings, empty_database_url: str
) -> None:
    app = create_app(settings.with_overrides(database_url=empty_database_url))
    resp = app.test_client().get("/healthz")
    get_db(app).engine.dispose()
    assert resp.status_code == 503
    assert resp.json is not None and resp.json["status"] == "error"


def test_unknown_page_is_vietnamese_html(client: FlaskClient) -> None:
    resp = client.get("/khong-co-trang-nay")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "Không tìm thấy" in resp.get_data(as_text=True)


def test_machine_paths_get_json_errors(client: FlaskClient) -> None:
    resp = client.get("/api/khong-co")
    assert resp.status_code == 404
    assert resp.json == {
        "error": "not_found",
        "message": "Không tìm thấy trang hoặc hồ sơ yêu cầu.",
    }


def test_unexpected_error_is_a_clean_500(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("citizen phone 0905123456 leaked")

    with caplog.at_level(logging.ERROR):
        resp = app.test_client().get("/boom")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert "Traceback" not in body and "0905123456" not in body
    record = next(r for r in caplog.records if "unhandled error" in r.getMessage())
    formatted = MaskingFormatter().format(record)
    assert "RuntimeError" in formatted and "0905123456" not in formatted


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("user 0905123456 wrote", "0905123456"),
        ("call +84 905 123 456 now", "905 123 456"),
        ("cccd 049123456789 attached", "049123456789"),
        ("mail nguyen.van.a@gmail.com", "nguyen.van.a@gmail.com"),
        ("zalo user 246845883529197922 followed", "246845883529197922"),
    ],
)
def test_log_mask_hides_personal_data(line: str, secret: str) -> None:
    masked = mask_for_log(line)
    assert secret not in masked
    assert masked.split()[0] == line.split()[0]


def test_session_cookie_flags(app: Flask, settings: Settings) -> None:
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    prod = create_app(settings.with_overrides(session_cookie_secure=True))
    get_db(prod).engine.dispose()
    assert prod.config["SESSION_COOKIE_SECURE"] is True


def test_healthz_reports_a_full_disk(settings: Settings) -> None:
    Path(settings.attachment_dir).mkdir(parents=True, exist_ok=True)
    free_mb = shutil.disk_usage(settings.attachment_dir).free // (1024 * 1024)
    app = create_app(settings.with_overrides(health_min_free_mb=free_mb + 1024))
    resp = app.test_client().get("/healthz")
    get_db(app).engine.dispose()
    assert resp.status_code == 503
    assert resp.json is not None and resp.json["storage"] == "low disk space"


def test_healthz_reports_a_folder_that_takes_no_writes(settings: Settings, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the attachments folder should be")
    app = create_app(settings.with_overrides(attachment_dir=str(blocked)))
    resp = app.test_client().get("/healthz")
    get_db(app).engine.dispose()
    assert resp.status_code == 503
    assert resp.json is not None and resp.json["storage"] == "not writable"
