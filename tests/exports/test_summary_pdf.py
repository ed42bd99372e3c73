"""Chinese punctuation in printed paragraphs: a full-width comma or colon never begins a line."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desk_league.exports import pdf

TEXT = "2. 持续深入开展创建学习型团组织活动（未开始，完成时限2026年12月31日，责任人：团委办公室）"


@pytest.mark.parametrize("narrower_by", range(0, 30, 2))
def test_no_printed_line_begins_with_a_chinese_comma_or_colon(narrower_by):
    style = pdf.paragraph_style(12, leading=21.6, align="justify", first_line_indent=24)
    para = pdf.paragraph(TEXT, style)
    para.wrap(A4[0] - 36 * mm - narrower_by, 1000)
    lines = ["".join(map(str, words)) for _, words in para.blPara.lines]
    assert "".join(lines) == TEXT
    assert not any(line[:1] in "，；：？！》”’。、）" for line in lines[1:]), lines
