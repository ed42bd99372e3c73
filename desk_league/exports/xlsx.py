"""The openpyxl side of the one register writer (``exports/register.py``): cells, styles, rows,
merged titles, the 合计 row and the page set-up, streamed through write-only mode.

Kept apart so that declaring a register (every service does, at import) does not load openpyxl;
``register.write_workbook`` imports this module when a file is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as openpyxl_writer
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from desk_league.domain.id_number import mask_id_number
from desk_league.exports.files import atomic_output
from desk_league.exports.register import (
    _SHEET_NAME_FORBIDDEN,
    BINDING_MARGIN,
    DEFAULT_ROW_HEIGHT,
    EXCEL_MAX_TEXT,
    FORMULA_PREFIXES,
    KINDS,
    NUMERIC_KINDS,
    OUTER_MARGIN,
    PROGRESS_EVERY,
    SAMPLE_ROWS,
    SHEET_NAME_MAX,
    TITLE_SIZE,
    WIDE_UNITS,
    Column,
    PageLayout,
    Progress,
    Register,
    Row,
    Section,
    TotalsBy,
    _is_number,
    line_count,
    row_height,
)

_NUMBER_FORMATS = {
    "text": "@",
    "code": "@",
    "int": "0",
    "number": "0.00",
    "hours": "0.0",
    "date": "yyyy-mm-dd",
    "percent": "0.0%",
    "id_number": "@",
    "phone": "@",
}
_HORIZONTAL = {
    "text": "left",
    "code": "left",
    "int": "right",
    "number": "right",
    "hours": "right",
    "percent": "right",
    "date": "center",
    "id_number": "center",
    "phone": "center",
}

_FONT_NAME = "宋体"  # what Chinese offices expect on a printed form
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Sequence[tuple[Register, Iterable[Row]]],
    progress: Progress | None = None,
) -> Path:
    """``register.write_workbook``, with openpyxl."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    target = Path(path)
    counter = _Counter(progress, _count_rows(sheets))
    with atomic_output(target) as temp:
        workbook = Workbook(write_only=True)
        try:
            names: set[str] = set()
            for register, rows in sheets:
                sheet = workbook.create_sheet(_unique_sheet_name(register, names))
                sheet._values_to_row = _cells_to_row  # type: ignore[method-assign]
                layout, sized_rows = _sized_rows(register, rows)
                _SheetWriter(sheet, register, layout).write(sized_rows, counter)
            counter.finish()
            workbook.save(temp)
        except BaseException:
            _discard(workbook)
            raise
    return target


def _sized_rows(
    register: Register, rows: Iterable[Row]
) -> tuple[PageLayout, Iterator[Row | Section]]:
    """Read up to SAMPLE_ROWS rows ahead to size the columns, then hand back all of them."""
    stream = iter(rows)
    head = list(itertools.islice(stream, SAMPLE_ROWS))
    prepare = _RowPreparer(register)
    sample = [prepare(row) for row in head if not isinstance(row, Section)]
    return PageLayout.fit(register, sample), itertools.chain(head, stream)


def _cells_to_row(cells: Sequence[Cell | None], row_idx: int) -> Iterator[Cell]:
    """Hand our ready-made cells to openpyxl's row writer as they are.

    openpyxl's own version first tries each appended item as a plain value and only takes it as
    a cell after the conversion raises; for styled registers that exception (and the repr it
    formats) cost a third of the export time. Every item we append is a cell or None.
    """
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


