"""Where the shipped content, the assets and the per-user folders are."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "changchun-showcase"


def shipped_content() -> Path:
    """The content.yaml shipped with the kiosk."""
    return PROJECT_ROOT / "data" / "content.yaml"


def assets_dir() -> Path:
    return PROJECT_ROOT / "assets"


def default_basemap() -> Path:
    """The Natural Earth land map shipped in assets/ (see assets/map/README.md)."""
    return assets_dir() / "map" / "land.json"


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Statistics, last good content copy, and other files the kiosk writes."""
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))
