"""GUI probes, each in a fresh process: python bench/probe_gui.py MODE [options].

Modes (each prints one BENCH-RESULT JSON line):
  tour    resident memory after every screen and chart in two languages
  frames  frame intervals and paint times during screen transitions and the map's arc animation
  lang    tap on a language button -> end of the first frame painted after it
  soak    resident memory growth over many screen changes and language switches
  idle    CPU used while a slideshow (then the attract loop) runs
"""

from __future__ import annotations

import argparse
import collections
import gc
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import cpu_seconds, emit, median, percentile, rss_mb, rss_parts_mb, slope, smaps_rss_kb


def _content(path: str | None):
    from kiosk.content import load

    return load(path)


def _two_languages(content) -> list[str]:
    codes = list(content.meta.codes)
    first = content.meta.default_language
    second = next((c for c in ("zh", "ja", "ko") if c in codes and c != first), None)
    second = second or next((c for c in codes if c != first), None)
    return [first] + ([second] if second else [])


def _stats(prefix: str, values_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        f"{prefix}_p50": percentile(ms, 50),
        f"{prefix}_p95": percentile(ms, 95),
        f"{prefix}_max": max(ms) if ms else float("nan"),
        f"{prefix}_n": len(ms),
    }


# --- tour --------------------------------------------------------------------------------------


def mode_tour(args) -> dict:
    import bench_gui as g

    g.app()
    content = _content(args.content)
    gc.collect()
    rss_loaded = rss_mb()
    win = g.build_window(content, tuple(args.size))
    rss_start = rss_mb()
    timings: dict[str, float] = {}
    langs = _two_languages(content)
    builds: dict[str, float] = {}
    for screen_id in g.SCREENS:
        t0 = time.perf_counter()
        if g.screen_or_none(win, screen_id) is not None:
            builds[f"build_ms_{screen_id}"] = (time.perf_counter() - t0) * 1000
    screens = g.available_screens(win)
    g.tour(win, langs, timings=timings)
    gc.collect()
    # at rest, as the soak samples: after the kiosk's own heap trim (kiosk.shell.memory)
    from kiosk.shell.memory import REST_MS

    g.wait(REST_MS / 1000 + 0.5)
    out = {
        "rss_mb_after_tour": rss_mb(),
        "rss_mb_content_loaded": rss_loaded,
        "rss_mb_window_shown": rss_start,
        "tour_languages": langs,
        "screens_built": screens,
        **builds,
    }
    for key, ms in timings.items():
        screen, lang = key.split(":")
        if lang == langs[0]:
            out[f"first_show_ms_{screen}"] = ms
    return out


# --- frames ------------------------------------------------------------------------------------


def _collect(win, t_tap: float, t_done: float, intervals: list, paints: list,
             firsts: list) -> int:
    """The frames of one animation: the intervals between their ends (the first frame's from
    the tap goes to ``firsts``: that is the response to the tap, not the animation's cadence)."""
    frames = [(b, e) for b, e in win.frames if e > t_tap and b <= t_done]
    if frames:
        firsts.append(frames[0][1] - t_tap)
    for (_, e0), (_, e1) in itertools.pairwise(frames):
        intervals.append(e1 - e0)
    paints.extend(e - b for b, e in frames)
    return len(frames)


