"""The program's log: one rotating file in the data folder, ID numbers masked.

The windowed Windows program has no console, so an unexpected error's traceback would be lost:
``setup_logging`` sends every log record, and every uncaught exception (main thread and other
threads), to ``logs/desk_league.log`` beside the database. The clerk sees a short message; the
log keeps the detail for whoever helps them. Nothing here imports Qt (the GUI adds Qt's own
messages on top, see ``ui/app.py``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "desk_league.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5

# a resident ID (18 characters, or the old 15 digits) standing alone in a text
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")

_log_file: Path | None = None


def mask_ids(text: str) -> str:
    """``text`` with every resident ID number's middle hidden (for logs and error dialogs)."""

    def hide(match: re.Match[str]) -> str:  # keep the first 6 and last 4, as registers print it
        number = match.group()
        return number[:6] + "*" * (len(number) - 10) + number[-4:]

    return _ID_NUMBER.sub(hide, text)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_ids(super().format(record))


class _OwnerOnlyFileHandler(RotatingFileHandler):
    """Log files only their owner can read (0600): the log names people, IDs masked or not."""

    def _open(self):  # type: ignore[override]
        handle = os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        return open(handle, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def log_folder(data_folder: Path) -> Path:
    return data_folder / "logs"


def current_log_file() -> Path | None:
    """The file this process logs to, once ``setup_logging`` has run."""
    return _log_file


def setup_logging(data_folder: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to ``<data_folder>/logs/desk_league.log`` (1 MB × 6 files) and catch uncaught errors.

    Returns the log file, or None when the folder cannot be written (the program still runs;
    records then go to standard error only). Safe to call more than once.
    """
    global _log_file
    root = logging.getLogger()
    root.setLevel(level)
    folder = log_folder(data_folder)
    path = folder / LOG_FILE_NAME
    if _log_file == path:
        return path
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler: logging.Handler = _OwnerOnlyFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.StreamHandler(), None
    handler.setFormatter(
        _MaskingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    for old in [h for h in root.handlers if getattr(h, "_desk_league", False)]:
        root.removeHandler(old)
        old.close()
    handler._desk_league = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _install_hooks()
    _log_file = path
    return path


def _install_hooks() -> None:
    previous_hook = sys.excepthook

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logging.getLogger("desk_league").critical(
                "uncaught exception", exc_info=(kind, value, tb)
            )
        previous_hook(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread else "?"
        logging.getLogger("desk_league").critical(
            "uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    if getattr(sys.excepthook, "_desk_league", False):
        return
    excepthook._desk_league = True  # type: ignore[attr-defined]
    sys.excepthook = excepthook
    threading.excepthook = thread_hook
