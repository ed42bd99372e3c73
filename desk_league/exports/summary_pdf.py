"""A plain-text report (the 年度工作总结 draft) laid out as an official-looking A4 PDF.

The layout is read from the text itself (``document_layout``): the title, 一、 headings,
（一） sub-headings, paragraphs indented by two characters, the signature flush right.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from desk_league.errors import ValidationError
from desk_league.exports.document_layout import Block, layout_blocks
from desk_league.exports.pdf import (
    Progress,
    build_document,
    missing_glyphs,
    paragraph,
    paragraph_style,
    title_style,
)

BODY_SIZE = 12


def _flowables(blocks: list[Block]) -> list[Flowable]:
    indent = BODY_SIZE * 2  # two characters, as Chinese paragraphs begin
    styles = {
        "title": title_style(20, space_after=14),
        "heading": paragraph_style(14, space_before=10, space_after=4, name="heading"),
        "subheading": paragraph_style(
            BODY_SIZE + 1, first_line_indent=indent, space_before=4, name="subheading"
        ),
        "body": paragraph_style(
            BODY_SIZE,
            leading=BODY_SIZE * 1.8,
            align="justify",
            first_line_indent=indent,
            space_after=2,
        ),
        "signature": paragraph_style(
            BODY_SIZE, leading=BODY_SIZE * 1.8, align="right", name="signature"
        ),
    }
    flowables: list[Flowable] = []
    for i, block in enumerate(blocks):
        if block.kind == "signature" and blocks[i - 1].kind != "signature":
            flowables.append(Spacer(1, BODY_SIZE * 2))
        flowables.append(paragraph(block.text, styles[block.kind]))
    return flowables


def write_summary_pdf(
    path: str | os.PathLike[str], text: str, *, title: str, progress: Progress | None = None
) -> Path:
    """Write ``text`` as a PDF; refuse, naming the characters, if the font cannot draw some."""
    blocks = layout_blocks(text)
    if not blocks:
        raise ValidationError("总结内容为空，没有可导出的文字。")
    missing = missing_glyphs(text)
    if missing:
        raise ValidationError(
            f"内置字体中没有这些字：{'、'.join(missing)}，打印会显示为方框。请改用常用字后再导出。"
        )
    return build_document(path, _flowables(blocks), title=title, progress=progress)
