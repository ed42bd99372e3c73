#!/bin/sh
# Qt's wheels need a few system libraries (OpenGL/EGL, xkbcommon, fontconfig) that a minimal
# Linux may lack. Install them with apt when we can; otherwise say which packages are needed.
PY=${PY:-.venv/bin/python}
# PyInstaller (the bundle test, make bundle) reads libraries with objdump, from binutils.
if ! command -v objdump >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "Installing binutils (objdump, for PyInstaller)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
    else
        echo "PyInstaller needs objdump: install binutils with your package manager."; exit 1
    fi
fi
if QT_QPA_PLATFORM=offscreen "$PY" -c 'from PySide6 import QtGui, QtWidgets' 2>/dev/null; then
    exit 0
fi
PKGS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Qt's system libraries: $PKGS"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS >/dev/null
elif command -v apt-get >/dev/null 2>&1; then
    echo "Qt needs these system packages; run: sudo apt-get install $PKGS"; exit 1
else
    echo "Qt cannot load its system libraries (OpenGL/EGL, xkbcommon, fontconfig); install them with your package manager."; exit 1
fi
