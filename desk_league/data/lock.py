"""One running copy per database: an OS file lock beside the database file.

The operating system drops the lock when its process dies, so a lock left behind by a crash is
simply taken over. The lock file also records who holds it, so the second copy can say so.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from desk_league.errors import DatabaseLocked

# On Windows a locked byte range cannot be read by others: lock a byte far past the holder's note.
_LOCK_OFFSET = 4096


def _try_lock(handle: BinaryIO) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class InstanceLock:
    """Held for as long as the app has the database open."""

    path: Path
    _handle: BinaryIO | None = None

    @classmethod
    def for_database(cls, db_path: Path) -> InstanceLock:
        return cls(db_path.with_name(db_path.name + ".lock"))

    def acquire(self, *, wait: float = 0) -> None:
        """Take the lock; ``wait``: seconds to wait for a holder busy with a moment's work
        (another start building the same new file) before saying who holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open while the app runs
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                handle.close()
                raise DatabaseLocked(self._holder_message())
            time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        note = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "user": getpass.getuser(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        handle.write(json.dumps(note, ensure_ascii=False).encode("utf-8"))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.truncate()
            _unlock(handle)
        finally:
            handle.close()

    def _holder_message(self) -> str:
        try:
            note = json.loads(self.path.read_bytes()[:_LOCK_OFFSET].decode("utf-8"))
            who = f"计算机 {note['host']} 上的用户 {note['user']}（进程 {note['pid']}，{note['since']} 起）"
        except (OSError, ValueError, KeyError):
            who = "另一个程序"
        return f"数据库正被{who}使用。同一数据库同时只能打开一个团委工作台，请先关闭另一个。"

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
