"""What goes into the bundle, and the command line the bundled programs start with."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from desk_league import __version__
from desk_league.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


qt_selection = _load("qt_selection", ROOT / "packaging" / "qt_selection.py")


def entries(*destinations: str) -> list[tuple[str, str, str]]:
    return [(d, "/src/" + d, "BINARY") for d in destinations]


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_en.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll", False),
        ("PySide6/Qt/plugins/imageformats/qjpeg.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt6Qml.dll", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("resources/fonts/LXGWWenKai-Regular.ttf", True),
    ],
)
def test_bundle_keeps_only_the_qt_files_the_app_uses(destination, kept):
    selected = qt_selection.select_qt_files(entries(destination))

    assert bool(selected) is kept


def test_bundle_keeps_qtpdf_once_the_app_imports_it_for_pdf_preview():
    without = qt_selection.select_qt_files(entries("PySide6/Qt/lib/libQt6Pdf.so.6"))
    with_module = qt_selection.select_qt_files(
        entries("PySide6/Qt/lib/libQt6Pdf.so.6", "PySide6/QtPdf.abi3.so")
    )

    assert without == []
    assert len(with_module) == 2


def test_version_option_names_the_release(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])

    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"desk-league {__version__}"


def test_windowed_program_without_a_console_still_runs_commands(monkeypatch, tmp_path):
    # desk-league.exe is built without a console: Python then has no stdout or stderr at all.
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)

    assert main(["check", "--db", str(tmp_path / "missing.db")]) == 1
