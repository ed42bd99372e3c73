"""The PDF base every PDF of the app is built on (certificates, 志愿服务证明, printed lists).

Everything is set in the bundled CJK TrueType font, embedded as a subset, so a file prints the
same on a PC that has no Chinese fonts at all. Files are written atomically like the registers.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab import rl_config
from reportlab.lib import colors, pagesizes
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from desk_league.domain.dates import chinese_date
from desk_league.exports.files import atomic_output
from desk_league.resources import bundled_font, serif_font

if TYPE_CHECKING:
    from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Table

__all__ = [
    "BODY_FONT",
    "CREATOR",
    "FALLBACK_FONT",
    "TITLE_FONT",
    "build_document",
    "canvas_document",
    "chinese_date",
    "draw_text",
    "font_runs",
    "missing_glyphs",
    "paragraph",
    "paragraph_style",
    "register_fonts",
    "table",
    "text_width",
    "title_style",
    "wrap_text",
]

Progress = Callable[[int, int | None], None]

# The names the bundled fonts are registered under. Official documents set their body in a
# 宋体-like serif and their titles in a heavy one (小标宋); a character the serif subset lacks
# (a rare name character such as 䶮 or 𠮷) is drawn in LXGW WenKai, which has them.
BODY_FONT = "NotoSerifSC"
TITLE_FONT = "NotoSerifSC-Bold"
FALLBACK_FONT = "LXGWWenKai"
CREATOR = "团委工作台"
DEFAULT_MARGIN = 18 * mm

# Streams are stored compressed and binary, as every PDF reader takes them: ASCII85 (reportlab's
# default, for files sent through 7-bit mail) makes them a quarter larger and, in pure Python,
# costs about as much time as compressing them.
rl_config.useA85 = 0

# reportlab's CJK wrappers keep a Japanese list of marks that may not begin a line; it lacks the
# Chinese full-width ，；：？！》”’, so a comma could start a printed line.
_CHINESE_CANNOT_START = "，；：？！》”’"


@functools.cache
def _platypus() -> Any:
    """reportlab's layout engine (paragraphs, tables, page templates), loaded by the first
    document that flows text: hand-placed pages (certificates) never wait for it. Extends both
    CJK wrappers' lists once (each reads its own module's copy)."""
    from reportlab import platypus
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph as paragraph_module

    for module in (textsplit, paragraph_module):
        module.ALL_CANNOT_START += "".join(
            c for c in _CHINESE_CANNOT_START if c not in module.ALL_CANNOT_START
        )
    return platypus


_ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Fonts are registered once per process and shared by every PDF, whichever thread writes it
# (exports run on worker threads; the window starts no PDF work on its own thread). The 15 MB
# fallback font is parsed only when a text needs a character the serif lacks: most documents
# never do, and it costs 30 MB of memory and a third of a second.
_register_lock = threading.RLock()
_bundled_registered = False
_fallback_registered = False


def register_fonts(path: str | os.PathLike[str] | None = None) -> str:
    """Register the bundled serif fonts with reportlab (and the TrueType font at ``path``, a
    clerk's choice for certificates); return the name of the body font (or of the chosen one).

    Safe to call before every line: each font file is parsed only the first time.
    """
    global _bundled_registered
    if path is None and _bundled_registered:
        return BODY_FONT
    with _register_lock:
        _register(BODY_FONT, serif_font())
        _register(TITLE_FONT, serif_font(bold=True))
        # <b> in markup sets the heavy serif; the other fonts map their styles to themselves.
        pdfmetrics.registerFontFamily(
            BODY_FONT, normal=BODY_FONT, bold=TITLE_FONT, italic=BODY_FONT, boldItalic=TITLE_FONT
        )
        _bundled_registered = True
        if path is None:
            return BODY_FONT
        font_path = Path(path)
        if font_path == bundled_font():
            return register_fallback_font()
        known = {serif_font(): BODY_FONT, serif_font(True): TITLE_FONT}
        if font_path in known:
            return known[font_path]
        name = _font_name_for(font_path)
        _register(name, font_path)
        return name


def register_fallback_font() -> str:
    """Register LXGW WenKai, the font of the characters the others lack (rare name characters
    such as 䶮 or 𠮷); return its name. Parsed once, the first time a text needs it."""
    global _fallback_registered
    if not _fallback_registered:
        with _register_lock:
            _register(FALLBACK_FONT, bundled_font())
            _fallback_registered = True
    return FALLBACK_FONT


def _register(name: str, font_path: Path) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        # TTFont embeds only the glyphs a document uses (subsetting is reportlab's default).
        pdfmetrics.registerFont(TTFont(name, str(font_path)))
        if name != BODY_FONT:
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )


def _font_name_for(font_path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", font_path.stem) or "CustomFont"


def _glyphs(font: str) -> dict[int, int]:
    return pdfmetrics.getFont(font).face.charToGlyph


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into runs of (font, characters): ``font`` where it has the glyph, the
    fallback font where only that one has it (spaces stay with the run they are in)."""
    register_fonts()
    primary = _glyphs(font)
    if not _lacking(text, primary):  # the usual case
        return [(font, text)] if text else []
    return _mixed_runs(text, font, primary)


def _lacking(text: str, glyphs: dict[int, int]) -> set[str]:
    """The visible characters of ``text`` that ``glyphs`` has no glyph for."""
    codes = set(map(ord, text)).difference(glyphs)  # decided at C speed when there are none
    return {c for c in map(chr, codes) if not _is_invisible(c)} if codes else set()


def _mixed_runs(text: str, font: str, primary: dict[int, int]) -> list[tuple[str, str]]:
    register_fallback_font()  # some character needs it
    runs: list[tuple[str, str]] = []
    current_font, start = font, 0
    for index, char in enumerate(text):
        if _is_invisible(char):
            wanted = current_font
        else:
            wanted = font if primary.get(ord(char)) else FALLBACK_FONT
        if wanted != current_font and index > start:
            runs.append((current_font, text[start:index]))
            start = index
        current_font = wanted
    if start < len(text):
        runs.append((current_font, text[start:]))
    return runs


def text_width(text: str, font: str, size: float, char_space: float = 0) -> float:
    """The width of ``text`` as ``draw_text`` sets it (fallback characters included)."""
    width = sum(stringWidth(run, run_font, size) for run_font, run in font_runs(text, font))
    return width + char_space * len(text)


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    align: str = "left",
    char_space: float = 0,
) -> None:
    """Draw one line in ``font``, switching to the fallback font for each character it lacks;
    ``align`` says whether ``x`` is the line's left end, centre or right end."""
    runs = font_runs(text, font)
    left = x
    if align != "left":  # measured only when the width moves the line
        width = sum(stringWidth(run, run_font, size) for run_font, run in runs)
        width += char_space * len(text)
        left -= {"center": width / 2, "right": width}[align]
    line = canvas.beginText(left, y)
    if char_space:
        line.setCharSpace(char_space)
    for run_font, run in runs:
        line.setFont(run_font, size)
        line.textOut(run)
    if char_space:  # spacing is state of the page: it must not spread to the next line
        line.setCharSpace(0)
    canvas.drawText(line)


