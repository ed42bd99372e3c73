"""What every table reader hands on: the rows of one sheet, read within limits.

A file says how big it is (an .xlsx declares ``A1:XFD1048576``, an .xls its dimensions) and may
lie; the readers ignore that and keep only what holds content: each row ends at its last
non-empty cell, the sheet at its last non-empty row. ``RowCollector`` enforces the limits as
the rows stream in, so a hostile file is refused after a bounded amount of work and memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk_league.domain.text import strip_control
from desk_league.errors import ValidationError

Progress = Callable[[int, int | None], None]
# how far down the header is looked for: a roster may sit under a page of 填表说明 (20 lines and more)
HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class TableLimits:
    """What one import may hold. Far above any roster (10,000 volunteers, 100,000 hours rows)."""

    rows: int = 200_000  # the last row a sheet may have, empty formatted rows included
    columns: int = 256  # the last column that may hold content
    cells: int = 3_000_000  # non-empty cells
    scanned_cells: int = 6_000_000  # cell records read, empty formatted ones included
    file_bytes: int = 100 * 1024 * 1024  # .xls and .csv files
    part_bytes: int = 150 * 1024 * 1024  # one part of an .xlsx, inflated (a sheet, the strings)
    total_bytes: int = 300 * 1024 * 1024  # the whole .xlsx, inflated


LIMITS = TableLimits()


@dataclass(frozen=True)
class Merge:
    """A merged range, 1-based and inclusive, as Excel writes ``A3:A7``."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass
class SheetRows:
    """The cell values of one sheet (row 1 first); ``rows[i]`` is Excel row ``i + 1``.

    ``merges`` are the merged ranges; a range spanning rows has had its value copied into each
    row (a unit cell merged down beside its people), so ``rows`` reads like an unmerged table.
    """

    name: str
    rows: list[tuple[Any, ...]]
    merges: list[Merge] = field(default_factory=list)

    def spans_columns(self, row: int, column: int) -> int:
        """How many columns the cell at 1-based (row, column) covers when merged, else 1."""
        for merge in self.merges:
            if merge.first_row <= row <= merge.last_row and merge.first_column == column:
                return merge.last_column - merge.first_column + 1
        return 1


def refuse(file_name: str, reason: str) -> ValidationError:
    return ValidationError(f"无法导入文件“{file_name}”：{reason}")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(row: tuple[Any, ...]) -> bool:
    return all(is_blank(v) for v in row)


def column_label(index: int) -> str:
    """1 → A, 27 → AA: how Excel names a column, for messages."""
    label = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        label = chr(65 + rest) + label
    return label


class RowCollector:
    """Collects rows as a reader finds them, trimmed and within ``limits``.

    Readers call ``add(row_number, [(column, value), …])`` in row order (1-based numbers; gaps
    are empty rows) while ``wants(row_number)``, then ``finish(merges)``. ``rows``: only the
    sheet's first rows are wanted (enough to find its header), not the whole of it.
    """

    def __init__(
        self,
        file_name: str,
        sheet: str,
        limits: TableLimits,
        progress: Progress | None,
        rows: int | None = None,
    ) -> None:
        self.file_name, self.sheet, self.limits, self.progress = file_name, sheet, limits, progress
        self.stop_after = rows
        self.rows: list[tuple[Any, ...]] = []
        self.cells = self.scanned = 0
        self.last_row = 0

    def wants(self, number: int) -> bool:
        """Whether row ``number`` is to be read at all (see ``rows``)."""
        return self.stop_after is None or number <= self.stop_after

    def add(self, number: int, cells: list[tuple[int, Any]], scanned: int | None = None) -> None:
        """Row ``number``'s non-empty candidates; ``scanned``: cell records read for it."""
        limits = self.limits
        if number > limits.rows:
            raise refuse(
                self.file_name,
                f"工作表“{self.sheet}”超过 {limits.rows} 行（第 {number} 行仍有内容或格式）。"
                "请只把名册部分复制到新工作表后再导入。",
            )
        self.last_row = max(self.last_row, number)
        self.scanned += len(cells) if scanned is None else scanned
        if self.scanned > limits.scanned_cells:
            raise refuse(
                self.file_name,
                f"工作表“{self.sheet}”的单元格超过 {limits.scanned_cells} 个（含带格式的空单元格），"
                "不像是一份名册，已拒绝。",
            )
        values: dict[int, Any] = {}
        for column, value in cells:
            if isinstance(value, str):  # control characters dropped only where there are some
                if not value.isprintable():
                    value = strip_control(value)
                if not value or value.isspace():
                    continue
            elif value is None:
                continue
            if column > limits.columns:
                raise refuse(
                    self.file_name,
                    f"工作表“{self.sheet}”第 {number} 行的 {column_label(column)} 列有内容，"
                    f"超出 {limits.columns} 列的上限。请删除多余的列后再导入。",
                )
            values[column] = value
        if self.progress is not None and number % PROGRESS_EVERY == 0:
            self.progress(number, None)
        if not values:
            return
        self.cells += len(values)
        if self.cells > limits.cells:
            raise refuse(
                self.file_name,
                f"工作表“{self.sheet}”有内容的单元格超过 {limits.cells} 个，已拒绝。",
            )
        while len(self.rows) < number - 1:
            self.rows.append(())
        width = max(values)
        self.rows.append(tuple(values.get(c) for c in range(1, width + 1)))

    def finish(self, merges: list[Merge] | None = None) -> SheetRows:
        merges = [m for m in merges or [] if m.first_row <= len(self.rows)]
        rows = self.rows
        for merge in merges:
            if merge.last_row == merge.first_row:
                continue
            top = rows[merge.first_row - 1]
            if len(top) < merge.first_column or is_blank(top[merge.first_column - 1]):
                continue
            value = top[merge.first_column - 1]
            for number in range(merge.first_row + 1, min(merge.last_row, len(rows)) + 1):
                row = list(rows[number - 1])
                row.extend([None] * (merge.first_column - len(row)))
                if is_blank(row[merge.first_column - 1]):
                    row[merge.first_column - 1] = value
                rows[number - 1] = tuple(row)
        return SheetRows(self.sheet, rows, merges)
