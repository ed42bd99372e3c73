"""Reading an .xlsx someone sent us, safely: never trust its size, its XML or its dimensions.

openpyxl opens the workbook (read-only: the shared strings, the date styles) and reads each
cell's value; the sheet's XML is streamed here with lxml's iterparse, one row at a time, so that
the declared dimensions are ignored, rows end at their last non-empty cell, the merged ranges
are read too (read-only openpyxl skips them), and the limits of ``sheet.TableLimits`` stop a
hostile sheet after bounded work. The zip's declared sizes are checked before anything is
inflated, which stops a small file from expanding into gigabytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from desk_league.errors import ValidationError
from desk_league.imports.sheet import (
    LIMITS,
    Merge,
    Progress,
    RowCollector,
    SheetRows,
    TableLimits,
    refuse,
)

MAX_UNCOMPRESSED_BYTES = LIMITS.total_bytes
MAX_MERGES = 20_000
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"


def check_workbook_file(path: str | Path, limits: TableLimits = LIMITS) -> Path:
    """Refuse what is not a real, reasonably sized .xlsx before openpyxl touches it."""
    path = Path(path)
    if not path.is_file():
        raise refuse(path.name, "文件不存在。")
    if not zipfile.is_zipfile(path):
        raise refuse(
            path.name, "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏或只是改了扩展名。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(path.name, f"文件已损坏（{exc}）。") from exc
    if sum(info.file_size for info in infos) > limits.total_bytes:
        raise refuse(
            path.name,
            f"解压后超过 {limits.total_bytes // 1024 // 1024} MB，不像是一份名册，已拒绝。",
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise refuse(
            path.name, "压缩包里没有 Excel 工作簿内容（可能是 Word 文档或其他文件改了扩展名）。"
        )
    for info in infos:
        if info.file_size > limits.part_bytes and info.filename.startswith("xl/"):
            raise refuse(
                path.name,
                f"其中的“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，"
                f"超过 {limits.part_bytes // 1024 // 1024} MB 的上限，已拒绝。",
            )
    return path


def _open(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise refuse(path.name, f"文件已损坏或格式不受支持（{type(exc).__name__}）。") from exc
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat raise their own kinds
        raise refuse(path.name, f"文件内容无法解析（{type(exc).__name__}）。") from exc


def xlsx_sheet_names(path: Path, limits: TableLimits = LIMITS) -> list[str]:
    workbook = _open(check_workbook_file(path, limits))
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_xlsx(
    path: Path,
    sheet: str | None = None,
    progress: Progress | None = None,
    limits: TableLimits = LIMITS,
) -> SheetRows:
    """The values of one sheet (the first by default), within ``limits``."""
    workbook = _open(check_workbook_file(path, limits))
    try:
        name = sheet or workbook.sheetnames[0]
        if name not in workbook.sheetnames:
            raise refuse(path.name, f"没有名为“{name}”的工作表。")
        worksheet = workbook[name]
        if not hasattr(worksheet, "_worksheet_path"):
            raise refuse(path.name, f"“{name}”是图表，不是表格。")
        collector = RowCollector(path.name, name, limits, progress)
        merges = _stream(workbook, worksheet, collector)
        return collector.finish(merges)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part surfaces only while reading
        raise refuse(path.name, f"读取工作表时出错（{type(exc).__name__}）。") from exc
    finally:
        workbook.close()


def _row_values(parser: WorkSheetParser, row) -> list[tuple[int, object]]:
    values = []
    for cell in row.iterchildren(_CELL):
        if not len(cell):  # no value, formula or text inside: an empty, maybe formatted, cell
            if cell.get("r") is None:
                parser.col_counter += 1
            continue
        parsed = parser.parse_cell(cell)
        values.append((parsed["column"], parsed["value"]))
    return values


def _stream(workbook, worksheet, collector: RowCollector) -> list[Merge]:
    """Rows into ``collector``; returns the merged ranges (they follow the rows in the XML).

    The cell values come from openpyxl's own parser (shared strings, dates by style, booleans,
    inline strings), the same one its read-only worksheets use.
    """
    cells = WorkSheetParser(
        None,
        workbook.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    merges: list[Merge] = []
    with workbook._archive.open(worksheet._worksheet_path) as source:
        events = etree.iterparse(
            source,
            events=("end",),
            tag=(_ROW, _MERGE),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        number = 0
        for _event, element in events:
            if element.tag == _ROW:
                number = int(element.get("r") or number + 1)
                cells.row_counter, cells.col_counter = number, 0
                collector.add(number, _row_values(cells, element), scanned=len(element))
            elif len(merges) < MAX_MERGES:
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                merges.append(Merge(min_row, min_col, max_row, max_col))
            else:
                raise refuse(collector.file_name, f"合并单元格超过 {MAX_MERGES} 处，已拒绝。")
            element.clear()
            while element.getprevious() is not None:  # what iterparse has built, let go
                del element.getparent()[0]
    return merges
