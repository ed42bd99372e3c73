"""A realistic demo database: the seed plan, ~20 health units, people, volunteers, hours, honours.

Deterministic (a fixed random seed) so screenshots and benchmarks compare. ``scale`` multiplies
the people: scale 1 ≈ 200 volunteers and 2,000 service records; scale 50 ≈ 10,000 and 100,000.
Bulk rows go in through Core inserts (no audit lines: this is not a clerk's change).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from stdnum.cn import ric

from desk_league.data.models import (
    Activity,
    CertificateTemplate,
    Commendation,
    Honour,
    HonourReview,
    HonourType,
    InfoReport,
    KeyDate,
    LeagueMember,
    LeaguePost,
    LeagueRecommendation,
    Organisation,
    Person,
    Plan,
    PlanItem,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import (
    ActivityStatus,
    CommendationStatus,
    Education,
    InfoReportStatus,
    LeaguePostKind,
    MemberStatus,
    OrgKind,
    PlanItemKind,
    PlanItemStatus,
    PlanStatus,
    PoliticalStatus,
    RecommendationStage,
    ReviewKind,
    ReviewResult,
    ServiceStatus,
    VolunteerStatus,
)
from desk_league.domain.dates import add_years, age_on
from desk_league.domain.volunteering import DAILY_HOURS_CAP
from desk_league.services.people import name_sort_keys
from desk_league.services.reference import seed_reference_data
from desk_league.services.settings import set_setting

COUNCIL, GENERAL, BRANCH = OrgKind.COUNCIL, OrgKind.GENERAL, OrgKind.BRANCH
# unit, organisation kind, departments (league branches under a 团委/团总支)
UNITS = [
    ("市人民医院", COUNCIL, ["内科", "外科", "医技", "护理", "行政后勤"]),
    ("市中医医院", COUNCIL, ["临床一", "临床二", "护理"]),
    ("市妇幼保健院", COUNCIL, ["妇产科", "儿科", "护理"]),
    ("市疾病预防控制中心", GENERAL, ["业务", "检验"]),
    ("市中心血站", BRANCH, []),
    ("市第二人民医院", GENERAL, ["临床", "护理"]),
    ("市精神卫生中心", BRANCH, []),
    ("市口腔医院", BRANCH, []),
    ("市肿瘤医院", GENERAL, ["临床", "医技"]),
    ("市传染病医院", BRANCH, []),
    ("市急救中心", BRANCH, []),
    ("市卫生健康综合监督执法支队", BRANCH, []),
    ("市职业病防治院", BRANCH, []),
    ("市眼科医院", BRANCH, []),
    ("市康复医院", BRANCH, []),
    ("市皮肤病防治所", BRANCH, []),
    ("市卫生学校", GENERAL, ["教师", "学生"]),
    ("市健康教育中心", BRANCH, []),
    ("市医疗保障服务中心", BRANCH, []),
    ("市卫生健康委机关", BRANCH, []),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩然博文子涵俊杰"
POLITICAL = ["共青团员"] * 6 + ["中共党员", "中共预备党员", "群众"]
POLITICAL_CODES = {
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": PoliticalStatus.PROBATIONARY,
    "群众": PoliticalStatus.MASSES,
}
ETHNIC = ["汉族"] * 17 + ["回族", "满族", "蒙古族"]
EDUCATION = (
    [Education.BACHELOR] * 6
    + [Education.MASTER] * 2
    + [Education.COLLEGE] * 2
    + [Education.DOCTORATE]
)
DEPARTMENTS = ["内科", "外科", "儿科", "护理部", "检验科", "药剂科", "医务科", "办公室"]
TEAMS = ["卫生下乡", "无偿献血", "健康教育", "卫生应急"]
REGIONS = ["371202", "371203", "370102", "370103"]

# The seed plan: 五大块, each a section with its tasks (time node, month due, activity hook).
PLAN_SECTIONS = [
    (
        "一、",
        "继续巩固团员青年思想道德基础",
        [
            ("紧抓“五四”“十一”等重大时间节点开展爱国主义主题教育", "五四、十一前后", 10),
            ("以“两好一满意”活动为载体组织宣教活动", "全年", 12),
            ("持续深入开展创建学习型团组织活动", "全年", 12),
            ("举办形势政策报告会、革命圣地参观学习和演讲比赛", "上半年", 6),
        ],
    ),
    (
        "二、",
        "全面深化青年文明号创建活动",
        [
            ("开展青年文明号“爱心同行——真情助困进万家”活动", "下半年", 11),
            ("以争创“号、手”为载体开展技能培训、技能练兵、技术比武", "全年", 10),
            ("加强青年文明号动态管理，培养推荐国家级、省级青年文明号", "全年", 12),
            ("组织青年文明号负责人参加上级团委培训", "按上级通知", 9),
        ],
    ),
    (
        "三、",
        "积极推进青年志愿服务工作",
        [
            ("成立青年志愿者协会卫生分会", "上半年", 6),
            ("“3.5青年志愿者服务日”前后开展学雷锋志愿者集中活动", "3月5日前后", 3),
            ("植树节期间开展保护母亲河植绿护绿活动", "3月12日前后", 3),
            ("九九老人节期间开展志愿者服务老年人活动", "重阳节前后", 10),
            ("“12.5国际志愿者日”前后开展志愿者品牌宣传活动", "12月5日前后", 12),
            ("开展卫生下乡、无偿献血、健康教育、卫生应急志愿服务", "全年", 12),
        ],
    ),
    (
        "四、",
        "不断完善团的组织建设",
        [
            ("督促指导团组织按时换届", "全年", 12),
            ("加大团干部培训力度", "下半年", 9),
            ("深入开展争创“五四红旗团委”活动", "五四前", 4),
            ("“五四”前后表彰先进团组织和优秀个人", "五四前后", 5),
            ("做好“推优”工作", "全年", 12),
        ],
    ),
    (
        "五、",
        "切实加强卫生青年文化建设",
        [
            ("利用春节、五四、国庆等节日开展文体活动", "节日前后", 10),
            ("开展青年联谊活动，加强各单位团组织横向联系", "下半年", 11),
            ("选拔优秀节目参加全市青年文化艺术节", "按上级通知", 8),
            ("完善团内信息报送工作", "全年", 12),
        ],
    ),
]

TEN_TASKS = [
    "继续把团建创新作为重点抓好",
    "抓好抓基层、打基础、培养基本工作力量的“三基”工作",
    "组织青年开展各类技能培训、岗位竞赛、技术比武等活动",
    "加强共青团的工作空间拓展与关键环节突破",
    "进一步加强青年就业创业工作",
    "加强青年普遍性利益诉求的信息获取、调查研究和表达路径建设",
    "重视媒体整合与宣传",
    "加强全团作风建设",
    "推进重点领域与关键环节的创新",
    "重视共青团组织服务青年、服务基层的能力建设",
]

# title, category, month, day, key date name (or None), linked task title prefix
ACTIVITIES = [
    ("“学雷锋”志愿者集中服务活动", "志愿服务", 3, 5, "学雷锋纪念日·中国青年志愿者服务日", "“3.5"),
    ("保护母亲河植绿护绿志愿活动", "志愿服务", 3, 12, "植树节", "植树节"),
    ("“祖国发展我成长”五四主题演讲比赛", "主题教育", 4, 28, "五四青年节", "举办形势政策"),
    ("五四表彰大会暨青年文明号授牌仪式", "组织建设", 5, 4, "五四青年节", "“五四”前后表彰"),
    ("“国旗下的讲话”爱国主义主题教育", "主题教育", 5, 6, "五四青年节", "紧抓“五四”"),
    ("护理技能比武大赛", "技能竞赛", 6, 18, None, "以争创“号、手”"),
    ("基层团干部培训班", "培训", 7, 10, None, "加大团干部培训"),
    ("“服务钢博会”志愿服务", "志愿服务", 8, 22, None, "开展卫生下乡"),
    ("卫生下乡义诊志愿服务", "志愿服务", 9, 15, None, "开展卫生下乡"),
    ("重阳节志愿者服务老年人活动", "志愿服务", 10, 18, "重阳节（老年节）", "九九老人节"),
    ("青年联谊交流活动", "文体活动", 10, 25, None, "开展青年联谊"),
    ("国际志愿者日品牌宣传活动", "宣传信息", 12, 5, "国际志愿者日", "“12.5"),
    ("新春文艺联欢会", "文体活动", 1, 20, "春节", "利用春节"),
    ("无偿献血志愿服务", "志愿服务", 6, 14, None, "开展卫生下乡"),
]


class _People:
    """Generates plausible staff with valid resident ID numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def name(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def id_number(self, birth: date, female: bool, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        while True:
            seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 10)
            seq = seq - seq % 2 + (0 if female else 1)
            body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")  # it expects a check-digit slot
            if number not in self.used:
                self.used.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def row(self, organisation_id: int, department: str, today: date, young: bool = True) -> dict:
        female = self.rng.random() < 0.62  # health workforces are mostly women
        age = self.rng.randint(20, 27) if young else self.rng.randint(22, 40)
        birth = today - timedelta(days=age * 365 + self.rng.randrange(365))
        joined = add_years(birth, self.rng.randint(14, 18))
        return {
            "name": self.name(),
            "gender": "女" if female else "男",
            "id_type": "居民身份证",
            "id_number": self.id_number(birth, female),
            "birth_date": birth,
            "phone": self.phone(),
            "organisation_id": organisation_id,
            "department": department,
            "political_status": POLITICAL_CODES[
                self.rng.choice(POLITICAL) if young else "中共党员"
            ],
            "league_joined_on": joined,
            "note": "",
        }


def build_demo(
    session: Session,
    *,
    scale: int = 1,
    today: date | None = None,
    progress: Callable[[int, int | None, str], None] | None = None,
) -> dict[str, int]:
    """Fill an empty database with the demo office. Returns counts per table."""
    today = today or date.today()
    rng = random.Random(20250504)
    report = progress or (lambda done, total, text: None)
    seed_reference_data(session)
    session.flush()
    set_setting(session, "office_name", "市卫生健康委团委")
    set_setting(session, "seal_image", "seals/demo_seal.png")  # a drawn stand-in, marked 样章
    report(1, 7, "团组织")
    orgs = _organisations(session, rng, today)
    report(2, 7, "人员与志愿者")
    people = _People(rng)
    person_ids, org_people = _people(session, people, orgs, scale, today)
    members = _league_roles(session, people, orgs, org_people, today)
    volunteers = _volunteers(session, rng, person_ids, scale, today)
    report(3, 7, "工作计划")
    tasks = _plan(session, today.year, orgs)
    report(4, 7, "活动")
    activities = _activities(session, rng, orgs, tasks, today)
    report(5, 7, "志愿服务记录")
    records = _service_records(session, rng, volunteers, activities, scale, today)
    report(6, 7, "荣誉与表彰")
    honours = _honours(session, rng, orgs, org_people, today)
    _info_reports(session, rng, orgs, activities, today)
    report(7, 7, "完成")
    return {
        "organisations": len(orgs),
        "people": len(person_ids),
        "members": members,
        "volunteers": len(volunteers),
        "service_records": records,
        "activities": len(activities),
        "honours": honours,
    }


def _organisations(session: Session, rng: random.Random, today: date) -> list[Organisation]:
    root = Organisation(
        kind=COUNCIL,
        name="市卫生健康委团委",
        unit="市卫生健康委",
        term_start=date(today.year - 2, 6, 1),
    )
    session.add(root)
    orgs = [root]
    for position, (unit, kind, departments) in enumerate(UNITS):
        org = Organisation(
            kind=kind,
            name=f"{unit}{kind.label}",
            unit=unit,
            parent=root,
            position=position,
            established_on=date(rng.randint(1985, 2010), rng.randint(1, 12), 1),
            term_start=_term_start(rng, today, 3 if kind == COUNCIL else 2, position),
        )
        org.demo_size = rng.randint(12, 40)  # type: ignore[attr-defined]
        session.add(org)
        orgs.append(org)
        for i, dept in enumerate(departments):
            student = dept == "学生"  # a school's student branch elects every year
            branch = Organisation(
                kind=BRANCH,
                name=f"{unit}{dept}{BRANCH.label}",
                unit=unit,
                parent=org,
                position=i,
                student=student,
                term_start=_term_start(rng, today, 1 if student else 2, position + i + 1),
            )
            branch.demo_size = rng.randint(10, 35)  # type: ignore[attr-defined]
            session.add(branch)
            orgs.append(branch)
    session.flush()
    return orgs


def _term_start(rng: random.Random, today: date, years: int, n: int) -> date | None:
    if n % 11 == 7:
        return None  # a branch that never recorded its election: the register flags it
    if n % 7 == 3:
        return add_years(today, -years) - timedelta(days=rng.randint(20, 200))  # overdue
    return today - timedelta(days=rng.randint(60, years * 365 - 30))


def _people(session, people: _People, orgs, scale: int, today: date):
    rows = []
    for org in orgs[1:]:
        for _ in range(max(2, org.demo_size // 3) * scale):
            department = org.name.replace(org.unit, "").removesuffix(BRANCH.label)
            if org.kind != BRANCH or not department:
                department = people.rng.choice(DEPARTMENTS)
            rows.append(people.row(org.id, department, today))
    _vary_ages(people, orgs, rows, today)
    for row in rows:
        row.update(name_sort_keys(row["name"]))
    ids = list(
        session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), rows)
    )
    org_people: dict[int, list[int]] = {}
    for pid, row in zip(ids, rows, strict=True):
        org_people.setdefault(row["organisation_id"], []).append(pid)
    for org in orgs[1:]:  # the first member of each organisation is its secretary
        if org_people.get(org.id):
            org.secretary_id = org_people[org.id][0]
    session.flush()
    return ids, org_people


def _vary_ages(people: _People, orgs, rows: list[dict], today: date) -> None:
    """Some members at 28 or past it (the 超龄离团 list), the health school's students at 18 to 20
    (the youngest 推优 may take). A random stream of its own, so the rest of the demo stays as
    it was."""
    rng = random.Random(20260504)
    students = {o.id for o in orgs if o.name.endswith(f"学生{BRANCH.label}")}
    seen: set[int] = set()
    for row in rows:
        row["ethnicity"], row["education"] = rng.choice(ETHNIC), rng.choice(EDUCATION)
        if row["organisation_id"] not in seen:  # its 书记 (see ``_people``): a 共青团员
            seen.add(row["organisation_id"])
            row["political_status"] = PoliticalStatus.LEAGUE_MEMBER
        if row["organisation_id"] in students:
            age = rng.randint(18, 20)  # volunteers among them register as adults
        elif rng.random() < 0.05:
            age = 28
        else:
            continue
        female = row["gender"] == "女"
        birth = today - timedelta(days=age * 365 + rng.randrange(300))
        row["birth_date"] = birth
        row["id_number"] = people.id_number(birth, female, rng)
        row["league_joined_on"] = add_years(birth, rng.randint(14, 17))


def _league_roles(session, people: _People, orgs, org_people, today: date) -> int:
    """团员, 团干部 and 推优: every staff member but the 群众 is a 团员; each organisation's first
    member is its 书记 (from its term start), the next ones its 组织委员 and 宣传委员; some
    members of 28 have left (超龄离团); a dozen 推优 records at every stage."""
    rng = random.Random(20260701)
    rows = session.execute(
        select(Person.id, Person.political_status, Person.birth_date, Person.organisation_id)
    ).all()
    secretaries = {ids[0] for ids in org_people.values() if ids}
    members = []
    left = 0
    for row in rows:
        if row.political_status == PoliticalStatus.MASSES and row.id not in secretaries:
            continue
        status, left_on = MemberStatus.ACTIVE, None
        aged = row.birth_date is not None and age_on(row.birth_date, today) >= 28
        if aged and row.id not in secretaries and left < 3:
            status, left_on, left = MemberStatus.AGED_OUT, add_years(row.birth_date, 28), left + 1
        members.append(
            {
                "person_id": row.id,
                "number": None,
                "status": status,
                "left_on": left_on,
                "left_reason": "超龄离团" if left_on else "",
                "note": "",
            }
        )
    session.execute(insert(LeagueMember), members)
    posts = []
    by_id = {o.id: o for o in orgs}
    on_register = {m["person_id"] for m in members if m["status"] == MemberStatus.ACTIVE}
    for org_id, everyone in org_people.items():
        org = by_id[org_id]
        ids = [pid for pid in everyone if pid in on_register]
        started = org.term_start or today - timedelta(days=400)
        kinds = [LeaguePostKind.SECRETARY, LeaguePostKind.ORGANISING, LeaguePostKind.PUBLICITY]
        for person_id, kind in zip(ids[: 3 if len(ids) >= 4 else 1], kinds, strict=False):
            posts.append(
                {
                    "person_id": person_id,
                    "organisation_id": org_id,
                    "post": kind,
                    "title": "",
                    "started_on": started,
                    "ended_on": None,
                }
            )
    session.execute(insert(LeaguePost), posts)
    _recommendations(session, rng, rows, secretaries, today)
    return len(members)


def _recommendations(session, rng: random.Random, rows, secretaries, today: date) -> None:
    eligible = [
        row
        for row in rows
        if row.political_status == PoliticalStatus.LEAGUE_MEMBER
        and row.birth_date is not None
        and 19 <= age_on(row.birth_date, today) < 27
        and row.id not in secretaries
    ]
    stages = [
        RecommendationStage.RECOMMENDED,
        RecommendationStage.ACTIVIST,
        RecommendationStage.CANDIDATE,
        RecommendationStage.PROBATIONARY,
        RecommendationStage.FULL_MEMBER,
    ]
    for i, row in enumerate(rng.sample(eligible, min(12, len(eligible)))):
        reached = stages[i % len(stages)]
        on = today - timedelta(days=120 + 365 * stages.index(reached) + rng.randrange(90))
        dates = {}
        when = on
        for stage, column in zip(
            stages[1:],
            ("activist_on", "candidate_on", "probationary_on", "full_member_on"),
            strict=True,
        ):
            if stages.index(stage) > stages.index(reached):
                break
            when = when + timedelta(days=300 + rng.randrange(40))
            dates[column] = min(when, today)
        session.add(
            LeagueRecommendation(
                person_id=row.id,
                organisation_id=row.organisation_id,
                recommended_on=on,
                stage=reached,
                **dates,
            )
        )
        political = {
            RecommendationStage.PROBATIONARY: PoliticalStatus.PROBATIONARY,
            RecommendationStage.FULL_MEMBER: PoliticalStatus.PARTY_MEMBER,
        }.get(reached)
        if political is not None:
            session.execute(
                update(Person).where(Person.id == row.id).values(political_status=political)
            )
    session.flush()


def _volunteers(session, rng: random.Random, person_ids: list[int], scale: int, today: date):
    chosen = rng.sample(person_ids, min(len(person_ids), 200 * scale))
    births = {
        pid: birth
        for pid, birth in session.execute(
            select(Person.id, Person.birth_date).where(Person.id.in_(chosen))
        )
    }
    rows = []
    for seq, pid in enumerate(sorted(chosen), start=1):
        # staff register as adults (the rules ask for 14, and a guardian's consent under 18)
        registered = max(
            today - timedelta(days=rng.randint(30, 6 * 365)), add_years(births[pid], 18)
        )
        rows.append(
            {
                "person_id": pid,
                "number": f"WJ{registered.year}{seq:05d}",
                "registered_on": registered,
                "team": rng.choice(TEAMS),
                "skills": rng.choice(["", "急救", "健康宣教", "心理疏导", "护理", "摄影"]),
                "status": (
                    VolunteerStatus.ACTIVE
                    if rng.random() < 0.93
                    else rng.choice([VolunteerStatus.PAUSED, VolunteerStatus.CLOSED])
                ),
                "note": "",
            }
        )
    ids = list(
        session.scalars(
            insert(Volunteer).returning(Volunteer.id, sort_by_parameter_order=True), rows
        )
    )
    return {vid: row["registered_on"] for vid, row in zip(ids, rows, strict=True)}


# Who answers for each block of the plan (责任人), by section.
PLAN_OWNERS = ["宣传委员", "团委副书记", "志愿者协会卫生分会", "组织委员", "宣传委员", "团委书记"]


def _plan(session: Session, year: int, orgs: list[Organisation]) -> dict[str, PlanItem]:
    plan = Plan(
        year=year,
        title=f"{year}年市直卫生系统共青团工作计划",
        approach=(
            "紧紧围绕“一个中心”、结合“两个载体”、突出“两个重点”、夯实两个基础，努力实现“一个目标”。"
        ),
        status=PlanStatus.ISSUED,
    )
    session.add(plan)
    tasks: dict[str, PlanItem] = {}
    sections = [*PLAN_SECTIONS, ("第五，", "突出“十项工作”", [(t, "全年", 12) for t in TEN_TASKS])]
    for s_pos, (number, title, items) in enumerate(sections):
        section = PlanItem(
            plan=plan, kind=PlanItemKind.SECTION, number=number, title=title, position=s_pos
        )
        session.add(section)
        session.flush()
        for t_pos, (task_title, node, month) in enumerate(items):
            # The committee leads most tasks; every third one is led by a unit's league body.
            lead = (
                orgs[0] if (s_pos + t_pos) % 3 else orgs[1 + (s_pos * 5 + t_pos) % (len(orgs) - 1)]
            )
            task = PlanItem(
                plan=plan,
                parent_id=section.id,
                kind=PlanItemKind.TASK,
                number=f"{t_pos + 1}、",
                title=task_title,
                owner=PLAN_OWNERS[s_pos],
                time_node=node,
                lead_unit_id=lead.id,
                due_date=date(year, month, 28 if month == 2 else 30 if month != 12 else 31),
                position=t_pos,
            )
            session.add(task)
            tasks[task_title] = task
    session.flush()
    return tasks


def _activities(session, rng, orgs, tasks, today: date) -> list[Activity]:
    key_dates = {k.name: k for k in session.scalars(select(KeyDate))}
    units = [o for o in orgs if o.kind != BRANCH]
    created = []
    for year in (today.year - 1, today.year):
        for title, category, month, day, key_name, task_prefix in ACTIVITIES:
            start = date(year, month, day)
            if start > today + timedelta(days=60):
                continue
            done = start <= today
            activity = Activity(
                title=f"{year}年{title}",
                category=category,
                start_date=start,
                end_date=start + timedelta(days=rng.choice([0, 0, 1])),
                place=rng.choice(
                    [
                        "市人民医院门诊广场",
                        "市卫生健康委会议室",
                        "人民公园",
                        "莱城区社区卫生服务中心",
                    ]
                ),
                organiser=orgs[0] if rng.random() < 0.5 else rng.choice(units),
                participant_count=rng.randint(20, 150),
                key_date=key_dates.get(key_name),
                summary=f"{title}顺利开展，团员青年积极参与。" if done else "",
                status=ActivityStatus.DONE if done else ActivityStatus.PLANNED,
            )
            session.add(activity)
            created.append(activity)
            task = next((t for name, t in tasks.items() if name.startswith(task_prefix)), None)
            if task is not None and year == today.year:
                task.activities.append(activity)
    session.flush()
    for task in tasks.values():
        finished = [a for a in task.activities if a.status == ActivityStatus.DONE]
        if finished:
            task.status, task.progress = PlanItemStatus.ONGOING, 60
        if task.due_date and task.due_date < today and finished:
            task.status, task.progress = PlanItemStatus.DONE, 100
    return created


def _service_records(session, rng, volunteers, activities, scale: int, today: date) -> int:
    """``2000 * scale`` records that meet the rules a clerk's entry meets (``domain.volunteering``
    and ``service_hours``): past dates, served after registering, at most 24 hours a day, and
    never the same service twice on one day."""
    service = [
        a for a in activities if a.category == "志愿服务" and a.status == ActivityStatus.DONE
    ]
    contents = [
        "健康宣教",
        "义诊咨询",
        "无偿献血引导",
        "社区随访",
        "应急演练保障",
        "老年人健康体检",
    ]
    volunteer_ids = list(volunteers)
    taken: set[tuple] = set()  # (volunteer, day, activity or content): one record per service
    day_hours: dict[tuple[int, date], float] = {}
    wanted, rows, made = 2000 * scale, [], 0
    while made < wanted:
        activity = rng.choice(service) if service and rng.random() < 0.6 else None
        served = (
            activity.start_date if activity else today - timedelta(days=rng.randint(1, 3 * 365))
        )
        volunteer_id = rng.choice(volunteer_ids)
        content = activity.title if activity else rng.choice(contents)
        hours = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0])
        service_key = (volunteer_id, served, activity.id if activity else content)
        day = (volunteer_id, served)
        if (
            served < volunteers[volunteer_id]
            or service_key in taken
            or day_hours.get(day, 0.0) + hours > DAILY_HOURS_CAP
        ):
            continue  # drawn again: a clerk could not have entered it
        taken.add(service_key)
        day_hours[day] = day_hours.get(day, 0.0) + hours
        status = (
            ServiceStatus.APPROVED
            if rng.random() < 0.85
            else rng.choice([ServiceStatus.PENDING, ServiceStatus.PENDING, ServiceStatus.VOID])
        )
        rows.append(
            {
                "volunteer_id": volunteer_id,
                "activity_id": activity.id if activity else None,
                "served_on": served,
                "hours": hours,
                "content": content,
                "place": activity.place if activity else "社区卫生服务中心",
                "organiser": "市卫生健康委团委",
                "entered_by": "团委办公室",
                "status": status,
                "verified_by": "团委办公室" if status == ServiceStatus.APPROVED else "",
                "verified_at": datetime.combine(served, datetime.min.time())
                if status == ServiceStatus.APPROVED
                else None,
                "void_reason": "重复录入" if status == ServiceStatus.VOID else "",
            }
        )
        made += 1
        if len(rows) == 5000:
            session.execute(insert(ServiceRecord), rows)
            rows = []
    if rows:
        session.execute(insert(ServiceRecord), rows)
    return wanted


