"""The model page: admins act, supervisors read, others do not see it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.runtime import runtime_of
from handlers import workflow as wf
from handlers.nlp_models import versions
from nlp import registry
from storage.models import LabelReview, ModelVersion, TrainingRun
from tests.admin.conftest import post
from tests.nlp.conftest import tiny_models  # noqa: F401 - the session-wide fixture
from tests.nlp.loop_support import labelled, now, store_over_tiny
from tests.workflow import helpers as h


@pytest.fixture
def tiny_store(app: Flask, tiny_models: Path, tmp_path: Path):  # noqa: F811
    store = store_over_tiny(tiny_models, tmp_path)
    runtime = runtime_of(app)
    runtime.services = replace(runtime.services, nlp_models=store)
    yield store
    registry.BUNDLE.reset()


def test_admin_sees_the_installed_version_its_figures_and_the_matrix(client, signed_in):
    signed_in("admin")
    page = client.get("/admin/model")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shipped = registry.read_manifest(registry.PACKAGE_MODELS)["version"]
    assert f"<code>{shipped}</code>" in html and "đi kèm phần mềm" in html
    assert 'class="chart confusion"' in html and "Ma trận nhầm lẫn" in html
    assert "Xây dựng, trật tự đô thị" in html  # per-category table with the categories' names
    assert "Huấn luyện ngay" in html


def test_supervisor_reads_only(client: FlaskClient, signed_in, db_session: Session):
    signed_in("supervisor")
    html = client.get("/admin/model").get_data(as_text=True)
    assert "Phiên bản đang dùng" in html and "Huấn luyện ngay" not in html
    # the walk: a review list without buttons and no word why — say who acts
    assert 'id="read-only"' in html and "do quản trị viên thực hiện" in html
    assert post(client, "/admin/model/train").status_code == 403
    assert db_session.scalar(select(TrainingRun)) is None


@pytest.mark.parametrize("role", ["staff", "agency"])
def test_other_roles_do_not_see_it(client: FlaskClient, signed_in, role: str):
    signed_in(role)
    page = client.get("/admin/model")
    assert page.status_code == 403


def test_training_button_records_a_run(client, signed_in, tiny_store, db_session: Session):
    user = signed_in("admin")
    response = post(client, "/admin/model/train")
    assert response.status_code == 302
    run = db_session.scalar(select(TrainingRun))
    assert run is not None and (run.trigger, run.staff_id) == ("admin", user.id)
    assert run.status == "queued"  # the web process never trains; the scheduler does
    runtime = runtime_of(client.application)
    assert runtime.jobs["model-train-queued"](runtime.job_context()) == {"kept": 1}
    db_session.refresh(run)
    assert run.status == "kept" and run.finished_at is not None
    html = client.get("/admin/model").get_data(as_text=True)
    assert "Giữ phiên bản cũ" in html and "Không có dữ liệu mới." in html


def test_rollback_and_its_refusals(client, signed_in, tiny_store, db_session: Session):
    signed_in("admin")
    shipped = versions.ensure_shipped(db_session, tiny_store, now())
    assert shipped is not None
    never = ModelVersion(version="0" * 12, origin="trained", status="rejected", created_at=now())
    db_session.add(never)
    db_session.commit()
    assert post(client, "/admin/model/versions/999999/install").status_code == 404
    post(client, f"/admin/model/versions/{never.id}/install")
    assert "chưa từng" in client.get("/admin/model").get_data(as_text=True)
    assert post(client, f"/admin/model/versions/{shipped.id}/install").status_code == 302
    assert "Quay lại phiên bản" in client.get("/admin/model").get_data(as_text=True)
    no_token = client.post(f"/admin/model/versions/{shipped.id}/install")
    assert no_token.status_code == 400


def test_review_queue_accepts_and_excludes(client, signed_in, db_session: Session):
    signed_in("admin")
    first = labelled(db_session, "Chờ cấp sổ đỏ đã hai năm", "hanh_chinh_can_bo", None, now())
    second = labelled(db_session, "Bệnh viện thu thêm tiền", "an_sinh_xa_hoi", None, now())
    db_session.commit()
    html = client.get("/admin/model").get_data(as_text=True)
    assert "Nhãn cần xem lại" in html and "sổ đỏ" in html and "bệnh viện" in html
    reviews = {r.label_id: r for r in db_session.scalars(select(LabelReview))}
    assert (
        post(client, f"/admin/model/reviews/{reviews[first.id].id}", {"decision": "x"}).status_code
        == 400
    )
    assert post(client, "/admin/model/reviews/999999", {"decision": "accept"}).status_code == 404
    post(client, f"/admin/model/reviews/{reviews[first.id].id}", {"decision": "accept"})
    post(client, f"/admin/model/reviews/{reviews[second.id].id}", {"decision": "exclude"})
    db_session.expire_all()
    assert {r.label_id: r.status for r in db_session.scalars(select(LabelReview))} == {
        first.id: "accepted",
        second.id: "excluded",
    }
    assert "Không có nhãn nào cần xem lại" in client.get("/admin/model").get_data(as_text=True)


def test_citizen_text_is_escaped_in_the_queue(client, signed_in, db_session: Session):
    signed_in("admin")
    labelled(db_session, "<script>x()</script> sổ đỏ chưa cấp", "khac", None, now())
    db_session.commit()
    html = client.get("/admin/model").get_data(as_text=True)
    assert "<script>x()" not in html and "&lt;script&gt;" in html


def test_petition_page_offers_a_second_field(client, signed_in, db_session: Session):
    signed_in("admin")
    petition = h.draft(db_session, text="Đèn đường hỏng. Ngoài ra rác không ai thu gom.")
    petition.suggestions = {**petition.suggestions, "second": ["ha_tang_dien_nuoc", 0.81]}
    wf.submit(db_session, petition, now=now())
    db_session.commit()
    html = client.get(f"/admin/petitions/{petition.id}").get_data(as_text=True)
    assert "cân nhắc tách đơn" in html and "81%" in html
