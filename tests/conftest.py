"""Shared fixtures. Qt runs offscreen unless a test session sets another platform (Xvfb)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from kiosk.paths import PROJECT_ROOT  # noqa: E402

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
