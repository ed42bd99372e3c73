"""Plans as offices have them: prose duties become proposed tasks with their key dates, pasted
text without line breaks, Markdown, Word's automatic numbering, Notepad's encodings."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_league.data.models import KeyDate, Plan, PlanItem
from desk_league.errors import ValidationError
from desk_league.imports.plan_prose import (
    _row_title,
    accept_proposed,
    drop_proposed,
    merge_into_previous,
    read_plan_text,
    resolve_dates,
)
from desk_league.imports.plan_text import read_plan_file
from desk_league.services import plan_import
from tests.imports._plans import (
    MARKDOWN,
    PASTED,
    PROSE,
    automatic_numbering_docx,
    schedule_table_docx,
    table_docx,
)

SEED = Path(__file__).parents[1] / "data" / "seed_plan.txt"
ROOT = Path(__file__).resolve().parents[2]


def _linked(plan, year=2027):
    resolve_dates(plan, plan_import.default_key_date_rules(), year)
    return plan


def _by_title(plan):
    return {item.title: item for item in plan.all_items()}


def test_the_seeds_volunteer_section_yields_tasks_linked_to_their_key_dates():
    plan = _linked(read_plan_text(SEED.read_text(encoding="utf-8")))
    section = next(item for item in plan.items if item.number == "三、")
    tasks = {t.title: t for t in section.children}
    assert all(t.proposed and t.guesses for t in section.children)
    expected = {
        "组织开展“学雷锋”志愿者集中活动": ("学雷锋纪念日·中国青年志愿者服务日", date(2027, 3, 5)),
        "开展保护母亲河志愿者植绿护绿及环境保护活动": ("植树节", date(2027, 3, 12)),
        "开展志愿者服务老年人活动": ("重阳节（老年节）", date(2027, 10, 8)),  # 农历九月初九
        "开展志愿者品牌宣传活动": ("国际志愿者日", date(2027, 12, 5)),
    }
    for title, (key_date, due) in expected.items():
        assert (tasks[title].key_date_name, tasks[title].due_date) == (key_date, due)
    assert tasks["组织开展“学雷锋”志愿者集中活动"].time_node == "3.5青年志愿者服务日前后"
    assert tasks["开展志愿者服务老年人活动"].time_node == "九九老人节期间"
    assert "成立xx市青年志愿者协会卫生分会" in tasks
    assert "卫生下乡、无偿献血" in section.body  # the section keeps its own text
    assert not any("缺少换行" in w for w in plan.warnings)  # its line breaks were there


def test_imported_seed_saves_time_nodes_due_dates_and_key_dates(db):
    plan = read_plan_text(SEED.read_text(encoding="utf-8"))
    with db.transaction() as session:
        plan_import.import_plan(session, plan, 2027)
    with db.reading() as session:
        rows = session.execute(
            select(PlanItem.title, PlanItem.time_node, PlanItem.due_date, KeyDate.name)
            .join(KeyDate, PlanItem.key_date_id == KeyDate.id)
            .where(PlanItem.title == "开展志愿者品牌宣传活动")
        ).one()
    assert tuple(rows) == (
        "开展志愿者品牌宣传活动",
        "12.5国际志愿者日前后",
        date(2027, 12, 5),
        "国际志愿者日",
    )


def test_a_plan_pasted_without_line_breaks_is_split_at_its_numbering():
    plan = _linked(read_plan_text(PASTED))
    assert plan.title == "市第二人民医院团委2027年工作计划" and plan.year == 2027
    assert plan.approach.startswith("为深入学习贯彻")
    assert [i.number + i.title for i in plan.items] == [
        "一、加强思想政治引领",
        "二、深化青年志愿服务",
        "三、加强团的组织建设",
    ]
    titles = _by_title(plan)
    assert titles["举办五四青年节表彰大会"].key_date_name == "五四青年节"
    assert titles["学雷锋志愿服务"].due_date == date(2027, 3, 5)
    assert titles["敬老志愿服务"].key_date_name == "重阳节（老年节）"
    third = plan.items[2].children
    assert [t.number for t in third] == ["1.", "2."]
    assert third[0].time_node == "上半年" and third[0].due_date == date(2027, 6, 30)
    assert any("缺少换行" in w for w in plan.warnings)


def test_markdown_marks_are_read_as_the_headings_they_mark():
    plan = _linked(read_plan_text(MARKDOWN))
    assert plan.title == "2027年市疾病预防控制中心团支部工作要点" and plan.year == 2027
    first, second = plan.items
    assert [c.title for c in first.children] == ["青年大学习", "主题教育"]
    assert "**" not in first.children[0].body and first.children[0].body.startswith("每周")
    assert first.children[1].key_date_name == "建党节"
    assert [c.title for c in second.children] == [
        "第二季度举办流行病学调查技能比武",
        "12月5日参加全市青年志愿服务项目大赛",
    ]
    assert second.children[0].due_date == date(2027, 6, 30)
    assert second.children[1].key_date_name == "国际志愿者日"


def test_prose_duties_of_another_office_become_tasks_with_their_periods():
    plan = _linked(read_plan_text(PROSE))
    assert plan.year == 2027
    service = plan.items[0]
    assert [(t.title, t.time_node, t.due_date) for t in service.children] == [
        ("上半年组织开展无偿献血宣传志愿服务", "上半年", date(2027, 6, 30)),
        ("第三季度举办青年岗位技能比武", "第三季度", date(2027, 9, 30)),
        ("重阳节前后走访慰问退休老职工", "重阳节前后", date(2027, 10, 8)),
        ("全年开展健康教育进社区活动", "全年", date(2027, 12, 31)),
    ]
    assert service.children[2].key_date_name == "重阳节（老年节）"
    assert plan.items[1].children == []  # no action stated: the text stays text


def test_word_automatic_numbering_keeps_the_structure(tmp_path):
    text = read_plan_file(automatic_numbering_docx(tmp_path / "计划.docx"))
    plan = _linked(read_plan_text(text))
    assert plan.title == "市口腔医院团委2027年工作计划"
    first, second = plan.items
    assert (first.number, first.title) == ("一、", "思想引领")
    assert [(c.number, c.title) for c in first.children] == [
        ("（一）", "主题教育"),
        ("（二）", "学习型团组织"),
    ]
    speech = first.children[0].children
    assert [(t.number, t.title) for t in speech] == [
        ("1.", "五四前后举办青年演讲比赛"),
        ("2.", "七一前后组织参观红色教育基地"),
    ]
    assert speech[0].key_date_name == "五四青年节"
    assert (second.number, second.children[0].number) == ("二、", "（一）")
    assert second.children[0].children[0].key_date_name == "重阳节（老年节）"


def test_a_long_title_is_cut_at_a_clause_boundary_never_inside_a_list():
    plan = read_plan_text(
        "市卫生健康委团委关于2027年度共青团工作和青年志愿服务工作的安排意见，请各团组织结合实际认真贯彻落实\n"
        "一、把抓基层、打基础、培养基本工作力量的“三基”工作持续抓好，尤其是加强团干部轮训与培养\n"
    )
    assert plan.title == "市卫生健康委团委关于2027年度共青团工作和青年志愿服务工作的安排意见"
    assert plan.approach.startswith("请各团组织结合实际")
    assert plan.items[0].title == "把抓基层、打基础、培养基本工作力量的“三基”工作持续抓好"
    assert plan.items[0].body.startswith("尤其是")


def test_notepad_unicode_and_control_characters(tmp_path, db):
    path = tmp_path / "计划.txt"
    path.write_bytes("2027年团委工作计划\x00\x1b\n一、思想\x1b[31m引领\n".encode("utf-16"))
    plan = read_plan_text(read_plan_file(path))
    assert plan.title == "2027年团委工作计划" and plan.items[0].title == "思想[31m引领"
    with db.transaction() as session:
        plan_import.import_plan(session, plan, 2027)
    with db.reading() as session:
        title = session.scalar(select(Plan.title))
    assert "\x00" not in title and "\x1b" not in title


def test_the_clerk_accepts_merges_and_drops_proposed_tasks():
    plan = read_plan_text(PROSE)
    service = plan.items[0]
    first, second, third, fourth = service.children
    accept_proposed(first)
    assert not first.proposed and not first.guesses
    merged = merge_into_previous(plan, second)
    assert merged is first and "技能比武" in first.body and len(service.children) == 3
    drop_proposed(plan, fourth)
    assert service.children == [first, third]
    with pytest.raises(ValidationError):
        merge_into_previous(plan, first)


def test_a_word_file_without_a_document_part_gets_a_message(tmp_path):
    path = tmp_path / "计划.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/styles.xml", "<w/>")
    with pytest.raises(ValidationError, match="没有 Word 正文"):
        read_plan_file(path)


def _paragraph_bomb(path: Path) -> Path:
    """About 1 MB on disk: millions of paragraphs inside one document part."""
    head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    chunk = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 10_000
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        part.write(head + b"<w:body>")
        for _ in range(60 * 1024 * 1024 // len(chunk)):
            part.write(chunk)
        part.write(b"</w:body></w:document>")
    return path


_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from desk_league.errors import ValidationError
    from desk_league.imports.plan_text import read_plan_file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        outcome = "read %d characters" % len(read_plan_file(sys.argv[1]))
    except ValidationError as exc:
        outcome = str(exc)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(json.dumps({"seconds": seconds, "mb": (peak - before) / 1024, "peak_mb": peak / 1024,
                      "outcome": outcome}))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory read with the resource module")
def test_a_hostile_word_file_is_refused_in_seconds_and_little_memory(tmp_path):
    path = _paragraph_bomb(tmp_path / "计划.docx")
    assert path.stat().st_size < 2 * 1024 * 1024
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(probe.stdout)
    assert "不像是一份计划" in found["outcome"]
    assert found["seconds"] < 5 and found["mb"] < 200, found


SIGNED = """市人民医院团委2026年工作计划
一、志愿服务
1.学雷锋日组织青年医师到社区义诊。
2.年底前完成团员教育评议工作。

