"""What every screen is given (``ScreenContext``) and what it offers the shell (``Screen``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from kiosk.content import Content, Localiser, LocalText
from kiosk.ui import theme
from kiosk.ui.theme import Metrics


@dataclass(frozen=True)
class ScreenContext:
    """Everything a screen needs to draw itself; a new one arrives on every language, content
    or layout change.

    Attributes:
        content: the current (last good) content.
        metrics: pixel sizes for the screen the kiosk is on.
        loc: texts in the visitor's language.
        second: texts in the second language of delegation mode, or None.
    """

    content: Content
    metrics: Metrics
    loc: Localiser
    second: Localiser | None = None

    @property
    def language(self) -> str:
        return self.loc.language

    @property
    def rtl(self) -> bool:
        from kiosk.content.formatting import is_rtl

        return is_rtl(self.language)

    def tr(self, key: str, **values: Any) -> str:
        """A UI string by key, with {placeholders} filled in."""
        text = self.loc.ui(key)
        return text.format(**values) if values else text

    def tr2(self, key: str, **values: Any) -> str | None:
        """The same UI string in the second language, or None when there is none."""
        if self.second is None:
            return None
        text = self.second.ui(key)
        return text.format(**values) if values else text

    def text(self, value: LocalText | None, default: str = "") -> str:
        return self.loc.text(value, default)

    def text2(self, value: LocalText | None) -> str | None:
        """The second-language text, or None when delegation mode is off or it is the same."""
        if self.second is None or value is None:
            return None
        other = self.second.text(value)
        return other if other and other != self.loc.text(value) else None

    def font(self, pixel_size: int | None = None, bold: bool = False) -> QFont:
        lang = self.content.meta.language(self.language)
        return theme.font(
            self.language, pixel_size or self.metrics.body, bold, lang.font if lang else None
        )

    def font_for(self, language: str, pixel_size: int | None = None, bold: bool = False) -> QFont:
        """A font for text in another language (the picker's endonyms, the second language)."""
        lang = self.content.meta.language(language)
        return theme.font(language, pixel_size or self.metrics.body, bold, lang.font if lang else None)

    def with_(self, **changes: Any) -> ScreenContext:
        return replace(self, **changes)


PRESENTING_FRAME_MS = 33  # entry animations at 30 fps while a slideshow runs


class FrameLimiter:
    """Passes an animation's steps on to ``step``, at most one per ``interval_ms`` while
    ``limited``; the final value (1.0) always passes, so the animation ends exactly.

    Qt drives every animation at 60 fps. An unattended slideshow does not need that for its entry
    animations, and every frame skipped saves a repaint: this halves their CPU time.
    """

    def __init__(self, step: Callable[[float], None], interval_ms: int = PRESENTING_FRAME_MS):
        self.step = step
        self.interval_ms = interval_ms
        self.limited = False
        self._clock = QElapsedTimer()

    def __call__(self, value: object) -> None:
        t = float(value)  # type: ignore[arg-type]
        # a little slack: 60 Hz ticks arrive every 16-17 ms, so every second one passes
        if (self.limited and t < 1.0 and self._clock.isValid()
                and self._clock.elapsed() < self.interval_ms - 6):
            return
        self._clock.start()
        self.step(t)

    def reset(self) -> None:
        """A new animation starts: its first step passes at once."""
        self._clock.invalidate()


class Screen(QWidget):
    """Base of the kiosk's screens.

    A screen is built once from a context and redrawn by ``apply_context`` when the language,
    the content (hot reload) or the layout changes; it keeps its state (scroll position,
    selection) across such changes where the state still makes sense.

    Signals:
        navigate_requested(str, object): ask the shell to show another screen with deep-link
            parameters, e.g. ("map", {"city": "sendai"}).
    """

    screen_id: ClassVar[str] = ""
    navigate_requested = Signal(str, object)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.presenting = False
        self._limiters: list[FrameLimiter] = []
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)

    def limited_while_presenting(self, limiter: FrameLimiter) -> FrameLimiter:
        """Register an entry animation's limiter: it is limited while a slideshow presents."""
        limiter.limited = self.presenting
        self._limiters.append(limiter)
        return limiter

    def set_presenting(self, on: bool) -> None:
        """A slideshow drives the screen (True) or a visitor does (False): entry animations
        run at a lower frame rate while nobody touches it."""
        self.presenting = on
        for limiter in self._limiters:
            limiter.limited = on

    def apply_context(self, ctx: ScreenContext) -> None:
        """Redraw every text, number and date for a new context; keep the screen's state."""
        self.ctx = ctx

    def open(self, params: Mapping[str, Any]) -> None:
        """Deep link: show what ``params`` asks for (an event, a city, a chart, a year range)."""

    def reset(self) -> None:
        """Back to the initial state (idle reset)."""

    def entered(self) -> None:
        """The screen became visible (start entry animations here)."""

    def left(self) -> None:
        """The screen was hidden (stop timers and animations here)."""

    def state(self) -> dict[str, Any]:
        """What a visitor has selected, for tests and for keeping state across reloads."""
        return {}
