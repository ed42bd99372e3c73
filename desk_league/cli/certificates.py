"""``desk-league certificates KIND``: PDF certificates (志愿服务证明, 荣誉证书).

Each kind is one entry of ``CERTIFICATES``, filled by the module that owns it.
"""

from __future__ import annotations

from desk_league.cli.core import Kind, register_kinds

CERTIFICATES: dict[str, Kind] = {}


def register(commands) -> None:
    register_kinds(commands, "certificates", "打印证书 PDF (certificates)", CERTIFICATES)
