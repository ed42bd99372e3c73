"""``desk-league import plan`` and ``desk-league export plan`` as the clerk types them."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from desk_league.cli import main
from desk_league.data.db import open_database
from desk_league.services import plan_tree

SEED = Path(__file__).parents[1] / "data" / "seed_plan.txt"


def test_dry_run_json_prints_the_recognised_tree_and_saves_nothing(db_path, capsys):
    code = main(
        ["import", "plan", str(SEED), "--year", "2026", "--dry-run", "--json", "--db", str(db_path)]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "卫生局团委的工作计划"
    assert "一个中心" in printed["approach"]
    sections = [i for i in printed["items"] if i["level"] == 1]
    assert [s["number"] for s in sections[:5]] == ["一、", "二、", "三、", "四、", "五、"]
    tasks = [i for i in printed["items"] if i["level"] == 2 and not i["proposed"]]
    assert len(tasks) == 10 and tasks[0]["title"] == "继续把团建创新作为重点抓好"
    volunteers = [i for i in printed["items"] if i["proposed"] and i["time_node"]]
    assert {"学雷锋纪念日·中国青年志愿者服务日", "国际志愿者日"} <= {
        i["key_date"] for i in volunteers
    }
    assert {"level", "number", "title", "body"} <= set(tasks[0])
    assert not db_path.exists()


def test_import_then_export_register_and_pdf(db_path, tmp_path, capsys):
    assert main(["import", "plan", str(SEED), "--year", "2026", "--db", str(db_path)]) == 0
    assert "已导入 2026年工作计划" in capsys.readouterr().out
    xlsx, pdf = tmp_path / "推进表.xlsx", tmp_path / "计划.pdf"
    assert main(["export", "plan", "--year", "2026", "--out", str(xlsx), "--db", str(db_path)]) == 0
    assert main(["export", "plan", "--year", "2026", "--out", str(pdf), "--db", str(db_path)]) == 0
    sheet = load_workbook(xlsx).worksheets[0]
    assert sheet["A4"].value == "一、继续巩固团员青年思想道德基础"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    assert "突出“十项工作”" in text


def test_a_second_import_for_the_year_is_refused_and_says_how_to_replace(db_path, capsys):
    main(["import", "plan", str(SEED), "--year", "2026", "--db", str(db_path)])
    capsys.readouterr()
    assert main(["import", "plan", str(SEED), "--year", "2026", "--db", str(db_path)]) == 1
    assert "--replace" in capsys.readouterr().err


def test_a_garbage_file_is_refused_with_a_message_and_nothing_saved(db_path, tmp_path, capsys):
    junk = tmp_path / "购物清单.txt"
    junk.write_text("鸡蛋\n牛奶\n面包\n", encoding="utf-8")
    assert main(["import", "plan", str(junk), "--year", "2026", "--db", str(db_path)]) == 1
    assert "没有识别出任何带编号的标题" in capsys.readouterr().err
    if db_path.exists():
        db = open_database(db_path, lock=False, backup=False)
        with db.reading() as session:
            assert plan_tree.plan_for_year(session, 2026) is None
        db.close()


def test_export_without_a_plan_says_so(db_path, tmp_path, capsys):
    assert (
        main(
            [
                "export",
                "plan",
                "--year",
                "2030",
                "--out",
                str(tmp_path / "x.xlsx"),
                "--db",
                str(db_path),
            ]
        )
        == 1
    )
    assert "2030年还没有工作计划" in capsys.readouterr().err
