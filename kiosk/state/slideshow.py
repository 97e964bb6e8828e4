"""The slideshow as a state machine driven by an injected clock, so tests never sleep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.content.model import Playlist, Step

# After a clicker key the host drives: auto-advance waits this long, or until P resumes it.
HOST_PAUSE_S = 120.0


@dataclass(frozen=True)
class StepView:
    """What the shell must show for a step: a screen and its deep-link parameters."""

    screen: str
    params: dict[str, Any]


def step_view(step: Step) -> StepView:
    """Translate a playlist step into a screen id and the parameters its ``open()`` takes."""
    if step.screen == "title":
        return StepView("title", {"title": step.title, "subtitle": step.subtitle})
    if step.screen == "timeline":
        params: dict[str, Any] = {}
        for key in ("event", "year", "category", "country"):
            value = getattr(step, key)
            if value is not None:
                params[key] = value
        return StepView("timeline", params)
    if step.screen == "map":
        return StepView("map", {"city": step.city} if step.city else {})
    if step.screen == "chart":
        params = {"chart": step.chart}
        if step.from_year is not None:
            params["from_year"] = step.from_year
        if step.to_year is not None:
            params["to_year"] = step.to_year
        return StepView("economy", params)
    return StepView("home", {})


class Slideshow:
    """Which step of a playlist is showing, and when the next one is due.

    All methods take ``now`` (seconds, any monotonic clock); nothing here reads the time itself.

    Attributes:
        index: the current step.
        paused: auto-advance stopped (P, or a host's clicker input).
        black: the black screen is on (B or '.').
        finished: a playlist without loop reached its end.
    """

    def __init__(self, playlist: Playlist, default_duration_s: float, now: float,
                 host_pause_s: float = HOST_PAUSE_S):
        self.playlist = playlist
        self.default_duration_s = playlist.default_duration_s or default_duration_s
        self.host_pause_s = host_pause_s
        self.index = 0
        self.started = now
        self.paused = False
        self.paused_at: float | None = None
        self.host_until: float | None = None
        self.black = False
        self.finished = False

    # --- queries -------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.playlist.steps[self.index]

    def view(self) -> StepView:
        return step_view(self.step)

    def duration(self, index: int | None = None) -> float:
        step = self.playlist.steps[self.index if index is None else index]
        return step.duration_s or self.default_duration_s

    def elapsed(self, now: float) -> float:
        end = self.paused_at if self.paused_at is not None else now
        return max(0.0, end - self.started)

    def remaining(self, now: float) -> float:
        return max(0.0, self.duration() - self.elapsed(now))

    def progress(self, now: float) -> float:
        """0..1 of the current step's time used."""
        return min(1.0, self.elapsed(now) / self.duration())

    # --- time ----------------------------------------------------------------------------------

    def tick(self, now: float) -> bool:
        """Advance when the step's time is up; True when the step changed."""
        if self.host_until is not None and now >= self.host_until:
            self.resume(now)
        if self.paused or self.finished:
            return False
        if self.elapsed(now) < self.duration():
            return False
        if self.index + 1 < len(self.playlist.steps):
            self._go(self.index + 1, now)
            return True
        if self.playlist.loop:
            self._go(0, now)
            return True
        self.finished = True
        return False

    # --- host controls -------------------------------------------------------------------------

    def next(self, now: float, by_host: bool = True) -> None:
        self._go((self.index + 1) % len(self.playlist.steps), now)
        if by_host:
            self._host_drives(now)

    def previous(self, now: float, by_host: bool = True) -> None:
        self._go((self.index - 1) % len(self.playlist.steps), now)
        if by_host:
            self._host_drives(now)

    def first(self, now: float) -> None:
        self._go(0, now)
        self._host_drives(now)

    def last(self, now: float) -> None:
        self._go(len(self.playlist.steps) - 1, now)
        self._host_drives(now)

    def toggle_black(self) -> None:
        self.black = not self.black

    def toggle_pause(self, now: float) -> None:
        if self.paused:
            self.resume(now)
        else:
            self.pause(now)

    def pause(self, now: float) -> None:
        if not self.paused:
            self.paused = True
            self.paused_at = now

    def resume(self, now: float) -> None:
        """Continue auto-advance; the current step keeps the time it had left."""
        if self.paused and self.paused_at is not None:
            self.started += now - self.paused_at
        self.paused = False
        self.paused_at = None
        self.host_until = None

    def _host_drives(self, now: float) -> None:
        # The clicker means a host is talking: hold this step until P or the host pause ends.
        self.pause(now)
        self.host_until = now + self.host_pause_s

    def _go(self, index: int, now: float) -> None:
        self.index = index
        self.started = now
        if self.paused:
            self.paused_at = now
        self.finished = False