# Chinese typesetting: these never begin a line (they hang on the line before).
_NO_LINE_START = frozenset("，。、；：！？）》」』”’…—,.;:!?)")


def wrap_text(
    text: str, font: str, size: float, width: float, first_indent: float = 0
) -> list[str]:
    """Break one line of Chinese text to ``width`` points, between any two characters except
    before 、。 and their kind; measured as ``draw_text`` draws it (fallback glyphs included)."""
    runs = font_runs(text, font)
    if sum(stringWidth(run, run_font, size) for run_font, run in runs) <= width - first_indent:
        return [text]  # the usual case: one line, measured at once
    lines: list[str] = []
    current, used, limit = "", 0.0, width - first_indent
    for run_font, run in runs:
        for char in run:
            advance = stringWidth(char, run_font, size)
            if current and used + advance > limit and char not in _NO_LINE_START:
                lines.append(current)
                current, used, limit = "", 0.0, width
            current += char
            used += advance
    lines.append(current)
    return lines


def missing_glyphs(text: str, font_path: str | os.PathLike[str] | None = None) -> list[str]:
    """Characters of ``text`` that print as empty boxes (each once, in order of appearance):
    those neither the font (the bundled serif by default) nor the fallback font can draw.

    A rare name character (e.g. 䶮) the serif lacks prints in the fallback font; callers warn
    before printing about the rest.
    """
    primary = _char_to_glyph(str(font_path) if font_path is not None else None)
    if not _lacking(text, primary):  # the usual case
        return []
    fallback = _char_to_glyph(str(bundled_font()))
    missing: list[str] = []
    for char in text:
        if _is_invisible(char) or char in missing:
            continue
        code = ord(char)
        if not primary.get(code) and not fallback.get(code):
            missing.append(char)
    return missing


