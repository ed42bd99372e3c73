"""Atomic file output shared by every export: the target appears whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desk_league.errors import DeskLeagueError

# Why a write failed, in words a clerk can act on.
_REASONS = {
    errno.ENOENT: "文件夹不存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘为只读",
    errno.EISDIR: "已有同名文件夹",
}
_LOCKED_HINT = "（文件可能正在 Excel 中打开）"


def _read_umask() -> int:
    # There is no way to read the umask without setting it; done once, at import.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes owner-only files; the finished export should get the usual permissions.
_NEW_FILE_MODE = 0o666 & ~_read_umask()


def unwritable(path: Path, exc: OSError) -> DeskLeagueError:
    """The error shown when ``path`` cannot be written, e.g. it is open in Excel on Windows."""
    if isinstance(exc, PermissionError):
        # Windows reports a file held open by Excel or a PDF viewer as "access denied".
        return DeskLeagueError(f"无法写入文件 {path}：文件被占用或没有写入权限{_LOCKED_HINT}")
    if exc.errno in _REASONS:
        return DeskLeagueError(f"无法写入文件 {path}：{_REASONS[exc.errno]}")
    return DeskLeagueError(f"无法写入文件 {path}：{exc.strerror or exc}{_LOCKED_HINT}")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only if the body succeeds.

    The temporary file is made on entry so a missing folder fails before a long export starts.
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
    with contextlib.suppress(OSError):  # best effort; Windows ignores it anyway
        os.chmod(temp, _NEW_FILE_MODE)
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
