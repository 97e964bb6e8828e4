"""The content shipped in data/ validates, and is complete enough to show."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.content import Content, ContentError, coverage, load

CHART_TYPES_WITH_AXES = {"bar", "line", "bar_line", "stacked"}


@pytest.fixture(scope="module")
def shipped(shipped_path: Path) -> Content:
    try:
        return load(shipped_path)
    except ContentError as exc:  # show every problem, as `kiosk validate` does
        pytest.fail(f"shipped content is invalid:\n{exc.format()}", pytrace=False)


def test_load_without_a_path_is_the_shipped_content(shipped: Content) -> None:
    assert load().files == shipped.files


def test_has_enough_cities_and_events(shipped: Content) -> None:
    assert len(shipped.cities) >= 25
    assert len(shipped.timeline.events) >= 40


def test_every_offered_language_is_complete(shipped: Content) -> None:
    report = coverage(shipped)
    assert [c.language for c in report] == list(shipped.meta.codes)
    gaps = {c.language: [f"{m.position}: {m.path}" for m in c.missing] for c in report if c.missing}
    assert gaps == {}, "run `kiosk coverage` for the list"
    assert all(c.percent == 100.0 for c in report)


def test_every_series_drawn_on_axes_has_at_least_five_values(shipped: Content) -> None:
    drawn = {
        series_id
        for chart in shipped.economy.charts
        if chart.type in CHART_TYPES_WITH_AXES
        for series_id in (*chart.series, *chart.secondary)
    }
    assert drawn, "no bar or line chart"
    short = {
        series_id: len(shipped.economy.series_by_id(series_id).values)  # type: ignore[union-attr]
        for series_id in drawn
        if len(shipped.economy.series_by_id(series_id).values) < 5  # type: ignore[union-attr]
    }
    assert short == {}


def test_every_fact_has_a_source(shipped: Content) -> None:
    assert all(city.source for city in shipped.cities)
    assert all(event.source for event in shipped.timeline.events)
    assert all(series.source for series in shipped.economy.series)


def test_kiosk_validate_answers_fast_on_the_shipped_content(shipped_path: Path) -> None:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate"],
        cwd=shipped_path.parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("data/content.yaml: OK: ")
    assert elapsed < 1.0
