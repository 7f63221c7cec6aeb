"""``python -m nlp``: one JSON object per command, the fields the issue lists."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import cli

from .conftest import write_tiny_corpus

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert cli.main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_classify(use_tiny_models, capsys):
    text = "Trạm y tế thiếu thuốc bảo hiểm y tế, gọi 0905123456"
    out = run(capsys, "classify", text)
    assert {"category", "confidence", "top3", "ward", "urgent", "legal_type", "pii"} <= set(out)
    assert out["category"] == "y_te"
    start = text.index("0905")
    assert out["pii"] == [{"kind": "phone", "start": start, "end": start + 10}]


def test_evaluate_fields_and_baseline(use_tiny_models, capsys, tmp_path):
    data = tmp_path / "eval.jsonl"
    rows = [
        {
            "text": "Đường ở An Mỹ nhiều ổ gà",
            "category": "giao_thong",
            "urgent": False,
            "ward": "Tam Kỳ",
        },
        {
            "text": "Rác bốc mùi, nhà đang cháy lớn",
            "category": "moi_truong",
            "urgent": True,
            "ward": None,
        },
        {"text": "Thiếu thuốc bảo hiểm y tế", "category": "y_te", "urgent": False, "ward": None},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = run(capsys, "evaluate", str(data))
    expected = {
        "n",
        "category_accuracy",
        "category_macro_f1",
        "per_category",
        "confusion",
        "ward_accuracy",
        "ward_false_positive_rate",
        "urgent_precision",
        "urgent_recall",
        "baseline",
        "category_ece",
        "reliability_table",
    }
    assert set(out) == expected
    assert 0.0 <= out["category_ece"] <= 1.0
    assert sum(row["n"] for row in out["reliability_table"]) == 3
    assert out["n"] == 3 and out["ward_accuracy"] == 1.0 and out["ward_false_positive_rate"] == 0
    assert out["urgent_recall"] == 1.0
    assert set(out["baseline"]) == {
        "category_accuracy",
        "category_macro_f1",
        "per_category",
        "confusion",
    }
    stripped = run(capsys, "evaluate", str(data), "--strip-diacritics")
    assert stripped["n"] == 3 and stripped["ward_accuracy"] == 1.0


def test_train_into_directory(capsys, tmp_path):
    data = write_tiny_corpus(tmp_path / "corpus")
    out = run(capsys, "train", "--data", str(data), "--out", str(tmp_path / "models"))
    assert out["replaced"] and set(out["files"]) == {"category", "legal_type", "intent"}
    again = run(capsys, "train", "--data", str(data), "--out", str(tmp_path / "models"))
    assert again["version"] == out["version"]


def test_missing_file_is_an_error_not_a_traceback(capsys):
    assert cli.main(["evaluate", "/nonexistent/eval.jsonl"]) == 1


def test_module_entry_point(use_tiny_models):
    done = subprocess.run(
        [sys.executable, "-m", "nlp", "classify", "xin chào"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
        env={"NLP_MODELS_DIR": str(use_tiny_models), "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(done.stdout)["category"]
