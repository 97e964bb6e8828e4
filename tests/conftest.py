"""Shared fixtures. Qt runs offscreen unless a test session sets another platform (Xvfb)."""

from __future__ import annotations

import os
from pathlib import Path

# A 4K virtual screen: the default offscreen screen is 800x600, and Qt drops touch points that
# fall outside the screen, which would make every touch test on a 1920x1080 window meaningless.
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={Path(__file__).parent / 'offscreen.json'}"
)

import pytest

from kiosk.paths import PROJECT_ROOT
from kiosk.ui.raster import paint_on_gui_thread

paint_on_gui_thread()  # paint as `kiosk run` does

TESTS = PROJECT_ROOT / "tests"


@pytest.fixture(scope="session")
def shipped_content():
    """The shipped content, loaded once."""
    from kiosk.content import load

    return load()


@pytest.fixture(scope="session")
def touch_device():
    from PySide6.QtGui import QInputDevice
    from PySide6.QtTest import QTest

    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


@pytest.fixture
def make_ctx(qapp, shipped_content):
    """Build a ScreenContext: make_ctx(language="en", size=(1920, 1080), content=None, second=None)."""
    from kiosk.content import Localiser
    from kiosk.screens.base import ScreenContext
    from kiosk.ui import theme

    theme.load_fonts()

    def build(language="en", size=(1920, 1080), content=None, second=None):
        content = content or shipped_content
        metrics = theme.metrics_for(*size)
        return ScreenContext(
            content,
            metrics,
            Localiser(content, language),
            Localiser(content, second) if second else None,
        )

    return build
