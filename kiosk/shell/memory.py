"""Gives the heap that Qt and Python freed back to the system once the kiosk comes to rest.

glibc keeps freed memory for reuse, and after a large block (a page snapshot, a cached map
layer: several MB each) it raises its own thresholds, so a kiosk that changes screens and
languages all day holds more and more free heap in its resident size. ``malloc_trim(0)`` hands
the free pages back; it takes about half a millisecond, so it runs once, a second after the last
screen change, language switch or content reload, never during an animation a visitor watches.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

REST_MS = 1000


def glibc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)``, or None where the C library has none (musl, macOS, Windows)."""
    try:
        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: malloc_trim(0)


class HeapTrimmer(QObject):
    """Trims the C heap ``REST_MS`` after the last ``poke()``."""

    def __init__(self, parent: QObject | None = None, rest_ms: int | None = None,
                 trim: Callable[[], object] | None = None):
        super().__init__(parent)
        self._trim = trim if trim is not None else glibc_trim()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REST_MS if rest_ms is None else rest_ms)
        self._timer.timeout.connect(self._run)

    @property
    def available(self) -> bool:
        return self._trim is not None

    def poke(self, *_args: object) -> None:
        """Something changed on screen: trim once the kiosk has been still for a while."""
        if self._trim is not None:
            self._timer.start()

    def _run(self) -> None:
        try:
            self._trim()
        except Exception:  # never worth more than a log line
            log.exception("heap trim failed; not trying again")
            self._trim = None
