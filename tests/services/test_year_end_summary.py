"""The year-end summary draft says what the records say, and nothing more."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk_league.data.models import Activity, PlanItem
from desk_league.domain.codes import ActivityStatus, PlanItemStatus
from desk_league.errors import ValidationError
from desk_league.exports.summary_pdf import layout_blocks
from desk_league.services.year_end_summary import (
    build_summary_draft,
    export_summary_pdf,
    save_summary_draft,
    saved_summary_draft,
)

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
    assert (
        sum(f"{title}（进行中" in line for line in lines) == 2
    )  # in its section and among open work


def test_the_draft_uses_the_offices_words_and_figures(demo_db):
    draft = _draft(demo_db)
    assert draft.startswith("市卫生健康委团委2026年度工作总结")
    assert "《2026年市直卫生系统共青团工作计划》" in draft
    for heading in (
        "一、工作计划执行情况",
        "二、主要工作数据",
        "三、获得的荣誉",
        "四、尚未完成的工作",
    ):
        assert heading in draft.splitlines()
    assert "（一）继续巩固团员青年思想道德基础" in draft
    assert "本年获得荣誉40项" in draft and "系统级“优秀共青团员”24项" in draft
    assert draft.rstrip().endswith("二〇二六年十一月二十六日")


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


def test_the_clerks_edits_are_kept_per_year(demo_db):
    with demo_db.transaction() as session:
        assert saved_summary_draft(session, YEAR) is None
        save_summary_draft(session, YEAR, "改过的总结")
    with demo_db.reading() as session:
        assert saved_summary_draft(session, YEAR) == "改过的总结"
        assert saved_summary_draft(session, YEAR - 1) is None


def test_the_pdf_sets_title_headings_and_signature_in_the_embedded_font(demo_db, tmp_path):
    draft = _draft(demo_db)
    out = export_summary_pdf(tmp_path / "总结.pdf", draft, year=YEAR)
    reader = PdfReader(out)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "市卫生健康委团委2026年度工作总结" in text
    assert "四、尚未完成的工作" in text and "二〇二六年十一月二十六日" in text
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
