"""How fast the 活动 and 团组织 screens answer on a big office: python bench/activities_calendar.py

Builds a demo database (scale 5: ~1,600 people, 1,000 volunteers) plus 5,000 extra activities
over ten years, then times what the clerk waits for. Target for anything on the GUI thread:
under 100 ms.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from desk_league.data.db import open_database  # noqa: E402
from desk_league.data.models import Activity, KeyDate, Organisation, Volunteer  # noqa: E402
from desk_league.domain.codes import ActivityStatus, VolunteerStatus
from desk_league.services.activities import (  # noqa: E402
    ACTIVITIES,
    ActivityInput,
    create_activity,
    record_activity_hours,
)
from desk_league.services.calendar import month_calendar, upcoming  # noqa: E402
from desk_league.services.demo import build_demo  # noqa: E402
from desk_league.services.listing import ListQuery  # noqa: E402
from desk_league.services.members import members_listing  # noqa: E402
from desk_league.services.organisations import organisation_tree  # noqa: E402

TODAY = date(2026, 11, 26)
TARGET_MS = 100.0


def timed(label: str, work, repeat: int = 5, target: float = TARGET_MS) -> None:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - start) * 1000)
    verdict = "ok" if best <= target else "SLOW"
    print(f"{label:<48} {best:8.1f} ms   (target < {target:.0f} ms) {verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db", lock=False, backup=False)
        with db.transaction() as session:
            build_demo(session, scale=5, today=TODAY)
            orgs = list(session.scalars(select(Organisation.id)))
            key_dates = list(session.scalars(select(KeyDate.id)))
            rng = random.Random(5)
            rows = []
            for i in range(5000):
                start = date(2017, 1, 1) + timedelta(days=rng.randrange(3650))
                rows.append(
                    {
                        "title": f"基层团组织活动第{i}期",
                        "category": rng.choice(["主题教育", "志愿服务", "培训"]),
                        "start_date": start,
                        "end_date": start,
                        "place": "会议室",
                        "organiser_id": rng.choice(orgs),
                        "co_organisers": "",
                        "participant_count": 30,
                        "summary": "",
                        "status": ActivityStatus.DONE,
                        "key_date_id": rng.choice(key_dates + [None] * 5),
                    }
                )
            session.execute(insert(Activity), rows)
        print(f"activities in the ledger: {5000 + 28}")

        def ledger_page(query: ListQuery):
            with db.reading() as session:
                ACTIVITIES.count(session, query)
                ACTIVITIES.page(session, query, 200)

        timed("ledger: all years, first page + count", lambda: ledger_page(ListQuery()))
        timed(
            "ledger: year 2026, month 5, 志愿服务",
            lambda: ledger_page(
                ListQuery(filters={"year": 2026, "month": 5, "category": "志愿服务"})
            ),
        )
        timed("ledger: text search 第42", lambda: ledger_page(ListQuery(text="第42")))
        timed("ledger: sort by organiser", lambda: ledger_page(ListQuery(sort_key="organiser")))

        def read(fn):
            with db.reading() as session:
                fn(session)

        timed("calendar: one month", lambda: read(lambda s: month_calendar(s, 2026, 10)))
        timed("calendar: upcoming 30 days", lambda: read(lambda s: upcoming(s, TODAY, 30)))
        timed(
            "organisations: tree with term states",
            lambda: read(lambda s: organisation_tree(s, TODAY)),
        )
        members = members_listing(TODAY)
        timed(
            "members: all, first page + count",
            lambda: read(
                lambda s: (members.count(s, ListQuery()), members.page(s, ListQuery(), 200))
            ),
        )

        with db.reading() as session:
            volunteer_ids = list(
                session.scalars(
                    select(Volunteer.id)
                    .where(Volunteer.status == VolunteerStatus.ACTIVE)
                    .limit(200)
                )
            )

        def hours_for_200():
            with db.transaction() as session:
                activity = create_activity(
                    session, ActivityInput("卫生下乡", TODAY, category="志愿服务")
                ).activity
                record_activity_hours(session, activity.id, volunteer_ids, 2)

        timed(
            "hours: one activity, 200 volunteers (background ok)",
            hours_for_200,
            repeat=3,
            target=1000,
        )
        db.close()


if __name__ == "__main__":
    main()
