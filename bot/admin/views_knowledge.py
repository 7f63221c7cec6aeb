"""«Hỏi đáp»: the answers the bot gives to citizens' questions, per ward where they differ.

Managers edit every answer; ward staff edit their wards' own versions and read the area's.
Every change is recorded with its author, time and the text before and after.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import forms
from bot.admin.blueprint import MANAGERS, actor, bp, require_role, utcnow
from bot.admin.lookups import Lookups
from bot.database import db_session
from handlers import knowledge
from handlers.knowledge import AnswerForm, KnowledgeError
from storage.models import KnowledgeAnswer
from storage.models.enums import Role

EDITORS = (*MANAGERS, Role.STAFF)


def _may_edit(ward_id: int | None) -> bool:
    who = actor()
    if who.role in MANAGERS:
        return True
    return ward_id is not None and ward_id in who.ward_ids


def _answer(aid: int) -> KnowledgeAnswer:
    row = db_session().get(KnowledgeAnswer, aid)
    if row is None:
        abort(404)
    return row


def _form() -> AnswerForm:
    f = request.form
    ward = forms.integer(f, "ward", required=False)
    return AnswerForm(
        topic=forms.text(f, "topic", 80),
        question=forms.text(f, "question", 300),
        phrasings=forms.text(f, "phrasings", 16_000),
        answer=forms.text(f, "answer", 2_000),
        ward_id=ward,
    )


@bp.get("/knowledge")
def knowledge_list() -> ResponseReturnValue:
    """Every answer, grouped by topic, with a box to try a question against them."""
    require_role(*EDITORS)
    s = db_session()
    rows = s.scalars(
        select(KnowledgeAnswer).order_by(KnowledgeAnswer.topic, KnowledgeAnswer.ward_id)
    ).all()
    question = request.args.get("q", "")[:300]
    names = Lookups.load(s)
    ward = request.args.get("ward", "")
    ward_id = int(ward) if ward.isdigit() and int(ward) in names.wards else None
    found = knowledge.find_answer(s, question, ward_id) if question.strip() else None
    return render_template(
        "admin/knowledge.html",
        rows=rows,
        names=names,
        question=question,
        ward_id=ward_id,
        found=found,
        sure=knowledge.SURE,
        may_edit=_may_edit,
    )


@bp.get("/knowledge/new")
def knowledge_new() -> ResponseReturnValue:
    require_role(*EDITORS)
    names = Lookups.load(db_session())
    return render_template("admin/knowledge_edit.html", row=None, names=names, history=[])


@bp.post("/knowledge/new")
def knowledge_create() -> ResponseReturnValue:
    require_role(*EDITORS)
    form = _form()
    if form.ward_id is not None and form.ward_id not in Lookups.load(db_session()).wards:
        abort(400)
    if not _may_edit(form.ward_id):
        abort(403)
    s = db_session()
    try:
        row = knowledge.create(s, form, staff_id=actor().id, now=utcnow())
    except KnowledgeError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.knowledge_new"))
    s.commit()
    flash("Đã thêm câu trả lời.", "ok")
    return redirect(url_for("admin.knowledge_edit", aid=row.id))


@bp.get("/knowledge/<int:aid>")
def knowledge_edit(aid: int) -> ResponseReturnValue:
    require_role(*EDITORS)
    s = db_session()
    row = _answer(aid)
    return render_template(
        "admin/knowledge_edit.html",
        row=row,
        names=Lookups.load(s),
        history=knowledge.history(s, row),
        editable=_may_edit(row.ward_id),
    )


@bp.post("/knowledge/<int:aid>")
def knowledge_save(aid: int) -> ResponseReturnValue:
    require_role(*EDITORS)
    row = _answer(aid)
    if not _may_edit(row.ward_id):
        abort(403)
    s = db_session()
    form = _form()
    form = AnswerForm(row.topic, form.question, form.phrasings, form.answer, row.ward_id)
    try:
        knowledge.update(s, row, form, staff_id=actor().id, now=utcnow())
    except KnowledgeError as exc:
        s.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.knowledge_edit", aid=aid))
    s.commit()
    flash("Đã lưu câu trả lời.", "ok")
    return redirect(url_for("admin.knowledge_edit", aid=aid))


@bp.post("/knowledge/<int:aid>/active")
def knowledge_active(aid: int) -> ResponseReturnValue:
    """Hide an answer from citizens, or show it again."""
    require_role(*EDITORS)
    row = _answer(aid)
    if not _may_edit(row.ward_id):
        abort(403)
    s = db_session()
    knowledge.set_active(
        s, row, request.form.get("active") == "1", staff_id=actor().id, now=utcnow()
    )
    s.commit()
    flash("Đã cập nhật.", "ok")
    return redirect(url_for("admin.knowledge_edit", aid=aid))
