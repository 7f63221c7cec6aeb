"""Calibration figures, the parts of a petition, and the second problem it raises."""

import pytest

from nlp import classifier, metrics
from nlp.segments import parts


def test_ece_is_zero_when_confidence_matches_accuracy():
    pairs = [(0.75, True)] * 3 + [(0.75, False)] + [(0.95, True)] * 19 + [(0.95, False)]
    assert metrics.expected_calibration_error(pairs) == pytest.approx(0.0, abs=1e-4)


def test_ece_of_an_overconfident_model():
    pairs = [(0.9, True), (0.9, False)]  # says 90%, right half the time
    assert metrics.expected_calibration_error(pairs) == pytest.approx(0.4)
    assert metrics.expected_calibration_error([]) == 0.0


def test_reliability_table_bins():
    rows = metrics.reliability_table([(0.05, False), (0.55, True), (0.58, False), (1.0, True)])
    assert [(r["bin"], r["n"], r["accuracy"]) for r in rows] == [
        ("0.0–0.1", 1, 0.0),
        ("0.5–0.6", 2, 0.5),
        ("0.9–1.0", 1, 1.0),
    ]
    assert rows[1]["mean_confidence"] == pytest.approx(0.565)


def test_parts_split_sentences_and_merge_short_ones():
    text = "Đèn đường ở hẻm 5 hỏng cả tháng nay. Còn rác thì không ai thu gom, bốc mùi. Xin cảm ơn."
    assert parts(text) == [
        "Đèn đường ở hẻm 5 hỏng cả tháng nay",
        "rác thì không ai thu gom, bốc mùi Xin cảm ơn",
    ]
    assert parts("Đường tối om") == ["Đường tối om"]
    assert parts("") == []


def test_second_problem_from_a_part(use_tiny_models):
    from nlp import registry

    model = registry.bundle().category
    text = (
        "Đường Phan Châu Trinh có nhiều ổ gà, xe máy đi rất nguy hiểm. "
        "Ngoài ra rác thải tập kết ở đầu hẻm bốc mùi hôi thối nhiều ngày"
    )
    main = classifier.predict(text).category
    second = classifier.second_problem(model, text, main, threshold=0.4)
    assert second is not None
    assert {main, second[0]} == {"giao_thong", "moi_truong"}
    assert 0.4 <= second[1] <= 1.0


def test_one_problem_has_no_second(use_tiny_models):
    text = "Trạm y tế phường thiếu thuốc bảo hiểm y tế. Bác sĩ khám qua loa với bệnh nhân"
    prediction = classifier.predict(text)
    assert prediction.category == "y_te"
    assert prediction.second is None


def test_second_problem_is_exposed_by_the_pipeline():
    from nlp.pipeline import analyse

    text = (
        "Đèn chiếu sáng trên đường Hùng Vương đoạn gần chợ bị hỏng cả tháng, tối đi rất nguy hiểm. "
        "Ngoài ra rác thải sinh hoạt ở đầu hẻm không được thu gom, bốc mùi hôi thối cả tuần nay."
    )
    result = analyse(text)
    assert result.category in {"ha_tang_dien_nuoc", "moi_truong"}
    assert result.second is not None
    assert {result.category, result.second[0]} == {"ha_tang_dien_nuoc", "moi_truong"}


@pytest.mark.parametrize(
    "second_part",
    [
        "Ổ gà to giữa đường gây nguy hiểm.",  # folded "o ga": "ổ", not "ở"
        "Tai nạn giao thông liên tục.",  # "tai nạn", not "tại"
        "Ngày nào cũng có người đổ rác.",  # "ngày", not "ngay"
        "Trước cổng trường ổ gà to.",  # a place, then the problem
        "Tại chợ rác ùn ứ.",
    ],
)
def test_a_second_problem_that_starts_like_a_place_is_still_one(second_part):
    from nlp.pipeline import analyse

    text = "Đèn đường trên đường Hùng Vương hỏng cả tháng nay, tối rất tối.\n" + second_part
    assert analyse(text).second is not None
