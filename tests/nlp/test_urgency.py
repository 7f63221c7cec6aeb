"""Urgency: immediate danger yes; formulas, chronic, preventive or past problems no."""

import numpy as np
import pytest

from nlp import emergency_model, emergency_training
from nlp import model as model_io
from nlp.normalize import fold
from nlp.urgency import Urgency, detect, rules, view

URGENT = [
    ("Nhà hàng xóm đang cháy lớn, khói đen mù mịt, gọi cứu hỏa giúp!", "fire"),
    ("Cột điện trước nhà nghiêng hẳn ra đường, có thể đổ bất cứ lúc nào", "collapse"),
    ("Dây điện bị đứt rơi xuống đường ngay trước cổng trường, đang tóe lửa", "electric"),
    ("Nước lũ dâng cao, khu tôi ngập sâu hơn 1m, phải dùng ghe để ra ngoài", "flood"),
    ("Nhóm thanh niên đang cầm dao đuổi chém nhau ở đầu hẻm", "violence"),
    ("Cả xóm ăn đám giỗ xong bị ngộ độc tập thể, nhiều người đang nôn mửa", "medical"),
    ("Có người đuối nước ở sông Bàn Thạch", "drowning"),
    ("Nhà bên cạnh rò rỉ gas, mùi nồng nặc", "gas"),
    ("Một cháu nhỏ vừa bị điện giật ở trụ đèn công viên", "electric"),
    ("Có người bị giật điện khi chạm vào cột đèn", "electric"),
    ("Cả nhà bị mắc kẹt trên mái vì nước lên", "trapped"),
    ("Trần lớp học vừa rơi một mảng, may mà các cháu đang ra chơi", "collapse"),
    ("Nước ngập hết lối ra, phải dùng xuồng chở bà con ra ngoài", "flood"),
    # a tree on a live wire is an electric danger too: the guidance gives the power hotline
    ("Cây to trước nhà số 45 ngã đè lên dây điện", "electric"),
    ("Nhìn từ xa khói đen bốc lên nghi ngút ở phía chợ", "fire"),
    # "nhà" (a house) and "xa" (far) fold like "nhả", "xả" (letting smoke out): still fires
    ("Căn nhà khói đen mù mịt", "fire"),
    ("Phía xa khói đen nghi ngút", "fire"),
    ("Trong nhà khói đen dày đặc, không thấy đường ra", "fire"),
    ("Xưởng gỗ bốc khói đen nghi ngút", "fire"),
    ("Nhà máy xả khói đen, lửa bùng lên rồi", "fire"),
    ("Xưởng gỗ đang phun khói đen mù mịt", "fire"),
    ("Công ty kế bên nhà khói bốc mù mịt", "fire"),
]


@pytest.mark.parametrize("text, reason", URGENT)
def test_urgent_with_reason(text, reason):
    result = detect(text)
    assert result.urgent and reason in result.reasons


@pytest.mark.parametrize("text, reason", URGENT)
def test_urgent_without_diacritics(text, reason):
    assert detect(fold(text)).urgent


@pytest.mark.parametrize(
    "text",
    [
        "Khẩn trương đề nghị UBND phường xem xét cấp sổ đỏ cho gia đình tôi.",
        "Đề nghị các cơ quan khẩn cấp vào cuộc xử lý tình trạng ô nhiễm kéo dài.",
        "Kính đề nghị khẩn trương giải quyết dứt điểm hồ sơ trễ hẹn.",
        "Mỗi khi mưa lớn là đường Phan Châu Trinh ngập sâu 0,5m, đề nghị nạo vét cống.",
        "Quán karaoke không đảm bảo phòng cháy chữa cháy, nguy cơ cháy nổ cao.",
        "Đề nghị đầu tư xây kè chống sạt lở bờ sông Bàn Thạch.",
        "Năm 2020 cây cầu này đã sập một nhịp, nay đã sửa xong.",
        "Nếu có cháy thì xe chữa cháy không vào được hẻm này.",
        "Tôi muốn đăng ký kết hôn thì cần giấy tờ gì?",
        "Sau sáp nhập, hồ sơ đất đai của tôi bị trả lại.",
        "Xe buýt đang chạy qua phường mỗi ngày mấy chuyến?",
        "Bóng đèn đường bị cháy 2 tuần nay chưa thay.",
        "Tối qua tôi bị hai thanh niên đi xe máy giật điện thoại ngay trước nhà.",
        "Mùa gặt bà con phải chở lúa bằng thuyền vì đường nội đồng chưa làm.",
        # typed without diacritics "xuống" (down) is "xuong", as is "xuồng" (a boat)
        "Vỉa hè bị lấn chiếm hết, người đi bộ phải đi xuống lòng đường rất nguy hiểm.",
        "Quán nhậu bày bàn ghế kín vỉa hè, người đi bộ phải đi xuống đường.",
        "",
        "😀",
    ],
)
def test_not_urgent(text):
    assert not detect(text).urgent
    assert not detect(fold(text)).urgent


