"""The window and every dialog fit a small laptop: 1366×768 at 100 %, and 1920×1080 at 150 %
(1280×720 in Qt's units). Less the taskbar, that leaves 1366×728 and 1280×688 for a window.

Every QDialog class in desk_league.ui is found and must have a way to be opened here, so a new
dialog is measured from the day it is written.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

import desk_league.ui
from desk_league.data.models import (
    Activity,
    ActivityParticipant,
    Commendation,
    Honour,
    HonourReview,
    InfoReport,
    KeyDate,
    LeagueMember,
    LeaguePost,
    LeagueRecommendation,
    Organisation,
    ServiceRecord,
    Volunteer,
)
from desk_league.services import plan_tree
from desk_league.services.commendations import eligibility_checklists
from desk_league.services.volunteers import VOLUNTEERS
from desk_league.ui.background import wait_for_background_jobs

SCREENS = {"1366×768 at 100 %": QSize(1366, 728), "1920×1080 at 150 %": QSize(1280, 688)}
TODAY = date(2026, 11, 26)


def _dialog_classes() -> dict[str, type[QDialog]]:
    found = {}
    for module in pkgutil.iter_modules(desk_league.ui.__path__):
        loaded = importlib.import_module(f"desk_league.ui.{module.name}")
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == loaded.__name__:
                found[name] = cls
    return found


def _largest(session, model, column) -> int:
    """The record with the most rows in ``column``'s table (the longest form to show)."""
    return session.scalar(
        select(column).group_by(column).order_by(func.count().desc(), column).limit(1)
    ) or session.scalar(select(model.id).order_by(model.id).limit(1))


def _first(session, model) -> int:
    return session.scalar(select(model.id).order_by(model.id).limit(1))


