"""The office PC has no Python: the bundled program must start and do the day's work on its own.

The bundle is built once per test session with PyInstaller (about half a minute on two cores)
into a temporary folder, then run as a separate program with a clean environment: no
PYTHONPATH, no virtual environment, a working directory outside the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QImage

from desk_league import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
SCREENSHOT_SIZE = (1366, 768)  # desk-league screenshot's default: a small laptop screen
TAB_COUNT = 7  # 总览, 工作计划, 活动, 志愿者, 荣誉, 团组织, 团员
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
CONSOLE_PROGRAM = "desk-league-cli"  # the same program with a console (on Windows)
WINDOW_PROGRAM = "desk-league"  # what the shortcuts start


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """dist/desk-league built by packaging/build.py, exactly as a release is built."""
    root = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [
            sys.executable,
            str(BUILD_SCRIPT),
            "--dist",
            str(root / "dist"),
            "--work",
            str(root / "work"),
            "--quiet",
        ],
        check=True,
        cwd=root,
        timeout=900,
    )
    return root / "dist" / "desk-league"


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> Path:
    """The clerk's home folder for the bundled program (its data folder lands inside)."""
    return tmp_path_factory.mktemp("office")


def run_bundled(bundle: Path, office: Path, *args: str, program: str = CONSOLE_PROGRAM):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "XDG_", "QT_"))
    }
    env.update(
        HOME=str(office),
        USERPROFILE=str(office),
        LOCALAPPDATA=str(office / "AppData" / "Local"),
        XDG_DATA_HOME=str(office / ".local" / "share"),
        XDG_CONFIG_HOME=str(office / ".config"),
        QT_QPA_PLATFORM="offscreen",
        LC_ALL="C.UTF-8",
    )
    return subprocess.run(
        [str(bundle / (program + EXE_SUFFIX)), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=office,
        timeout=300,
    )


@pytest.fixture(scope="session")
def bundled_demo(bundle, office) -> Path:
    path = office / "demo.db"
    result = run_bundled(bundle, office, "demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_console_program_reports_the_version(bundle, office):
    result = run_bundled(bundle, office, "--version")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"desk-league {__version__}"


def test_window_program_runs_commands_too(bundle, office, bundled_demo):
    # On Windows desk-league.exe has no console to print to: its exit code tells what happened.
    found = run_bundled(bundle, office, "check", "--db", str(bundled_demo), program=WINDOW_PROGRAM)
    missing = run_bundled(
        bundle, office, "check", "--db", str(office / "x.db"), program=WINDOW_PROGRAM
    )

    assert (found.returncode, missing.returncode) == (0, 1)


def test_bundled_program_builds_a_demo_database_that_passes_the_check(bundle, office, bundled_demo):
    result = run_bundled(bundle, office, "check", "--json", "--db", str(bundled_demo))

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok"
    assert report["schema_current"] is True  # the bundled Alembic migrations ran
    assert report["counts"]["志愿者"] > 0
    assert report["counts"]["工作计划"] == 1


def test_bundled_check_explains_a_missing_database_in_chinese(bundle, office):
    missing = office / "没有这个文件.db"

    result = run_bundled(bundle, office, "check", "--db", str(missing))

    assert result.returncode == 1
    assert "数据库文件不存在" in result.stderr
    assert "Traceback" not in result.stderr


def test_bundled_program_screenshots_every_tab(bundle, office, bundled_demo):
    shots = office / "shots"

    result = run_bundled(
        bundle, office, "screenshot", "--db", str(bundled_demo), "--out", str(shots)
    )

    assert result.returncode == 0, result.stderr
    files = sorted(shots.glob("*.png"))
    assert [f.name for f in files] == [Path(line).name for line in result.stdout.split()]
    assert len(files) == TAB_COUNT
    for file in files:
        image = QImage(str(file))
        assert (image.width(), image.height()) == SCREENSHOT_SIZE, file.name
        assert _colour_count(image) > 10, f"{file.name} looks blank"


def test_bundled_program_exports_the_organisations_register(bundle, office, bundled_demo):
    out = office / "团组织名册.xlsx"

    result = run_bundled(
        bundle, office, "export", "organisations", "--db", str(bundled_demo), "--out", str(out)
    )

    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).worksheets[0]
    assert sheet.max_row > 10
    assert any("团" in str(cell.value) for cell in sheet[1] if cell.value)


def test_bundled_program_writes_the_year_end_summary_as_a_word_document(
    bundle, office, bundled_demo
):
    from docx import Document

    out = office / "年度工作总结.docx"
    result = run_bundled(
        bundle, office, "report", "summary", "--db", str(bundled_demo), "--out", str(out)
    )

    assert result.returncode == 0, result.stderr  # python-docx's template travels in the bundle
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "一、主要工作和成绩" in paragraphs and "三、下一年工作思路" in paragraphs


def test_bundled_program_prints_the_demo_commendation_certificates(bundle, office, bundled_demo):
    from pypdf import PdfReader

    out = office / "certificates"
    result = run_bundled(
        bundle,
        office,
        "certificates",
        "honours",
        "--batch",
        "1",
        "--db",
        str(bundled_demo),
        "--out",
        str(out),
    )

    assert result.returncode == 0, result.stderr
    (combined,) = out.rglob("*.pdf")
    pages = PdfReader(combined).pages
    assert len(pages) == 40  # the demo batch: one certificate per recipient
    assert "荣誉证书" in pages[0].extract_text()


def test_bundle_carries_fonts_icons_translations_and_migrations(bundle):
    internal = bundle / "_internal"

    fonts = internal / "resources" / "fonts"
    for name in (
        "LXGWWenKai-Regular.ttf",
        "OFL.txt",
        "NotoSerifSC-Regular.ttf",
        "NotoSerifSC-Bold.ttf",
        "OFL-NotoSerifCJK.txt",
    ):
        assert (fonts / name).is_file(), name
    assert (internal / "resources" / "text" / "total_strokes.txt").is_file()
    assert list((internal / "pypinyin").glob("*.json"))  # its dictionaries
    assert (internal / "resources" / "icons" / "desk_league.png").is_file()
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm").is_file()
    migrations = internal / "desk_league" / "data" / "migrations"
    assert (migrations / "env.py").is_file()
    assert sorted(p.name for p in (migrations / "versions").glob("*.py")) == sorted(
        p.name for p in (ROOT / "desk_league" / "data" / "migrations" / "versions").glob("*.py")
    )


def test_bundle_leaves_out_qt_modules_the_app_does_not_use(bundle):
    names = {p.name for p in bundle.rglob("*")}

    unwanted = [
        name
        for name in names
        if any(
            part in name
            for part in (
                "WebEngine",
                "Qt6Quick",
                "Qt6Qml",
                "Qt63D",
                "VirtualKeyboard",
                "Multimedia",
            )
        )
    ]
    assert unwanted == []
    assert not [
        name
        for name in names
        if name.endswith(".qm") and "_zh_CN" not in name and "_en" not in name
    ]


def _colour_count(image: QImage, step: int = 23) -> int:
    """Distinct colours on a sparse grid: a blank or black window has one or two."""
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )
