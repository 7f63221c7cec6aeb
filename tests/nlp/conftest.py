"""Fixtures for nlp tests: a tiny corpus written here and a model trained on it.

Nothing here reads ../shared or the real corpus, so these tests run anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlp import registry, trainer

TINY_PETITIONS = {
    "giao_thong": [
        "Đường Phan Châu Trinh có nhiều ổ gà, xe máy đi rất nguy hiểm",
        "Mặt đường bê tông ở thôn 3 bị bong tróc, đề nghị sửa chữa",
        "Đề nghị lắp đèn tín hiệu giao thông ở ngã tư Hùng Vương",
        "duong vao khoi pho 5 hu hong nang, o ga khap noi",
        "Cầu dân sinh xuống cấp, xe tải vẫn chạy qua",
        "Cần gờ giảm tốc trước cổng trường vì xe chạy quá nhanh",
    ],
    "moi_truong": [
        "Rác thải tập kết ở đầu hẻm bốc mùi hôi thối nhiều ngày",
        "Trại heo xả nước thải ra mương gây ô nhiễm",
        "Xe thu gom rác không đến 1 tuần nay",
        "rac thai vut bua bai canh song, moi hoi lam",
        "Khói bụi từ xưởng gỗ làm cả xóm bị ho",
        "Đề nghị trồng thêm cây xanh ở công viên",
    ],
    "y_te": [
        "Trạm y tế phường thiếu thuốc bảo hiểm y tế",
        "Bác sĩ khám qua loa, thái độ không tốt với bệnh nhân",
        "Cần phun thuốc diệt muỗi vì có ca sốt xuất huyết",
        "the bhyt cua me toi bi loi, ra tram y te ko kham duoc",
        "Quán ăn trước chợ không đảm bảo an toàn thực phẩm",
        "Đề nghị tổ chức tiêm chủng cho trẻ em",
    ],
}
TINY_DIALOGUE = [
    ("xin chào", "greeting"),
    ("chào ad", "greeting"),
    ("hello", "greeting"),
    ("cảm ơn nhiều", "thanks"),
    ("cám ơn ạ", "thanks"),
    ("thanks", "thanks"),
    ("bot này làm gì vậy", "bot_question"),
    ("gửi đơn thế nào", "bot_question"),
    ("đơn của tôi tới đâu rồi", "status_lookup"),
    ("tra cứu đơn", "status_lookup"),
    ("đồng ý", "consent_yes"),
    ("không đồng ý", "consent_no"),
    ("ăn cơm chưa", "smalltalk"),
    ("trời nóng quá", "smalltalk"),
    ("vay tiền nhanh lãi suất thấp", "spam"),
    ("đồ vô dụng", "abuse"),
]


def write_tiny_corpus(root: Path) -> Path:
    """Write the tiny corpus under ``root`` in the real corpus layout."""
    petitions = root / "petitions"
    petitions.mkdir(parents=True)
    for category, texts in TINY_PETITIONS.items():
        lines = [
            json.dumps(
                {
                    "text": t,
                    "category": category,
                    "urgent": False,
                    "ward": None,
                    "legal_type": "kien_nghi" if t.startswith("Đề nghị") else "phan_anh",
                },
                ensure_ascii=False,
            )
            for t in texts
        ]
        (petitions / f"{category}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialogue = [json.dumps({"text": t, "intent": i}, ensure_ascii=False) for t, i in TINY_DIALOGUE]
    (root / "dialogue.jsonl").write_text("\n".join(dialogue) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory trained on the tiny corpus."""
    data = write_tiny_corpus(tmp_path_factory.mktemp("corpus"))
    out = tmp_path_factory.mktemp("models")
    trainer.train(out=out, data_dir=data)
    return out


@pytest.fixture
def use_tiny_models(tiny_models: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the process-wide registry at the tiny models for one test."""
    monkeypatch.setenv("NLP_MODELS_DIR", str(tiny_models))
    registry.reload()
    yield tiny_models
    monkeypatch.delenv("NLP_MODELS_DIR")
    registry.BUNDLE.reset()


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty models directory: everything must fall back to rules."""
    monkeypatch.setenv("NLP_MODELS_DIR", str(tmp_path))
    registry.reload()
    yield tmp_path
    monkeypatch.delenv("NLP_MODELS_DIR")
    registry.BUNDLE.reset()