def _honours(session, rng, orgs, org_people, today: date) -> int:
    types = {t.name: t for t in session.scalars(select(HonourType))}
    year = today.year - 1 if today.month < 5 else today.year
    count = 0
    # 青年文明号: collectives at three levels, with stars and reviews
    for i, org in enumerate(o for o in orgs if o.kind != COUNCIL or o.parent_id):
        if i % 3:
            continue
        level = ["国家级", "省级", "市级", "市级"][i % 4]
        honour = Honour(
            honour_type=types["青年文明号"],
            title="青年文明号",
            level=level,
            year=today.year - 1 - i % 4,
            collective_name=f"{org.unit}{rng.choice(['急诊科', '儿科', '护理部', '检验科', '门诊部'])}",
            organisation_id=org.id,
            granting_body={"国家级": "共青团中央", "省级": "共青团省委"}.get(level, "共青团市委"),
            granted_on=date(today.year - 1 - i % 4, 5, 4),
            star=1 + (i // 3) % 3,
        )
        session.add(honour)
        session.flush()
        reviewed = date(today.year - 1, 12, 15)
        session.add(
            HonourReview(
                honour_id=honour.id,
                reviewed_on=reviewed,
                kind=ReviewKind.ANNUAL,
                result=ReviewResult.PASS if i % 7 else ReviewResult.FAIL,
            )
        )
        if not i % 7:  # a failed review brings a warning (警示) with its reason
            session.add(
                HonourReview(
                    honour_id=honour.id,
                    reviewed_on=reviewed,
                    kind=ReviewKind.WARNING,
                    reason="年审不合格：服务台账不完整",
                )
            )
        count += 1
    # the approved commendation batch with ~40 recipients
    template = session.scalar(select(CertificateTemplate))
    batch = Commendation(
        title=f"{year - 1}年度市直卫生系统共青团先进集体和先进个人",
        year=year - 1,
        decided_on=date(year, 4, 28),
        reference_date=date(year, 5, 4),
        document_number=f"卫团发〔{year}〕3号",
        granting_body="市卫生健康委团委",
        status=CommendationStatus.APPROVED,
        template_id=template.id if template else None,
    )
    session.add(batch)
    session.flush()
    seq = 0
    recipients = [("优秀共青团员", 24), ("优秀共青团干部", 8), ("优秀青年志愿者", 4)]
    member_orgs = [o for o in orgs[1:] if org_people.get(o.id)]
    for type_name, n in recipients:
        for _ in range(n):
            org = rng.choice(member_orgs)
            seq += 1
            session.add(
                Honour(
                    honour_type=types[type_name],
                    title=type_name,
                    level="系统级",
                    year=year - 1,
                    person_id=rng.choice(org_people[org.id]),
                    granting_body=batch.granting_body,
                    document_number=batch.document_number,
                    granted_on=batch.decided_on,
                    certificate_number=f"{year - 1}-{seq:03d}",
                    commendation_id=batch.id,
                )
            )
    for org in rng.sample([o for o in orgs[1:] if o.kind == COUNCIL], 1) + rng.sample(
        [o for o in orgs if o.kind == BRANCH], 3
    ):
        seq += 1
        name = f"五四红旗{OrgKind.label_of(org.kind)}"
        session.add(
            Honour(
                honour_type=types[name],
                title=name,
                level="系统级",
                year=year - 1,
                organisation_id=org.id,
                granting_body=batch.granting_body,
                document_number=batch.document_number,
                granted_on=batch.decided_on,
                certificate_number=f"{year - 1}-{seq:03d}",
                commendation_id=batch.id,
            )
        )
    session.flush()
    return count + seq


def _info_reports(session, rng, orgs, activities, today: date) -> None:
    channels = ["上级团委", "报刊", "网站", "公众号"]
    for activity in activities:
        if activity.status != ActivityStatus.DONE:
            continue
        for _ in range(rng.randint(1, 3)):
            session.add(
                InfoReport(
                    organisation_id=(activity.organiser or orgs[0]).id,
                    reported_on=activity.start_date + timedelta(days=rng.randint(0, 5)),
                    title=f"{activity.title.split('年', 1)[-1]}圆满举行",
                    channel=rng.choice(channels),
                    status=(
                        InfoReportStatus.ADOPTED
                        if rng.random() < 0.4
                        else InfoReportStatus.SUBMITTED
                    ),
                    activity_id=activity.id,
                )
            )
    session.flush()
