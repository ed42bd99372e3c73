"""the member register: 团员 and 团干部 as roles of a person, 推优 stages, 政治面貌 as codes

Revision ID: 0007
Revises: 0009

Until now a person carried a free-text 团内职务 (``person.league_post``) and a 政治面貌 word, an
organisation a typed 团员数, and a 推优 record one outcome word. From 0007:

- ``league_member``: the 团员 role of a person (团员编号, 在团 / 离团 with its date). Every person
  the old data marks as league-related becomes one, 在团: a league joining date, 共青团员, a
  团内职务, an organisation's 书记, or a 推优 record.
- ``league_post``: each 团内职务 with its organisation and dates. The old post text becomes one
  (its organisation: the person's own, or the one they are 书记 of; a post with neither is kept
  in the person's note), and every organisation's 书记 holds a 书记 post from its term start.
- 政治面貌 is stored as a code (共青团员 → league …); a word outside the set stays as it was.
- ``person.ethnicity`` (民族) and ``person.education`` (学历) are new, empty.
- ``organisation.member_count`` goes: counts come from the register. A typed count that was
  not zero is kept in the organisation's note.
- ``league_recommendation`` records each stage's date; the old outcome becomes the stage it
  names, dated on the recommendation day (said in the note), and a word of the office's own is
  kept in the note.
- ``commendation.rules``: a batch's own eligibility rules per honour type.
- The 优秀共青团员 and 优秀共青团干部 types check 政治面貌 and a current 团内职务 by default.

Words and codes are written out here, not imported, so this migration keeps its meaning.
"""

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0009"  # written beside 0008 and 0009; the lead orders the chain
branch_labels = None
depends_on = None

POLITICAL = {
    "共青团员": "league",
    "团员": "league",
    "中共预备党员": "probationary",
    "预备党员": "probationary",
    "中共党员": "party",
    "党员": "party",
    "民主党派": "democratic",
    "群众": "masses",
}
POLITICAL_WORDS = {
    "league": "共青团员",
    "probationary": "中共预备党员",
    "party": "中共党员",
    "democratic": "民主党派",
    "masses": "群众",
}
# old outcome (a code since 0004, or a word of the office's own) → the stage it names and the
# column that dates it
OUTCOME_STAGES = {
    "recommended": ("recommended", None),
    "activist": ("activist", "activist_on"),
    "candidate": ("candidate", "candidate_on"),
    "admitted": ("probationary", "probationary_on"),
    "rejected": ("stopped", "stopped_on"),
}
STAGE_OUTCOMES = {
    "recommended": "recommended",
    "activist": "activist",
    "candidate": "candidate",
    "probationary": "admitted",
    "full_member": "admitted",
    "stopped": "rejected",
}
STAGE_WORDS = {
    "activist": "列为入党积极分子",
    "candidate": "列为发展对象",
    "admitted": "已发展入党",
    "rejected": "未通过",
}
POST_WORDS = {
    "secretary": "书记",
    "deputy": "副书记",
    "organising": "组织委员",
    "publicity": "宣传委员",
    "committee": "委员",
}
HONOUR_RULES = {"优秀共青团员": "league_member", "优秀共青团干部": "holds_post"}

