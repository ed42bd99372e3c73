"""The command line a clerk or an administrator uses: demo, check, backup, export, screenshot."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest

from desk_league import __version__
from desk_league.cli import main


def run(*args: str) -> int:
    return main(list(args))


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as done:
        run("--version")
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_then_check_reports_counts_and_current_schema(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert run("demo", "--db", str(db)) == 0
    capsys.readouterr()
    assert run("check", "--db", str(db), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["integrity"] == "ok" and report["schema_current"]
    assert report["counts"]["团组织"] >= 20
    assert report["counts"]["志愿者"] == 200
    assert report["counts"]["志愿服务记录"] == 2000


def test_the_database_may_be_named_before_the_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "default"))  # where it must NOT go
    db = tmp_path / "named.db"
    assert run("--db", str(db), "demo") == 0
    assert db.exists()
    capsys.readouterr()
    assert run("--db", str(db), "check", "--json") == 0
    assert json.loads(capsys.readouterr().out)["counts"]["志愿者"] == 200
    assert not (tmp_path / "default").exists() or not any((tmp_path / "default").rglob("*.db"))


def test_demo_refuses_to_overwrite_an_existing_database(tmp_path, capsys):
    db = tmp_path / "office.db"
    assert run("demo", "--db", str(db)) == 0
    assert run("demo", "--db", str(db)) == 1
    assert "--replace" in capsys.readouterr().err


def test_check_on_a_missing_file_says_so(tmp_path, capsys):
    assert run("check", "--db", str(tmp_path / "nope.db")) == 1
    assert "不存在" in capsys.readouterr().err


def test_check_on_a_damaged_file_says_so_without_a_traceback(tmp_path, capsys):
    db = tmp_path / "broken.db"
    db.write_bytes(b"not a database at all" * 200)
    assert run("check", "--db", str(db)) == 1
    err = capsys.readouterr().err
    assert "已损坏" in err and "Traceback" not in err


def test_an_unexpected_error_is_one_chinese_sentence_and_the_traceback_goes_to_the_log(
    tmp_path, capsys, monkeypatch
):
    from desk_league.cli import core
    from desk_league.logs import current_log_file

    def broken(_args):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(core, "run_check", broken)
    assert run("check", "--db", str(tmp_path / "office.db")) == 1
    err = capsys.readouterr().err
    assert "程序遇到意外问题" in err and str(current_log_file()) in err
    assert "Traceback" not in err and "RuntimeError" not in err
    logged = current_log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "something nobody foresaw" in logged


def test_a_file_error_names_the_file_in_chinese(tmp_path, capsys, monkeypatch):
    from desk_league.cli import core

    def denied(_args):
        raise PermissionError(13, "Permission denied", str(tmp_path / "名册.xlsx"))

    monkeypatch.setattr(core, "run_check", denied)
    assert run("check", "--db", str(tmp_path / "office.db")) == 1
    err = capsys.readouterr().err
    assert "名册.xlsx" in err and "没有访问权限" in err and "Permission" not in err


def test_backup_to_a_chosen_file_is_a_working_database(tmp_path, capsys):
    db, copy = tmp_path / "office.db", tmp_path / "copy" / "backup.db"
    run("demo", "--db", str(db))
    assert run("backup", "--db", str(db), "--to", str(copy)) == 0
    capsys.readouterr()
    assert run("check", "--db", str(copy), "--json") == 0
    assert json.loads(capsys.readouterr().out)["counts"]["志愿者"] == 200


def test_backup_to_a_zip_carries_the_database_and_the_attachments(tmp_path, capsys):
    import zipfile

    db = tmp_path / "office.db"
    run("demo", "--db", str(db))
    photo = tmp_path / "attachments" / "activity" / "1" / "合影.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 photo")
    assert run("backup", "--db", str(db), "--to", str(tmp_path / "out" / "备份.zip")) == 0
    with zipfile.ZipFile(tmp_path / "out" / "备份.zip") as archive:
        assert set(archive.namelist()) == {"desk_league.db", "attachments/activity/1/合影.jpg"}
    assert "备份.zip" in capsys.readouterr().out


def test_organisations_register_reads_back_as_the_office_format(demo_db, tmp_path):
    out = tmp_path / "团组织.xlsx"
    assert run("export", "organisations", "--db", str(demo_db.path), "--out", str(out)) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "市直卫生系统团组织名册及换届情况表"
    assert "A1:L1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]][:3] == ["团组织名称", "类别", "所在单位"]
    assert sheet.freeze_panes == "A4"
    names = [row[0].value for row in sheet.iter_rows(min_row=4)]
    assert "市人民医院团委" in names and "市人民医院内科团支部" in names
    first = list(sheet.iter_rows(min_row=4, max_row=4))[0]
    assert isinstance(first[8].value, datetime)  # 本届起始 is a real date
    states = {row[11].value for row in sheet.iter_rows(min_row=4) if row[11].value}
    assert {"已超期", "未填写换届时间"} <= states


def test_the_command_runs_as_a_module_with_chinese_output(tmp_path):
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "desk_league.cli", "demo", "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert "演示数据库已生成" in result.stdout


def test_screenshot_writes_one_png_per_tab(demo_db, tmp_path, qapp):
    out = tmp_path / "shots"
    demo_db.close()  # the screenshot command opens the file itself
    assert run("screenshot", "--db", str(demo_db.path), "--out", str(out)) == 0
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 6
    assert all(p.stat().st_size > 10_000 for p in shots)


def test_demo_dates_follow_the_day_it_is_built(demo_db):
    from sqlalchemy import func, select

    from desk_league.data.models import Plan

    with demo_db.reading() as session:
        assert session.scalar(select(func.max(Plan.year))) == 2026 == date(2026, 11, 26).year
