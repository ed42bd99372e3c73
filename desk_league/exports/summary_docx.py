"""The year-end summary as a Word document (.docx), for the secretary to finish in Word or WPS.

Laid out after the national standard for official documents (GB/T 9704): A4 with its margins,
the title in a heavy 宋体 of 二号, headings 一、 in 黑体 and （一） in 楷体 of 三号, the text in
仿宋 三号 with a two-character indent on a fixed 28-point line, the office and the date flush
right, page numbers “— 1 —” at the foot. The fonts are the ones every Chinese Windows has;
WPS maps them alike. Headings use Word's heading styles, so the navigation pane lists them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from desk_league.errors import ValidationError
from desk_league.exports.document_layout import Block, layout_blocks
from desk_league.exports.files import atomic_output

Progress = Callable[[int, int | None], None]

BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TITLE_FONT = "仿宋", "黑体", "楷体", "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)  # 22 lines on a page, as GB/T 9704 sets them
INDENT = Pt(32)  # two characters of 三号

# style name in the document → (font, size, bold, alignment, first-line indent)
STYLES = {
    "Title": (TITLE_FONT, TITLE_SIZE, True, WD_ALIGN_PARAGRAPH.CENTER, None),
    "Heading 1": (HEADING_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, INDENT),
    "Heading 2": (SUBHEADING_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, INDENT),
    "Normal": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT),
}
STYLE_OF = {"title": "Title", "heading": "Heading 1", "subheading": "Heading 2", "body": "Normal"}


def write_summary_docx(
    path: str | os.PathLike[str], text: str, *, title: str, progress: Progress | None = None
) -> Path:
    """Write ``text`` as a .docx to ``path`` (whole, or not at all)."""
    blocks = layout_blocks(text)
    if not blocks:
        raise ValidationError("总结内容为空，没有可导出的文字。")
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "团委工作台"
    _set_up_page(document)
    for name, spec in STYLES.items():
        _set_style(document.styles[name], *spec)
    for done, block in enumerate(blocks):
        _add(document, block, blocks[done - 1] if done else None)
        if progress is not None and done % 50 == 0:
            progress(done, len(blocks))
    target = Path(path)
    with atomic_output(target) as temp:
        document.save(str(temp))
    if progress is not None:
        progress(len(blocks), len(blocks))
    return target


def _set_up_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", TITLE_FONT, Pt(14))
    _page_number(footer)
    _run(footer, " —", TITLE_FONT, Pt(14))


def _set_style(style: ParagraphStyle, font: str, size, bold: bool, align, indent) -> None:
    style.font.name = LATIN_FONT
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)  # Word's headings are blue by default
    _east_asian(style.element.get_or_add_rPr(), font)
    borders = style.element.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is not None:  # Word's Title style underlines itself in blue
        borders.getparent().remove(borders)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = indent
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE if style.name != "Title" else Pt(36)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.keep_with_next = style.name.startswith("Heading") or style.name == "Title"


def _east_asian(rpr, font: str) -> None:
    """The font Word uses for Chinese characters (w:eastAsia), Latin text keeping its own."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    # “ ” … are shared by both scripts: set in the Chinese font, full width, as typed in Word
    fonts.set(qn("w:hint"), "eastAsia")
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one


def _add(document, block: Block, previous: Block | None) -> Paragraph:
    if block.kind == "signature":
        paragraph = document.add_paragraph(block.text, style="Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = None
        paragraph.paragraph_format.right_indent = INDENT  # 右空二字
        if previous is not None and previous.kind != "signature":
            paragraph.paragraph_format.space_before = LINE * 2
        return paragraph
    paragraph = document.add_paragraph(block.text, style=STYLE_OF[block.kind])
    if block.kind == "title":
        paragraph.paragraph_format.space_after = LINE
    return paragraph


def _run(paragraph: Paragraph, text: str, font: str, size) -> None:
    run = paragraph.add_run(text)
    run.font.size = size
    _east_asian(run._element.get_or_add_rPr(), font)


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field: Word and WPS fill in the number when they lay the pages out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
