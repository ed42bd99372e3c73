"""The year-end summary (年度工作总结), and the half-year one (上半年工作总结), drafted from the
records in the standard form a secretary sends upward:

    一、主要工作和成绩      plan section by plan section: the tasks done and under way, with
                            the activities held for them as evidence and their figures; the
                            figures of each area under the section they belong to; activities
                            outside the plan; 本级表彰 apart from 上级荣誉
    二、存在的问题和不足    drafted from the data: overdue and unstarted tasks, sections without
                            activity, branches past their 换届, volunteers under the yearly
                            minimum, 青年文明号 warnings and missing reviews, units silent in
                            信息报送, hours still waiting for approval
    三、下一年工作思路      from the unfinished tasks, next year's key dates, terms and
                            青年文明号 cycles ending then (下半年 for the half-year summary)

The draft (written from ``summary_facts.SummaryFacts``) claims only what the database shows,
with the figures of ``services.figures`` as of the period's end (a past year's are that year's,
not today's). A task is called done only when its status is done. A part with nothing to say
says so. The clerk edits the text in the app; the edited draft is kept per period and exported
to Word (.docx) and PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desk_league.data.models import (
    Activity,
)
from desk_league.domain.codes import (
    ActivityStatus,
    PlanItemStatus,
    ReviewKind,
    ReviewResult,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.dates import add_years, chinese_date, chinese_number
from desk_league.domain.honours import STAR_WORDS
from desk_league.exports.summary_docx import write_summary_docx
from desk_league.exports.summary_pdf import write_summary_pdf
from desk_league.services import statistics
from desk_league.services.figures import Period
from desk_league.services.progress import Progress
from desk_league.services.settings import get_setting, set_setting
from desk_league.services.statistics import SectionFact, TaskFact
from desk_league.services.summary_facts import OPEN, HonourFact, SummaryFacts, summary_period

DRAFTS_SETTING = "year_end_summary_drafts"
NAMES_LISTED = 8  # a long list of names is cut: 等N个


def summary_title(office: str, period: Period) -> str:
    kind = "上半年工作总结" if period.is_half else "年度工作总结"
    return f"{office}{period.start.year}{'年' if period.is_half else ''}{kind}"


def _day(on: date, year: int) -> str:
    return f"{on.month}月{on.day}日" if on.year == year else f"{on.year}年{on.month}月{on.day}日"


def _n(value: float) -> str:
    return f"{value:g}"


def _listed(names: Sequence[str], unit: str = "个") -> str:
    """Names joined with 、, cut after a few: 甲、乙、丙等12个."""
    names = list(dict.fromkeys(names))
    if len(names) <= NAMES_LISTED:
        return "、".join(names)
    return "、".join(names[:NAMES_LISTED]) + f"等{len(names)}{unit}"


def _ordinal(n: int) -> str:
    return chinese_number(n)


# --- the draft ------------------------------------------------------------------------------


def build_summary_draft(session: Session, year: int, today: date, *, half: bool = False) -> str:
    """The generated draft of the year's (or first half's) summary, as plain text to edit."""
    facts = SummaryFacts(session, summary_period(year, half), today)
    next_name = "下半年" if half else "下一年"
    parts = [
        ("主要工作和成绩", _achievements(facts)),
        ("存在的问题和不足", _problems(facts)),
        (f"{next_name}工作思路", _next_steps(facts)),
    ]
    lines = [summary_title(facts.office, facts.period), "", _opening(facts)]
    for n, (heading, body) in enumerate(parts, start=1):
        lines += ["", f"{_ordinal(n)}、{heading}", *body]
    lines += ["", facts.office, chinese_date(today)]
    return "\n".join(lines) + "\n"


def _opening(facts: SummaryFacts) -> str:
    figure = facts.figure
    counts: dict[str, int] = defaultdict(int)
    for task in facts.tasks:
        counts[task.status] += 1
    plan = "、".join(f"《{t}》" for t in facts.plan_titles)
    basis = f"按照{plan}开展工作" if plan else f"开展工作（系统中没有{facts.year}年的工作计划）"
    tasks = (
        f"计划共{len(facts.tasks)}项任务，"
        + "，".join(f"{s.label}{counts[s]}项" for s in PlanItemStatus if counts[s])
        + "；"
        if facts.tasks
        else ""
    )
    return (
        f"{facts.period.name}，{facts.office}{basis}。{facts.when}，{tasks}"
        f"开展活动{_n(figure['activities'])}次，参与{_n(figure['participants'])}人次；"
        f"青年志愿者经审核的志愿服务时长{_n(figure['hours'])}小时；"
        f"本级表彰{_n(figure['honours_awarded'])}项，"
        f"获得上级荣誉{_n(figure['honours_received'])}项。现将有关情况总结如下。"
    )


# --- 一、主要工作和成绩 ------------------------------------------------------------------------

# Which section a figure belongs under: the first whose title (else one of its tasks) names it.
AREA_WORDS = {
    "volunteers": ("志愿",),
    "youth": ("文明号",),
    "organisations": ("组织建设", "团组织", "换届", "推优"),
    "reports": ("信息报送", "信息", "宣传"),
}


def _achievements(facts: SummaryFacts) -> list[str]:
    placed = _place_areas(facts)
    lines: list[str] = []
    n = 0
    for section in facts.sections:
        n += 1
        lines.append(f"（{_ordinal(n)}）{section.title}")
        lines += _section_lines(facts, section)
        for area in placed.get(section.id, []):
            lines += AREA_TEXT[area](facts)
    leftover = [area for area in AREA_WORDS if not any(area in v for v in placed.values())]
    if not facts.sections:
        lines.append(f"系统中没有{facts.year}年工作计划的任务，以下按各项工作的记录总结。")
    if facts.unlinked:
        n += 1
        lines.append(f"（{_ordinal(n)}）计划任务以外开展的活动")
        lines.append("；".join(_activity_text(a, facts) for a in facts.unlinked) + "。")
    if leftover:
        n += 1
        lines.append(f"（{_ordinal(n)}）其他工作")
        for area in leftover:
            lines += AREA_TEXT[area](facts)
    n += 1
    lines.append(f"（{_ordinal(n)}）表彰和荣誉")
    lines += _honours_lines(facts)
    return lines


def _place_areas(facts: SummaryFacts) -> dict[int | None, list[str]]:
    """Each area under the first section naming its most telling word: in the section's title,
    else in one of its tasks' (信息报送 before a task that merely 宣传s)."""
    placed: dict[int | None, list[str]] = defaultdict(list)
    sections = [s for s in facts.sections if s.id is not None]
    for area, words in AREA_WORDS.items():
        found = next(
            (
                section
                for word in words
                for texts in (
                    lambda s: [s.title],
                    lambda s: [t.title for t in facts.tasks_of(s)],
                )
                for section in sections
                if any(word in text for text in texts(section))
            ),
            None,
        )
        if found is not None:
            placed[found.id].append(area)
    return placed


