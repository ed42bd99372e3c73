"""Reading an .xlsx someone sent us, safely: never trust its size, its XML or its dimensions.

openpyxl opens the workbook (its parts, the date styles) and reads each number, date and
boolean cell; the sheet's XML is streamed here with lxml's iterparse, one row at a time, so that
the declared dimensions are ignored, rows end at their last non-empty cell, the merged ranges
are read too (read-only openpyxl skips them), and the limits of ``sheet.TableLimits`` stop a
hostile sheet after bounded work. The zip's declared sizes are checked before anything is
inflated, which stops a small file from expanding into gigabytes.

Text is the one thing read here rather than by openpyxl: a string's value is its ``<t>`` plus
the ``<t>`` of each formatted run, the phonetic guide left out, exactly as openpyxl's
``Text.content`` gives it (``test_text_reads_as_openpyxl_reads_it…`` holds the two together),
but taken from the lxml elements already parsed. openpyxl builds a descriptor object per string,
per run and per run font to get there: reading a 10,000-row roster took 1.9–2.3 s that way and
takes 0.6–1.0 s now, whether its text is inline (openpyxl, the app's registers) or in a
shared-strings table (Excel, WPS, LibreOffice).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from desk_league.errors import ValidationError
from desk_league.imports.safe_xml import iterparse
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
# A merged range in a sheet's raw XML (<mergeCell ref="A1:G1"/>, any namespace prefix): all that
# is still wanted of a sheet once its first rows are read, found without parsing the rest.
_MERGE_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref="([^"]*)"')
_CHUNK = 1 << 20
_STRING_ITEM = f"{{{SHEET_MAIN_NS}}}si"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_DIGITS = "0123456789"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"


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


@dataclass
class _Book:
    """What openpyxl knows of a workbook (strings, date styles) and where its sheets are.

    Built from openpyxl's own ``ExcelReader`` steps, leaving out ``read_worksheets``: in
    read-only mode that parses every sheet without a ``<dimension>`` to its end just to size
    it, which is the slow part of a hostile file.
    """

    reader: ExcelReader
    file: BinaryIO
    sheets: dict[str, str]  # name → the sheet's part in the zip (chart sheets left out)

    @property
    def workbook(self):
        return self.reader.wb

    def close(self) -> None:
        self.reader.archive.close()
        self.file.close()


def _open(path: Path) -> _Book:
    file = path.open("rb")  # a file, not a name: an .xlsx saved as “名册.xls” still opens
    try:
        reader = ExcelReader(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        file.close()
        raise refuse(path.name, f"文件已损坏或格式不受支持（{type(exc).__name__}）。") from exc
    try:
        reader.read_manifest()
        reader.shared_strings = _shared_strings(reader)
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        names = set(reader.valid_files)
        sheets = {
            sheet.name: rel.target
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in names and "chartsheet" not in rel.Type
        }
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat raise their own kinds
        _Book(reader, file, {}).close()
        raise refuse(path.name, f"文件内容无法解析（{type(exc).__name__}）。") from exc
    book = _Book(reader, file, sheets)
    if not sheets:
        book.close()
        raise refuse(path.name, "工作簿里没有表格（工作表）。")
    return book


def xlsx_sheet_names(path: Path, limits: TableLimits = LIMITS) -> list[str]:
    book = _open(check_workbook_file(path, limits))
    book.close()
    return list(book.sheets)


def read_xlsx(
    path: Path,
    sheet: str | None = None,
    progress: Progress | None = None,
    limits: TableLimits = LIMITS,
    rows: int | None = None,
) -> SheetRows:
    """The values of one sheet (the first by default), within ``limits``; its first ``rows``
    only, when given."""
    book = _open(check_workbook_file(path, limits))
    try:
        name = sheet or next(iter(book.sheets))
        if name not in book.sheets:
            raise refuse(path.name, f"没有名为“{name}”的工作表。")
        collector = RowCollector(path.name, name, limits, progress, rows)
        merges = _stream(book, book.sheets[name], collector)
        return collector.finish(merges)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part surfaces only while reading
        raise refuse(path.name, f"读取工作表时出错（{type(exc).__name__}）。") from exc
    finally:
        book.close()


def _text(element) -> str:
    """A string item's text (``<si>`` or ``<is>``): its plain text, then its formatted runs'.

    Children are walked rather than found: lxml's ``find`` goes through its Python path
    matcher, five times slower for elements this small.
    """
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(t.text or "" for t in child if t.tag == _TEXT)
    return "".join(parts)


def _child(element, tag: str):
    return next((child for child in element if child.tag == tag), None)


def _shared_strings(reader: ExcelReader) -> list[str]:
    """The workbook's shared-strings table, as openpyxl's ``read_string_table`` reads it."""
    part = reader.package.find(SHARED_STRINGS)
    if part is None:
        return []
    strings = []
    with reader.archive.open(part.PartName[1:]) as source:
        for _event, item in iterparse(source, _STRING_ITEM):
            strings.append(_text(item).replace("x005F_", ""))  # openpyxl's unescaping, kept
            item.clear()
            while item.getprevious() is not None:
                del item.getparent()[0]
    return strings


def _row_values(parser: WorkSheetParser, row) -> list[tuple[int, object]]:
    """The row's (column, value) pairs: text read here, any other value by openpyxl."""
    values: list[tuple[int, object]] = []
    strings = parser.shared_strings
    for cell in row.iterchildren(_CELL):
        if not len(cell):  # no value, formula or text inside: an empty, maybe formatted, cell
            if cell.get("r") is None:
                parser.col_counter += 1
            continue
        kind = cell.get("t")
        if kind == "s" or kind == "inlineStr":
            reference = cell.get("r")
            if reference:
                parser.col_counter = column_index_from_string(reference.rstrip(_DIGITS))
            else:
                parser.col_counter += 1
            if kind == "s":
                index = _child(cell, _VALUE)
                value = strings[int(index.text)] if index is not None and index.text else None
            else:
                inline = _child(cell, _INLINE)
                value = None if inline is None else _text(inline)
            values.append((parser.col_counter, value))
            continue
        parsed = parser.parse_cell(cell)
        values.append((parsed["column"], parsed["value"]))
    return values