def test_reasons_empty_when_not_urgent():
    assert detect("Đề nghị lắp thêm đèn đường").reasons == ()


def test_hostile_input():
    assert not detect("a" * 100_000).urgent
    assert detect("<p>Nhà đang cháy lớn</p>").urgent


@pytest.mark.parametrize(
    "text",
    [
        "hon chuc cong nhan ngo doc sau bua an trua o cong ty may, nhieu nguoi nga xiu",
        "Ông hàng xóm đột quỵ, nằm ngoài sân, gọi 115 không được",
        "bếp ga nhà bà cụ hàng xóm bắt lửa, khói đầy phòng, tôi đang cố đưa bà ra",
    ],
)
def test_word_collisions_do_not_hide_an_emergency(text):
    """'cong ty' is not 'công cảm ơn', 'nằm ngoài' is not 'năm ngoái' (a thank-you, the past)."""
    assert detect(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "cháy xưởng hôm qua đã được dập tắt, chủ xưởng đang thống kê thiệt hại",
        "Thời sự: sạt lở ở miền núi làm 11 người mất tích",
        "hai nhà bên cạnh đang cãi nhau vì chuyện đất, chưa đánh nhau",
        "gọi 114 báo cháy rừng hôm trước mà 40 phút sau xe mới tới, đề nghị xem lại",
        "nước máy đang chảy yếu, không lên được bồn",
    ],
)
def test_settled_news_negated_and_past_are_not_emergencies(text):
    assert not detect(text).urgent
    assert not detect(fold(text)).urgent


# Wording the rules have no pattern for; the learned model (nlp/emergency_model.py) reads it.
MODEL_ONLY = [
    "mái tôn nhà bên bay tứ tung, một tấm cắm vào vai anh shipper, ảnh đang la",
    "nuoc vo tran vao phong, ong ba em nam liet tren giuong",
]


@pytest.mark.parametrize("text", MODEL_ONLY)
def test_the_model_raises_what_the_rules_miss_as_a_danger(text):
    assert not rules(text).urgent
    assert detect(text) == Urgency(True, ("danger",))
    assert emergency_model.probability(view(text)) >= emergency_model.THRESHOLD


@pytest.mark.parametrize("text", MODEL_ONLY)
def test_without_the_model_file_the_rules_decide_alone(text, tmp_path, monkeypatch):
    monkeypatch.setattr(emergency_model, "MODEL_FILE", tmp_path / "missing.bin")
    emergency_model.MODEL.reset()
    try:
        assert not detect(text).urgent
        assert detect(URGENT[0][0]).reasons == ("fire",)
    finally:
        monkeypatch.undo()
        emergency_model.MODEL.reset()
    assert detect(text).urgent


def test_a_hazard_the_rules_name_is_kept_and_not_called_danger():
    result = detect("Nhà hàng xóm đang cháy lớn, khói đen mù mịt, gọi cứu hỏa giúp!")
    assert result.reasons == ("fire",)


def test_every_reason_has_a_vietnamese_label():
    from handlers.conversation.emergency import REASON_LABELS, labels

    assert labels(("danger",)) == "nguy hiểm đang xảy ra"
    assert "danger" in REASON_LABELS


@pytest.mark.slow
def test_the_shipped_model_file_is_what_the_corpus_trains(tmp_path):
    """The same features, and the same weights up to float rounding: BLAS kernels round the
    last bits differently on different CPUs (1.5e-8 between an AVX-512 machine and the one
    that wrote the file), so the bytes match only on the same hardware."""
    path = tmp_path / "emergency.bin"
    emergency_training.build(path)
    built, shipped = model_io.load(path), model_io.load(emergency_model.MODEL_FILE)
    assert (built.classes, built.index, built.version) == (
        shipped.classes,
        shipped.index,
        shipped.version,
    )
    assert built.idf.keys() == shipped.idf.keys()
    pairs = {
        "matrix": (built.matrix, shipped.matrix),
        "idf": (list(built.idf.values()), list(shipped.idf.values())),
        "bias": (built.bias, shipped.bias),
    }
    for name, (ours, theirs) in pairs.items():
        assert np.allclose(ours, theirs, rtol=0, atol=1e-6), name
