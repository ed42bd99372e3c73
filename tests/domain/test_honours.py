"""The honour rules: eligibility checklists and certificate numbers."""

from __future__ import annotations

from datetime import date

import pytest

from desk_league.domain.codes import VolunteerStatus
from desk_league.domain.honours import (
    NomineeFacts,
    certificate_qr_payload,
    check_eligibility,
    checklist_summary,
    clean_rules,
    verify_qr_payload,
)
from desk_league.errors import ValidationError

NATIONAL = {"max_age": 28, "min_member_years": 3, "min_hours": 20}  # 优秀共青团员
ON = date(2026, 5, 4)


def facts(
    birth=date(2000, 6, 1), joined=date(2014, 5, 4), volunteer=VolunteerStatus.ACTIVE, hours=24.0
) -> NomineeFacts:
    return NomineeFacts(birth, joined, volunteer, hours)


@pytest.mark.parametrize(
    ("nominee", "expected"),
    [
        (facts(), [True, True, True, True]),
        (facts(birth=date(1998, 5, 4)), [False, True, True, True]),  # turned 28 that very day
        (facts(birth=date(1998, 5, 5)), [True, True, True, True]),  # still 27
        (facts(joined=date(2023, 5, 5)), [True, False, True, True]),  # 2 years 364 days
        (facts(volunteer=None, hours=0), [True, True, False, False]),
        (facts(volunteer=VolunteerStatus.CLOSED), [True, True, False, True]),
        (facts(hours=19.5), [True, True, True, False]),
        (facts(birth=None, joined=None), [None, None, True, True]),
    ],
)
def test_outstanding_member_checklist_follows_the_national_rules(nominee, expected):
    checks = check_eligibility(NATIONAL, nominee, ON, 2025)

    assert [c.passed for c in checks] == expected
    assert len(checks) == 4


def test_checklist_shows_what_was_found():
    checks = check_eligibility(NATIONAL, facts(birth=date(1990, 1, 1), hours=6), ON, 2025)

    assert checks[0].detail == "36周岁" and checks[0].mark == "✗"
    assert checks[3].label == "2025年志愿服务满20小时（已审核）" and checks[3].detail == "6小时"
    assert checklist_summary(checks) == "2项不符"


def test_a_type_without_rules_has_an_empty_checklist():
    assert check_eligibility({}, facts(), ON, 2025) == []
    assert checklist_summary([]) == "无条件"


def test_rules_are_cleaned_before_saving():
    assert clean_rules(
        {"max_age": 35, "min_member_years": 0, "min_hours": "20", "volunteer": False}
    ) == {
        "max_age": 35,
        "min_hours": 20,
    }
    with pytest.raises(ValidationError, match="不能为负数"):
        clean_rules({"max_age": -1})
    with pytest.raises(ValidationError, match="未知的资格条件"):
        clean_rules({"height": 170})


def test_qr_payload_carries_the_number_and_a_check_code():
    payload = certificate_qr_payload("2025-007")

    assert verify_qr_payload(payload) == "2025-007"
    assert verify_qr_payload(payload.replace("2025-007", "2025-008")) is None
