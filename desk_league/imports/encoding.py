"""Text files from Windows offices: which encoding, decided by trying them in a safe order.

Notepad saves ANSI (GBK on a Chinese Windows), "UTF-8", "UTF-8 with BOM" or "Unicode"
(UTF-16 LE with a BOM); Excel's "Unicode text" is UTF-16 LE too. A byte-order mark decides;
without one, strict UTF-8 almost never accepts GBK bytes by accident, so UTF-8 is tried first
and GB18030 (a superset of GBK and GB2312) second. UTF-16 without a BOM is recognised by its
zero bytes. No detection library is needed for these few encodings.
"""

from __future__ import annotations

import codecs

from desk_league.domain.text import strip_control
from desk_league.errors import ValidationError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # "utf-16" reads the BOM and drops it
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 4096


def detect_encoding(data: bytes) -> str | None:
    """The encoding ``data`` decodes with, or None when none of the office encodings fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:_SAMPLE]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        odd_zeros = sample[1::2].count(0)
        return "utf-16-le" if odd_zeros >= sample[0::2].count(0) else "utf-16-be"
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode_text(data: bytes, file_name: str) -> str:
    """The text of a file's bytes, control characters dropped; a clear refusal if unreadable."""
    encoding = detect_encoding(data)
    if encoding is not None:
        try:
            return strip_control(data.decode(encoding))
        except UnicodeDecodeError:
            pass
    raise ValidationError(
        f"无法识别文件“{file_name}”的文字编码（支持 UTF-8、GBK/GB18030、UTF-16），"
        "请在记事本中“另存为”UTF-8 后再导入。"
    )
