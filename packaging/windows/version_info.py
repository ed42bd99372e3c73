"""The Windows version resource of desk-league.exe (Properties → Details), from __version__.

Built in code rather than kept as a hand-edited version file so the number can never drift from
``desk_league.__version__``. The spec imports it only on Windows (it needs ``pefile``, which
PyInstaller installs only there).
"""

from __future__ import annotations

from PyInstaller.utils.win32.versioninfo import (
    FixedFileInfo,
    StringFileInfo,
    StringStruct,
    StringTable,
    VarFileInfo,
    VarStruct,
    VSVersionInfo,
)

COMPANY = "市直卫生系统团委"
PRODUCT = "团委工作台"
DESCRIPTION = "团委工作台 desk_league"
SIMPLIFIED_CHINESE = 0x0804  # zh-CN
UNICODE_CODEPAGE = 1200


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0): Windows wants exactly four numbers."""
    numbers = [int(part) for part in version.split(".")[:4] if part.isdigit()]
    return tuple((numbers + [0, 0, 0, 0])[:4])


def version_info(version: str, program: str) -> VSVersionInfo:
    numbers = version_tuple(version)
    dotted = ".".join(str(n) for n in numbers)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": dotted,
        "InternalName": program,
        "LegalCopyright": f"© {COMPANY}",
        "OriginalFilename": f"{program}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo(
                [
                    StringTable(
                        f"{SIMPLIFIED_CHINESE:04x}{UNICODE_CODEPAGE:04x}",
                        [StringStruct(key, value) for key, value in strings.items()],
                    )
                ]
            ),
            VarFileInfo([VarStruct("Translation", [SIMPLIFIED_CHINESE, UNICODE_CODEPAGE])]),
        ],
    )