def _section_lines(facts: SummaryFacts, section: SectionFact) -> list[str]:
    tasks = facts.tasks_of(section)
    done = [t for t in tasks if t.status == PlanItemStatus.DONE]
    going = [t for t in tasks if t.status == PlanItemStatus.ONGOING]
    held = facts.held_of(tasks)
    figures_text = f"开展活动{len(held)}次，参与{sum(a.participant_count for a in held)}人次"
    hours = sum(facts.hours_of.get(a.id, 0.0) for a in held)
    if hours:
        figures_text += f"，志愿服务{_n(round(hours, 1))}小时"
    lines = [
        f"本板块计划任务{len(tasks)}项，{PlanItemStatus.DONE.label}{len(done)}项，"
        f"{PlanItemStatus.ONGOING.label}{len(going)}项；{facts.when}{figures_text}。"
        if tasks
        else "本板块没有具体任务。"
    ]
    if facts.period.is_half:  # what the half year shows: its activities, its deadlines
        done, going = (
            [t for t in group if facts.activities_of.get(t.id) or facts.period.covers(t.due_date)]
            for group in (done, going)
        )
    for i, task in enumerate(done + going, start=1):
        lines.append(_task_line(i, task, facts))
    if tasks and not done and not going:
        lines.append("本板块的任务均未开始，见“存在的问题和不足”。")
    return lines


