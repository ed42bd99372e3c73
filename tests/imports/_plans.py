"""Plans as other offices write them, for the tests: pasted, Markdown, Word with automatic lists."""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# A hospital 团委's plan pasted from a WeChat article: every line break lost.
PASTED = (
    "市第二人民医院团委2027年工作计划 为深入学习贯彻党的二十大精神，结合医院实际，制定本计划。"
    "一、加强思想政治引领 （一）开展主题团日活动。每月组织各团支部开展一次主题团日。"
    "（二）举办五四青年节表彰大会。五四前后召开表彰大会，表彰优秀共青团员。"
    "二、深化青年志愿服务 （一）学雷锋志愿服务。3月5日组织青年志愿者到社区开展义诊。"
    "（二）敬老志愿服务。重阳节前后走访慰问退休老职工。"
    "三、加强团的组织建设 1.做好基层团组织换届工作，上半年完成。2.第三季度举办团干部培训班。"
)

# A 团支部's 工作要点 kept in Markdown (a note app), bold sub-headings, bullets.
MARKDOWN = """# 2027年市疾病预防控制中心团支部工作要点

## 一、思想建设

**（一）青年大学习** 每周组织团员参加青年大学习，参学率不低于90%。

**（二）主题教育** 七一前后开展“青春心向党”主题教育活动。

## 二、业务练兵

- 第二季度举办流行病学调查技能比武
- 12月5日参加全市青年志愿服务项目大赛
"""

# A 团总支 whose duties are prose, with time words of every kind.
PROSE = """二〇二七年市中心血站团总支工作计划
一、志愿服务
上半年组织开展无偿献血宣传志愿服务；第三季度举办青年岗位技能比武；重阳节前后走访慰问退休老职工；全年开展健康教育进社区活动。
二、组织建设
加强团员教育管理，严格团员发展标准。
"""


def automatic_numbering_docx(path: Path, more: tuple[tuple[str, int], ...] = ()) -> Path:
    """A Word plan whose 一、（一）1. are automatic list numbers (not in the text): levels 0–2 of
    one list, and the 二级 headings numbered through their paragraph style; ``more`` paragraphs
    (text, list level) at the end."""
    numbering = f"""<w:numbering xmlns:w="{W_NS}">
      <w:abstractNum w:abstractNumId="7">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
    </w:numbering>"""
    styles = f"""<w:styles xmlns:w="{W_NS}">
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
        <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
    </w:styles>"""

    def paragraph(text: str, level: int | None = None, style: str | None = None) -> str:
        props = ""
        if style:
            props += f'<w:pStyle w:val="{style}"/>'
        if level is not None:
            props += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>'
        ppr = f"<w:pPr>{props}</w:pPr>" if props else ""
        runs = "".join(
            f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>' for part in text.split("|")
        )
        return f"<w:p>{ppr}{runs}</w:p>"

    body = "".join(
        [
            paragraph("市口腔医院团委2027年|工作计划"),
            paragraph("思想引领", 0),
            paragraph("主题教育", style="Heading2"),
            paragraph("五四前后举办青年演讲比赛", 2),
            paragraph("七一前后组织参观红色教育基地", 2),
            paragraph("学习型团组织", 1),
            paragraph("志愿服务", 0),
            paragraph("敬老服务", 1),
            paragraph("重阳节开展口腔健康义诊", 2),
            *(paragraph(text, level) for text, level in more),
        ]
    )
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr("word/styles.xml", styles)
    return path


def schedule_table_docx(path: Path) -> Path:
    """A Word plan with its year's activities in a table (时间｜活动内容｜责任部门), as many are."""

    def paragraph(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>" for cell in cells) + "</w:tr>"

    table = "<w:tbl>" + "".join(
        [
            row("时间", "活动内容", "责任部门"),
            row("3月5日", "学雷锋志愿服务", "团委"),
            row("5月", "五四青年节表彰大会", "团委、党办"),
            row("10月", "重阳节敬老义诊", "各团支部"),
        ]
    )
    body = (
        paragraph("市中心医院团委2028年工作计划")
        + paragraph("一、全年重点活动安排")
        + table
        + "</w:tbl>"
        + paragraph("二、自身建设")
        + paragraph("年底前完成团员教育评议。")
    )
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    return path


def table_docx(path: Path, before: list[str], rows: list[list[list[str]]]) -> Path:
    """A Word plan: paragraphs ``before``, then one table; a row is its cells, a cell its paragraphs."""

    def paragraph(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    table = "".join(
        "<w:tr>"
        + "".join("<w:tc>" + "".join(map(paragraph, cell)) + "</w:tc>" for cell in row)
        + "</w:tr>"
        for row in rows
    )
    body = "".join(map(paragraph, before)) + f"<w:tbl>{table}</w:tbl>"
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    return path
