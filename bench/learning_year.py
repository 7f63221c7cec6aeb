"""A simulated year of staff corrections fed month by month through the real learning loop.

    python bench/learning_year.py [--stream long|uniform] [--months 12] [--noise 0.05] [--json]

The team corpus is split three ways: the team's evaluation set
(nlp/figures.py), a "citizen stream", and the remaining "initial corpus".  The
stream is either every training petition of 40 words or more (``long``: the
register of real petitions, which staff labels bring and the initial corpus
lacks) or one petition in four chosen by a hash of its text (``uniform``: more
of what the model already knows).  The shipped
model is trained on the initial corpus.  Each month, a twelfth of the stream
arrives as petitions in a fresh SQLite database; the installed model (followed
through the database, as every process does) suggests a field; staff confirm
or correct it, wrong in ``--noise`` of the cases; an admin reviews the labels
the rules hold (excluding the wrong ones, accepting the right ones); then the
monthly run trains, measures and installs or keeps.  The table shows the
installed model's macro-F1 on the team evaluation set after each month, the
held-out staff-label accuracy, the share of suggestions staff corrected, and
whether any install made a figure worse.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from handlers.nlp_models import ModelStore, labels, loop, versions  # noqa: E402
from handlers.seed import seed_reference  # noqa: E402
from nlp import classifier, corpus, figures, registry, trainer  # noqa: E402
from nlp.keywords import CATEGORIES  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import make_engine, make_sessionmaker, transaction  # noqa: E402
from storage.models import ClassificationLabel, LabelReview, Petition, TrainingRun  # noqa: E402

START = datetime(2027, 1, 1, 3, tzinfo=UTC)  # the simulated year; its dates are the point


LONG_WORDS = 40


def in_stream(text: str, kind: str) -> bool:
    """Whether a training petition arrives during the year instead of being known at the start."""
    if kind == "long":
        return len(text.split()) >= LONG_WORDS
    return hashlib.sha256(text.encode("utf-8")).digest()[1] % 4 == 0  # a second hash byte


def write_corpus(directory: Path, petitions: list[corpus.Petition]) -> Path:
    """A corpus directory (petitions + the real dialogue file)."""
    (directory / "petitions").mkdir(parents=True)
    with (directory / "petitions" / "all.jsonl").open("w", encoding="utf-8") as out:
        for p in petitions:
            record = {"text": p.text, "category": p.category, "urgent": p.urgent,
                      "ward": p.ward, "legal_type": p.legal_type}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.copy(corpus.DIALOGUE_FILE, directory / "dialogue.jsonl")
    return directory


def staff_label(truth: str, rng: random.Random, noise: float) -> str:
    """What a busy officer records: right, except ``noise`` of the time."""
    if rng.random() >= noise:
        return truth
    return rng.choice([c for c in CATEGORIES if c != truth])


def month_of(sessions: Any, store: ModelStore, batch: list[corpus.Petition], at: datetime,
             rng: random.Random, noise: float) -> dict[str, int]:  # fmt: skip
    """One month's petitions: suggestion by the installed model, then the staff label."""
    judged = corrected = wrong = 0
    with transaction(sessions) as session:
        for p in batch:
            suggestion = classifier.predict(p.text)  # the installed version, via the database
            row = Petition(text=p.text, summary=p.text[:80], state="received", received_at=at)
            session.add(row)
            session.flush()
            value = staff_label(p.category, rng, noise)
            session.add(
                ClassificationLabel(petition_id=row.id, field="category", value=value,
                                    predicted=suggestion.category, created_at=at)
            )  # fmt: skip
            judged += 1
            corrected += value != suggestion.category
            wrong += value != p.category
    return {"judged": judged, "corrected": corrected, "wrong_labels": wrong}


def review(sessions: Any, truth: dict[str, str], at: datetime) -> dict[str, int]:
    """The admin decides every held label: keep it when it is right, exclude it otherwise."""
    kept = excluded = 0
    with transaction(sessions) as session:
        labels.sync_reviews(session, at)
        for item, label, petition in labels.queue(session):
            right = truth.get(petition.text) == label.value
            labels.decide(session, item.id, right, None, at)
            kept += right
            excluded += not right
    return {"review_kept": kept, "review_excluded": excluded}


def installed_model(store: ModelStore, sessions: Any) -> Any:
    with sessions() as session:
        chosen = versions.selection(session, store)
    assert chosen is not None  # noqa: S101 - the shipped version is installed first
    return registry.load_bundle(chosen[1], chosen[0]).category


def team_f1(store: ModelStore, evaluation: list[corpus.Petition], sessions: Any) -> float:
    model = installed_model(store, sessions)
    return float(figures.figures(model, evaluation)["category_macro_f1"])


def accuracy(model: Any, records: list[corpus.Petition]) -> float | None:
    """Share of ``records`` the model gets right (None for none)."""
    if not records:
        return None
    return sum(classifier.predict(r.text, model).category == r.category for r in records) / len(
        records
    )


