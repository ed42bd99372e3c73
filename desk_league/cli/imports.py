"""``desk-league import KIND FILE``: bringing outside files in (a plan text, a volunteer roster).

Each kind is one entry of ``IMPORTS``, filled by the module that owns it. Imports write, so
they hold the single-instance lock and take a backup first.
"""

from __future__ import annotations

from desk_league.cli.core import Kind, register_kinds

IMPORTS: dict[str, Kind] = {}


def register(commands) -> None:
    register_kinds(
        commands, "import", "导入文件 (import a plan text or a roster)", IMPORTS, file_argument=True
    )
