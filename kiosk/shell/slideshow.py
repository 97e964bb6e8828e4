"""Slideshow mode for delegation hosts: playlists drive the screens; a clicker steers."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.content.model import LocalText, Playlist
from kiosk.screens.base import Screen, ScreenContext
from kiosk.state.slideshow import Slideshow
from kiosk.ui import events, theme

if TYPE_CHECKING:
    from kiosk.shell.window import KioskWindow

log = logging.getLogger(__name__)

TICK_MS = 250
# the progress bar moves twice a second: each move is a frame of the window, and a frame four
# times a second was a sixth of an unattended slideshow's CPU time
PROGRESS_S = 0.5
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space}
PREV_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left}
BLACK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
WATCHED_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress)


def _over(top: QColor, base: QColor) -> QColor:
    a = top.alphaF()
    pairs = zip(top.getRgbF()[:3], base.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(t * a + b * (1 - a) for t, b in pairs))


# the bar's track: a faint white over the nav bar's background, painted opaque
TRACK = _over(QColor(255, 255, 255, 40), theme.BACKGROUND)


class TitleCardScreen(Screen):
    """A full-screen title ("Welcome, delegation of Wolfsburg") from a playlist step."""

    screen_id = "title"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.title_text: LocalText | None = None
        self.subtitle_text: LocalText | None = None
        box = QVBoxLayout(self)
        box.addStretch(2)
        self.title = QLabel()
        self.title2 = QLabel()
        self.subtitle = QLabel()
        for label in (self.title, self.title2, self.subtitle):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            box.addWidget(label)
        box.addStretch(3)
        self.apply_context(ctx)

    def open(self, params: Mapping[str, Any]) -> None:
        self.title_text = params.get("title")
        self.subtitle_text = params.get("subtitle")
        self.apply_context(self.ctx)

    def apply_context(self, ctx: ScreenContext) -> None:
        super().apply_context(ctx)
        m = ctx.metrics
        self.title.setFont(ctx.font(m.headline, bold=True))
        self.title.setStyleSheet(f"color: {theme.ACCENT.name()};")
        self.title.setText(ctx.text(self.title_text))
        second = ctx.text2(self.title_text)
        self.title2.setVisible(bool(second))
        if second and ctx.second is not None:
            self.title2.setFont(ctx.font_for(ctx.second.language, m.title, bold=True))
            self.title2.setText(second)
        self.subtitle.setFont(ctx.font(m.title))
        self.subtitle.setText(ctx.text(self.subtitle_text))

    def state(self) -> dict[str, Any]:
        return {"title": self.title.text()}


class StepProgress(QWidget):
    """A thin bar at the bottom edge: how much of the step's time is used."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        # opaque: an update repaints the bar's own pixels only, not the nav bar and the screen
        # beneath it (four times a second through a whole slideshow)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.fraction = 0.0
        self.paused = False

    def set_fraction(self, fraction: float, paused: bool) -> None:
        if abs(fraction - self.fraction) > 0.002 or paused != self.paused:
            if paused == self.paused:
                # only the stretch between the old and the new end changes colour
                a, b = sorted((self.fraction, fraction))
                x0 = math.floor(self.width() * a)
                self.update(QRect(x0 - 1, 0, math.ceil(self.width() * b) - x0 + 2, self.height()))
            else:
                self.update()
            self.fraction = fraction
            self.paused = paused

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), TRACK)
        colour = theme.TEXT_DIM if self.paused else theme.ACCENT
        p.fillRect(QRectF(0, 0, self.width() * self.fraction, self.height()), colour)
        p.end()


class TouchPrompt(QWidget):
    """"Touch to start" in each offered language in turn, over an attract-loop playlist."""

    def __init__(self, window: KioskWindow):
        super().__init__(window)
        self.window_ = window
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(2600)
        self._timer.timeout.connect(self._next)
        self._timer.start()
        self.place()
        self.show()

    def place(self) -> None:
        w = self.window_
        height = round(w.height() * 0.14)
        self.setGeometry(0, w.height() - height, w.width(), height)
        self.raise_()

    def stop(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()

    def _next(self) -> None:
        self.index += 1
        self.update()

    def paintEvent(self, event) -> None:
        from kiosk.content import Localiser

        content = self.window_.content
        languages = content.meta.languages
        code = languages[self.index % len(languages)].code
        text = Localiser(content, code).ui("touch_to_start")
        m = self.window_.metrics
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(242, 177, 52, 235))
        p.setPen(QColor("#10151C"))
        p.setFont(self.window_.ctx.font_for(code, m.title, True))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        p.end()


