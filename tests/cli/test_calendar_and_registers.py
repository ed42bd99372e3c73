"""The calendar command and the activity, terms and info-report registers, read back."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl

from desk_league.cli import main


def test_calendar_prints_the_year_with_lunar_rules_resolved(demo_db, capsys):
    assert main(["calendar", "--db", str(demo_db.path), "--year", "2027", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["year"] == 2027
    by_name = {row["name"]: row for row in report["key_dates"]}
    assert by_name["春节"] == {
        "name": "春节",
        "date": "2027-02-06",
        "calendar": "lunar",
        "rule": "农历正月初一",
        "remind_days": 21,
    }
    assert by_name["重阳节（老年节）"]["date"] == "2027-10-08"
    assert main(["calendar", "--db", str(demo_db.path), "--year", "2024"]) == 0
    text = capsys.readouterr().out
    assert "2024-10-11  重阳节（老年节）（农历九月初九）" in text
    assert "2024-02-10  春节（农历正月初一）" in text


def _sheet(path):
    return openpyxl.load_workbook(path).active


def _header_row(sheet) -> int:
    """The header's row: under the title, the office line and any scope notes."""
    return next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")


def test_the_activity_ledger_of_a_year_reads_back(demo_db, tmp_path):
    out = tmp_path / "活动台账.xlsx"
    assert (
        main(
            ["export", "activities", "--db", str(demo_db.path), "--year", "2026", "--out", str(out)]
        )
        == 0
    )
    sheet = _sheet(out)
    assert sheet["A1"].value == "2026年市直卫生系统共青团活动台账"
    assert "只计已完成的活动" in sheet["A3"].value  # the scope of its 合计, under the title
    at = _header_row(sheet)
    header = [c.value for c in sheet[at]]
    assert header[:4] == ["序号", "活动时间", "活动名称", "类别"] and "对应计划事项" in header
    rows = [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=at + 1)
        if isinstance(row[0].value, int)
    ]
    assert len(rows) == 14
    assert all(row[2].startswith("2026年") for row in rows)
    lei_feng = next(row for row in rows if "学雷锋" in row[2])
    assert lei_feng[1] == "2026-03-05" and lei_feng[8].startswith("学雷锋纪念日")
    assert "学雷锋" in lei_feng[9]  # the plan task it carries out
    lines = {
        row[0].value: row[7].value
        for row in sheet.iter_rows(min_row=at + 1)
        if isinstance(row[0].value, str)
    }
    held = [row for row in rows if row[11] == "已完成"]
    planned = [row for row in rows if row[11] == "计划中"]
    assert held and planned
    assert lines[f"合计（已完成，{len(held)}项）"] == sum(row[7] for row in held)
    assert lines[f"计划中{len(planned)}项（不计入合计）"] == sum(row[7] for row in planned)


def test_the_terms_table_reads_back_with_states_and_reminders(demo_db, tmp_path):
    out = tmp_path / "换届.xlsx"
    assert main(["export", "terms", "--db", str(demo_db.path), "--out", str(out)]) == 0
    sheet = _sheet(out)
    assert sheet["A1"].value == "市直卫生系统团组织换届情况表"
    assert [c.value for c in sheet[3]][8:11] == ["换届状态", "提醒事项", "下次提醒"]
    data = [row for row in sheet.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert len(data) == 40
    states = {row[8].value for row in data}
    assert {"已超期", "未填写换届时间"} <= states
    dated = [row for row in data if row[7].value]
    assert isinstance(dated[0][7].value, datetime)  # 届满日期 is a real date


def test_the_info_report_tally_reads_back_with_totals(demo_db, tmp_path):
    out = tmp_path / "信息报送.xlsx"
    assert (
        main(
            [
                "export",
                "info-reports",
                "--db",
                str(demo_db.path),
                "--year",
                "2026",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    sheet = _sheet(out)
    assert sheet["A1"].value == "2026年市直卫生系统团内信息报送情况统计表"
    at = _header_row(sheet)
    header = [c.value for c in sheet[at]]
    total_col, adopted_col = header.index("报送总数"), header.index("被采用数")
    data = [row for row in sheet.iter_rows(min_row=at + 1) if isinstance(row[0].value, int)]
    assert data and all(row[total_col].value >= row[adopted_col].value for row in data)
    silent = [row for row in data if row[total_col].value == 0]
    assert silent, "a unit that reported nothing is listed with its zero"
    totals = next(
        row for row in sheet.iter_rows(min_row=at + 1) if "合计" in {row[0].value, row[1].value}
    )
    assert totals[total_col].value == sum(row[total_col].value for row in data)
