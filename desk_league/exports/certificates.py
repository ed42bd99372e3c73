"""Certificates (荣誉证书) drawn from a template onto hand-placed pages.

Plain data in, PDF out: a ``CertificateTemplateData`` (the template's fields and its layout
JSON) and recipient dicts keyed by placeholder word (姓名, 获奖者, 称号, 年度, 文号, 日期 …).
Every position is in millimetres from the top-left corner of the paper, so a clerk can measure
pre-printed certificate stock with a ruler and type the numbers in.
"""

from __future__ import annotations

import copy
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors, pagesizes
from reportlab.lib.units import mm

from desk_league.domain.dates import chinese_date
from desk_league.domain.honours import certificate_qr_payload
from desk_league.errors import ValidationError
from desk_league.resources import serif_font

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# The templates (plain data) load with this module; the PDF machinery (``pdf``: reportlab's
# canvas and layout, the fonts) only when something is drawn or checked, so opening the
# database, which seeds the built-in templates, does not wait for it.

Progress = Callable[[int, int | None], None]
Recipient = Mapping[str, Any]

PAGE_SIZES = {"A4": pagesizes.A4, "A3": pagesizes.A3}
PLACEHOLDERS = (
    "获奖者",
    "姓名",
    "单位",
    "称号",
    "荣誉称号",  # 2025年度市直卫生系统优秀共青团员: year, scope and title together
    "年度",
    "级别",
    "表彰名称",
    "文号",
    "授予单位",
    "日期",
    "证书编号",
)
_PLACEHOLDER = re.compile(r"\{([^{}\s]+)\}")
_TITLE_RED = colors.Color(0.78, 0.06, 0.06)
_BORDER_COLOURS = {"red": colors.Color(0.70, 0.08, 0.08), "gold": colors.Color(0.72, 0.53, 0.16)}
_FORBIDDEN_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

# A4 landscape; A3 scales positions up (see ``resolved_layout``). The formal default: a double
# border, the title in red heavy serif, the body in serif, the seal over the issuer and the date.
DEFAULT_LAYOUT: dict[str, Any] = {
    "font": "",  # "" = the bundled serif; otherwise the path of an installed TrueType font
    "border": True,  # a double rule: a heavy outer line and a fine inner one
    "border_colour": "red",  # or "gold"
    "background": "",  # a scan of pre-printed stock, stretched over the whole page
    "print_background": True,  # False: show it in the preview only, print text onto the stock
    "title": {"y": 50, "size": 50, "spacing": 18},
    "body": {"x": None, "y": 86, "width": 215, "size": 22, "leading": 2.0},
    # the issuer's lines and the Chinese date, centred on x (None: three quarters across the body)
    "issuer": {"x": None, "y": 152, "width": 100, "size": 18, "date": True},
    # the seal's centre (None: over the issuer and the date, 骑年盖月) and its diameter
    "seal": {"image": "", "x": None, "y": None, "size": 40},
    "number": {"x": 30, "y": 188, "size": 11},
    "qr": {"enabled": False, "x": 250, "y": 165, "size": 22},
}
PORTRAIT_LAYOUT: dict[str, Any] = {
    "title": {"y": 72, "size": 44, "spacing": 12},
    "body": {"x": None, "y": 118, "width": 150, "size": 20, "leading": 2.0},
    "issuer": {"x": None, "y": 222, "width": 90, "size": 17},
    "number": {"x": 28, "y": 272, "size": 11},
    "qr": {"x": 160, "y": 250, "size": 22},
}

PERSONAL_BODY = "{获奖者}：\n    被评为{荣誉称号}。\n    特发此证，以资鼓励。"
COLLECTIVE_BODY = "{获奖者}：\n    被授予{荣誉称号}称号。\n    特发此证，以资鼓励。"


@dataclass(frozen=True)
class CertificateTemplateData:
    """A template as plain data (the ``certificate_template`` row without the ORM)."""

    title: str = "荣誉证书"
    body: str = ""
    issuer: str = ""
    page_size: str = "A4"
    landscape: bool = True
    layout: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pagesize(self) -> tuple[float, float]:
        if self.page_size not in PAGE_SIZES:
            raise ValidationError(f"纸张应为 A4 或 A3，而不是 {self.page_size}。", field="纸张")
        size = PAGE_SIZES[self.page_size]
        return pagesizes.landscape(size) if self.landscape else pagesizes.portrait(size)

    def font_path(self) -> Path:
        chosen = str(self.layout.get("font") or "")
        return Path(chosen) if chosen else serif_font()

    @property
    def custom_font(self) -> bool:
        return bool(self.layout.get("font"))


