"""The console script starts light: each command imports what it needs, the window shows first.

Measured in fresh interpreters (this one has imported everything already).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOTS = ("__main__", "_distutils_hack", "sitecustomize")
QT = ("PySide6", "shiboken6", "shibokensupport", "__feature__", "signature_bootstrap")


def _modules_after(code: str) -> list[str]:
    """The modules loaded outside the standard library after ``code`` (desk_league's too)."""
    script = (
        "import io, json, sys, contextlib\n"
        f"{code}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] not in "
        f"sys.stdlib_module_names and not m.startswith('__editable') "
        f"and m.split('.')[0] not in {ROOTS!r})))"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["export", "--help"], ["import", "volunteers", "--help"]]
)
def test_version_and_help_load_nothing_beyond_the_standard_library(argv):
    code = (
        f"sys.argv = ['desk-league', *{argv!r}]\n"
        "from desk_league.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass"
    )
    assert [m for m in _modules_after(code) if m.split(".")[0] != "desk_league"] == []


def test_the_window_shows_before_the_database_services_and_documents_are_loaded():
    code = (
        "from desk_league.ui.app import create_application\n"
        "from desk_league.ui.main_window import MainWindow\n"
        "app = create_application([])\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "app.processEvents()"
    )
    loaded = _modules_after(code)
    assert [m for m in loaded if m.split(".")[0] not in (*QT, "desk_league")] == []
    ours = {m for m in loaded if m.startswith("desk_league.")}
    assert not {m for m in ours if m.startswith(("desk_league.data", "desk_league.exports"))}
    assert {m for m in ours if m.startswith("desk_league.services.")} <= {
        "desk_league.services.progress"  # plain Python: how long work reports and cancels
    }


def test_opening_the_database_and_declaring_registers_load_no_document_libraries(tmp_path):
    """openpyxl and reportlab's page machinery wait until a file is written."""
    from desk_league.data.db import open_database

    open_database(tmp_path / "office.db").close()
    code = (
        "from pathlib import Path\n"
        "from desk_league.services.startup import open_office_database\n"
        "import desk_league.services.volunteers, desk_league.services.honours\n"
        f"open_office_database(Path({str(tmp_path / 'office.db')!r})).close()"
    )
    loaded = _modules_after(code)
    assert not [m for m in loaded if m.split(".")[0] in ("openpyxl", "alembic")]
    assert "reportlab.platypus" not in loaded and "reportlab.pdfgen.canvas" not in loaded


def test_printing_certificates_loads_only_the_certificate_service_and_the_canvas(demo_db, tmp_path):
    """Hand-placed pages need reportlab's canvas, not its paragraphs and tables (platypus);
    and the certificate service, not the honour register's figures and lists."""
    from sqlalchemy import select

    from desk_league.data.models import Honour

    with demo_db.reading() as session:
        ids = session.scalars(
            select(Honour.id).where(Honour.certificate_number.is_not(None)).limit(2)
        ).all()
    argv = ["certificates", "honours", "--db", str(demo_db.path), "--out", str(tmp_path)]
    code = (
        "from desk_league.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({[*argv, '--honours', ','.join(map(str, ids))]!r}) == 0"
    )
    loaded = _modules_after(code)
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    assert "reportlab.pdfgen.canvas" in loaded and "reportlab.platypus" not in loaded
    assert {m for m in loaded if m.startswith("desk_league.services.")} <= {
        "desk_league.services.honour_certificates",
        "desk_league.services.common",
        "desk_league.services.settings",
        "desk_league.services.progress",
    }


def test_a_start_on_the_office_database_reaches_the_overview_without_the_pdf_stack(tmp_path):
    """The overview on screen needs the database and its figures; reportlab and PIL (and the
    built-in certificate templates) are loaded when a document is made or a new database is
    seeded, not on every start."""
    from desk_league.services.startup import open_office_database

    open_office_database(tmp_path / "office.db").close()  # the office's first start seeds it
    code = (
        "from pathlib import Path\n"
        "from desk_league.services.startup import open_office_database\n"
        "from desk_league.ui.main_window import preload_tab\n"
        f"open_office_database(Path({str(tmp_path / 'office.db')!r})).close()\n"
        "preload_tab(0)"
    )
    loaded = _modules_after(code)
    assert "desk_league.ui.overview_tab" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("reportlab", "PIL", "openpyxl")]
