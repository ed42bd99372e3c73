"""The one family of errors the services raise: each message is something a clerk can act on."""

from __future__ import annotations


class DeskLeagueError(Exception):
    """Base of every error the application reports to the user."""


class ValidationError(DeskLeagueError):
    """Input that breaks a rule. ``row``/``column`` locate it in an imported file, ``field`` in a form."""

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = reason
        self.field = field
        self.row = row
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        elif self.field:
            where.append(f"“{self.field}”")
        return ("，".join(where) + "：" if where else "") + self.reason


class NotFound(DeskLeagueError):
    """A record the user asked for does not exist (or is in the recycle bin)."""


class Conflict(DeskLeagueError):
    """The change clashes with data already saved (a duplicate number, a locked record)."""


class DatabaseLocked(DeskLeagueError):
    """Another running copy of the program holds this database."""


class DatabaseDamaged(DeskLeagueError):
    """The integrity check failed; the file is left untouched."""


class Cancelled(DeskLeagueError):
    """The user pressed Cancel on a long task; nothing was saved."""
