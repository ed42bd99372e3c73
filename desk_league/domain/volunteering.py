"""The rules a volunteer and a service record meet before they are saved, whoever enters them.

The form, the activity's hours dialog, the import of a roster or an hours sheet and the demo
generator all go through these, so one rule has one wording:

- a volunteer registers from 14 (age on the day of registration); one under 18 is on the
  register only with a guardian's consent on file (注册志愿者须年满14周岁，未满18周岁的须经
  监护人同意);
- a service date is never in the future, nor before the volunteer turned 14;
- one person serves at most 24 hours on one day, however many records the day holds.
"""

from __future__ import annotations

from datetime import date

from desk_league.domain.dates import add_years, age_on
from desk_league.errors import ValidationError

VOLUNTEER_MIN_AGE = 14
GUARDIAN_CONSENT_BELOW = 18  # ages under this need a guardian's consent
DAILY_HOURS_CAP = 24.0
SERVICE_DATE_FIELD = "服务日期"
HOURS_FIELD = "服务时长"
GUARDIAN_FIELD = "监护人同意"


def needs_guardian_consent(birth: date | None, on: date) -> bool:
    """True for a volunteer under 18 on ``on`` (unknown birth dates need nothing)."""
    return birth is not None and age_on(birth, on) < GUARDIAN_CONSENT_BELOW


def check_registration_age(birth: date | None, registered_on: date) -> None:
    """Refuse a registration before the 14th birthday (unknown birth dates pass: a passport)."""
    if birth is None:
        return
    age = age_on(birth, registered_on)
    if age < VOLUNTEER_MIN_AGE:
        raise ValidationError(
            f"注册日期 {registered_on:%Y-%m-%d} 时仅{age}周岁，"
            f"志愿者须年满{VOLUNTEER_MIN_AGE}周岁才能注册。",
            field="出生日期",
        )


def check_guardian_consent(birth: date | None, today: date, consent: bool) -> None:
    """A volunteer under 18 is saved only with the guardian's consent recorded (one who has
    come of age since registering consents for themself)."""
    if consent or not needs_guardian_consent(birth, today):
        return
    assert birth is not None  # needs_guardian_consent says so
    raise ValidationError(
        f"{age_on(birth, today)}周岁，未满{GUARDIAN_CONSENT_BELOW}周岁的志愿者须经监护人同意"
        "（取得监护人书面同意后登记）。",
        field=GUARDIAN_FIELD,
    )


def check_service_date(served_on: date, today: date, birth: date | None = None) -> None:
    """A service date is a day that has passed (or today), on or after the 14th birthday."""
    if served_on > today:
        raise ValidationError(
            f"服务日期 {served_on:%Y-%m-%d} 晚于今天，服务时长只能在服务之后登记。",
            field=SERVICE_DATE_FIELD,
        )
    if birth is not None and served_on < (turned := add_years(birth, VOLUNTEER_MIN_AGE)):
        raise ValidationError(
            f"服务日期 {served_on:%Y-%m-%d} 早于该志愿者年满{VOLUNTEER_MIN_AGE}周岁的日期"
            f"（{turned:%Y-%m-%d}），请核对服务日期或出生日期。",
            field=SERVICE_DATE_FIELD,
        )


def check_daily_hours(day: date, already: float, adding: float) -> None:
    """``already`` hours on ``day`` (every record not voided) plus ``adding`` stay within a day."""
    if already + adding > DAILY_HOURS_CAP:
        before = f"已记录 {already:g} 小时，再加 {adding:g} 小时" if already else f"{adding:g} 小时"
        raise ValidationError(
            f"{day:%Y-%m-%d} {before}，合计超过每天 {DAILY_HOURS_CAP:g} 小时。",
            field=HOURS_FIELD,
        )


def _service_words(content: str) -> str:
    return "".join(content.split())


def same_service(
    activity_id: int | None, content: str, other_activity_id: int | None, other_content: str
) -> bool:
    """Two records of one volunteer on one day describe the same service: the same activity
    when both name one, else the same content (an imported sheet names the activity by title)."""
    if activity_id is not None and other_activity_id is not None:
        return activity_id == other_activity_id
    return _service_words(content) == _service_words(other_content)
