"""The PDF base, checked by reading the written PDF back with pypdf."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import PageBreak

from desk_league.errors import Cancelled, DeskLeagueError
from desk_league.exports import pdf

from ._helpers import leftovers

LATIN_ONLY_FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


@pytest.fixture
def certificate_text() -> str:
    return "兹证明张晓燕同志参加“青春健康行”志愿服务，累计服务时长 36.5 小时。"


@pytest.fixture
def volunteer_proof(tmp_path, certificate_text) -> Path:
    flowables = [
        pdf.paragraph("志愿服务证明", pdf.title_style()),
        pdf.paragraph(certificate_text, pdf.paragraph_style(14, first_line_indent=28)),
        pdf.paragraph(pdf.chinese_date(dt.date(2026, 5, 4)), pdf.paragraph_style(align="right")),
    ]
    return pdf.build_document(
        tmp_path / "证明.pdf", flowables, title="志愿服务证明", header_text="市卫生健康委团委"
    )


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _fonts(path: Path) -> list[dict]:
    fonts = []
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.append(ref.get_object())
    return fonts


def test_chinese_text_comes_back_out_of_the_pdf(volunteer_proof, certificate_text):
    text = _text(volunteer_proof)

    assert "志愿服务证明" in text
    assert certificate_text.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    assert "二〇二六年五月四日" in text


def test_every_font_is_embedded_as_a_subset(volunteer_proof):
    fonts = _fonts(volunteer_proof)

    assert fonts
    for font in fonts:
        assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]


def test_pages_carry_the_header_and_a_page_number(tmp_path):
    flowables = [pdf.paragraph("第一页正文"), PageBreak(), pdf.paragraph("第二页正文")]
    path = pdf.build_document(tmp_path / "a.pdf", flowables, title="t", header_text="团委工作台")
    pages = [page.extract_text() for page in PdfReader(path).pages]

    assert len(pages) == 2
    assert "第 1 页" in pages[0] and "第 2 页" in pages[1]
    assert all("团委工作台" in page for page in pages)


def test_page_numbers_can_be_left_off(tmp_path):
    path = pdf.build_document(
        tmp_path / "a.pdf", [pdf.paragraph("正文")], title="t", footer_page_numbers=False
    )

    assert "第 1 页" not in _text(path)


def test_document_title_and_orientation(tmp_path):
    path = pdf.build_document(
        tmp_path / "a.pdf", [pdf.paragraph("正文")], title="荣誉证书", landscape=True
    )
    reader = PdfReader(path)
    box = reader.pages[0].mediabox

    assert reader.metadata.title == "荣誉证书"
    assert float(box.width) > float(box.height)


def test_plain_text_is_not_read_as_markup(tmp_path):
    path = pdf.build_document(tmp_path / "a.pdf", [pdf.paragraph("<第一支部> & 团委")], title="t")

    assert "<第一支部> & 团委" in _text(path)


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    rows = [["序号", "姓名", "服务时长"]] + [[i, f"团员{i}", f"{i / 2:.1f}"] for i in range(1, 120)]
    grid = pdf.table(rows, [20 * mm, 60 * mm, 30 * mm])
    path = pdf.build_document(tmp_path / "list.pdf", [grid], title="名单")
    pages = [page.extract_text() for page in PdfReader(path).pages]

    assert grid.repeatRows == 1
    assert len(pages) > 1
    assert all("服务时长" in page for page in pages)
    assert "团员119" in pages[-1]


def test_register_fonts_registers_the_bundled_font_once():
    first = pdf.register_fonts()
    font = pdfmetrics.getFont(first)

    assert first == pdf.register_fonts() == pdf.BODY_FONT
    assert pdfmetrics.getFont(pdf.register_fonts()) is font


def test_an_ordinary_name_has_every_glyph():
    assert pdf.missing_glyphs("张晓燕 欧阳娜娜\n（市第一人民医院）") == []


def test_a_font_without_chinese_falls_back_to_the_bundled_font():
    assert pdf.missing_glyphs("张 Zhang 张三", font_path=LATIN_ONLY_FONT) == []


def test_a_character_no_bundled_font_has_is_reported_once():
    rare = "\U00030000"  # CJK Extension G: neither the serif nor LXGW WenKai draws it
    missing = pdf.missing_glyphs(f"张{rare} Zhang {rare}", font_path=LATIN_ONLY_FONT)

    assert missing == [rare]  # each once; whitespace and Latin letters are fine


RARE_NAME_CHARACTERS = "堃喆昇珺玥龑䶮𠮷"


def test_rare_name_characters_print_in_the_fallback_font_and_come_back_out(tmp_path):
    name = f"张{RARE_NAME_CHARACTERS}"
    assert pdf.missing_glyphs(name) == []
    path = pdf.build_document(
        tmp_path / "名单.pdf",
        [pdf.paragraph("表彰名单", pdf.title_style()), pdf.paragraph(f"获奖者：{name}")],
        title="名单",
    )

    fonts = {font["/BaseFont"].split("+")[-1] for font in _fonts(path)}
    assert fonts == {"NotoSerifCJKsc-Regular", "NotoSerifCJKsc-Bold", "LXGWWenKai-Regular"}
    assert name in _text(path)


def test_only_the_characters_the_serif_lacks_switch_fonts():
    runs = pdf.font_runs("王龑与张𠮷", pdf.BODY_FONT)

    assert runs == [
        (pdf.BODY_FONT, "王"),
        (pdf.FALLBACK_FONT, "龑"),
        (pdf.BODY_FONT, "与张"),
        (pdf.FALLBACK_FONT, "𠮷"),
    ]


def test_canvas_document_draws_chinese_on_every_page(tmp_path):
    with pdf.canvas_document(tmp_path / "证书.pdf", title="荣誉证书") as canvas:
        canvas.drawString(100, 700, "荣誉证书")
        canvas.showPage()
        canvas.drawString(100, 700, "第二张证书")  # no setFont after showPage: still CJK
        canvas.showPage()

    path = tmp_path / "证书.pdf"
    assert "荣誉证书" in _text(path) and "第二张证书" in _text(path)
    assert all("/FontFile2" in font["/FontDescriptor"] for font in _fonts(path))
    assert PdfReader(path).metadata.title == "荣誉证书"


def test_error_while_drawing_keeps_the_old_file(tmp_path):
    target = tmp_path / "证书.pdf"
    target.write_bytes(b"yesterday's certificates")

    with pytest.raises(RuntimeError), pdf.canvas_document(target) as canvas:
        canvas.drawString(100, 700, "荣誉证书")
        raise RuntimeError("seal image unreadable")

    assert target.read_bytes() == b"yesterday's certificates"
    assert leftovers(tmp_path) == []


def test_cancel_during_layout_leaves_no_file(tmp_path):
    def cancel(done: int, total: int | None) -> None:
        if done >= 3:
            raise Cancelled("已取消")

    flowables = [pdf.paragraph(f"第{i}段") for i in range(10)]
    with pytest.raises(Cancelled):
        pdf.build_document(tmp_path / "a.pdf", flowables, title="t", progress=cancel)

    assert not (tmp_path / "a.pdf").exists()
    assert leftovers(tmp_path) == []


def test_progress_counts_flowables(tmp_path):
    reports = []
    flowables = [pdf.paragraph(f"第{i}段") for i in range(5)]

    pdf.build_document(
        tmp_path / "a.pdf", flowables, title="t", progress=lambda *a: reports.append(a)
    )

    assert reports[0] == (0, 5)
    assert reports[-1] == (5, 5)


def test_unwritable_pdf_target_is_refused_by_name(tmp_path):
    target = tmp_path / "缺少的文件夹" / "证书.pdf"

    with pytest.raises(DeskLeagueError, match="无法写入文件 .*证书.pdf"):
        pdf.build_document(target, [pdf.paragraph("正文")], title="t")
    with pytest.raises(DeskLeagueError, match="证书.pdf"), pdf.canvas_document(target):
        pass


def test_chinese_date_is_available_to_templates():
    assert pdf.chinese_date(dt.date(2026, 5, 4)) == "二〇二六年五月四日"
    assert pdf.chinese_date(dt.date(2025, 12, 31)) == "二〇二五年十二月三十一日"
    assert pdf.chinese_date(dt.date(2026, 10, 20)) == "二〇二六年十月二十日"


def test_the_fallback_font_is_read_only_when_a_name_needs_it(tmp_path):
    """A fresh process (this one has read every font already): a certificate of common
    characters leaves the 15 MB fallback font unread; a rare name character reads it once."""
    import subprocess
    import sys

    script = f"""
from pathlib import Path
from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames
from desk_league.exports.certificates import CertificateTemplateData, write_certificates
from desk_league.services.honour_certificates import SAMPLE_RECIPIENT
template = CertificateTemplateData(body="{{获奖者}}：被评为{{荣誉称号}}。")
write_certificates(Path({str(tmp_path)!r}) / "a.pdf", template, [SAMPLE_RECIPIENT])
print("LXGWWenKai" in getRegisteredFontNames())
write_certificates(Path({str(tmp_path)!r}) / "b.pdf", template, [dict(SAMPLE_RECIPIENT, 获奖者="王龑")])
print("LXGWWenKai" in getRegisteredFontNames())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]
