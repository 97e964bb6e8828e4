"""Performance bench of the kiosk: start-up, memory, frames, CPU, content load, language switch.

    python bench/run.py                 full bench (about 25 minutes on the 2-core machine)
    python bench/run.py --smoke         one short repetition of everything (under a minute)
    python bench/run.py --only startup,load --reps 3

Every figure is measured in fresh processes (bench/probe_*.py), headless on Qt's offscreen
platform, repeated --reps times (5 by default, 1 with --smoke). The table shows min / median / max
and the budget; the medians go to bench/results.json (--smoke: bench/results-smoke.json) under
stable keys, and everything else (every repetition, extra figures, the machine's load) to the
*-details.json next to it. Budgets are shown, never asserted, unless --strict is given.
See bench/README.md for what each figure means and how it is measured.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import BENCH_DIR, ROOT, median, parse_results

TESTS_SCREEN = ROOT / "tests" / "offscreen.json"  # one 3840x2160 virtual screen
SCREEN_1080 = BENCH_DIR / "offscreen-1080.json"  # one 1920x1080 virtual screen

# key -> (unit, budget, comparison); None: no budget
KEYS: dict[str, tuple[str, float | None, str]] = {
    "startup_first_frame_s": ("s", 1.0, "<="),
    "import_s": ("s", None, ""),
    "rss_mb_after_tour": ("MB", 150.0, "<"),
    "rss_growth_mb_per_1000_transitions": ("MB", 1.0, "<"),
    "frame_ms_p50": ("ms", None, ""),
    "frame_ms_p95": ("ms", 17.0, "<"),
    "frame_ms_max": ("ms", None, ""),
    "frame_ms_p50_4k": ("ms", None, ""),
    "frame_ms_p95_4k": ("ms", None, ""),
    "frame_ms_max_4k": ("ms", None, ""),
    "idle_cpu_percent": ("%", 3.0, "<"),
    "load_ms": ("ms", 50.0, "<"),
    "load_ms_uncached": ("ms", None, ""),
    "load_ms_x10": ("ms", None, ""),
    "load_ms_x100": ("ms", None, ""),
    "switch_language_ms": ("ms", 100.0, "<"),
}
# derived: how much faster than linear load time grows from x10 to x100 (1.0 = linear)
LINEAR_KEY = "load_superlinearity_x100_vs_x10"
LINEAR_LIMIT = 1.2


@dataclass
class Settings:
    reps: int
    startup_warmup: int
    frame_cycles: int
    lang_cycles: int
    soak_transitions: int
    soak_warmup: int
    idle_s: float
    attract_s: float
    factors: tuple[int, int]
    load_repeat: int
    idle_warmup_s: float = 3.0
    quick: bool = False


FULL = Settings(reps=5, startup_warmup=1, frame_cycles=1, lang_cycles=1, soak_transitions=5000,
                soak_warmup=1000, idle_s=60.0, attract_s=20.0, factors=(10, 100), load_repeat=1)
SMOKE = Settings(reps=1, startup_warmup=0, frame_cycles=1, lang_cycles=1, soak_transitions=150,
                 soak_warmup=20, idle_s=3.0, attract_s=1.0, factors=(2, 3), load_repeat=0,
                 idle_warmup_s=0.5, quick=True)

GROUPS = ("startup", "imports", "load", "tour", "frames", "frames4k", "lang", "soak", "idle")


@dataclass
class Bench:
    settings: Settings
    python: str
    verbose: bool
    tmp: Path
    values: dict[str, list[float]] = field(default_factory=dict)
    extras: dict[str, list] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    # --- running probes ----------------------------------------------------------------------

    def env(self, screen: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        env["XDG_STATE_HOME"] = str(self.tmp / "state")  # the kiosk's log and statistics
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def probe(self, script: str, *args: str, screen: Path = TESTS_SCREEN,
              timeout: float = 900) -> tuple[dict | None, float]:
        """Run one probe; return its result (None on failure) and the parent's start time."""
        cmd = [self.python, str(BENCH_DIR / script), *args]
        if script == "probe_gui.py" and self.settings.quick:
            cmd.append("--quick")
        t_spawn = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env=self.env(screen), cwd=ROOT)
        except subprocess.TimeoutExpired:
            self.errors.append(f"{script} {' '.join(args)}: timed out after {timeout:.0f} s")
            return None, t_spawn
        for line in proc.stdout.splitlines():
            if line.startswith("bench:") and line not in self.notes:
                self.notes.append(line)
                print(f"    {line}", flush=True)
        results = parse_results(proc.stdout)
        if proc.returncode != 0 or not results:
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
            self.errors.append(f"{script} {' '.join(args)}: exit {proc.returncode}\n{tail}")
            print(f"    failed: {script} {' '.join(args)} (exit {proc.returncode})\n{tail}",
                  flush=True)
            return None, t_spawn
        return results[-1], t_spawn

    def add(self, key: str, value: float | None) -> None:
        if value is not None and isinstance(value, (int, float)) and math.isfinite(value):
            self.values.setdefault(key, []).append(float(value))

    def extra(self, key: str, value) -> None:
        self.extras.setdefault(key, []).append(value)

    def keep_extras(self, result: dict, skip: set[str]) -> None:
        for key, value in result.items():
            if key not in skip:
                self.extra(key, value)

    def say(self, text: str) -> None:
        print(text, flush=True)

    # --- the figures -------------------------------------------------------------------------

    def startup(self) -> None:
        s = self.settings
        self.say(f"startup: kiosk run, full screen 1920x1080, {s.startup_warmup} warm-up + "
                 f"{s.reps} runs")
        modules = self.tmp / "startup-modules.txt"
        for i in range(s.startup_warmup + s.reps):
            result, t_spawn = self.probe("probe_startup.py", "--modules-out", str(modules), "--",
                                         "run", screen=SCREEN_1080, timeout=120)
            if result is None:
                continue
            marks = result["marks"]
            first = marks["first_paint"] - t_spawn
            if i < s.startup_warmup:
                self.extra("startup_first_frame_s_warmup_run", first)
                continue
            self.add("startup_first_frame_s", first)
            phases = {
                "interpreter": marks["main"] - t_spawn,
                "imports_before_check": marks.get("check_start", math.nan) - marks["main"],
                "content_check": marks.get("check_end", math.nan) - marks.get("check_start", math.nan),
                "qt_app_and_window_imports": marks.get("window_start", math.nan)
                - marks.get("check_end", math.nan),
                "window_construction": marks.get("window_end", math.nan)
                - marks.get("window_start", math.nan),
                "until_show": marks.get("show", math.nan) - marks.get("window_end", math.nan),
                "show_to_first_paint_end": marks["first_paint"] - marks.get("show", math.nan),
                "first_paint_event": marks["first_paint"] - marks["first_paint_start"],
            }
            for name, value in phases.items():
                self.extra(f"startup_phase_s.{name}", value)
            self.extra("rss_mb_first_frame", result["rss_mb_first_frame"])
            self.extra("startup_modules_imported", result["modules_imported"])

    def imports(self) -> None:
        modules = self.tmp / "startup-modules.txt"
        if not modules.exists():
            result, _ = self.probe("probe_startup.py", "--modules-out", str(modules), "--", "run",
                                   screen=SCREEN_1080, timeout=120)
            if result is None:
                return
        self.say(f"imports: what start-up imports, {self.settings.reps} runs")
        for _ in range(self.settings.reps):
            result, _ = self.probe("probe_imports.py", str(modules), timeout=120)
            if result is None:
                continue
            self.add("import_s", result["import_s"])
            self.extra("import_by_package_ms", result["by_package_ms"])
            self.extra("import_top_names_ms", result["top_names_ms"])

    def load(self) -> None:
        s = self.settings
        from gen_content import generate

        # load_ms: what `kiosk run` pays at start-up, the content unchanged since its last run:
        # a fresh process whose cache an earlier process filled (probe_load.py --cached).
        # The rest without the cache: the shipped content's first load after an edit, and the
        # x10/x100 contents, which show how parsing and validation grow with size.
        cached = [f"load_ms={ROOT / 'data'}"]
        uncached = [f"load_ms_uncached={ROOT / 'data'}"]
        labels = {"load_ms_uncached": 1}
        for factor, key in zip(s.factors, ("load_ms_x10", "load_ms_x100"), strict=True):
            out = self.tmp / f"content-x{factor}"
            t0 = time.perf_counter()
            info = generate(ROOT / "data", out, factor, check=False)
            self.say(f"load: generated x{factor} content ({info['size_ratio']:.1f}x the bytes, "
                     f"{info['languages']} languages, entries x{info['entries_x']}) in "
                     f"{time.perf_counter() - t0:.1f} s")
            self.extra(f"{key}_content", info)
            uncached.append(f"{key}={out}")
            labels[key] = factor
        if s.factors != (10, 100):
            self.notes.append(f"smoke: load_ms_x10 and load_ms_x100 are measured on x{s.factors[0]}"
                              f" and x{s.factors[1]} content, to stay short")
        self.notes.append("load_ms: start-up with the content cache filled by an earlier process; "
                          "load_ms_uncached, load_ms_x10, load_ms_x100: no cache (a load after "
                          "an edit)")
        self.say(f"load: kiosk.content.check on shipped (cached, then uncached), x{s.factors[0]}, "
                 f"x{s.factors[1]}; {s.reps} processes each")
        for i in range(s.reps):
            result, _ = self.probe("probe_load.py", "--cached", "--repeat", str(s.load_repeat),
                                   *cached, timeout=120)
            if result is not None:
                self.add("load_ms", result.get("load_ms"))
                self.keep_extras(result, {"load_ms"})
            args = ["--repeat", str(s.load_repeat), *uncached]
            if i == 0:
                args.insert(0, "--stages")
            result, _ = self.probe("probe_load.py", *args, timeout=600)
            if result is None:
                continue
            for key in labels:
                self.add(key, result.get(key))
            self.keep_extras(result, set(labels))

    def tour(self) -> None:
        self.say(f"tour: every screen and chart in two languages at 1920x1080, "
                 f"{self.settings.reps} runs")
        for _ in range(self.settings.reps):
            result, _ = self.probe("probe_gui.py", "tour", timeout=300)
            if result is None:
                continue
            self.add("rss_mb_after_tour", result["rss_mb_after_tour"])
            self.keep_extras(result, {"rss_mb_after_tour"})

    def frames(self, size: tuple[int, int], suffix: str) -> None:
        s = self.settings
        self.say(f"frames: transitions and map arcs at {size[0]}x{size[1]}, {s.reps} runs")
        for _ in range(s.reps):
            result, _ = self.probe("probe_gui.py", "frames", "--size", str(size[0]), str(size[1]),
                                   "--cycles", str(s.frame_cycles), timeout=600)
            if result is None:
                continue
            budgeted = ("frame_ms_p50", "frame_ms_p95", "frame_ms_max")
            for key in budgeted:
                self.add(key + suffix, result.get(key))
            for key, value in result.items():
                if key not in budgeted:
                    self.extra(key + suffix, value)
        # the same code's frame p95 moves by half a millisecond with this machine's state (its
        # neighbours' load): the probe's fixed references tell which state a run met
        floor = [v for v in self.extras.get("tick_floor_interval_ms_p95" + suffix, []) if v]
        same = [v for v in self.extras.get("same_frame_paint_ms_p50" + suffix, []) if v]
        if floor and same:
            self.notes.append(
                f"frames{suffix or ' 1080p'}: the machine during these runs: near-empty frames at "
                f"every tick, interval p95 {median(floor):.2f} ms; the map's whole view, paint p50 "
                f"{median(same):.1f} ms (compare these before comparing frame_ms_p95 of two runs)")

    def lang(self) -> None:
        s = self.settings
        self.say(f"lang: tap on a language -> redrawn frame, every screen, {s.reps} runs")
        for _ in range(s.reps):
            args = ["lang", "--cycles", str(s.lang_cycles)]
            result, _ = self.probe("probe_gui.py", *args, timeout=600)
            if result is None:
                continue
            self.add("switch_language_ms", result.get("switch_language_ms"))
            self.keep_extras(result, {"switch_language_ms"})

    def soak(self) -> None:
        s = self.settings
        self.say(f"soak: {s.soak_transitions} screen changes and language switches, "
                 f"{s.reps} runs")
        for _ in range(s.reps):
            result, _ = self.probe("probe_gui.py", "soak", "--transitions",
                                   str(s.soak_transitions), "--soak-warmup", str(s.soak_warmup),
                                   timeout=900)
            if result is None:
                continue
            self.add("rss_growth_mb_per_1000_transitions",
                     result["rss_growth_mb_per_1000_transitions"])
            self.keep_extras(result, {"rss_growth_mb_per_1000_transitions"})

    def idle(self) -> None:
        s = self.settings
        self.say(f"idle: CPU over {s.idle_s:.0f} s of slideshow (+{s.attract_s:.0f} s attract "
                 f"loop), {s.reps} runs")
        for _ in range(s.reps):
            result, _ = self.probe("probe_gui.py", "idle", "--duration", str(s.idle_s),
                                   "--attract-duration", str(s.attract_s),
                                   "--idle-warmup", str(s.idle_warmup_s), timeout=600)
            if result is None:
                continue
            self.add("idle_cpu_percent", result.get("idle_cpu_percent"))
            self.keep_extras(result, {"idle_cpu_percent"})

    def run(self, groups: list[str]) -> None:
        steps = {
            "startup": self.startup,
            "imports": self.imports,
            "load": self.load,
            "tour": self.tour,
            "frames": lambda: self.frames((1920, 1080), ""),
            "frames4k": lambda: self.frames((3840, 2160), "_4k"),
            "lang": self.lang,
            "soak": self.soak,
            "idle": self.idle,
        }
        for group in groups:
            t0 = time.perf_counter()
            load_before = os.getloadavg()[0]
            steps[group]()
            self.extra("group_seconds", {group: round(time.perf_counter() - t0, 1)})
            self.extra("loadavg_1min_before", {group: load_before})


