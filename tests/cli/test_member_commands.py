"""The member register from the command line: import, the three registers, the templates."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desk_league.cli import main
from desk_league.cli.members import TEMPLATE_KINDS
from desk_league.data.db import open_database
from desk_league.data.models import LeagueMember
from tests.imports._rosters import write_roster
from tests.imports.test_member_rosters import MEMBER_HEADERS, member_row


def _members(path) -> int:
    db = open_database(path, lock=False, backup=False)
    try:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(LeagueMember))
    finally:
        db.close()


def test_a_member_list_imports_from_the_command_line_creating_its_branches(db, tmp_path, capsys):
    path = db.path
    db.close()
    rows = [member_row(n, branch="市人民医院急诊科团支部") for n in range(1, 4)]
    roster = write_roster(tmp_path / "团员.xlsx", rows, headers=MEMBER_HEADERS)
    assert main(["import", "members", str(roster), "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert "不在团组织名单中：市人民医院急诊科团支部（加 --create-units 可在导入时新建）" in out
    assert out.count("市人民医院急诊科团支部”不在团组织名单中") == 3 and _members(path) == 0

    assert main(["import", "members", str(roster), "--db", str(path), "--create-units"]) == 0
    out = capsys.readouterr().out
    assert "新建团组织：市人民医院急诊科团支部" in out and "新增 3 条" in out
    assert _members(path) == 3


@pytest.mark.parametrize(
    ("kind", "title"),
    [("members", "共青团员名册"), ("cadres", "团干部名册"), ("tuiyou", "推优入党推荐对象名册")],
)
def test_the_member_registers_export_with_ids_masked_unless_asked(demo_db, tmp_path, kind, title):
    path = demo_db.path
    demo_db.close()
    out = tmp_path / f"{kind}.xlsx"
    args = ["export", kind, "--db", str(path), "--out", str(out)]
    assert main(args + (["--all-years"] if kind == "tuiyou" else [])) == 0
    sheet = load_workbook(out).active
    assert title in sheet["A1"].value
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "序号")
    assert len(rows) > rows.index(header) + 3  # the demo's people are there
    if "身份证号" in header:
        column = header.index("身份证号")
        first = rows[rows.index(header) + 1][column]
        assert "********" in first
        assert main(args + ["--show-ids"]) == 0
        shown = list(load_workbook(out).active.iter_rows(values_only=True))
        assert "*" not in shown[rows.index(header) + 1][column]


@pytest.mark.parametrize("kind", list(TEMPLATE_KINDS))
def test_a_template_for_every_import_kind(demo_db, tmp_path, capsys, kind):
    path = demo_db.path
    demo_db.close()
    out = tmp_path / f"{kind}.xlsx"
    assert main(["template", kind, "--db", str(path), "--out", str(out)]) == 0
    assert "导入模板" in capsys.readouterr().out
    book = load_workbook(out)
    assert "导入模板" in book.worksheets[0]["A1"].value and "选项" in book.sheetnames
