"""Imports flow one way: bot → handlers → {nlp, storage}; config only where processes wire."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: package → top-level modules it must never import
FORBIDDEN = {
    "nlp": {"flask", "werkzeug", "sqlalchemy", "requests", "bot", "handlers", "storage", "config"},
    "storage": {"flask", "werkzeug", "requests", "bot", "handlers", "config", "nlp"},
    "handlers": {"flask", "werkzeug", "requests", "bot", "config"},
    "config": {"flask", "bot", "handlers", "storage", "nlp"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_rules(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found in {package}"
    broken = {
        str(f.relative_to(ROOT)): sorted(_imports(f) & FORBIDDEN[package])
        for f in files
        if _imports(f) & FORBIDDEN[package]
    }
    assert broken == {}


def test_the_rule_checker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import flask.json\nfrom sqlalchemy.orm import Session\nfrom . import x\n")
    assert _imports(sample) == {"flask", "sqlalchemy"}


#: Reading the wall clock: handlers and nlp are given `now` instead (tests and catch-ups
#: choose the time; CI runs the suite with the clock moved ahead).
WALL_CLOCK = re.compile(r"\b(?:utcnow|datetime\.now|datetime\.utcnow|date\.today|time\.time)\(")


@pytest.mark.parametrize("package", ["handlers", "nlp"])
def test_handlers_and_nlp_never_read_the_wall_clock(package: str) -> None:
    readings = {
        f"{f.relative_to(ROOT)}:{n}": line.strip()
        for f in sorted((ROOT / package).rglob("*.py"))
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    }
    assert readings == {}


def test_the_wall_clock_pattern_sees_the_readings() -> None:
    for line in ("now = utcnow()", "datetime.now(UTC)", "date.today()", "t = time.time()"):
        assert WALL_CLOCK.search(line), line
    assert not WALL_CLOCK.search("def handle(session, now: datetime) -> None:")