def _sample_pdf(tmp_path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "sample.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(100, 700, "sample")
    canvas.save()
    return path


def _openers(session, tmp_path) -> dict[str, Callable[[], QDialog]]:
    """How to open each dialog on the demo, with the record that makes it largest."""
    from desk_league.ui import (
        activity_dialog,
        activity_hours_dialog,
        calendar_view,
        first_start,
        forms,
        honour_dialogs,
        import_wizard,
        info_reports_pane,
        member_dialogs,
        office_settings_dialog,
        organisation_dialog,
        pdf_preview,
        plan_import_dialog,
        plan_tab,
        recycle_bin_dialog,
        summary_dialog,
        volunteer_dialogs,
    )

    activity = _largest(session, Activity, ActivityParticipant.activity_id)
    served = _largest(session, Activity, ServiceRecord.activity_id)
    honour = _largest(session, Honour, HonourReview.honour_id)
    batch = _first(session, Commendation)
    volunteer = _first(session, Volunteer)
    plan_year = plan_tree.plan_years(session)[0]
    tree = plan_tree.plan_tree(session, plan_year, TODAY)
    checklists = eligibility_checklists(session, batch)
    cadre = session.scalar(
        select(LeagueMember.id)
        .join(LeaguePost, LeaguePost.person_id == LeagueMember.person_id)
        .group_by(LeagueMember.id)
        .order_by(func.count().desc(), LeagueMember.id)
        .limit(1)
    )  # the member with the most posts: the longest form
    md = member_dialogs
    hd = honour_dialogs
    return {
        "ActivityDialog": lambda: activity_dialog.ActivityDialog(activity, today=TODAY),
        "ActivityHoursDialog": lambda: activity_hours_dialog.ActivityHoursDialog(served),
        "KeyDateDialog": lambda: calendar_view.KeyDateDialog(_first(session, KeyDate)),
        "FormDialog": lambda: forms.FormDialog("表单"),
        "ListPickerDialog": lambda: forms.ListPickerDialog(VOLUNTEERS, "选择志愿者"),
        "CertificateOptionsDialog": lambda: hd.CertificateOptionsDialog("40 份荣誉证书", None),
        "ChecklistDialog": lambda: hd.ChecklistDialog(checklists, "表彰"),
        "CommendationDialog": lambda: hd.CommendationDialog(batch),
        "HonourDialog": lambda: hd.HonourDialog(honour),
        "HonourTypesDialog": lambda: hd.HonourTypesDialog(),
        "NominationDialog": lambda: hd.NominationDialog(batch),
        "QuotaDialog": lambda: hd.QuotaDialog(batch),
        "ReviewDialog": lambda: hd.ReviewDialog(honour, "市人民医院急诊科"),
        "ImportWizard": lambda: import_wizard.ImportWizard(),
        "InfoReportDialog": lambda: info_reports_pane.InfoReportDialog(
            _first(session, InfoReport), today=TODAY
        ),
        "OfficeSettingsDialog": lambda: office_settings_dialog.OfficeSettingsDialog(today=TODAY),
        "OrganisationDialog": lambda: organisation_dialog.OrganisationDialog(
            _first(session, Organisation), today=TODAY
        ),
        "RecommendationDialog": lambda: md.RecommendationDialog(
            _first(session, LeagueRecommendation), today=TODAY
        ),
        "MemberDialog": lambda: md.MemberDialog(cadre, today=TODAY),
        "LeavingDialog": lambda: md.LeavingDialog([cadre], today=TODAY),
        "MoveMembersDialog": lambda: md.MoveMembersDialog([cadre]),
        "BatchRulesDialog": lambda: hd.BatchRulesDialog(batch),
        "FirstStartWizard": lambda: first_start.FirstStartWizard(),
        "TermYearsDialog": lambda: organisation_dialog.TermYearsDialog(),
        "PdfPreviewDialog": lambda: pdf_preview.PdfPreviewDialog(_sample_pdf(tmp_path)),
        "PlanImportDialog": lambda: plan_import_dialog.PlanImportDialog(plan_year),
        "PlanInfoDialog": lambda: plan_tab.PlanInfoDialog(tree),
        "RecycleBinDialog": lambda: recycle_bin_dialog.RecycleBinDialog(),
        "YearEndSummaryDialog": lambda: summary_dialog.YearEndSummaryDialog(TODAY.year, TODAY),
        "ProofDialog": lambda: volunteer_dialogs.ProofDialog(3),
        "ServiceRecordDialog": lambda: volunteer_dialogs.ServiceRecordDialog(
            "王小明（WJ202600001）", volunteer
        ),
        "VolunteerDialog": lambda: volunteer_dialogs.VolunteerDialog(volunteer),
    }


def _too_big(size: QSize) -> list[str]:
    return [
        f"{size.width()}×{size.height()} > {room.width()}×{room.height()} ({screen})"
        for screen, room in SCREENS.items()
        if size.width() > room.width() or size.height() > room.height()
    ]


def test_every_dialog_can_be_opened_here(demo_db, tmp_path):
    with demo_db.reading() as session:
        assert set(_openers(session, tmp_path)) == set(_dialog_classes())


@pytest.mark.parametrize("name", sorted(_dialog_classes()))
def test_the_dialog_fits_a_small_laptop(qtbot, demo_db, tmp_path, name, told):
    with demo_db.reading() as session:
        dialog = _openers(session, tmp_path)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_background_jobs()
    QApplication.processEvents()
    assert _too_big(dialog.minimumSizeHint()) == [], f"{name}: its smallest size"
    assert _too_big(dialog.size()) == [], f"{name}: the size it opens at"
    if hasattr(dialog, "edits"):
        dialog.edits.mark_clean()


def test_the_main_window_fits_a_small_laptop_on_every_tab(main_window):
    for index in range(main_window.tabs.count()):
        main_window.tabs.setCurrentIndex(index)  # every tab loaded with the demo's data
        wait_for_background_jobs()
        QApplication.processEvents()
    assert _too_big(main_window.minimumSizeHint()) == []
