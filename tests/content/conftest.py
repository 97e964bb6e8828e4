"""Fixtures for the content library's tests: copies of the small content in tests/data/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
MINIMAL = DATA / "minimal"
FALLBACK = DATA / "fallback"
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "content.yaml"


@pytest.fixture(scope="session")
def minimal_dir() -> Path:
    """tests/data/minimal: valid content in two files, en + zh (read only: copy to edit)."""
    return MINIMAL


@pytest.fixture(scope="session")
def fallback_dir() -> Path:
    """tests/data/fallback: en, zh -> en, zh-Hant -> zh, yue -> zh-Hant, with gaps."""
    return FALLBACK


@pytest.fixture(scope="session")
def shipped_path() -> Path:
    """The content shipped in data/."""
    return SHIPPED


@pytest.fixture
def content_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal content, and the working folder: issues name files relative to it."""
    target = tmp_path / "content"
    shutil.copytree(MINIMAL, target)
    monkeypatch.chdir(target)
    return target


Edit = tuple[str, "str | bytes | None", "str | bytes"]


def apply_edits(root: Path, edits: tuple[Edit, ...]) -> None:
    """Apply (file, old, new) edits: replace the one occurrence of old, or write a new file."""
    for name, old, new in edits:
        path = root / name
        if old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
            continue
        data = path.read_bytes()
        old_b = old if isinstance(old, bytes) else old.encode("utf-8")
        new_b = new if isinstance(new, bytes) else new.encode("utf-8")
        assert data.count(old_b) == 1, f"{name}: {old!r} must occur exactly once in the fixture"
        path.write_bytes(data.replace(old_b, new_b))


@pytest.fixture
def edit(content_dir: Path) -> Callable[..., Path]:
    """edit(("content.yaml", old, new), ...) on the copy; returns its content.yaml."""

    def _edit(*edits: Edit) -> Path:
        apply_edits(content_dir, edits)
        return content_dir / "content.yaml"

    return _edit
