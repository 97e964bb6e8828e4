"""The kiosk window: attract loop, title bar, screens, navigation, languages and idle reset."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QApplication, QStackedLayout, QVBoxLayout, QWidget

from kiosk.content import Content, Localiser
from kiosk.screens.base import Screen, ScreenContext
from kiosk.shell.attract import AttractView
from kiosk.shell.chrome import NavBar, TitleBar
from kiosk.shell.home import HomeScreen
from kiosk.shell.idle import IdleWatcher, StillThereOverlay
from kiosk.shell.memory import HeapTrimmer
from kiosk.shell.stack import SlideStack
from kiosk.ui import events, theme
from kiosk.ui.touch import TouchGuard

log = logging.getLogger(__name__)

# Screens are imported when first shown, so start-up pays only for the attract loop and home.
SCREEN_MODULES = {
    "timeline": "kiosk.screens.timeline",
    "map": "kiosk.screens.partner_map",
    "economy": "kiosk.screens.economy",
    "title": "kiosk.shell.slideshow",
}
SCREEN_ORDER = ("home", "timeline", "map", "economy")


def screen_class(screen_id: str) -> type[Screen]:
    """The Screen subclass of a screen module, found by its ``screen_id``."""
    module = importlib.import_module(SCREEN_MODULES[screen_id])
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Screen) and value.screen_id == screen_id:
            return value
    raise LookupError(f"{SCREEN_MODULES[screen_id]} has no Screen with screen_id {screen_id!r}")


class KioskWindow(QWidget):
    """The whole kiosk in one top-level widget.

    Signals:
        screen_changed(str): the screen now shown ("attract", "home", "timeline", ...).
        language_changed(str): the visitor's language.
    """

    screen_changed = Signal(str)
    language_changed = Signal(str)

    def __init__(
        self,
        content: Content,
        *,
        language: str | None = None,
        second_language: str | None = None,
        size: QSize | None = None,
        idle_timeout_s: float | None = None,
        idle_countdown_s: float | None = None,
        touch_guard: TouchGuard | None = None,
        locked: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("KioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        theme.load_fonts()
        self.content = content
        self.start_language = language or content.meta.default_language
        self.language = self.start_language
        self.second_language = second_language or content.settings.second_language
        initial = size or QSize(1920, 1080)
        self.resize(initial)
        self.metrics = theme.metrics_for_screen(self.screen(), initial)
        self.guard = touch_guard or TouchGuard(self.metrics.px_per_mm)
        self.screens: dict[str, Screen] = {}
        self.current_screen = "attract"
        self.content_issues: list = []
        self.slideshow = None  # a SlideshowController while a playlist runs
        self.watcher = None  # the ContentWatcher, when content is watched
        self.locked = locked
        self._exit_allowed = False
        # Screens (and "attract") not on show when the context last changed: they take the new
        # context when next shown, so a language switch redraws only what the visitor sees.
        self._stale: set[str] = set()

        self.ctx = self._make_context()
        self.attract = AttractView(self.ctx, content.settings.attract_slide_s)
        self.attract.touched.connect(self.start_visit)
        self.main = QWidget()
        self.main.setObjectName("Main")
        self.title_bar = TitleBar()
        self.title_bar.picker.language_chosen.connect(self.set_language)
        self.stack = SlideStack()
        self.nav = NavBar()
        self.nav.screen_chosen.connect(self._nav_tapped)
        box = QVBoxLayout(self.main)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.title_bar)
        box.addWidget(self.stack, 1)
        box.addWidget(self.nav)
        self.layers = QStackedLayout(self)
        self.layers.addWidget(self.attract)
        self.layers.addWidget(self.main)
        self.still_there = StillThereOverlay(self)

        self.idle = IdleWatcher(
            idle_timeout_s or content.settings.idle_timeout_s,
            idle_countdown_s or content.settings.idle_countdown_s,
            self,
        )
        self.idle.countdown_started.connect(lambda: self.still_there.show_seconds(
            round(self.idle.countdown_s)))
        self.idle.countdown_tick.connect(self.still_there.show_seconds)
        self.idle.countdown_cancelled.connect(self.still_there.dismiss)
        self.idle.timed_out.connect(self._idle_timed_out)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.idle.install(app)
            self.guard.install(app)

        from kiosk.shell.lockdown import KioskLock

        self._pin_pad = None
        self._staff_menu = None
        self.lock = KioskLock(self)
        self.lock.staff_requested.connect(lambda: self.pin_pad.open())
        if locked and isinstance(app, QApplication):
            self.lock.install(app)

        self.stats = None  # a kiosk.stats.Stats when statistics are on (set by the launcher)
        self.heap = HeapTrimmer(self)
        self.screen_changed.connect(self.heap.poke)
        self.language_changed.connect(self.heap.poke)
        self.screen_changed.connect(lambda s: self._count("screen", s))
        self.language_changed.connect(lambda code: self._count("language", code))

        self._add_screen(HomeScreen(self.ctx))
        self._apply_context()
        self.show_attract()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # the watchers (idle clock, touch guard, lock, slideshow keys) see this window's input;
        # shown again after its flags changed, it may have a new QWindow
        events.cover(self)

    # --- staff overlays (built on first use: visitors never see them, start-up need not pay) -----

    @property
    def pin_pad(self):
        """The staff PIN pad (a kiosk.shell.lockdown.PinPad)."""
        if self._pin_pad is None:
            from kiosk.shell.lockdown import PinPad

            self._pin_pad = PinPad(self)
            self._pin_pad.accepted.connect(lambda: self.staff_menu.open())
        return self._pin_pad

    @property
    def staff_menu(self):
        """The staff menu (a kiosk.shell.lockdown.StaffMenu)."""
        if self._staff_menu is None:
            from kiosk.shell.lockdown import StaffMenu

            self._staff_menu = StaffMenu(self)
        return self._staff_menu

    # --- context -------------------------------------------------------------------------------

    def _make_context(self) -> ScreenContext:
        second = self.second_language
        return ScreenContext(
            self.content,
            self.metrics,
            Localiser(self.content, self.language),
            Localiser(self.content, second) if second and second != self.language else None,
        )

    def _apply_context(self) -> None:
        from kiosk.content.formatting import is_rtl

        self.ctx = self._make_context()
        direction = (
            Qt.LayoutDirection.RightToLeft if is_rtl(self.language) else Qt.LayoutDirection.LeftToRight
        )
        self.setLayoutDirection(direction)
        theme.set_style_sheet(self, theme.stylesheet(self.metrics))
        self.title_bar.apply_context(self.ctx)
        self.nav.apply_context(self.ctx)
        self.still_there.apply_context(self.ctx)
        if self.layers.currentWidget() is self.attract:
            self.attract.apply_context(self.ctx)
        else:
            self._stale.add("attract")
        shown = self.stack.current() if self.layers.currentWidget() is self.main else None
        for screen_id, screen in self.screens.items():
            if screen is shown:
                self._safely(screen.apply_context, self.ctx)
            else:
                self._stale.add(screen_id)

    def _refresh(self, screen_id: str) -> None:
        """Give a screen (or the attract loop) the context it missed while it was hidden."""
        if screen_id not in self._stale:
            return
        self._stale.discard(screen_id)
        if screen_id == "attract":
            self.attract.apply_context(self.ctx)
        elif screen_id in self.screens:
            self._safely(self.screens[screen_id].apply_context, self.ctx)

    def set_language(self, code: str) -> None:
        """Redraw everything in another language, keeping every screen's state."""
        if code not in self.content.meta.codes:
            log.warning("language %r is not offered", code)
            return
        self.language = code
        self._apply_context()
        self.language_changed.emit(code)

    def set_second_language(self, code: str | None) -> None:
        self.second_language = code
        self._apply_context()

    def set_content(self, content: Content) -> None:
        """New content (hot reload): redraw, keeping screen, language and selection if possible."""
        self.content = content
        if self.language not in content.meta.codes:
            self.language = content.meta.default_language
        self._apply_context()
        self.heap.poke()

    def set_content_issues(self, issues: list) -> None:
        """An edit was rejected: keep showing the last good content; staff can list the issues."""
        self.content_issues = list(issues)

    def staff_exit(self) -> None:
        """Leave the kiosk (staff menu, after the PIN)."""
        log.info("staff exit")
        self._exit_allowed = True
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def closeEvent(self, event) -> None:
        if self.locked and not self._exit_allowed:
            event.ignore()  # Alt+F4, the window manager's close button: visitors stay in
            return
        super().closeEvent(event)

    def recover(self) -> None:
        """After an unexpected error: back to home (or the attract loop if nobody is there)."""
        try:
            if self.current_screen == "attract":
                self.show_attract()
            else:
                self.show_screen("home")
        except Exception:
            log.exception("recovery failed; showing the attract loop")
            self.layers.setCurrentWidget(self.attract)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        m = theme.metrics_for_screen(self.screen(), self.size())
        if (m.width, m.height) != (self.metrics.width, self.metrics.height):
            self.metrics = m
            self._apply_context()
        self.still_there.setGeometry(self.rect())

    # --- screens -------------------------------------------------------------------------------

    def _add_screen(self, screen: Screen) -> None:
        self.screens[screen.screen_id] = screen
        screen.navigate_requested.connect(self.show_screen)
        self.stack.add(screen)

    def screen(self, screen_id: str | None = None):  # type: ignore[override]
        """With an id: that screen (built on first use, in the current context). Without: the
        QScreen, as in Qt."""
        if screen_id is None:
            return super().screen()
        if screen_id not in self.screens:
            cls = screen_class(screen_id)
            self._add_screen(cls(self.ctx))
        self._refresh(screen_id)
        return self.screens[screen_id]

    def _count(self, kind: str, value: str) -> None:
        if self.stats is not None and value != "attract":
            self.stats.record(kind, value)

    def _nav_tapped(self, screen_id: str) -> None:
        if not self.guard.allows_tap():
            log.debug("ignored a multi-finger or palm touch on the navigation")
            self.nav.set_current(self.current_screen)
            return
        self.show_screen(screen_id)

    def show_screen(
        self, screen_id: str, params: Mapping[str, Any] | None = None, from_slideshow: bool = False
    ) -> None:
        """Show a screen, optionally opened at something (deep link)."""
        if self.layers.currentWidget() is not self.main:
            self.start_visit(idle=not from_slideshow)
        try:
            screen = self.screen(screen_id)
        except Exception:
            log.exception("screen %r could not be built; staying on %r", screen_id,
                          self.current_screen)
            return
        previous = self.screens.get(self.current_screen)
        order = {s: i for i, s in enumerate(SCREEN_ORDER)}
        direction = 1 if order.get(screen_id, 0) >= order.get(self.current_screen, 0) else -1
        if previous is not None and previous is not screen:
            self._safely(previous.left)

        def prepare() -> None:  # before the stack takes the picture of the coming screen
            if params:
                self._safely(screen.open, params)
            self._safely(screen.entered)

        self.stack.set_current(screen, direction, prepare)
        self.current_screen = screen_id
        self.nav.set_current(screen_id)
        if params:
            for kind in ("city", "chart", "event"):
                if isinstance(params.get(kind), str):
                    self._count(kind, params[kind])
        self.screen_changed.emit(screen_id)

    def _safely(self, func, *args) -> None:
        """A failing screen is logged, never shown to visitors, and never stops the kiosk."""
        try:
            func(*args)
        except Exception:
            log.exception("error in %s", getattr(func, "__qualname__", func))

    # --- attract loop and idle reset -----------------------------------------------------------

    def show_attract(self) -> None:
        playlist = self.content.settings.attract_playlist
        if playlist and self.content.playlist(playlist) is not None:
            self._start_attract_playlist(playlist)
            return
        self._refresh("attract")
        self.layers.setCurrentWidget(self.attract)
        self.still_there.hide()
        self.idle.set_enabled(False)
        self.attract.start()
        self.current_screen = "attract"
        self.screen_changed.emit("attract")

    def start_visit(self, idle: bool = True) -> None:
        """A visitor touched the attract loop: show home."""
        self.attract.stop()
        self.layers.setCurrentWidget(self.main)
        self.idle.set_enabled(idle)
        self.current_screen = "home"
        self.stack.animate = False
        self.stack.set_current(self.screen("home"))
        self.stack.animate = True
        self.nav.set_current("home")
        self.screen_changed.emit("home")

    def _start_attract_playlist(self, playlist_id: str) -> None:
        import time

        from kiosk.shell.slideshow import SlideshowController

        if self.slideshow is not None:
            self.slideshow.stop()
        self.still_there.hide()
        self.idle.set_enabled(False)
        self.layers.setCurrentWidget(self.main)
        controller = SlideshowController(self, self.content.playlist(playlist_id), time.monotonic,
                                         show_progress=False, attract=True)
        controller.start()
        self.current_screen = "attract"
        self.screen_changed.emit("attract")

    def start_slideshow(self, playlist_id: str, clock=None):
        """Run a playlist (delegation mode); returns its controller."""
        import time

        from kiosk.shell.slideshow import SlideshowController

        playlist = self.content.playlist(playlist_id)
        if playlist is None:
            raise KeyError(f"no playlist {playlist_id!r}")
        if self.slideshow is not None:
            self.slideshow.stop()
        controller = SlideshowController(self, playlist, clock or time.monotonic,
                                         show_progress=self.content.settings.slideshow_progress)
        controller.start()
        return controller

    def _idle_timed_out(self) -> None:
        if self.slideshow is not None:
            self.slideshow.resume()  # a delegation's slideshow continues where it was
        else:
            self.reset_to_attract()

    def reset_to_attract(self) -> None:
        """Nobody is there any more: every screen back to its start, default language, attract."""
        for screen in self.screens.values():
            self._safely(screen.reset)
        if self.language != self.start_language:
            self.language = self.start_language
            self._apply_context()
            self.language_changed.emit(self.language)
        self.show_attract()
