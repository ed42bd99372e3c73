"""Clean up what clerks paste from Word, WeChat and Excel before any rule looks at it."""

from __future__ import annotations

# Full-width ASCII (！ to ～) sits exactly 0xFEE0 above its half-width twin; U+3000 is the
# ideographic space a Chinese input method types.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def to_half_width(text: str) -> str:
    """Turn full-width digits, letters and spaces into plain ASCII and drop invisible marks."""
    return text.translate(_HALF_WIDTH).translate(_INVISIBLE)


def remove_spaces(text: str) -> str:
    """Drop every kind of space, including the full-width and non-breaking ones."""
    return "".join(to_half_width(text).split())
