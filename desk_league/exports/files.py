"""Atomic file output shared by every export: the target appears whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desk_league.errors import DeskLeagueError, os_error_reason

_LOCKED_HINT = "（文件可能正在 Excel 中打开）"
_PLAIN_REASONS = {errno.ENOENT, errno.ENOSPC, errno.EROFS, errno.EISDIR}


def unwritable(path: Path, exc: OSError) -> DeskLeagueError:
    """The error shown when ``path`` cannot be written, e.g. it is open in Excel on Windows."""
    if isinstance(exc, PermissionError):
        # Windows reports a file held open by Excel or a PDF viewer as "access denied".
        return DeskLeagueError(f"无法写入文件 {path}：文件被占用或没有写入权限{_LOCKED_HINT}")
    hint = "" if exc.errno in _PLAIN_REASONS else _LOCKED_HINT
    return DeskLeagueError(f"无法写入文件 {path}：{os_error_reason(exc)}{hint}")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only if the body succeeds.

    The temporary file is made on entry so a missing folder fails before a long export starts.
    Like the temporary file, the result is readable by its owner only (0600 on Linux and
    macOS; Windows gives files in the user's folders per-user permissions already): registers
    and backups hold ID numbers and phone numbers.
    Exceptions from the body (a Cancel raised by a progress callback, say) propagate unchanged
    and leave neither the temporary file nor a half-written target behind.
    """
    target = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise unwritable(target, exc) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            yield temp
        except OSError as exc:
            if exc.filename is not None and str(exc.filename) != str(temp):
                raise  # an input file (a seal image, say) is missing: not a write failure
            raise unwritable(target, exc) from exc
        _replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise unwritable(target, exc) from exc
