"""Training is deterministic, versioned, gated, and the model file round-trips."""

import json
from pathlib import Path

import pytest

from nlp import model as model_io
from nlp import trainer
from nlp.features import extract, vectorize
from nlp.model import softmax
from nlp.training import Counts, TrainConfig, fit, fit_counts, fit_temperature, folds_of

from .conftest import write_tiny_corpus


def test_manifest_and_files(tiny_models: Path):
    manifest = json.loads((tiny_models / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"category", "legal_type", "intent"}
    for name in manifest["files"].values():
        assert (tiny_models / name).is_file()
    assert len(manifest["data_hash"]) == 64
    assert 0 <= manifest["metrics"]["category"]["cv_macro_f1"] <= 1


def test_same_data_gives_identical_files(tmp_path: Path):
    data = write_tiny_corpus(tmp_path / "corpus")
    first = trainer.train(out=tmp_path / "a", data_dir=data)
    second = trainer.train(out=tmp_path / "b", data_dir=data)
    assert first.version == second.version
    for name in first.manifest["files"].values():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_gate_keeps_a_better_model_unless_forced(tmp_path: Path):
    data = write_tiny_corpus(tmp_path / "corpus")
    out = tmp_path / "models"
    first = trainer.train(out=out, data_dir=data)
    manifest_path = out / "manifest.json"
    current = json.loads(manifest_path.read_text(encoding="utf-8"))
    current["metrics"]["category"]["cv_macro_f1"] = 1.01  # pretend the current one is perfect
    manifest_path.write_text(json.dumps(current), encoding="utf-8")
    extra = tmp_path / "staff.jsonl"
    extra.write_text(
        json.dumps(
            {"text": "Ổ gà lớn giữa đường Trưng Nữ Vương", "category": "giao_thong"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    kept = trainer.train(extra=[extra], out=out, data_dir=data)
    assert not kept.replaced and "worse" in kept.reason
    assert json.loads(manifest_path.read_text(encoding="utf-8"))["version"] == first.version
    forced = trainer.train(extra=[extra], out=out, data_dir=data, force=True)
    assert forced.replaced and forced.version != first.version
    assert json.loads(manifest_path.read_text(encoding="utf-8"))["version"] == forced.version


def test_gate_with_eval_set(tmp_path: Path):
    data = write_tiny_corpus(tmp_path / "corpus")
    out = tmp_path / "models"
    trainer.train(out=out, data_dir=data)
    held_out = tmp_path / "held_out.jsonl"
    held_out.write_text(
        json.dumps(
            {"text": "rác bốc mùi ở chợ", "category": "moi_truong", "urgent": False, "ward": None},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    again = trainer.train(out=out, data_dir=data, eval_path=held_out)
    assert again.replaced
    assert again.manifest["gate"]["new_macro_f1"] == again.manifest["gate"]["old_macro_f1"]


def test_model_file_round_trip(tiny_models: Path):
    manifest = json.loads((tiny_models / "manifest.json").read_text(encoding="utf-8"))
    model = model_io.load(tiny_models / manifest["files"]["category"])
    again = tmp = tiny_models / "copy.bin"
    model_io.save(model, tmp)
    again = model_io.load(tmp)
    names = extract("đường nhiều ổ gà")
    assert again.proba(names) == model.proba(names)
    tmp.unlink()


def test_foreign_file_is_rejected(tmp_path: Path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a model")
    with pytest.raises(OSError):
        model_io.load(bad)


def test_fit_learns_a_separable_problem():
    docs = [["w=a", "w=x"], ["w=a", "w=y"], ["w=b", "w=x"], ["w=b", "w=y"]] * 3
    labels = [0, 0, 1, 1] * 3
    fitted = fit(docs, labels, 2, TrainConfig(min_docs=1))
    model = fitted.model(("first", "second"))
    assert model.proba(["w=a"])[0][0] == "first"
    assert model.proba(["w=b"])[0][0] == "second"


def test_features_in_fewer_than_min_docs_documents_are_dropped():
    fitted = fit([["w=a", "w=b"], ["w=a"]], [0, 1], 2, TrainConfig(min_docs=2))
    assert fitted.names == ("w=a",) and set(fitted.idf) == {"w=a"}


def test_training_weighs_each_document_as_serving_does():
    texts = ["Đường Phan Chu Trinh ngập nước, ngập nước", "rác chưa thu gom", "ổ gà", "ngập"]
    docs = [extract(t) for t in texts]
    counts = Counts.of(docs)
    fitted = fit_counts(counts, [0, 1, 0, 1], 2, TrainConfig(min_docs=1))
    model = fitted.model(("first", "second"))
    for row, doc in zip(fitted.scores(counts).tolist(), docs, strict=True):
        assert row == pytest.approx(model.logits(vectorize(doc, fitted.idf)), abs=1e-9)


def test_folds_are_balanced_and_reproducible():
    first = folds_of(10, 5, seed=1)
    assert first == folds_of(10, 5, seed=1)
    assert sorted(first.count(k) for k in range(5)) == [2] * 5


def test_temperature_softens_overconfident_scores():
    logits = [[10.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 0.0]]
    labels = [0, 0, 0, 1]  # one in four is wrong: 10-point margins are overconfident
    temperature = fit_temperature(logits, labels)
    assert temperature > 1.0
    assert softmax([10.0, 0.0], temperature)[0] < 0.9


def test_old_versions_are_pruned_keeping_the_previous(tmp_path: Path):
    data = write_tiny_corpus(tmp_path / "corpus")
    out = tmp_path / "models"
    first = trainer.train(out=out, data_dir=data)
    (out / "category-000000000000.bin").write_bytes(b"stale")
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    extra = tmp_path / "staff.jsonl"
    extra.write_text(
        json.dumps({"text": "Cống thoát nước bị tắc", "category": "moi_truong"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    second = trainer.train(extra=[extra], out=out, data_dir=data, force=True)
    names = {p.name for p in out.iterdir()}
    assert f"category-{first.version}.bin" in names  # the previous one, for rollback
    assert f"category-{second.version}.bin" in names
    assert "category-000000000000.bin" not in names and "notes.txt" in names
