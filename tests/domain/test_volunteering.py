"""The rules every volunteer and service record meets, table by table."""

from __future__ import annotations

from datetime import date

import pytest

from desk_league.domain.volunteering import (
    check_daily_hours,
    check_guardian_consent,
    check_registration_age,
    check_service_date,
    needs_guardian_consent,
    same_service,
)
from desk_league.errors import ValidationError

TODAY = date(2026, 11, 26)
BIRTH = date(2010, 6, 15)  # 14 on 2024-06-15, 18 on 2028-06-15


@pytest.mark.parametrize(
    ("registered", "refused"),
    [
        (date(2024, 6, 14), "仅13周岁"),
        (date(2024, 6, 15), None),
        (date(2020, 1, 1), "仅9周岁"),
    ],
)
def test_a_volunteer_registers_from_the_14th_birthday(registered, refused):
    if refused:
        with pytest.raises(ValidationError, match=f"{refused}.*须年满14周岁"):
            check_registration_age(BIRTH, registered)
    else:
        check_registration_age(BIRTH, registered)


def test_an_unknown_birth_date_passes_the_age_rules():
    check_registration_age(None, TODAY)
    check_guardian_consent(None, TODAY, consent=False)
    assert not needs_guardian_consent(None, TODAY)


@pytest.mark.parametrize(
    ("on", "consent", "refused"),
    [
        (date(2026, 11, 26), False, True),  # 16
        (date(2026, 11, 26), True, False),
        (date(2028, 6, 14), False, True),  # the day before 18
        (date(2028, 6, 15), False, False),  # of age: consents for themself
    ],
)
def test_under_18_needs_the_guardians_consent(on, consent, refused):
    if refused:
        with pytest.raises(ValidationError, match="须经监护人同意") as caught:
            check_guardian_consent(BIRTH, on, consent)
        assert caught.value.field == "监护人同意"
    else:
        check_guardian_consent(BIRTH, on, consent)


@pytest.mark.parametrize(
    ("served", "birth", "refused"),
    [
        (date(2026, 11, 27), None, "晚于今天"),
        (TODAY, None, None),
        (date(2024, 6, 14), BIRTH, "早于该志愿者年满14周岁的日期（2024-06-15）"),
        (date(2024, 6, 15), BIRTH, None),
    ],
)
def test_a_service_date_is_past_and_after_the_14th_birthday(served, birth, refused):
    if refused:
        with pytest.raises(ValidationError, match=refused.replace("(", r"\(")) as caught:
            check_service_date(served, TODAY, birth)
        assert caught.value.field == "服务日期"
    else:
        check_service_date(served, TODAY, birth)


@pytest.mark.parametrize(
    ("already", "adding", "refused"),
    [(0, 24, False), (16, 8, False), (16, 8.5, True), (0, 24.5, True), (23.5, 0.5, False)],
)
def test_one_day_holds_at_most_24_hours_across_its_records(already, adding, refused):
    if refused:
        with pytest.raises(ValidationError, match="超过每天 24 小时"):
            check_daily_hours(TODAY, already, adding)
    else:
        check_daily_hours(TODAY, already, adding)


def test_the_cap_message_says_what_was_there_already():
    with pytest.raises(ValidationError) as caught:
        check_daily_hours(TODAY, 20, 6)
    assert caught.value.reason == "2026-11-26 已记录 20 小时，再加 6 小时，合计超过每天 24 小时。"


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ((7, "义诊"), (7, "健康宣教"), True),  # one activity, one service
        ((7, "义诊"), (8, "义诊"), False),  # two activities the same day
        ((None, "学雷锋 义诊"), (7, "学雷锋义诊"), True),  # an imported row names it by title
        ((None, "义诊"), (None, "健康宣教"), False),  # morning and afternoon
        ((None, ""), (None, ""), True),
    ],
)
def test_same_service_means_same_activity_or_same_content(one, other, same):
    assert same_service(*one, *other) is same
    assert same_service(*other, *one) is same