class BlackOverlay(QWidget):
    """The presenter's black screen (B or '.')."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: black;")
        self.hide()


class SlideshowController(QObject):
    """Runs a playlist on the kiosk window.

    A visitor's touch hands over to interactive use on the screen they touched; after the idle
    timeout the slideshow resumes at the step where it left off.

    Signals:
        step_changed(int): the step now shown.
    """

    step_changed = Signal(int)

    def __init__(self, window: KioskWindow, playlist: Playlist,
                 clock: Callable[[], float] = time.monotonic, show_progress: bool = True,
                 attract: bool = False):
        super().__init__(window)
        self.attract = attract  # the attract loop: a touch opens home instead of handing over
        self.prompt = TouchPrompt(window) if attract else None
        self.window = window
        self.clock = clock
        self.playlist = playlist
        self.show = Slideshow(playlist, window.content.settings.default_duration_s, clock())
        self.interactive = False
        self.progress = StepProgress(window)
        self.progress.setVisible(show_progress)
        self.black = BlackOverlay(window)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._progress_at = -1e9  # when the overlays were last brought up to date
        self._layout_overlays()

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        # build every screen the playlist uses now, so no step shows a half-built screen
        from kiosk.state.slideshow import step_view

        for step in self.playlist.steps:
            try:
                self.window.screen(step_view(step).screen)
            except Exception:
                log.exception("slideshow: screen %r cannot be built", step.screen)
        if self.playlist.language:
            self.window.set_language(self.playlist.language)
        if self.playlist.second_language:
            self.window.set_second_language(self.playlist.second_language)
        self.window.slideshow = self
        self.window.idle.set_enabled(False)
        self._set_presenting(True)
        self._apply_step()
        self._timer.start()
        events.watch(WATCHED_EVENTS, self.eventFilter)

    def stop(self) -> None:
        self._timer.stop()
        self._set_presenting(False)
        self.progress.hide()
        if self.prompt is not None:
            self.prompt.stop()
        self.black.hide()
        events.unwatch(self.eventFilter)
        if self.window.slideshow is self:
            self.window.slideshow = None

    def tick(self) -> None:
        now = self.clock()
        if self.interactive:
            return
        if self.show.tick(now):
            self._apply_step()
        elif now - self._progress_at >= PROGRESS_S - 0.05:
            self._update_overlays(now)

    def _apply_step(self) -> None:
        view = self.show.view()
        log.info("slideshow %s: step %d (%s)", self.playlist.id, self.show.index, view.screen)
        self.window.show_screen(view.screen, view.params, from_slideshow=True)
        self.step_changed.emit(self.show.index)
        self._update_overlays(self.clock())

    def _set_presenting(self, on: bool) -> None:
        """Unattended, the screens' entry animations and the slides run at a lower frame rate,
        and slides uncover the live coming page instead of painting a picture of it (less
        CPU)."""
        for screen in self.window.screens.values():
            screen.set_presenting(on)
        self.window.stack.smooth = not on

    def _update_overlays(self, now: float) -> None:
        self._progress_at = now
        self._layout_overlays()
        self.progress.set_fraction(self.show.progress(now), self.show.paused)
        self.black.setVisible(self.show.black)
        if self.show.black:
            self.black.raise_()
        elif self.progress.isVisible():
            self.progress.raise_()
        if self.prompt is not None:
            self.prompt.place()

    def _layout_overlays(self) -> None:
        w = self.window
        height = max(4, w.metrics.px(6))
        self.progress.setGeometry(0, w.height() - height, w.width(), height)
        self.black.setGeometry(w.rect())

    # --- visitors and hosts --------------------------------------------------------------------

    def hand_over(self) -> None:
        """A visitor touched the screen: stop driving it, let them explore from here."""
        if self.attract:
            # the attract loop ends at a touch: the visitor starts at home
            self.stop()
            QTimer.singleShot(0, self.window.start_visit)
            return
        if self.interactive:
            return
        self.interactive = True
        self._set_presenting(False)
        self.show.pause(self.clock())
        self.progress.hide()
        self.black.hide()
        self.show.black = False
        self.window.idle.set_enabled(True)
        log.info("slideshow handed over to a visitor at step %d", self.show.index)

    def resume(self) -> None:
        """Back from interactive use (idle timeout): continue at the step where it left off."""
        self.interactive = False
        self._set_presenting(True)
        self.window.idle.set_enabled(False)
        self.window.still_there.hide()
        if self.window.layers.currentWidget() is not self.window.main:
            self.window.layers.setCurrentWidget(self.window.main)
        self.show.resume(self.clock())
        self.show.started = self.clock()
        self.progress.show()
        self._apply_step()

    def key(self, key: int) -> bool:
        """A clicker or keyboard key; True when it was a slideshow key."""
        now = self.clock()
        show = self.show
        if key in NEXT_KEYS:
            show.next(now)
        elif key in PREV_KEYS:
            show.previous(now)
        elif key == Qt.Key.Key_Home:
            show.first(now)
        elif key == Qt.Key.Key_End:
            show.last(now)
        elif key in BLACK_KEYS:
            show.toggle_black()
            self._update_overlays(now)
            return True
        elif key == Qt.Key.Key_P:
            show.toggle_pause(now)
            self._update_overlays(now)
            return True
        elif key == Qt.Key.Key_L:
            codes = self.window.content.meta.codes
            lang = codes[(codes.index(self.window.language) + 1) % len(codes)]
            self.window.set_language(lang)
            return True
        else:
            return False
        if self.interactive:
            self.interactive = False
            self._set_presenting(True)
            self.window.idle.set_enabled(False)
            self.progress.show()
        self._apply_step()
        return True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if not event.isAutoRepeat() and self.key(event.key()):
                return True
        elif kind in (QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress) and not self.interactive:
            self.hand_over()
        return False