# --- report ------------------------------------------------------------------------------------


def budget_text(key: str) -> str:
    unit, budget, op = KEYS.get(key, ("", None, ""))
    return f"{op} {budget:g} {unit}" if budget is not None else ""


def verdict(key: str, value: float) -> str:
    if key == LINEAR_KEY:
        return "pass" if value <= LINEAR_LIMIT else "FAIL"
    _unit, budget, op = KEYS.get(key, ("", None, ""))
    if budget is None or not math.isfinite(value):
        return ""
    ok = value <= budget if op == "<=" else value < budget
    return "pass" if ok else "FAIL"


def summarise(bench: Bench) -> tuple[dict[str, float], list[tuple]]:
    medians: dict[str, float] = {}
    rows = []
    for key in KEYS:
        values = bench.values.get(key, [])
        if not values:
            rows.append((key, None, None, None, 0, budget_text(key), "missing"))
            continue
        med = median(values)
        medians[key] = med
        rows.append((key, min(values), med, max(values), len(values), budget_text(key),
                     verdict(key, med)))
    # linear growth: (t100 / t10) / (bytes100 / bytes10)
    b10 = bench.extras.get("load_ms_x10_bytes")
    b100 = bench.extras.get("load_ms_x100_bytes")
    if "load_ms_x10" in medians and "load_ms_x100" in medians and b10 and b100:
        ratio = (medians["load_ms_x100"] / medians["load_ms_x10"]) / (b100[0] / b10[0])
        medians[LINEAR_KEY] = ratio
        bench.values[LINEAR_KEY] = [ratio]
        rows.append((LINEAR_KEY, None, ratio, None, 1, f"<= {LINEAR_LIMIT:g} (1 = linear)",
                     verdict(LINEAR_KEY, ratio)))
    return medians, rows


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:  # two decimals: a frame p95 of 16.98 ms is not "17.0" against < 17
        return f"{value:.2f}"
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"


