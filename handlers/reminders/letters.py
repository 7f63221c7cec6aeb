"""Đôn đốc letters: .docx files filled from a template, for staff to number, sign and send.

Templates are ordinary Word files with {{placeholders}} (the shipped ones are built by
`templates.build_default_templates`; an administrator may replace them through
LETTER_TEMPLATE_DIR). The document number and the signer stay as visible blanks ("……"):
the number is only given when the letter is registered and signed.

Filling is done on the XML of word/document.xml, appended to a pre-built archive of the
template's other parts, so thousands of letters in one catch-up pass cost milliseconds each.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "templates"
DOCUMENT_XML = "word/document.xml"
BLANK = "……"

#: Placeholders staff fill by hand after generation; listed in the staff digest.
MANUAL_FIELDS = {"so_van_ban": BLANK, "nguoi_ky": BLANK}

#: The template file of each rung that drafts a document.
TEMPLATE_FILES = {
    "overdue": "don_doc_lan_1.docx",
    "letter2": "don_doc_lan_2.docx",
    "agenda": "de_xuat_giam_sat.docx",
}

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_0-9]+)\s*\}\}")


class LetterTemplateError(ValueError):
    """A template is missing or its placeholders cannot be filled."""


@dataclass(frozen=True)
class CompiledTemplate:
    """The template's other parts, compressed once (their zip entries and directory records),
    plus its document XML: a letter is these bytes with one new entry appended."""

    entries: bytes
    directory: bytes
    count: int
    document_xml: str
    names: frozenset[str]


def template_path(rung: str, template_dir: str = "") -> Path:
    """The administrator's replacement if present, else the shipped template."""
    name = TEMPLATE_FILES[rung]
    if template_dir:
        custom = Path(template_dir) / name
        if custom.is_file():
            return custom
    return SHIPPED_TEMPLATES / name


@lru_cache(maxsize=8)
def _compile(path: str, mtime: float) -> CompiledTemplate:
    """Split the template once: every part but the document, and the document's XML."""
    try:
        source = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise LetterTemplateError(f"cannot read letter template {Path(path).name}") from exc
    with source:
        xml = _merge_split_placeholders(source.read(DOCUMENT_XML).decode("utf-8"))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as base:
            for info in source.infolist():
                if info.filename != DOCUMENT_XML:
                    base.writestr(info, source.read(info.filename))
    archive = buffer.getvalue()
    count, size, offset = struct.unpack("<HLL", archive[-12:-2])  # end of central directory
    names = frozenset(m.group(1) for m in _PLACEHOLDER.finditer(xml))
    return CompiledTemplate(archive[:offset], archive[offset : offset + size], count, xml, names)


def compiled(rung: str, template_dir: str = "") -> CompiledTemplate:
    """The compiled template of a rung (cached until the file changes)."""
    path = template_path(rung, template_dir)
    if not path.is_file():
        raise LetterTemplateError(f"letter template missing: {path.name}")
    return _compile(str(path), path.stat().st_mtime)


def fill(template: CompiledTemplate, values: Mapping[str, str]) -> bytes:
    """The .docx bytes of one letter; unknown placeholders are an error, manual ones blank."""
    params = {**MANUAL_FIELDS, **values}
    missing = template.names - set(params)
    if missing:
        raise LetterTemplateError(f"letter needs: {', '.join(sorted(missing))}")
    xml = _PLACEHOLDER.sub(lambda m: escape(str(params[m.group(1)])), template.document_xml)
    return _append(template, DOCUMENT_XML.encode(), xml.encode("utf-8"))


def _append(template: CompiledTemplate, name: bytes, raw: bytes) -> bytes:
    """The template's entries, one more deflated entry, and the directory (APPNOTE 4.3)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = packer.compress(raw) + packer.flush()
    crc, offset, dos_date = zlib.crc32(raw), len(template.entries), 0x21  # 1980-01-01
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, dos_date, crc, len(data), len(raw), len(name), 0
    )
    record = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        dos_date,
        crc,
        len(data),
        len(raw),
        len(name),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    directory = template.directory + record + name
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        template.count + 1,
        template.count + 1,
        len(directory),
        offset + len(local) + len(name) + len(data),
        0,
    )
    return template.entries + local + name + data + directory + end


def write_letter(
    letter_dir: str, relative: str, template: CompiledTemplate, values: Mapping[str, str]
) -> str:
    """Write one letter under letter_dir; return its relative path (stored on the reminder)."""
    target = Path(letter_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # No temp-and-rename: the file counts only once its ledger row commits, which happens
    # after this write; a pass that dies half-way leaves no row, and the next one rewrites it.
    target.write_bytes(fill(template, values))
    return relative


# Word splits typed text into runs (<w:r>) at will; "{{so_van_ban}}" may arrive as "{{", "so_",
# "van_ban}}". Within a paragraph, pull a split placeholder's text into its first run.
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)(.*?)(</w:t>)", re.S)


def _merge_split_placeholders(xml: str) -> str:
    return _PARAGRAPH.sub(lambda m: _merge_paragraph(m.group(0)), xml)


def _merge_paragraph(paragraph: str) -> str:
    texts = [m.group(2) for m in _TEXT.finditer(paragraph)]
    joined = "".join(texts)
    if "{{" not in joined or all(
        t.count("{{") == t.count("}}") and "{" not in t.replace("{{", "").replace("}}", "")
        for t in texts
    ):
        return paragraph
    # Put the whole paragraph's text in its first text run and empty the others.
    first = True

    def repl(m: re.Match[str]) -> str:
        nonlocal first
        if first:
            first = False
            return f'<w:t xml:space="preserve">{joined}</w:t>'
        return f"{m.group(1)}{m.group(3)}"

    return _TEXT.sub(repl, paragraph)
