"""Where the office's files live: the database, its backups and attachments."""

from __future__ import annotations

import os
from pathlib import Path

from desk_league import APP_NAME


def data_dir() -> Path:
    """The per-user data folder (on Windows: %LOCALAPPDATA%\\desk-league)."""
    from platformdirs import user_data_dir  # not at import: ``--version`` needs none of it

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "desk_league.db"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def attachments_dir(db_path: Path) -> Path:
    return db_path.parent / "attachments"


def work_dir(db_path: Path) -> Path:
    """The database's own area for temporary copies (restores, new files, zip snapshots):
    on the same disk, so finished files are moved into place in one step, and emptied at the
    next start, so a crash leaves nothing behind for long."""
    return db_path.parent / f"{db_path.stem}-tmp"


def configured_database_url() -> str | None:
    """A server database shared between PCs, when the office has set one.

    Read from the environment (``DESK_LEAGUE_DATABASE_URL``) or from ``database_url.txt`` in
    the data folder; the database itself cannot hold this setting.
    """
    url = os.environ.get("DESK_LEAGUE_DATABASE_URL", "").strip()
    if url:
        return url
    file = data_dir() / "database_url.txt"
    if file.exists():
        return file.read_text(encoding="utf-8").strip() or None
    return None