# The templates a new one starts from (the editor's 从内置模板开始…); the first is the default.
BUILT_IN_TEMPLATES: dict[str, CertificateTemplateData] = {
    "个人·横版": CertificateTemplateData(body=PERSONAL_BODY, issuer="{授予单位}"),
    "个人·竖版": CertificateTemplateData(body=PERSONAL_BODY, issuer="{授予单位}", landscape=False),
    "集体·横版": CertificateTemplateData(body=COLLECTIVE_BODY, issuer="{授予单位}"),
    "集体·竖版": CertificateTemplateData(
        body=COLLECTIVE_BODY, issuer="{授予单位}", landscape=False
    ),
}


def resolved_layout(template: CertificateTemplateData) -> dict[str, Any]:
    """The template's layout over the defaults for its orientation, scaled for A3."""
    layout = copy.deepcopy(DEFAULT_LAYOUT)
    if not template.landscape:
        _merge(layout, PORTRAIT_LAYOUT)
    if template.page_size == "A3":
        _scale(layout, 2**0.5)
    _merge(layout, template.layout)
    return layout


def _merge(base: dict, over: Mapping[str, Any]) -> None:
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _scale(layout: dict, factor: float) -> None:
    for part in layout.values():
        if isinstance(part, dict):
            for key, value in part.items():
                if (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and key != "leading"
                ):
                    part[key] = value * factor


# --- text ---------------------------------------------------------------------------------


def fill_placeholders(text: str, recipient: Recipient) -> str:
    """Replace {姓名}-style placeholders; an unknown one is an error naming it."""

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in recipient:
            known = "、".join(f"{{{p}}}" for p in PLACEHOLDERS)
            raise ValidationError(
                f"模板中的占位符 {{{key}}} 无法识别；可用的有：{known}", field="证书模板"
            )
        item = recipient[key]
        if isinstance(item, date):
            return chinese_date(item)
        return "" if item is None else str(item)

    return _PLACEHOLDER.sub(value, text)


