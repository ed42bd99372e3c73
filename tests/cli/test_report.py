"""``desk-league report``: the annual statistics workbook and the summary draft from the command line."""

from __future__ import annotations

import openpyxl
from docx import Document
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
        "青年文明号",
        "团组织与换届",
        "推优",
        "信息报送",
    ]
    activities = book["活动统计"]
    assert activities["A1"].value == "2026年度活动开展情况统计表（按类别、月份）"
    assert activities["A3"].value.startswith("统计截止：")  # the day the figures stand on
    assert "只计已完成的活动" in activities["A4"].value  # what its 合计 adds up
    assert activities.freeze_panes == "A6"  # under those lines and the header


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


def test_report_summary_of_the_first_half_as_a_word_document(demo_db, tmp_path):
    demo_db.close()
    out = tmp_path / "上半年.docx"
    args = ["report", "summary", "--db", str(demo_db.path), "--year", "2026", "--half"]
    assert main([*args, "--out", str(out)]) == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[0] == "市卫生健康委团委2026年上半年工作总结"
    assert "三、下半年工作思路" in paragraphs


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
    code = main(["report", "summary", "--db", str(demo_db.path), "--out", str(tmp_path / "x.doc")])
    assert code == 1 and ".docx、.pdf 或 .txt" in capsys.readouterr().err
