"""The emergency corpus evaluation, held to the committed baseline (nlp/data/emergency)."""

from __future__ import annotations

import json

import pytest

from nlp import emergency_eval, emergency_training
from nlp.cli import main
from nlp.normalize import fold

BASELINE = json.loads(emergency_eval.BASELINE_FILE.read_text(encoding="utf-8"))
REPORT = emergency_eval.evaluate()


def test_the_corpus_is_large_and_its_splits_do_not_overlap() -> None:
    texts = [
        fold(s.text)
        for split in emergency_eval.SPLITS
        for s in emergency_eval.read(emergency_eval.CORPUS_DIR / f"{split}.jsonl")
    ]
    assert len(texts) >= 300
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("split", emergency_eval.SPLITS)
def test_detector_holds_its_baseline(split: str) -> None:
    kept = BASELINE["splits"][split]
    got = REPORT[split]["detector"]
    assert got["n"] == kept["n"]
    assert got["recall"] >= kept["detector"]["recall"]
    assert got["precision"] >= kept["detector"]["precision"]
    if split in emergency_eval.STUDIED:
        assert got["recall"] >= BASELINE["targets"]["recall"]
        assert got["precision"] >= BASELINE["targets"]["precision"]


@pytest.mark.parametrize("split", emergency_eval.SPLITS)
def test_old_rules_are_measured_beside_it(split: str) -> None:
    old = REPORT[split]["baseline"]
    assert old["recall"] == BASELINE["splits"][split]["old_rules"]["recall"]
    assert old["recall"] < REPORT[split]["detector"]["recall"]


def test_every_file_of_the_corpus_is_measured_and_recorded() -> None:
    files = {p.stem for p in emergency_eval.CORPUS_DIR.glob("*.jsonl")}
    assert files == set(emergency_eval.SPLITS) == set(BASELINE["splits"])


def test_first_look_figures_are_recorded_for_every_held_out_file() -> None:
    for split in emergency_eval.HELD_OUT:
        first = BASELINE["splits"][split]["first_look"]
        assert 0 < first["recall"] <= 1 and 0 < first["precision"] <= 1
        assert first["recall"] <= REPORT[split]["detector"]["recall"]


def test_the_model_never_trains_on_a_fresh_file() -> None:
    assert set(emergency_training.TRAINING) == set(emergency_eval.STUDIED)
    assert not set(emergency_training.TRAINING) & set(emergency_eval.FRESH)


def test_heldout6_keeps_its_first_look_beside_the_parts_of_the_detector() -> None:
    """heldout6 was the last file measured before it was studied: its first look (0.957 with a
    rejected model, the shipped one 0.914) stays recorded now that it is trained on."""
    kept = BASELINE["splits"]["heldout6"]
    assert kept["first_look"]["recall"] < BASELINE["targets"]["recall"] + 0.01
    assert kept["shipped_first_look"]["recall"] < kept["first_look"]["recall"]
    assert "first_look_rules" in kept and "first_look_parts" in kept


@pytest.mark.parametrize("split", emergency_eval.HELD_OUT)
def test_once_studied_files_are_half_emergencies_and_stay_above_the_targets(split: str) -> None:
    """A regression guard, not the unseen-text figure: each file's misses were studied after
    its first look (recorded in baseline.json, below the recall target on every file)."""
    got = REPORT[split]["detector"]
    assert 0.4 <= got["urgent"] / got["n"] <= 0.6
    assert got["recall"] >= BASELINE["targets"]["recall"]
    assert got["precision"] >= BASELINE["targets"]["precision"]
    assert got["recall"] > REPORT[split]["baseline"]["recall"]


def test_command_prints_figures_and_names_misses(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    path = tmp_path / "x.jsonl"
    rows = [
        {"text": "Nhà bên cạnh đang cháy lớn, khói đen mù mịt", "urgent": True},
        {"text": "Đề nghị lắp thêm đèn đường ở kiệt 5", "urgent": False},
        {"text": "hôm nay trời đẹp", "urgent": True},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["emergency", str(path), "--details"]) == 0
    out = json.loads(capsys.readouterr().out)["x"]
    assert out["detector"]["recall"] == 0.5 and out["detector"]["precision"] == 1.0
    assert out["detector"]["missed"] == ["hôm nay trời đẹp"]


@pytest.mark.parametrize("split", emergency_eval.FRESH)
def test_a_fresh_file_meets_the_targets_on_text_nobody_tuned_on(split: str) -> None:
    """The issue's target, on a file written without sight of the detector and never studied:
    recall ≥ 0.95 and precision ≥ 0.85 for what ships, and the first look is recorded."""
    kept = BASELINE["splits"][split]
    got = REPORT[split]["detector"]
    assert got["recall"] >= BASELINE["targets"]["recall"]
    assert got["precision"] >= BASELINE["targets"]["precision"]
    assert kept["first_look"]["recall"] >= BASELINE["targets"]["recall"]
    assert kept["round5_first_look"] == {k: got[k] for k in ("recall", "precision")}
    assert 0.4 <= got["urgent"] / got["n"] <= 0.6
