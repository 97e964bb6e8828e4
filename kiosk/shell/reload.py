"""Hot reload: watch the content files; new valid content replaces the old, bad edits change
nothing on screen."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.content import Content, Issue, check

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
RETRY_MS = 300
RETRIES = 3


def _snapshot(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(f), -1, -1))
    return tuple(out)


class ContentWatcher(QObject):
    """Reloads content when one of its files changes.

    Editors that save by writing a temporary file and renaming it replace the watched file, so
    the folders are watched too and the file list is renewed after every reload. A file that is
    still being written (it changes between two reads, or does not parse yet) is read again a
    few times before its errors are reported.

    Signals:
        content_loaded(object): a new valid ``Content``.
        content_rejected(object): the list of ``Issue`` of an edit that does not validate; the
            last good content stays.
    """

    content_loaded = Signal(object)
    content_rejected = Signal(object)

    def __init__(self, content: Content, main_file: str | os.PathLike[str],
                 parent: QObject | None = None, cache_dir: Path | None = None):
        super().__init__(parent)
        self.main_file = Path(main_file)
        self.cache_dir = cache_dir  # the validated-content cache (kiosk.content.cache), if any
        self.content = content
        self.last_issues: list[Issue] = []
        self._snapshot = _snapshot(self._files())
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._changed)
        self._watcher.directoryChanged.connect(self._changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self._tries = 0
        self._watch()

    def _files(self) -> list[Path]:
        files = [Path(f) for f in self.content.files] or [self.main_file]
        if self.main_file.absolute() not in [f.absolute() for f in files]:
            files.insert(0, self.main_file)
        return files

    def _watch(self) -> None:
        files = [str(f) for f in self._files() if f.exists()]
        dirs = sorted({str(Path(f).parent) for f in files})
        old = self._watcher.files() + self._watcher.directories()
        if old:
            self._watcher.removePaths(old)
        if files or dirs:
            self._watcher.addPaths(files + dirs)

    def _changed(self, _path: str = "") -> None:
        self._tries = 0
        self._debounce.start()

    def reload(self) -> bool:
        """Read the content again now; return True when new content was taken."""
        files = self._files()
        before = _snapshot(files)
        if before == self._snapshot and self._tries == 0:
            self._watch()
            return False  # e.g. a directory event for an unrelated file
        content, issues = check(self.main_file, self.cache_dir)
        after = _snapshot(files)
        if after != before or (content is None and self._tries < RETRIES):
            # still being written, or half-written: look again shortly, act on nothing yet
            self._tries += 1
            if self._tries <= RETRIES:
                QTimer.singleShot(RETRY_MS, self._retry)
                return False
        self._tries = 0
        self._snapshot = after
        self._watch()
        if content is None:
            self.last_issues = [i for i in issues if i.severity == "error"]
            for issue in self.last_issues:
                log.error("content rejected: %s", issue.format())
            self.content_rejected.emit(self.last_issues)
            return False
        self.last_issues = []
        self.content = content
        log.info("content reloaded from %s", self.main_file)
        self.content_loaded.emit(content)
        return True

    def force_reload(self) -> bool:
        """Read the content again even if no file seems changed (staff menu)."""
        self._snapshot = ()
        return self.reload()

    def _retry(self) -> None:
        self.reload()
