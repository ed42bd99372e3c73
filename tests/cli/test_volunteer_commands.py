"""The volunteer chores from the command line: import, certificates, registers."""

from __future__ import annotations

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_league.cli import main
from desk_league.data.db import open_database
from desk_league.data.models import Volunteer
from tests.imports._rosters import HEADERS, person_row, write_roster


def _volunteers(path) -> int:
    db = open_database(path, lock=False, backup=False)
    try:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(Volunteer))
    finally:
        db.close()


def test_import_with_one_bad_row_exits_non_zero_saves_nothing_and_writes_the_errors(
    demo_db, tmp_path, capsys
):
    path = demo_db.path
    demo_db.close()
    before = _volunteers(path)
    roster = write_roster(tmp_path / "r.xlsx", [person_row(1), person_row(2, **{"手机": "123"})])
    code = main(
        [
            "import",
            "volunteers",
            str(roster),
            "--db",
            str(path),
            "--errors-out",
            str(tmp_path / "e.xlsx"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1 and "第 5 行" in out and "未导入任何内容" in out
    assert _volunteers(path) == before
    assert load_workbook(tmp_path / "e.xlsx").worksheets[0].cell(4, 1).value == 5


def test_import_dry_run_checks_without_saving_then_import_saves(demo_db, tmp_path, capsys):
    path = demo_db.path
    demo_db.close()
    before = _volunteers(path)
    roster = write_roster(tmp_path / "r.xlsx", [person_row(1), person_row(2)])
    assert main(["import", "volunteers", str(roster), "--db", str(path), "--dry-run"]) == 0
    assert _volunteers(path) == before
    assert main(["import", "volunteers", str(roster), "--db", str(path)]) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert _volunteers(path) == before + 2


def test_a_gbk_csv_from_a_unit_imports_its_valid_rows_and_leaves_the_rest_beside_it(
    demo_db, tmp_path, capsys
):
    path = demo_db.path
    demo_db.close()
    before = _volunteers(path)
    rows = [person_row(1), person_row(2, **{"手机": "123"}), person_row(3)]
    lines = ["市人民医院青年志愿者名单", ",".join(HEADERS)]
    lines += [",".join(str(row[h]) for h in HEADERS) for row in rows]
    lines += ["合计,3人", "填表人：王芳,,,,审核人：李明"]
    roster = tmp_path / "名单.csv"
    roster.write_bytes("\r\n".join(lines).encode("gbk"))
    code = main(["import", "volunteers", str(roster), "--db", str(path), "--valid-only"])
    out = capsys.readouterr().out
    assert code == 0 and "新增 2 条" in out and "有错误未导入 1 行" in out
    assert "第 6 行是“合计”行，已跳过" in out
    assert _volunteers(path) == before + 2
    rejected = load_workbook(tmp_path / "名单_未导入.xlsx")["未导入的行"]
    assert rejected.cell(4, 2).value == "志愿者2"


def test_certificates_service_and_registers(demo_db, tmp_path, capsys):
    path = demo_db.path
    with demo_db.reading() as session:
        number = session.scalar(select(Volunteer.number).order_by(Volunteer.id).limit(1))
    demo_db.close()
    pdf = tmp_path / "证明.pdf"
    assert (
        main(
            [
                "certificates",
                "service",
                "--db",
                str(path),
                "--volunteer",
                number,
                "--from",
                "2020-01-01",
                "--to",
                "2026年11月26日",
                "--out",
                str(pdf),
            ]
        )
        == 0
    )
    assert number in PdfReader(pdf).pages[0].extract_text()
    assert main(["export", "volunteers", "--db", str(path), "--out", str(tmp_path / "v.xlsx")]) == 0
    assert (
        main(
            [
                "export",
                "hours",
                "--db",
                str(path),
                "--year",
                "2026",
                "--out",
                str(tmp_path / "h.xlsx"),
            ]
        )
        == 0
    )
    assert load_workbook(tmp_path / "h.xlsx").sheetnames == ["按志愿者", "按单位", "不足20小时"]
    assert (
        main(
            [
                "certificates",
                "service",
                "--db",
                str(path),
                "--volunteer",
                "WJ-NONE",
                "--from",
                "2020-01-01",
                "--to",
                "2026-11-26",
                "--out",
                str(pdf),
            ]
        )
        == 1
    )
    assert "找不到志愿者" in capsys.readouterr().err
