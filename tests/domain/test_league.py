from datetime import date

import pytest

from desk_league.domain.codes import MemberStatus, OrgKind, PoliticalStatus
from desk_league.domain.league import (
    LEAGUE_MAX_AGE,
    LEAGUE_MIN_AGE,
    AgeOut,
    Reminder,
    age_out_date,
    age_out_in_year,
    age_warning,
    birth_range,
    check_join_age,
    check_term_year_ranges,
    check_term_years,
    leaving_refusal,
    recommendation_refusal,
    term_end,
    term_reminders,
)
from desk_league.errors import ValidationError

TODAY = date(2026, 5, 4)


def test_league_age_limits_are_14_to_28() -> None:
    assert (LEAGUE_MIN_AGE, LEAGUE_MAX_AGE) == (14, 28)


@pytest.mark.parametrize(
    ("birth", "leaves"),
    [
        (date(1998, 5, 4), date(2026, 5, 4)),
        (date(2000, 2, 29), date(2028, 2, 29)),
        (date(1999, 2, 28), date(2027, 2, 28)),
        (date(2001, 2, 28), date(2029, 2, 28)),
        (date(2072, 2, 29), date(2100, 2, 28)),
    ],
)
def test_member_leaves_the_league_on_the_28th_birthday(birth: date, leaves: date) -> None:
    assert age_out_date(birth) == leaves


@pytest.mark.parametrize(
    ("birth", "warning"),
    [
        (date(1990, 1, 1), "已满28周岁"),
        (date(1998, 5, 4), "已满28周岁"),
        (date(1998, 5, 5), "将于2026-05-05满28周岁"),
        (date(1998, 11, 4), "将于2026-11-04满28周岁"),
        (date(1998, 11, 5), None),
        (date(2005, 1, 1), None),
    ],
)
def test_roster_warns_about_members_reaching_28(birth: date, warning: str | None) -> None:
    assert age_warning(birth, TODAY) == warning


@pytest.mark.parametrize(
    ("months_ahead", "warning"),
    [(0, None), (1, None), (2, "将于2026-07-01满28周岁"), (12, "将于2026-07-01满28周岁")],
)
def test_warning_window_is_adjustable(months_ahead: int, warning: str | None) -> None:
    assert age_warning(date(1998, 7, 1), TODAY, months_ahead=months_ahead) == warning


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2021, 5, 4), 5, date(2026, 5, 4)),
        (date(2023, 9, 1), 3, date(2026, 9, 1)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
    ],
)
def test_term_ends_after_its_years(start: date, years: int, end: date) -> None:
    assert term_end(start, years) == end


@pytest.mark.parametrize("years", [0, -3])
def test_term_of_no_years_is_refused(years: int) -> None:
    with pytest.raises(ValidationError, match="任期年限必须大于0"):
        term_end(date(2021, 5, 4), years)


@pytest.mark.parametrize(
    ("today", "kinds"),
    [
        (date(2026, 3, 3), []),
        (date(2026, 3, 4), ["six_months"]),
        (date(2026, 6, 3), ["six_months"]),
        (date(2026, 6, 4), ["six_months", "three_months"]),
        (date(2026, 9, 3), ["six_months", "three_months"]),
        (date(2026, 9, 4), ["six_months", "three_months", "overdue"]),
        (date(2026, 11, 4), ["six_months", "three_months", "overdue", "overdue", "overdue"]),
    ],
)
def test_branch_is_reminded_before_and_after_its_term_ends(today: date, kinds: list[str]) -> None:
    # A three-year term started 2023-09-04 ends 2026-09-04.
    reminders = term_reminders(date(2023, 9, 4), 3, today)
    assert [reminder.kind for reminder in reminders] == kinds


def test_reminder_dates_and_texts_read_like_the_notice_board() -> None:
    reminders = term_reminders(date(2023, 9, 4), 3, date(2026, 10, 10))
    assert reminders == [
        Reminder(
            date(2026, 3, 4),
            "six_months",
            "本届任期将于2026-09-04届满（还有6个月），请着手准备换届",
        ),
        Reminder(
            date(2026, 6, 4),
            "three_months",
            "本届任期将于2026-09-04届满（还有3个月），请着手准备换届",
        ),
        Reminder(date(2026, 9, 4), "overdue", "本届任期已于2026-09-04届满，请尽快换届"),
        Reminder(
            date(2026, 10, 4), "overdue", "本届任期已于2026-09-04届满，已超期1个月，请尽快换届"
        ),
    ]


def test_overdue_reminders_keep_the_end_day_through_short_months() -> None:
    reminders = term_reminders(date(2023, 1, 31), 3, date(2026, 4, 29))
    overdue = [reminder.date for reminder in reminders if reminder.kind == "overdue"]
    assert overdue == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]


def test_long_overdue_branch_gets_one_reminder_a_month() -> None:
    reminders = term_reminders(date(2020, 5, 4), 5, date(2027, 5, 4))
    overdue = [reminder for reminder in reminders if reminder.kind == "overdue"]
    assert len(overdue) == 25
    assert overdue[-1].text.endswith("已超期24个月，请尽快换届")


def test_branch_without_term_start_is_asked_to_fill_it_in() -> None:
    assert term_reminders(None, 3, TODAY) == [Reminder(TODAY, "missing", "未填写换届时间")]


# --- joining at 14, leaving at 28, 推优 from 18 to 28 ----------------------------------------


