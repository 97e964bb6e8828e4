"""``kiosk proof``: render every screen and state in every language and size, for proofreading.

    kiosk proof [PATH] --out DIR [--lang en,zh] [--size 1920x1080,1080x1920] [--allow-overflow]

Writes ``DIR/<W>x<H>/<lang>/<state>.png`` (full size), ``DIR/thumbs/...`` (the same, 360 px
wide), ``DIR/index.html`` (a contact sheet: per size, one row per state, one column per
language) and ``DIR/proof.json`` (every finding). Prints a summary, then every text that does
not fit (see :mod:`kiosk.tools.proof_checks`) and every text shown in another language than the
visitor's, each with its key path and file:line in the content.

Exit status: 0 when everything fits, 1 when some text overflows (unless ``--allow-overflow``)
or a screen failed to render, 2 for bad arguments.

Qt runs headless: when no platform is set, the offscreen platform with a virtual screen large
enough for every size; one kiosk window per (language, size) is switched from state to state
without animations.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.content import Content
from kiosk.content.model import Origin

DEFAULT_SIZES = ((1920, 1080), (1080, 1920))
THUMB_WIDTH = 360


class ProofError(Exception):
    """Bad arguments: nothing was rendered."""


@dataclass(frozen=True)
class State:
    """One thing to render.

    Attributes:
        id: the file name stem, the same in every language ("timeline-longest").
        screen: "attract" or a screen id of the kiosk window.
        params: what the screen is opened with.
        label: what the row shows, the same in every language.
        detail: what this language's rendering shows (which event, city, chart).
    """

    id: str
    screen: str
    params: Mapping[str, Any]
    label: str
    detail: str = ""


@dataclass
class Shot:
    """One rendered state: where its PNG is, or why there is none."""

    state: State
    language: str
    size: tuple[int, int]
    png: str | None = None
    thumb: str | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overflow: int = 0


@dataclass
class OverflowFinding:
    """A text that does not fit, in one language and size, with every state it shows in."""

    language: str
    size: tuple[int, int]
    kind: str
    widget: str
    where: str
    text: str
    detail: str
    origins: list[Origin]
    states: list[str] = field(default_factory=list)


@dataclass
class FallbackFinding:
    """A text shown in another language than the visitor's (or not at all)."""

    language: str
    path: str
    origin: Origin | None
    shown: str | None
    sizes: list[tuple[int, int]] = field(default_factory=list)
    states: list[str] = field(default_factory=list)


@dataclass
class ProofResult:
    out: Path
    content_path: str
    languages: list[str]
    sizes: list[tuple[int, int]]
    shots: list[Shot] = field(default_factory=list)
    overflow: list[OverflowFinding] = field(default_factory=list)
    fallbacks: list[FallbackFinding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[tuple[Shot, str]]:
        return [(shot, e) for shot in self.shots for e in shot.errors]


# --- arguments -----------------------------------------------------------------------------------


def parse_sizes(text: str | None) -> list[tuple[int, int]]:
    if not text:
        return list(DEFAULT_SIZES)
    sizes = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", part)
        if not match:
            raise ProofError(f"--size: expected WIDTHxHEIGHT[,WIDTHxHEIGHT...], got {part!r}")
        w, h = int(match.group(1)), int(match.group(2))
        if not (320 <= w <= 7680 and 320 <= h <= 7680):
            raise ProofError(f"--size: {w}x{h} is not between 320 and 7680 pixels a side")
        if (w, h) not in sizes:
            sizes.append((w, h))
    return sizes


def parse_languages(text: str | None, content: Content) -> list[str]:
    codes = list(content.meta.codes)
    if not text:
        return codes
    wanted = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in codes]
    if unknown:
        raise ProofError(f"--lang: {', '.join(unknown)} not offered; the content offers "
                         f"{', '.join(codes)}")
    return list(dict.fromkeys(wanted))


def size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


# --- what to render ----------------------------------------------------------------------------


