"""The one family of errors the services raise: each message is something a clerk can act on."""

from __future__ import annotations

import errno


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


class NeedsConfirmation(Conflict):
    """The change breaks no rule but looks like a mistake (the same service entered twice): the
    service saves it only when called again with the clerk's confirmation."""


class StaleRecord(Conflict):
    """The record was changed (by another PC, or another window) after the form loaded it: the
    save is refused so that neither change is lost; reloading shows the saved version."""

    def __init__(self, what: str = "") -> None:
        self.what = what
        named = f"（{what}）" if what else ""
        super().__init__(
            f"该记录{named}已被其他电脑修改，您的修改没有保存。请重新载入，核对后再保存。"
        )


class BusyRetry(Conflict):
    """Another PC was changing the same records at the same moment; nothing was saved and the
    same action can simply be tried again."""


class DatabaseLocked(DeskLeagueError):
    """Another running copy of the program holds this database."""


class DatabaseDamaged(DeskLeagueError):
    """The integrity check failed; the file is left untouched."""


class DatabaseEmpty(DatabaseDamaged):
    """The database file is there but holds nothing (zero bytes); it is left untouched."""


class DatabaseUnavailable(DeskLeagueError):
    """The database is sound but cannot be used here now: no permission, a read-only disk, a
    full disk, another program holding it. Nothing is damaged; trying again after the cause is
    removed works."""


class Cancelled(DeskLeagueError):
    """The user pressed Cancel on a long task; nothing was saved."""


# Why a file operation failed, in words a clerk can act on.
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "磁盘配额已满",  # not on every platform
    errno.EISDIR: "已有同名文件夹",
    errno.EIO: "磁盘读写出错",
}


def os_error_reason(exc: OSError) -> str:
    """``exc`` as a short Chinese phrase (没有访问权限, 磁盘空间不足 …)."""
    if isinstance(exc, PermissionError):
        return _OS_REASONS[errno.EACCES]
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
