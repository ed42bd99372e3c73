"""A plain-text report (the 年度工作总结 draft) laid out as an official-looking A4 document.

The clerk edits plain text, so the layout is read from the text itself, the way Chinese
documents are written: the first line is the title; lines numbered 一、 are headings, （一）
sub-headings; other lines are paragraphs indented by two characters; a closing office name
followed by a date such as 二〇二六年十一月二十六日 is set flush right.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from desk_league.errors import ValidationError
from desk_league.exports.pdf import (
    Progress,
    build_document,
    missing_glyphs,
    paragraph,
    paragraph_style,
    title_style,
)

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
CHINESE_DATE = re.compile(r"^[〇零一二三四五六七八九○0-9]{4}年.{1,3}月.{1,3}日$")
BODY_SIZE = 12


@dataclass(frozen=True)
class Block:
    kind: str  # title / heading / subheading / body / signature
    text: str


def layout_blocks(text: str) -> list[Block]:
    """How each non-empty line of the text will be set."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return []
    blocks = [Block("title", lines[0])]
    signature_from = len(lines)
    if len(lines) >= 3 and CHINESE_DATE.match(lines[-1]) and len(lines[-2]) <= 30:
        signature_from = len(lines) - 2
    for number, line in enumerate(lines[1:], start=1):
        if number >= signature_from:
            blocks.append(Block("signature", line))
        elif HEADING.match(line):
            blocks.append(Block("heading", line))
        elif SUBHEADING.match(line):
            blocks.append(Block("subheading", line))
        else:
            blocks.append(Block("body", line))
    return blocks


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