class _Counter:
    """Throttled progress reporting across all sheets of a workbook."""

    def __init__(self, callback: Progress | None, total: int | None) -> None:
        self.callback = callback
        self.total = total
        self.done = 0
        self._report()

    def tick(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self._report()

    def finish(self) -> None:
        if self.done % PROGRESS_EVERY:
            self._report()

    def _report(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)


def _count_rows(sheets: Sequence[tuple[Register, Iterable[Row]]]) -> int | None:
    if all(isinstance(rows, Sized) for _, rows in sheets):
        return sum(
            sum(1 for row in rows if not isinstance(row, Section))  # type: ignore[union-attr]
            for _, rows in sheets
        )
    return None


def _unique_sheet_name(register: Register, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("", register.sheet_name or register.title).strip("' ")
    base = base[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:  # Excel compares sheet names case-insensitively
        n += 1
        suffix = f"({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _discard(workbook: Workbook) -> None:
    """Close and delete the temporary files openpyxl streams unsaved sheets into.

    Runs while another exception is on its way out, so it must not raise one of its own; a
    failed save may already have removed some of these files.
    """
    for sheet in workbook.worksheets:
        writer = sheet._writer if isinstance(sheet, WriteOnlyWorksheet) else None
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not sheet.closed:
                sheet.close()
        if writer.out in openpyxl_writer.ALL_TEMP_FILES:
            with contextlib.suppress(OSError):
                writer.cleanup()


class _RegisterCell(Cell):
    """A cell filled from a prototype's style and a value already checked (``_Styles.fill``).

    openpyxl otherwise hashes the style array and searches the workbook's style list again for
    every cell it writes (a tenth of the time of a 100,000-row register).
    """

    __slots__ = ("_style_id",)
    has_style = True  # every register cell carries its prototype's font, border and alignment

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        # Cell.__init__'s attributes; ``fill`` gives the style and value, ``_cells_to_row`` the place
        self.parent = sheet
        self._style = None
        self._style_id = 0
        self.row = self.column = None
        self._value = None
        self.data_type = "n"
        self._hyperlink = None
        self._comment = None

    @property
    def style_id(self) -> int:
        return self._style_id


class _Styles:
    """Prototype cells whose style is copied onto each new cell.

    Assigning Font/Border objects to every cell of 100,000 rows makes openpyxl hash and look up
    each one; sharing a finished style array costs nothing.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self._style_ids: dict[int, int] = {}
        self.title = self._make(
            Font(name=_FONT_NAME, size=TITLE_SIZE, bold=True), "center", border=False, wrap=True
        )
        self.office = self._make(Font(name=_FONT_NAME, size=11), "left", border=False)
        self.note = self._make(Font(name=_FONT_NAME, size=11), "left", border=False, wrap=True)
        self.section = self._make(Font(name=_FONT_NAME, size=11, bold=True), "left", wrap=True)
        self.date = self._make(Font(name=_FONT_NAME, size=11), "right", border=False)
        self.header = self._make(
            Font(name=_FONT_NAME, size=11, bold=True), "center", fill=_HEADER_FILL, wrap=True
        )
        self.data = {kind: self._data(kind, quoted=False) for kind in KINDS}
        self.quoted = {kind: self._data(kind, quoted=True) for kind in KINDS}
        self.total = {kind: self._data(kind, quoted=False, bold=True) for kind in KINDS}
        self.total_label = self._make(Font(name=_FONT_NAME, size=11, bold=True), "center")

    def cell(self, prototype: Cell, value: Any = None) -> Cell:
        return self.fill(_RegisterCell(self.sheet), prototype, value)

    def fill(self, cell: _RegisterCell, prototype: Cell, value: Any = None) -> Cell:
        """``cell`` (new, or one written already) with ``prototype``'s style and ``value``."""
        style_id = self._style_ids.get(id(prototype))
        if style_id is None:  # first use: the prototype is finished by now
            style_id = self._style_ids[id(prototype)] = prototype.style_id
        # Shared, not copied: the cell is written with this style's index, never restyled.
        cell._style = prototype._style
        cell._style_id = style_id
        kind = type(value)
        if kind is str:
            # Set directly: _clean_text does openpyxl's checks (illegal characters, length),
            # and "s" keeps it a literal string, never a formula whatever it starts with.
            cell._value = _clean_text(value)
            cell.data_type = "s"
        elif kind is int or kind is float or value is None:
            cell._value = value  # what openpyxl's type inference would give
            cell.data_type = "n"
        elif isinstance(value, dt.date | dt.time | dt.timedelta):
            # as openpyxl's, without its number format: the prototype's (a date column's) holds
            cell._value = value
            cell.data_type = "d"
        else:
            cell.value = value  # anything else (True, Decimal) as openpyxl infers it
        return cell

    def _data(self, kind: str, *, quoted: bool, bold: bool = False) -> Cell:
        cell = self._make(
            Font(name=_FONT_NAME, size=11, bold=bold),
            _HORIZONTAL[kind],
            wrap=kind == "text",
            number_format=_NUMBER_FORMATS[kind],
        )
        # Excel's own marker for "typed with a leading apostrophe": editing the cell later
        # still does not turn "=..." into a formula.
        cell.quotePrefix = quoted
        return cell

    def _make(
        self,
        font: Font,
        horizontal: str,
        *,
        border: bool = True,
        fill: PatternFill | None = None,
        wrap: bool = False,
        number_format: str = "General",
    ) -> Cell:
        cell = WriteOnlyCell(self.sheet)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
        if border:
            cell.border = _BORDER
        if fill is not None:
            cell.fill = fill
        cell.number_format = number_format
        return cell


class _SheetWriter:
    """Lays out one register on one write-only sheet, top to bottom."""

    def __init__(self, sheet: WriteOnlyWorksheet, register: Register, layout: PageLayout) -> None:
        self.sheet = sheet
        self.register = register
        self.layout = layout
        self.columns = list(register.columns)
        self.widths = layout.widths
        self.total_width = sum(self.widths)
        # (index, width, characters that surely fit on one line) of each wrapping column
        self.text_columns = [
            (i, w, int((w - 0.5) / WIDE_UNITS))
            for i, (c, w) in enumerate(zip(self.columns, self.widths, strict=True))
            if c.kind == "text"
        ]
        self.styles = _Styles(sheet)
        self.prepare = _RowPreparer(register)
        # each column's cell prototype: as typed, and for text Excel would take as a formula
        self.plain = [self.styles.data[c.kind] for c in self.columns]
        self.quoted = [self.styles.quoted[c.kind] for c in self.columns]
        # One cell per column, filled again for every data row: openpyxl writes a row as soon as
        # it is appended, so its cells are free for the next one (openpyxl's own append, too,
        # reuses its cell)
        self.row_cells = [_RegisterCell(sheet) for _ in self.columns]
        self.row_number = 0
        # Row 2 and the signature line split the width in two: left part, right part.
        self.split = max(1, (len(self.columns) + 1) // 2)

    def write(self, rows: Iterable[Row | Section], counter: _Counter) -> None:
        # Write-only sheets take widths, panes and print setup before the first row.
        self._set_up_columns()
        self._set_up_printing()
        self._title()
        self._office_and_date()
        for note in self.register.notes:
            self._full_width_line(self.styles.note, note)
        self._header()
        totals = _Totals(self.columns, self.register.totals_by)
        for row in rows:
            if isinstance(row, Section):
                self._full_width_line(self.styles.section, row.text, bordered=True)
                continue
            values = self._data_row(row)
            totals.add(values, row)
            counter.tick()
        if totals:
            for label, sums in totals.lines():
                self._totals(totals, label, sums)
        if self.register.signature:
            self._signature()

    def _append(self, cells: Sequence[Cell | None], height: float | None = None) -> None:
        self.row_number += 1
        if height is None:
            self.sheet.append(list(cells))
            return
        # A write-only row takes its height before it is written, and is written at once:
        # dropping the height afterwards keeps 100,000 tall rows from piling up in memory. The
        # row writer reads only the attributes (``attrs.update(dims.get(row))``), so a plain
        # dict serves instead of a RowDimension, which costs a tenth of the export to build.
        dims = self.sheet.row_dimensions
        dict.__setitem__(dims, self.row_number, {"ht": f"{height:g}", "customHeight": "1"})
        self.sheet.append(list(cells))
        dict.__delitem__(dims, self.row_number)

    def _merge(self, first: int, last: int) -> None:
        if last > first:
            row = self.row_number + 1
            self.sheet.merged_cells.add(
                f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
            )

    def _set_up_columns(self) -> None:
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = f"A{self.register.header_row + 1}"
        # Rows without a height of their own: room for one line of 11-point text in any font.
        self.sheet.sheet_format.defaultRowHeight = DEFAULT_ROW_HEIGHT
        self.sheet.sheet_format.customHeight = True

    def _set_up_printing(self) -> None:
        sheet = self.sheet
        landscape = self.layout.landscape
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        # Fit every column on the page width; let the rows run onto as many pages as needed.
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        header = self.register.header_row
        sheet.print_title_rows = f"{header}:{header}"
        sheet.print_options.horizontalCentered = True
        binding, outer = BINDING_MARGIN, OUTER_MARGIN
        sheet.page_margins = PageMargins(
            left=outer if landscape else binding,
            right=outer,
            top=binding if landscape else outer + 0.1,
            bottom=outer + 0.15,
            header=0.3,
            footer=0.3,
        )
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        sheet.oddFooter.center.font = _FONT_NAME
        sheet.oddFooter.center.size = 10

    def _full_width_line(self, style: Cell, text: str, *, bordered: bool = False) -> None:
        lines = line_count(text, self.total_width)
        self._merge(1, len(self.columns))
        cells: list[Cell | None] = [self.styles.cell(style, text)]
        if bordered:  # the merged range's other cells carry the border on
            cells += [self.styles.cell(style) for _ in self.columns[1:]]
        self._append(cells, row_height(lines) if lines > 1 else None)

    def _title(self) -> None:
        lines = line_count(self.register.title, self.total_width, TITLE_SIZE)
        self._merge(1, len(self.columns))
        self._append(
            [self.styles.cell(self.styles.title, self.register.title)],
            lines * TITLE_SIZE * 1.5 + 10,
        )

    def _office_and_date(self) -> None:
        register = self.register
        date_text = f"填报日期：{_arabic_date(register.date)}" if register.date else ""
        if len(self.columns) == 1:
            text = "    ".join(t for t in (register.office, date_text) if t)
            self._append([self.styles.cell(self.styles.office, text)], 22)
            return
        self._merge(1, self.split)
        self._merge(self.split + 1, len(self.columns))
        cells: list[Cell | None] = [None] * len(self.columns)
        cells[0] = self.styles.cell(self.styles.office, register.office)
        cells[self.split] = self.styles.cell(self.styles.date, date_text)
        self._append(cells, 22)

    def _header(self) -> None:
        lines = max(line_count(c.title, w) for c, w in zip(self.columns, self.widths, strict=True))
        self._append(
            [self.styles.cell(self.styles.header, c.title) for c in self.columns],
            max(22.0, row_height(lines) + 2),
        )

    def _data_row(self, row: Row) -> list[Any]:
        values = self.prepare(row)
        fill = self.styles.fill
        for cell, value, plain, quoted in zip(
            self.row_cells, values, self.plain, self.quoted, strict=True
        ):
            formula_like = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
            fill(cell, quoted if formula_like else plain, value)
        lines = 1
        for index, width, fits in self.text_columns:
            value = values[index]
            # most cells are short: measured only when they might wrap
            if isinstance(value, str) and (len(value) > fits or "\n" in value):
                lines = max(lines, line_count(value, width))
        self._append(self.row_cells, row_height(lines) if lines > 1 else None)
        return values

    def _totals(self, totals: _Totals, label: str, sums: dict[int, int | float]) -> None:
        """One total line: its label across the leading columns that are not summed."""
        cells: list[Cell | None] = []
        label_at, label_end = totals.label_span()
        for index, column in enumerate(self.columns):
            if index == label_at:
                cells.append(self.styles.cell(self.styles.total_label, label))
            elif label_at is not None and label_at < index <= label_end:
                cells.append(self.styles.cell(self.styles.total_label))  # carries the border on
            else:
                value = _rounded(sums[index]) if column.total else None
                cells.append(self.styles.cell(self.styles.total[column.kind], value))
        height = None
        if label_at is not None:
            width = sum(self.widths[label_at : label_end + 1])
            lines = line_count(label, width)
            height = row_height(lines) if lines > 1 else None
            self._merge(label_at + 1, label_end + 1)
        self._append(cells, height)

    def _signature(self) -> None:
        self._append([])  # a blank line between the table and the signatures
        gap = "\u3000" * 8  # room to sign by hand
        filler = f"填表人：{self.register.filler or gap}"
        reviewer = f"审核人：{self.register.reviewer or gap}"
        if len(self.columns) == 1:
            self._append([self.styles.cell(self.styles.office, f"{filler}\u3000\u3000{reviewer}")])
            return
        self._merge(1, self.split)
        self._merge(self.split + 1, len(self.columns))
        cells: list[Cell | None] = [None] * len(self.columns)
        cells[0] = self.styles.cell(self.styles.office, filler)
        cells[self.split] = self.styles.cell(self.styles.office, reviewer)
        self._append(cells)


class _Totals:
    """Running sums for the 合计 row, stored as values rather than SUM formulas.

    openpyxl saves formulas without a cached result, so previews, converters and programs that
    read the file back would see an empty total until Excel recalculates it. With ``by`` the sums
    are kept per group: 合计 adds the counted groups, each other group gets its own line.
    """

    def __init__(self, columns: Sequence[Column], by: TotalsBy | None = None) -> None:
        self.columns = columns
        self.by = by
        self.indexes = [i for i, column in enumerate(columns) if column.total]
        self.groups: dict[Any, dict[int, int | float]] = {}
        self.rows: dict[Any, int] = {}

    def __bool__(self) -> bool:
        return bool(self.indexes)

    def add(self, values: Sequence[Any], row: Row) -> None:
        group = None
        if self.by is not None:
            if not isinstance(row, Mapping):
                raise TypeError("a register whose totals are split by group needs mapping rows")
            group = row.get(self.by.key)
        sums = self.groups.get(group)
        if sums is None:
            sums = self.groups[group] = dict.fromkeys(self.indexes, 0)
            self.rows[group] = 0
        self.rows[group] += 1
        for index in self.indexes:
            value = values[index]
            if _is_number(value):
                sums[index] += value

    def lines(self) -> list[tuple[str, dict[int, int | float]]]:
        """(label, sums) of each total line: 合计 first, then the groups left out of it."""
        if self.by is None:
            return [("合计", self.groups.get(None, dict.fromkeys(self.indexes, 0)))]
        by = self.by
        counted = [g for g in by.counted if g in self.groups]
        total = {i: sum(self.groups[g][i] for g in counted) for i in self.indexes}
        rows = sum(self.rows[g] for g in counted)
        lines = [(f"合计（{'、'.join(by.counted)}，{rows}{by.unit}）", total)]
        for group, sums in self.groups.items():
            if group not in by.counted:
                name = group if group not in (None, "") else "未填写状态"
                lines.append((f"{name}{self.rows[group]}{by.unit}（不计入合计）", sums))
        return lines

    def label_span(self) -> tuple[int | None, int]:
        """Where the label goes: the first column not summed (usually 序号 or 姓名), merged on
        over the columns up to the first summed one when the label says what it adds up."""
        first = next((i for i in range(len(self.columns)) if i not in self.indexes), None)
        if first is None or self.by is None:
            return first, first if first is not None else -1
        end = first
        while end + 1 < len(self.columns) and end + 1 not in self.indexes:
            end += 1
        return first, end


def _rounded(total: int | float) -> int | float:
    # Hours like 0.1 + 0.2 would otherwise print as 0.30000000000000004 in the formula bar.
    return round(total, 10) if isinstance(total, float) else total


class _RowPreparer:
    """A row's values as the register stores them, column by column (``_prepare``)."""

    def __init__(self, register: Register) -> None:
        self.keys = [column.key for column in register.columns]
        self.width = len(self.keys)
        # (column, whether a non-empty text is stored as it is: text and codes)
        self.columns = [(column, column.kind in ("text", "code")) for column in register.columns]
        self.mask_ids = register.mask_ids

    def __call__(self, row: Row) -> list[Any]:
        if isinstance(row, Mapping):
            values = list(map(row.get, self.keys))
        elif isinstance(row, str | bytes) or not isinstance(row, Sequence):
            raise TypeError(f"a register row must be a mapping or a sequence, not {type(row)!r}")
        else:
            values = list(row[: self.width])
            values += [None] * (self.width - len(values))
        mask_ids = self.mask_ids
        for i, (column, as_is) in enumerate(self.columns):
            value = values[i]
            # most cells are text already, kept as they are without asking each rule
            if as_is and type(value) is str and value:
                continue
            values[i] = _prepare(column, value, mask_ids)
        return values


def _prepare(column: Column, value: Any, mask_ids: bool) -> Any:
    """The value to store for ``column``: text stays text, numbers and dates become real ones."""
    if value is None or value == "":
        return None
    if column.kind in NUMERIC_KINDS:
        return _as_number(value)
    if column.kind == "date":
        return _as_date(value)
    if column.kind in ("id_number", "phone"):
        text = _digits_text(value)
        return mask_id_number(text) if column.kind == "id_number" and mask_ids else text
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if isinstance(value, str) else str(value)


def _as_number(value: Any) -> Any:
    """A real number for a numeric column, or the value as text if it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        # Decimal from the database becomes float: Excel stores doubles, and the 合计 sums
        # could not mix the two.
        number = float(value if isinstance(value, float | Decimal) else str(value).replace(",", ""))
    except ValueError:
        return str(value)  # shown as typed rather than silently dropped
    return number if math.isfinite(number) else None  # Excel cannot store NaN or infinity


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)


def _digits_text(value: Any) -> str:
    """ID numbers and phones as text: a number would lose leading zeros and the last digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _clean_text(text: str) -> str:
    # Control characters pasted from Word make openpyxl refuse the whole file. Printable text
    # (nearly every cell) has none: asked first, it skips the pattern.
    if not text.isprintable():
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:EXCEL_MAX_TEXT]


def _arabic_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
