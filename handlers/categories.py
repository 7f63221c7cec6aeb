"""Categories (lĩnh vực) as the office manages them: names, descriptions, default legal
type and handler clock, active or not. A category's code is the classifier's label and never
changes; renaming keeps the code, so petitions and the model keep their category.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import audit
from storage.models import Category, StaffUser
from storage.models.enums import LegalType

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class CategoryError(ValueError):
    """The category cannot be saved as typed (Vietnamese message)."""


@dataclass(frozen=True)
class CategoryForm:
    """What the category form sets (never the code of an existing category)."""

    name: str
    description: str = ""
    default_legal_type: str | None = None
    handler_wd: int | None = None
    active: bool = True
    confidential: bool = False


def describe(category: Category) -> dict[str, Any]:
    """The audited values of a category."""
    return {
        "name": category.name,
        "description": category.description,
        "default_legal_type": category.default_legal_type,
        "handler_wd": category.handler_wd,
        "active": category.active,
        "confidential": category.confidential,
    }


def create(
    session: Session, code: str, form: CategoryForm, *, by: StaffUser, now: datetime
) -> Category:
    """A new category; its code becomes a label the classifier can learn from staff labels."""
    code = code.strip().lower()
    if not _CODE.match(code):
        raise CategoryError(
            "Mã lĩnh vực cần 2–40 ký tự: chữ thường không dấu, số, dấu gạch dưới, bắt đầu "
            "bằng chữ (ví dụ: van_hoa_the_thao)."
        )
    if session.scalar(select(Category.id).where(Category.code == code)):
        raise CategoryError(f"Mã «{code}» đã được dùng.")
    last = session.scalar(select(func.max(Category.sort_order))) or 0
    category = Category(code=code, sort_order=last + 1)
    _apply(session, category, form)
    session.add(category)
    session.flush()
    audit.write(
        session,
        "category.create",
        now=now,
        actor=by,
        summary=f"Thêm lĩnh vực «{category.name}» (mã {code})",
        target=("category", code),
        after=describe(category),
    )
    return category


def update(
    session: Session, category: Category, form: CategoryForm, *, by: StaffUser, now: datetime
) -> Category:
    """Change what the office may change; the code stays."""
    before = describe(category)
    _apply(session, category, form)
    old, new = audit.changes(before, describe(category))
    if new:
        audit.write(
            session,
            "category.update",
            now=now,
            actor=by,
            summary=f"Sửa lĩnh vực «{category.name}» (mã {category.code})",
            target=("category", category.code),
            before=old,
            after=new,
        )
    return category


def _apply(session: Session, category: Category, form: CategoryForm) -> None:
    name = unicodedata.normalize("NFC", form.name.strip())
    if not name:
        raise CategoryError("Cần nhập tên lĩnh vực.")
    if len(name) > 200 or len(form.description) > 2000:
        raise CategoryError("Tên (tối đa 200 ký tự) hoặc mô tả (tối đa 2000 ký tự) quá dài.")
    clash = session.scalar(
        select(Category.code).where(
            func.lower(Category.name) == name.lower(), Category.id != category.id
        )
    )
    if clash:
        raise CategoryError(f"Tên «{name}» trùng với lĩnh vực mã {clash}.")
    if form.default_legal_type is not None and form.default_legal_type not in set(LegalType):
        raise CategoryError("Loại đơn mặc định không hợp lệ.")
    if form.handler_wd is not None and not 1 <= form.handler_wd <= 60:
        raise CategoryError("Thời hạn giải quyết phải từ 1 đến 60 ngày làm việc.")
    category.name = name
    category.description = unicodedata.normalize("NFC", form.description.strip())
    category.default_legal_type = form.default_legal_type
    category.handler_wd = form.handler_wd
    category.active = form.active
    category.confidential = form.confidential
