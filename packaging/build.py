"""Build the one-folder bundle of desk_league for the current OS with PyInstaller.

    python packaging/build.py [--dist DIR] [--work DIR]

The bundle lands in ``dist/desk-league/`` (programs ``desk-league`` and ``desk-league-cli``,
``.exe`` on Windows). On Windows, Inno Setup then turns it into the setup file:
``iscc packaging\\windows\\desk_league.iss``. Prints the bundle's size and the build time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "desk_league.spec"
BUNDLE_NAME = "desk-league"


def build_bundle(dist: Path, work: Path, *, quiet: bool = False) -> Path:
    """Run PyInstaller on the spec and return the bundle folder."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--log-level",
        "WARN" if quiet else "INFO",
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    return dist / BUNDLE_NAME


def folder_size(folder: Path) -> int:
    # Linux bundles link some libraries twice under two names: count each file once.
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def program(bundle: Path, name: str = "desk-league") -> Path:
    """A program inside the bundle, with the OS's executable suffix."""
    return bundle / (name + (".exe" if sys.platform == "win32" else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the desk_league bundle (PyInstaller).")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder"
    )
    parser.add_argument("--quiet", action="store_true", help="only PyInstaller's warnings")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = build_bundle(args.dist.resolve(), args.work.resolve(), quiet=args.quiet)
    seconds = time.perf_counter() - started
    files = sum(1 for file in bundle.rglob("*") if file.is_file())
    print(f"bundle: {bundle}")
    print(f"program: {program(bundle)}")
    print(f"bundle size: {folder_size(bundle) / 2**20:.1f} MiB in {files} files")
    print(f"build time: {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