def mode_frames(args) -> dict:
    import bench_gui as g

    g.app()
    content = _content(args.content)
    win = g.build_window(content, tuple(args.size))
    if not args.quick:  # warm: every screen shown once, so the figures are not first visits
        g.tour(win, [content.meta.default_language], every_chart=False)
    screens = g.available_screens(win)
    win.start_visit()
    win.show_screen("home")
    g.settle(win, after_s=0.3)
    sequence = ("timeline", "map", "economy", "home", "economy", "map", "timeline", "home")
    if args.quick:
        sequence = ("map", "home")
    order = [s for s in sequence if s in screens]
    intervals: list[float] = []
    paints: list[float] = []
    calls: list[float] = []
    arc_intervals: list[float] = []
    arc_paints: list[float] = []
    firsts: list[float] = []  # tap -> first frame of each transition
    arc_firsts: list[float] = []
    frames = 0
    for _ in range(args.cycles):
        for screen_id in order:
            win.frames.clear()
            t_tap = time.perf_counter()
            win.show_screen(screen_id)
            calls.append(time.perf_counter() - t_tap)
            g.settle(win, after_s=0)
            frames += _collect(win, t_tap, time.perf_counter(), intervals, paints, firsts)
            g.wait(0.15)
    if "map" in screens and not args.quick:  # (quick: the map transition has its arcs already)
        win.show_screen("map")
        g.settle(win, after_s=0.3)
        view = win.screens["map"].view
        for _ in range(args.cycles):
            win.frames.clear()
            t_tap = time.perf_counter()
            view.start_intro()
            g.settle(win, after_s=0)
            frames += _collect(win, t_tap, time.perf_counter(), arc_intervals, arc_paints,
                               arc_firsts)
            g.wait(0.15)
    same_intervals, same_paints = _same_frame(win, g) if "map" in screens and not args.quick \
        else ([], [])
    floor_intervals, floor_paints = _tick_floor(win, g) if not args.quick else ([], [])
    all_intervals = intervals + arc_intervals
    with_taps = [v * 1000 for v in all_intervals + firsts + arc_firsts]
    out = {
        "frame_ms_p50": percentile([v * 1000 for v in all_intervals], 50),
        "frame_ms_p95": percentile([v * 1000 for v in all_intervals], 95),
        "frame_ms_max": max(all_intervals) * 1000 if all_intervals else float("nan"),
        "frames": frames,
        "screens": screens,
        "show_screen_call_ms_max": max(calls) * 1000 if calls else float("nan"),
        "show_screen_call_ms_p50": median([c * 1000 for c in calls]),
    }
    out.update(_stats("paint_ms", paints + arc_paints))
    out.update(_stats("transition_frame_ms", intervals))
    out.update(_stats("arc_frame_ms", arc_intervals))
    out.update(_stats("arc_paint_ms", arc_paints))
    # the response to a tap: show_screen() and the first frame
    out.update(_stats("tap_to_first_frame_ms", firsts))
    # as the first two rounds counted: each tap -> first frame as one more interval
    out["frame_ms_p95_with_taps"] = percentile(with_taps, 95)
    if same_intervals:
        out.update(_stats("same_frame_interval_ms", same_intervals))
        out.update(_stats("same_frame_paint_ms", same_paints))
        out["same_frame_intervals_17ms_or_more_percent"] = (
            100 * sum(v >= 0.017 for v in same_intervals) / len(same_intervals))
    if floor_intervals:
        out.update(_stats("tick_floor_interval_ms", floor_intervals))
        out.update(_stats("tick_floor_paint_ms", floor_paints))
        out["tick_floor_intervals_17ms_or_more_percent"] = (
            100 * sum(v >= 0.017 for v in floor_intervals) / len(floor_intervals))
    return out


def _clocked_frames(win, g, widget) -> tuple[list[float], list[float]]:
    """``widget`` updated at every tick of Qt's animation clock for 3 s: the intervals between
    the ends of the frames, and the frames' paint times. The work of every frame is the same,
    so what varies is the machine and the clock, not the kiosk."""
    from PySide6.QtCore import QVariantAnimation

    clock = QVariantAnimation()
    clock.setDuration(3000)
    clock.setStartValue(0.0)
    clock.setEndValue(1.0)
    clock.valueChanged.connect(lambda _v: widget.update())
    g.wait(0.2)
    win.frames.clear()
    t0 = time.perf_counter()
    clock.start()
    g.wait(3.05)
    frames = [(b, e) for b, e in win.frames if b > t0][3:]  # from the third: the clock is steady
    intervals = [b[1] - a[1] for a, b in itertools.pairwise(frames)]
    return intervals, [e - b for b, e in frames]


def _same_frame(win, g) -> tuple[list[float], list[float]]:
    """The map's unchanged viewport painted again at every tick (about 14 ms of paint at
    1080p: a heavy frame, so a little noise pushes it past 17 ms)."""
    return _clocked_frames(win, g, win.screens["map"].view.viewport())


def _tick_floor(win, g) -> tuple[list[float], list[float]]:
    """This machine's floor for frame intervals: a 16-px square painted at every tick, a
    frame with almost no work. What a frame of the kiosk cannot beat here."""
    from PySide6.QtWidgets import QWidget

    square = QWidget(win)
    square.setGeometry(0, 0, 16, 16)
    square.setAutoFillBackground(True)
    square.show()
    try:
        return _clocked_frames(win, g, square)
    finally:
        square.hide()
        square.deleteLater()


