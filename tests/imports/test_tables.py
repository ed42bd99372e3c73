"""The one table reader: .xlsx, .xls and .csv as offices send them, and files meant to hurt."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook

from desk_league.errors import ValidationError
from desk_league.imports import workbook as workbook_module
from desk_league.imports.sheet import TableLimits
from desk_league.imports.table import read_table, sheet_names
from tests.imports._rosters import HEADERS, official_register, person_row

ROOT = Path(__file__).resolve().parents[2]


def test_an_official_register_reads_with_its_title_merged_and_unit_cells_filled_down(tmp_path):
    rows = [person_row(n, unit="市人民医院" if n < 4 else "市中医院") for n in range(1, 7)]
    path = official_register(tmp_path / "登记表.xlsx", rows, merge_units=True)
    table = read_table(path)
    unit = HEADERS.index("工作单位")
    assert [table.rows[r][unit] for r in range(3, 9)] == ["市人民医院"] * 3 + ["市中医院"] * 3
    assert table.rows[0] == ("市直卫生系统青年志愿者登记表",)
    assert table.spans_columns(1, 1) == len(HEADERS)


def test_declared_dimensions_are_ignored_and_rows_end_at_their_last_value(tmp_path):
    workbook = Workbook()
    ws = workbook.active
    ws["A1"], ws["C1"] = "姓名", "单位"
    ws["A2"] = "张三"
    ws["F40"].number_format = "@"  # formatted, empty: no row 40 for the reader
    workbook.save(tmp_path / "t.xlsx")
    assert read_table(tmp_path / "t.xlsx").rows == [("姓名", None, "单位"), ("张三",)]


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_STRINGS = (  # as Excel, WPS and LibreOffice write them: runs with fonts, phonetic guides
    "<si><t>姓名</t></si>",
    '<si><r><rPr><sz val="11"/><rFont val="宋体"/></rPr><t>志愿者</t></r>'
    '<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">12 </t></r></si>',
    '<si><t>张三</t><rPh sb="0" eb="2"><t>ジャン</t></rPh><phoneticPr fontId="1"/></si>',
    "<si><t/></si>",
    "<si><t>第一行_x005F_x000D_</t></si>",
    '<si><t xml:space="preserve">  前后有空格  </t></si>',
)


def _strings_workbook(path: Path, strings: str, sheet: str) -> Path:
    """A workbook with its own shared-strings part and sheet XML."""
    Workbook().save(path.with_suffix(".base.xlsx"))
    with (
        zipfile.ZipFile(path.with_suffix(".base.xlsx")) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            out.writestr(info, data)
        out.writestr("xl/sharedStrings.xml", strings)
    return path


def test_text_reads_as_openpyxl_reads_it_from_shared_and_inline_strings(tmp_path):
    """Text is read from the XML directly (see imports/workbook.py); openpyxl is the reference."""
    from openpyxl import load_workbook

    strings = f'<sst {_MAIN} count="6" uniqueCount="6">{"".join(_STRINGS)}</sst>'
    cells = "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDEF"))
    inline = (
        '<c r="A2" t="inlineStr"><is><t>内联</t></is></c>'
        '<c r="C2" t="inlineStr"><is><r><t>甲</t></r><r><rPr><b/></rPr><t>乙</t></r></is></c>'
        '<c r="D2" t="s"><v></v></c><c r="E2"><v>12.5</v></c><c r="F2" t="b"><v>1</v></c>'
    )
    unnumbered = '<c t="s"><v>0</v></c><c t="inlineStr"><is><t>无坐标</t></is></c>'
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_MAIN}><sheetData>'
        f'<row r="1">{cells}</row><row r="2">{inline}</row><row r="3">{unnumbered}</row>'
        "</sheetData></worksheet>"
    )
    path = _strings_workbook(tmp_path / "strings.xlsx", strings, sheet)
    expected = [
        tuple(row) for row in load_workbook(path, read_only=True).active.iter_rows(values_only=True)
    ]
    assert expected == [
        ("姓名", "志愿者12 ", "张三", "", "第一行_x000D_", "  前后有空格  "),
        ("内联", None, "甲乙", None, 12.5, True),
        ("姓名", "无坐标"),
    ]
    read = read_table(path).rows
    assert read == [tuple(None if v == "" else v for v in row) for row in expected]


def test_an_entity_in_the_strings_table_is_not_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "哈">{laughs}]>'
        f"<sst {_MAIN}><si><t>姓名&l9;</t></si></sst>"
    )
    sheet = f'<worksheet {_MAIN}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    path = _strings_workbook(tmp_path / "laughs.xlsx", strings, sheet)
    try:
        rows = read_table(path).rows
    except ValidationError as exc:
        assert "laughs.xlsx" in str(exc)
    else:
        assert "哈" not in str(rows[0][0])


def _xls(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("志愿者")
    sheet.write_merge(0, 0, 0, 4, "2026年志愿者名册")
    for col, title in enumerate(["序号", "姓名", "公民身份号码", "工作单位", "注册日期"]):
        sheet.write(1, col, title)
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, (name, ident) in enumerate([("张三", "370103199501020011"), ("李四", "X")], 2):
        sheet.write(r, 0, r - 1)
        sheet.write(r, 1, name)
        sheet.write(r, 2, ident)
        sheet.write(r, 4, date(2025, 3, 5), dates)
    sheet.write_merge(2, 3, 3, 3, "市人民医院")
    book.save(str(path))
    return path


def test_a_legacy_xls_reads_like_an_xlsx_with_dates_and_merged_cells(tmp_path):
    path = _xls(tmp_path / "名册.xls")
    assert sheet_names(path) == ["志愿者"]
    table = read_table(path)
    assert table.rows[0] == ("2026年志愿者名册",)
    assert table.rows[2] == (1, "张三", "370103199501020011", "市人民医院", date(2025, 3, 5))
    assert table.rows[3][3] == "市人民医院"  # the merged unit cell, filled down


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("gbk", ","), ("gb18030", ","), ("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t")],
)
def test_csv_in_every_office_encoding_reads_the_same(tmp_path, encoding, separator):
    lines = ["2026年志愿者名册", "姓名,公民身份号码,工作单位", "张三,370103199501020011,市人民医院"]
    text = "\r\n".join(line.replace(",", separator) for line in lines)
    path = tmp_path / "名册.csv"
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.rows[2] == ("张三", "370103199501020011", "市人民医院")
    assert sheet_names(path) == ["名册"]


def test_control_characters_in_cells_are_dropped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("姓名\n张\x00三\x1b[31m\n", encoding="utf-8")
    assert read_table(path).rows[1] == ("张三[31m",)


def test_a_file_of_unknown_bytes_is_refused_by_name(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(ValidationError, match="名册.csv"):
        read_table(path)


@pytest.mark.parametrize(
    ("limits", "cell", "message"),
    [
        (TableLimits(columns=20), (1, 30), "AD 列有内容，超出 20 列"),
        (TableLimits(rows=50), (80, 1), "超过 50 行"),
        (TableLimits(cells=10), None, "有内容的单元格超过 10 个"),
    ],
)
def test_limits_refuse_with_the_row_column_and_limit(tmp_path, limits, cell, message):
    workbook = Workbook()
    ws = workbook.active
    for r in range(1, 5):
        ws.cell(r, 1, "x")
        ws.cell(r, 2, "y")
        ws.cell(r, 3, "z")
    if cell:
        ws.cell(*cell, "far")
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(ValidationError, match=message):
        read_table(tmp_path / "t.xlsx", limits=limits)


# --- hostile files: refused fast and small, measured in a child process ---------------------

_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _workbook_with_sheet(path: Path, write_sheet) -> Path:
    """A real workbook whose sheet XML is replaced by ``write_sheet(file)``."""
    Workbook().save(path.with_suffix(".base.xlsx"))
    with (
        zipfile.ZipFile(path.with_suffix(".base.xlsx")) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open(info.filename, "w", force_zip64=True) as sheet:
                    write_sheet(sheet)
            else:
                out.writestr(info, source.read(info.filename))
    return path


def _declared_everything(sheet) -> None:
    sheet.write(_NS + b'<dimension ref="A1:XFD1048576"/><sheetData>')
    for r in range(1, 2000):
        sheet.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>v</t></is></c></row>' % (r, r))
    sheet.write(b"</sheetData></worksheet>")


def _million_empty_rows(sheet) -> None:
    sheet.write(_NS + b"<sheetData>")
    for start in range(1, 1_000_001, 10_000):
        sheet.write(
            b"".join(
                b'<row r="%d" s="1" customFormat="1" ht="15"/>' % r
                for r in range(start, start + 10_000)
            )
        )
    sheet.write(b"</sheetData></worksheet>")


def _huge_sheet(sheet) -> None:
    sheet.write(_NS + b"<sheetData>")
    row = b'<row><c s="1"/><c s="1"/><c s="1"/><c s="1"/><c s="1"/></row>' * 20_000
    for _ in range(268 * 1024 * 1024 // len(row)):
        sheet.write(row)
    sheet.write(b"</sheetData></worksheet>")


_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from desk_league.errors import ValidationError
    from desk_league.imports.table import read_table
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        outcome = "read %d rows" % len(read_table(sys.argv[1]).rows)
    except ValidationError as exc:
        outcome = str(exc)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(json.dumps({"seconds": seconds, "mb": (peak - before) / 1024, "peak_mb": peak / 1024,
                      "outcome": outcome}))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory read with the resource module")
@pytest.mark.parametrize(
    ("writer", "expected"),
    [
        (_declared_everything, "read 1999 rows"),
        (_million_empty_rows, "超过 200000 行"),
        (_huge_sheet, "超过 150 MB 的上限"),
    ],
)
def test_hostile_workbooks_are_dealt_with_in_seconds_and_little_memory(tmp_path, writer, expected):
    path = _workbook_with_sheet(tmp_path / "hostile.xlsx", writer)
    assert path.stat().st_size < 8 * 1024 * 1024
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(probe.stdout)
    assert expected in found["outcome"]
    assert found["seconds"] < 5, found
    assert found["mb"] < 200, found


def test_the_head_of_a_sheet_is_read_alone_with_its_merged_title_in_every_format(tmp_path):
    """Enough rows to find a header, not 10,000 people, whatever the file is."""
    rows = [["市直卫生系统青年志愿者登记表", None], ["姓名", "单位"]]
    rows += [[f"志愿者{n}", "市人民医院"] for n in range(1, 101)]
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.active.merge_cells("A1:B1")
    workbook.save(tmp_path / "t.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("名册")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    old.save(str(tmp_path / "t.xls"))
    (tmp_path / "t.csv").write_text("\n".join(",".join(v or "" for v in row) for row in rows))
    for name in ("t.xlsx", "t.xls", "t.csv"):
        head = read_table(tmp_path / name, rows=5)
        assert head.rows[:3] == [(rows[0][0],), ("姓名", "单位"), ("志愿者1", "市人民医院")]
        assert len(head.rows) == 5, name
    assert read_table(tmp_path / "t.xlsx", rows=5).spans_columns(1, 1) == 2


def test_the_head_of_a_sheet_keeps_every_merged_range_however_the_file_is_cut(
    tmp_path, monkeypatch
):
    workbook = Workbook()
    ws = workbook.active
    for n in range(1, 201):
        ws.append([f"第{n}组", None, None])
        ws.merge_cells(f"A{n}:C{n}")
    workbook.save(tmp_path / "t.xlsx")
    whole = read_table(tmp_path / "t.xlsx").merges
    monkeypatch.setattr(workbook_module, "_CHUNK", 100)  # ranges cut at every chunk's end
    head = read_table(tmp_path / "t.xlsx", rows=3)
    assert len(head.rows) == 3 and len(whole) == 200
    assert sorted((m.first_row, m.last_column) for m in head.merges) == [(1, 3), (2, 3), (3, 3)]
