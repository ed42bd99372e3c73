"""Backups the clerk carries away (.zip with the photos, or .db) and restoring them."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from desk_league.data.backup import list_backups
from desk_league.data.models import Activity
from desk_league.errors import DeskLeagueError
from desk_league.services.activities import (
    ActivityInput,
    activity_attachments,
    add_attachments,
    create_activity,
)
from desk_league.services.maintenance import backup_now, restore_from_file

pytestmark = (
    pytest.mark.sqlite_only
)  # the file and its photos; on a server: test_server_maintenance

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # stands in for a JPEG


@pytest.fixture
def office(db, tmp_path):
    """An office with one activity and its photo on disk."""
    photo = tmp_path / "义诊现场.jpg"
    photo.write_bytes(PHOTO)
    with db.transaction() as session:
        activity = create_activity(
            session, ActivityInput("卫生下乡义诊", date(2026, 9, 15))
        ).activity
        add_attachments(session, activity.id, [photo], db.attachments_dir)
        return db, activity.id


def _photo_on_disk(db, activity_id):
    with db.reading() as session:
        (file,) = activity_attachments(session, activity_id, db.attachments_dir)
    return file.path


def _rename(db, activity_id, title):
    with db.transaction() as session:
        session.get(Activity, activity_id).title = title


def _title(db, activity_id):
    with db.reading() as session:
        return session.scalar(select(Activity.title).where(Activity.id == activity_id))


def test_a_zip_backup_brings_back_the_data_and_a_lost_photo(office, tmp_path):
    db, activity_id = office
    backup = backup_now(db, tmp_path / "U盘" / "团委工作台备份.zip")
    with zipfile.ZipFile(backup) as archive:
        names = archive.namelist()
        assert "desk_league.db" in names
        (photo_name,) = [n for n in names if n.startswith("attachments/")]
        assert archive.read(photo_name) == PHOTO

    photo = _photo_on_disk(db, activity_id)
    photo.unlink()  # the PC's disk lost it
    _rename(db, activity_id, "改错了的标题")
    restored_before = len(list_backups(db.path))

    assert restore_from_file(db, backup).added == 1
    assert _title(db, activity_id) == "卫生下乡义诊"
    assert photo.read_bytes() == PHOTO
    assert len(list_backups(db.path)) == restored_before + 1  # the replaced data was kept first


def test_restoring_never_overwrites_a_photo_the_office_already_has(office, tmp_path):
    db, activity_id = office
    backup = backup_now(db, tmp_path / "备份.zip")
    photo = _photo_on_disk(db, activity_id)
    photo.write_bytes(b"edited since")
    assert restore_from_file(db, backup).added == 0
    assert photo.read_bytes() == b"edited since"


def test_a_db_backup_is_restored_and_the_chosen_file_is_only_read(office, tmp_path):
    db, activity_id = office
    backup = backup_now(db, tmp_path / "备份.db")
    before = backup.read_bytes()
    _rename(db, activity_id, "改错了的标题")
    assert restore_from_file(db, backup).added == 0
    assert _title(db, activity_id) == "卫生下乡义诊"
    assert backup.read_bytes() == before
    assert not (tmp_path / "备份.db-wal").exists()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda path: path.write_bytes(b"PK\x03\x04 cut off in the middle"), "无法作为备份打开"),
        (
            lambda path: zipfile.ZipFile(path, "w").writestr("readme.txt", "hello"),
            "不是团委工作台的完整备份",
        ),
        (
            lambda path: zipfile.ZipFile(path, "w").writestr("desk_league.db", b"not sqlite" * 100),
            "已损坏",
        ),
    ],
    ids=["broken zip", "no database inside", "damaged database inside"],
)
def test_a_bad_backup_file_is_refused_by_name_and_nothing_changes(office, tmp_path, make, says):
    db, activity_id = office
    _rename(db, activity_id, "现在的标题")
    bad = tmp_path / "坏备份.zip"
    make(bad)
    with pytest.raises(DeskLeagueError, match=says) as refused:
        restore_from_file(db, bad)
    assert "坏备份.zip" in str(refused.value) and "当前数据未被改动" in str(refused.value)
    assert _title(db, activity_id) == "现在的标题"


def test_a_database_from_a_newer_program_is_refused(office, tmp_path):
    db, activity_id = office
    newer = backup_now(db, tmp_path / "新版本.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.close()
    _rename(db, activity_id, "现在的标题")
    with pytest.raises(DeskLeagueError, match="比本程序新"):
        restore_from_file(db, newer)
    assert _title(db, activity_id) == "现在的标题"


def test_names_that_climb_out_of_the_attachments_folder_are_not_written(office, tmp_path):
    db, _ = office
    good = backup_now(db, tmp_path / "好.zip")
    sneaky = tmp_path / "带路径.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(sneaky, "w") as target:
        target.writestr("desk_league.db", source.read("desk_league.db"))
        target.writestr("attachments/../escaped.txt", "should not be here")  # beside the database
    assert restore_from_file(db, sneaky).added == 0
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("*"))


def test_the_zip_is_written_whole_or_not_at_all(office, tmp_path):
    db, _ = office
    target = tmp_path / "备份.zip"
    shutil.rmtree(db.attachments_dir)  # an office without photos still gets a complete backup
    backup_now(db, target)
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["desk_league.db"]
    assert not list(tmp_path.glob("*.part"))


def test_a_zip_with_a_damaged_photo_restores_the_rest_and_names_the_photo_it_could_not(
    office, tmp_path
):
    db, activity_id = office
    backup = backup_now(db, tmp_path / "备份.zip")
    photo = _photo_on_disk(db, activity_id)
    photo.unlink()
    _rename(db, activity_id, "改错了的标题")
    packed = bytearray(backup.read_bytes())  # a scratched USB stick: the photo's bytes changed
    packed[packed.find(PHOTO) + 100] ^= 0xFF
    backup.write_bytes(bytes(packed))

    restored = restore_from_file(db, backup)

    assert (restored.added, restored.missing) == (0, [photo.name])
    assert "1 个附件" in restored.describe() and photo.name in restored.describe()
    assert _title(db, activity_id) == "卫生下乡义诊"  # the database itself came back
    assert not photo.exists()


def test_backups_and_restores_leave_no_copy_in_the_system_temp_folder(
    office, tmp_path, monkeypatch
):
    db, _ = office
    system_tmp = tmp_path / "系统临时文件夹"
    system_tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(system_tmp))
    backup = backup_now(db, tmp_path / "备份.zip")
    restore_from_file(db, backup)
    assert list(system_tmp.iterdir()) == []
    assert not any(db.path.parent.glob("tmp*"))  # nor beside the database
