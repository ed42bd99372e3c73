"""The database opens safely: pragmas, migrations, audit lines, locks, damaged files, backups."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text

from desk_league.data import migrate
from desk_league.data.backup import backup_database, list_backups
from desk_league.data.db import open_database
from desk_league.data.lock import InstanceLock
from desk_league.data.models import AuditLog, Base, Organisation
from desk_league.data.storage import SqliteStorage
from desk_league.domain.codes import OrgKind
from desk_league.errors import DatabaseDamaged, DatabaseLocked
from desk_league.services.common import move_to_recycle_bin, recycle_bin, restore_from_recycle_bin
from desk_league.services.organisations import OrganisationInput, create_organisation


def test_every_connection_has_wal_foreign_keys_and_full_sync(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_new_database_is_migrated_to_head_with_every_table(db):
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_reopening_a_migrated_database_changes_nothing(db_path):
    first = open_database(db_path)
    first.close()
    second = open_database(db_path, backup=False)
    assert migrate.current_revision(second.engine) == migrate.head_revision()
    with second.reading() as session:
        versions = session.execute(text("SELECT version_num FROM alembic_version")).all()
    second.close()
    assert versions == [(migrate.head_revision(),)]


def test_migration_from_empty_matches_the_models(db):
    """What Alembic built is what the models describe: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_starting_takes_a_backup_first_unless_nothing_changed(db_path):
    open_database(db_path).close()
    assert list_backups(db_path) == []  # nothing to back up on a new file
    open_database(db_path).close()
    assert len(list_backups(db_path)) == 1
    open_database(db_path).close()
    assert len(list_backups(db_path)) == 1  # unchanged since that backup: nothing written
    db = open_database(db_path)
    with db.transaction() as session:
        create_organisation(session, OrganisationInput(name="市中医院团委"))
    db.close()
    open_database(db_path).close()
    assert len(list_backups(db_path)) == 2


def test_creating_an_organisation_writes_its_audit_line_in_the_same_transaction(db):
    with db.transaction() as session:
        org = create_organisation(session, OrganisationInput(name="市口腔医院团支部"))
        line = session.scalar(
            select(AuditLog).where(AuditLog.table_name == "organisation", AuditLog.row_id == org.id)
        )
        assert line is not None and line.action == "create"
        assert line.changes["name"] == [None, "市口腔医院团支部"]


