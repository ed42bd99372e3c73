"""Statuses and kinds are codes with one Chinese label each, read back from a label or a code."""

from __future__ import annotations

import pytest
from sqlalchemy import String

from desk_league.data import models
from desk_league.domain import codes
from desk_league.domain.codes import (
    LABELS,
    ActivityStatus,
    Code,
    HonourStatus,
    OrgKind,
    PlanItemStatus,
    VolunteerStatus,
)
from desk_league.errors import ValidationError

EVERY_SET = [
    value
    for value in vars(codes).values()
    if isinstance(value, type) and issubclass(value, Code) and value is not Code
]

# the column each stored set lives in
STORED = {
    (models.Organisation, "kind"): codes.OrgKind,
    (models.LeagueRecommendation, "stage"): codes.RecommendationStage,
    (models.LeagueMember, "status"): codes.MemberStatus,
    (models.LeaguePost, "post"): codes.LeaguePostKind,
    (models.Person, "political_status"): codes.PoliticalStatus,
    (models.Person, "education"): codes.Education,
    (models.Volunteer, "status"): codes.VolunteerStatus,
    (models.ServiceRecord, "status"): codes.ServiceStatus,
    (models.Plan, "status"): codes.PlanStatus,
    (models.PlanItem, "kind"): codes.PlanItemKind,
    (models.PlanItem, "status"): codes.PlanItemStatus,
    (models.Activity, "status"): codes.ActivityStatus,
    (models.KeyDate, "calendar"): codes.CalendarKind,
    (models.InfoReport, "status"): codes.InfoReportStatus,
    (models.HonourType, "recipient_kind"): codes.RecipientKind,
    (models.Honour, "status"): codes.HonourStatus,
    (models.Commendation, "status"): codes.CommendationStatus,
    (models.Nomination, "status"): codes.NominationStatus,
    (models.HonourReview, "kind"): codes.ReviewKind,
    (models.HonourReview, "result"): codes.ReviewResult,
}


@pytest.mark.parametrize("code_set", EVERY_SET, ids=lambda c: c.__name__)
def test_every_code_has_one_label_and_no_two_codes_share_one(code_set):
    assert set(LABELS[code_set]) == set(code_set)
    labels = [member.label for member in code_set]
    assert all(labels) and len(set(labels)) == len(labels)
    assert all(member.value.isascii() for member in code_set)  # codes, not words


@pytest.mark.parametrize(("column", "code_set"), STORED.items(), ids=lambda v: str(v))
def test_every_stored_code_fits_its_column(column, code_set):
    model, name = column
    sql_type = model.__table__.c[name].type
    assert isinstance(sql_type, String)
    assert max(len(member.value) for member in code_set) <= sql_type.length  # PostgreSQL checks


def test_a_code_reads_as_its_label_and_compares_as_its_code():
    assert PlanItemStatus.DONE.label == "已完成"
    assert PlanItemStatus.DONE == "done"
    assert PlanItemStatus.labels() == {
        "todo": "未开始",
        "ongoing": "进行中",
        "done": "已完成",
        "cancelled": "已取消",
    }


def test_the_label_or_the_code_typed_by_the_clerk_both_parse():
    assert VolunteerStatus.parse("在册") is VolunteerStatus.ACTIVE
    assert VolunteerStatus.parse(" active ") is VolunteerStatus.ACTIVE
    assert OrgKind.parse("团总支") is OrgKind.GENERAL


def test_an_unknown_word_is_refused_naming_the_allowed_labels():
    with pytest.raises(ValidationError) as error:
        HonourStatus.parse("作废", field="状态")
    assert error.value.field == "状态"
    assert "推荐、授予、撤销" in str(error.value) and "作废" in str(error.value)


def test_a_value_outside_its_set_is_shown_as_stored():
    assert ActivityStatus.label_of("postponed") == "postponed"
    assert ActivityStatus.label_of(None) == ""
    assert ActivityStatus.label_of("cancelled") == "已取消"


@pytest.mark.parametrize(
    ("code_set", "typed", "code"),
    [
        (codes.PoliticalStatus, "团员", "league"),
        (codes.PoliticalStatus, "中国共产党党员", "party"),
        (codes.PoliticalStatus, "预备党员", "probationary"),
        (codes.Education, "本科", "bachelor"),
        (codes.Education, "大专", "college"),
        (codes.LeaguePostKind, "团支部书记", "secretary"),
        (codes.LeaguePostKind, "团委副书记", "deputy"),
        (codes.MemberStatus, "退团", "left"),
    ],
)
def test_the_words_offices_write_for_a_value_parse_too(code_set, typed, code):
    assert code_set.parse(typed) == code


def test_a_word_outside_the_set_is_refused_naming_the_set():
    with pytest.raises(ValidationError, match="共青团员"):
        codes.PoliticalStatus.parse("团干", field="政治面貌")