def certificate_texts(
    template: CertificateTemplateData,
    recipient: Recipient,
    layout: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Every piece of text printed on one recipient's certificate (``layout``: the template's
    ``resolved_layout``, when the caller has it already)."""
    layout = layout if layout is not None else resolved_layout(template)
    issued = recipient.get("日期")
    return {
        "title": fill_placeholders(template.title, recipient),
        "body": fill_placeholders(template.body, recipient),
        "issuer": fill_placeholders(template.issuer, recipient),
        "date": chinese_date(issued)
        if isinstance(issued, date) and layout["issuer"]["date"]
        else "",
        "number": f"证书编号：{recipient['证书编号']}" if recipient.get("证书编号") else "",
    }


OTHER_TEXT = "证书其他文字"


@dataclass(frozen=True)
class GlyphProblem:
    recipient: str
    character: str

    def __str__(self) -> str:
        return f"{self.recipient}：“{self.character}”（U+{ord(self.character):04X}）"


def glyph_problems(
    template: CertificateTemplateData, recipients: Iterable[Recipient]
) -> list[GlyphProblem]:
    """Characters that would print as boxes, per recipient: checked before anything prints.

    The whole chain counts: a character the chosen font lacks prints in the bundled LXGW
    WenKai; only one neither has is a problem.
    """
    from desk_league.exports import pdf

    font = template.font_path()
    if not font.is_file():
        raise ValidationError(f"找不到证书字体文件：{font}", field="字体")
    probe = None if font == serif_font() else font  # the bundled serif's map is already loaded
    layout = resolved_layout(template)
    texts = [
        (recipient, "".join(certificate_texts(template, recipient, layout).values()))
        for recipient in recipients
    ]
    every_character = "".join(set().union(*(set(text) for _r, text in texts)))
    if not pdf.missing_glyphs(every_character, probe):  # the usual case: decided once for all
        return []
    problems: list[GlyphProblem] = []
    fixed_text_missing: set[str] = set()
    for recipient, text in texts:
        who = str(recipient.get("姓名") or recipient.get("获奖者") or "")
        name_chars = who + str(recipient.get("获奖者") or "")
        for char in pdf.missing_glyphs(text, probe):
            if char in name_chars:
                problems.append(GlyphProblem(who, char))
            elif char not in fixed_text_missing:
                # the template's own words, the date, the unit: report once, not per recipient
                fixed_text_missing.add(char)
                problems.append(GlyphProblem(OTHER_TEXT, char))
    return problems


def describe_glyph_problems(problems: Sequence[GlyphProblem], limit: int = 20) -> tuple[str, str]:
    """One line per recipient (张三：“龑” “𠮷”), the first ``limit`` of them, and a count of the rest."""
    by_recipient: dict[str, list[str]] = {}
    for problem in problems:
        by_recipient.setdefault(problem.recipient, []).append(problem.character)
    lines = [
        f"{who}：" + " ".join(f"“{c}”（U+{ord(c):04X}）" for c in chars)
        for who, chars in list(by_recipient.items())[:limit]
    ]
    more = f"\n……共 {len(by_recipient)} 人" if len(by_recipient) > limit else ""
    return "\n".join(lines), more


# --- drawing ------------------------------------------------------------------------------


class CertificatePainter:
    """Draws certificates of one template on a canvas; the static parts are drawn once."""

    def __init__(self, canvas: Canvas, template: CertificateTemplateData, *, preview: bool = False):
        from desk_league.exports import pdf

        self.canvas = canvas
        self.template = template
        self.layout = resolved_layout(template)
        self.width, self.height = template.pagesize
        self.font = pdf.register_fonts(template.font_path())
        # the title in the heavy serif, unless the clerk chose a font of their own
        self.title_font = self.font if template.custom_font else pdf.TITLE_FONT
        # a title without placeholders is the same on every page: drawn once, with the border
        self._title_is_static = not _PLACEHOLDER.search(template.title)
        self._static = self._make_static_form(preview)
        self._seal = self._make_seal_form()

    def y(self, mm_from_top: float) -> float:
        return self.height - mm_from_top * mm

    def _make_static_form(self, preview: bool) -> str | None:
        # A form XObject is stored once in the file and referenced by every page.
        background = str(self.layout.get("background") or "")
        draw_background = background and (preview or self.layout.get("print_background", True))
        if not (draw_background or self.layout.get("border") or self._title_is_static):
            return None
        canvas = self.canvas
        canvas.beginForm("certificate-static")
        if draw_background:
            _require_file(background, "背景图片")
            canvas.drawImage(background, 0, 0, self.width, self.height)
        if self.layout.get("border"):
            self._draw_border()
        if self._title_is_static:
            self._draw_title(self.template.title)
        canvas.endForm()
        return "certificate-static"

    def _draw_border(self) -> None:
        """A double rule: a heavy outer line, a fine inner one, and small squares at the corners."""
        canvas, w, h = self.canvas, self.width, self.height
        colour = _BORDER_COLOURS.get(str(self.layout.get("border_colour")), _BORDER_COLOURS["red"])
        canvas.saveState()
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        for inset, line in ((11 * mm, 3.2), (14.5 * mm, 0.9)):
            canvas.setLineWidth(line)
            canvas.rect(inset, inset, w - 2 * inset, h - 2 * inset)
        corner = 2.2 * mm
        for x, y in ((14.5 * mm, 14.5 * mm), (w - 14.5 * mm, 14.5 * mm)):
            for cy in (y, h - y):
                canvas.rect(x - corner, cy - corner, 2 * corner, 2 * corner, stroke=0, fill=1)
        canvas.restoreState()

    def _make_seal_form(self) -> str | None:
        """The seal image once, at the origin; each page places it (``_seal_centre``)."""
        image = str(self.layout["seal"].get("image") or "")
        if not image:
            return None
        _require_file(image, "印章图片")
        size = self.seal_size
        self.canvas.beginForm("certificate-seal")
        # drawn at the origin: a form clips to its box, which starts there
        self.canvas.drawImage(image, 0, 0, size, size, mask="auto", preserveAspectRatio=True)
        self.canvas.endForm()
        return "certificate-seal"

    @property
    def seal_size(self) -> float:
        return self.layout["seal"]["size"] * mm

    def _issuer_centre_x(self) -> float:
        issuer = self.layout["issuer"]
        body_x, _, body_width = self._body_box()
        return issuer["x"] * mm if issuer.get("x") is not None else body_x + body_width * 0.75

    def _body_box(self) -> tuple[float, float, float]:
        body = self.layout["body"]
        width = body["width"] * mm
        x = body["x"] * mm if body.get("x") is not None else (self.width - width) / 2
        return x, self.y(body["y"]), width

    def draw(self, recipient: Recipient) -> None:
        """One certificate page (call ``canvas.showPage()`` after it)."""
        from desk_league.exports import pdf

        texts = certificate_texts(self.template, recipient, self.layout)
        canvas = self.canvas
        if self._static:
            canvas.doForm(self._static)
        if not self._title_is_static:
            self._draw_title(texts["title"])
        self._draw_body(texts["body"])
        issuer_box = self._draw_issuer(texts["issuer"], texts["date"])
        if self._seal:
            self._stamp(issuer_box)
        number = self.layout["number"]
        if texts["number"]:
            pdf.draw_text(
                canvas,
                number["x"] * mm,
                self.y(number["y"]),
                texts["number"],
                self.font,
                number["size"],
            )
        qr = self.layout["qr"]
        if qr.get("enabled") and recipient.get("证书编号"):
            self._draw_qr(certificate_qr_payload(str(recipient["证书编号"])), qr)

    def _draw_title(self, text: str) -> None:
        from desk_league.exports import pdf

        title = self.layout["title"]
        self.canvas.saveState()
        self.canvas.setFillColor(_TITLE_RED)
        pdf.draw_text(
            self.canvas,
            self.width / 2,
            self.y(title["y"]),
            text,
            self.title_font,
            title["size"],
            align="center",
            char_space=title.get("spacing", 0),
        )
        self.canvas.restoreState()

    def _draw_body(self, text: str) -> None:
        from desk_league.exports import pdf

        body = self.layout["body"]
        size, leading = body["size"], body["size"] * body["leading"]
        x, y, width = self._body_box()
        for paragraph in text.split("\n"):
            stripped = paragraph.lstrip(" \u3000")
            # Leading spaces in the template mean a first-line indent (两个字 = four spaces).
            indent_chars = sum(
                0.5 if c == " " else 1 for c in paragraph[: len(paragraph) - len(stripped)]
            )
            indent = indent_chars * size
            for i, line in enumerate(pdf.wrap_text(stripped, self.font, size, width, indent)):
                pdf.draw_text(self.canvas, x + (indent if i == 0 else 0), y, line, self.font, size)
                y -= leading

    def _draw_issuer(self, issuer: str, issued: str) -> tuple[float, float, float] | None:
        """The issuer's lines (each wrapped to the issuer width) and the date, centred; returns
        the centre x and the baselines of the first and last lines drawn."""
        from desk_league.exports import pdf

        layout = self.layout["issuer"]
        size = layout["size"]
        x, y = self._issuer_centre_x(), self.y(layout["y"])
        width = layout.get("width", 100) * mm
        lines = [
            wrapped
            for line in issuer.split("\n")
            if line.strip()
            for wrapped in pdf.wrap_text(line.strip(), self.font, size, width)
        ]
        if issued:
            lines.append(issued)
        if not lines:
            return None
        first = y
        for line in lines:
            pdf.draw_text(self.canvas, x, y, line, self.font, size, align="center")
            y -= size * 1.6
        return x, first, y + size * 1.6

    def _stamp(self, issuer_box: tuple[float, float, float] | None) -> None:
        """The seal over the issuer's name and the date (骑年盖月), or where the layout puts it."""
        seal = self.layout["seal"]
        size = self.layout["issuer"]["size"]
        if issuer_box is not None:
            x, first, last = issuer_box
            # midway between the first and last lines' middles: the stamp covers both
            cx, cy = x, (first + last) / 2 + size * 0.35
        else:
            cx, cy = self._issuer_centre_x(), self.y(self.layout["issuer"]["y"])
        if seal.get("x") is not None:
            cx = seal["x"] * mm
        if seal.get("y") is not None:
            cy = self.y(seal["y"])
        self.canvas.saveState()
        self.canvas.translate(cx - self.seal_size / 2, cy - self.seal_size / 2)
        self.canvas.doForm(self._seal)
        self.canvas.restoreState()

    def _draw_qr(self, payload: str, qr: Mapping[str, Any]) -> None:
        # reportlab's own QR encoder, drawn as one filled path (its Drawing renderer would add
        # an unembedded Helvetica to every page).
        from reportlab.graphics.barcode import qrencoder

        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(payload)
        code.make()
        count = code.getModuleCount()
        size = qr["size"] * mm
        cell = size / (count + 2)  # a quiet zone of one module
        left, top = qr["x"] * mm + cell, self.y(qr["y"]) - cell
        path = self.canvas.beginPath()
        for row, modules in enumerate(code.modules):
            for column, dark in enumerate(modules):
                if dark:
                    path.rect(left + column * cell, top - (row + 1) * cell, cell, cell)
        self.canvas.drawPath(path, stroke=0, fill=1)


