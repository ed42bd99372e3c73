"""Build the PDF fonts in resources/fonts from Noto Serif CJK SC (SIL OFL 1.1), and the stroke table.

Run by hand when the repertoire or the source fonts change; the results are committed:

    python packaging/make_fonts.py [--source DIR] [--unihan DIR]

Sources (Debian: ``apt-get install fonts-noto-cjk unicode-data``; or the notofonts/noto-cjk
releases and the Unicode Consortium's Unihan.zip, unpacked):
- ``NotoSerifCJK-Regular.ttc`` and ``NotoSerifCJK-Bold.ttc`` (the body and the titles);
- ``Unihan_IRGSources.txt`` (kTotalStrokes) and ``Unihan_Readings.txt`` (kTGHZ2013), plain
  or ``.bz2`` as Debian ships them.

Why a build step: reportlab embeds TrueType (glyf) outlines only, and Noto CJK ships CFF
outlines. fontTools subsets each font to the repertoire below and converts its cubic CFF curves to
quadratic TrueType ones (the recipe of fontTools' own otf2ttf snippet).

Repertoire: every character of GB 2312 (6,763 hanzi with its punctuation, Latin, Greek, kana
and box drawing) and the 8,105 hanzi of 通用规范汉字表 (2013, Unihan's kTGHZ2013), plus ASCII,
Latin-1, general punctuation, CJK symbols, enclosed numbers and full-width forms. That is what
official documents print; a rarer character (堃 is in it, 䶮 and 𠮷 are not) falls back, per
character, to the bundled LXGW WenKai (desk_league/exports/pdf.py), which has them.

The stroke table: resources/text/total_strokes.txt, one line per stroke count:
``<count>\\t<characters>``, from kTotalStrokes (its first value, the simplified form's).
"""

from __future__ import annotations

import argparse
import bz2
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
STROKES = ROOT / "resources" / "text" / "total_strokes.txt"

DEBIAN_FONTS = Path("/usr/share/fonts/opentype/noto")
DEBIAN_UNIHAN = Path("/usr/share/unicode")
FAMILY = "Noto Serif CJK SC"
OUTPUTS = {"Regular": "NotoSerifSC-Regular.ttf", "Bold": "NotoSerifSC-Bold.ttf"}

EXTRA_RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2010, 0x206F),  # general punctuation (— … ‘ ’ “ ” ‰)
    (0x2100, 0x218F),  # letterlike symbols and Roman numerals (№ ℃ Ⅰ)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed numbers ① ⑴ ⒈
    (0x25A0, 0x25FF),  # geometric shapes ■ □ ○ ●
    (0x3000, 0x303F),  # CJK symbols and punctuation 、。〇《》【】
    (0x3200, 0x32FF),  # enclosed CJK ㈠
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312_characters() -> set[int]:
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def _unihan_lines(folder: Path, name: str):
    plain = folder / name
    if plain.is_file():
        yield from plain.read_text(encoding="utf-8").splitlines()
        return
    packed = folder / f"{name}.bz2"
    if not packed.is_file():
        sys.exit(f"not found: {plain} (or .bz2); pass --unihan DIR")
    with bz2.open(packed, "rt", encoding="utf-8") as lines:
        yield from lines


def unihan_field(folder: Path, file_name: str, field: str) -> dict[int, str]:
    values = {}
    for line in _unihan_lines(folder, file_name):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3 and parts[1] == field:
            values[int(parts[0][2:], 16)] = parts[2]
    return values


def repertoire(unihan: Path) -> set[int]:
    codes = gb2312_characters()
    codes |= set(unihan_field(unihan, "Unihan_Readings.txt", "kTGHZ2013"))
    for first, last in EXTRA_RANGES:
        codes |= set(range(first, last + 1))
    return codes


def write_stroke_table(unihan: Path) -> None:
    by_count: dict[int, list[str]] = defaultdict(list)
    for code, value in sorted(
        unihan_field(unihan, "Unihan_IRGSources.txt", "kTotalStrokes").items()
    ):
        by_count[int(value.split()[0])].append(chr(code))
    STROKES.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# kTotalStrokes from the Unicode Han Database (Unihan); made by packaging/make_fonts.py\n"
    )
    lines = [f"{count}\t{''.join(chars)}" for count, chars in sorted(by_count.items())]
    STROKES.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{STROKES.relative_to(ROOT)}: {sum(map(len, by_count.values()))} characters")


def _simplified_chinese_face(collection_path: Path):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(str(collection_path)).fonts:
        if font["name"].getDebugName(1).startswith(FAMILY):
            return font
    sys.exit(f"{collection_path} holds no {FAMILY} face")


def _cff_to_glyf(font) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf snippet)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in [
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    maxp.compile(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build_font(source: Path, output: Path, codes: set[int]) -> None:
    from fontTools import subset

    font = _simplified_chinese_face(source)
    options = subset.Options()
    options.layout_features = ["kern", "palt", "vert", "vrt2"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    _cff_to_glyf(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same sources give the same file
    font.save(str(output))
    print(
        f"{output.relative_to(ROOT)}: {len(font.getGlyphOrder())} glyphs, {output.stat().st_size / 2**20:.1f} MiB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=DEBIAN_FONTS, help="folder of NotoSerifCJK-*.ttc"
    )
    parser.add_argument("--unihan", type=Path, default=DEBIAN_UNIHAN, help="folder of Unihan_*.txt")
    args = parser.parse_args()
    write_stroke_table(args.unihan)
    codes = repertoire(args.unihan)
    print(f"repertoire: {len(codes)} code points")
    for weight, name in OUTPUTS.items():
        build_font(args.source / f"NotoSerifCJK-{weight}.ttc", FONTS / name, codes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
