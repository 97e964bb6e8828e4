"""Start-up probe: runs ``kiosk run`` exactly as the command line does, and reports the moment the
attract loop's first frame has been painted.

Nothing is imported ahead of ``kiosk run``: a post-import hook wraps a few functions as their
modules finish loading (content check, window construction, the attract view's paintEvent), so
the import order and cost are the product's own. At the end of the first ``AttractView.paintEvent``
the probe prints its timestamps (``time.monotonic()``, the same clock as the driver's, which
started its timer just before spawning this process) and leaves with ``os._exit``.

    python bench/probe_startup.py [--modules-out FILE] [-- kiosk run arguments]
"""

from __future__ import annotations

import time

T_MAIN = time.monotonic()  # the interpreter is up; nothing of ours is imported yet

import importlib.abc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

PROFILE_OUT = os.environ.get("BENCH_PROFILE")  # prof_hotspots.py: profile instead of timing
PROFILER = None
if PROFILE_OUT:
    from pyinstrument import Profiler

    PROFILER = Profiler(interval=0.0005)
    PROFILER.start()

MODULES_AT_START = set(sys.modules)
marks: dict[str, float] = {"main": T_MAIN}
HOOKS: dict[str, object] = {}


class PostImportHook(importlib.abc.MetaPathFinder):
    """Calls HOOKS[name](module) right after the module ``name`` has executed."""

    def find_spec(self, name, path, target=None):
        if name not in HOOKS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = loader.exec_module
        hook = HOOKS[name]

        def exec_and_hook(module):
            exec_module(module)
            hook(module)  # type: ignore[operator]

        loader.exec_module = exec_and_hook  # type: ignore[method-assign]
        return spec


def _timed(module, attr: str, name: str) -> None:
    func = getattr(module, attr)

    def wrapper(*args, **kwargs):
        marks.setdefault(f"{name}_start", time.monotonic())
        try:
            return func(*args, **kwargs)
        finally:
            marks.setdefault(f"{name}_end", time.monotonic())

    setattr(module, attr, wrapper)


def _hook_content(module) -> None:
    _timed(module, "check", "check")


def _hook_window(module) -> None:
    cls = module.KioskWindow
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        marks.setdefault("window_start", time.monotonic())
        init(self, *args, **kwargs)
        marks.setdefault("window_end", time.monotonic())

    cls.__init__ = __init__
    show = cls.show
    show_full = cls.showFullScreen

    def _show(self):
        marks.setdefault("show", time.monotonic())
        return show(self)

    def _show_full(self):
        marks.setdefault("show", time.monotonic())
        return show_full(self)

    cls.show = _show
    cls.showFullScreen = _show_full


def _hook_attract(module) -> None:
    cls = module.AttractView
    paint = cls.paintEvent

    def paintEvent(self, event):
        first = "first_paint_start" not in marks
        if first:
            marks["first_paint_start"] = time.monotonic()
        paint(self, event)
        if first:
            marks["first_paint"] = time.monotonic()
            _report()

    cls.paintEvent = paintEvent


def _hook_qtwidgets(module) -> None:
    marks.setdefault("qtwidgets_imported", time.monotonic())


def _report() -> None:
    if PROFILER is not None:
        PROFILER.stop()
        with open(PROFILE_OUT, "w", encoding="utf-8") as f:
            f.write(PROFILER.output_text(unicode=False, color=False, show_all=False))
        os._exit(0)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_util import emit, rss_mb

    with open("/proc/self/stat", encoding="ascii") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as f:
        uptime = float(f.read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    since_exec = uptime - start_ticks / ticks  # 10 ms resolution
    new = [m for m in sys.modules if m not in MODULES_AT_START and not m.startswith("bench_")]
    if MODULES_OUT:
        with open(MODULES_OUT, "w", encoding="utf-8") as f:
            f.write("\n".join(new) + "\n")
    emit({"marks": marks, "proc_age_at_report_s": since_exec, "report_at": time.monotonic(),
          "rss_mb_first_frame": rss_mb(), "modules_imported": len(new)})
    os._exit(0)


HOOKS.update({
    "kiosk.content": _hook_content,
    "kiosk.shell.window": _hook_window,
    "kiosk.shell.attract": _hook_attract,
    "PySide6.QtWidgets": _hook_qtwidgets,
})
MODULES_OUT = None


def main() -> int:
    global MODULES_OUT
    argv = sys.argv[1:]
    if argv[:1] == ["--modules-out"]:
        MODULES_OUT = argv[1]
        argv = argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    sys.meta_path.insert(0, PostImportHook())
    sys.argv = ["kiosk", *argv]
    from kiosk.cli import main as kiosk_main

    code = kiosk_main(argv or ["run"])
    print(f"bench: kiosk run returned {code} before its first frame", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
