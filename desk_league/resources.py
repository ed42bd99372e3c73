"""Find bundled resources (fonts, icons, templates) from source and from the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def bundled_font() -> Path:
    """The CJK font shipped with the app (LXGW WenKai, SIL OFL 1.1)."""
    return resource_path("fonts", "LXGWWenKai-Regular.ttf")