# --- language switch ---------------------------------------------------------------------------


def mode_lang(args) -> dict:
    import bench_gui as g
    from PySide6.QtGui import QInputDevice
    from PySide6.QtTest import QTest

    g.app()
    content = _content(args.content)
    win = g.build_window(content, tuple(args.size))
    g.tour(win, [content.meta.default_language], every_chart=False)
    device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    codes = list(content.meta.codes)
    totals: list[float] = []
    calls: list[float] = []
    per_screen: dict[str, list[float]] = {}
    missed = 0
    changed: list[float] = []
    win.language_changed.connect(lambda _code: changed.append(time.perf_counter()))
    screens = g.available_screens(win)
    targets = codes[1:] + codes[:1]
    if args.quick:
        screens, targets = screens[-1:], targets[:1] + targets[-1:]
    for screen_id in screens:
        win.show_screen(screen_id)
        g.settle(win, after_s=0.3)
        for _round in range(args.cycles):
            for code in targets:
                if code == win.language:
                    continue
                button = win.title_bar.picker.buttons[code]
                pos = button.rect().center()
                win.frames.clear()
                changed.clear()
                t0 = time.perf_counter()
                # commit(False): deliver the touch without QTest's own processEvents(), so the
                # event loop below paints, as in the kiosk
                QTest.touchEvent(button, device).press(0, pos, button).commit(False)
                QTest.touchEvent(button, device).release(0, pos, button).commit(False)
                if win.language != code:
                    missed += 1  # the touch did not reach the button: a click does the same
                    t0 = time.perf_counter()
                    button.click()
                t1 = time.perf_counter()

                def redrawn() -> list[float]:
                    # the first frame that started after the language had changed
                    return [e for b, e in win.frames if changed and b >= changed[0]]

                g.wait_until(lambda: bool(redrawn()), 3.0)
                ends = redrawn()
                if ends:
                    totals.append(ends[0] - t0)
                    per_screen.setdefault(screen_id, []).append(ends[0] - t0)
                calls.append(t1 - t0)
                g.settle(win, after_s=0.35)
    out = {
        "switch_language_ms": median([t * 1000 for t in totals]),
        "switch_language_ms_max": max(totals) * 1000 if totals else float("nan"),
        "set_language_call_ms": median([c * 1000 for c in calls]),
        "switches": len(totals),
        "touch_refused": missed,
    }
    for screen_id, values in per_screen.items():
        out[f"switch_language_ms_{screen_id}"] = median([v * 1000 for v in values])
    return out


# --- soak --------------------------------------------------------------------------------------


def _smaps_steps(maps: list[dict[str, int]], top: int = 4) -> list[list]:
    """For each sample after the first, the mappings whose resident KiB changed most."""
    steps = []
    for before, after in itertools.pairwise(maps):
        diff = {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)}
        biggest = sorted(diff.items(), key=lambda kv: -abs(kv[1]))[:top]
        steps.append([[Path(k).name or k, v] for k, v in biggest if v])
    return steps


def _trimmed_rss() -> float:
    """RSS after glibc's malloc_trim(0) (plain RSS where that is not available)."""
    from kiosk.shell.memory import glibc_trim

    trim = glibc_trim()
    if trim is not None:
        trim()
    return rss_mb()