def test_a_failed_transaction_leaves_neither_the_row_nor_its_audit_line(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        create_organisation(session, OrganisationInput(name="市眼科医院团支部"))
        raise RuntimeError("disk full")
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
        assert (
            session.scalar(select(func.count()).where(AuditLog.table_name == "organisation")) == 0
        )


def test_deleting_moves_to_the_recycle_bin_and_restore_brings_it_back(db):
    with db.transaction() as session:
        org_id = create_organisation(session, OrganisationInput(name="市康复医院团支部")).id
    with db.transaction() as session:
        move_to_recycle_bin(session, session.get(Organisation, org_id))
    with db.reading() as session:
        assert [item["label"] for item in recycle_bin(session)] == ["市康复医院团支部"]
    with db.transaction() as session:
        restore_from_recycle_bin(session, "organisation", org_id)
    with db.reading() as session:
        assert session.get(Organisation, org_id).deleted_at is None
        actions = session.scalars(
            select(AuditLog.action).where(
                AuditLog.table_name == "organisation", AuditLog.row_id == org_id
            )
        ).all()
        assert actions == ["create", "delete", "restore"]


def test_a_second_copy_on_the_same_database_is_refused_and_says_who_holds_it(db, db_path):
    with pytest.raises(DatabaseLocked) as refused:
        open_database(db_path)
    assert str(os.getpid()) in str(refused.value)
    assert "只能打开一个" in str(refused.value)


def test_a_second_process_is_refused_too(db, db_path):
    script = (
        "import sys; from pathlib import Path; from desk_league.data.db import open_database\n"
        "from desk_league.errors import DatabaseLocked\n"
        f"try:\n    open_database(Path({str(db_path)!r}))\nexcept DatabaseLocked as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "数据库正被" in result.stdout


def test_a_lock_left_by_a_crashed_process_is_ignored(db_path):
    lock_file = InstanceLock.for_database(db_path).path
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock_file.write_text(
        json.dumps(
            {"host": "OFFICE-PC", "pid": 999999, "user": "clerk", "since": "2026-01-01T08:00:00"}
        )
    )
    db = open_database(db_path)  # nobody holds the OS lock: the note is stale
    assert json.loads(lock_file.read_text())["pid"] == os.getpid()
    db.close()


def test_a_crashed_holder_process_releases_its_lock(db_path):
    script = (
        "import os; from pathlib import Path; from desk_league.data.db import open_database\n"
        f"open_database(Path({str(db_path)!r}))\nos._exit(9)\n"  # dies without closing
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    open_database(db_path).close()


def test_a_damaged_file_is_detected_and_left_untouched(db_path):
    db = open_database(db_path)
    with db.transaction() as session:
        create_organisation(session, OrganisationInput(name="市中心血站团支部"))
    db.close()
    data = bytearray(db_path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # scribble over the second page
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as damaged:
        open_database(db_path)
    assert str(db_path) in str(damaged.value)
    assert db_path.read_bytes() == bytes(data)


def test_a_file_that_is_not_a_database_is_refused_untouched(db_path):
    db_path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 100)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_restoring_a_backup_brings_back_the_data_and_keeps_the_current_file(db_path, tmp_path):
    db = open_database(db_path)
    with db.transaction() as session:
        create_organisation(
            session, OrganisationInput(name="市肿瘤医院团总支", kind=OrgKind.GENERAL)
        )
    db.close()
    saved = backup_database(db_path, tmp_path / "saved.db")
    db = open_database(db_path, backup=False)
    with db.transaction() as session:
        move_to_recycle_bin(session, session.scalar(select(Organisation)))
        session.add(
            Organisation(kind=OrgKind.BRANCH, name="误录入的团支部", term_start=date(2026, 1, 1))
        )
    db.close()
    SqliteStorage(db_path).restore(saved)
    db = open_database(db_path, backup=False)
    with db.reading() as session:
        names = session.scalars(
            select(Organisation.name).where(Organisation.deleted_at.is_(None))
        ).all()
    db.close()
    assert names == ["市肿瘤医院团总支"]
    assert any("before-restore" in p.name for p in list_backups(db_path))


def test_backups_keep_the_newest_three_and_one_per_doubling_age_never_more_than_thirteen(
    tmp_path,
):
    from datetime import datetime, timedelta

    from desk_league.data.backup import MAX_KEPT, backup_infos, thin_backups

    db_path = tmp_path / "office.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 11, 26, 12, 0)
    # four starts a day for two years, and a before-import copy of a minute ago
    for day in range(730):
        for start in range(4):
            taken = now - timedelta(days=day, hours=1 + start * 2)
            (folder / f"office-{taken:%Y%m%d-%H%M%S-%f}-start.db").write_bytes(b"x")
    (folder / f"office-{now - timedelta(minutes=1):%Y%m%d-%H%M%S-%f}-before-import.db").touch()
    (folder / "other-20261126-080000-000000-start.db").touch()  # another database's: not ours

    thin_backups(db_path, now=now)

    kept = backup_infos(db_path)
    ages = [(now - info.taken_at).total_seconds() / 86400 for info in kept]
    assert len(kept) <= MAX_KEPT < 15
    assert kept[0].reason == "before-import" and len(kept) >= 12
    for low, high in [(1, 2), (2, 4), (4, 8), (8, 16), (16, 32), (32, 64), (64, 128)]:
        assert any(low <= age < high for age in ages), (low, high, ages)
    assert (folder / "other-20261126-080000-000000-start.db").exists()


def test_a_database_from_a_newer_program_is_refused_untouched(db_path):
    open_database(db_path).close()
    db = open_database(db_path, backup=False)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    db.close()
    before = db_path.read_bytes()
    from desk_league.errors import DeskLeagueError

    with pytest.raises(DeskLeagueError) as refused:
        open_database(db_path, backup=False)
    assert "0099" in str(refused.value) and "更新版本" in str(refused.value)
    assert db_path.read_bytes() == before


def test_the_head_read_from_the_revision_files_is_alembics_own():
    """A start on a database at head loads no Alembic: the two ways of reading the head agree."""
    from alembic.script import ScriptDirectory

    alembic_head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate._head_of_files() == alembic_head == migrate.head_revision()


def test_opening_a_database_at_head_loads_no_alembic(tmp_path):
    path = tmp_path / "office.db"
    open_database(path).close()
    script = (
        "import sys; from pathlib import Path; from desk_league.data.db import open_database; "
        f"open_database(Path({str(path)!r})).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
