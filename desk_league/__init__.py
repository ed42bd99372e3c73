"""团委工作台 — the desktop workbench of a city health bureau's Youth League committee."""

__version__ = "0.1.0"
APP_NAME = "desk-league"
APP_TITLE = "团委工作台"