def simulate(kind: str, months: int, noise: float, seed: int) -> dict[str, Any]:
    team, _messages = trainer.read_team()
    train_part, evaluation = figures.split(team)
    stream = sorted((p for p in train_part if in_stream(p.text, kind)), key=lambda p: p.text)
    random.Random(seed).shuffle(stream)
    initial = [p for p in train_part if not in_stream(p.text, kind)]
    work = Path(tempfile.mkdtemp(prefix="learning-year-"))
    data = write_corpus(work / "corpus", [*initial, *evaluation])
    t0 = time.process_time()
    trainer.train(out=work / "package", data_dir=data)
    ship_s = round(time.process_time() - t0, 1)
    store = ModelStore(trained_dir=work / "trained", package_dir=work / "package", data_dir=data)
    engine = make_engine(f"sqlite:///{work / 'year.sqlite3'}")
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        seed_reference(session)
        versions.ensure_shipped(session, store, START)
    registry.follow(versions.database_source(sessions, store), every=0)
    truth = {p.text: p.category for p in stream}
    rng = random.Random(seed)
    per_month = -(-len(stream) // months)
    first = team_f1(store, evaluation, sessions)
    rows = [{"month": 0, "outcome": "shipped", "team_macro_f1": first, "train_s": ship_s}]
    for m in range(1, months + 1):
        at = START + timedelta(days=30 * m - 2)
        batch = stream[(m - 1) * per_month : m * per_month]
        row: dict[str, Any] = {"month": m, **month_of(sessions, store, batch, at, rng, noise)}
        row.update(review(sessions, truth, at))
        before = installed_model(store, sessions)
        future = stream[m * per_month :]  # petitions that arrive later: neither model saw them
        with transaction(sessions) as session:
            run = loop.queue_run(session, at, "job")
            assert run is not None  # noqa: S101 - one run a month
            run_id = run.id
        t0 = time.process_time()
        row["outcome"] = loop.execute(sessions, store, run_id, lambda at=at: at)
        row["train_s"] = round(time.process_time() - t0, 1)
        with sessions() as session:
            done = session.get(TrainingRun, run_id)
            assert done is not None  # noqa: S101
            row["figures"] = done.figures
            row["reason"] = done.reason
        row["team_macro_f1"] = team_f1(store, evaluation, sessions)
        if row["outcome"] == "installed":
            row["future_before"] = accuracy(before, future)
            row["future_after"] = accuracy(installed_model(store, sessions), future)
        rows.append(row)
        print(line(row), file=sys.stderr, flush=True)
    with sessions() as session:
        held = session.scalar(select(LabelReview.id).limit(1)) is not None
    registry.follow(None)
    shutil.rmtree(work, ignore_errors=True)
    return {"kind": kind, "stream": len(stream), "initial": len(initial),
            "evaluation": len(evaluation),
            "noise": noise, "any_label_held": held, "months": rows,
            "worse_installed": worse_installs(rows)}  # fmt: skip


def worse_installs(rows: list[dict[str, Any]]) -> list[int]:
    """Months whose install lowered a figure beyond the gate's tolerance (should be none),
    or did worse on the petitions still to come (an independent judge)."""
    bad = []
    for row in rows:
        if row.get("future_before") is not None and row["future_after"] < row["future_before"]:
            bad.append(row["month"])
            continue
        f = row.get("figures") or {}
        if row.get("outcome") != "installed" or "new" not in f:
            continue
        team_drop = f["old"]["team"]["macro_f1"] - f["new"]["team"]["macro_f1"]
        staff = f["new"]["staff"], f["old"]["staff"]
        staff_drop = (
            staff[1].get("accuracy", 0) - staff[0].get("accuracy", 0) if staff[0]["n"] else 0
        )
        if team_drop > loop.TEAM_TOLERANCE or staff_drop > 0:
            bad.append(row["month"])
    return bad


def flips(f: dict[str, Any]) -> str:
    c = f.get("comparison") or {}
    return f"+{c['gained']}/-{c['lost']}" if c else ""


def line(row: dict[str, Any]) -> str:
    """month, labels, corrected, excluded, outcome, candidate vs installed, installed after."""
    f = row.get("figures") or {}
    new, old = f.get("new") or {}, f.get("old") or {}
    nan = float("nan")

    def pair(key: str, measure: str) -> str:
        a, b = old.get(key, {}).get(measure, nan), new.get(key, {}).get(measure, nan)
        return f"{a:.3f}→{b:.3f}"

    share = row["corrected"] / row["judged"] if row.get("judged") else 0
    later = ""
    if row.get("future_before") is not None:
        later = f" later petitions {row['future_before']:.3f}→{row['future_after']:.3f}"
    return (f"{row['month']:>5} {row.get('judged', 0):>6} {share:>9.1%} "
            f"{row.get('review_excluded', 0):>8} {row['outcome']:>9} "
            f"{pair('team', 'macro_f1'):>13} {pair('staff', 'accuracy'):>13} "
            f"{flips(f):>7} "
            f"{row['team_macro_f1']:>9.4f} {row['train_s']:>7}{later}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stream", choices=("long", "uniform"), default="long")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--noise", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print("month labels corrected excluded   outcome   team-F1 o→n  staff-acc o→n"
          "   flips installed train-s", file=sys.stderr)  # fmt: skip
    report = simulate(args.stream, args.months, args.noise, args.seed)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, default=str))
    else:
        print(line(report["months"][0]))
        sizes = f"stream {report['stream']}, initial {report['initial']}"
        print(f"{sizes}, evaluation {report['evaluation']}; worse: {report['worse_installed']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
