"""A drafted or signed .docx shown as a page: its paragraphs and header tables, in order, so
a document can be read on a phone without Word (the download stays the document of record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph

_ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
}


@dataclass(frozen=True)
class Line:
    text: str
    align: str = "left"
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph (one line) or a table row of cells, each cell a list of lines."""

    line: Line | None = None
    cells: list[list[Line]] = field(default_factory=list)


def _line(p: Paragraph) -> Line:
    runs = [r for r in p.runs if r.text.strip()]
    return Line(
        text=p.text,
        align=_ALIGN.get(p.alignment, "left") if p.alignment is not None else "left",
        bold=bool(runs) and all(r.bold for r in runs),
        italic=bool(runs) and all(r.italic for r in runs),
    )


def read_blocks(path: Path) -> list[Block]:
    """The document's body in reading order (tables as rows of cells)."""
    doc = Document(str(path))
    blocks: list[Block] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Block(line=_line(Paragraph(child, doc))))
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                blocks.append(Block(cells=[[_line(p) for p in c.paragraphs] for c in row.cells]))
    return blocks
