"""Draw the application icon: a red emblem with 团 in the bundled font.

Run it again only to change the icon; its output is committed:
``resources/icons/desk_league.png`` (the window icon) and ``desk_league.ico`` (the Windows
program, shortcuts and installer), drawn large once and scaled down so every size matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_league.resources import bundled_font, resource_path  # noqa: E402

LEAGUE_RED = (200, 16, 46)
GOLD = (255, 209, 0)
CANVAS = 1024  # drawn large, then scaled: smooth edges at every size
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
GLYPH = "团"


def draw_emblem(size: int = CANVAS) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = size // 32
    draw.ellipse((margin, margin, size - margin, size - margin), fill=LEAGUE_RED)
    ring = size // 11
    draw.ellipse((ring, ring, size - ring, size - ring), outline=GOLD, width=max(2, size // 40))
    font = ImageFont.truetype(str(bundled_font()), int(size * 0.56))
    # Thick strokes keep the character legible at 16 px.
    draw.text(
        (size / 2, size / 2),
        GLYPH,
        font=font,
        fill="white",
        anchor="mm",
        stroke_width=size // 64,
        stroke_fill="white",
    )
    return image


def main() -> int:
    out = resource_path("icons")
    out.mkdir(parents=True, exist_ok=True)
    emblem = draw_emblem()
    emblem.resize((256, 256), Image.LANCZOS).save(out / "desk_league.png", optimize=True)
    emblem.save(out / "desk_league.ico", sizes=ICO_SIZES)
    print(out / "desk_league.png")
    print(out / "desk_league.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
