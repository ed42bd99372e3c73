"""The year-end summary draft says what the records say, and nothing more."""

from __future__ import annotations

import re
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import select

from desk_league.data.models import Activity, Organisation, PlanItem
from desk_league.domain.codes import ActivityStatus, PlanItemStatus
from desk_league.errors import ValidationError
from desk_league.exports.summary_pdf import layout_blocks
from desk_league.services import members
from desk_league.services.organisations import delete_organisation
from desk_league.services.people import PersonInput
from desk_league.services.statistics import annual_statistics
from desk_league.services.year_end_summary import (
    build_summary_draft,
    export_summary_docx,
    export_summary_pdf,
    save_summary_draft,
    saved_summary_draft,
)
from tests.imports._rosters import make_id

DEMO_TODAY = date(2026, 11, 26)
YEAR = 2026


def _tasks(session) -> list[PlanItem]:
    return [
        t for t in session.scalars(select(PlanItem)) if t.kind == "task" and t.plan.year == YEAR
    ]


def _draft(database) -> str:
    with database.reading() as session:
        return build_summary_draft(session, YEAR, DEMO_TODAY)


def _task_lines(draft: str, title: str) -> list[str]:
    return [line for line in draft.splitlines() if title in line]


def test_the_draft_mentions_every_activity_of_every_finished_task(demo_db):
    draft = _draft(demo_db)
    with demo_db.reading() as session:
        finished = [t for t in _tasks(session) if t.status == PlanItemStatus.DONE]
        assert len(finished) >= 5
        for task in finished:
            lines = _task_lines(draft, task.title)
            assert any("（已完成）" in line for line in lines), task.title
            for activity in task.activities:
                assert activity.status == ActivityStatus.DONE
                assert activity.title in draft, (task.title, activity.title)
                date_text = f"{activity.start_date.month}月{activity.start_date.day}日"
                assert any(date_text in line and activity.title in line for line in lines)
                assert f"参与{activity.participant_count}人" in draft


def test_no_unfinished_task_is_called_done(demo_db):
    draft = _draft(demo_db)
    with demo_db.reading() as session:
        unfinished = [
            (t.title, t.status) for t in _tasks(session) if t.status != PlanItemStatus.DONE
        ]
    assert len(unfinished) > 10
    for title, status in unfinished:
        lines = _task_lines(draft, title)
        assert lines, f"open task {title} is listed"
        for line in lines:
            assert f"（{PlanItemStatus.label_of(status)}" in line and "（已完成）" not in line, line


def test_a_task_with_activities_held_but_not_marked_done_stays_open(demo_db):
    with demo_db.transaction() as session:
        task = next(t for t in _tasks(session) if t.status == PlanItemStatus.DONE and t.activities)
        task.status, task.progress = PlanItemStatus.ONGOING, 80
        title, activity_title = task.title, task.activities[0].title
    draft = _draft(demo_db)
    lines = _task_lines(draft, title)
    assert all("（已完成）" not in line for line in lines)
    assert any("进行中，进度80%" in line and activity_title in line for line in lines)
    # in its section, among the overdue tasks (its time limit has passed) and the next steps
    assert sum(f"{title}（进行中" in line for line in lines) == 3