def mode_soak(args) -> dict:
    import bench_gui as g
    from PySide6.QtCore import QObject

    g.app()
    content = _content(args.content)
    win = g.build_window(content, tuple(args.size))
    codes = list(content.meta.codes)
    g.tour(win, codes[:1] if args.quick else codes, every_chart=not args.quick)
    screens = g.available_screens(win)
    win.stack.animate = False
    win.frames = collections.deque(maxlen=1000)  # the frame log must not grow and count as a leak
    charts = [c.id for c in content.economy.charts]
    cities = [c.id for c in content.cities]
    events = [e.id for e in content.timeline.events]
    state = {"screen": 0, "lang": 0, "i": 0}

    def step(_: int) -> None:
        i = state["i"]
        state["i"] += 1
        if i % args.lang_every == args.lang_every - 1:
            state["lang"] = (state["lang"] + 1) % len(codes)
            win.set_language(codes[state["lang"]])
        else:
            state["screen"] = (state["screen"] + 1) % len(screens)
            screen_id = screens[state["screen"]]
            params = None
            if i % 3 == 0:  # every third visit is a deep link
                if screen_id == "economy" and charts:
                    params = {"chart": charts[i % len(charts)]}
                elif screen_id == "map" and cities:
                    params = {"city": cities[i % len(cities)]}
                elif screen_id == "timeline" and events:
                    params = {"event": events[i % len(events)]}
            win.show_screen(screen_id, params)

    # every step runs from a live event loop (as a tap would), which paints the window and
    # deletes what the screens dropped; entry animations are cut short by the next step
    deep_links = [(lang, screen_id, params) for lang in codes for screen_id, params in
                  [("economy", {"chart": c}) for c in charts] * ("economy" in screens)
                  + [("map", {"city": c}) for c in cities] * ("map" in screens)
                  + [("timeline", {"event": e}) for e in events] * ("timeline" in screens)]
    if args.quick:
        deep_links = deep_links[::25]

    def deep_step(i: int) -> None:
        lang, screen_id, params = deep_links[i]
        if win.language != lang:
            win.set_language(lang)
        win.show_screen(screen_id, params)

    # Qt's glyph caches (per font, size and script) and the screens' cached pictures fill the
    # first time a text or a picture is shown; a kiosk reaches that plateau within its first
    # hours. Show every deep link in every language once, so the slope measures what keeps
    # growing after that (a leak), not the first fill of bounded caches.
    t_deep = time.perf_counter()
    rss_before_deep = rss_mb()
    g.run_steps(deep_step, len(deep_links))
    g.wait(0.2)
    gc.collect()
    rss_after_deep = rss_mb()
    deep_s = time.perf_counter() - t_deep
    g.run_steps(step, args.soak_warmup)
    g.wait(0.2)
    gc.collect()
    # QObjects in the window, and pymalloc blocks (cheap: no list of every object is built)
    objects0 = (len(win.findChildren(QObject)), sys.getallocatedblocks())
    # RSS is sampled at rest, as a kiosk is between visitors: a little longer than the kiosk's
    # own heap trim waits after the last change (kiosk.shell.memory). The RSS while busy, just
    # before each rest, is kept too: it also counts the free heap glibc still holds.
    from kiosk.shell.memory import REST_MS

    rest_s = REST_MS / 1000 + 0.5

    def at_rest() -> None:
        # every sample in the same state: each screen shown to the end of its entry (a step cut
        # short leaves a screen's pictures, several MB, in whatever state it was in), then home
        for screen_id in screens:
            win.show_screen(screen_id)
            g.settle(win, after_s=0.05)
        win.show_screen("home")
        g.wait(rest_s)
        gc.collect()

    at_rest()
    xs: list[float] = [0]
    ys: list[float] = [rss_mb()]
    busy: list[float] = [ys[0]]
    trimmed: list[float] = [_trimmed_rss()] if args.trim else []
    parts: list[dict[str, float]] = [rss_parts_mb()]
    maps = [smaps_rss_kb()] if args.smaps else []
    t0 = time.perf_counter()
    done = 0
    while done < args.transitions:
        n = min(args.sample_every, args.transitions - done)
        g.run_steps(step, n)
        done += n
        busy.append(rss_mb())
        at_rest()
        xs.append(done)
        ys.append(rss_mb())
        parts.append(rss_parts_mb())
        if args.trim:  # diagnosis only: trimming changes what the next samples see
            trimmed.append(_trimmed_rss())
        if args.smaps:
            maps.append(smaps_rss_kb())
    objects1 = (len(win.findChildren(QObject)), sys.getallocatedblocks())
    elapsed = time.perf_counter() - t0
    return {
        "rss_growth_mb_per_1000_transitions": slope(xs, ys) * 1000,
        "rss_mb_soak_start": ys[0],
        "rss_mb_soak_end": ys[-1],
        "transitions": done,
        "language_switches": sum(1 for i in range(args.soak_warmup, args.soak_warmup + done)
                                 if i % args.lang_every == args.lang_every - 1),
        "soak_s": elapsed,
        "transition_ms_mean": elapsed / max(1, done) * 1000,
        "rss_samples": [round(y, 2) for y in ys],
        "rss_growth_busy_mb_per_1000": slope(xs, busy) * 1000,
        "rss_samples_busy": [round(y, 2) for y in busy],
        "soak_deep_links": len(deep_links),
        "soak_deep_warmup_s": deep_s,
        "rss_mb_before_deep_warmup": rss_before_deep,
        "rss_mb_after_deep_warmup": rss_after_deep,
        # RSS after malloc_trim(0): memory the C heap holds free is given back first, so this
        # growth is what is really still allocated (fragmentation vs. leak)
        "rss_growth_trimmed_mb_per_1000": slope(xs, trimmed) * 1000 if args.trim else None,
        "rss_samples_anon": [round(p.get("RssAnon", 0.0), 2) for p in parts],
        "rss_samples_file": [round(p.get("RssFile", 0.0), 2) for p in parts],
        # the mappings whose resident size changed most between samples (diagnosis)
        "smaps_steps": _smaps_steps(maps) if args.smaps else None,
        "qobjects_added": objects1[0] - objects0[0],
        "python_blocks_added": objects1[1] - objects0[1],
    }


