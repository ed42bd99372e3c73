"""P4: 500 honour certificates from a template with a background image, against a raw
reportlab loop drawing the same text on the same image. Target: ratio ≤ 1.5×.

Run: python bench/certificates.py [count]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from desk_league.domain.dates import chinese_date  # noqa: E402
from desk_league.exports import pdf  # noqa: E402
from desk_league.exports.certificates import (  # noqa: E402
    CertificateTemplateData,
    certificate_texts,
    write_certificates,
)
from desk_league.services.reference import DEFAULT_TEMPLATE_BODY  # noqa: E402

TARGET_RATIO = 1.5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞"


def make_background(folder: Path) -> Path:
    """A 150 dpi scan-like image of certificate stock (A4 landscape)."""
    image = Image.new("RGB", (1754, 1240), (252, 246, 232))
    draw = ImageDraw.Draw(image)
    for inset, width in ((40, 14), (70, 4)):
        draw.rectangle(
            (inset, inset, 1754 - inset, 1240 - inset), outline=(180, 130, 40), width=width
        )
    for y in range(0, 1240, 6):  # a texture, so the image does not compress to nothing
        draw.line((0, y, 1754, y + 3), fill=(248, 240, 222))
    path = folder / "stock.jpg"
    image.save(path, quality=90)
    return path


def recipients(count: int) -> list[dict]:
    people = []
    for i in range(count):
        name = SURNAMES[i % 20] + GIVEN[(i * 7) % 20] + (GIVEN[(i * 3) % 20] if i % 3 else "")
        people.append(
            {
                "姓名": name,
                "获奖者": f"{name}同志",
                "单位": "市人民医院",
                "称号": "优秀共青团员",
                "荣誉称号": "2025年度市直卫生系统优秀共青团员",
                "年度": 2025,
                "级别": "系统级",
                "表彰名称": "2025年度市直卫生系统共青团先进集体和先进个人",
                "文号": "卫团发〔2026〕3号",
                "授予单位": "市卫生健康委团委",
                "日期": date(2026, 4, 28),
                "证书编号": f"2025-{i + 1:03d}",
            }
        )
    return people


def raw_loop(
    path: Path, template: CertificateTemplateData, people: list[dict], background: Path
) -> None:
    """What a programmer would write by hand: the same strings at the same places, no template."""
    width, height = template.pagesize
    font = pdf.register_fonts()
    canvas = Canvas(str(path), pagesize=(width, height), initialFontName=font)
    for person in people:
        canvas.drawImage(str(background), 0, 0, width, height)
        canvas.setFillColorRGB(0.78, 0.06, 0.06)
        canvas.setFont(pdf.TITLE_FONT, 50)
        canvas.drawCentredString(width / 2, height - 50 * mm, "荣誉证书", charSpace=18)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(font, 22)
        y = height - 86 * mm
        canvas.drawString(41 * mm, y, f"{person['获奖者']}：")
        canvas.drawString(41 * mm + 44, y - 44, f"被评为{person['荣誉称号']}。")
        canvas.drawString(41 * mm + 44, y - 88, "特发此证，以资鼓励。")
        canvas.setFont(font, 18)
        canvas.drawCentredString(202 * mm, height - 152 * mm, person["授予单位"])
        canvas.drawCentredString(202 * mm, height - 152 * mm - 28.8, chinese_date(person["日期"]))
        canvas.setFont(font, 11)
        canvas.drawString(30 * mm, height - 188 * mm, f"证书编号：{person['证书编号']}")
        canvas.showPage()
    canvas.save()


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(count: int = 500) -> float:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        background = make_background(folder)
        template = CertificateTemplateData(
            body=DEFAULT_TEMPLATE_BODY,
            issuer="{授予单位}",
            layout={"border": False, "background": str(background)},
        )
        people = recipients(count)
        pdf.register_fonts()  # both sides start with the font parsed
        assert certificate_texts(template, people[0])["body"].startswith(people[0]["获奖者"])
        raw = best_of(3, lambda: raw_loop(folder / "raw.pdf", template, people, background))
        # the template side includes the glyph check of every name, as the app always runs it
        ours = best_of(3, lambda: write_certificates(folder / "ours.pdf", template, people))
        ratio = ours / raw
        print(
            f"P4 certificates x{count} with background image: template {ours:.2f} s, "
            f"raw reportlab loop {raw:.2f} s"
        )
        print(
            f"P4 ratio template/raw = {ratio:.2f}x (target <= {TARGET_RATIO}x) "
            f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}"
        )
        sizes = (folder / "ours.pdf").stat().st_size, (folder / "raw.pdf").stat().st_size
        print(f"P4 file size: template {sizes[0] / 1e6:.1f} MB, raw {sizes[1] / 1e6:.1f} MB")
        return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
