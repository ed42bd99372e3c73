"""``desk-league certificates KIND``: PDF certificates (志愿服务证明, 荣誉证书).

Each kind is one entry of ``CERTIFICATES``: its options and the handler that prints it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from desk_league.cli.core import add_database_options


@dataclass(frozen=True)
class CertificateKind:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


CERTIFICATES: dict[str, CertificateKind] = {}


def register(commands) -> None:
    if not CERTIFICATES:
        return
    parser = commands.add_parser("certificates", help="打印证书 PDF (certificates)")
    kinds = parser.add_subparsers(title="kinds", metavar="KIND", required=True)
    for name, kind in CERTIFICATES.items():
        sub = kinds.add_parser(name, help=kind.help, description=kind.help)
        add_database_options(sub)
        kind.add_arguments(sub)
        sub.set_defaults(handler=kind.run)