def _stream(book: _Book, part: str, collector: RowCollector) -> list[Merge]:
    """Rows into ``collector``; returns the merged ranges (they follow the rows in the XML).

    The cell values come from openpyxl's own parser (shared strings, dates by style, booleans,
    inline strings), the same one its read-only worksheets use.
    """
    workbook = book.workbook
    cells = WorkSheetParser(
        None,  # type: ignore[arg-type]  # no source: only its cell parser is used
        book.reader.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    merges: list[Merge] = []
    with book.reader.archive.open(part) as source:
        number = 0
        for _event, element in iterparse(source, (_ROW, _MERGE)):
            if element.tag == _ROW:
                number = int(element.get("r") or number + 1)
                if not collector.wants(number):  # the rows asked for are read: on to the merges
                    return _merges_in(book.reader.archive, part, collector.file_name)
                cells.row_counter, cells.col_counter = number, 0
                collector.add(number, _row_values(cells, element), scanned=len(element))
            else:
                _add_merge(merges, element.get("ref") or "", collector.file_name)
            element.clear()
            while element.getprevious() is not None:  # what iterparse has built, let go
                del element.getparent()[0]
    return merges


def _add_merge(merges: list[Merge], ref: str, file_name: str) -> None:
    if len(merges) >= MAX_MERGES:
        raise refuse(file_name, f"合并单元格超过 {MAX_MERGES} 处，已拒绝。")
    try:
        bounds = range_boundaries(ref)
    except ValueError:  # not a range: nothing merged
        return
    if None not in bounds:  # a whole-column or whole-row merge says nothing of rows
        min_col, min_row, max_col, max_row = (int(b or 0) for b in bounds)
        merges.append(Merge(min_row, min_col, max_row, max_col))


def _merges_in(archive: zipfile.ZipFile, part: str, file_name: str) -> list[Merge]:
    """A sheet's merged ranges found in its raw XML, chunk by chunk (a range cut by a chunk's
    end is found with the next one), without parsing every row before them."""
    merges: list[Merge] = []
    with archive.open(part) as source:
        carry = b""
        while True:
            chunk = source.read(_CHUNK)
            text = carry + chunk
            done = len(text) if not chunk else max(0, len(text) - 1024)
            for match in _MERGE_REF.finditer(text):
                if match.start() >= done:
                    break
                _add_merge(merges, match.group(1).decode("ascii", "replace"), file_name)
            if not chunk:
                return merges
            carry = text[done:]
