"""A form the clerk is filling in while another PC saves the same record: 保存 is refused with
“该记录已被其他电脑修改”, the clerk is offered the record as saved now, and what they had typed
stays in view under the fields; their next 保存 goes through."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from desk_league.data.models import Volunteer
from desk_league.services import volunteers
from desk_league.ui.volunteer_dialogs import VolunteerDialog

SHOTS = Path(os.environ["DESK_LEAGUE_SHOTS"]) if os.environ.get("DESK_LEAGUE_SHOTS") else None


def _first_volunteer(db) -> int:
    with db.reading() as session:
        return session.scalars(select(Volunteer.id).order_by(Volunteer.id)).first()


def _another_pc_sets_the_team(db, volunteer_id: int, team: str) -> None:
    with db.transaction() as session:
        form = volunteers.volunteer_input(session, volunteer_id)
        form.team = team
        volunteers.update_volunteer(session, volunteer_id, form)


def test_a_form_saved_after_another_pc_saved_offers_the_record_and_keeps_the_typing(
    qtbot, demo_db, told, typist
):
    volunteer_id = _first_volunteer(demo_db)
    dialog = VolunteerDialog(volunteer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.phone.clear()
    typist(dialog.person.phone, "13912345678")
    _another_pc_sets_the_team(demo_db, volunteer_id, "卫生应急")

    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    assert "该记录（志愿者）已被其他电脑修改" in dialog.error_label.text()
    fresh = dialog.reloaded
    assert fresh is not None and fresh.isVisible() and not dialog.isVisible()
    assert fresh.team.currentText() == "卫生应急"  # the record as saved now
    typed = fresh.findChild(QLabel, "typed_before_reload").text()
    assert "联系电话：13912345678" in typed and "服务队" not in typed
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        fresh.grab().save(str(SHOTS / "record_changed_elsewhere.png"))

    fresh.person.phone.clear()
    typist(fresh.person.phone, "13912345678")
    fresh.buttons.button(fresh.buttons.StandardButton.Ok).click()

    assert not fresh.isVisible()
    with demo_db.reading() as session:
        saved = session.get(Volunteer, volunteer_id)
        assert (saved.person.phone, saved.team) == ("13912345678", "卫生应急")


def test_a_form_without_a_change_elsewhere_saves_as_before(qtbot, demo_db, told, typist):
    volunteer_id = _first_volunteer(demo_db)
    dialog = VolunteerDialog(volunteer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.clear()
    typist(dialog.note, "已核对")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.reloaded is None and not dialog.isVisible()
    with demo_db.reading() as session:
        assert session.get(Volunteer, volunteer_id).note == "已核对"