def plan_states(content: Content, language: str) -> list[State]:
    """Every screen and state worth checking, in the order of the contact sheet."""
    from kiosk.content import Localiser

    loc = Localiser(content, language)
    states = [
        State("attract", "attract", {}, "Attract loop (first highlight)"),
        State("home", "home", {}, "Home"),
    ]
    events = content.timeline.sorted_events()
    if events:
        first = events[0]
        longest = max(events, key=lambda e: len(loc.text(e.title)))  # first of the longest
        states.append(State("timeline-first", "timeline", {"event": first.id},
                            "Timeline, card of the first event", first.id))
        states.append(State("timeline-longest", "timeline", {"event": longest.id},
                            "Timeline, card of the event with the longest title", longest.id))
    else:
        states.append(State("timeline", "timeline", {}, "Timeline (no events)"))
    cities = content.cities
    if cities:
        first_city = cities[0]
        most = max(cities, key=lambda c: len(c.highlights))
        states.append(State("map-first", "map", {"city": first_city.id},
                            "Map, card of the first city", first_city.id))
        states.append(State("map-most-highlights", "map", {"city": most.id},
                            "Map, card of the city with the most highlights", most.id))
    else:
        states.append(State("map", "map", {}, "Map (no cities)"))
    charts = content.economy.charts
    for chart in charts:
        states.append(State(f"chart-{_safe(chart.id)}", "economy", {"chart": chart.id},
                            f"Economy, chart {chart.id}", loc.text(chart.title)))
    if not charts:
        states.append(State("economy", "economy", {}, "Economy (no charts)"))
    for playlist in content.playlists:
        for n, step in enumerate(playlist.steps, 1):
            if step.screen == "title":
                states.append(State(
                    f"title-{_safe(playlist.id)}-{n}", "title",
                    {"title": step.title, "subtitle": step.subtitle},
                    f"Title card: playlist {playlist.id}, step {n}", loc.text(step.title),
                ))
    return states


# --- Qt set-up -----------------------------------------------------------------------------------


def ensure_app(sizes: Sequence[tuple[int, int]]):
    """The QApplication; when none exists and no platform is set, an offscreen one whose virtual
    screen holds the largest size (the default offscreen screen is 800x600)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.raster import paint_on_gui_thread

    app = QApplication.instance()
    if app is not None:
        return app
    config = None
    if not os.environ.get("QT_QPA_PLATFORM"):
        width = max([3840, *(w for w, _ in sizes)])
        height = max([2160, *(h for _, h in sizes)])
        screen = {"name": "proof", "x": 0, "y": 0, "width": width, "height": height,
                  "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        data = {"synchronousWindowSystemEvents": True, "windowFrameMargins": False,
                "screens": [screen]}
        fd, config = tempfile.mkstemp(prefix="kiosk-proof-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    paint_on_gui_thread()  # as `kiosk run` paints
    try:
        app = QApplication(sys.argv[:1] or ["kiosk"])
    finally:
        if config:
            Path(config).unlink(missing_ok=True)
    app.setApplicationName("Changchun Showcase")
    return app


def settle(app, root) -> None:
    """Let layouts and deferred calls run and every running animation finish, at once."""
    from PySide6.QtCore import QAbstractAnimation, QEvent

    from kiosk.ui.frame_clock import Tween

    for _ in range(6):
        app.processEvents()
        # deleteLater() waits for a running event loop, which a proof does not have: without
        # this, widgets a screen replaced (a city card's old lines) would still be drawn
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        running = [
            a for a in root.findChildren(QAbstractAnimation)
            if a.state() == QAbstractAnimation.State.Running and a.group() is None
        ]
        tweens = [t for t in root.findChildren(Tween) if t.state() != Tween.State.Stopped]
        if not running and not tweens:
            break
        for tween in tweens:
            tween.finish()
        for anim in running:
            total = anim.totalDuration()
            if total > 0:
                anim.setCurrentTime(total)
            else:
                anim.stop()
    app.processEvents()


class _Collector(logging.Handler):
    """Errors the kiosk logs while a state renders (a screen that fails is logged, not raised)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self, shot: Shot | None = None) -> None:
        """Hand errors and warnings logged since the last call to ``shot`` (None: drop them)."""
        for r in self.records:
            msg = r.getMessage()
            if r.exc_info and r.exc_info[1] is not None:
                msg += f": {type(r.exc_info[1]).__name__}: {r.exc_info[1]}"
            if shot is not None:
                (shot.errors if r.levelno >= logging.ERROR else shot.notes).append(msg)
        self.records.clear()


# --- rendering -----------------------------------------------------------------------------------


def render(
    content: Content,
    out: Path,
    languages: Sequence[str],
    sizes: Sequence[tuple[int, int]],
    content_path: str = "",
    progress=None,
) -> ProofResult:
    """Render every state in every language and size into ``out``; collect the findings."""
    from kiosk.tools.proof_checks import TextIndex

    started = time.monotonic()
    app = ensure_app(sizes)
    result = ProofResult(out, content_path, list(languages), list(sizes))
    overflow: dict[tuple, OverflowFinding] = {}
    fallbacks: dict[tuple[str, str], FallbackFinding] = {}
    collector = _Collector()
    kiosk_log = logging.getLogger("kiosk")
    kiosk_log.addHandler(collector)
    try:
        for size in sizes:
            for language in languages:
                index = TextIndex(content, language)
                states = plan_states(content, language)
                shots = _render_window(app, content, language, size, states, out, index,
                                       collector, overflow, fallbacks)
                result.shots.extend(shots)
                if progress:
                    progress(language, size, shots)
    finally:
        kiosk_log.removeHandler(collector)
    result.overflow = list(overflow.values())
    result.fallbacks = sorted(fallbacks.values(), key=lambda f: (
        result.languages.index(f.language),
        (f.origin.position.file, f.origin.position.line) if f.origin else ("", 0), f.path))
    result.seconds = time.monotonic() - started
    return result


