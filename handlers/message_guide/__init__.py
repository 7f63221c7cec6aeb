"""The templates page's guide to every message: when it is sent, what it is for, what its
placeholders mean, an example rendering, and the checks an edit must pass.

Citizen texts come from handlers.messages.CATALOGUE, reminder emails from
handlers.reminders.texts.TEMPLATES (subject and body). A key without a group or description
still shows (under «Khác»), so a new message is never hidden from the office.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from handlers import messages
from handlers.fill import fill
from handlers.message_guide.descriptions import DESCRIPTIONS
from handlers.message_guide.groups import GROUPS, Group
from handlers.message_guide.placeholders import (
    BUTTON_LIMIT,
    BY_KEY,
    CODE_REQUIRED_PREFIXES,
    PLACEHOLDERS,
)
from handlers.reminders.texts import TEMPLATES as EMAILS

_KNOWN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
OTHER = Group("other", "Khác", "Các mẫu chưa được mô tả.", ())


@dataclass(frozen=True)
class Entry:
    """One message as the templates page shows it."""

    key: str
    description: str
    default_body: str
    default_subject: str | None  # emails only

    @property
    def is_email(self) -> bool:
        return self.default_subject is not None

    @property
    def is_button(self) -> bool:
        return self.key.startswith("button.")

    @property
    def placeholders(self) -> list[str]:
        names = messages.placeholders(self.default_body)
        if self.default_subject:
            names |= messages.placeholders(self.default_subject)
        return sorted(names)

    def meaning(self, name: str) -> tuple[str, str]:
        """(meaning, example value) of one of its placeholders."""
        return BY_KEY.get(self.key, {}).get(name) or PLACEHOLDERS.get(name, (name, name))

    def example(self, text: str) -> str:
        """The text filled with example values; in a text that does not fill, the known
        placeholders are filled and the rest left as typed (so the preview shows the fault)."""
        values = {name: self.meaning(name)[1] for name in self.placeholders}
        try:
            return fill(text, values)
        except (KeyError, ValueError):
            return _KNOWN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def entry(key: str) -> Entry | None:
    """The entry of a key the office may edit, or None."""
    if key in messages.CATALOGUE:
        return Entry(key, DESCRIPTIONS.get(key, ""), messages.CATALOGUE[key], None)
    if key in EMAILS:
        subject, body = EMAILS[key]
        return Entry(key, DESCRIPTIONS.get(key, ""), body, subject)
    return None


def grouped() -> list[tuple[Group, list[Entry]]]:
    """Every editable message in its group, in the order of the work; undescribed ones last."""
    seen: set[str] = set()
    out: list[tuple[Group, list[Entry]]] = []
    for group in GROUPS:
        found = [e for e in (entry(k) for k in group.keys) if e is not None]
        seen.update(e.key for e in found)
        out.append((group, found))
    rest = [entry(k) for k in [*messages.CATALOGUE, *EMAILS] if k not in seen]
    if rest:
        out.append((OTHER, [e for e in rest if e is not None]))
    return out


def problems(item: Entry, body: str, subject: str | None = None) -> list[str]:
    """Why an edit cannot be saved (Vietnamese, one sentence each); [] when it can."""
    found: list[str] = []
    if not body.strip():
        found.append("Nội dung không được để trống.")
    texts = [("Nội dung", body)]
    if item.is_email:
        if not (subject or "").strip():
            found.append("Tiêu đề thư không được để trống.")
        elif len(subject or "") > 200:
            found.append("Tiêu đề thư tối đa 200 ký tự.")
        texts.append(("Tiêu đề", subject or ""))
    used: set[str] = set()
    readable = True
    for label, text in texts:
        names, issues = _fields(label, text, set(item.placeholders))
        used |= names or set()
        readable = readable and names is not None
        found += issues
    if readable and item.key.startswith(CODE_REQUIRED_PREFIXES) and "code" in item.placeholders:
        if "code" not in used:
            found.append("Cần giữ chỗ điền {code} (mã hồ sơ): người dân cần mã để tra cứu.")
    if item.is_button and not found and len(item.example(body)) > BUTTON_LIMIT:
        found.append(
            f"Nút bấm trên Zalo chỉ hiện tối đa {BUTTON_LIMIT} ký tự; "
            f"mẫu này có {len(item.example(body))} ký tự."
        )
    return found


def _fields(label: str, text: str, allowed: set[str]) -> tuple[set[str] | None, list[str]]:
    """The placeholder names a text uses (None: unreadable), and what is wrong with them."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None, [
            f"{label}: dấu ngoặc nhọn {{ }} không khớp. Chỗ điền viết dạng {{code}}; "
            "muốn in dấu ngoặc nhọn thì gõ hai lần: {{ hoặc }}."
        ]
    names: set[str] = set()
    issues: list[str] = []
    allowed_text = ", ".join("{" + n + "}" for n in sorted(allowed)) or "không có"
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if not name or name.isdigit() or not name.isidentifier():
            issues.append(
                f"{label}: {shown} không phải chỗ điền hợp lệ. Được dùng: {allowed_text}."
            )
        elif name not in allowed:
            issues.append(
                f"{label}: chỗ điền {shown} không có trong mẫu này. Được dùng: {allowed_text}."
            )
        elif spec or conversion:
            issues.append(f"{label}: {shown} — chỗ điền không được kèm định dạng; viết {{{name}}}.")
        names.add(name)
    return names, issues