person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("political_status", sa.String),
    sa.column("league_joined_on", sa.Date),
    sa.column("league_post", sa.String),
    sa.column("note", sa.Text),
)
organisation = sa.table(
    "organisation",
    sa.column("id", sa.Integer),
    sa.column("secretary_id", sa.Integer),
    sa.column("term_start", sa.Date),
    sa.column("member_count", sa.Integer),
    sa.column("note", sa.Text),
)
recommendation = sa.table(
    "league_recommendation",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("recommended_on", sa.Date),
    sa.column("outcome", sa.String),
    sa.column("stage", sa.String),
    sa.column("activist_on", sa.Date),
    sa.column("candidate_on", sa.Date),
    sa.column("probationary_on", sa.Date),
    sa.column("full_member_on", sa.Date),
    sa.column("stopped_on", sa.Date),
    sa.column("note", sa.Text),
)
member = sa.table(
    "league_member",
    sa.column("person_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("left_reason", sa.String),
    sa.column("note", sa.Text),
)
post = sa.table(
    "league_post",
    sa.column("person_id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("post", sa.String),
    sa.column("title", sa.String),
    sa.column("started_on", sa.Date),
    sa.column("ended_on", sa.Date),
)


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(
            sa.Column("ethnicity", sa.String(20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("education", sa.String(12), nullable=False, server_default="")
        )
    with op.batch_alter_table("league_recommendation") as batch_op:
        for column in ("activist_on", "candidate_on", "probationary_on", "full_member_on"):
            batch_op.add_column(sa.Column(column, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("stopped_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("stage", sa.String(20), nullable=False, server_default="recommended")
        )
    with op.batch_alter_table("commendation") as batch_op:
        batch_op.add_column(
            sa.Column("rules", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )

    bind = op.get_bind()
    for word, code in POLITICAL.items():
        bind.execute(
            person.update().where(person.c.political_status == word).values(political_status=code)
        )
    _members_and_posts(bind)
    _recommendation_stages(bind)
    _typed_member_counts(bind)
    _honour_type_rules(bind, add=True)

    with op.batch_alter_table("league_recommendation") as batch_op:
        batch_op.drop_column("outcome")
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_column("member_count")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("league_post")


def _create_tables() -> None:
    op.create_table(
        "league_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("number", sa.String(30), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("person_id"),
    )
    op.create_index("ix_league_member_number", "league_member", ["number"], unique=True)
    op.create_index("ix_league_member_status", "league_member", ["status"])
    op.create_index("ix_league_member_deleted_at", "league_member", ["deleted_at"])
    op.create_table(
        "league_post",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column(
            "organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False
        ),
        sa.Column("post", sa.String(12), nullable=False),
        sa.Column("title", sa.String(40), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    )
    op.create_index("ix_league_post_person_id", "league_post", ["person_id"])
    op.create_index("ix_league_post_organisation", "league_post", ["organisation_id", "post"])


def _post_code(text: str) -> tuple[str, str]:
    """(code, title) of an old free-text post: 团支部书记 → secretary; 文体委员 → other."""
    flat = "".join(text.split())
    if "副书记" in flat:
        return "deputy", ""
    if "书记" in flat:
        return "secretary", ""
    if "组织委员" in flat:
        return "organising", ""
    if "宣传委员" in flat:
        return "publicity", ""
    if flat in ("委员", "团委委员", "支委", "支部委员", "团支部委员", "团总支委员"):
        return "committee", ""
    return "other", flat[:40]


def _members_and_posts(bind) -> None:
    secretaries = {
        org.secretary_id: org
        for org in bind.execute(
            sa.select(organisation.c.id, organisation.c.secretary_id, organisation.c.term_start)
            .where(organisation.c.secretary_id.is_not(None))
            .order_by(organisation.c.id)
        )
    }
    recommended = set(bind.execute(sa.select(recommendation.c.person_id)).scalars())
    posts: list[dict] = []
    members: list[dict] = []
    for row in bind.execute(sa.select(person).order_by(person.c.id)).all():
        text = (row.league_post or "").strip()
        if text:
            code, title = _post_code(text)
            org_id = row.organisation_id or getattr(secretaries.get(row.id), "id", None)
            if org_id is None:
                note = "\n".join(filter(None, [row.note, f"原团内职务：{text}"]))
                bind.execute(person.update().where(person.c.id == row.id).values(note=note))
            else:
                posts.append(_post(row.id, org_id, code, title, None))
        if (
            row.league_joined_on is not None
            or row.political_status == "league"
            or text
            or row.id in secretaries
            or row.id in recommended
        ):
            members.append({"person_id": row.id, "status": "active", "left_reason": "", "note": ""})
    held = {(p["person_id"], p["organisation_id"], p["post"]) for p in posts}
    for person_id, org in secretaries.items():
        if (person_id, org.id, "secretary") not in held:
            posts.append(_post(person_id, org.id, "secretary", "", org.term_start))
    if members:
        bind.execute(member.insert(), members)
    if posts:
        bind.execute(post.insert(), posts)


def _post(person_id: int, org_id: int, code: str, title: str, started: date | None) -> dict:
    return {
        "person_id": person_id,
        "organisation_id": org_id,
        "post": code,
        "title": title,
        "started_on": started,
        "ended_on": None,
    }


def _recommendation_stages(bind) -> None:
    rows = bind.execute(
        sa.select(
            recommendation.c.id,
            recommendation.c.outcome,
            recommendation.c.recommended_on,
            recommendation.c.note,
        )
    ).all()
    for row in rows:
        outcome = (row.outcome or "").strip()
        values: dict = {}
        if outcome in OUTCOME_STAGES:
            stage, column = OUTCOME_STAGES[outcome]
            values["stage"] = stage
            if column is not None:
                values[column] = row.recommended_on
                values["note"] = _noted(
                    row.note, f"（“{STAGE_WORDS[outcome]}”的日期升级时按推荐日期填写，请核对）"
                )
        else:
            values["stage"] = "recommended"
            if outcome:
                values["note"] = _noted(row.note, f"原结果：{outcome}")
        bind.execute(recommendation.update().where(recommendation.c.id == row.id).values(values))


def _noted(note: str | None, line: str) -> str:
    return "\n".join(filter(None, [note or "", line]))


def _typed_member_counts(bind) -> None:
    rows = bind.execute(
        sa.select(organisation.c.id, organisation.c.member_count, organisation.c.note).where(
            organisation.c.member_count > 0
        )
    ).all()
    for row in rows:
        bind.execute(
            organisation.update()
            .where(organisation.c.id == row.id)
            .values(note=_noted(row.note, f"升级前登记的团员数：{row.member_count}"))
        )


def _honour_type_rules(bind, *, add: bool) -> None:
    honour_type = sa.table(
        "honour_type", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("rules", sa.JSON),
    )  # fmt: skip
    for name, key in HONOUR_RULES.items():
        for type_id, rules in bind.execute(
            sa.select(honour_type.c.id, honour_type.c.rules).where(honour_type.c.name == name)
        ):
            if isinstance(rules, str):  # a JSON text some drivers hand back unparsed
                rules = json.loads(rules)
            rules = dict(rules or {})
            if add:
                rules[key] = True
            else:
                rules.pop(key, None)
            bind.execute(
                honour_type.update().where(honour_type.c.id == type_id).values(rules=rules)
            )


def _words_of_the_office_back(bind) -> None:
    """An outcome the office had typed in itself (kept in the note by the upgrade) returns."""
    rows = bind.execute(
        sa.select(recommendation.c.id, recommendation.c.note).where(
            recommendation.c.note.like("%原结果：%")
        )
    ).all()
    for row in rows:
        lines = row.note.split("\n")
        kept = [line for line in lines if not line.startswith("原结果：")]
        word = next(line for line in lines if line.startswith("原结果："))[len("原结果：") :]
        bind.execute(
            recommendation.update()
            .where(recommendation.c.id == row.id)
            .values(outcome=word, note="\n".join(kept))
        )


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(
            sa.Column("league_post", sa.String(40), nullable=False, server_default="")
        )
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(
            sa.Column("member_count", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("league_recommendation") as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(20), nullable=False, server_default=""))

    current = bind.execute(
        sa.select(post.c.person_id, post.c.post, post.c.title).where(post.c.ended_on.is_(None))
    ).all()
    texts: dict[int, list[str]] = {}
    for person_id, code, title in current:
        texts.setdefault(person_id, []).append(title or POST_WORDS.get(code, code))
    for person_id, words in texts.items():
        bind.execute(
            person.update()
            .where(person.c.id == person_id)
            .values(league_post="、".join(words)[:40])
        )
    counts = bind.execute(
        sa.select(person.c.organisation_id, sa.func.count())
        .select_from(person.join(member, member.c.person_id == person.c.id))
        .where(member.c.status == "active", person.c.organisation_id.is_not(None))
        .group_by(person.c.organisation_id)
    ).all()
    for org_id, count in counts:
        bind.execute(
            organisation.update().where(organisation.c.id == org_id).values(member_count=count)
        )
    for stage, outcome in STAGE_OUTCOMES.items():
        bind.execute(
            recommendation.update().where(recommendation.c.stage == stage).values(outcome=outcome)
        )
    _words_of_the_office_back(bind)
    for code, word in POLITICAL_WORDS.items():
        bind.execute(
            person.update().where(person.c.political_status == code).values(political_status=word)
        )
    _honour_type_rules(bind, add=False)

    with op.batch_alter_table("commendation") as batch_op:
        batch_op.drop_column("rules")
    with op.batch_alter_table("league_recommendation") as batch_op:
        for column in (
            "activist_on", "candidate_on", "probationary_on", "full_member_on", "stopped_on",
            "stage",
        ):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("education")
        batch_op.drop_column("ethnicity")
    op.drop_table("league_post")
    op.drop_table("league_member")