def test_the_draft_is_in_the_standard_three_parts(demo_db):
    draft = _draft(demo_db)
    lines = draft.splitlines()
    assert draft.startswith("市卫生健康委团委2026年度工作总结")
    assert "《2026年市直卫生系统共青团工作计划》" in draft
    headings = [line for line in lines if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert headings == ["一、主要工作和成绩", "二、存在的问题和不足", "三、下一年工作思路"]
    assert "（一）继续巩固团员青年思想道德基础" in lines
    assert draft.rstrip().endswith("二〇二六年十一月二十六日")
    for heading, following in zip(headings, _parts(draft), strict=True):
        assert following, f"{heading} says something"


def _parts(draft: str) -> list[list[str]]:
    """The non-empty lines under each of the three headings."""
    parts: list[list[str]] = []
    for line in draft.splitlines():
        if re.match(r"^[一二三]、", line):
            parts.append([])
        elif parts and line.strip():
            parts[-1].append(line)
    parts[-1] = parts[-1][:-2]  # the office and the date close the last part
    return parts


def test_the_committees_own_commendation_is_not_reported_as_an_honour_received(demo_db):
    draft = _draft(demo_db)
    own = next(line for line in draft.splitlines() if line.startswith("1. 本级表彰"))
    assert "“2025年度市直卫生系统共青团先进集体和先进个人”" in own
    assert "共表彰40项" in own and "优秀共青团员24名" in own and "五四红旗团委1个" in own
    assert "2. 获得上级荣誉：截至2026年11月26日系统中没有获得上级荣誉的记录。" in draft
    with demo_db.reading() as session:
        past = build_summary_draft(session, 2025, DEMO_TODAY)
    assert "获得上级荣誉4项：国家级“青年文明号”4项" in past  # named by 共青团中央 in 2025


def test_problems_are_drafted_from_the_records(demo_db):
    problems = _parts(_draft(demo_db))[1]
    text = "\n".join(problems)
    assert problems[0].startswith("1. 计划任务中有4项已过完成时限仍未完成")
    assert "深入开展争创“五四红旗团委”活动（未开始，时限2026年4月30日，责任人：组织委员）" in text
    assert "以下板块没有开展（或没有关联）活动：突出“十项工作”" in text
    assert "任期已满、超期未换届的团组织8个：市疾病预防控制中心团总支" in text
    assert "未填写换届时间、换届情况不明的团组织4个" in text
    with demo_db.reading() as session:
        stats = annual_statistics(session, YEAR, DEMO_TODAY)
    under, registered = stats.figure("under_hours"), stats.figure("volunteers")
    assert (
        f"在册志愿者{registered:g}名中，截至2026年11月26日服务时长不足20小时的{under:g}名" in text
    )
    assert "本年度尚未年审的青年文明号13个" in text and "没有报送团内信息的单位" in text


def test_next_years_steps_come_from_open_tasks_key_dates_and_terms(demo_db):
    steps = "\n".join(_parts(_draft(demo_db))[2])
    assert steps.startswith("1. 继续推进未完成的计划任务（24项）")
    assert "2月6日春节" in steps and "10月8日重阳节（老年节）" in steps  # 2027, lunar resolved
    assert "任期将于2027年届满" in steps


def test_a_past_year_is_told_as_that_year_ended(demo_db):
    today = date.today()  # a change made now is after the 2025 year-end, not after today
    with demo_db.reading() as session:
        ref_2025 = annual_statistics(session, 2025, today).figure("members")
        ref_now = annual_statistics(session, YEAR, today).figure("members")
    with demo_db.transaction() as session:
        hospital = session.scalar(select(Organisation).where(Organisation.name == "市人民医院团委"))
        for n in range(100):  # joined the League today: members now, not at the 2025 year-end
            members.add_member(
                session,
                members.MemberInput(
                    PersonInput(
                        name=f"新团员{n}",
                        id_number=make_id(date(2004, 1 + n % 12, 1 + n % 28), 700 + n),
                        organisation_id=hospital.id,
                        league_joined_on=today,
                    )
                ),
                today,
            )
        school = session.scalar(
            select(Organisation).where(Organisation.name == "市卫生学校学生团支部")
        )
        school_members = members.member_counts(session).get(school.id, 0)
        delete_organisation(session, school.id)
    with demo_db.reading() as session:
        before = annual_statistics(session, 2025, today)
        now = annual_statistics(session, YEAR, today)
        past = build_summary_draft(session, 2025, today)
    assert before.figure("members") == ref_2025  # the past year is as it ended
    assert now.figure("members") == ref_now + 100 - school_members
    assert now.figure("organisations") == before.figure("organisations") - 1
    assert (
        f"2025年12月31日有团组织{before.figure('organisations'):g}个" in past
        and f"团员{before.figure('members'):g}名" in past
    )
    assert past.count("全年") >= 3 and "截至" not in past.split("\n")[2]


def test_the_first_half_has_its_own_summary_and_next_steps(demo_db):
    with demo_db.reading() as session:
        draft = build_summary_draft(session, YEAR, DEMO_TODAY, half=True)
    assert draft.startswith("市卫生健康委团委2026年上半年工作总结")
    headings = [line for line in draft.splitlines() if re.match(r"^[一二三]、", line)]
    assert headings == ["一、主要工作和成绩", "二、存在的问题和不足", "三、下半年工作思路"]
    assert "3月5日，2026年“学雷锋”志愿者集中服务活动" in draft
    assert "重阳节志愿者服务老年人活动" not in draft.split("三、下半年工作思路")[0]
    assert "抓住2026年下半年的重要时间节点" in draft and "10月18日重阳节（老年节）" in draft


def test_an_empty_office_gets_every_part_saying_what_it_lacks(db):
    with db.reading() as session:
        draft = build_summary_draft(session, YEAR, DEMO_TODAY)
    achievements, problems, steps = _parts(draft)
    assert "系统中没有2026年工作计划的任务" in achievements[0]
    assert any("系统中没有本级表彰的记录" in line for line in achievements)
    assert problems == [
        "系统记录中没有发现逾期任务、超期未换届、服务时长不足等问题。"
        "（以上依据系统记录起草，请结合实际补充。）"
    ]
    assert steps and "2027" in steps[0]  # next year's key dates at least


def test_cancelled_and_deleted_activities_are_not_claimed(demo_db):
    with demo_db.transaction() as session:
        task = next(t for t in _tasks(session) if t.status == PlanItemStatus.DONE and t.activities)
        activity = task.activities[0]
        activity.status = ActivityStatus.CANCELLED
        cancelled_title = activity.title
    assert cancelled_title not in _draft(demo_db)


def test_a_year_without_a_plan_says_so(demo_db):
    with demo_db.reading() as session:
        draft = build_summary_draft(session, 2031, DEMO_TODAY)
    assert "系统中没有2031年的工作计划" in draft
    assert "开展活动0次" in draft


def test_the_clerks_edits_are_kept_per_year_and_half_year(demo_db):
    with demo_db.transaction() as session:
        assert saved_summary_draft(session, YEAR) is None
        save_summary_draft(session, YEAR, "改过的总结")
        save_summary_draft(session, YEAR, "改过的上半年总结", half=True)
    with demo_db.reading() as session:
        assert saved_summary_draft(session, YEAR) == "改过的总结"
        assert saved_summary_draft(session, YEAR, half=True) == "改过的上半年总结"
        assert saved_summary_draft(session, YEAR - 1) is None


def test_the_pdf_sets_title_headings_and_signature_in_the_embedded_font(demo_db, tmp_path):
    draft = _draft(demo_db)
    out = export_summary_pdf(tmp_path / "总结.pdf", draft, year=YEAR)
    reader = PdfReader(out)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "市卫生健康委团委2026年度工作总结" in text
    assert "三、下一年工作思路" in text and "二〇二六年十一月二十六日" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("NotoSerifCJKsc" in f for f in fonts)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"]


def test_layout_reads_headings_and_the_signature_from_the_text():
    blocks = layout_blocks(
        "标题\n\n正文一段。\n一、大标题\n（一）小标题\n1. 事项。\n\n市卫生健康委团委\n二〇二六年十二月一日\n"
    )
    assert [b.kind for b in blocks] == [
        "title",
        "body",
        "heading",
        "subheading",
        "body",
        "signature",
        "signature",
    ]


def test_a_character_the_font_lacks_is_refused_before_printing(tmp_path):
    with pytest.raises(ValidationError, match="𪚥"):
        export_summary_pdf(tmp_path / "x.pdf", "总结\n获奖者：张𪚥\n", year=YEAR)
    assert not (tmp_path / "x.pdf").exists()


def test_an_empty_text_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="为空"):
        export_summary_pdf(tmp_path / "x.pdf", "  \n\n", year=YEAR)


