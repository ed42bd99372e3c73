#!/bin/sh
# Qt's wheels need a few system libraries (OpenGL/EGL, xkbcommon, fontconfig) that a minimal
# Linux may lack, and on a desktop the xcb platform plugin needs the X11/xcb libraries to open
# a window at all. Install them with apt when we can; otherwise say which packages are needed.
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

# What any Qt GUI needs (the tests run Qt offscreen with these).
PKGS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
# What Qt 6.11's xcb platform plugin and its GL integrations link against (objdump -p of
# plugins/platforms/libqxcb.so, lib/libQt6XcbQpa.so.6 and plugins/xcbglintegrations/*), as
# Debian/Ubuntu packages. Without them `make run` on an X11 desktop stops with "Could not load
# the Qt platform plugin xcb".
XCB_PKGS="libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 \
libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 \
libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0"

can_install() { command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; }
install() {
    echo "Installing $1: $2"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null
}

if ! QT_QPA_PLATFORM=offscreen "$PY" -c 'from PySide6 import QtGui, QtWidgets' 2>/dev/null; then
    if can_install; then
        install "Qt's system libraries" "$PKGS"
    elif command -v apt-get >/dev/null 2>&1; then
        echo "Qt needs these system packages; run: sudo apt-get install $PKGS"; exit 1
    else
        echo "Qt cannot load its system libraries (OpenGL/EGL, xkbcommon, fontconfig); install them with your package manager."; exit 1
    fi
fi

# The window on an X11 desktop: a library the xcb plugin cannot find is listed by ldd.
XCB_PLUGIN=$("$PY" -c 'import pathlib, PySide6; print(pathlib.Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so")' 2>/dev/null)
if [ -f "$XCB_PLUGIN" ] && command -v ldd >/dev/null 2>&1 && ldd "$XCB_PLUGIN" | grep -q "not found"; then
    if can_install; then
        install "the X11 libraries Qt's window needs (xcb)" "$XCB_PKGS"
    elif command -v apt-get >/dev/null 2>&1; then
        # not fatal: tests and the command line run without a display
        echo "To open the window on an X11 desktop, Qt needs: sudo apt-get install $XCB_PKGS"
    else
        echo "To open the window on an X11 desktop, install the libraries ldd reports missing for $XCB_PLUGIN."
    fi
fi
exit 0
