"""The yearly plan printed as a document: title, 总体思路, numbered sections and tasks.

Takes plain data (``PlanHeading`` rows in reading order), never ORM objects; set in the bundled
font through the PDF base.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm

from desk_league.exports.pdf import build_document, paragraph, paragraph_style, title_style

Progress = Callable[[int, int | None], None]

_INDENT = 7 * mm  # per level below the top
_BODY_SIZE = 12


@dataclass(frozen=True)
class PlanHeading:
    level: int  # 1 = section
    number: str
    title: str
    body: str = ""


def write_plan_document(
    path: str | os.PathLike[str],
    *,
    title: str,
    approach: str,
    headings: Sequence[PlanHeading],
    footer: str = "",
    header_text: str | None = None,
    progress: Progress | None = None,
) -> Path:
    flowables = [paragraph(title, title_style())]
    if approach:
        flowables.append(paragraph(approach, _body(0)))
    for heading in headings:
        indent = _INDENT * (heading.level - 1)
        size = 14 if heading.level == 1 else _BODY_SIZE
        head = paragraph_style(
            size, space_before=8 if heading.level == 1 else 4, space_after=2, name="heading"
        )
        head.leftIndent = indent
        flowables.append(paragraph(f"{heading.number}{heading.title}", head))
        if heading.body:
            flowables.append(paragraph(heading.body, _body(indent)))
    if footer:
        flowables.append(
            paragraph(footer, paragraph_style(_BODY_SIZE, align="right", space_before=24))
        )
    return build_document(path, flowables, title=title, header_text=header_text, progress=progress)


def _body(indent: float):
    style = paragraph_style(
        _BODY_SIZE,
        first_line_indent=2 * _BODY_SIZE,
        space_after=4,
        align="justify",
        name="plan_body",
    )
    style.leftIndent = indent
    return style