def _require_file(path: str, what: str) -> None:
    if not Path(path).is_file():
        raise ValidationError(f"找不到{what}：{path}", field=what)


# --- files --------------------------------------------------------------------------------


def _ensure_printable(template: CertificateTemplateData, recipients: Sequence[Recipient]) -> None:
    problems = glyph_problems(template, recipients)
    if problems:
        listed, more = describe_glyph_problems(problems)
        raise ValidationError(
            "所选字体和内置字体都缺少以下字符，打印会成为空白方框。"
            f"请换用含这些字的字体后再生成，或改用常用字：\n{listed}{more}",
            field="字体",
        )


def write_certificates(
    path: str | os.PathLike[str],
    template: CertificateTemplateData,
    recipients: Sequence[Recipient],
    *,
    title: str = "荣誉证书",
    progress: Progress | None = None,
    preview: bool = False,
    check_glyphs: bool = True,
) -> Path:
    """One PDF with a page per recipient (written atomically; Cancel leaves no file)."""
    from desk_league.exports import pdf

    if check_glyphs:
        _ensure_printable(template, recipients)
    total = len(recipients)
    with pdf.canvas_document(path, pagesize=template.pagesize, title=title) as canvas:
        painter = CertificatePainter(canvas, template, preview=preview)
        for done, recipient in enumerate(recipients):
            if progress is not None:
                progress(done, total)
            painter.draw(recipient)
            canvas.showPage()
    if progress is not None:
        progress(total, total)
    return Path(path)


