"""Staff corrections become training examples, personal data masked."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.demo_data import seed_demo_petitions
from storage.models import Category, Petition, Ward
from storage.models.base import utcnow


def test_export_has_the_corpus_format(
    runner: FlaskCliRunner, db_session: Session, tmp_path: Path
) -> None:
    seed_demo_petitions(db_session, now=utcnow(), code_prefix="TK")
    noisy = db_session.scalars(select(Petition).where(Petition.callback_phone.is_not(None))).first()
    assert noisy is not None
    noisy.text += " Gọi lại số 0905 123 456."
    security = db_session.scalars(select(Category).where(Category.code == "an_ninh_trat_tu")).one()
    tam_ky = db_session.scalars(select(Ward).where(Ward.code == "tam_ky")).one()
    wf.triage(
        db_session,
        noisy,
        actor=wf.SYSTEM,
        category_id=security.id,
        ward_id=tam_ky.id,
        legal_type="phan_anh",
        urgent=False,
        now=utcnow(),
    )
    db_session.commit()
    out = tmp_path / "labels.jsonl"
    result = runner.invoke(args=["nlp", "export-labels", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in rows if "Gọi lại số" in r["text"]]
    assert len(mine) == 1
    assert mine[0]["category"] == "an_ninh_trat_tu" and mine[0]["ward"] == "Tam Kỳ"
    assert mine[0]["legal_type"] == "phan_anh" and mine[0]["urgent"] is False
    assert "0905 123 456" not in mine[0]["text"]
    assert set(mine[0]) == {"text", "category", "urgent", "ward", "legal_type"}
