"""Every broken-content case of the foundation's table, fed to a running kiosk by hot reload,
leaves the last good content on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from tests.content.conftest import MINIMAL, apply_edits
from tests.content.test_content_invalid import CASES


@pytest.fixture(scope="module")
def running(qapp, tmp_path_factory):
    from kiosk.content import load
    from kiosk.shell.reload import ContentWatcher
    from kiosk.shell.window import KioskWindow

    root = tmp_path_factory.mktemp("reload") / "content"
    shutil.copytree(MINIMAL, root)
    content = load(root / "content.yaml")
    win = KioskWindow(content, size=QSize(1280, 720))
    win.show()
    win.start_visit()
    watcher = ContentWatcher(content, root / "content.yaml")
    watcher.content_loaded.connect(win.set_content)
    watcher.content_rejected.connect(win.set_content_issues)
    yield root, win, watcher
    win.close()


def _restore(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and not (MINIMAL / path.relative_to(root)).exists():
            path.unlink()
    for path in MINIMAL.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(MINIMAL)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.mark.parametrize(("edits", "where", "says", "errors"), CASES)
def test_bad_edit_keeps_last_good_content(running, edits, where, says, errors):
    root, win, watcher = running
    _restore(root)
    good = win.content
    title = win.title_bar.title.text()
    apply_edits(root, edits)
    watcher._snapshot = ()  # read now, without waiting for the file watcher
    watcher._tries = 3  # the edit is complete: no retries for half-written files
    assert watcher.reload() is False
    assert win.content is good
    assert win.title_bar.title.text() == title
    assert win.content_issues, "the staff menu lists the errors"
    assert any(where.split(":")[0] in i.position.file for i in win.content_issues)
