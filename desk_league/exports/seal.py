"""A stand-in seal (公章) image for the demo and the tests: a red ring, the office name, a star.

Real offices scan their own seal and choose it in the settings; this one only makes the demo
certificates look like the real thing. Drawn with Pillow (a reportlab dependency) in the
bundled font, so no Chinese system font is needed.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from desk_league.exports.files import atomic_output
from desk_league.resources import bundled_font

RED = (214, 24, 31, 235)


def draw_seal(
    path: str | os.PathLike[str], text: str, size: int = 600, mark: str = "样 章"
) -> Path:
    """Write a round seal PNG (transparent background) with ``text`` along the top arc and
    ``mark`` under the star, so a stand-in is never taken for the office's real seal."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, ring = size / 2, size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=RED, width=int(ring))
    _star(draw, centre, centre, size * 0.16)
    font = ImageFont.truetype(str(bundled_font()), int(size * 0.1))
    _arc_text(image, text, font, radius=size * 0.355)
    if mark:
        mark_font = ImageFont.truetype(str(bundled_font()), int(size * 0.107))
        draw.text((centre, size * 0.72), mark, font=mark_font, fill=RED, anchor="mm")
    with atomic_output(Path(path)) as temp:
        image.save(temp, format="PNG")
    return Path(path)


def _star(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(image: Image.Image, text: str, font: ImageFont.FreeTypeFont, radius: float) -> None:
    """Each character upright to the ring, spread over about 240 degrees of the top."""
    centre = image.width / 2
    span = min(250.0, 20.0 * len(text))
    for i, char in enumerate(text):
        angle = -90 - span / 2 + span * (i + 0.5) / len(text)  # degrees, 0 = 3 o'clock
        glyph = Image.new("RGBA", (font.size * 2, font.size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font.size, font.size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle - 90, resample=Image.BICUBIC)
        x = centre + radius * math.cos(math.radians(angle)) - glyph.width / 2
        y = centre + radius * math.sin(math.radians(angle)) - glyph.height / 2
        image.alpha_composite(glyph, (int(x), int(y)))
