"""Reading exported files back, as the clerk's Excel would."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

ID_NUMBER = "110105199003071234"


def read_back(path: Path) -> Worksheet:
    """The first sheet of an exported workbook, opened the way Excel users' tools open it."""
    return load_workbook(path).worksheets[0]


def leftovers(folder: Path) -> list[str]:
    """Temporary files an export might have left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))
