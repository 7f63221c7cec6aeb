"""The request list's masked names, and the device summaries of /admin/me."""

from __future__ import annotations

import unicodedata

import pytest

from handlers.devices import describe_agent, mask_address
from handlers.privacy.listing import mask_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Nguyễn Văn An", "N***** V** An"),
        ("  Lê   Thị  Bích Ngọc ", "L* T** B*** Ngọc"),
        ("Tuấn", "Tu**"),
        ("Hà", "H*"),
        ("", ""),
        (None, ""),
        (unicodedata.normalize("NFD", "Trần Hòa"), "T*** Hòa"),
    ],
)
def test_mask_name_keeps_the_given_name_and_initials(name: str | None, shown: str) -> None:
    assert mask_name(name) == shown


@pytest.mark.parametrize(
    ("agent", "shown"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge trên Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari trên iPhone",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) coc_coc_browser/118.0.200 Chrome/112.0.0.0 Safari/537.36",
            "Cốc Cốc trên macOS",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox trên Linux",
        ),
        ("curl/8.5.0", "Trình duyệt không rõ"),
        (None, "Trình duyệt không rõ"),
    ],
)
def test_describe_agent(agent: str | None, shown: str) -> None:
    assert describe_agent(agent) == shown


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("203.0.113.45", "203.0.113.x"),
        ("2001:0db8:85a3::8a2e:370:7334", "2001:db8:85a3:…"),
        ("not an address", "—"),
        (None, "—"),
    ],
)
def test_mask_address(address: str | None, shown: str) -> None:
    assert mask_address(address) == shown