def _activity_text(activity: Activity, facts: SummaryFacts) -> str:
    details = []
    if activity.participant_count:
        details.append(f"参与{activity.participant_count}人")
    if hours := facts.hours_of.get(activity.id):
        details.append(f"志愿服务{_n(hours)}小时")
    if activity.status != ActivityStatus.DONE:
        details.append(ActivityStatus.label_of(activity.status))
    detail = f"（{'，'.join(details)}）" if details else ""
    # the title as the office wrote it (it often holds its own quotation marks)
    return f"{_day(activity.start_date, facts.year)}，{activity.title}{detail}"


def _task_line(index: int, task: TaskFact, facts: SummaryFacts) -> str:
    status = PlanItemStatus.label_of(task.status)
    if task.status == PlanItemStatus.ONGOING:
        status += f"，进度{task.progress}%"
    # no 。 right after ）: the PDF wrapper can hang only one closing mark at a line's end
    line = f"{index}. {task.title}（{status}）"
    activities = facts.activities_of.get(task.id, [])
    held = [a for a in activities if a.status == ActivityStatus.DONE]
    planned = [a for a in activities if a.status != ActivityStatus.DONE]
    if held:
        line += "；开展活动：" + "；".join(_activity_text(a, facts) for a in held)
    if planned:
        line += "；已安排：" + "；".join(_activity_text(a, facts) for a in planned)
    return line + "。" if held or planned else line


def _volunteer_text(facts: SummaryFacts) -> list[str]:
    figure, active = facts.figure, VolunteerStatus.ACTIVE.label
    units = sorted(facts.stats.volunteers, key=lambda r: -r["hours"])[:3]
    stars = [r for r in facts.stats.stars[1:] if r["volunteers"]]
    text = (
        f"志愿服务：{active}志愿者{_n(figure['volunteers'])}名；{facts.when}"
        f"{_n(figure['serving'])}名志愿者参加服务（其中{active}"
        f"{_n(figure['serving_registered'])}名），经审核的服务记录{_n(figure['records'])}条、"
        f"服务时长{_n(figure['hours'])}小时"
    )
    if any(r["hours"] for r in units):
        text += "；服务时长较多的单位：" + "、".join(
            f"{r['unit']}{_n(r['hours'])}小时" for r in units if r["hours"]
        )
    if stars:
        text += "；星级志愿者" + "、".join(f"{r['star']}{r['volunteers']}名" for r in stars)
    return [text + "。"]


def _youth_text(facts: SummaryFacts) -> list[str]:
    if not facts.youth:
        return ["青年文明号：系统中没有保有称号的青年文明号集体。"]
    by_level: dict[str, int] = defaultdict(int)
    by_star: dict[int, int] = defaultdict(int)
    for fact in facts.youth:
        by_level[fact.level] += 1
        if fact.star:
            by_star[fact.star] += 1
    reviews = [r for f in facts.youth for r in f.reviews if r[0] == ReviewKind.ANNUAL]
    passed = sum(1 for _, result, _ in reviews if result == ReviewResult.PASS)
    held = "现有" if facts.running else f"{_day(facts.as_of, 0)}有"
    text = f"青年文明号：{held}青年文明号集体{len(facts.youth)}个（" + "、".join(
        f"{level}{n}个" for level, n in by_level.items()
    )
    text += "）"
    if by_star:
        text += "，其中" + "、".join(f"{STAR_WORDS[s]}{by_star[s]}个" for s in sorted(by_star))
    if reviews:
        text += f"；{facts.when}完成年审{len(reviews)}个次，合格{passed}个次"
    return [text + "。"]


