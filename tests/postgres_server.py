"""A throwaway PostgreSQL server for the tests and the bench: Debian's package, a cluster of its
own in a temporary folder, listening on a Unix socket there only (no TCP port), started once
and stopped at the end. PostgreSQL refuses to run as root: as root, the cluster belongs to the
``postgres`` user and its commands run through ``runuser``.

``PostgresServer.find()`` is None when no PostgreSQL is installed (the tests on it are skipped;
``.ci/run`` installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

SERVER_USER = "postgres"  # the system user that owns the cluster when the tests run as root
# a test server: speed over durability (a crash loses nothing worth keeping)
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "64MB",
}


def _bin_dir() -> Path | None:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=_version)
    return versions[-1].parent if versions else None


def _version(pg_ctl: Path) -> int:
    try:
        return int(pg_ctl.parent.parent.name)
    except ValueError:
        return 0


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="desk-league-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root

    @classmethod
    def find(cls) -> PostgresServer | None:
        bin_dir = _bin_dir()
        if bin_dir is None or not (bin_dir / "initdb").exists():
            return None
        return cls(bin_dir)

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.root)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.root, SERVER_USER, SERVER_USER)
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
        options += f" -c unix_socket_directories='{self.socket_dir}'"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # --- databases ----------------------------------------------------------------------

    def url(self, database: str = "postgres") -> URL:
        return URL.create(
            "postgresql+psycopg",
            username="postgres",
            database=database,
            query={"host": str(self.socket_dir)},
        )

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def create_database(self, template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        for attempt in range(20):  # a template just closed may still count a connection
            try:
                self._admin(f"CREATE DATABASE {name}{copy}")
                return name
            except Exception:  # noqa: BLE001 - "source database is being accessed by other users"
                if attempt == 19:
                    raise
                time.sleep(0.1)
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def rename_database(self, name: str, to: str) -> None:
        self._admin(f"ALTER DATABASE {name} RENAME TO {to}")
