"""Typed, immutable content objects: the only form in which the rest of the app sees content.

The dataclasses double as the declarative schema: field names are the YAML keys, the field types
drive validation and the JSON Schema, and ``spec()`` metadata carries docs and ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from kiosk.content.issues import Position

CONTENT_VERSION = 1


def spec(
    doc: str,
    *,
    default: Any = ...,
    min: float | None = None,
    max: float | None = None,
    example: Any = None,
    format: str | None = None,
) -> Any:
    """A dataclass field with the documentation, range and format the validator and schema use.

    ``format`` is one of ``id``, ``color``, ``country``, ``language``.
    """
    metadata = {"doc": doc, "min": min, "max": max, "example": example, "format": format}
    if default is ...:
        return field(metadata=metadata)
    if isinstance(default, (list, dict, tuple)) and default:
        return field(default_factory=lambda: default, metadata=metadata)
    return field(default=default, metadata=metadata)


# --- value types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a value came from: its key path and position, for coverage and proof reports."""

    path: str
    position: Position


@dataclass(frozen=True, eq=False)
class LocalText:
    """Text in several languages, or one language-neutral text (a name that is never translated).

    Attributes:
        texts: language code -> text.
        neutral: the same text for every language, when the YAML gave a plain string.
        origin: key path and position in the YAML.
    """

    texts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    neutral: str | None = None
    origin: Origin | None = field(default=None, compare=False)

    def get(self, language: str) -> str | None:
        """The text for exactly this language (or the neutral text), without fallback."""
        if self.neutral is not None:
            return self.neutral
        return self.texts.get(language)

    def resolve(self, chain: tuple[str, ...]) -> tuple[str, str | None]:
        """The first text along a fallback chain, and the language it came from.

        Returns ("", None) when no language in the chain has a text.
        """
        if self.neutral is not None:
            return self.neutral, chain[0] if chain else None
        for language in chain:
            text = self.texts.get(language)
            if text is not None:
                return text, language
        return "", None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocalText):
            return NotImplemented
        return self.neutral == other.neutral and dict(self.texts) == dict(other.texts)

    def __hash__(self) -> int:
        return hash((self.neutral, tuple(sorted(self.texts.items()))))

    @classmethod
    def of(cls, text: str | None = None, **texts: str) -> LocalText:
        """Build one in code (tests, generated content)."""
        return cls(MappingProxyType(dict(texts)), text)


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def fractional_year(self) -> float:
        """Position on a time axis: the middle of the known span."""
        if self.month is None:
            return self.year + 0.5
        if self.day is None:
            return self.year + (self.month - 0.5) / 12
        return self.year + (self.month - 1) / 12 + (self.day - 0.5) / 365

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; raise ValueError with the reason."""
        import calendar

        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} is not between 1 and 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                name = _MONTHS[month - 1]
                raise ValueError(f"day {day} is not between 1 and {last} ({name} {year})")
        return cls(year, month, day)


Sources = tuple[str, ...]


# --- meta and settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str = spec(
        "BCP 47 language code, e.g. en, zh, zh-Hant, de", example="de", format="language"
    )
    endonym: str = spec("The language's name in itself, shown in the picker", example="Deutsch")
    fallback: tuple[str, ...] = spec(
        "Languages to try, in order, when a text is missing (the default language is always last)",
        default=(),
    )
    font: str | None = spec("Font family for this language (default: chosen by script)", default=None)
    direction: Literal["ltr", "rtl"] | None = spec(
        "Text direction (default: from the language)", default=None
    )


@dataclass(frozen=True)
class Meta:
    title: LocalText = spec("The kiosk's title")
    default_language: str = spec("Language the kiosk starts in and returns to", example="en")
    languages: tuple[Language, ...] = spec("Languages offered, in picker order")
    subtitle: LocalText | None = spec("A line under the title", default=None)

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def chain(self, code: str) -> tuple[str, ...]:
        """The fallback chain for a language: itself, its fallbacks and theirs, then the default.

        yue with fallback [zh-Hant], zh-Hant with fallback [zh]: yue, zh-Hant, zh, en.
        """
        chain: list[str] = []

        def follow(language: str) -> None:
            if language in chain:
                return
            chain.append(language)
            lang = self.language(language)
            for other in lang.fallback if lang else ():
                follow(other)

        follow(code)
        if self.default_language not in chain:
            chain.append(self.default_language)
        return tuple(chain)


@dataclass(frozen=True)
class Settings:
    idle_timeout_s: float = spec(
        "Seconds without a touch before the 'Still there?' countdown", default=90.0, min=5, max=3600
    )
    idle_countdown_s: float = spec(
        "Length of the countdown before returning to the attract loop", default=10.0, min=1, max=120
    )
    attract_playlist: str | None = spec(
        "Playlist id run as the attract loop instead of the highlights (null: highlights)",
        default=None,
    )
    slideshow_progress: bool = spec("Show the thin time bar during slideshows", default=True)
    attract_slide_s: float = spec("Seconds per attract-loop highlight", default=7.0, min=1, max=120)
    second_language: str | None = spec(
        "Show this language beneath the main one (delegation mode)", default=None
    )
    admin_pin_hash: str | None = spec("Salted hash of the staff PIN (kiosk set-pin)", default=None)
    map_basemap: str | None = spec(
        "An approved basemap file (land polygons JSON) in the content folder; default: the shipped "
        "Natural Earth land map",
        default=None,
    )
    map_caption: LocalText | None = spec("Caption under the map (e.g. approval number)", default=None)
    default_duration_s: float = spec(
        "Default seconds per slideshow step", default=10.0, min=1, max=3600
    )
    statistics: bool = spec("Record anonymous interaction counts per hour", default=True)


# --- cities, timeline, routes ----------------------------------------------------------------

Region = Literal["asia", "europe", "americas", "africa", "oceania"]
CityKind = Literal["sister", "friendship", "cooperation"]


@dataclass(frozen=True)
class City:
    id: str = spec("Unique id, referred to by events and playlists", format="id", example="sendai")
    name: LocalText = spec("City name per language")
    country: str = spec(
        "ISO 3166-1 alpha-2 country code (quote it: \"NO\")", example="JP", format="country"
    )
    region: Region = spec("Continent, for the region filter")
    lat: float = spec("Latitude in degrees", min=-90, max=90)
    lon: float = spec("Longitude in degrees", min=-180, max=180)
    established: int = spec("Year the relationship was established", min=1900, max=2100)
    kind: CityKind = spec("Kind of relationship")
    source: Sources = spec("Where the facts come from")
    established_date: PartialDate | None = spec("More precise date, if known", default=None)
    status: Literal["active", "ended"] = spec("Whether the relationship continues", default="active")
    ended: int | None = spec("Year the relationship ended", default=None, min=1900, max=2100)
    highlights: tuple[LocalText, ...] = spec("Short facts shown on the city card", default=())
    note: LocalText | None = spec("Caveats, disagreements between sources", default=None)


@dataclass(frozen=True)
class ImageRef:
    file: str = spec("Image path relative to the content folder", example="images/sendai.jpg")
    credit: LocalText = spec("Photographer or licence, shown with the image")


@dataclass(frozen=True)
class Category:
    id: str = spec("Unique id", format="id", example="diplomacy")
    name: LocalText = spec("Category name per language")
    color: str = spec("Colour as #RRGGBB", example="#3A7BD5", format="color")


@dataclass(frozen=True)
class Era:
    id: str = spec("Unique id", format="id")
    name: LocalText = spec("Era name per language")
    start: int = spec("First year", min=1000, max=2100)
    end: int = spec("Last year", min=1000, max=2100)


@dataclass(frozen=True)
class Event:
    id: str = spec("Unique id", format="id", example="birmingham-1983")
    date: PartialDate = spec("\"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
    category: str = spec("A category id")
    title: LocalText = spec("Short title")
    source: Sources = spec("Where the facts come from")
    body: LocalText | None = spec("One to three sentences", default=None)
    city: str | None = spec("A partner city id this event is about", default=None)
    image: ImageRef | None = spec("An image with its credit", default=None)
    note: LocalText | None = spec("Caveats, disagreements between sources", default=None)


@dataclass(frozen=True)
class Timeline:
    categories: tuple[Category, ...] = spec("Event categories, in legend order")
    events: tuple[Event, ...] = spec("Events (any order; shown by date)")
    eras: tuple[Era, ...] = spec("Named spans drawn as bands", default=())

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def sorted_events(self) -> tuple[Event, ...]:
        return tuple(sorted(self.events, key=lambda e: (e.date.fractional_year, e.id)))


@dataclass(frozen=True)
class Waypoint:
    name: LocalText = spec("Place name per language")
    lat: float = spec("Latitude in degrees", min=-90, max=90)
    lon: float = spec("Longitude in degrees", min=-180, max=180)


@dataclass(frozen=True)
class Route:
    id: str = spec("Unique id", format="id")
    name: LocalText = spec("Route name per language")
    mode: Literal["rail", "air", "sea", "sea_rail"] = spec("How goods or people travel")
    waypoints: tuple[Waypoint, ...] = spec("Points along the route, in order")
    source: Sources = spec("Where the facts come from")
    opened: PartialDate | None = spec("When it opened", default=None)
    facts: LocalText | None = spec("A short description", default=None)


# --- economy ---------------------------------------------------------------------------------

ValueFlag = Literal["estimate", "partial_year", "preliminary"]


@dataclass(frozen=True)
class SeriesValue:
    year: int = spec("Year", min=1900, max=2100)
    value: float = spec("The value, in the series' unit times its scale")
    flags: tuple[ValueFlag, ...] = spec("estimate, partial_year, preliminary", default=())
    note: LocalText | None = spec("Why this value is flagged or differs", default=None)
    source: Sources | None = spec("Source of this value, when not the series' source", default=None)


@dataclass(frozen=True)
class Series:
    id: str = spec("Unique id, referred to by charts", format="id", example="gdp")
    title: LocalText = spec("Title per language")
    unit: LocalText = spec("Unit shown after numbers (yuan, %, people)")
    kind: Literal["amount", "percent", "count"] = spec("What the numbers are")
    values: tuple[SeriesValue, ...] = spec("Values by year; a missing year is a gap")
    source: Sources = spec("Where the figures come from")
    scale: float = spec("The values are in units of this (e.g. 100000000 for 亿)", default=1.0)
    decimals: int | None = spec("Digits after the decimal point", default=None, min=0, max=6)
    notes: LocalText | None = spec("Notes shown under charts of this series", default=None)

    def by_year(self) -> dict[int, SeriesValue]:
        return {v.year: v for v in self.values}

    def years(self) -> list[int]:
        return sorted(v.year for v in self.values)


ChartType = Literal["bar", "line", "bar_line", "stacked", "big_number"]


@dataclass(frozen=True)
class Chart:
    id: str = spec("Unique id", format="id", example="gdp")
    type: ChartType = spec("bar, line, bar_line, stacked or big_number")
    title: LocalText = spec("Title per language")
    series: tuple[str, ...] = spec("Series ids on the main axis")
    secondary: tuple[str, ...] = spec("Series ids on the second axis (bar_line)", default=())
    notes: LocalText | None = spec("Notes shown under the chart", default=None)
    year: int | None = spec("big_number: which year to show (default: latest)", default=None)


@dataclass(frozen=True)
class Economy:
    series: tuple[Series, ...] = spec("Economic series")
    charts: tuple[Chart, ...] = spec("Charts, in the order shown")

    def series_by_id(self, series_id: str) -> Series | None:
        return next((s for s in self.series if s.id == series_id), None)

    def chart(self, chart_id: str) -> Chart | None:
        return next((c for c in self.charts if c.id == chart_id), None)


# --- playlists -------------------------------------------------------------------------------

ScreenName = Literal["title", "home", "timeline", "map", "chart"]


@dataclass(frozen=True)
class Step:
    screen: ScreenName = spec("Which screen this step shows")
    duration_s: float | None = spec("Seconds (default: the playlist's)", default=None, min=1)
    title: LocalText | None = spec("title: the card's title", default=None)
    subtitle: LocalText | None = spec("title: a line beneath", default=None)
    year: int | None = spec("timeline: year to open at", default=None, min=1000, max=2100)
    event: str | None = spec("timeline: event id to highlight", default=None)
    category: str | None = spec("timeline: show only this category", default=None)
    country: str | None = spec(
        "timeline: show only events of partners in this country", default=None, format="country"
    )
    city: str | None = spec("map: city id to open", default=None)
    chart: str | None = spec("chart: chart id", default=None)
    from_year: int | None = spec("chart: first year drawn", default=None, min=1900, max=2100)
    to_year: int | None = spec("chart: last year drawn", default=None, min=1900, max=2100)


@dataclass(frozen=True)
class Playlist:
    id: str = spec("Unique id", format="id", example="wolfsburg")
    name: LocalText = spec("Name shown to staff")
    steps: tuple[Step, ...] = spec("Steps, in order")
    language: str | None = spec("Language to start in", default=None)
    second_language: str | None = spec("Language shown beneath", default=None)
    loop: bool = spec("Start again after the last step", default=True)
    default_duration_s: float | None = spec("Seconds per step (default: settings)", default=None)


# --- the whole -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """All content of the kiosk.

    Attributes:
        root: folder of content.yaml; image paths are relative to it.
        files: every YAML file read, for the hot-reload watcher.
    """

    meta: Meta = spec("Title and languages")
    ui: Mapping[str, LocalText] = spec("The interface's own words, by key")
    cities: tuple[City, ...] = spec("Partner cities")
    timeline: Timeline = spec("Timeline of events")
    economy: Economy = spec("Economic series and charts")
    settings: Settings = spec("Kiosk settings", default=Settings())
    routes: tuple[Route, ...] = spec("Transport corridors", default=())
    playlists: tuple[Playlist, ...] = spec("Slideshows", default=())
    content_version: int = spec("Format version of this content", default=CONTENT_VERSION, min=1)
    include: tuple[str, ...] = spec("Further YAML files holding sections", default=())
    root: str = field(default="", metadata={"internal": True})
    files: tuple[str, ...] = field(default=(), metadata={"internal": True})

    def city(self, city_id: str) -> City | None:
        return next((c for c in self.cities if c.id == city_id), None)

    def playlist(self, playlist_id: str) -> Playlist | None:
        return next((p for p in self.playlists if p.id == playlist_id), None)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.timeline.events if e.id == event_id), None)


def iter_local_texts(obj: Any) -> Iterator[LocalText]:
    """Every LocalText inside a content object, depth first, in declaration order."""
    from dataclasses import fields, is_dataclass

    if isinstance(obj, LocalText):
        yield obj
    elif is_dataclass(obj):
        for f in fields(obj):
            if not f.metadata.get("internal"):
                yield from iter_local_texts(getattr(obj, f.name))
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from iter_local_texts(item)
    elif isinstance(obj, Mapping):
        for item in obj.values():
            yield from iter_local_texts(item)
