"""store statuses and kinds as codes instead of Chinese words

Revision ID: 0004
Revises: 0003

Until 0003 most statuses were stored as the words the clerk reads (在册, 已完成, 授予 …) and
service records as codes (pending …). From 0004 every fixed set is a code
(``desk_league.domain.codes``) and the words are labels. The words and codes are written out
here, not imported, so this migration keeps meaning what it meant when the codes change later.

A value outside its set (typed into an old database by hand) is left as it is. Sanctions and
star changes used to repeat their kind as their result (kind 警示, result 警示); their result is
now empty, and the downgrade writes the kind back.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (table, column) → {word: code}
WORDS_TO_CODES: dict[tuple[str, str], dict[str, str]] = {
    ("organisation", "kind"): {"团委": "council", "团总支": "general", "团支部": "branch"},
    ("volunteer", "status"): {"在册": "active", "暂停": "paused", "注销": "closed"},
    ("plan_item", "status"): {
        "未开始": "todo",
        "进行中": "ongoing",
        "已完成": "done",
        "已取消": "cancelled",
    },
    ("activity", "status"): {"计划中": "planned", "已完成": "done", "已取消": "cancelled"},
    ("honour", "status"): {"推荐": "draft", "授予": "active", "撤销": "void"},
    ("nomination", "status"): {"提名": "nominated", "通过": "passed", "未通过": "rejected"},
    ("honour_review", "kind"): {
        "年审": "annual",
        "复核": "cycle",
        "升星": "star_up",
        "警示": "warning",
        "降星": "star_down",
        "撤销": "revoke",
    },
    ("honour_review", "result"): {"合格": "pass", "不合格": "fail"},
    ("league_recommendation", "outcome"): {
        "已推荐": "recommended",
        "列为入党积极分子": "activist",
        "列为发展对象": "candidate",
        "已发展入党": "admitted",
        "未通过": "rejected",
    },
}
# review kinds that carry no result of their own (before 0004 their result repeated the kind)
RESULTLESS_REVIEWS = {"升星": "star_up", "警示": "warning", "降星": "star_down", "撤销": "revoke"}
ORG_KINDS = WORDS_TO_CODES[("organisation", "kind")]


def upgrade() -> None:
    review = sa.table("honour_review", sa.column("kind", sa.String), sa.column("result", sa.String))
    for word in RESULTLESS_REVIEWS:
        op.execute(
            review.update().where(review.c.kind == word, review.c.result == word).values(result="")
        )
    for (table, column), mapping in WORDS_TO_CODES.items():
        _replace(table, column, mapping)
    _rename_term_years(ORG_KINDS)


def downgrade() -> None:
    for (table, column), mapping in WORDS_TO_CODES.items():
        _replace(table, column, {code: word for word, code in mapping.items()})
    review = sa.table("honour_review", sa.column("kind", sa.String), sa.column("result", sa.String))
    for word in RESULTLESS_REVIEWS:
        op.execute(
            review.update().where(review.c.kind == word, review.c.result == "").values(result=word)
        )
    _rename_term_years({code: word for word, code in ORG_KINDS.items()})


def _replace(table: str, column: str, mapping: dict[str, str]) -> None:
    target = sa.table(table, sa.column(column, sa.String))
    for old, new in mapping.items():
        op.execute(target.update().where(target.c[column] == old).values({column: new}))


def _rename_term_years(mapping: dict[str, str]) -> None:
    """The office's term length per organisation kind is a setting keyed by the kind."""
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.JSON))
    bind = op.get_bind()
    value = bind.execute(
        sa.select(setting.c.value).where(setting.c.key == "term_years")
    ).scalar_one_or_none()
    if isinstance(value, str):  # a JSON text some drivers hand back unparsed
        value = json.loads(value)
    if not isinstance(value, dict):
        return
    renamed = {mapping.get(kind, kind): years for kind, years in value.items()}
    bind.execute(setting.update().where(setting.c.key == "term_years").values(value=renamed))
