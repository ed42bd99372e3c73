"""An office on a PostgreSQL server, run from the command line as its administrator would: the
demo on an empty database, an honest check, backups that restore (onto the server, and onto a
PC's file), a restore refused while another PC has the database open, connection errors that
name the server and the cause."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select

from desk_league.cli import main
from desk_league.data.db import open_database
from desk_league.data.models import Organisation


def run(*args: str) -> int:
    return main(list(args))


def _organisations(db) -> list[str]:
    with db.reading() as session:
        return sorted(session.scalars(select(Organisation.name)))


def _rename_first_organisation(where: str, name: str) -> None:
    """Another PC's change: ``where`` a server address or a file."""
    db = open_database(url=where) if "://" in where else open_database(where)
    with db.transaction() as session:
        session.scalars(select(Organisation).order_by(Organisation.id)).first().name = name
    db.close()


@pytest.fixture
def demo_url(pg_url, capsys) -> str:
    assert run("demo", "--url", pg_url) == 0
    capsys.readouterr()
    return pg_url


def test_demo_is_built_on_an_empty_server_database_and_not_over_an_office(pg_url, capsys):
    assert run("demo", "--url", pg_url) == 0
    assert "演示数据库已生成" in capsys.readouterr().out
    assert run("demo", "--url", pg_url) == 1
    err = capsys.readouterr().err
    assert "已有数据" in err and "--replace" in err


def test_check_on_a_server_says_what_it_checked_and_what_it_could_not(demo_url, capsys):
    assert run("check", "--url", demo_url, "--full") == 0
    out = capsys.readouterr().out
    assert "连接：正常（PostgreSQL" in out and "数据结构：完整" in out
    assert "逐表读取全部记录" in out and "未检查：数据页与索引" in out
    assert "完整性检查：通过" not in out  # nothing claims a check that was not done
    assert run("check", "--url", demo_url, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["server"].startswith("PostgreSQL ") and report["counts"]["志愿者"] == 200
    assert "amcheck" in report["not_checked"]


def test_a_server_backup_restores_onto_the_server(demo_url, tmp_path, capsys):
    saved = tmp_path / "服务器备份.zip"
    assert run("backup", "--url", demo_url, "--to", str(saved)) == 0
    assert "已备份到" in capsys.readouterr().out
    names = zipfile.ZipFile(saved).namelist()
    assert "desk_league.db" in names  # the logical copy restore reads (pg_dump's beside it)
    _rename_first_organisation(demo_url, "改错了的名字")

    assert run("restore", "--url", demo_url, str(saved)) == 0
    assert "已从备份恢复" in capsys.readouterr().out
    db = open_database(url=demo_url)
    try:
        assert "改错了的名字" not in _organisations(db)
        with db.transaction() as session:  # the numbering goes on after the restored rows
            session.add(Organisation(kind="branch", name="恢复后新建的团支部"))
    finally:
        db.close()


def test_a_restore_is_refused_while_another_pc_has_the_server_database_open(
    demo_url, tmp_path, capsys
):
    saved = tmp_path / "备份.db"
    assert run("backup", "--url", demo_url, "--to", str(saved)) == 0
    _rename_first_organisation(demo_url, "另一台电脑刚改的名字")
    other_pc = open_database(url=demo_url)
    try:
        assert run("restore", "--url", demo_url, str(saved)) == 1
        assert "其他电脑上的团委工作台正在使用这个数据库" in capsys.readouterr().err
        assert run("demo", "--url", demo_url, "--replace") == 1
        assert "其他电脑上的团委工作台正在使用" in capsys.readouterr().err
        assert "另一台电脑刚改的名字" in _organisations(other_pc)
    finally:
        other_pc.close()


def test_an_office_moves_from_its_pc_file_to_the_server_and_back(tmp_path, pg_url, capsys):
    office = tmp_path / "office.db"
    assert run("demo", "--db", str(office)) == 0
    _rename_first_organisation(str(office), "本机的团委")
    on_pc = tmp_path / "本机备份.zip"
    assert run("backup", "--db", str(office), "--to", str(on_pc)) == 0

    assert run("restore", "--url", pg_url, str(on_pc)) == 0  # an empty server database
    server = open_database(url=pg_url)
    try:
        assert "本机的团委" in _organisations(server)
    finally:
        server.close()
    from_server = tmp_path / "服务器备份.zip"
    assert run("backup", "--url", pg_url, "--to", str(from_server)) == 0
    elsewhere = tmp_path / "another_pc.db"
    assert run("demo", "--db", str(elsewhere)) == 0
    assert run("restore", "--db", str(elsewhere), str(from_server)) == 0
    back = open_database(elsewhere)
    try:
        assert "本机的团委" in _organisations(back)
    finally:
        back.close()


@pytest.mark.parametrize(
    "address, says",
    [
        ("postgresql://clerk@127.0.0.1:1/desk_league", "服务器拒绝连接"),
        ("postgresql://clerk@no-such-server.invalid/desk_league", "找不到这个服务器名"),
    ],
)
def test_a_server_that_cannot_be_reached_is_named_with_the_cause(address, says, capsys):
    assert run("check", "--url", address) == 1
    err = capsys.readouterr().err
    assert says in err and "desk_league" in err and "Traceback" not in err


def test_a_database_missing_on_the_server_is_named(postgres, capsys):
    address = postgres.url("no_such_db").render_as_string(hide_password=False)
    assert run("check", "--url", address) == 1
    assert "服务器上没有这个数据库" in capsys.readouterr().err
