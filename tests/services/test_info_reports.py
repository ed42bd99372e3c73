"""信息报送: every unit's items, counted per year, adopted or not."""

from __future__ import annotations

from datetime import date

import pytest

from desk_league.domain.codes import OrgKind
from desk_league.errors import ValidationError
from desk_league.services.info_reports import InfoReportInput, create_info_report, tally_rows
from desk_league.services.organisations import OrganisationInput, create_organisation


def test_the_yearly_tally_counts_items_and_adoptions_per_unit(db):
    with db.transaction() as session:
        hospital = create_organisation(
            session, OrganisationInput("市人民医院团委", kind=OrgKind.COUNCIL)
        ).id
        cdc = create_organisation(
            session, OrganisationInput("市疾控中心团总支", kind=OrgKind.GENERAL)
        ).id
        for on, org, channel, status in [
            (date(2026, 3, 6), hospital, "上级团委", "adopted"),
            (date(2026, 5, 5), hospital, "公众号", "submitted"),
            (date(2026, 5, 8), hospital, "报刊", "adopted"),
            (date(2026, 9, 1), cdc, "网站", "submitted"),
            (date(2025, 12, 30), cdc, "网站", "adopted"),  # last year: not counted
        ]:
            create_info_report(
                session, InfoReportInput("学雷锋活动圆满举行", on, org, channel, status)
            )
    with db.reading() as session:
        rows = {row["unit"]: row for row in tally_rows(session, 2026)}
    assert (rows["市人民医院团委"]["total"], rows["市人民医院团委"]["adopted"]) == (3, 2)
    assert (rows["市疾控中心团总支"]["total"], rows["市疾控中心团总支"]["adopted"]) == (1, 0)
    assert rows["市人民医院团委"]["channel_0"] == 1  # 上级团委


def test_a_report_needs_a_title_and_a_unit(db):
    with db.transaction() as session:
        with pytest.raises(ValidationError) as error:
            create_info_report(session, InfoReportInput(" ", date(2026, 3, 6), None))
        assert error.value.field == "信息标题"
        with pytest.raises(ValidationError) as error:
            create_info_report(session, InfoReportInput("标题", date(2026, 3, 6), None))
        assert error.value.field == "报送单位"