def _organisation_text(facts: SummaryFacts) -> list[str]:
    figure = facts.figure
    kinds = "、".join(f"{r['kind']}{r['count']}个" for r in facts.stats.organisations if r["count"])
    elected = [o.name for o in facts.organisations if o.elected]
    text = (
        f"团的组织建设：{_day(facts.as_of, 0)}有团组织{_n(figure['organisations'])}个（{kinds}），团员{_n(figure['members'])}名；"
        f"{facts.when}完成换届{len(elected)}个" + (f"（{_listed(elected)}）" if elected else "")
    )
    recommended = sum(facts.recommendations.values())
    if recommended:
        rows = [r for r in facts.stats.recommendations if r["count"]]
        text += (
            f"；推优{recommended}人（"
            + "、".join(f"{r['outcome']}{r['count']}人" for r in rows)
            + "）"
        )
    else:
        text += "；系统中没有推优记录"
    return [text + "。"]


def _reports_text(facts: SummaryFacts) -> list[str]:
    figure = facts.figure
    top = sorted((r for r in facts.reports if r["total"]), key=lambda r: -r["total"])[:3]
    text = (
        f"信息报送：{facts.when}报送信息{_n(figure['reports'])}条，被采用{_n(figure['adopted'])}条"
    )
    if top:
        text += "；报送较多的单位：" + "、".join(f"{r['unit']}{r['total']}条" for r in top)
    return [text + "。"]


AREA_TEXT = {
    "volunteers": _volunteer_text,
    "youth": _youth_text,
    "organisations": _organisation_text,
    "reports": _reports_text,
}


def _honours_lines(facts: SummaryFacts) -> list[str]:
    own = [h for h in facts.honours if h.awarded]
    received = [h for h in facts.honours if not h.awarded]
    lines = []
    if own:
        batches = list(dict.fromkeys(h.batch for h in own if h.batch))
        grouped = _grouped(own)
        lines.append(
            f"1. 本级表彰：{facts.when}"
            + (f"开展{'、'.join(f'“{b}”' for b in batches)}表彰，" if batches else "")
            + f"共表彰{len(own)}项，其中"
            + "、".join(
                f"{name}{len(names)}{'名' if personal else '个'}"
                for (name, _), (names, personal) in _with_kind(own, grouped).items()
            )
            + "。"
        )
    else:
        lines.append(f"1. 本级表彰：{facts.when}系统中没有本级表彰的记录。")
    if received:
        grouped = _grouped(received)
        lines.append(
            f"2. 获得上级荣誉{len(received)}项："
            + "；".join(
                f"{level}“{name}”{len(names)}项（{_listed(names, '项')}）"
                for (name, level), names in grouped.items()
            )
            + "。"
        )
    else:
        lines.append(f"2. 获得上级荣誉：{facts.when}系统中没有获得上级荣誉的记录。")
    return lines


def _with_kind(
    honours: Sequence[HonourFact], grouped: dict[tuple[str, str], list[str]]
) -> dict[tuple[str, str], tuple[list[str], bool]]:
    personal = {(h.type, h.level): h.personal for h in honours}
    return {key: (names, personal[key]) for key, names in grouped.items()}


def _grouped(honours: Sequence[HonourFact]) -> dict[tuple[str, str], list[str]]:
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for honour in honours:
        grouped[(honour.type, honour.level)].append(honour.recipient)
    return grouped


# --- 二、存在的问题和不足 ----------------------------------------------------------------------


def _problems(facts: SummaryFacts) -> list[str]:
    found = [
        *_task_problems(facts),
        *_quiet_sections(facts),
        *_term_problems(facts),
        *_volunteer_problems(facts),
        *_youth_problems(facts),
        *_report_problems(facts),
    ]
    if not found:
        return [
            "系统记录中没有发现逾期任务、超期未换届、服务时长不足等问题。"
            "（以上依据系统记录起草，请结合实际补充。）"
        ]
    return [f"{i}. {text}" for i, text in enumerate(found, start=1)]


def _task_text(task: TaskFact) -> str:
    bits = [PlanItemStatus.label_of(task.status)]
    if task.due_date:
        bits.append(f"时限{task.due_date.year}年{task.due_date.month}月{task.due_date.day}日")
    if task.owner:
        bits.append(f"责任人：{task.owner}")
    return task.title + (f"（{'，'.join(bits)}）" if bits else "")


