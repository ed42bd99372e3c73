"""Find bundled resources (fonts, icons, templates) from source and from the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

# resources/fonts: Noto Serif CJK SC (思源宋体) for printed documents, subset and converted to
# TrueType by packaging/make_fonts.py; LXGW WenKai for the characters the subset leaves out.
SERIF_FONT_FILE = "NotoSerifSC-Regular.ttf"
SERIF_BOLD_FONT_FILE = "NotoSerifSC-Bold.ttf"
FALLBACK_FONT_FILE = "LXGWWenKai-Regular.ttf"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def bundled_font() -> Path:
    """The full CJK font shipped with the app (LXGW WenKai, SIL OFL 1.1): every rare name
    character (䶮 𠮷 …); the window's fallback and the PDFs' per-character fallback."""
    return resource_path("fonts", FALLBACK_FONT_FILE)


def serif_font(bold: bool = False) -> Path:
    """The 宋体-like serif of printed documents (Noto Serif CJK SC subset, SIL OFL 1.1)."""
    return resource_path("fonts", SERIF_BOLD_FONT_FILE if bold else SERIF_FONT_FILE)