def _is_invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


@functools.lru_cache(maxsize=4)
def _char_to_glyph(font_path: str | None) -> dict[int, int]:
    if font_path is None:
        return _glyphs(register_fonts())
    if Path(font_path) == bundled_font():
        return _glyphs(register_fallback_font())
    return TTFont("GlyphProbe", font_path).face.charToGlyph


def paragraph_style(
    size: float = 12,
    *,
    leading: float | None = None,
    align: str = "left",
    first_line_indent: float = 0,
    space_before: float = 0,
    space_after: float = 0,
    text_color: Any = colors.black,
    name: str = "body",
    font: str | None = None,
) -> ParagraphStyle:
    """A paragraph style in the body serif (or ``font``) that wraps between any two Chinese
    characters."""
    register_fonts()
    return ParagraphStyle(
        name,
        fontName=font or BODY_FONT,
        fontSize=size,
        leading=leading if leading is not None else size * 1.5,
        alignment=_ALIGNMENTS[align],
        firstLineIndent=first_line_indent,
        spaceBefore=space_before,
        spaceAfter=space_after,
        textColor=text_color,
        wordWrap="CJK",  # Chinese has no spaces; the default wrapper would never break a line
    )


def title_style(size: float = 22, *, space_after: float = 12) -> ParagraphStyle:
    """A centred title in the heavy serif (the 小标宋 of official documents)."""
    return paragraph_style(
        size,
        leading=size * 1.4,
        align="center",
        space_after=space_after,
        name="title",
        font=TITLE_FONT,
    )