附件：1.2026年重点工作任务分解表
      2.团组织联系人名单

共青团市人民医院委员会
2026年1月15日
"""


def test_the_attachments_and_signature_at_the_end_are_reported_not_read_as_tasks():
    plan = _linked(read_plan_text(SIGNED), 2026)
    last = plan.items[0].children[-1]
    assert [t.number for t in plan.items[0].children] == ["1.", "2."]
    assert last.body == ""
    assert (last.time_node, last.due_date) == ("年底", date(2026, 12, 31))
    left_out = "\n".join(plan.warnings)
    for line in (
        "附件：1.2026年重点工作任务分解表",
        "2.团组织联系人名单",
        "共青团市人民医院委员会",
    ):
        assert line in left_out
    assert "2026年1月15日" in left_out


def test_attachments_printed_after_the_signature_leave_the_attachment_list_out_too():
    plan = read_plan_text(
        "2026年团委工作计划\n一、思想引领\n1.开展主题团日活动。\n2.组织青年理论学习。\n"
        "附件：1.青年文明号名单\n2.志愿者名单\n共青团某某医院委员会\n2026年1月15日\n"
        "附件1\n青年文明号名单\n急诊科\n附件2\n志愿者名单\n张三\n"
    )
    tasks = plan.items[0].children
    assert [(t.title, t.body) for t in tasks] == [
        ("开展主题团日活动", ""),
        ("组织青年理论学习", ""),
    ]
    left_out = "\n".join(plan.warnings)
    for line in ("附件：1.青年文明号名单", "2.志愿者名单", "共青团某某医院委员会", "附件1", "张三"):
        assert line in left_out


def test_the_last_line_of_the_plan_above_the_signature_stays_in_the_plan():
    plan = read_plan_text(
        "2026年团委工作计划\n一、主要任务\n1.开展主题团日活动。\n二、保障措施\n加强组织领导\n"
        "共青团某某医院委员会\n2026年1月15日"
    )
    assert plan.items[1].body == "加强组织领导"
    assert "加强组织领导" not in "\n".join(plan.warnings)


def test_two_units_signing_together_are_both_left_out():
    plan = read_plan_text(
        "2026年工作计划\n一、主要任务\n1.开展主题团日活动。\n"
        "共青团某某市卫生健康委员会\n某某市卫生健康委员会\n2026年1月15日"
    )
    assert plan.items[0].children[-1].body == ""
    assert "某某市卫生健康委员会" in "\n".join(plan.warnings)


@pytest.mark.parametrize(
    ("year", "dragon_boat", "double_ninth"),
    [(2025, date(2025, 5, 31), date(2025, 10, 29)), (2028, date(2028, 5, 28), date(2028, 10, 26))],
)
def test_lunar_festivals_fall_on_their_day_of_the_plans_year(year, dragon_boat, double_ninth):
    plan = _linked(
        read_plan_text(
            f"{year}年市中医院团委工作计划\n一、文体活动\n"
            "1.端午节前后开展中医药文化宣传，发放香囊。\n2.九九重阳节组织敬老义诊。\n"
        ),
        year,
    )
    first, second = plan.items[0].children
    assert (first.time_node, first.due_date) == ("端午节前后", dragon_boat)
    assert (second.time_node, second.due_date, second.key_date_name) == (
        "九九重阳节",
        double_ninth,
        "重阳节（老年节）",
    )


def test_a_word_list_item_starting_with_a_date_keeps_its_number_apart(tmp_path):
    path = automatic_numbering_docx(
        tmp_path / "计划.docx", more=(("爱牙日宣传", 1), ("9月20日全国爱牙日开展口腔健康宣传", 2))
    )
    plan = _linked(read_plan_text(read_plan_file(path)))
    task = plan.items[1].children[-1].children[0]
    assert (task.number, task.title) == ("1.", "9月20日全国爱牙日开展口腔健康宣传")
    assert (task.time_node, task.due_date) == ("9月20日", date(2027, 9, 20))


def test_a_typed_number_glued_to_a_date_is_a_number_not_the_day():
    plan = _linked(read_plan_text("2027年工作计划\n一、志愿服务\n1.9月下旬组织敬老义诊\n"))
    task = plan.items[0].children[0]
    assert (task.number, task.title) == ("1.", "9月下旬组织敬老义诊")
    assert (task.time_node, task.due_date) == ("9月下旬", date(2027, 9, 30))


def test_a_tasks_time_node_is_the_time_word_written_first():
    plan = _linked(
        read_plan_text(
            "2027年机关团委工作要点\n一、思想政治工作\n"
            "（一）开展学习教育。3月中旬召开团员大会；五四前后开展青年理论宣讲。\n"
            "（二）表彰先进。五四前后表彰优秀团员，年底前完成评议。\n"
        )
    )
    study, honours = plan.items[0].children
    assert (study.time_node, study.due_date, study.key_date_name) == (
        "3月中旬",
        date(2027, 3, 20),
        "",
    )
    assert (honours.time_node, honours.key_date_name) == ("五四前后", "五四青年节")


SCHEDULE = """２０２６年市卫生监督所团支部工作计划
一、全年活动安排
１．３月：学雷锋志愿服务活动
２．１０月：重阳节敬老服务
３．９月下旬：重阳节敬老服务
二、其他工作
全年开展健康宣传，五四前后表彰优秀团员。
"""


def test_a_schedule_by_month_keeps_each_line_whole_and_links_the_day_inside_the_month():
    plan = _linked(read_plan_text(SCHEDULE), 2026)
    march, october, late_september = plan.items[0].children
    assert march.title == "３月：学雷锋志愿服务活动"
    assert (march.due_date, march.key_date_name) == (
        date(2026, 3, 5),
        "学雷锋纪念日·中国青年志愿者服务日",
    )
    assert (october.due_date, october.key_date_name) == (date(2026, 10, 18), "重阳节（老年节）")
    assert (late_september.time_node, late_september.due_date) == ("９月下旬", date(2026, 9, 30))
    (praise,) = plan.items[1].children
    assert (praise.time_node, praise.key_date_name) == ("五四前后", "五四青年节")


COUNTED = """2027年市第二人民医院团委工作计划
一、主要任务
（一）思想引领。一是每月开展一次“青年大学习”；二是五四前后举办主题演讲比赛；三是七一前后组织团员重温入团誓词。
（二）团费收缴。按时收缴团费，一是每季度公示一次。
二、志愿服务
全年坚持两项服务：一是学雷锋日开展义诊进社区，二是重阳节前后开展敬老服务。
"""


def test_duties_counted_in_prose_become_one_proposed_task_each():
    plan = _linked(read_plan_text(COUNTED))
    thought, dues = plan.items[0].children
    assert thought.kind == "section"
    assert [(t.number, t.title, t.proposed) for t in thought.children] == [
        ("1、", "每月开展一次“青年大学习”", True),
        ("2、", "五四前后举办主题演讲比赛", True),
        ("3、", "七一前后组织团员重温入团誓词", True),
    ]
    assert thought.children[1].key_date_name == "五四青年节"
    assert (dues.kind, dues.children) == ("task", [])  # one counted duty is not a list of them
    volunteer = plan.items[1].children
    assert [t.title for t in volunteer] == ["学雷锋日开展义诊进社区", "重阳节前后开展敬老服务"]
    assert volunteer[1].key_date_name == "重阳节（老年节）"


def test_dropping_every_counted_duty_leaves_the_item_a_task_again():
    plan = read_plan_text(COUNTED)
    thought = plan.items[0].children[0]
    assert len(thought.children) == 3
    for proposed in list(thought.children):
        drop_proposed(plan, proposed)
    assert (thought.kind, thought.children) == ("task", [])
    assert thought.body.startswith("一是每月开展一次")


def test_days_written_with_a_middle_dot_and_a_word_after_the_day_are_read():
    plan = _linked(
        read_plan_text(
            "2027年市人民医院团委工作计划\n一、岗位建功\n"
            "1.“5·12”前后开展护理技能竞赛。\n2.每年8月19日中国医师节慰问青年医师。\n"
            "3.12月5日前往社区开展志愿服务。\n"
        )
    )
    nurses, doctors, volunteers = plan.items[0].children
    assert (nurses.time_node, nurses.due_date) == ("5·12前后", date(2027, 5, 12))
    assert (doctors.time_node, doctors.due_date) == ("8月19日", date(2027, 8, 19))
    assert (volunteers.time_node, volunteers.key_date_name) == ("12月5日", "国际志愿者日")


def test_a_word_schedule_table_gives_one_line_and_one_proposed_task_per_row(tmp_path):
    text = read_plan_file(schedule_table_docx(tmp_path / "计划.docx"))
    assert "3月5日｜学雷锋志愿服务｜团委" in text.splitlines()
    plan = _linked(read_plan_text(text), 2028)
    rows = plan.items[0].children
    assert [(t.title, t.proposed) for t in rows] == [
        ("学雷锋志愿服务", True),
        ("五四青年节表彰大会", True),
        ("重阳节敬老义诊", True),
    ]
    assert [t.due_date for t in rows] == [date(2028, 3, 5), date(2028, 5, 4), date(2028, 10, 26)]
    assert rows[2].body == "10月｜重阳节敬老义诊｜各团支部"


def test_a_plan_laid_out_inside_a_one_cell_word_table_is_read_paragraph_by_paragraph(tmp_path):
    plan_lines = ["2026年团委工作计划", "一、思想引领", "1.开展主题团日活动", "2.组织青年理论学习"]
    path = table_docx(tmp_path / "计划.docx", ["单位：市卫健委团委"], [[plan_lines]])
    text = read_plan_file(path)
    assert text.splitlines()[1:] == plan_lines
    plan = read_plan_text(text)
    assert [t.title for t in plan.items[0].children] == ["开展主题团日活动", "组织青年理论学习"]


def test_a_table_cell_holding_numbered_tasks_gives_a_task_per_paragraph(tmp_path):
    rows = [
        [["月份"], ["工作内容"]],
        [["3月"], ["1.开展学雷锋志愿服务", "2.召开团员大会"]],
    ]
    path = table_docx(tmp_path / "计划.docx", ["2026年团委工作计划", "一、全年工作安排"], rows)
    text = read_plan_file(path)
    assert "月份｜工作内容" in text.splitlines()
    assert "2.召开团员大会" in text.splitlines()
    titles = [t.title for t in read_plan_text(text).items[0].children]
    assert titles == ["开展学雷锋志愿服务", "召开团员大会"]


def test_a_month_cell_beside_numbered_tasks_gives_its_month_to_each_of_them(tmp_path):
    rows = [
        [["月份"], ["工作内容"]],
        [["3月"], ["1.召开团员大会", "2.组织青年理论学习"]],
        [["6月"], ["1.举办技能比武", "2.开展青年文明号评选"]],
    ]
    path = table_docx(tmp_path / "计划.docx", ["2026年团委工作计划", "一、全年工作安排"], rows)
    plan = _linked(read_plan_text(read_plan_file(path)), 2026)
    tasks = plan.items[0].children
    assert [(t.title, t.time_node) for t in tasks] == [
        ("召开团员大会", "3月"),
        ("组织青年理论学习", "3月"),
        ("举办技能比武", "6月"),
        ("开展青年文明号评选", "6月"),
    ]


def test_a_time_on_its_own_line_under_a_task_stays_that_tasks_time():
    plan = read_plan_text(
        "2026年团委工作计划\n一、全年安排\n1.召开团员大会\n3月\n2.举办技能比武\n6月\n"
    )
    assert [(t.title, t.time_node) for t in plan.items[0].children] == [
        ("召开团员大会", "3月"),
        ("举办技能比武", "6月"),
    ]


def test_a_schedule_with_a_number_column_takes_its_task_from_the_content_cell():
    plan = _linked(
        read_plan_text(
            "2026年团委工作计划\n一、重点工作安排\n序号\t时间\t内容\t责任部门\n"
            "1\t3月5日\t学雷锋志愿服务\t团委\n2\t5月4日\t五四表彰大会\t团委\n"
            "3\t6月\t团委\t召开团员大会\n"
        ),
        2026,
    )
    rows = plan.items[0].children
    assert [t.title for t in rows] == ["学雷锋志愿服务", "五四表彰大会", "召开团员大会"]
    assert rows[0].due_date == date(2026, 3, 5)


@pytest.mark.parametrize("number", ["12", "1.", "（1）", "①", "√"])
def test_a_schedule_rows_number_or_mark_is_never_its_task(number):
    assert _row_title(f"{number}｜3月5日｜学雷锋志愿服务｜团委") == "学雷锋志愿服务"


def test_a_schedule_pasted_with_tabs_is_read_row_by_row():
    plan = _linked(
        read_plan_text(
            "2027年工作计划\n一、活动安排\n时间\t内容\t负责\n6月14日\t无偿献血宣传\t团委\n"
        )
    )
    (task,) = plan.items[0].children
    assert (task.title, task.due_date) == ("无偿献血宣传", date(2027, 6, 14))


def test_a_duty_to_complete_something_by_a_date_is_proposed_as_a_task():
    plan = _linked(
        read_plan_text(
            "2027年工作计划\n一、组织建设\n下半年开展团支部标准化建设；年底前完成团员年度评议。"
            "每月按时收缴团费。做好换届工作，4月底前完成。\n"
        )
    )
    assert [(t.title, t.time_node) for t in plan.items[0].children] == [
        ("下半年开展团支部标准化建设", "下半年"),
        ("年底前完成团员年度评议", "年底"),
        ("每月按时收缴团费", ""),
        ("做好换届工作", "4月底"),  # not “4月底前完成”
    ]


def test_duties_counted_inline_with_parenthesised_or_circled_numbers_are_proposed():
    plan = _linked(
        read_plan_text(
            "市疾控中心团支部2025年工作计划\n一、志愿服务\n"
            "（一）青年志愿服务。（1）3月5日开展健康义诊；（2）6月14日开展无偿献血宣传。\n"
            "二、文体活动\n全年安排两项：①端午节组织包粽子，②中秋节举办联谊会。\n"
        ),
        2025,
    )
    service = plan.items[0].children[0]
    assert [(t.title, t.due_date) for t in service.children] == [
        ("3月5日开展健康义诊", date(2025, 3, 5)),
        ("6月14日开展无偿献血宣传", date(2025, 6, 14)),
    ]
    assert [(t.title, t.due_date) for t in plan.items[1].children] == [
        ("端午节组织包粽子", date(2025, 5, 31)),
        ("中秋节举办联谊会", date(2025, 10, 6)),
    ]


def test_qingming_fills_the_time_node_but_proposes_no_date_it_cannot_know():
    plan = _linked(
        read_plan_text("2028年工作计划\n一、思想引领\n清明节前后组织团员祭扫烈士陵园。\n"), 2028
    )
    (task,) = plan.items[0].children
    assert (task.time_node, task.due_date, task.key_date_name) == ("清明节前后", None, "")


@pytest.mark.skipif(sys.platform == "win32", reason="CPU time limited with the resource module")
def test_a_hostile_paste_of_one_huge_heading_line_is_read_in_seconds():
    code = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_CPU, (20, 20))  # the old reading took minutes
        from desk_league.imports.plan_prose import read_plan_text
        plan = read_plan_text("2027年计划\\n一、任务\\n" + "①开展“活动”，" * 150000)
        print(plan.count("task"))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-500:]


def test_a_plan_written_as_one_list_of_things_to_do_gives_tasks_under_one_section():
    text = (
        "市疾控中心团支部2027年工作计划\n"
        "1、召开团员大会，完成支委换届\n"
        "2、3月5日开展学雷锋志愿服务活动\n"
        "3、五四前后举办青年座谈会\n"
        "4、组织团员参加无偿献血\n"
        "5、做好信息报送工作\n"
    )
    plan = _linked(read_plan_text(text))
    (section,) = plan.items
    assert section.kind == "section" and section.title == "主要工作" and section.guesses
    assert [(t.kind, t.level) for t in section.children] == [("task", 2)] * 5
    tasks = {t.title: t for t in section.children}
    assert tasks["五四前后举办青年座谈会"].due_date == date(2027, 5, 4)
    assert tasks["3月5日开展学雷锋志愿服务活动"].key_date_name

    topics = "2027年工作要点\n1、思想引领\n2、组织建设\n3、作风建设\n"
    assert [(i.title, i.kind) for i in read_plan_text(topics).items] == [
        ("思想引领", "section"),
        ("组织建设", "section"),
        ("作风建设", "section"),
    ]  # a list of topics stays a list of sections
