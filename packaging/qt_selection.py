"""Which parts of Qt (and of Python) the bundle leaves out, so the setup file stays small.

The app uses QtCore, QtGui and QtWidgets, with QtCharts, QtPrintSupport, QtPdf/QtPdfWidgets and
QtSvg for charts, printing and PDF preview; PyInstaller follows those imports by itself. What is
listed here is never imported by the app but could be dragged in by a hook or an optional import.
"""

from __future__ import annotations

from pathlib import PurePath

UNUSED_QT_MODULES = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAsyncio", "QtBluetooth", "QtCanvasPainter", "QtConcurrent", "QtDataVisualization",
    "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer",
    "QtLabsStyleKit", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth",
    "QtNfc", "QtPositioning", "QtQml", "QtQmlFeatures", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
    "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
]  # fmt: skip

EXCLUDED_MODULES = [
    *(f"PySide6.{name}" for name in UNUSED_QT_MODULES),
    "PySide6.scripts",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "tkinter",
    "_tkinter",
    "IPython",
    "matplotlib",
    "numpy",
    "pytest",
    # Pillow reads the seal image for reportlab; AVIF support alone brings a 5 MB library.
    "PIL.AvifImagePlugin",
    "PIL._avif",
]

# Qt's own messages (buttons of standard dialogs, print dialog) in the languages the app offers.
KEPT_TRANSLATIONS = ("_zh_CN.qm", "_en.qm")

# Plugins the app has no use for, by family (None: the whole family) or by name (without the
# "lib" prefix and the suffix). The virtual keyboard would pull in all of QtQuick and QML, the
# PDF image format all of QtPdf; the app is offline and runs on a desktop, not a kiosk.
UNUSED_PLUGINS: dict[str, set[str] | None] = {
    "egldeviceintegrations": None,
    "generic": None,
    "networkinformation": None,
    "qmltooling": None,
    "tls": None,
    "wayland-graphics-integration-server": None,
    "imageformats": {"qicns", "qpdf", "qtga", "qwbmp"},
    "platforminputcontexts": {"qtvirtualkeyboardplugin"},
    "platforms": {"qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc"},
    "platformthemes": {"qgtk3"},  # would pull all of GTK into a Linux bundle
}


# Qt libraries that only the plugins above load, with the Python module that, when the app does
# import it, needs the library after all (None: never needed).
PLUGIN_ONLY_LIBRARIES: dict[str, str | None] = {
    "Qt6Pdf": "QtPdf",
    "Qt6Qml": "QtQml",
    "Qt6QmlMeta": "QtQml",
    "Qt6QmlModels": "QtQml",
    "Qt6QmlWorkerScript": "QtQml",
    "Qt6Quick": "QtQuick",
    "Qt6VirtualKeyboard": None,
    "Qt6VirtualKeyboardQml": None,
    "Qt6EglFSDeviceIntegration": None,
    "Qt6EglFsKmsSupport": None,
}


def select_qt_files(entries: list[tuple]) -> list[tuple]:
    """The analysis' (destination, source, kind) entries without the Qt files the app never uses."""
    imported = {_bare_name(entry[0]) for entry in entries if _is_pyside_module(entry[0])}
    return [entry for entry in entries if _keep(PurePath(entry[0]), imported)]


def _keep(destination: PurePath, imported_qt_modules: set[str]) -> bool:
    parts = destination.parts
    if "translations" in parts and parts[-1].endswith(".qm"):
        return parts[-1].endswith(KEPT_TRANSLATIONS)
    if "plugins" in parts and len(parts) > parts.index("plugins") + 2:
        family = parts[parts.index("plugins") + 1]
        if family not in UNUSED_PLUGINS:
            return True
        unused = UNUSED_PLUGINS[family]
        return unused is not None and _bare_name(parts[-1]) not in unused
    library = _bare_name(parts[-1])
    if library in PLUGIN_ONLY_LIBRARIES:
        return PLUGIN_ONLY_LIBRARIES[library] in imported_qt_modules
    return True


def _is_pyside_module(destination: str) -> bool:
    parts = PurePath(destination).parts
    return len(parts) == 2 and parts[0] == "PySide6" and parts[1].startswith("Qt")


def _bare_name(file_name: str) -> str:
    """'libQt6Pdf.so.6' and 'Qt6Pdf.dll' -> 'Qt6Pdf'; 'QtPdf.abi3.so', 'QtPdf.pyd' -> 'QtPdf'."""
    stem = PurePath(file_name).name.split(".")[0]
    return stem.removeprefix("lib")