# --- idle CPU ----------------------------------------------------------------------------------


def _run_loop(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def mode_idle(args) -> dict:
    import bench_gui as g

    g.app()
    content = _content(args.content)
    win = g.build_window(content, tuple(args.size))
    if not args.quick:  # a kiosk that has been running: every screen built
        g.tour(win, [content.meta.default_language], every_chart=False)
    playlist = getattr(content.settings, "attract_playlist", None) or (
        content.playlists[0].id if content.playlists else None)
    out: dict = {"playlist": playlist}
    if playlist is not None:
        win.start_slideshow(playlist)
        _run_loop(args.idle_warmup)
        win.frames.clear()
        c0, t0 = cpu_seconds(), time.perf_counter()
        _run_loop(args.duration)
        c1, t1 = cpu_seconds(), time.perf_counter()
        out["idle_cpu_percent"] = (c1 - c0) / (t1 - t0) * 100
        out["slideshow_frames_per_s"] = len(win.frames) / (t1 - t0)
        out["slideshow_s"] = t1 - t0
        win.slideshow.stop()
    else:
        print("bench: the content has no playlist; no slideshow to measure", flush=True)
    if args.attract_duration > 0:
        win.show_attract()
        _run_loop(1.0)
        win.frames.clear()
        c0, t0 = cpu_seconds(), time.perf_counter()
        _run_loop(args.attract_duration)
        c1, t1 = cpu_seconds(), time.perf_counter()
        out["idle_cpu_percent_attract"] = (c1 - c0) / (t1 - t0) * 100
        out["attract_frames_per_s"] = len(win.frames) / (t1 - t0)
    return out


MODES = {"tour": mode_tour, "frames": mode_frames, "lang": mode_lang, "soak": mode_soak,
         "idle": mode_idle}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("mode", choices=sorted(MODES))
    p.add_argument("--content", help="content.yaml or its folder (default: shipped)")
    p.add_argument("--size", type=int, nargs=2, default=(1920, 1080), metavar=("W", "H"))
    p.add_argument("--cycles", type=int, default=2, help="frames/lang: rounds")
    p.add_argument("--transitions", type=int, default=5000, help="soak: measured transitions")
    p.add_argument("--soak-warmup", type=int, default=500, help="soak: transitions before measuring")
    p.add_argument("--idle-warmup", type=float, default=3.0, help="idle: seconds before measuring")
    p.add_argument("--sample-every", type=int, default=250, help="soak: RSS sample interval")
    p.add_argument("--lang-every", type=int, default=10, help="soak: every Nth change is a language")
    p.add_argument("--duration", type=float, default=60.0, help="idle: slideshow seconds")
    p.add_argument("--attract-duration", type=float, default=20.0, help="idle: attract seconds")
    p.add_argument("--quick", action="store_true", help="fewer steps (smoke runs)")
    p.add_argument("--trim", action="store_true",
                   help="soak: also RSS after malloc_trim(0) at each sample (diagnosis)")
    p.add_argument("--smaps", action="store_true",
                   help="soak: which mappings' resident size changed at each sample (diagnosis)")
    args = p.parse_args()
    t0 = time.perf_counter()
    out = MODES[args.mode](args)
    out["probe_s"] = time.perf_counter() - t0
    emit(out)
    os._exit(0)  # skip Qt's teardown: nothing to save, and it is slow with big scenes


if __name__ == "__main__":
    raise SystemExit(main())
