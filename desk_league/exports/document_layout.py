"""How a plain-text report (the 年度工作总结 draft) is laid out, read from the text itself.

The clerk edits plain text, so the layout follows the way Chinese documents are written: the
first line is the title; lines numbered 一、 are headings, （一） sub-headings; other lines are
paragraphs indented by two characters; a closing office name followed by a date such as
二〇二六年十一月二十六日 is set flush right. The PDF and the Word document read it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
CHINESE_DATE = re.compile(r"^[〇零一二三四五六七八九○0-9]{4}年.{1,3}月.{1,3}日$")


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