def _render_window(app, content, language, size, states, out, index, collector, overflow,
                   fallbacks) -> list[Shot]:
    from PySide6.QtCore import QEvent, QSize, Qt

    from kiosk.shell.window import KioskWindow
    from kiosk.tools.proof_checks import check_window

    shots: list[Shot] = []
    collector.take()
    try:
        window = KioskWindow(content, language=language, size=QSize(*size))
    except Exception as exc:  # the window itself cannot be built: every state fails
        for state in states:
            shots.append(Shot(state, language, size,
                              errors=[f"the kiosk window could not be built: "
                                      f"{type(exc).__name__}: {exc}"]))
        return shots
    try:
        window.resize(QSize(*size))
        window.show()
        window.idle.set_enabled(False)
        seen: set[str] = set()
        for state in states:
            shot = Shot(state, language, size)
            shots.append(shot)
            try:
                _show_state(window, state)
                window.idle.set_enabled(False)
                window.stack.animate = False
                settle(app, window)
                collector.take(shot)
                expected = "attract" if state.screen == "attract" else state.screen
                if window.current_screen != expected:
                    shot.errors.append(f"screen {state.screen!r} did not show "
                                       f"(still on {window.current_screen!r})")
                    continue
                findings = check_window(window, index)
                shot.overflow = len(findings)
                for f in findings:
                    key = (language, size, f.kind, f.widget, f.where, f.text)
                    if key not in overflow:
                        overflow[key] = OverflowFinding(language, size, f.kind, f.widget, f.where,
                                                        f.text, f.detail, f.origins)
                    overflow[key].states.append(state.id)
                _harvest_fallbacks(window, language, size, state, seen, fallbacks)
                rel = Path(size_name(size)) / language / f"{state.id}.png"
                pixmap = window.grab()
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if not pixmap.save(str(target), "PNG"):
                    shot.errors.append(f"cannot write {target}")
                    continue
                shot.png = rel.as_posix()
                thumb = out / "thumbs" / rel
                thumb.parent.mkdir(parents=True, exist_ok=True)
                small = pixmap.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation)
                if small.save(str(thumb), "PNG"):
                    shot.thumb = ("thumbs" / rel).as_posix()
            except Exception as exc:  # one state failing must not stop the proof
                logging.getLogger(__name__).debug("state %s failed", state.id, exc_info=True)
                collector.take(shot)
                shot.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        window.idle.set_enabled(False)
        window.attract.stop()
        window.hide()
        window.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    return shots


def _show_state(window, state: State) -> None:
    window.stack.animate = False
    if state.screen == "attract":
        window.show_attract()
        return
    if window.current_screen == "attract":
        window.start_visit(idle=False)
        window.stack.animate = False
    window.show_screen(state.screen, dict(state.params) or None)


def _harvest_fallbacks(window, language, size, state, seen, fallbacks) -> None:
    """New fallbacks recorded by the window's Localiser since the last state."""
    loc = window.ctx.loc
    for path, fb in list(loc.fallbacks.items()):
        key = (language, path)
        finding = fallbacks.get(key)
        if finding is None:
            finding = fallbacks[key] = FallbackFinding(language, path, fb.origin, fb.shown)
        if size not in finding.sizes:
            finding.sizes.append(size)
        if path not in seen:
            seen.add(path)
            finding.states.append(f"{size_name(size)}/{state.id}")


# --- reports -------------------------------------------------------------------------------------


def where(origin: Origin | None) -> str:
    """``file:line`` of a content value."""
    if origin is None:
        return ""
    return f"{origin.position.file}:{origin.position.line}"


def source_of(origins: Sequence[Origin]) -> str:
    if not origins:
        return "(not from the content)"
    first = origins[0]
    more = f" (+{len(origins) - 1} more)" if len(origins) > 1 else ""
    return f"{first.path} ({where(first)}){more}"


