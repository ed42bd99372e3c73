"""The other tables offices send: legacy Excel (.xls, through xlrd) and .csv / tab-separated text.

Both end in the same ``RowCollector`` as .xlsx, so limits, trimming and merged cells behave the
same whatever the format.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import xlrd

from desk_league.imports.encoding import decode_text
from desk_league.imports.sheet import (
    Merge,
    Progress,
    RowCollector,
    SheetRows,
    TableLimits,
    refuse,
)

_DELIMITERS = ",\t;"


def _read_bytes(path: Path, limits: TableLimits) -> bytes:
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise refuse(
            path.name,
            f"文件有 {size // 1024 // 1024} MB，超过 {limits.file_bytes // 1024 // 1024} MB 的上限。",
        )
    return path.read_bytes()


# --- .xls ---------------------------------------------------------------------------------------


def _open_xls(path: Path, limits: TableLimits) -> xlrd.Book:
    data = _read_bytes(path, limits)
    try:
        # formatting_info: the merged ranges are read only with it; ragged_rows: no padding
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True
        )
    except xlrd.biffh.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise refuse(path.name, "文件设置了密码，请在 Excel 中取消密码后再导入。") from exc
        raise refuse(
            path.name, f"不是有效的 Excel 工作簿（.xls），文件可能已损坏或只是改了扩展名（{exc}）。"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - a damaged compound file raises anything
        raise refuse(
            path.name,
            f"不是有效的 Excel 工作簿（.xls），文件可能已损坏或只是改了扩展名（{type(exc).__name__}）。",
        ) from exc


def xls_sheet_names(path: Path, limits: TableLimits) -> list[str]:
    book = _open_xls(path, limits)
    try:
        return book.sheet_names()
    finally:
        book.release_resources()


def read_xls(
    path: Path,
    sheet: str | None,
    progress: Progress | None,
    limits: TableLimits,
    rows: int | None = None,
) -> SheetRows:
    book = _open_xls(path, limits)
    try:
        name = sheet or book.sheet_names()[0]
        if name not in book.sheet_names():
            raise refuse(path.name, f"没有名为“{name}”的工作表。")
        try:
            worksheet = book.sheet_by_name(name)
        except Exception as exc:  # noqa: BLE001 - the sheet's records are parsed only now
            raise refuse(path.name, f"读取工作表时出错（{type(exc).__name__}）。") from exc
        collector = RowCollector(path.name, name, limits, progress, rows)
        for r in range(worksheet.nrows if rows is None else min(rows, worksheet.nrows)):
            collector.add(
                r + 1,
                [(c + 1, _xls_value(book, cell)) for c, cell in enumerate(worksheet.row(r))],
            )
        merges = [
            Merge(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in worksheet.merged_cells
        ]
        return collector.finish(merges)
    finally:
        book.release_resources()


def _xls_value(book: xlrd.Book, cell: xlrd.sheet.Cell):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        return moment.date() if moment.time() == moment.min.time() else moment
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


# --- .csv ---------------------------------------------------------------------------------------


def read_csv(
    path: Path, progress: Progress | None, limits: TableLimits, rows: int | None = None
) -> SheetRows:
    """A text table: the encoding detected, the separator (comma, tab, semicolon) guessed."""
    text = decode_text(_read_bytes(path, limits), path.name)
    delimiter = _delimiter(text[:65536])
    name = path.stem
    collector = RowCollector(path.name, name, limits, progress, rows)
    try:
        lines = io.StringIO(text, newline="")
        for number, row in enumerate(csv.reader(lines, delimiter=delimiter), 1):
            if not collector.wants(number):
                break
            collector.add(number, [(c, _unguarded(v)) for c, v in enumerate(row, start=1)])
    except csv.Error as exc:
        raise refuse(path.name, f"不是规范的 CSV 表格（{exc}）。") from exc
    return collector.finish()


def _unguarded(cell: str) -> str:
    """``="370102…"``, as systems write an ID or phone into a .csv so Excel keeps it as text, is
    what Excel shows: the text inside."""
    if cell[:2] == '="' and cell[-1:] == '"' and len(cell) > 2:
        return cell[2:-1].replace('""', '"')
    return cell


def _delimiter(sample: str) -> str:
    """The separator found on most lines (a title line above the table has none)."""
    lines = [line for line in sample.splitlines()[:100] if line.strip()]
    return max(_DELIMITERS, key=lambda d: (sum(d in line for line in lines), d == ","))
