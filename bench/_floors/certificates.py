"""P4's floor: honour certificates drawn with reportlab by hand, as a whole process.

    python bench/_floors/certificates.py DB BATCH BACKGROUND OUT.pdf

The standard library's sqlite3 reads the batch's recipients (name, unit, title, number, date);
reportlab draws each page with the same fonts (the bundled Noto Serif subsets): the background
image over the whole page (``drawImage`` stores a file's image once), a double border, the
title, three body lines, the issuer, the Chinese date and the number: the same text at the same
places as the app's default template, with no template, no wrapping and no glyph check.
"""

import sqlite3
import sys
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors, pagesizes
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# the app's setting (exports/pdf.py): streams compressed and binary, not ASCII85, so both
# sides write the same kind of file
rl_config.useA85 = 0
FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
DIGITS = "〇一二三四五六七八九"
QUERY = """
SELECT coalesce(p.name, h.collective_name, o.name), coalesce(po.unit, o.unit), h.title, t.name,
       h.year, h.granting_body, h.granted_on, h.certificate_number, c.title
FROM honour h JOIN honour_type t ON h.honour_type_id = t.id
LEFT JOIN person p ON h.person_id = p.id LEFT JOIN organisation po ON p.organisation_id = po.id
LEFT JOIN organisation o ON h.organisation_id = o.id
LEFT JOIN commendation c ON h.commendation_id = c.id
WHERE h.commendation_id = ? AND h.status = 'active' AND h.deleted_at IS NULL
ORDER BY h.certificate_number, h.id
"""


def chinese_date(day: date) -> str:
    year = "".join(DIGITS[int(d)] for d in str(day.year))
    small = "〇一二三四五六七八九十"

    def number(n: int) -> str:
        return (
            small[n]
            if n <= 10
            else ("十" if n < 20 else small[n // 10] + "十") + (small[n % 10] if n % 10 else "")
        )

    return f"{year}年{number(day.month)}月{number(day.day)}日"


def main(db: str, batch: int, background: str, out: str) -> None:
    pdfmetrics.registerFont(TTFont("Serif", str(FONTS / "NotoSerifSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("SerifBold", str(FONTS / "NotoSerifSC-Bold.ttf")))
    rows = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(QUERY, (batch,)).fetchall()
    width, height = pagesizes.landscape(pagesizes.A4)
    canvas = Canvas(out, pagesize=(width, height), initialFontName="Serif")
    red = colors.Color(0.70, 0.08, 0.08)
    for name, _unit, title, kind, year, issuer, granted, number, _batch in rows:
        canvas.drawImage(background, 0, 0, width, height)
        canvas.setStrokeColor(red)
        canvas.setLineWidth(3.2)
        canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
        canvas.setLineWidth(0.9)
        canvas.rect(14.5 * mm, 14.5 * mm, width - 29 * mm, height - 29 * mm)
        canvas.setFillColor(colors.Color(0.78, 0.06, 0.06))
        canvas.setFont("SerifBold", 50)
        canvas.drawCentredString(width / 2, height - 50 * mm, "荣誉证书", charSpace=18)
        canvas.setFillColor(colors.black)
        canvas.setFont("Serif", 22)
        y = height - 86 * mm
        canvas.drawString(41 * mm, y, f"{name}同志：")
        canvas.drawString(41 * mm + 44, y - 44, f"被评为{year}年度市直卫生系统{title or kind}。")
        canvas.drawString(41 * mm + 44, y - 88, "特发此证，以资鼓励。")
        canvas.setFont("Serif", 18)
        canvas.drawCentredString(202 * mm, height - 152 * mm, issuer or "")
        if granted:
            canvas.drawCentredString(
                202 * mm, height - 152 * mm - 28.8, chinese_date(date.fromisoformat(granted))
            )
        canvas.setFont("Serif", 11)
        canvas.drawString(30 * mm, height - 188 * mm, f"证书编号：{number}")
        canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