def table(rows: list[tuple]) -> str:
    head = ("figure", "min", "median", "max", "n", "budget", "result")
    lines = [head] + [(r[0], fmt(r[1]), fmt(r[2]), fmt(r[3]), str(r[4]), r[5], r[6]) for r in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        cells = [str(c).ljust(w) if i in (0, 5, 6) else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--smoke", action="store_true", help="one short repetition; budgets not meant")
    p.add_argument("--reps", type=int, help="repetitions per figure (default 5; smoke 1)")
    p.add_argument("--only", help=f"comma-separated groups: {','.join(GROUPS)}")
    p.add_argument("--out", type=Path, help="results file (default bench/results.json, "
                   "smoke: bench/results-smoke.json)")
    p.add_argument("--idle-seconds", type=float, help="slideshow seconds for idle CPU")
    p.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    p.add_argument("--python", default=sys.executable, help="the kiosk's Python (default: this)")
    p.add_argument("--merge", action="store_true",
                   help="keep the figures of --out that this run does not measure (with --only)")
    args = p.parse_args(argv)

    settings = SMOKE if args.smoke else FULL
    if args.reps:
        settings.reps = args.reps
    if args.idle_seconds:
        settings.idle_s = args.idle_seconds
    groups = [g.strip() for g in args.only.split(",")] if args.only else list(GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        p.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    out = args.out or BENCH_DIR / ("results-smoke.json" if args.smoke else "results.json")
    details_path = out.with_name(out.stem + "-details.json")

    load1 = os.getloadavg()[0]
    print(f"bench: {'smoke' if args.smoke else 'full'} run, {settings.reps} repetition(s), "
          f"{os.cpu_count()} CPUs, load average {load1:.2f}", flush=True)
    if load1 > 1.0:
        print("bench: warning: the machine is busy (load average > 1); timings will be "
              "inflated", flush=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        bench = Bench(settings, args.python, True, Path(tmp))
        bench.run(groups)
    medians, rows = summarise(bench)
    elapsed = time.perf_counter() - t0

    print()
    if args.only:  # figures of groups not run are not "missing"
        rows = [r for r in rows if r[6] != "missing"]
    print(table(rows))
    if args.smoke:
        print("\n(smoke run: one short repetition; the budgets are indicative only)")
    for note in bench.notes:
        print(f"note: {note}")
    for error in bench.errors:
        print(f"error: {error}")

    previous: dict = {}
    previous_details: dict = {}
    if args.merge and out.exists():
        previous = json.loads(out.read_text(encoding="utf-8"))
        if details_path.exists():
            previous_details = json.loads(details_path.read_text(encoding="utf-8"))
    measured = {k for k, v in bench.values.items() if v}
    merged = {k: v for k, v in previous.items() if k not in measured}
    merged.update(medians)
    out.write_text(json.dumps({k: merged[k] for k in [*KEYS, LINEAR_KEY] if k in merged}, indent=2)
                   + "\n", encoding="utf-8")
    details = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "mode": "smoke" if args.smoke else "full",
        "settings": settings.__dict__,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(), "loadavg_start": load1,
                    "loadavg_end": os.getloadavg()[0]},
        "seconds": round(elapsed, 1),
        "figures": {key: {"values": bench.values.get(key, []), "budget": budget_text(key),
                          "result": verdict(key, medians[key]) if key in medians else "missing"}
                    for key in [*KEYS, LINEAR_KEY] if key in medians or key in KEYS},
        "extras": bench.extras,
        "notes": bench.notes,
        "errors": bench.errors,
    }
    if previous_details:  # --merge: the figures and extras of the groups not run this time
        for key, value in previous_details.get("figures", {}).items():
            if key not in measured:
                details["figures"][key] = value
        for key, value in previous_details.get("extras", {}).items():
            details["extras"].setdefault(key, value)
        details["merged_from"] = previous_details.get("when")
        print(f"(--merge: {len(merged) - len(medians)} other figures kept from the results of "
              f"{previous_details.get('when')})")
    details_path.write_text(json.dumps(details, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} and "
          f"{details_path.name} in {elapsed:.0f} s")
    failed = [r[0] for r in rows if r[6] in ("FAIL", "missing")]
    if args.strict and failed:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
