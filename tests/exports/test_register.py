"""The register writer, checked by opening the written workbook again."""

from __future__ import annotations

import datetime as dt
import errno
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer

from desk_league.errors import Cancelled, DeskLeagueError
from desk_league.exports import files
from desk_league.exports import xlsx as xlsx_module
from desk_league.exports.register import (
    PRINT_SCALE_ALLOWANCE,
    Column,
    Register,
    Section,
    line_count,
    page_width_units,
    row_height,
    text_units,
    write_register,
    write_workbook,
)

from ._helpers import ID_NUMBER, leftovers, read_back

FIRST_DATA_ROW = 4


def test_register_opens_with_merged_title_office_line_and_header(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "志愿服务.xlsx", register, rows))

    assert sheet["A1"].value == "市直卫生系统团员志愿服务情况表"
    assert sheet["A1"].font.b
    assert sheet["A1"].alignment.horizontal == "center"
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "填报单位：市卫生健康委团委"
    assert sheet["E2"].value == "填报日期：2026年11月26日"
    assert sheet["E2"].alignment.horizontal == "right"
    headers = [cell.value for cell in sheet[3]]
    assert headers == [c.title for c in register.columns]
    assert sheet["A3"].font.b and sheet["A3"].border.left.style == "thin"


def test_header_stays_on_screen_and_on_every_printed_page(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"


def test_columns_are_as_wide_as_their_content_within_their_limits(tmp_path, register, rows):
    rows[1]["name"] = "阿卜杜热西提·买买提明江"  # longer than the 10 units 姓名 may take
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    branch = sheet.column_dimensions["C"].width
    assert branch == pytest.approx(text_units("市第一人民医院团委") + 1.5, abs=0.1)
    assert branch < 24
    assert sheet.column_dimensions["B"].width == 10  # the most it may have: the name wraps
    assert text_units(ID_NUMBER) < sheet.column_dimensions["D"].width <= 22  # never cut
    assert sheet.row_dimensions[5].height > (sheet.row_dimensions[4].height or 18)


def test_long_text_gets_a_row_tall_enough_for_its_lines(tmp_path):
    columns = [Column("no", "序号", 6, "int"), Column("summary", "活动概况", 40)]
    summaries = ["短", "组织青年志愿者开展健康宣教。" * 5, "组织青年志愿者开展健康宣教。" * 15]
    rows = [{"no": i, "summary": text} for i, text in enumerate(summaries, 1)]
    sheet = read_back(write_register(tmp_path / "r.xlsx", Register("活动台账", columns), rows))

    heights = [sheet.row_dimensions[r].height for r in (4, 5, 6)]
    assert heights[0] is None or heights[0] <= 18  # one line: the sheet's default height
    assert heights[1] >= 3 * 16 and heights[2] > 2 * heights[1]
    assert heights[2] == row_height(line_count(summaries[2], 40))
    assert sheet["B6"].alignment.wrap_text


def test_a_narrow_register_prints_portrait_and_a_wide_one_landscape(tmp_path):
    narrow = Register("按单位", [Column("unit", "单位", 28), Column("n", "人数", 10, "int")])
    wide = Register("台账", [Column(f"c{i}", f"第{i}列", 20) for i in range(8)])
    rows = [{f"c{i}": "市人民医院急诊科青年文明号" for i in range(8)} | {"unit": "市人民医院"}]

    portrait = read_back(write_register(tmp_path / "a.xlsx", narrow, rows))
    landscape = read_back(write_register(tmp_path / "b.xlsx", wide, rows))

    assert portrait.page_setup.orientation == "portrait"
    assert portrait.page_margins.left > portrait.page_margins.right  # the binding edge
    assert landscape.page_setup.orientation == "landscape"
    assert landscape.page_margins.top > landscape.page_margins.bottom
    widths = [landscape.column_dimensions[chr(65 + i)].width for i in range(8)]
    assert sum(widths) <= page_width_units(8, landscape=True) * PRINT_SCALE_ALLOWANCE + 0.5


def test_sections_and_shared_lines_sit_between_the_title_and_the_rows(tmp_path):
    register = Register(
        "表彰名单",
        [Column("no", "序号", 6, "int"), Column("name", "姓名", 10)],
        notes=["文号：卫团发〔2026〕3号"],
    )
    rows = [
        Section("一、优秀共青团员（2名）"),
        {"no": 1, "name": "王五"},
        {"no": 2, "name": "刘六"},
    ]
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet["A3"].value == "文号：卫团发〔2026〕3号"
    assert [c.value for c in sheet[4]] == ["序号", "姓名"]
    assert sheet.print_title_rows == "$4:$4" and sheet.freeze_panes == "A5"
    assert sheet["A5"].value == "一、优秀共青团员（2名）" and sheet["A5"].font.b
    assert "A5:B5" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["B7"].value == "刘六"


def test_id_numbers_and_phones_keep_every_digit_as_text(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    id_cell, phone_cell = sheet["D4"], sheet["E5"]
    assert id_cell.value == ID_NUMBER and isinstance(id_cell.value, str)
    assert id_cell.data_type == "s" and id_cell.number_format == "@"
    assert sheet["D5"].value == "11010519950101002X"
    assert phone_cell.value == "0571-87654321" and phone_cell.number_format == "@"


def test_numeric_id_numbers_from_careless_callers_still_become_text(tmp_path, register):
    row = {"id_number": 110105199003071234, "phone": 13800138000.0}
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, [row]))

    assert sheet["D4"].value == "110105199003071234"
    assert sheet["E4"].value == "13800138000"


