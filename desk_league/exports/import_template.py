"""Blank import templates (导入模板): a sheet to fill in that the import reads back as it is.

A title row, a line saying how to fill it in, the header (required columns marked *), and
empty rows whose cells help the clerk: the ID-number and phone columns are formatted as text
(Excel would turn 110105199001011234 into 1.10105E+17), date columns as dates, and columns with
a fixed set of values (性别, 政治面貌, 团内职务, 所在团组织 …) offer a drop-down list kept on a
hidden sheet, since Excel caps a list typed into the rule itself at 255 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from desk_league.exports.files import atomic_output

CHOICES_SHEET = "选项"
BLANK_ROWS = 500  # rows prepared with formats and drop-downs
HEADER_ROW = 3
_FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_FORMATS = {"text": "@", "id_number": "@", "phone": "@", "date": "yyyy-mm-dd", "number": "0.0"}


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    title: str
    required: bool = False
    kind: str = "text"  # text / id_number / phone / date / number
    width: float = 12


def write_import_template(
    path: str | Path,
    title: str,
    columns: Sequence[TemplateColumn],
    choices: Mapping[str, Sequence[str]],
    *,
    hint: str = "",
    open_lists: Sequence[str] = (),
) -> Path:
    """The template at ``path`` (.xlsx); ``choices``: column key → the values of its drop-down.
    A column in ``open_lists`` also takes a value not in its list (with a warning): a unit not
    on file yet, a post of the office's own wording."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    last = get_column_letter(len(columns))
    sheet["A1"] = title
    sheet["A1"].font = Font(name=_FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 30
    sheet["A2"] = "填表说明：带 * 的列必须填写；" + (hint or "有下拉箭头的列请从列表中选择。")
    sheet["A2"].font = Font(name=_FONT, size=10, color="555555")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 32
    fill = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    lists = book.create_sheet(CHOICES_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    first, end = HEADER_ROW + 1, HEADER_ROW + BLANK_ROWS
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(HEADER_ROW, index, column.title + ("*" if column.required else ""))
        cell.font = Font(
            name=_FONT, size=11, bold=True, color="B00020" if column.required else None
        )
        cell.fill, cell.border = fill, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = column.width
        number_format = _FORMATS.get(column.kind, "@")
        sheet.column_dimensions[letter].number_format = number_format
        for row in range(first, end + 1):  # the cells too: Excel and WPS read the cell's format
            target = sheet.cell(row, index)
            target.number_format = number_format
            target.border = border
            target.font = Font(name=_FONT, size=11)
        values = list(dict.fromkeys(v for v in choices.get(column.key, ()) if v))
        if not values:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        lists.cell(1, list_column, column.title)
        for row, value in enumerate(values, start=2):
            lists.cell(row, list_column, value)
        source = (
            f"={quote_sheetname(CHOICES_SHEET)}!${list_letter}$2:${list_letter}${len(values) + 1}"
        )
        rule = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if column.key in open_lists else "stop",
            errorTitle=column.title,
            error=(
                f"“{column.title}”不在下拉列表中，请核对。"
                if column.key in open_lists
                else f"请从下拉列表中选择{column.title}。"
            ),
        )
        rule.add(f"{letter}{first}:{letter}{end}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # printed blank to fill by hand: one
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # page wide
    target = Path(path)
    with atomic_output(target) as temp:
        book.save(temp)
    return target
