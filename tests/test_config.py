"""Settings come from the environment and fail fast naming what is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_settings

PRODUCTION = {
    "SECRET_KEY": "s" * 32,
    "ZALO_APP_ID": "123",
    "ZALO_APP_SECRET": "app-secret",
    "ZALO_OA_SECRET_KEY": "oa-secret",
    "SMTP_URL": "smtp://mail.example:25",
}


def test_missing_secrets_are_all_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(environ={"ZALO_APP_ID": "1"}, env_file=tmp_path / "none")
    message = str(err.value)
    for name in ("SECRET_KEY", "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "SMTP_URL"):
        assert name in message
    assert "ZALO_APP_ID" not in message


def test_defaults_and_types(tmp_path: Path) -> None:
    s = load_settings(
        environ={
            **PRODUCTION,
            "WEBHOOK_MAX_BYTES": "1000",
            "SESSION_COOKIE_SECURE": "false",
            "WEBHOOK_SIGNATURE_VARIANTS": "app_body_ts_oakey, oaid_body_ts_oakey",
        },
        env_file=tmp_path / "none",
    )
    assert s.zalo_api_base == "https://openapi.zalo.me"
    assert s.zalo_oauth_base == "https://oauth.zaloapp.com"
    assert s.zalo_inline_mode == "off"  # the worker processes events, not the web process
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("pakn.sqlite3")
    assert s.webhook_max_bytes == 1000
    assert s.session_cookie_secure is False
    assert s.webhook_signature_variants == ("app_body_ts_oakey", "oaid_body_ts_oakey")
    assert s.demo is False
    with pytest.raises(AttributeError):
        s.secret_key = "x"  # type: ignore[misc]


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in PRODUCTION.items()) + "LOG_LEVEL=ERROR\n")
    s = load_settings(environ={"LOG_LEVEL": "DEBUG"}, env_file=env_file)
    assert s.secret_key == PRODUCTION["SECRET_KEY"]
    assert s.log_level == "DEBUG"


@pytest.mark.parametrize("key", ["a", "s" * 31, "ă" * 15])
def test_a_short_secret_key_is_refused_outside_demo_and_tests(key: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is too short"):
        load_settings(environ={**PRODUCTION, "SECRET_KEY": key}, env_file=tmp_path / "x")
    demo = load_settings(
        environ={**PRODUCTION, "SECRET_KEY": key, "PAKN_DEMO": "1"}, env_file=tmp_path / "x"
    )
    assert demo.secret_key == key
    assert (
        load_settings(environ={"SECRET_KEY": key}, env_file=tmp_path / "x", testing=True).secret_key
        == key
    )


def test_wsgi_says_why_and_exits_2_on_a_short_key(tmp_path: Path) -> None:
    env = {**PRODUCTION, "SECRET_KEY": "a", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import wsgi"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "SECRET_KEY is too short" in done.stderr + done.stdout


def test_a_value_outside_its_choices_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ZALO_INLINE_MODE"):
        load_settings(environ={**PRODUCTION, "ZALO_INLINE_MODE": "thread"}, env_file=tmp_path / "x")


def test_demo_mode_fills_secrets_but_production_does_not(tmp_path: Path) -> None:
    demo = load_settings(environ={"PAKN_DEMO": "1"}, env_file=tmp_path / "none")
    assert demo.demo and demo.secret_key and demo.session_cookie_secure is False
    with pytest.raises(ConfigError):
        load_settings(environ={"PAKN_DEMO": "0"}, env_file=tmp_path / "none")


def test_bad_number_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_MAX_BYTES"):
        load_settings(
            environ={**PRODUCTION, "WEBHOOK_MAX_BYTES": "lots"}, env_file=tmp_path / "none"
        )
