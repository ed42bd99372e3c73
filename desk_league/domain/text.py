"""Clean up what clerks paste from Word, WeChat and Excel before any rule looks at it."""

from __future__ import annotations

# Full-width ASCII (！ to ～) sits exactly 0xFEE0 above its half-width twin; U+3000 is the
# ideographic space a Chinese input method types.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_PLAIN = _HALF_WIDTH | _INVISIBLE  # both in one pass over the text


def to_half_width(text: str) -> str:
    """Turn full-width digits, letters and spaces into plain ASCII and drop invisible marks."""
    if text.isascii():  # nothing to turn or drop (most cells: numbers, dates, phones)
        return text
    return text.translate(_PLAIN)


def remove_spaces(text: str) -> str:
    """Drop every kind of space, including the full-width and non-breaking ones."""
    return "".join(to_half_width(text).split())


# C0 controls but tab and line breaks, DEL and the C1 block: NUL, ESC and friends that pasted or
# hostile text carries and no clerk ever meant to type.
_CONTROL = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
)


def strip_control(text: str) -> str:
    """Drop control characters (NUL, ESC, …); tabs and line breaks stay."""
    return text.translate(_CONTROL)