def certificate_file_name(recipient: Recipient) -> str:
    """证书编号_姓名.pdf, safe on Windows."""
    number = str(recipient.get("证书编号") or "无编号")
    name = str(recipient.get("姓名") or recipient.get("获奖者") or "")
    return _FORBIDDEN_IN_FILE_NAMES.sub("_", f"{number}_{name}").strip(" .") + ".pdf"


def write_certificate_files(
    folder: str | os.PathLike[str],
    template: CertificateTemplateData,
    recipients: Sequence[Recipient],
    *,
    progress: Progress | None = None,
    check_glyphs: bool = True,
) -> list[Path]:
    """One PDF per recipient in ``folder``, named by certificate number and name."""
    if check_glyphs:
        _ensure_printable(template, recipients)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    total = len(recipients)
    for done, recipient in enumerate(recipients):
        if progress is not None:
            progress(done, total)
        path = target / certificate_file_name(recipient)
        written.append(write_certificates(path, template, [recipient], check_glyphs=False))
    if progress is not None:
        progress(total, total)
    return written


# --- fonts a clerk may choose -------------------------------------------------------------


def font_folders() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    if sys.platform == "darwin":
        return [
            Path("/System/Library/Fonts"),
            Path("/Library/Fonts"),
            Path.home() / "Library" / "Fonts",
        ]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".fonts",
        Path.home() / ".local" / "share" / "fonts",
    ]


def installed_fonts() -> list[Path]:
    """TrueType fonts on this PC (SimSun, SimKai … on Windows), by file name."""
    found: dict[str, Path] = {}
    for folder in font_folders():
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.suffix.lower() in (".ttf", ".ttc") and path.name.lower() not in found:
                found[path.name.lower()] = path
    return sorted(found.values(), key=lambda p: p.name.lower())
