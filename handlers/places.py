"""Wards and the local names residents use for them, as the office manages them.

The 13 old ward and commune names ship with the product (the official mapping the NLP reads);
staff add khối phố, thôn, streets, landmarks and any old name the mapping lacks.
`extra_ward_names(session)` hands those additions to the NLP ward resolver
(`nlp.wards.resolve(text, extra_ward_names(session))`).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import audit
from nlp.normalize import fold
from storage import reference_data
from storage.models import StaffUser, Ward, WardAlias

ALIAS_KINDS: dict[str, str] = {
    "old_unit": "Tên phường, xã cũ",
    "khoi_pho": "Khối phố",
    "thon": "Thôn",
    "street": "Đường, phố",
    "landmark": "Địa danh, công trình",
    "other": "Tên gọi khác",
}

#: The old names that ship with the product: the resolver knows them without help.
BUILTIN_OLD_NAMES = frozenset(fold(n) for _code, _name, olds in reference_data.WARDS for n in olds)


class PlaceError(ValueError):
    """A name cannot be added as typed (Vietnamese message)."""


def is_builtin(alias: WardAlias) -> bool:
    """A shipped old name (shown, not removable: the NLP knows it anyway)."""
    return alias.kind == "old_unit" and alias.folded in BUILTIN_OLD_NAMES


def extra_ward_names(session: Session) -> dict[str, str]:
    """Every name staff added (and old names the product does not ship) → ward code.

    What the NLP ward resolver takes as `extra_names`; names of inactive wards are left out.
    """
    rows = session.execute(
        select(WardAlias.name, WardAlias.kind, WardAlias.folded, Ward.code)
        .join(Ward, Ward.id == WardAlias.ward_id)
        .where(Ward.active.is_(True))
        .order_by(WardAlias.id)
    ).all()
    return {
        name: code
        for name, kind, folded, code in rows
        if not (kind == "old_unit" and folded in BUILTIN_OLD_NAMES)
    }


def add_alias(
    session: Session, ward: Ward, name: str, kind: str, *, by: StaffUser, now: datetime
) -> WardAlias:
    """A new local name for a ward; a name already given to a ward is refused."""
    clean = " ".join(unicodedata.normalize("NFC", name).split())
    folded = fold(clean).strip()
    if kind not in ALIAS_KINDS:
        raise PlaceError("Loại tên không hợp lệ.")
    if len(folded.replace(" ", "")) < 3 or len(clean) > 200:
        raise PlaceError("Tên cần từ 3 đến 200 ký tự.")
    for other in session.scalars(select(Ward)):
        if folded in (fold(other.name), fold(other.full_name)):
            raise PlaceError(f"«{clean}» là tên phường {other.name}, không cần thêm.")
    taken = session.scalar(select(WardAlias).where(WardAlias.folded == folded))
    if taken is not None:
        owner = session.get(Ward, taken.ward_id)
        raise PlaceError(
            f"«{taken.name}» đã được gán cho phường {owner.name if owner else '?'}. "
            "Một tên chỉ chỉ về một phường."
        )
    alias = WardAlias(ward_id=ward.id, name=clean, folded=folded, kind=kind)
    session.add(alias)
    session.flush()
    audit.write(
        session,
        "place.add",
        now=now,
        actor=by,
        summary=f"Thêm tên «{clean}» ({ALIAS_KINDS[kind]}) → phường {ward.name}",
        target=("ward", ward.code),
        after={"name": clean, "kind": kind, "ward": ward.code},
    )
    return alias


def remove_alias(session: Session, alias: WardAlias, *, by: StaffUser, now: datetime) -> None:
    """Take a staff-added name away (shipped old names stay)."""
    if is_builtin(alias):
        raise PlaceError("Tên đơn vị cũ có sẵn trong danh mục chính thức, không xóa được.")
    ward = session.get(Ward, alias.ward_id)
    code = ward.code if ward else None
    audit.write(
        session,
        "place.remove",
        now=now,
        actor=by,
        summary=f"Xóa tên «{alias.name}» của phường {ward.name if ward else '?'}",
        target=("ward", code),
        before={"name": alias.name, "kind": alias.kind, "ward": code},
    )
    session.delete(alias)


def rename_ward(
    session: Session, ward: Ward, name: str, full_name: str, *, by: StaffUser, now: datetime
) -> Ward:
    """Change how a ward is written on screens and in messages (its code stays)."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    full_name = " ".join(unicodedata.normalize("NFC", full_name).split())
    if not name or not full_name or len(name) > 120 or len(full_name) > 200:
        raise PlaceError("Cần nhập tên ngắn (tối đa 120 ký tự) và tên đầy đủ (tối đa 200 ký tự).")
    before = {"name": ward.name, "full_name": ward.full_name}
    ward.name, ward.full_name = name, full_name
    old, new = audit.changes(before, {"name": name, "full_name": full_name})
    if new:
        audit.write(
            session,
            "ward.update",
            now=now,
            actor=by,
            summary=f"Sửa tên phường (mã {ward.code})",
            target=("ward", ward.code),
            before=old,
            after=new,
        )
    return ward