def _task_problems(facts: SummaryFacts) -> list[str]:
    found = []
    if overdue := facts.overdue:
        found.append(
            f"计划任务中有{len(overdue)}项已过完成时限仍未完成："
            + "；".join(_task_text(t) for t in overdue)
            + "。"
        )
    overdue_ids = {t.id for t in overdue}
    todo = [  # not started, though due by the period's end (later ones go to the next steps)
        t
        for t in facts.tasks
        if t.status == PlanItemStatus.TODO
        and t.id not in overdue_ids
        and (t.due_date is None or t.due_date <= facts.period.end)
    ]
    if todo and not facts.running:
        found.append(f"{len(todo)}项任务尚未开始：" + "；".join(_task_text(t) for t in todo) + "。")
    return found


def _quiet_sections(facts: SummaryFacts) -> list[str]:
    quiet = [
        s.title
        for s in facts.sections
        if s.id is not None and facts.tasks_of(s) and not facts.held_of(facts.tasks_of(s))
    ]
    if not quiet:
        return []
    return [f"{facts.when}以下板块没有开展（或没有关联）活动：{'；'.join(quiet)}。"]


def _term_problems(facts: SummaryFacts) -> list[str]:
    overdue = [o.name for o in facts.organisations if o.term_status == TermStatus.OVERDUE]
    missing = [o.name for o in facts.organisations if o.term_status == TermStatus.MISSING]
    found = []
    if overdue:
        found.append(f"任期已满、超期未换届的团组织{len(overdue)}个：{_listed(overdue)}。")
    if missing:
        found.append(f"未填写换届时间、换届情况不明的团组织{len(missing)}个：{_listed(missing)}。")
    return found


def _volunteer_problems(facts: SummaryFacts) -> list[str]:
    found = []
    registered = sum(f.registered for f in facts.volunteers)
    if under := facts.under:
        idle = sum(1 for f in under if not f.served)
        share = f"，占{len(under) / registered:.0%}" if registered else ""
        found.append(
            f"志愿服务参与不均衡：{VolunteerStatus.ACTIVE.label}志愿者{registered}名中，"
            f"{facts.when}服务时长不足{_n(facts.minimum)}小时的{len(under)}名{share}"
            + (f"，其中{idle}名未参加服务" if idle else "")
            + "。"
        )
    pending = facts.hours.records.get(ServiceStatus.PENDING, 0)
    if pending:
        found.append(
            f"尚有{pending}条服务记录（{_n(facts.hours.pending)}小时）待审核，未计入服务时长。"
        )
    return found


def _youth_problems(facts: SummaryFacts) -> list[str]:
    found = []
    failed = [
        f.name
        for f in facts.youth
        if (ReviewKind.ANNUAL, ReviewResult.FAIL) in [(k, r) for k, r, _ in f.reviews]
    ]
    sanctioned = [
        f"{f.name}（{ReviewKind.label_of(kind)}：{reason}）" if reason else f.name
        for f in facts.youth
        for kind, _, reason in f.reviews
        if kind in statistics.SANCTIONS
    ]
    unreviewed = [
        f.name
        for f in facts.youth
        if not any(kind == ReviewKind.ANNUAL for kind, _, _ in f.reviews)
    ]
    if failed:
        found.append(f"青年文明号年审不合格{len(failed)}个：{_listed(failed)}。")
    if sanctioned:
        found.append(f"青年文明号受到警示或处理：{'；'.join(sanctioned)}。")
    if unreviewed and not facts.period.is_half:
        when = "本年度" if facts.running else f"{facts.year}年度"
        found.append(f"{when}尚未年审的青年文明号{len(unreviewed)}个：{_listed(unreviewed)}。")
    return found


def _report_problems(facts: SummaryFacts) -> list[str]:
    silent = [r["unit"] for r in facts.reports if not r["total"]]
    if not silent or len(silent) == len(facts.reports):
        return ["信息报送工作没有记录，请核实。"] if facts.reports and silent else []
    return [f"{facts.when}没有报送团内信息的单位{len(silent)}个：{_listed(silent)}。"]


