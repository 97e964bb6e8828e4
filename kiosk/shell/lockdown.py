"""Kiosk lockdown: no way out for visitors; a hidden corner gesture and a PIN for staff."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QKeyEvent, QKeySequence, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.pin import backoff_s, verify_pin
from kiosk.ui import events

# what the lock looks at (see KioskLock.eventFilter)
WATCHED_EVENTS = (
    QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.ContextMenu,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.DragEnter,
    QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.TouchBegin,
)

if TYPE_CHECKING:
    from kiosk.shell.window import KioskWindow

log = logging.getLogger(__name__)

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0

# Keys that close or leave an application somewhere; in kiosk mode they do nothing.
_BLOCKED = [
    QKeySequence(Qt.Key.Key_Escape),
    QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_F4),
    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q),
    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W),
    QKeySequence(Qt.Key.Key_F11),
    QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Tab),
    QKeySequence(Qt.Key.Key_Menu),  # a context menu from the keyboard
]


def _blocked(event: QKeyEvent) -> bool:
    seq = QKeySequence(event.keyCombination())
    return any(seq.matches(b) == QKeySequence.SequenceMatch.ExactMatch for b in _BLOCKED)


class KioskLock(QObject):
    """Watches the window's input: swallows closing keys, right-clicks, context menus and drops;
    hides the cursor while touch is used; counts taps in the staff corner.

    Signals:
        staff_requested(): five taps in the top-left corner within three seconds.
    """

    staff_requested = Signal()

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic):
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.taps: list[float] = []
        self.cursor_hidden = False
        self._last_touch = -1

    def install(self, app: QApplication) -> None:
        events.watch(WATCHED_EVENTS, self.eventFilter, app)

    def uninstall(self) -> None:
        events.unwatch(self.eventFilter)

    def corner_size(self) -> int:
        metrics = getattr(self.window, "metrics", None)
        return round(metrics.touch * 1.5) if metrics else 100

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            return _blocked(event)
        elif kind == QEvent.Type.ContextMenu:
            return True
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                      QEvent.Type.MouseButtonRelease) and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                return True
            if kind == QEvent.Type.MouseButtonPress and not _synthesized(event):
                self._maybe_corner(event.globalPosition().toPoint())
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            event.ignore()
            return True
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent):
            self._hide_cursor()
            points = event.points()
            # (one touch, one event: a repeated timestamp is the same touch seen twice)
            if len(points) == 1 and event.timestamp() != self._last_touch:
                self._last_touch = event.timestamp()
                self._maybe_corner(points[0].globalPosition().toPoint())
        elif (kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent)
              and not _synthesized(event)):
            self._show_cursor()
        return False

    def _maybe_corner(self, global_pos: QPoint) -> None:
        local = self.window.mapFromGlobal(global_pos)
        size = self.corner_size()
        if not (0 <= local.x() <= size and 0 <= local.y() <= size):
            self.taps.clear()
            return
        now = self.clock()
        self.taps = [t for t in self.taps if now - t <= CORNER_WINDOW_S] + [now]
        if len(self.taps) >= CORNER_TAPS:
            self.taps.clear()
            log.info("staff gesture")
            self.staff_requested.emit()

    def _hide_cursor(self) -> None:
        if not self.cursor_hidden:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self.cursor_hidden = True

    def _show_cursor(self) -> None:
        if self.cursor_hidden:
            QApplication.restoreOverrideCursor()
            self.cursor_hidden = False


def _synthesized(event: QMouseEvent) -> bool:
    return event.source() != Qt.MouseEventSource.MouseEventNotSynthesized


class Overlay(QWidget):
    """A dimmed full-window panel for staff, above everything a visitor sees."""

    def __init__(self, window: KioskWindow):
        super().__init__(window)
        self.kiosk = window
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("Overlay, PinPad, StaffMenu { background: rgba(5, 10, 20, 235); }")
        self.hide()

    def open(self) -> None:
        self.setGeometry(self.kiosk.rect())
        self.show()
        self.raise_()


class PinPad(Overlay):
    """Large number keys; a wrong PIN makes the next try wait longer.

    Signals:
        accepted(): the right PIN was entered.
    """

    accepted = Signal()

    def __init__(self, window: KioskWindow, clock: Callable[[], float] = time.monotonic):
        super().__init__(window)
        self.clock = clock
        self.entry = ""
        self.failures = 0
        self.locked_until = 0.0
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.prompt = QLabel()
        self.dots = QLabel()
        self.message = QLabel()
        for label in (self.prompt, self.dots, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(label)
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "✕", "0", "OK"]):
            button = QPushButton(key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._refresh)

    def open(self) -> None:
        self.entry = ""
        ctx = self.kiosk.ctx
        m = ctx.metrics
        for button in self.keys.values():
            button.setFixedSize(round(m.touch * 1.6), round(m.touch * 1.4))
            button.setFont(ctx.font(m.title, bold=True))
        for label, size in ((self.prompt, m.title), (self.dots, m.headline), (self.message, m.body)):
            label.setFont(ctx.font(size))
        super().open()
        self._tick.start()
        self._refresh()

    def close_pad(self) -> None:
        self._tick.stop()
        self.entry = ""
        self.hide()

    def press(self, key: str) -> None:
        if key == "✕":
            if self.entry:
                self.entry = ""
            else:
                self.close_pad()
                return
        elif key == "OK":
            self.submit()
            return
        elif len(self.entry) < 12:
            self.entry += key
        self._refresh()

    def submit(self) -> bool:
        now = self.clock()
        if now < self.locked_until:
            self._refresh()
            return False
        stored = self.kiosk.content.settings.admin_pin_hash
        if verify_pin(self.entry, stored):
            self.failures = 0
            self.close_pad()
            self.accepted.emit()
            return True
        self.failures += 1
        self.locked_until = now + backoff_s(self.failures)
        log.warning("wrong staff PIN (%d in a row)", self.failures)
        self.entry = ""
        self._refresh(wrong=True)
        return False

    def _refresh(self, wrong: bool = False) -> None:
        ctx = self.kiosk.ctx
        self.prompt.setText(ctx.tr("staff_pin"))
        self.dots.setText("●" * len(self.entry) or " ")
        wait = max(0.0, self.locked_until - self.clock())
        if not self.kiosk.content.settings.admin_pin_hash:
            self.message.setText(ctx.tr("staff_no_pin"))
        elif wait > 0:
            self.message.setText(ctx.tr("staff_wait", seconds=int(wait + 0.999)))
        elif wrong:
            self.message.setText(ctx.tr("staff_wrong_pin"))
        else:
            self.message.setText("")
        locked = wait > 0
        for key in "0123456789":
            self.keys[key].setEnabled(not locked)


class StaffMenu(Overlay):
    """Exit, reload content, show the content errors, start or stop a slideshow."""

    def __init__(self, window: KioskWindow):
        super().__init__(window)
        self.box = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box.addWidget(self.title)
        self.buttons = QHBoxLayout()
        self.box.addLayout(self.buttons)
        self.playlists = QHBoxLayout()
        self.box.addLayout(self.playlists)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.details)
        scroll.setStyleSheet("background: transparent; border: none;")
        self.box.addWidget(scroll, 1)
        self.actions: dict[str, QPushButton] = {}

    def _button(self, key: str, text: str, handler: Callable[[], None],
                row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(handler)
        row.addWidget(button)
        self.actions[key] = button
        return button

    def open(self) -> None:
        ctx = self.kiosk.ctx
        m = ctx.metrics
        for row in (self.buttons, self.playlists):
            while row.count():
                item = row.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
        self.actions = {}
        self.title.setFont(ctx.font(m.title, bold=True))
        self.title.setText(ctx.tr("staff_title"))
        self._button("exit", ctx.tr("staff_exit"), self.kiosk.staff_exit, self.buttons)
        self._button("reload", ctx.tr("staff_reload"), self._reload, self.buttons)
        self._button("errors", ctx.tr("staff_errors"), self._show_errors, self.buttons)
        self._button("statistics", ctx.tr("staff_statistics"), self._show_statistics,
                     self.buttons)
        self._button("close", ctx.tr("close"), self.hide, self.buttons)
        if self.kiosk.slideshow is not None:
            self._button("stop", ctx.tr("staff_stop_slideshow"), self._stop_slideshow,
                         self.playlists)
        for playlist in self.kiosk.content.playlists:
            self._button(f"playlist-{playlist.id}",
                         f"{ctx.tr('staff_playlist')}: {ctx.text(playlist.name)}",
                         lambda p=playlist.id: self._start(p), self.playlists)
        for button in self.actions.values():
            button.setFont(ctx.font(m.body))
        self.details.setFont(ctx.font(m.small))
        self._show_errors()
        super().open()

    def _reload(self) -> None:
        watcher = getattr(self.kiosk, "watcher", None)
        if watcher is not None:
            watcher.force_reload()
        self._show_errors()

    def _show_errors(self) -> None:
        issues = self.kiosk.content_issues
        ctx = self.kiosk.ctx
        self.details.setText(
            "\n".join(i.format() for i in issues) if issues else ctx.tr("staff_no_errors"))

    def _show_statistics(self) -> None:
        stats = self.kiosk.stats
        if stats is None:
            self.details.setText("—")
            return
        lines = []
        for kind, counts in stats.totals().items():
            lines.append(f"{kind}: " + ", ".join(f"{value} {n}" for value, n in counts.items()))
        self.details.setText("\n".join(lines) or "—")

    def _start(self, playlist_id: str) -> None:
        self.hide()
        self.kiosk.start_slideshow(playlist_id)

    def _stop_slideshow(self) -> None:
        self.hide()
        if self.kiosk.slideshow is not None:
            self.kiosk.slideshow.stop()
        self.kiosk.reset_to_attract()