@pytest.mark.parametrize(
    ("birth", "joined", "refused"),
    [
        (date(2010, 5, 4), date(2024, 5, 4), False),  # the 14th birthday
        (date(2010, 5, 4), date(2024, 5, 3), True),  # a day short
        (date(2010, 5, 4), date(2009, 1, 1), True),  # before birth
        (None, date(2024, 5, 3), False),  # nothing to check against
    ],
)
def test_joining_the_league_takes_14_full_years(birth, joined, refused) -> None:
    if refused:
        with pytest.raises(ValidationError) as error:
            check_join_age(birth, joined)
        assert error.value.field == "入团日期"
    else:
        check_join_age(birth, joined)


ON = date(2026, 6, 1)
ACTIVE, LEFT = MemberStatus.ACTIVE, MemberStatus.AGED_OUT
LEAGUE, PARTY = PoliticalStatus.LEAGUE_MEMBER, PoliticalStatus.PARTY_MEMBER


@pytest.mark.parametrize(
    ("political", "status", "birth", "reason"),
    [
        (LEAGUE, ACTIVE, date(2008, 6, 1), None),  # 18 today
        (LEAGUE, ACTIVE, date(2008, 6, 2), "17周岁，未满18周岁"),
        (LEAGUE, ACTIVE, date(1998, 6, 2), None),  # 27, a day short of 28
        (LEAGUE, ACTIVE, date(1998, 6, 1), "已满28周岁"),
        (PARTY, ACTIVE, date(2000, 1, 1), "政治面貌为“中共党员”，推优对象须为共青团员"),
        (PoliticalStatus.PROBATIONARY, ACTIVE, date(2000, 1, 1), "中共预备党员"),
        ("", ACTIVE, date(2000, 1, 1), "“未填写”"),
        (LEAGUE, LEFT, date(2000, 1, 1), "已不在团"),
        (LEAGUE, None, date(2000, 1, 1), "不在团员名册中"),
        (LEAGUE, ACTIVE, None, "未填写出生日期"),
    ],
)
def test_only_a_league_member_from_18_to_under_28_may_be_recommended(
    political, status, birth, reason
) -> None:
    refusal = recommendation_refusal(political, status, birth, ON)
    if reason is None:
        assert refusal is None
    else:
        assert reason in refusal


@pytest.mark.parametrize(
    ("birth", "holds_post", "refusal"),
    [
        (date(1998, 6, 1), False, None),  # 28 today: leaves
        (date(1998, 6, 2), False, "还未满28周岁"),
        (date(1990, 1, 1), True, "现任团内职务，按团章保留团籍"),  # the exception kept
        (None, False, "未填写出生日期"),
    ],
)
def test_leaving_at_28_spares_post_holders_and_the_young(birth, holds_post, refusal) -> None:
    found = leaving_refusal(birth, ON, holds_post)
    assert (found is None) if refusal is None else (refusal in found)


def test_this_years_age_out_list_holds_those_turning_28_and_those_over() -> None:
    assert age_out_in_year(date(1998, 12, 31), 2026, False) == AgeOut(date(2026, 12, 31), False)
    assert age_out_in_year(date(1990, 1, 1), 2026, True).note == "任团内职务，保留团籍"
    assert age_out_in_year(date(1999, 1, 1), 2026, False) is None


@pytest.mark.parametrize(
    ("band", "after", "until"),
    [
        ("under_18", date(2008, 6, 1), date(2026, 6, 1)),
        ("18_22", date(2003, 6, 1), date(2008, 6, 1)),
        ("28_up", None, date(1998, 6, 1)),
    ],
)
def test_age_bands_are_birth_date_ranges(band, after, until) -> None:
    assert birth_range(band, ON) == (after, until)


@pytest.mark.parametrize(
    ("kind", "student", "allowed"),
    [
        (OrgKind.COUNCIL, False, {3, 4, 5}),  # 团的基层委员会: three to five years
        (OrgKind.GENERAL, False, {2, 3}),  # 团总支: two or three
        (OrgKind.BRANCH, False, {2, 3}),  # 团支部: two or three
        (OrgKind.BRANCH, True, {1}),  # a student branch: one (团支部工作条例)
        (OrgKind.COUNCIL, True, {3, 4, 5}),  # "student" means nothing to a 团委
    ],
)
def test_term_lengths_follow_the_league_constitution(kind, student, allowed) -> None:
    for years in range(1, 8):
        if years in allowed:
            assert check_term_years(years, kind, student=student) == years
        else:
            with pytest.raises(ValidationError, match=f"填写的是{years}年"):
                check_term_years(years, kind, student=student)


def test_a_refused_term_names_the_kind_and_its_range() -> None:
    with pytest.raises(ValidationError, match="团总支每届任期应为2至3年，填写的是5年"):
        check_term_years(5, OrgKind.GENERAL)
    with pytest.raises(ValidationError, match="学生团支部每届任期应为1年"):
        check_term_years(2, OrgKind.BRANCH, student=True)


def test_an_office_may_set_its_own_ranges_within_reason() -> None:
    ranges = check_term_year_ranges({OrgKind.BRANCH: (1, 3)})
    assert check_term_years(1, OrgKind.BRANCH, ranges=ranges) == 1
    for broken in ((3, 2), (0, 2), (2, 11)):
        with pytest.raises(ValidationError, match="团支部的任期范围"):
            check_term_year_ranges({OrgKind.BRANCH: broken})
