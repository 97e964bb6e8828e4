"""Chart data for the economy screen: year ranges, gaps, flags, stacks, ticks, nearest point.

Pure functions on the content model (plain Python, no Qt), so that the rules that matter to visitors
(a missing year stays a gap, a flagged value stays marked, a tap reads the nearest real value)
are tested without drawing anything.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.content.model import Chart, Economy, Event, Series, SeriesValue

# Flags in the order they are looked up, drawn and explained.
FLAGS = ("estimate", "partial_year", "preliminary")
FLAG_UI_KEYS = {
    "estimate": "chart_estimate",
    "partial_year": "chart_partial_year",
    "preliminary": "chart_preliminary",
}


def main_flag(value: SeriesValue) -> str | None:
    """The flag a value is drawn with (the first of ``FLAGS`` it carries), or None."""
    return next((f for f in FLAGS if f in value.flags), None)


@dataclass(frozen=True)
class Track:
    """One series as one chart draws it.

    Attributes:
        series: the content series.
        role: ``bar``, ``line`` or ``stack`` (a part of a stacked bar).
        axis: ``left`` (main) or ``right`` (second axis of bar_line).
        values: the series' values inside the chart's year range, by year.
    """

    series: Series
    role: str
    axis: str
    values: tuple[SeriesValue, ...]

    @property
    def id(self) -> str:
        return self.series.id

    def amount(self, value: SeriesValue) -> float:
        """The real amount of a value: value × scale."""
        return value.value * self.series.scale


def chart_series(chart: Chart, economy: Economy) -> list[tuple[Series, str]]:
    """The chart's series that exist in the content, each with its axis (left, right)."""
    out: list[tuple[Series, str]] = []
    for ids, axis in ((chart.series, "left"), (chart.secondary, "right")):
        for series_id in ids:
            series = economy.series_by_id(series_id)
            if series is not None:
                out.append((series, axis))
    return out


def year_span(chart: Chart, economy: Economy) -> tuple[int, int] | None:
    """First and last year with a value in any of the chart's series."""
    years = [v.year for s, _ in chart_series(chart, economy) for v in s.values]
    return (min(years), max(years)) if years else None


def clamp_range(
    span: tuple[int, int] | None, from_year: int | None = None, to_year: int | None = None
) -> tuple[int, int] | None:
    """The year range to draw: the asked range inside the data's span (None: nothing to draw).

    A reversed range is put in order; a range that misses the data entirely gives the span.
    """
    if span is None:
        return None
    lo, hi = span
    a = lo if from_year is None else int(from_year)
    b = hi if to_year is None else int(to_year)
    if a > b:
        a, b = b, a
    a, b = max(a, lo), min(b, hi)
    if a > b:
        return span
    return a, b


def tracks_for(chart: Chart, economy: Economy, years: tuple[int, int]) -> list[Track]:
    """The chart's series as tracks, with only the values inside ``years`` (inclusive)."""
    lo, hi = years
    role = {"bar": "bar", "line": "line", "bar_line": "bar", "stacked": "stack"}.get(
        chart.type, "bar"
    )
    out = []
    for series, axis in chart_series(chart, economy):
        values = tuple(sorted((v for v in series.values if lo <= v.year <= hi), key=lambda v: v.year))
        track_role = "line" if axis == "right" else role
        out.append(Track(series, track_role, axis, values))
    return out


# --- lines: gaps stay gaps ------------------------------------------------------------------

Point = tuple[float, float]
Run = list[Point]  # points drawn as one connected polyline


def line_pieces(track: Track, years: tuple[int, int]) -> tuple[list[Run], list[Run]]:
    """The line as runs of connected points, split into a solid and a dashed part.

    A segment joins two consecutive years that both have a value, so a missing year always
    ends a run: it is never bridged. A segment is dashed when either end is flagged (estimate,
    partial year, preliminary); the solid runs leave the flagged years out, so they never run
    into a flagged value. A run of one point draws nothing (its marker shows the value).
    """
    lo, hi = years
    amounts: dict[int, float] = {v.year: track.amount(v) for v in track.values if lo <= v.year <= hi}
    flagged = {v.year for v in track.values if main_flag(v)}
    solid: list[Run] = []
    run: Run = []
    for year in range(lo, hi + 1):
        if year in amounts and year not in flagged:
            run.append((float(year), amounts[year]))
        elif run:
            solid.append(run)
            run = []
    if run:
        solid.append(run)
    dashed: list[Run] = [
        [(float(year), amounts[year]), (float(year + 1), amounts[year + 1])]
        for year in range(lo, hi)
        if year in amounts and year + 1 in amounts and (year in flagged or year + 1 in flagged)
    ]
    return solid, dashed


def reveal(runs: Sequence[Run], cut: float) -> list[Run]:
    """Runs drawn up to x = ``cut`` (the line-drawing animation): the points left of it, and
    the segment crossing it ended at ``cut``. Runs stay apart, so gaps stay gaps."""
    out: list[Run] = []
    for run in runs:
        shown: Run = []
        for i, (x, y) in enumerate(run):
            if x <= cut:
                shown.append((x, y))
                continue
            if i > 0:
                px, py = run[i - 1]
                f = (cut - px) / (x - px)
                shown.append((cut, py + f * (y - py)))
            break
        if shown:
            out.append(shown)
    return out


# --- stacks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One part of one stacked bar (or one plain bar: y0 = 0)."""

    year: int
    track: int
    y0: float
    y1: float
    value: SeriesValue


