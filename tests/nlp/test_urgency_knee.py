"""«đầu gối» (knee) is not «đầu» (head): knee-deep water in a street is a complaint, not a
call for help, with or without diacritics (walk 2, P1.2)."""

from __future__ import annotations

import pytest

from nlp.urgency import detect, rules


@pytest.mark.parametrize(
    "text",
    [
        "nước ngập tới đầu gối ngoài đường",
        "nuoc ngap toi dau goi roi, xe may chet may giua duong",
        "mưa xong là nước lên ngang đầu gối, xe chết máy",
    ],
)
def test_knee_deep_water_is_not_an_emergency(text: str) -> None:
    assert not rules(text).urgent
    assert not detect(text).urgent


@pytest.mark.parametrize(
    "text", ["nước ngập tới đầu rồi, cứu với", "nuoc ngap toi dau roi cuu voi"]
)
def test_water_over_the_head_still_is(text: str) -> None:
    assert "flood" in detect(text).reasons
