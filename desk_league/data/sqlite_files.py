"""The SQLite file on disk: naming it, reading it without changing it, telling damage from access
problems, and moving it as one with its ``-wal`` and ``-shm``.

Nothing outside ``data/`` knows that the database is a file; ``storage.SqliteStorage`` builds on
these helpers.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

from desk_league.errors import (
    DatabaseDamaged,
    DatabaseEmpty,
    DatabaseUnavailable,
    DeskLeagueError,
    os_error_reason,
)

SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm")  # SQLite's own files beside the database, named after it
MIN_FREE_BYTES = 1_000_000  # below this the disk is called full before anything is written
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700


def companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def file_uri(path: Path) -> str:
    """SQLite's ``file:`` URI for ``path``, every character that means something in a URI
    escaped (# ? % and spaces in a Windows user name, Chinese folder names).

    Built by hand rather than with ``Path.as_uri()``: a Windows network path (\\\\server\\share)
    must become ``file:////server/share/…``, because SQLite refuses a URI naming a host.
    """
    posix = path.resolve().as_posix()
    return "file://" + ("" if posix.startswith("/") else "/") + quote(posix, safe="/:")


def engine_url(path: Path) -> URL:
    """The SQLAlchemy URL of the file, built from parts so no character in the path is parsed."""
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def connect_read_only(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that cannot change the file (it may add an empty -wal/-shm beside it)."""
    return sqlite3.connect(
        f"{file_uri(path)}?mode=ro", uri=True, timeout=timeout, check_same_thread=False
    )


# --- telling damage from access ------------------------------------------------------------


def storage_error(exc: BaseException, path: Path) -> DeskLeagueError | None:
    """The clerk's version of an SQLite or file error met while using ``path``; None when the
    error says nothing about the file (a bug, a constraint), so it is raised as it was."""
    if isinstance(exc, DeskLeagueError):
        return exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    if isinstance(orig, sqlite3.Error):
        exc = orig
    if isinstance(exc, OSError):
        return _os_problem(exc, path)
    if not isinstance(exc, sqlite3.Error):
        return None
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    message = str(exc).lower()
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in message:
        return DatabaseDamaged(
            f"数据库文件 {path} 已损坏或不是团委工作台的数据库（{exc}）。文件未被改动。"
        )
    if code == sqlite3.SQLITE_FULL or "disk is full" in message:
        return _disk_full(path)
    if code == sqlite3.SQLITE_READONLY or "readonly database" in message:
        return _read_only(path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in message:
        return DatabaseUnavailable(
            f"数据库文件 {path} 正被其他程序占用（如另一个团委工作台、同步网盘或杀毒软件），"
            "请稍后重试。数据没有损坏。"
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return DatabaseUnavailable(
            f"无法打开数据库文件 {path}：没有访问权限，或所在文件夹不能写入"
            "（程序需要在数据库旁边写入临时文件）。数据没有损坏；请开通权限后重试。"
        )
    if code == sqlite3.SQLITE_IOERR:
        if _free_space(path.parent) < MIN_FREE_BYTES:  # SQLite says I/O error for some
            return _disk_full(path)
        return DatabaseUnavailable(
            f"读写数据库文件 {path} 时出错（磁盘、U 盘或网络连接出了问题）。"
            "请检查磁盘或网络后重试。"
        )
    return None


def _free_space(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return MIN_FREE_BYTES  # unknown: not called full


def _os_problem(exc: OSError, path: Path) -> DatabaseUnavailable:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _disk_full(path)
    if exc.errno == errno.EROFS:
        return _read_only(path)
    where = Path(exc.filename) if exc.filename else path
    return DatabaseUnavailable(f"无法使用 {where}：{os_error_reason(exc)}。数据没有损坏。")


def _disk_full(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"磁盘空间不足：数据库 {path} 所在的磁盘没有空间写入数据。"
        "请删除不需要的文件或清空回收站后重试；已保存的数据不受影响。"
    )


def _read_only(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"数据库文件 {path} 是只读的（文件设了只读属性，或位于光盘、写保护的 U 盘、只读共享上），"
        "程序无法保存任何修改。请取消只读或把文件复制到本机可写的文件夹后重试。"
    )


def diagnose_for_reading(path: Path) -> None:
    """Raise what is wrong with an existing database file, reading nothing but its header.

    Unreadable is not damaged: only a file that could be read and is not an SQLite database is
    called damaged, so a healthy file is never offered for replacement.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except IsADirectoryError:
        raise DeskLeagueError(f"{path} 是一个文件夹，不是数据库文件。") from None
    except PermissionError:
        raise DatabaseUnavailable(
            f"无法读取数据库文件 {path}：当前用户（{_user()}）没有读取它的权限。"
            "文件本身没有损坏；请让管理员开通这个文件的读写权限后重试。"
        ) from None
    except OSError as exc:
        raise _os_problem(exc, path) from exc
    if not header:
        wal = companion(path, "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # SQLite rebuilds the file from its write-ahead log
        raise DatabaseEmpty(f"数据库文件 {path} 是空文件（0 字节），里面没有任何数据。")
    if header != SQLITE_HEADER:
        raise DatabaseDamaged(
            f"数据库文件 {path} 已损坏或不是团委工作台的数据库（文件开头不是 SQLite 数据库的标记）。"
            "文件未被改动。"
        )


def diagnose_for_writing(path: Path) -> None:
    """Raise when the file (if there) or its folder cannot be written, or the disk is full."""
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except PermissionError:
            raise _read_only(path) from None
        except OSError as exc:
            raise _os_problem(exc, path) from exc
    check_folder_writable(path.parent, path)


def check_folder_writable(folder: Path, database: Path) -> None:
    """Write and remove a small file in ``folder``: SQLite, the lock and the backups need to."""
    try:
        handle, name = tempfile.mkstemp(prefix=".desk-league-probe-", dir=folder)
        try:
            os.write(handle, b"\0" * 4096)
        finally:
            os.close(handle)
            os.unlink(name)
    except PermissionError:
        raise DatabaseUnavailable(
            f"无法在数据库所在的文件夹 {folder} 中创建文件：当前用户（{_user()}）没有写入权限。"
            "程序需要在数据库旁边写入临时文件和备份。数据没有损坏；请开通这个文件夹的写入权限，"
            "或把数据库放到可写的文件夹后重试。"
        ) from None
    except OSError as exc:
        raise _os_problem(exc, database) from exc
    if _free_space(folder) < MIN_FREE_BYTES:
        raise _disk_full(database)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service accounts
        return "?"


# --- creating and moving files -------------------------------------------------------------


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (owner-only where new) and return it."""
    try:
        folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(f"无法创建文件夹 {folder}：{os_error_reason(exc)}。") from exc
    return folder


def private_file(path: Path) -> Path:
    """Create an empty file only its owner can read (0600; Windows gives per-user ACLs)."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY_FILE))
    return path


def fsync_file(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows commits renames itself)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def database_files(path: Path) -> Iterator[Path]:
    """The database and those of its -wal and -shm that exist, companions first."""
    for suffix in COMPANIONS:
        file = companion(path, suffix)
        if file.exists():
            yield file
    if path.exists():
        yield path


def set_aside(path: Path, label: str) -> Path:
    """Rename the database with its -wal and -shm to ``<name>.<label>[N]`` (+ -wal, -shm), so
    the kept copy still opens with every committed row. Companions move first: a crash halfway
    leaves the database where it was, never a database paired with another's log."""
    target = path.with_name(f"{path.name}.{label}")
    n = 1
    while any(f.exists() for f in (target, *(companion(target, s) for s in COMPANIONS))):
        target = path.with_name(f"{path.name}.{label}{n}")
        n += 1
    try:
        for file in database_files(path):
            file.replace(companion(target, file.name[len(path.name) :]))
    except OSError as exc:
        raise DatabaseUnavailable(
            f"无法把数据库文件 {path} 另存为 {target.name}：{os_error_reason(exc)}。"
        ) from exc
    fsync_folder(path.parent)
    return target


def remove_tree(folder: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)


@contextlib.contextmanager
def work_area(db_path: Path) -> Iterator[Path]:
    """A private folder in the database's tmp area (``paths.work_dir``) for copies that are
    moved into place when finished; removed afterwards, and the tmp area with it when empty.
    A crash leaves it to the next start, which empties the tmp area under the lock."""
    from desk_league.data.paths import work_dir

    area = private_folder(work_dir(db_path))
    folder = Path(tempfile.mkdtemp(dir=area))
    try:
        yield folder
    finally:
        remove_tree(folder)
        with contextlib.suppress(OSError):
            area.rmdir()  # only when no other copy is being made there


def fingerprint(path: Path) -> dict[str, int]:
    """Size and modification time of the file and of its -wal: equal fingerprints taken while
    the database is closed mean equal contents (every commit reaches one of the two files)."""
    stat = path.stat()
    wal = companion(path, "-wal")
    wal_stat = wal.stat() if wal.exists() else None
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "wal_size": wal_stat.st_size if wal_stat else 0,
        "wal_mtime_ns": wal_stat.st_mtime_ns if wal_stat and wal_stat.st_size else 0,
    }