# --- 三、下一年工作思路 ------------------------------------------------------------------------


def _next_steps(facts: SummaryFacts) -> list[str]:
    found = []
    open_tasks = [t for t in facts.tasks if t.status in OPEN]
    if open_tasks:
        found.append(
            f"继续推进未完成的计划任务（{len(open_tasks)}项）："
            + "；".join(
                f"{t.title}（{PlanItemStatus.label_of(t.status)}"
                + (f"，进度{t.progress}%" if t.status == PlanItemStatus.ONGOING else "")
                + "）"
                for t in open_tasks
            )
            + "。"
        )
    if facts.key_dates:
        found.append(
            f"抓住{facts.next_period.name}的重要时间节点，提前谋划活动："
            + "、".join(f"{_day(kd.on, kd.on.year)}{kd.name}" for kd in facts.key_dates)
            + "。"
        )
    ending = [
        o.name
        for o in facts.organisations
        if o.term_start and facts.next_period.covers(add_years(o.term_start, o.term_years))
    ]
    late = [o.name for o in facts.organisations if o.term_status in (TermStatus.OVERDUE,)]
    if ending or late:
        text = "按期做好团组织换届："
        if ending:
            text += (
                f"{len(ending)}个团组织任期将于{facts.next_period.name}届满（{_listed(ending)}）"
            )
        if late:
            text += ("；" if ending else "") + f"超期的{len(late)}个尽快完成换届"
        found.append(text + "。")
    if facts.cycles:
        names = [row["recipient"] for row in facts.cycles]
        found.append(
            f"做好青年文明号动态管理：{len(names)}个集体的创建周期将于{facts.next_period.name}"
            f"届满，需复核（{_listed(names)}）。"
        )
    if facts.under:
        found.append(
            f"加强志愿者队伍管理：动员服务时长不足{_n(facts.minimum)}小时的"
            f"{len(facts.under)}名志愿者参加服务，做好时长登记和审核。"
        )
    if any(h.awarded for h in facts.honours) and not facts.period.is_half:
        found.append(f"“五四”前后做好{facts.year}年度先进集体和优秀个人的评选表彰。")
    if not found:
        return [f"（系统记录中没有可据以起草的内容，请根据{facts.next_period.name}工作计划补充。）"]
    return [f"{i}. {text}" for i, text in enumerate(found, start=1)]


# --- keeping the clerk's edits ------------------------------------------------------------------


def _draft_key(year: int, half: bool) -> str:
    return f"{year}上半年" if half else str(year)


def saved_summary_draft(session: Session, year: int, *, half: bool = False) -> str | None:
    """The clerk's edited draft of ``year`` (or its first half), if one was saved."""
    return get_setting(session, DRAFTS_SETTING).get(_draft_key(year, half))


def save_summary_draft(session: Session, year: int, text: str, *, half: bool = False) -> None:
    drafts = dict(get_setting(session, DRAFTS_SETTING))  # a new dict, so the JSON column updates
    drafts[_draft_key(year, half)] = text
    set_setting(session, DRAFTS_SETTING, drafts)


def _document_title(year: int, half: bool) -> str:
    return f"{year}年上半年工作总结" if half else f"{year}年度工作总结"


def export_summary_pdf(
    path: str | Path,
    text: str,
    *,
    year: int,
    half: bool = False,
    progress: Progress | None = None,
) -> Path:
    """The (edited) draft as a printable PDF in the bundled font."""
    return write_summary_pdf(path, text, title=_document_title(year, half), progress=progress)


def export_summary_docx(
    path: str | Path,
    text: str,
    *,
    year: int,
    half: bool = False,
    progress: Progress | None = None,
) -> Path:
    """The (edited) draft as a Word document the secretary finishes in Word or WPS."""
    return write_summary_docx(path, text, title=_document_title(year, half), progress=progress)


def summary_file_kinds() -> dict[str, str]:
    """Suffix → what it is, for the dialogs and the command line."""
    return {".docx": "Word 文档", ".pdf": "PDF 文件", ".txt": "纯文本"}
