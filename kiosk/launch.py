"""``kiosk run``: start the Qt application on the content, full screen or in a window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)
# Hot reload and statistics start this long after the window is shown (see run()).
ARM_AFTER_MS = 500

CONTENT_CACHE_DIR = "content-cache"  # in the state folder, next to the statistics

HEADLESS_HELP = """\
kiosk: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).
The kiosk needs a screen. On a machine without one you can still:
  kiosk validate            check the content (FILE:LINE:COL errors)
  kiosk coverage            translation coverage per language
  QT_QPA_PLATFORM=offscreen kiosk run --windowed    run without showing anything (smoke test)
  xvfb-run -a kiosk run --windowed 1920x1080        run on a virtual screen
"""


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def install_excepthook(window: object) -> None:
    """An unexpected exception is logged with its traceback and the kiosk goes home; a visitor
    never sees an error dialog and the kiosk never dies of it."""

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error; returning home", exc_info=(exc_type, exc, tb))
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.recover)  # type: ignore[attr-defined]

    sys.excepthook = hook


def run(args: argparse.Namespace) -> int:
    from kiosk.log import setup_logging

    if not has_display():
        print(HEADLESS_HELP, file=sys.stderr, end="")
        return 2
    log_path = setup_logging()
    from kiosk.content import check
    from kiosk.paths import state_dir

    # Unchanged content is read back from the validated-content cache instead of parsed again
    # (kiosk.content.cache); only this user can write there.
    cache_dir = state_dir() / CONTENT_CACHE_DIR
    content, issues = check(args.content, cache_dir)
    for issue in issues:
        log.warning("%s", issue.format())
    if content is None:
        print("kiosk: the content has errors; fix them and start again:", file=sys.stderr)
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        return 1
    if args.lang and args.lang not in content.meta.codes:
        print(f"kiosk: --lang {args.lang!r} is not offered; choose one of "
              f"{', '.join(content.meta.codes)}", file=sys.stderr)
        return 2

    from kiosk.ui.raster import paint_on_gui_thread

    paint_on_gui_thread()
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Changchun Showcase")
    from kiosk.shell.window import KioskWindow

    screens = app.screens()
    screen = screens[args.screen] if args.screen is not None and args.screen < len(screens) else (
        app.primaryScreen())
    windowed = args.windowed
    size = QSize(*windowed) if windowed else screen.geometry().size()
    window = KioskWindow(
        content, language=args.lang, second_language=args.second_lang, size=size,
        locked=not windowed,
    )
    window.setWindowTitle("Changchun Showcase")
    install_excepthook(window)
    # Hot reload and statistics are armed just after the first frames: nobody can edit or
    # tap within them, and the file watcher's first use costs PySide6 a one-time enum set-up
    # (about 100 ms on a 2-core box) that would otherwise delay the first frame.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(
        ARM_AFTER_MS,
        lambda: _arm_watcher_and_stats(window, content, args.content, cache_dir),
    )
    if args.slideshow:
        playlist = args.playlist or content.settings.attract_playlist or (
            content.playlists[0].id if content.playlists else None)
        if playlist is None or content.playlist(playlist) is None:
            print(f"kiosk: no playlist {playlist!r}; the content has: "
                  f"{', '.join(p.id for p in content.playlists)}", file=sys.stderr)
            return 2
        window.start_slideshow(playlist)
    if windowed:
        window.resize(size)
        window.show()
    else:
        # Frameless, on top, covering the chosen monitor; without a window manager
        # showFullScreen() alone leaves a small window in the corner, so set the geometry too.
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        window.setGeometry(screen.geometry())
        window.showFullScreen()
    log.info("kiosk started (%s, log: %s)", "windowed" if windowed else "full screen", log_path)
    if args.exit_after:
        _smoke_exit(app, window, args.exit_after, args.screenshot)
    return app.exec()


def _arm_watcher_and_stats(
    window, content, content_arg: str | None, cache_dir: Path | None = None
) -> None:
    from kiosk.content.loader import resolve_content_path
    from kiosk.shell.reload import ContentWatcher

    watcher = ContentWatcher(content, resolve_content_path(content_arg), window, cache_dir)
    watcher.content_loaded.connect(window.set_content)
    watcher.content_rejected.connect(window.set_content_issues)
    watcher.content_loaded.connect(lambda _c: window.set_content_issues([]))
    window.watcher = watcher
    if content.settings.statistics:
        from kiosk.paths import state_dir
        from kiosk.stats import Stats

        try:
            window.stats = Stats(state_dir() / "statistics.sqlite")
        except Exception:  # statistics are optional; the kiosk runs without them
            log.exception("statistics are off: cannot open their file")


def _smoke_exit(app, window, seconds: float, screenshot: str | None) -> None:
    """For smoke tests and CI: grab the whole screen, then leave after ``seconds``."""
    from PySide6.QtCore import QTimer

    def finish() -> None:
        if screenshot:
            screen = window.screen() if hasattr(window, "windowHandle") else app.primaryScreen()
            pixmap = (window.windowHandle().screen() if window.windowHandle() else screen).grabWindow(0)
            pixmap.save(screenshot)
        window._exit_allowed = True
        app.quit()

    QTimer.singleShot(round(seconds * 1000), finish)