def _short(text: str, width: int) -> str:
    text = " ⏎ ".join(line.strip() for line in text.split("\n"))
    return text if len(text) <= width else text[: width - 1] + "…"


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(str(h), w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
    return lines


def summary_lines(result: ProofResult) -> list[str]:
    lines: list[str] = []
    rows = []
    for size in result.sizes:
        for lang in result.languages:
            shots = [s for s in result.shots if s.size == size and s.language == lang]
            rows.append([
                size_name(size), lang, str(len(shots)), str(sum(1 for s in shots if s.png)),
                str(sum(1 for f in result.overflow if f.size == size and f.language == lang)),
                str(sum(1 for f in result.fallbacks if f.language == lang and size in f.sizes)),
                str(sum(len(s.errors) for s in shots)),
            ])
    lines += _table(rows, ["SIZE", "LANG", "STATES", "PNG", "OVERFLOW", "FALLBACKS", "ERRORS"])
    if result.overflow:
        lines += ["", f"Overflow ({len(result.overflow)}):"]
        rows = [
            [f.language, size_name(f.size), _states(f.states), f.kind,
             f"{f.where} › {f.widget}" if f.where else f.widget, _short(f.text, 40), f.detail,
             source_of(f.origins)]
            for f in result.overflow
        ]
        lines += _table(rows, ["LANG", "SIZE", "STATES", "KIND", "WIDGET", "TEXT", "MEASURED",
                               "SOURCE"])
    if result.fallbacks:
        lines += ["", f"Fallbacks shown ({len(result.fallbacks)}):"]
        rows = [
            [f.language, f.path, where(f.origin) or "?",
             f"shown in {f.shown}" if f.shown else "missing (nothing shown)",
             ", ".join(size_name(s) for s in f.sizes), ", ".join(f.states)]
            for f in result.fallbacks
        ]
        lines += _table(rows, ["LANG", "KEY PATH", "FILE:LINE", "SHOWN", "SIZES", "FIRST SEEN"])
    if result.errors:
        lines += ["", f"Errors ({len(result.errors)}):"]
        for shot, error in result.errors:
            lines.append(f"  {shot.language} {size_name(shot.size)} {shot.state.id}: {error}")
    notes = [(shot, note) for shot in result.shots for note in shot.notes]
    if notes:
        lines += ["", f"Warnings the kiosk logged ({len(notes)}):"]
        for shot, note in notes:
            lines.append(f"  {shot.language} {size_name(shot.size)} {shot.state.id}: {note}")
    n = sum(1 for s in result.shots if s.png)
    lines += ["", f"{n} images in {result.out} ({result.seconds:.1f} s); contact sheet: "
                  f"{result.out / 'index.html'}"]
    return lines


def _states(states: list[str]) -> str:
    return states[0] if len(states) == 1 else f"{states[0]} +{len(states) - 1}"


def to_json(result: ProofResult) -> dict[str, Any]:
    def origin(o: Origin | None) -> dict[str, Any] | None:
        if o is None:
            return None
        return {"path": o.path, "file": o.position.file, "line": o.position.line}

    return {
        "content": result.content_path,
        "languages": result.languages,
        "sizes": [size_name(s) for s in result.sizes],
        "seconds": round(result.seconds, 2),
        "shots": [
            {"state": s.state.id, "screen": s.state.screen, "label": s.state.label,
             "detail": s.state.detail, "language": s.language, "size": size_name(s.size),
             "png": s.png, "thumb": s.thumb, "overflow": s.overflow, "errors": s.errors,
             "notes": s.notes}
            for s in result.shots
        ],
        "overflow": [
            {"language": f.language, "size": size_name(f.size), "states": f.states,
             "kind": f.kind, "widget": f.widget, "where": f.where, "text": f.text,
             "detail": f.detail, "sources": [origin(o) for o in f.origins]}
            for f in result.overflow
        ],
        "fallbacks": [
            {"language": f.language, "path": f.path, "source": origin(f.origin),
             "shown": f.shown, "sizes": [size_name(s) for s in f.sizes], "states": f.states}
            for f in result.fallbacks
        ],
    }


def cmd_proof(args: argparse.Namespace) -> int:
    """``kiosk proof``: see the module docstring."""
    from kiosk.content import check
    from kiosk.content.loader import display_path, resolve_content_path
    from kiosk.tools.proof_html import write_index

    try:
        sizes = parse_sizes(args.size)
    except ProofError as exc:
        print(f"kiosk proof: {exc}", file=sys.stderr)
        return 2
    content, issues = check(args.path)
    if content is None:
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        print("kiosk proof: the content has errors; nothing rendered", file=sys.stderr)
        return 1
    try:
        languages = parse_languages(args.lang, content)
    except ProofError as exc:
        print(f"kiosk proof: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk proof: cannot create {out}: {exc.strerror}", file=sys.stderr)
        return 2

    def progress(language: str, size: tuple[int, int], shots: list[Shot]) -> None:
        print(f"  {size_name(size)} {language}: {sum(1 for s in shots if s.png)} images",
              file=sys.stderr, flush=True)

    content_path = str(display_path(resolve_content_path(args.path)))
    result = render(content, out, languages, sizes, content_path, progress)
    write_index(result)
    (out / "proof.json").write_text(json.dumps(to_json(result), indent=2, ensure_ascii=False),
                                    encoding="utf-8")
    print("\n".join(summary_lines(result)))
    if result.errors:
        return 1
    if result.overflow and not args.allow_overflow:
        return 1
    return 0