def test_unlinked_activities_are_reported_separately(demo_db):
    with demo_db.transaction() as session:
        session.add(
            Activity(
                title="2026年护士节座谈会",
                category="其他",
                start_date=date(2026, 5, 12),
                status=ActivityStatus.DONE,
                participant_count=30,
            )
        )
    draft = _draft(demo_db)
    assert "计划任务以外开展的活动" in draft
    assert "5月12日，2026年护士节座谈会（参与30人）" in draft


def test_figures_are_for_the_whole_year_only_once_it_is_over(demo_db):
    with demo_db.reading() as session:
        during = build_summary_draft(session, YEAR, DEMO_TODAY)
        after = build_summary_draft(session, YEAR, date(2027, 1, 8))
    assert "截至2026年11月26日，计划共33项任务" in during and "全年" not in during.split("\n")[2]
    assert "全年，计划共33项任务" in after


def test_the_word_document_reads_back_with_its_headings_and_fonts(demo_db, tmp_path):
    draft = _draft(demo_db)
    out = export_summary_docx(tmp_path / "总结.docx", draft, year=YEAR)
    document = Document(str(out))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "市卫生健康委团委2026年度工作总结")
    assert [t for s, t in paragraphs if s == "Heading 1"] == [
        "一、主要工作和成绩",
        "二、存在的问题和不足",
        "三、下一年工作思路",
    ]
    assert ("Heading 2", "（一）继续巩固团员青年思想道德基础") in paragraphs
    assert [p.text for p in document.paragraphs] == [
        line.strip() for line in draft.splitlines() if line.strip()
    ]
    office, day = document.paragraphs[-2:]
    assert (office.text, day.text) == ("市卫生健康委团委", "二〇二六年十一月二十六日")
    assert office.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    fonts = {
        name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {"Normal": "仿宋", "Title": "宋体", "Heading 1": "黑体", "Heading 2": "楷体"}
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


def test_a_word_document_of_nothing_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="为空"):
        export_summary_docx(tmp_path / "x.docx", "\n \n", year=YEAR)
    assert not (tmp_path / "x.docx").exists()
