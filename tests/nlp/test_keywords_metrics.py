"""Keyword baseline, metrics and corpus reading."""

import json

import pytest

from nlp import corpus, keywords, metrics
from nlp.normalize import fold


@pytest.mark.parametrize(
    "text, category",
    [
        ("Gia đình tôi chưa được cấp sổ đỏ", "dat_dai"),
        ("Đường nhiều ổ gà, đề nghị làm đường", "giao_thong"),
        ("Mất điện cả ngày, tiền điện tăng", "ha_tang_dien_nuoc"),
        ("Rác thải bốc mùi hôi thối", "moi_truong"),
        ("Hàng xóm hát karaoke đến nửa đêm", "an_ninh_trat_tu"),
        ("Hộ cận nghèo chưa được nhận trợ cấp", "an_sinh_xa_hoi"),
        ("Trạm y tế thiếu thuốc bảo hiểm y tế", "y_te"),
        ("Học phí và các khoản thu đầu năm quá cao", "giao_duc"),
        ("Cán bộ một cửa hách dịch, hồ sơ trễ hẹn", "hanh_chinh_can_bo"),
        ("Trưởng thôn ăn chặn tiền, nhận hối lộ", "tham_nhung_tieu_cuc"),
        ("Kênh mương thủy lợi bồi lắng, ruộng lúa thiếu nước", "kinh_te_nong_nghiep"),
        ("Đề nghị tổ chức lễ hội văn hóa thể thao", "khac"),
        ("xin chào", "khac"),
    ],
)
def test_baseline_with_and_without_diacritics(text, category):
    assert keywords.classify(text) == category
    assert keywords.classify(fold(text)) == category


def test_ambiguous_folded_words_are_not_keywords():
    # "môi trường" must not count as a school ("trường"), "yêu cầu" not as a bridge ("cầu")
    assert "giao_duc" not in keywords.hits(fold("ô nhiễm môi trường"))
    assert "giao_thong" not in keywords.hits(fold("yêu cầu giải quyết"))


def test_metrics_on_a_small_case():
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    table = metrics.per_class(gold, pred, ["a", "b"])
    assert table["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert metrics.accuracy(gold, pred) == 0.75
    assert metrics.macro_f1(gold, pred, ["a", "b", "c"]) == round((0.6667 + 0.8) / 2, 4)
    assert metrics.confusion(gold, pred, ["a", "b"]) == {"a": {"a": 1, "b": 1}, "b": {"b": 2}}
    assert metrics.binary([True, False, True], [True, True, False]) == (0.5, 0.5)


def test_corpus_reader_skips_bad_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    rows = [
        json.dumps({"text": "Rác", "category": "moi_truong", "ward": "Tam Kỳ"}, ensure_ascii=False),
        "{not json",
        json.dumps({"text": "x", "category": "no_such"}),
        json.dumps({"category": "y_te"}),
        "",
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    petitions = corpus.read_petitions(path)
    assert petitions == [corpus.Petition("Rác", "moi_truong", False, "Tam Kỳ", None)]


def test_deduplicate_keeps_the_staff_label():
    first = corpus.Petition("Ổ gà", "giao_thong")
    corrected = corpus.Petition("Ổ gà", "xay_dung_do_thi")
    assert corpus.deduplicate([first, corrected]) == [corrected]
    assert corpus.fingerprint([first, corrected]) == corpus.fingerprint([corrected, first])
