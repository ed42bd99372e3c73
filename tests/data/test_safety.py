"""Safety at the edges: odd folder names, files the clerk cannot read or write, empty and
half-upgraded databases, leftovers of crashes, who may read the files, what a start writes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_league.cli import main
from desk_league.data import migrate
from desk_league.data.backup import backup_infos, list_backups
from desk_league.data.db import open_database
from desk_league.data.lock import InstanceLock
from desk_league.data.models import Organisation
from desk_league.data.paths import backups_dir, work_dir
from desk_league.data.sqlite_files import fingerprint
from desk_league.data.storage import SqliteStorage
from desk_league.errors import (
    DatabaseDamaged,
    DatabaseEmpty,
    DatabaseUnavailable,
    DeskLeagueError,
)
from desk_league.services.maintenance import backup_to_file, restore_from_file
from desk_league.services.organisations import OrganisationInput, create_organisation
from tests.data._schema import at_revision, index_names, revision_of, table_counts

POSIX = sys.platform != "win32"
FOLDER_NAMES = ["团委 #1", "what?", "100%", "a%20b", "我的 文档", "x#?%20 中 文"]
if not POSIX:  # Windows refuses ? in file names
    FOLDER_NAMES = [n for n in FOLDER_NAMES if "?" not in n]


def _office(path: Path, *names: str) -> None:
    db = open_database(path)
    with db.transaction() as session:
        for name in names:
            create_organisation(session, OrganisationInput(name=name))
    db.close()


def _organisations(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = [n for (n,) in conn.execute("SELECT name FROM organisation ORDER BY id")]
    conn.close()
    return rows


# --- folder names ----------------------------------------------------------------------------


@pytest.mark.parametrize("folder_name", FOLDER_NAMES)
def test_an_office_folder_named_with_hash_question_mark_percent_space_or_chinese_works(
    tmp_path, folder_name, capsys
):
    folder = tmp_path / folder_name
    path = folder / "office.db"
    _office(path, "市人民医院团委")
    _office(path, "市妇幼保健院团支部")  # a second start: the start backup of the first

    (start_backup,) = list_backups(path)
    assert _organisations(start_backup) == ["市人民医院团委"]

    usb = backup_to_file(path, tmp_path / "U盘" / "备份.zip")
    with zipfile.ZipFile(usb) as archive:
        (tmp_path / "unzipped.db").write_bytes(archive.read("desk_league.db"))
    assert _organisations(tmp_path / "unzipped.db") == ["市人民医院团委", "市妇幼保健院团支部"]

    assert main(["check", "--full", "--db", str(path)]) == 0
    assert "完整检查：通过" in capsys.readouterr().out

    db = open_database(path)
    with db.transaction() as session:
        session.add(Organisation(name="误录入", kind="团支部"))
    assert restore_from_file(db, usb).added == 0
    with db.reading() as session:
        names = session.scalars(select(Organisation.name).order_by(Organisation.id)).all()
    db.close()
    assert names == ["市人民医院团委", "市妇幼保健院团支部"]
    # nothing was made beside the folder (the old URI opened a stray file there)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder_name, "U盘", "unzipped.db"])


# --- access is not damage --------------------------------------------------------------------

_OPEN_AS_CLERK = """
import json, sys
from pathlib import Path
from desk_league.data.db import open_database
try:
    open_database(Path(sys.argv[1])).close()
    print(json.dumps({"error": None}))
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}, ensure_ascii=False))
"""


def _as_clerk_who_lacks_rights() -> tuple[list[str], dict[str, str], object]:
    """Command prefix, environment and pre-exec step that run Python as a user without special
    rights: ``nobody`` when the tests run as root (root may read and write anything)."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *sys.path[1:]])}
    if os.geteuid() != 0:
        return [sys.executable], env, None
    import pwd

    nobody = pwd.getpwnam("nobody")

    def drop() -> None:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    # this interpreter may live under root's home, which nobody cannot enter
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in [sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin")]:
        if python and _runs(python, env, drop):
            return [python], env, drop
    pytest.skip(f"no {version} that an unprivileged user can run with this project's packages")


def _runs(python: str, env: dict[str, str], drop) -> bool:
    try:
        probe = subprocess.run(
            [python, "-c", "import sqlalchemy, desk_league"],
            env=env,
            preexec_fn=drop,  # noqa: PLW1509 - POSIX only
            capture_output=True,
        )
    except OSError:
        return False
    return probe.returncode == 0


@pytest.fixture
def open_folder():
    """A folder every user may enter (pytest's own are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="desk-league-access-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        with contextlib.suppress(OSError):
            path.chmod(0o777)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
@pytest.mark.parametrize(
    ("file_mode", "folder_mode", "says"),
    [
        (0o200, 0o777, "没有读取它的权限"),
        (0o444, 0o777, "是只读的"),
        (0o666, 0o555, "无法在数据库所在的文件夹"),
    ],
    ids=["unreadable file", "read-only file", "unwritable folder"],
)
def test_a_file_the_clerk_may_not_use_is_explained_never_called_damaged_and_left_alone(
    open_folder, file_mode, folder_mode, says
):
    folder = open_folder / "数据"
    path = folder / "office.db"
    _office(path, "市人民医院团委")
    _office(path)  # a backup exists, so a wrong diagnosis would have offered to restore
    before = path.read_bytes()
    for inside in folder.rglob("*"):
        inside.chmod(0o777 if inside.is_dir() else 0o666)
    path.chmod(file_mode)
    folder.chmod(folder_mode)

    python, env, drop = _as_clerk_who_lacks_rights()
    env.update(HOME=str(open_folder), XDG_DATA_HOME=str(open_folder))
    opened = subprocess.run(
        [*python, "-c", _OPEN_AS_CLERK, str(path)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=drop,  # noqa: PLW1509 - POSIX only
    )
    checked = subprocess.run(
        [*python, "-m", "desk_league.cli", "check", "--db", str(path)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=drop,  # noqa: PLW1509
    )

    folder.chmod(0o777)
    path.chmod(0o666)
    outcome = json.loads(opened.stdout)
    assert outcome["error"] == "DatabaseUnavailable", opened.stderr
    assert says in outcome["message"] and "损坏" not in outcome["message"].replace("没有损坏", "")
    assert path.read_bytes() == before
    assert not list(folder.glob("office.db.*damaged*"))
    if file_mode == 0o200:  # check only reads: the other two cases read fine
        assert checked.returncode == 1 and "没有读取它的权限" in checked.stderr
    assert "Traceback" not in checked.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB disk of its own (tmpfs; needs root on Linux)."""
    if not POSIX or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small disk needs root on Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_named_as_such(small_disk):
    path = small_disk / "office.db"
    _office(path, "市人民医院团委")
    # unbuffered: a write the full disk refused leaves nothing behind for close() to retry
    with (small_disk / "filler").open("wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
    with pytest.raises(DatabaseUnavailable, match="磁盘空间不足"):
        open_database(path)
    (small_disk / "filler").unlink()
    assert _organisations(path) == ["市人民医院团委"]


def test_a_read_only_disk_is_named_as_such(small_disk):
    path = small_disk / "office.db"
    _office(path, "市人民医院团委")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(DatabaseUnavailable, match="只读"):
        open_database(path)


# --- empty, damaged, half upgraded ----------------------------------------------------------


def test_a_zero_byte_database_is_called_empty_and_check_leaves_it_as_it_is(tmp_path, capsys):
    path = tmp_path / "office.db"
    path.touch()
    with pytest.raises(DatabaseEmpty, match="0 字节"):
        open_database(path)
    assert main(["check", "--db", str(path)]) == 1
    assert "空文件" in capsys.readouterr().err
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.db"]


def test_check_reads_only_and_full_finds_an_index_that_no_longer_matches_its_table(demo_db, capsys):
    path = demo_db.path
    demo_db.close()
    with sqlite3.connect(path) as conn:  # an index whose entries no longer match the rows
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(name)', '(phone)')"
            " WHERE name = 'ix_person_name'"
        )
    conn.close()
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    assert main(["check", "--db", str(path)]) == 0  # the quick check does not look at indexes
    capsys.readouterr()
    assert main(["check", "--full", "--json", "--db", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["integrity"] == "failed"
    assert any("ix_person_name" in p for p in report["problems"])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_restoring_over_a_damaged_database_keeps_its_wal_with_every_committed_row(tmp_path):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    good = SqliteStorage(path).back_up(tmp_path / "good.db")
    writer = (  # commits 51 rows that stay in the -wal: the process dies before a checkpoint
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "for i in range(51):\n"
        '    c.execute("INSERT INTO organisation (kind, name, unit, short_name, contact, phone,'
        " position, note) VALUES ('团支部', ?, '', '', '', '', 0, '')\","
        " (f'团支部{i}',))\n"
        "    c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True)
    assert (tmp_path / "office.db-wal").stat().st_size > 0

    SqliteStorage(path).restore(good, damaged=True)

    kept = tmp_path / "office.db.damaged"
    assert (tmp_path / "office.db.damaged-wal").exists()
    assert len(_organisations(kept)) == 52
    assert _organisations(path) == ["市人民医院团委"]


def test_a_healthy_start_is_never_offered_a_restore_even_with_backups(tmp_path):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    _office(path)
    before = path.read_bytes()
    open_database(path).close()
    assert path.read_bytes() == before and not list(tmp_path.glob("*.damaged*"))


def test_an_upgrade_interrupted_by_an_older_version_is_finished_with_the_data_kept(
    _demo_file, tmp_path
):
    path = at_revision(_demo_file, tmp_path / "office.db")
    counts = table_counts(path)
    with sqlite3.connect(path) as conn:  # what 0002 did on its own before the crash
        conn.execute(
            "CREATE INDEX ix_service_record_volunteer_hours ON service_record "
            "(volunteer_id, status, served_on, hours)"
        )
    conn.close()
    assert revision_of(path) == "0001"

    db = open_database(path)
    db.close()

    assert revision_of(path) == migrate.head_revision()
    after = table_counts(path)  # 0007 fills the member register from the people kept
    assert {table: after[table] for table in counts} == counts
    assert after["league_member"] > 0
    assert {"ix_service_record_volunteer_hours", "ix_service_record_date_id"} <= index_names(path)
    assert [b.reason for b in backup_infos(path)][-1] == "before-upgrade"


def test_a_first_start_interrupted_by_an_older_version_starts_over(tmp_path):
    path = tmp_path / "office.db"
    with sqlite3.connect(path) as conn:  # tables made, the version row never written
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("CREATE TABLE attachment (id INTEGER PRIMARY KEY, file_name VARCHAR)")
        conn.execute("CREATE INDEX ix_attachment_file ON attachment (file_name)")
    conn.close()
    _office(path, "市人民医院团委")
    assert revision_of(path) == migrate.head_revision()
    assert _organisations(path) == ["市人民医院团委"]


def test_a_half_made_table_holding_data_is_not_dropped_but_explained(tmp_path):
    path = tmp_path / "office.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE organisation (id INTEGER PRIMARY KEY, name VARCHAR)")
        conn.execute("INSERT INTO organisation (name) VALUES ('市人民医院团委')")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="被中断"):
        open_database(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DeskLeagueError, match="不是团委工作台的数据库"):
        open_database(path)
    assert path.read_bytes() == before


def test_an_upgrade_that_fails_halfway_leaves_the_schema_as_it_was(
    _demo_file, tmp_path, monkeypatch
):
    from alembic.operations import Operations

    path = at_revision(_demo_file, tmp_path / "office.db")
    indexes = index_names(path)
    made = []
    original = Operations.create_index

    def fail_on_the_second(self, *args, **kwargs):
        made.append(args)
        if len(made) == 2:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_index", fail_on_the_second)
    with pytest.raises(DeskLeagueError):
        open_database(path)
    assert len(made) == 2  # the first index was made, then the upgrade failed
    assert revision_of(path) == "0001" and index_names(path) == indexes


# --- leftovers, who may read, what a start writes ------------------------------------------


def test_a_start_removes_what_killed_backups_and_restores_left_behind(tmp_path):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    (work_dir(path) / "tmpx").mkdir(parents=True)
    (work_dir(path) / "tmpx" / "office.db").write_bytes(b"a copy" * 1000)
    backups_dir(path).mkdir()
    (backups_dir(path) / "office-20261126-080000-000000-start.db.part").write_bytes(b"half")
    (backups_dir(path) / "demo-20261126-080000-000000-start.db.part").write_bytes(b"another's")
    legacy = tmp_path / "tmpab12cd_9"
    legacy.mkdir()
    (legacy / "desk_league.db").write_bytes(b"an old restore's copy")
    (tmp_path / "office.db.restoring").write_bytes(b"an old restore's copy")
    photos = tmp_path / "attachments" / "activity" / "7"
    photos.mkdir(parents=True)
    (photos / ".义诊现场.x1y2.part").write_bytes(b"half a photo")
    (photos / "5e2f_义诊现场.jpg").write_bytes(b"a whole photo")
    notes = tmp_path / "tmpnotes99"  # the clerk's own folder with a similar name
    notes.mkdir()
    (notes / "会议记录.docx").write_bytes(b"mine")

    open_database(path).close()

    assert not (work_dir(path) / "tmpx").exists()
    assert [p.name for p in backups_dir(path).glob("*.part")] == [
        "demo-20261126-080000-000000-start.db.part"  # demo.db's app may be writing it now
    ]
    assert not legacy.exists() and not (tmp_path / "office.db.restoring").exists()
    assert (notes / "会议记录.docx").read_bytes() == b"mine"
    assert [p.name for p in photos.iterdir()] == ["5e2f_义诊现场.jpg"]


@pytest.mark.skipif(not POSIX, reason="Windows gives per-user ACLs to the user's folders")
def test_the_database_its_backups_and_logs_are_readable_by_their_owner_only(tmp_path, capsys):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    db = open_database(path)  # a second start: a start backup
    with db.transaction() as session:  # the -wal holds this until the database closes
        create_organisation(session, OrganisationInput(name="市妇幼保健院团支部"))
    usb = backup_to_file(path, tmp_path / "备份.zip")
    files = [path, tmp_path / "office.db-wal", tmp_path / "office.db-shm", *list_backups(path), usb]
    modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
    db.close()
    out = tmp_path / "名册.xlsx"
    assert main(["export", "organisations", "--db", str(path), "--out", str(out)]) == 0
    from desk_league.logs import current_log_file

    for other in (out, current_log_file()):
        modes[other.name] = stat.S_IMODE(other.stat().st_mode)
    assert {name: mode & 0o077 for name, mode in modes.items()} == {name: 0 for name in modes}


def test_a_start_on_an_unchanged_database_writes_nothing(tmp_path):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    _office(path)
    before = (fingerprint(path), list_backups(path))
    for _ in range(3):
        db = open_database(path)
        with db.transaction() as session:
            session.scalars(select(Organisation)).all()
        db.close()
    assert (fingerprint(path), list_backups(path)) == before


# --- commands that replace or upgrade the file ------------------------------------------


def test_demo_replace_is_refused_while_the_app_has_the_database_open(tmp_path, capsys):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    app = open_database(path)
    try:
        assert main(["demo", "--db", str(path), "--replace"]) == 1
        assert "数据库正被" in capsys.readouterr().err
        with app.reading() as session:
            assert session.scalars(select(Organisation.name)).all() == ["市人民医院团委"]
    finally:
        app.close()
    assert not [b for b in backup_infos(path) if b.reason == "before-demo"]


def test_export_upgrades_an_old_database_only_under_the_lock_and_after_a_backup(
    _demo_file, tmp_path, capsys
):
    path = at_revision(_demo_file, tmp_path / "office.db")
    out = tmp_path / "名册.xlsx"
    with InstanceLock.for_database(path):  # the app of an older version has it open
        assert main(["export", "organisations", "--db", str(path), "--out", str(out)]) == 1
        assert "数据库正被" in capsys.readouterr().err
        assert revision_of(path) == "0001" and not out.exists()
    assert main(["export", "organisations", "--db", str(path), "--out", str(out)]) == 0
    assert revision_of(path) == migrate.head_revision()
    assert [b.reason for b in backup_infos(path)] == ["before-upgrade"]


def test_a_new_database_and_a_restore_leave_no_tmp_folder_beside_it(tmp_path):
    path = tmp_path / "office.db"
    _office(path, "市人民医院团委")
    SqliteStorage(path).restore(SqliteStorage(path).back_up(tmp_path / "saved.db"))
    assert not work_dir(path).exists()


def test_demo_replace_keeps_the_office_data_in_a_backup_first(tmp_path, capsys):
    path = tmp_path / "office.db"
    _office(path, "我们单位自己的团支部")
    assert main(["demo", "--db", str(path), "--replace"]) == 0
    (kept,) = [b for b in backup_infos(path) if b.reason == "before-demo"]
    assert _organisations(kept.path) == ["我们单位自己的团支部"]
    assert "我们单位自己的团支部" not in _organisations(path) and len(_organisations(path)) > 10