def bar_segments(tracks: Sequence[Track], stacked: bool) -> list[Segment]:
    """Bars of the ``bar``/``stack`` tracks. Stacked parts sit on each other, in track order;
    a year a part has no value for simply has no such part (nothing is filled in)."""
    out: list[Segment] = []
    tops: dict[int, float] = {}
    bottoms: dict[int, float] = {}
    for index, track in enumerate(tracks):
        if track.role not in ("bar", "stack"):
            continue
        for v in track.values:
            amount = track.amount(v)
            if stacked:
                base = tops.get(v.year, 0.0) if amount >= 0 else bottoms.get(v.year, 0.0)
                end = base + amount
                if amount >= 0:
                    tops[v.year] = end
                else:
                    bottoms[v.year] = end
                out.append(Segment(v.year, index, base, end, v))
            else:
                out.append(Segment(v.year, index, 0.0, amount, v))
    return out


# --- milestones -----------------------------------------------------------------------------


def milestones_by_year(
    events: Iterable[Event], years: tuple[int, int]
) -> list[tuple[int, tuple[Event, ...]]]:
    """Timeline events inside the year range, one group per year (one marker under that year's
    bar or point; the card pages through the group), in date order."""
    lo, hi = years
    groups: dict[int, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.date.fractional_year, e.id)):
        if lo <= event.date.year <= hi:
            groups.setdefault(event.date.year, []).append(event)
    return [(year, tuple(group)) for year, group in sorted(groups.items())]


# --- big number -----------------------------------------------------------------------------


def headline_value(
    series: Series, year: int | None = None, years: tuple[int, int] | None = None
) -> SeriesValue | None:
    """The value a big-number card shows: the chart's year if given, else the latest one
    (inside ``years`` when given)."""
    values = series.values
    if year is not None:
        return next((v for v in values if v.year == year), None)
    if years is not None:
        values = tuple(v for v in values if years[0] <= v.year <= years[1])
    return max(values, key=lambda v: v.year) if values else None


# --- nearest point --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A value as drawn, in pixels: its column ``x`` and its vertical extent ``y0``..``y1``
    (a bar from its base to its top; a line point has y0 == y1)."""

    year: int
    series_id: str
    x: float
    y0: float
    y1: float


def nearest_point(
    candidates: Iterable[Candidate], x: float, y: float | None = None, snap: float = 24.0
) -> Candidate | None:
    """The value a touch at (x, y) reads.

    The year of the nearest column first; within it, a line point less than ``snap`` px away
    (so a point drawn over a bar can be read), else the value whose bar or point is nearest
    vertically (0 inside a bar), then horizontally. Gaps have no candidate, so a touch on a
    missing year reads the nearest year that has a value. Ties keep the input order.
    """
    items = list(candidates)
    if not items:
        return None
    year = min(items, key=lambda c: abs(c.x - x)).year
    column = [c for c in items if c.year == year]
    if y is None or len(column) == 1:
        return min(column, key=lambda c: abs(c.x - x))
    points = [c for c in column if c.y0 == c.y1 and abs(c.y0 - y) <= snap]
    if points:
        return min(points, key=lambda c: (abs(c.y0 - y), abs(c.x - x)))

    def vertical(c: Candidate) -> tuple[float, float]:
        lo, hi = min(c.y0, c.y1), max(c.y0, c.y1)
        gap = 0.0 if lo <= y <= hi else min(abs(y - lo), abs(y - hi))
        return gap, abs(c.x - x)  # side-by-side bars: the one under the finger

    return min(column, key=vertical)


# --- ticks ----------------------------------------------------------------------------------


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-2.5-5 step that cuts ``span`` into about ``target`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, target)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power * 1.0000001:
            return m * power
    return 10 * power


def nice_range(
    lo: float, hi: float, target: int = 5, include_zero: bool = False
) -> tuple[float, float, float]:
    """(lo, hi, step) widened to whole steps; bars pass include_zero so they start at 0."""
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi <= lo:  # one value, or all the same
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = (lo, hi + pad) if include_zero and lo >= 0 else (lo - pad, hi + pad)
    step = nice_step(hi - lo, target)
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step, step


def ticks_between(lo: float, hi: float, step: float) -> list[float]:
    """Multiples of ``step`` from lo to hi inclusive (rounded against float drift)."""
    if step <= 0:
        return []
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def decimals_for_step(step: float) -> int:
    """Digits after the decimal point that tell ticks ``step`` apart (2.5 -> 1, 0.25 -> 2)."""
    if step <= 0 or not math.isfinite(step):
        return 0
    for digits in range(7):
        if abs(round(step, digits) - step) < step * 1e-6:
            return digits
    return 6


def year_step(first: int, last: int, fit: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, 100 years that puts at most ``fit`` labels on the axis."""
    count = last - first + 1
    for step in (1, 2, 5, 10, 20, 50, 100):
        if math.ceil(count / step) <= max(1, fit):
            return step
    return 100


def year_ticks(first: int, last: int, fit: int) -> list[int]:
    """Years labelled on the axis: multiples of ``year_step`` (the range's ends when the step
    would leave fewer than two)."""
    step = year_step(first, last, fit)
    years = [y for y in range(first, last + 1) if y % step == 0]
    if len(years) < 2 and first != last and fit >= 2:
        years = [first, last]
    return years or [first]
