"""The clerk's year with the plan, through the services (no Qt)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desk_league.data.models import Activity, Plan, PlanItem
from desk_league.domain.codes import ActivityStatus, OrgKind, PlanItemStatus
from desk_league.errors import Conflict, ValidationError
from desk_league.imports.plan_text import parse_plan_text
from desk_league.services import plan_editing, plan_evidence, plan_import, plan_outputs, plan_tree
from desk_league.services.common import recycle_bin
from desk_league.services.listing import ListQuery
from desk_league.services.plan_tree import PlanFilter

SEED = Path(__file__).parents[1] / "data" / "seed_plan.txt"
DONE = PlanItemStatus.DONE
TODAY = date(2026, 6, 1)


@pytest.fixture
def seed_plan(db) -> int:
    with db.transaction() as session:
        return plan_import.import_plan(session, parse_plan_text(SEED.read_text("utf-8")), 2026).id


@pytest.fixture
def small_plan(db) -> int:
    text = "2026年计划\n总体思路：服务青年。\n一、思想引领\n1、演讲比赛\n2、报告会\n3、参观学习\n二、组织建设\n1、按时换届\n"
    with db.transaction() as session:
        return plan_import.import_plan(session, parse_plan_text(text), 2026).id


def _tree(db, query=None, today=TODAY):
    with db.reading() as session:
        return plan_tree.plan_tree(session, 2026, today, query)


def _headings(tree, parent_title=None):
    by_title = {r.title: r.id for r in tree.rows}
    parent = by_title.get(parent_title) if parent_title else None
    return [f"{r.number}{r.title}" for r in tree.rows if r.parent_id == parent]


def test_importing_the_seed_saves_sections_parts_and_the_ten_tasks(db, seed_plan):
    tree = _tree(db)
    assert tree.title == "卫生局团委的工作计划"
    assert "一个中心" in tree.approach
    top = _headings(tree)
    assert top[:5] == [
        "一、继续巩固团员青年思想道德基础",
        "二、全面深化青年文明号创建活动",
        "三、积极推进青年志愿服务工作",
        "四、不断完善团的组织建设",
        "五、切实加强卫生青年文化建设",
    ]
    assert [h[:3] for h in top[5:]] == ["第一,", "第二,", "第三,", "第四,", "第五,"]
    tasks = [r for r in tree.rows if r.kind == "task"]
    assert len(tasks) == 10
    assert tasks[0].title == "继续把团建创新作为重点抓好"


def test_import_refuses_a_second_plan_for_the_year_unless_replacing(db, seed_plan):
    parsed = parse_plan_text("新计划\n一、甲\n")
    with pytest.raises(Conflict, match="2026年已有工作计划"), db.transaction() as session:
        plan_import.import_plan(session, parsed, 2026)
    assert _tree(db).title == "卫生局团委的工作计划"
    with db.transaction() as session:
        plan_import.import_plan(session, parsed, 2026, replace=True)
    assert _tree(db).title == "新计划"
    with db.reading() as session:
        assert any(entry["label"] == "卫生局团委的工作计划" for entry in recycle_bin(session))


def test_adding_a_task_after_another_renumbers_the_section(db, small_plan):
    tree = _tree(db)
    speech = next(r for r in tree.rows if r.title == "演讲比赛")
    with db.transaction() as session:
        plan_editing.add_plan_item(
            session, small_plan, "主题团日", parent_id=speech.parent_id, after_id=speech.id
        )
    assert _headings(_tree(db), "思想引领") == [
        "1、演讲比赛",
        "2、主题团日",
        "3、报告会",
        "4、参观学习",
    ]


def test_a_new_section_takes_the_next_chinese_number(db, small_plan):
    with db.transaction() as session:
        plan_editing.add_plan_item(session, small_plan, "志愿服务")
    assert _headings(_tree(db)) == ["一、思想引领", "二、组织建设", "三、志愿服务"]


def test_moving_a_task_up_and_down_renumbers(db, small_plan):
    visit = next(r for r in _tree(db).rows if r.title == "参观学习")
    with db.transaction() as session:
        plan_editing.move_plan_item(session, visit.id, -1)
        plan_editing.move_plan_item(session, visit.id, -1)
    assert _headings(_tree(db), "思想引领") == ["1、参观学习", "2、演讲比赛", "3、报告会"]
    with pytest.raises(ValidationError, match="已经到头"), db.transaction() as session:
        plan_editing.move_plan_item(session, visit.id, -1)


def test_indent_and_outdent(db, small_plan):
    tree = _tree(db)
    talk = next(r for r in tree.rows if r.title == "报告会")
    with db.transaction() as session:
        plan_editing.indent_plan_item(session, talk.id)
    tree = _tree(db)
    assert _headings(tree, "演讲比赛") == ["（1）报告会"]
    assert next(r for r in tree.rows if r.title == "演讲比赛").kind == "section"
    assert _headings(tree, "思想引领") == ["1、演讲比赛", "2、参观学习"]
    with db.transaction() as session:
        plan_editing.outdent_plan_item(session, talk.id)
    tree = _tree(db)
    assert _headings(tree, "思想引领") == ["1、演讲比赛", "2、报告会", "3、参观学习"]
    assert next(r for r in tree.rows if r.title == "演讲比赛").kind == "task"
    section = next(r for r in tree.rows if r.title == "思想引领")
    with pytest.raises(ValidationError, match="最上层"), db.transaction() as session:
        plan_editing.outdent_plan_item(session, section.id)


def test_status_and_progress_are_checked(db, small_plan):
    task = next(r for r in _tree(db).rows if r.title == "演讲比赛")
    for changes, message in (
        ({"status": "搁置"}, "“状态”：应为未开始、进行中、已完成、已取消之一"),
        ({"progress": 120}, "0—100"),
        ({"progress": "半"}, "不是 0—100 的整数"),
        ({"due_date": "下个月"}, "完成时限"),
        ({"title": "  "}, "事项名称不能为空"),
    ):
        with pytest.raises(ValidationError, match=message), db.transaction() as session:
            plan_editing.update_plan_item(session, task.id, changes)


def test_section_progress_follows_its_tasks_and_done_sets_100(db, small_plan):
    rows = {r.title: r for r in _tree(db).rows}
    with db.transaction() as session:
        plan_editing.update_plan_item(session, rows["演讲比赛"].id, {"status": DONE})
        plan_editing.update_plan_item(session, rows["报告会"].id, {"progress": 50})
        plan_editing.update_plan_item(
            session, rows["参观学习"].id, {"status": PlanItemStatus.CANCELLED}
        )
    tree = _tree(db)
    rows = {r.title: r for r in tree.rows}
    assert rows["演讲比赛"].progress == 100
    assert rows["报告会"].status == PlanItemStatus.ONGOING
    assert rows["思想引领"].progress == 75  # cancelled tasks do not count
    assert rows["思想引领"].status == PlanItemStatus.ONGOING
    assert tree.progress == round((100 + 50 + 0) / 3)


def test_filter_overdue_keeps_late_tasks_and_their_sections(db, small_plan):
    rows = {r.title: r for r in _tree(db).rows}
    with db.transaction() as session:
        plan_editing.update_plan_item(session, rows["演讲比赛"].id, {"due_date": "2026.5.4"})
        plan_editing.update_plan_item(
            session, rows["报告会"].id, {"due_date": "2026年5月4日", "status": DONE}
        )
        plan_editing.update_plan_item(session, rows["按时换届"].id, {"due_date": "2026-12-31"})
    tree = _tree(db, PlanFilter(overdue=True))
    assert [r.title for r in tree.rows] == ["思想引领", "演讲比赛"]
    assert tree.rows[1].overdue


def test_filter_by_owner_and_lead_unit(db, small_plan):
    from desk_league.data.models import Organisation

    with db.transaction() as session:
        unit = Organisation(kind=OrgKind.COUNCIL, name="市人民医院团委")
        session.add(unit)
        session.flush()
        unit_id = unit.id
    rows = {r.title: r for r in _tree(db).rows}
    with db.transaction() as session:
        plan_editing.update_plan_item(
            session, rows["按时换届"].id, {"owner": "李明", "lead_unit_id": unit_id}
        )
    assert [r.title for r in _tree(db, PlanFilter(owner="李明")).rows] == ["组织建设", "按时换届"]
    tree = _tree(db, PlanFilter(lead_unit_id=unit_id))
    assert tree.rows[-1].lead_unit == "市人民医院团委"


def test_copying_a_plan_resets_items_and_moves_dates_a_year_on(db, small_plan):
    rows = {r.title: r for r in _tree(db).rows}
    with db.transaction() as session:
        plan_editing.update_plan_item(
            session,
            rows["演讲比赛"].id,
            {"status": DONE, "due_date": "2026-05-04", "owner": "李明"},
        )
        plan_import.copy_plan_to_year(session, small_plan, 2027)
    with db.reading() as session:
        copy = plan_tree.plan_tree(session, 2027, TODAY)
    speech = next(r for r in copy.rows if r.title == "演讲比赛")
    assert (speech.status, speech.progress, speech.due_date, speech.owner) == (
        PlanItemStatus.TODO,
        0,
        date(2027, 5, 4),
        "李明",
    )
    assert [r.title for r in copy.rows] == [r.title for r in _tree(db).rows]
    with pytest.raises(Conflict), db.transaction() as session:
        plan_import.copy_plan_to_year(session, small_plan, 2027)


def test_a_task_with_a_finished_activity_is_done_in_one_click(db, small_plan):
    task = next(r for r in _tree(db).rows if r.title == "演讲比赛")
    with db.transaction() as session:
        planned = Activity(
            title="演讲比赛预赛", start_date=date(2026, 4, 20), status=ActivityStatus.PLANNED
        )
        held = Activity(
            title="五四演讲比赛", start_date=date(2026, 4, 28), status=ActivityStatus.DONE
        )
        session.add_all([planned, held])
        session.flush()
        ids = (planned.id, held.id)
    with db.transaction() as session:
        plan_evidence.link_activities(session, task.id, [ids[0]])
    with (
        pytest.raises(ValidationError, match="还没有已完成的关联活动"),
        db.transaction() as session,
    ):
        plan_evidence.complete_from_evidence(session, task.id)
    with db.transaction() as session:
        assert (
            plan_evidence.link_activities(session, task.id, list(ids)) == 1
        )  # the first is already linked
        plan_evidence.complete_from_evidence(session, task.id)
    row = next(r for r in _tree(db).rows if r.title == "演讲比赛")
    assert (row.status, row.progress, row.evidence, row.evidence_done) == (DONE, 100, 2, 1)
    with db.transaction() as session:
        plan_evidence.unlink_activity(session, task.id, ids[0])
        evidence = plan_evidence.ITEM_EVIDENCE.iter_rows(
            session, ListQuery(filters={"plan_item_id": task.id})
        )
        assert [e["title"] for e in evidence] == ["五四演讲比赛"]


def test_deleting_a_section_sends_its_tasks_to_the_recycle_bin(db, small_plan):
    section = next(r for r in _tree(db).rows if r.title == "思想引领")
    with db.transaction() as session:
        assert plan_editing.delete_plan_item(session, section.id) == 4
    assert _headings(_tree(db)) == ["一、组织建设"]
    with db.reading() as session:
        deleted = session.scalars(select(PlanItem).where(PlanItem.deleted_at.is_not(None))).all()
    assert len(deleted) == 4


def test_plan_register_reads_back_with_sections_tasks_and_evidence(db, seed_plan, tmp_path):
    tenth = next(r for r in _tree(db).rows if r.number == "10、")
    with db.transaction() as session:
        plan_editing.update_plan_item(
            session, tenth.id, {"owner": "团委办公室", "progress": 40, "note": "=不是公式"}
        )
    out = tmp_path / "推进表.xlsx"
    with db.reading() as session:
        plan_outputs.export_plan_register(session, 2026, out, today=TODAY)
    sheet = load_workbook(out).worksheets[0]
    assert "2026年工作计划推进情况表" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    assert header == [
        "板块",
        "工作事项",
        "责任人",
        "牵头单位",
        "时间节点",
        "完成时限",
        "状态",
        "进度",
        "佐证活动",
        "备注",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[1].value]
    assert rows[0][:2] == ["一、继续巩固团员青年思想道德基础", "（本板块整体）"]
    last = next(r for r in rows if r[1].startswith("10、重视共青团组织"))
    assert last[0] == "第五,突出“十项工作”"
    assert (last[2], last[7], last[9]) == ("团委办公室", 0.4, "=不是公式")
    assert len([r for r in rows if r[1] != "（本板块整体）"]) == 10


def test_plan_pdf_has_the_title_approach_and_numbered_items_in_the_embedded_font(
    db, seed_plan, tmp_path
):
    out = tmp_path / "计划.pdf"
    with db.reading() as session:
        result = plan_outputs.export_plan_document(session, 2026, out, today=TODAY)
    assert result.missing_glyphs == []
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    for expected in (
        "卫生局团委的工作计划",
        "一个中心",
        "一、继续巩固团员青年思想道德基础",
        "10、重视共青团组织服务青年",
    ):
        assert expected in text
    fonts = {
        ref.get_object()["/BaseFont"]
        for page in reader.pages
        for ref in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("NotoSerifCJKsc" in str(f) for f in fonts)


def test_the_demo_plan_has_tasks_with_linked_activities(demo_db):
    with demo_db.reading() as session:
        year = session.scalar(select(Plan.year))
        tree = plan_tree.plan_tree(session, year, date(year, 11, 26))
    assert tree.task_count > 30
    assert any(r.evidence_done for r in tree.rows)
    assert tree.progress > 0


def test_a_lunar_key_date_sets_the_due_date_and_follows_the_moon_into_next_year(db, small_plan):
    from desk_league.data.models import KeyDate

    with db.reading() as session:
        chongyang = session.scalar(select(KeyDate).where(KeyDate.name.like("重阳%"))).id
    task = next(r for r in _tree(db).rows if r.title == "参观学习")
    with db.transaction() as session:
        plan_editing.update_plan_item(session, task.id, {"key_date_id": chongyang})
    assert next(r for r in _tree(db).rows if r.id == task.id).due_date == date(2026, 10, 18)
    with db.transaction() as session:
        plan_import.copy_plan_to_year(session, small_plan, 2027)
    with db.reading() as session:
        copy = plan_tree.plan_tree(session, 2027, TODAY)
    assert next(r for r in copy.rows if r.title == "参观学习").due_date == date(2027, 10, 8)


def test_a_task_restored_without_its_section_is_not_lost(db, small_plan):
    from desk_league.services.common import restore_from_recycle_bin

    section = next(r for r in _tree(db).rows if r.title == "思想引领")
    talk = next(r for r in _tree(db).rows if r.title == "报告会")
    with db.transaction() as session:
        plan_editing.delete_plan_item(session, section.id)
    with db.transaction() as session:
        restore_from_recycle_bin(session, "plan_item", talk.id)
    assert "2、报告会" in _headings(_tree(db))
