"""Where the time goes: pyinstrument profiles of start-up, content load and a language switch.

    .venv/bin/pip install pyinstrument       # for profiling only; not a project dependency
    python bench/prof_hotspots.py [startup|load|lang|all] [--out bench/profiles]

Writes one text profile per case (bench/profiles/<case>.txt) and prints its top. Run it on a
quiet machine: sampling profiles of a busy machine are noisy too. The bench itself does not
need pyinstrument.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import BENCH_DIR, ROOT

QT_ENV = {"QT_QPA_PLATFORM": f"offscreen:configfile={ROOT / 'tests' / 'offscreen.json'}"}


def _profiler():
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("prof_hotspots: pip install pyinstrument into the venv first") from None
    return Profiler(interval=0.0005)


def _write(profiler, out: Path, name: str) -> None:
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    path = out / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    print(f"--- {name}: {path.relative_to(ROOT)}")
    print("\n".join(text.splitlines()[:60]))


def startup(out: Path) -> None:
    """``kiosk run`` to the first frame, profiled from the driver's first line."""
    env = dict(os.environ, BENCH_PROFILE=str(out / "startup.txt"),
               QT_QPA_PLATFORM=f"offscreen:configfile={BENCH_DIR / 'offscreen-1080.json'}")
    subprocess.run([sys.executable, str(BENCH_DIR / "probe_startup.py"), "--", "run"], env=env,
                   cwd=ROOT, check=True, capture_output=True)
    text = (out / "startup.txt").read_text(encoding="utf-8")
    print(f"--- startup: {(out / 'startup.txt').relative_to(ROOT)}")
    print("\n".join(text.splitlines()[:60]))


def load(out: Path, path: str | None, name: str) -> None:
    """The first ``check()`` in a process (imports done before), as start-up pays it."""
    import kiosk.content
    from kiosk.content import yamlsource

    yamlsource.MAX_FILE_BYTES = 200_000_000
    p = _profiler()
    p.start()
    kiosk.content.check(path)
    p.stop()
    _write(p, out, name)


def lang(out: Path) -> None:
    """Six language switches on the economy screen, each with its redrawn frame."""
    import bench_gui as g

    from kiosk.content import load as load_content

    g.app()
    content = load_content()
    win = g.build_window(content)
    g.tour(win, [content.meta.default_language], every_chart=False)
    win.show_screen("economy")
    g.settle(win, after_s=0.3)
    codes = list(content.meta.codes)
    p = _profiler()
    p.start()
    for code in codes[1:] + codes[:1]:
        n = len(win.frames)
        win.set_language(code)
        g.wait_until(lambda n=n: len(win.frames) > n, 3.0)
    p.stop()
    _write(p, out, "language_switch")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("case", nargs="?", default="all", choices=("startup", "load", "lang", "all"))
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "profiles")
    ap.add_argument("--x10", help="also profile this (generated) content folder")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cases = ["startup", "load", "lang"] if args.case == "all" else [args.case]
    for case in cases:
        t0 = time.perf_counter()
        if case == "startup":
            startup(args.out)
        elif case == "load":
            # in a fresh process each, so the first load is measured cold
            for name, path in (("load_shipped", None), ("load_x10", args.x10)):
                if name == "load_x10" and not path:
                    continue
                cmd = [sys.executable, __file__, "_load", name, *([path] if path else []),
                       "--out", str(args.out)]
                subprocess.run(cmd, cwd=ROOT, check=True)
        elif case == "lang":
            env = dict(os.environ, **QT_ENV)
            subprocess.run([sys.executable, __file__, "_lang", "--out", str(args.out)], env=env,
                           cwd=ROOT, check=True)
        print(f"({case}: {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_load"]:
        name = sys.argv[2]
        rest = sys.argv[3:]
        target = rest[0] if rest and not rest[0].startswith("--") else None
        load(Path(rest[-1]), target, name)
        os._exit(0)
    if sys.argv[1:2] == ["_lang"]:
        lang(Path(sys.argv[-1]))
        os._exit(0)
    raise SystemExit(main())