def paragraph(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text: clerk data such as "<第一支部>" must not be read as markup.

    Characters the style's font lacks are set in the fallback font, run by run.
    """
    from xml.sax.saxutils import escape

    style = style if style is not None else paragraph_style()
    markup = "".join(
        escape(run) if font == style.fontName else f'<font face="{font}">{escape(run)}</font>'
        for font, run in font_runs(text, style.fontName)
    )
    return _platypus().Paragraph(markup.replace("\n", "<br/>"), style)


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None,
    header: bool = True,
    *,
    font_size: float = 10,
) -> Table:
    """A gridded table in the CJK font; the header row repeats on every page."""
    body = paragraph_style(font_size, leading=font_size * 1.3, name="cell")
    head = paragraph_style(font_size, leading=font_size * 1.3, align="center", name="head")
    data = [
        [_cell(value, head if header and i == 0 else body) for value in row]
        for i, row in enumerate(rows)
    ]
    platypus = _platypus()
    result = platypus.Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)))
    result.setStyle(platypus.TableStyle(commands))
    return result


def _cell(value: Any, style: ParagraphStyle) -> Flowable:
    # Paragraphs, not strings, so long text wraps inside its column instead of overflowing.
    if isinstance(value, _platypus().Flowable):
        return value
    return paragraph("" if value is None else str(value), style)


def build_document(
    path: str | os.PathLike[str],
    flowables: Iterable[Flowable],
    *,
    title: str,
    pagesize: tuple[float, float] = pagesizes.A4,
    landscape: bool = False,
    header_text: str | None = None,
    footer_page_numbers: bool = True,
    progress: Progress | None = None,
    margin: float = DEFAULT_MARGIN,
) -> Path:
    """Lay ``flowables`` out on pages and write the PDF to ``path`` atomically.

    ``progress(done, total)`` counts flowables; an exception it raises (Cancel) propagates and
    leaves no file behind.
    """
    platypus = _platypus()
    font = register_fonts()
    size = pagesizes.landscape(pagesize) if landscape else pagesizes.portrait(pagesize)
    target = Path(path)
    with atomic_output(target) as temp:
        document = platypus.BaseDocTemplate(
            str(temp),
            pagesize=size,
            title=title,
            creator=CREATOR,
            author=CREATOR,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            # Otherwise every page references Helvetica, the one font the file would not embed.
            initialFontName=font,
        )
        frame = platypus.Frame(
            document.leftMargin, document.bottomMargin, document.width, document.height, id="body"
        )
        decorate = functools.partial(
            _decorate_page, font=font, header_text=header_text, page_numbers=footer_page_numbers
        )
        document.addPageTemplates([platypus.PageTemplate("page", frames=[frame], onPage=decorate)])
        if progress is not None:
            document.setProgressCallBack(_ProgressAdapter(progress))
        document.build(list(flowables))
    return target


def _decorate_page(
    canvas: Canvas,
    document: BaseDocTemplate,
    *,
    font: str,
    header_text: str | None,
    page_numbers: bool,
) -> None:
    width, height = document.pagesize
    canvas.saveState()
    canvas.setFont(font, 9)
    if header_text:
        y = height - document.topMargin / 2
        canvas.drawCentredString(width / 2, y, header_text)
        canvas.setLineWidth(0.5)
        canvas.line(document.leftMargin, y - 4, width - document.rightMargin, y - 4)
    if page_numbers:
        canvas.drawCentredString(
            width / 2, document.bottomMargin / 2, f"第 {canvas.getPageNumber()} 页"
        )
    canvas.restoreState()


class _ProgressAdapter:
    """Turns reportlab's ``(kind, value)`` progress events into ``progress(done, total)``."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.total: int | None = None

    def __call__(self, kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            self.total = value
            self.progress(0, value)
        elif kind == "PROGRESS":
            self.progress(value, self.total)


@contextlib.contextmanager
def canvas_document(
    path: str | os.PathLike[str],
    pagesize: tuple[float, float] = pagesizes.A4,
    title: str = "",
) -> Iterator[Canvas]:
    """A canvas for hand-placed pages (certificates); saved atomically when the block ends.

    Call ``canvas.showPage()`` after each page. An exception inside the block leaves no file.
    """
    font = register_fonts()
    with atomic_output(path) as temp:
        # The initial font applies to every page, so showPage() never falls back to Helvetica
        # (which has no Chinese and would print boxes).
        canvas = Canvas(str(temp), pagesize=pagesize, initialFontName=font, initialFontSize=12)
        canvas.setTitle(title)
        canvas.setAuthor(CREATOR)
        canvas.setCreator(CREATOR)
        yield canvas
        canvas.save()


# reportlab writes characters beyond U+FFFF (𠮷 U+20BB7, rare name characters of CJK Extension B)
# into the ToUnicode map as <20BB7>, which is not valid PDF: the glyph prints, but copying or
# searching the text (and pypdf) loses the character. PDF wants UTF-16 there: <D842DFB7>.
_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
_WIDE_TARGET = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.MULTILINE)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    return _WIDE_TARGET.sub(
        lambda m: f"{m.group(1)}<{chr(int(m.group(2), 16)).encode('utf-16-be').hex().upper()}>",
        cmap,
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
