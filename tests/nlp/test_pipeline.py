"""The full pipeline: one frozen Analysis for any input, never an exception."""

import dataclasses

import pytest

from nlp.keywords import CATEGORIES
from nlp.pipeline import Analysis, analyse

HOSTILE = [
    "",
    " ",
    "😀🔥💧" * 50,
    "\x00\x01\x02\x1b[31m\x7f",
    "Đường ngập " * 10_000,  # ~110 kB
    "Москва 北京 الرياض Đường",
    "<script>alert('x')</script><b>An Mỹ</b>",
    "'; DROP TABLE petitions; -- OR 1=1",
    "\ud800 lone surrogate",
    "a" * 100_000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_a_clear_result(text):
    result = analyse(text)
    assert isinstance(result, Analysis)
    assert result.category in CATEGORIES
    assert 0.0 <= result.confidence <= 1.0
    assert result.legal_type in {"khieu_nai", "to_cao", "kien_nghi", "phan_anh", "hoi_dap"}


def test_non_string_input():
    assert analyse(None).category in CATEGORIES  # type: ignore[arg-type]


def test_real_petition_with_model(use_tiny_models):
    text = "Rác thải ở đầu hẻm khối phố 3 An Mỹ bốc mùi hôi thối, gọi 0905 123 456 không ai nghe"
    result = analyse(text)
    assert result.category == "moi_truong"
    assert [c for c, _ in result.top3][0] == "moi_truong" and len(result.top3) == 3
    assert result.ward is not None and result.ward.code == "tam_ky"
    assert [s.kind for s in result.pii] == ["phone"]
    assert result.intent == "petition"
    assert not result.urgent and result.urgency_reasons == ()
    assert result.model_version != "keywords"


def test_urgent_petition(use_tiny_models):
    result = analyse("Dây điện đứt rơi xuống đường trước nhà ở Tân Thạnh, đang tóe lửa!")
    assert result.urgent and "electric" in result.urgency_reasons
    assert result.ward is not None and result.ward.code == "ban_thach"


def test_extra_wards_reach_the_resolver(use_tiny_models):
    result = analyse("Mất điện ở thôn Ngọc Nam", extra_wards={"Ngọc Nam": "huong_tra"})
    assert result.ward is not None and result.ward.code == "huong_tra"


def test_without_model_the_keyword_baseline_answers_and_asks_staff(no_models):
    result = analyse("Đường nhiều ổ gà, mặt đường hư hỏng")
    assert result.category == "giao_thong"
    assert result.needs_manual and result.model_version == "keywords"


def test_low_confidence_needs_manual(use_tiny_models):
    result = analyse("ừm")
    assert result.needs_manual


def test_analysis_is_frozen(use_tiny_models):
    result = analyse("Rác bốc mùi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.category = "khac"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["đồng ý", "ok", "xin chào", "TRA TK-2611-000123"])
def test_too_short_to_classify_always_needs_manual(use_tiny_models, text):
    assert analyse(text).needs_manual
