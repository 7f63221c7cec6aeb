"""The overlap check finds copied wording, even re-typed without diacritics."""

import json

from nlp import cli, leakage

CORPUS = [
    "Đường Hùng Vương đoạn gần chợ có nhiều ổ gà lớn, trời mưa nước đọng rất nguy hiểm cho xe máy",
    "Đề nghị các cấp có thẩm quyền xem xét giải quyết dứt điểm cho người dân",
]


def test_copied_sentence_is_found_without_diacritics():
    copied = "duong hung vuong doan gan cho co nhieu o ga lon, troi mua nuoc dong rat nguy hiem"
    found = leakage.overlap(CORPUS, [copied, "Xin cảm ơn cán bộ phường đã nhiệt tình"])
    assert found.n == 2 and found.records_sharing == 1
    assert found.longest_run == 18  # the whole copied text
    assert found.runs_over_20 == 0


def test_independent_texts_share_nothing():
    found = leakage.overlap(CORPUS, ["Trạm y tế thiếu thuốc, người già phải đi xa để lấy thuốc"])
    assert found.as_dict()["records_sharing_an_ngram"] == 0 and found.longest_run == 0


def test_longest_run_counts_syllables():
    seen = {("a", "b", "c")}
    assert leakage.longest_run(["x", "a", "b", "c", "y"], seen, 3) == 3
    assert leakage.longest_run(["x", "y"], seen, 3) == 0


def test_overlap_command(capsys, tmp_path):
    petitions = tmp_path / "data" / "petitions"
    petitions.mkdir(parents=True)
    line = {"text": CORPUS[0], "category": "giao_thong", "urgent": False, "ward": None}
    (petitions / "giao_thong.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
    evaluation = tmp_path / "eval.jsonl"
    evaluation.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli.main(["overlap", str(evaluation), "--data", str(tmp_path / "data")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["corpus_petitions"] == 1 and out["records_with_run_over_20"] == 1
    assert out["longest_shared_run"] == len(CORPUS[0].split())