def test_dates_are_real_dates_shown_year_month_day(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    cell = sheet["F4"]
    assert isinstance(cell.value, dt.datetime)
    assert cell.value.date() == dt.date(2010, 5, 4)
    assert cell.number_format == "yyyy-mm-dd"


def test_iso_date_strings_become_dates(tmp_path, register):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, [{"joined": "2026-05-04"}]))

    assert sheet["F4"].value == dt.datetime(2026, 5, 4)


@pytest.mark.parametrize("text", ["=1+1", "+8613800138000", "-5", "@x", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_stays_text(tmp_path, register, text):
    path = write_register(tmp_path / "r.xlsx", register, [{"name": text, "phone": text}])
    sheet = read_back(path)

    for cell in (sheet["B4"], sheet["E4"]):
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even after the clerk edits the cell
    assert "<f>" not in _sheet_xml(path)


def test_numeric_columns_take_decimals_and_numeric_text(tmp_path, register):
    rows = [{"hours": Decimal("2.5"), "events": "3"}, {"hours": 1.5, "events": "两次"}]
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet["G4"].value == 2.5 and sheet["H4"].value == 3
    assert sheet["H5"].value == "两次"  # kept as typed, not dropped
    assert sheet["G6"].value == 4.0 and sheet["H6"].value == 3


def test_percent_column_shows_fractions_as_percent(tmp_path):
    rates = Register(
        "换届完成率", [Column("unit", "单位"), Column("rate", "完成率", kind="percent")]
    )
    sheet = read_back(write_register(tmp_path / "r.xlsx", rates, [("一院", 0.875)]))

    assert sheet["B4"].value == 0.875 and sheet["B4"].number_format == "0.0%"


def test_ids_can_be_masked(tmp_path, register, rows):
    register.mask_ids = True
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet["D4"].value == "110105********1234"
    assert sheet["D5"].value == "110105********002X"


def test_totals_row_sums_the_totalled_columns(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    totals = sheet[FIRST_DATA_ROW + len(rows)]
    assert totals[0].value == "合计"
    assert totals[6].value == pytest.approx(12.8)
    assert totals[6].number_format == "0.0"
    assert totals[7].value == 4
    assert totals[7].data_type == "n"  # a value, so previews show it without recalculating
    assert totals[2].value is None


def test_no_totals_row_when_nothing_is_totalled(tmp_path, rows):
    plain = Register("团员名册", [Column("name", "姓名"), Column("no", "序号", kind="int")])
    sheet = read_back(write_register(tmp_path / "r.xlsx", plain, rows))

    assert [c.value for c in sheet[5]] == ["李明", 2]
    assert all(cell.value is None for cell in sheet[6])
    assert sheet["A7"].value.startswith("填表人：")


def test_signature_line_follows_the_data(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    signature_row = FIRST_DATA_ROW + len(rows) + 2  # after the totals and one blank line
    assert sheet.cell(signature_row, 1).value.startswith("填表人：")
    assert sheet.cell(signature_row, 5).value.startswith("审核人：")


def test_signature_line_can_be_left_out(tmp_path, register, rows):
    register.signature = False
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet.max_row == FIRST_DATA_ROW + len(rows)


def test_data_cells_have_thin_borders(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    empty_cell = sheet.cell(FIRST_DATA_ROW, 3)
    assert empty_cell.border.bottom.style == "thin"
    assert sheet["G4"].number_format == "0.0"


def test_prints_on_a4_fitted_to_the_page_width(tmp_path, register, rows):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, rows))

    assert sheet.page_setup.paperSize == 9  # A4 in the OOXML paper-size table
    assert sheet.page_setup.orientation == "landscape"  # eight columns, 119 characters wide
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_options.horizontalCentered


def test_narrow_registers_print_portrait_unless_told_otherwise(tmp_path, rows):
    narrow = [Column("no", "序号", 6, "int"), Column("name", "姓名", 10)]
    portrait = read_back(write_register(tmp_path / "a.xlsx", Register("名册", narrow), rows))
    forced = Register("名册", narrow, landscape=True)
    landscape = read_back(write_register(tmp_path / "b.xlsx", forced, rows))

    assert portrait.page_setup.orientation == "portrait"
    assert landscape.page_setup.orientation == "landscape"


def test_rows_may_be_tuples_in_column_order(tmp_path):
    roster = Register("名册", [Column("name", "姓名"), Column("no", "序号", kind="int")])
    sheet = read_back(write_register(tmp_path / "r.xlsx", roster, [("王芳", 7), ("赵磊",)]))

    assert [c.value for c in sheet[4]] == ["王芳", 7]
    assert [c.value for c in sheet[5]] == ["赵磊", None]


def test_control_characters_pasted_from_word_are_dropped(tmp_path, register):
    sheet = read_back(write_register(tmp_path / "r.xlsx", register, [{"name": "张\x0b三"}]))

    assert sheet["B4"].value == "张三"


def test_twenty_thousand_rows_stream_through_a_write_only_workbook(tmp_path, register, monkeypatch):
    modes = []
    real_workbook = openpyxl.Workbook

    def spying_workbook(*args, **kwargs):
        modes.append(kwargs.get("write_only"))
        return real_workbook(*args, **kwargs)

    monkeypatch.setattr(xlsx_module, "Workbook", spying_workbook)
    reports = []
    rows = (
        {"no": i, "name": f"团员{i}", "id_number": ID_NUMBER, "hours": 1} for i in range(20_000)
    )

    path = write_register(
        tmp_path / "big.xlsx", register, rows, progress=lambda *a: reports.append(a)
    )

    assert modes == [True]
    sheet = load_workbook(path, read_only=True).worksheets[0]
    last_data_row = FIRST_DATA_ROW + 20_000 - 1
    last, totals = sheet.iter_rows(last_data_row, last_data_row + 1, values_only=True)
    assert last[:2] == (19_999, "团员19999")
    assert totals[0] == "合计" and totals[6] == 20_000
    assert reports[-1] == (20_000, None)  # a generator has no length to report


def test_progress_is_reported_every_500_rows_with_the_total(tmp_path, register):
    reports = []
    rows = [{"no": i} for i in range(1_200)]

    write_register(tmp_path / "r.xlsx", register, rows, progress=lambda *a: reports.append(a))

    assert reports == [(0, 1_200), (500, 1_200), (1_000, 1_200), (1_200, 1_200)]


def test_cancel_leaves_the_old_file_and_no_temporary_files(tmp_path, register):
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"last week's register")
    openpyxl_temp_files = list(openpyxl_writer.ALL_TEMP_FILES)

    def cancel_at_1000(done: int, total: int | None) -> None:
        if done >= 1_000:
            raise Cancelled("已取消")

    with pytest.raises(Cancelled):
        write_register(target, register, ({"no": i} for i in range(5_000)), progress=cancel_at_1000)

    assert target.read_bytes() == b"last week's register"
    assert leftovers(tmp_path) == []
    assert openpyxl_temp_files == openpyxl_writer.ALL_TEMP_FILES


def test_target_in_a_missing_folder_is_refused_by_name(tmp_path, register, rows):
    target = tmp_path / "不存在的文件夹" / "名册.xlsx"

    with pytest.raises(DeskLeagueError, match="名册.xlsx") as caught:
        write_register(target, register, rows)

    assert "无法写入文件" in str(caught.value)
    assert leftovers(tmp_path) == []


def test_target_that_is_a_folder_is_refused_and_cleaned_up(tmp_path, register, rows):
    target = tmp_path / "名册.xlsx"
    target.mkdir()

    with pytest.raises(DeskLeagueError, match="名册.xlsx"):
        write_register(target, register, rows)

    assert leftovers(tmp_path) == []


def test_file_held_open_in_excel_says_so(tmp_path, register, rows, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(files.os, "replace", locked)

    with pytest.raises(DeskLeagueError, match="文件可能正在 Excel 中打开"):
        write_register(tmp_path / "名册.xlsx", register, rows)
    assert leftovers(tmp_path) == []


def test_full_disk_keeps_the_old_file_and_says_why(tmp_path, register, rows, monkeypatch):
    target = tmp_path / "名册.xlsx"
    target.write_bytes(b"last week's register")
    openpyxl_temp_files = list(openpyxl_writer.ALL_TEMP_FILES)

    def save_until_disk_full(self, filename):
        Path(filename).write_bytes(b"PK half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", save_until_disk_full)

    with pytest.raises(DeskLeagueError, match="名册.xlsx：磁盘空间不足"):
        write_register(target, register, rows)
    assert target.read_bytes() == b"last week's register"
    assert leftovers(tmp_path) == []
    assert openpyxl_temp_files == openpyxl_writer.ALL_TEMP_FILES


def test_workbook_holds_one_sheet_per_register(tmp_path, register, rows):
    summary = Register(
        "年度统计", [Column("unit", "单位"), Column("n", "人数", kind="int", total=True)]
    )
    path = write_workbook(
        tmp_path / "年度统计.xlsx",
        [(register, rows), (summary, [("一院", 3), ("二院", 4)]), (summary, [])],
    )
    book = load_workbook(path)

    assert book.sheetnames == ["市直卫生系统团员志愿服务情况表", "年度统计", "年度统计(2)"]
    assert book["年度统计"]["B6"].value == 7
    assert book["年度统计"].freeze_panes == "A4"


def test_sheet_names_drop_characters_excel_forbids(tmp_path, rows):
    odd = Register("2026/上半年:统计[草稿]", [Column("name", "姓名")])
    path = write_register(tmp_path / "r.xlsx", odd, rows)

    assert load_workbook(path).sheetnames == ["2026上半年统计草稿"]


def test_unknown_column_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind"):
        Column("x", "某列", kind="money")


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
