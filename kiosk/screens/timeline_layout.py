"""Where the timeline's events go along the axis: a time scale that follows the calendar but
compresses long empty gaps and widens busy years, and lanes so that event cards never overlap.

Pure geometry, no Qt: positions are pixels along the axis, starting at 0 for the first year shown.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.content.model import Event

# Runs of empty years longer than this are drawn shorter (logarithmically), with a break mark:
# 4 empty years take 4 years' width, 8 take 7, 16 take 10, 130 take 16.
GAP_YEARS = 4
GAP_GROWTH = 3.0


@dataclass(frozen=True)
class Gap:
    """A run of years without events, drawn compressed: years ``start`` up to (not incl.) ``end``."""

    start: int
    end: int


class TimeScale:
    """A monotonic, piecewise-linear map between (fractional) years and pixels along the axis.

    Attributes:
        first_year: the first year shown (a decade start).
        end_year: the year after the last one shown (a decade start).
        gaps: compressed runs of empty years.
    """

    def __init__(self, knots: Sequence[tuple[float, float]], gaps: Sequence[Gap] = ()):
        if len(knots) < 2:
            raise ValueError("a time scale needs at least two knots")
        self._years = [float(y) for y, _ in knots]
        self._pos = [float(p) for _, p in knots]
        self.gaps = tuple(gaps)
        self.first_year = int(self._years[0])
        self.end_year = int(self._years[-1])

    @property
    def length(self) -> float:
        return self._pos[-1] - self._pos[0]

    def pos(self, year: float) -> float:
        """Pixels along the axis for a fractional year (extrapolated linearly outside)."""
        return _interpolate(self._years, self._pos, year)

    def year_at(self, pos: float) -> float:
        """The fractional year at a position along the axis."""
        return _interpolate(self._pos, self._years, pos)

    def year_width(self, year: int) -> float:
        return self.pos(year + 1) - self.pos(year)

    def in_gap(self, year: int) -> bool:
        """Whether a year lies inside a compressed gap (its first year excluded), where ticks
        would suggest a regular scale that is not there."""
        return any(g.start < year < g.end for g in self.gaps)


def _interpolate(xs: list[float], ys: list[float], x: float) -> float:
    i = bisect.bisect_right(xs, x) - 1
    i = min(max(i, 0), len(xs) - 2)
    x0, x1 = xs[i], xs[i + 1]
    y0, y1 = ys[i], ys[i + 1]
    if x1 == x0:
        return y0
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def build_scale(events: Sequence[Event], year_px: float, min_sep: float) -> TimeScale:
    """A scale from the decade of the first event to the end of the decade of the last.

    A year is ``year_px`` wide, or wider when it holds more events than fit at ``min_sep``
    apart; a run of more than ``GAP_YEARS`` empty years grows only with the logarithm of its
    length, so a century without events does not push everything else off the screen.
    """
    if not events:
        return TimeScale([(2000, 0.0), (2010, 10 * year_px)])
    counts = Counter(e.date.year for e in events)
    first = min(counts) // 10 * 10
    end = max(counts) // 10 * 10 + 10
    knots: list[tuple[float, float]] = [(first, 0.0)]
    gaps: list[Gap] = []
    pos = 0.0
    year = first
    while year < end:
        if counts[year] == 0:
            run_end = year
            while run_end < end and counts[run_end] == 0:
                run_end += 1
            run = run_end - year
            if run > GAP_YEARS:
                pos += year_px * (GAP_YEARS + GAP_GROWTH * math.log2(run / GAP_YEARS))
                knots.append((run_end, pos))
                gaps.append(Gap(year, run_end))
                year = run_end
                continue
        pos += max(year_px, counts[year] * min_sep)
        year += 1
        knots.append((year, pos))
    return TimeScale(knots, gaps)


def spread(raw: Sequence[float], min_sep: float) -> list[float]:
    """Positions at least ``min_sep`` apart, in the same order, each group of crowded events
    centred on where its events would be: the least movement that keeps them apart."""
    clusters: list[list[float]] = []  # [first position, count, sum of raw positions]
    for x in raw:
        clusters.append([x, 1, x])
        while len(clusters) > 1:
            prev, last = clusters[-2], clusters[-1]
            prev_end = prev[0] + (prev[1] - 1) * min_sep
            if prev_end + min_sep <= last[0] + 1e-9:
                break
            count = prev[1] + last[1]
            total = prev[2] + last[2]
            clusters[-2:] = [[total / count - (count - 1) * min_sep / 2, count, total]]
    out: list[float] = []
    for start, count, _ in clusters:
        out.extend(start + i * min_sep for i in range(int(count)))
    return out


def assign_lanes(
    positions: Sequence[float], before: float, after: float, lanes: int, gap: float
) -> list[int]:
    """A lane for each card spanning ``[p - before, p + after]``: the first lane (nearest the
    axis) that is free, or the one that frees up soonest when all are taken."""
    ends = [-math.inf] * max(1, lanes)
    out = []
    for p in positions:
        start = p - before
        lane = next((i for i, e in enumerate(ends) if e + gap <= start), None)
        if lane is None:
            lane = min(range(len(ends)), key=ends.__getitem__)
        ends[lane] = p + after
        out.append(lane)
    return out


@dataclass(frozen=True)
class Placement:
    """Where the visible events go.

    Attributes:
        scale: years to pixels along the axis.
        events: the events, sorted by date.
        positions: each event's position along the axis (its dot).
        lanes: each event card's lane; even lanes lie before the axis (above or left), odd
            lanes after it, and higher lanes farther away.
    """

    scale: TimeScale
    events: tuple[Event, ...]
    positions: tuple[float, ...]
    lanes: tuple[int, ...]

    def index(self, event_id: str) -> int | None:
        return next((i for i, e in enumerate(self.events) if e.id == event_id), None)

    def nearest(self, pos: float) -> int | None:
        """The event whose dot is nearest to a position along the axis."""
        if not self.positions:
            return None
        return min(range(len(self.positions)), key=lambda i: abs(self.positions[i] - pos))


def place(
    events: Sequence[Event],
    *,
    year_px: float,
    card_before: float,
    card_after: float,
    lanes: int,
    gap: float,
) -> Placement:
    """Lay out events: dots ``min_sep`` apart where ``min_sep`` lets ``lanes`` lanes of cards
    of length ``card_before + card_after`` hold every event without overlap."""
    ordered = tuple(sorted(events, key=lambda e: (e.date.fractional_year, e.id)))
    min_sep = (card_before + card_after + gap) / max(1, lanes)
    scale = build_scale(ordered, year_px, min_sep)
    positions = spread([scale.pos(e.date.fractional_year) for e in ordered], min_sep)
    lane_of = assign_lanes(positions, card_before, card_after, lanes, gap)
    return Placement(scale, ordered, tuple(positions), tuple(lane_of))
