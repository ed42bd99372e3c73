"""``desk-league report``: the annual statistics workbook and the summary draft from the command line."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader

from desk_league.cli import main


def test_report_annual_writes_a_workbook_with_a_sheet_per_area(demo_db, tmp_path, capsys):
    out = tmp_path / "2026年度统计.xlsx"
    demo_db.close()  # the command opens the file itself, as the clerk's second window would not
    assert (
        main(["report", "annual", "--db", str(demo_db.path), "--year", "2026", "--out", str(out)])
        == 0
    )
    assert "已导出" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "汇总",
        "计划完成情况",
        "活动统计",
        "志愿服务",
        "志愿者星级",
        "荣誉统计",
        "团组织与换届",
        "信息报送",
    ]
    activities = book["活动统计"]
    assert activities["A1"].value == "2026年度活动开展情况统计表（按类别、月份）"
    assert activities.freeze_panes == "A4"


def test_report_summary_writes_the_draft_as_pdf_or_text(demo_db, tmp_path):
    demo_db.close()
    pdf, txt = tmp_path / "总结.pdf", tmp_path / "总结.txt"
    for out in (pdf, txt):
        assert (
            main(
                [
                    "report",
                    "summary",
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
    text = txt.read_text(encoding="utf-8")
    assert text.startswith("市卫生健康委团委2026年度工作总结")
    assert "2026年度工作总结" in PdfReader(pdf).pages[0].extract_text().replace("\n", "")


def test_report_summary_saved_says_when_there_is_no_saved_draft(demo_db, tmp_path, capsys):
    demo_db.close()
    code = main(
        [
            "report",
            "summary",
            "--db",
            str(demo_db.path),
            "--year",
            "2026",
            "--saved",
            "--out",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert code == 1
    assert "没有保存过2026年度工作总结的草稿" in capsys.readouterr().err


def test_report_summary_refuses_other_file_types(demo_db, tmp_path, capsys):
    demo_db.close()
    code = main(["report", "summary", "--db", str(demo_db.path), "--out", str(tmp_path / "x.docx")])
    assert code == 1 and ".pdf 或 .txt" in capsys.readouterr().err
