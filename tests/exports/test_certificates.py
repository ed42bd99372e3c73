"""Certificates read back with pypdf: the names, the fonts, one page per recipient."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader
from reportlab.lib.units import mm

from desk_league.errors import Cancelled, ValidationError
from desk_league.exports.certificates import (
    BUILT_IN_TEMPLATES,
    CertificateTemplateData,
    certificate_file_name,
    glyph_problems,
    resolved_layout,
    write_certificate_files,
    write_certificates,
)
from desk_league.exports.pdf import register_fonts, wrap_text
from desk_league.exports.seal import draw_seal

from ._helpers import leftovers

LATIN_ONLY_FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def recipient(name: str, number: str, collective: bool = False) -> dict:
    return {
        "姓名": name,
        "获奖者": name if collective else f"{name}同志",
        "单位": "市人民医院",
        "称号": "优秀共青团员",
        "荣誉称号": "2025年度市直卫生系统优秀共青团员",
        "年度": 2025,
        "级别": "系统级",
        "表彰名称": "2025年度市直卫生系统共青团先进集体和先进个人",
        "文号": "卫团发〔2026〕3号",
        "授予单位": "市卫生健康委团委",
        "日期": date(2026, 4, 28),
        "证书编号": number,
    }


NAMES = ["张晓燕", "王龑", "欧阳晓𠮷", "市人民医院急诊科"]


@pytest.fixture
def recipients() -> list[dict]:
    return [
        recipient(n, f"2025-{i:03d}", collective=len(n) > 4) for i, n in enumerate(NAMES, start=1)
    ]


@pytest.fixture
def template() -> CertificateTemplateData:
    return CertificateTemplateData(
        body=BUILT_IN_TEMPLATES["个人·横版"].body,
        issuer="{授予单位}",
        layout={"qr": {"enabled": True}},
    )


def _text(path: Path) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(path).pages]


def test_one_page_per_recipient_with_the_names_read_back(tmp_path, template, recipients):
    path = write_certificates(tmp_path / "证书.pdf", template, recipients)

    pages = _text(path)
    assert len(pages) == 4
    for page, name in zip(pages, NAMES, strict=True):
        assert name in page
        assert "荣誉证书" in page.replace("\u3000", "")
        assert "二〇二六年四月二十八日" in page
    assert "证书编号：2025-003" in pages[2]


def test_fonts_are_embedded_subsets(tmp_path, template, recipients):
    path = write_certificates(tmp_path / "证书.pdf", template, recipients)

    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"]


UNPRINTABLE = "\U00030000"  # CJK Extension G: neither the chosen font nor the bundled ones


def test_a_character_no_font_of_the_chain_has_is_reported_by_name(tmp_path, recipients):
    latin = CertificateTemplateData(
        title="Certificate", body="{姓名}", issuer="", layout={"font": str(LATIN_ONLY_FONT)}
    )
    recipients[2]["姓名"] = f"欧阳晓{UNPRINTABLE}"

    problems = glyph_problems(latin, recipients)

    # 欧阳晓 and 𠮷 are missing from the Latin font but print in the bundled fallback font
    assert [(p.recipient, p.character) for p in problems] == [(f"欧阳晓{UNPRINTABLE}", UNPRINTABLE)]
    with pytest.raises(ValidationError, match="欧阳晓.：[^\n]*（U[+]30000）") as caught:
        write_certificates(tmp_path / "x.pdf", latin, recipients)
    assert "换用含这些字的字体" in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_bundled_font_has_the_rare_name_characters(template, recipients):
    assert glyph_problems(template, recipients) == []


def test_an_unknown_placeholder_is_named(tmp_path, recipients):
    broken = CertificateTemplateData(body="{名字}同志：", issuer="")

    with pytest.raises(ValidationError, match=r"占位符 \{名字\} 无法识别"):
        write_certificates(tmp_path / "x.pdf", broken, recipients)


def test_one_file_per_recipient_named_by_number_and_name(tmp_path, template, recipients):
    files = write_certificate_files(tmp_path / "out", template, recipients)

    assert [f.name for f in files] == [
        "2025-001_张晓燕.pdf",
        "2025-002_王龑.pdf",
        "2025-003_欧阳晓𠮷.pdf",
        "2025-004_市人民医院急诊科.pdf",
    ]
    assert all(len(PdfReader(f).pages) == 1 for f in files)
    assert (
        certificate_file_name({"证书编号": "荣〔2025〕1/2号", "姓名": "张三"})
        == "荣〔2025〕1_2号_张三.pdf"
    )


def test_cancel_leaves_no_file(tmp_path, template, recipients):
    def cancel_at_third(done, total):
        if done == 2:
            raise Cancelled("已取消")

    with pytest.raises(Cancelled):
        write_certificates(tmp_path / "证书.pdf", template, recipients, progress=cancel_at_third)

    assert not (tmp_path / "证书.pdf").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("page_size", "landscape", "size_mm"),
    [
        ("A4", True, (297, 210)),
        ("A4", False, (210, 297)),
        ("A3", True, (420, 297)),
    ],
)
def test_paper_size_and_orientation(tmp_path, recipients, page_size, landscape, size_mm):
    template = CertificateTemplateData(body="{获奖者}", page_size=page_size, landscape=landscape)
    path = write_certificates(tmp_path / "c.pdf", template, recipients[:1])

    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == size_mm


def test_offsets_are_millimetres_from_the_top_left(template):
    moved = CertificateTemplateData(body="x", layout={"title": {"y": 30}, "body": {"x": 50}})
    layout = resolved_layout(moved)

    assert layout["title"]["y"] == 30 and layout["body"]["x"] == 50
    assert (
        layout["issuer"]["y"] == resolved_layout(template)["issuer"]["y"]
    )  # the rest stays default


def test_background_and_seal_images_are_stored_once(tmp_path, recipients):
    from PIL import Image

    background, seal = tmp_path / "stock.jpg", tmp_path / "seal.png"
    Image.new("RGB", (600, 420), (250, 240, 220)).save(background)
    Image.new("RGBA", (200, 200), (200, 0, 0, 128)).save(seal)
    template = CertificateTemplateData(
        body="{获奖者}", layout={"background": str(background), "seal": {"image": str(seal)}}
    )
    path = write_certificates(tmp_path / "c.pdf", template, recipients * 10)

    reader = PdfReader(path)
    images = {
        ref.idnum
        for page in reader.pages
        for form in page["/Resources"]["/XObject"].values()
        for ref in form.get_object()["/Resources"].get("/XObject", {}).values()
    }
    assert len(reader.pages) == 40
    assert len(images) == 2  # one background and one seal, referenced by every page


def test_a_missing_seal_image_says_which_file(tmp_path, recipients):
    template = CertificateTemplateData(
        body="{获奖者}", layout={"seal": {"image": str(tmp_path / "无.png")}}
    )

    with pytest.raises(ValidationError, match="找不到印章图片"):
        write_certificates(tmp_path / "c.pdf", template, recipients)


def test_chinese_lines_never_start_with_punctuation():
    font = register_fonts()
    lines = wrap_text("在2025年度工作中表现突出，被评为优秀共青团员，特发此证", font, 20, 20 * 14)

    assert all(line[0] not in "，。" for line in lines)
    assert "".join(lines) == "在2025年度工作中表现突出，被评为优秀共青团员，特发此证"


@pytest.mark.parametrize("name", list(BUILT_IN_TEMPLATES))
def test_the_seal_sits_over_the_issuer_and_the_date_on_every_built_in_template(
    tmp_path, recipients, name
):
    pdfplumber = pytest.importorskip("pdfplumber")
    seal = draw_seal(tmp_path / "seal.png", "市卫生健康委团委")
    built_in = BUILT_IN_TEMPLATES[name]
    template = CertificateTemplateData(
        title=built_in.title,
        body=built_in.body,
        issuer="中共青团市卫生健康委员会委员会",  # long enough to wrap on the portrait ones
        landscape=built_in.landscape,
        layout={"seal": {"image": str(seal)}},
    )
    path = write_certificates(tmp_path / "c.pdf", template, recipients[1:2])  # 王龑

    with pdfplumber.open(path) as document:
        page = document.pages[0]
        (image,) = page.images
        seal_box = (image["x0"], image["top"], image["x1"], image["bottom"])
        words = page.extract_words(keep_blank_chars=True, x_tolerance=3)

    def box(word):
        return (word["x0"], word["top"], word["x1"], word["bottom"])

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    issuer = [box(w) for w in words if "青团" in w["text"] or "委员会" in w["text"]]
    dated = [box(w) for w in words if "二〇二六年" in w["text"]]
    body = [box(w) for w in words if "被评为" in w["text"] or "被授予" in w["text"]]
    assert issuer and dated and body
    assert any(overlap(seal_box, b) for b in issuer)
    assert overlap(seal_box, dated[0])
    assert not any(overlap(seal_box, b) for b in body)
    assert "王龑" in page_text(path)


def page_text(path: Path) -> str:
    return _text(path)[0]


def test_the_default_wording_carries_the_year_scope_and_title(tmp_path, recipients):
    template = CertificateTemplateData(
        body=BUILT_IN_TEMPLATES["个人·横版"].body, issuer="{授予单位}"
    )

    text = page_text(write_certificates(tmp_path / "c.pdf", template, recipients[:1]))

    assert "张晓燕同志：被评为2025年度市直卫生系统优秀共青团员。特发此证，以资鼓励。" in text
