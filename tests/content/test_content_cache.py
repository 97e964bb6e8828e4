"""The validated-content cache: a hit skips parsing, and anything that could make it stale misses."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import pytest

from kiosk.content import cache, check, loader

# A warning (an ended partnership without its year), so that cached issues are not just []
WARN = ("content.yaml", "    kind: sister\n", "    kind: sister\n    status: ended\n")


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the content was parsed instead of read from the cache")

    monkeypatch.setattr(loader, "compose", refuse)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "state" / "content-cache"


@pytest.fixture
def cached(edit: Callable[..., Path], cache_dir: Path) -> Path:
    """Content with a warning, checked once with the cache: its entry is stored."""
    main = edit(WARN)
    content, issues = check(main, cache_dir)
    assert content is not None
    assert [i.severity for i in issues] == ["warning"]
    assert cache.last_store == "stored"
    return main


def test_a_hit_returns_equal_content_and_issues_without_parsing(
    cached: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = check(cached)  # no cache: parsed
    _no_parsing(monkeypatch)
    content, issues = check(cached, cache_dir)
    assert cache.last_lookup == "hit"
    assert (content, issues) == expected
    assert content is not None
    assert issues[0].format() == expected[1][0].format()
    assert content.files == expected[0].files
    assert content.root == expected[0].root
    # the read-only mappings stay read-only
    assert isinstance(content.ui, MappingProxyType)
    assert isinstance(content.meta.title.texts, MappingProxyType)
    assert content.meta.title.origin == expected[0].meta.title.origin


@pytest.mark.parametrize("name", ["content.yaml", "more.yaml"])
def test_editing_any_file_misses(
    cached: Path, cache_dir: Path, content_dir: Path, name: str
) -> None:
    path = content_dir / name
    path.write_bytes(path.read_bytes() + b"# edited\n")
    content, _ = check(cached, cache_dir)
    assert content is not None
    assert cache.last_lookup == f"miss: {path} changed"
    # the entry was renewed for the edited files
    assert check(cached, cache_dir)[0] == content
    assert cache.last_lookup == "hit"


def test_an_edited_value_is_seen(
    cached: Path, cache_dir: Path, content_dir: Path
) -> None:
    more = content_dir / "more.yaml"
    more.write_text(more.read_text(encoding="utf-8").replace("Home", "Start"), encoding="utf-8")
    content, _ = check(cached, cache_dir)
    assert content is not None
    assert content.ui["nav_home"].get("en") == "Start"


def test_an_include_that_now_resolves_elsewhere_misses(
    cached: Path, cache_dir: Path, content_dir: Path
) -> None:
    # same bytes in every file, but more.yaml is now a link to another file
    other = content_dir / "other.yaml"
    more = content_dir / "more.yaml"
    other.write_text(more.read_text(encoding="utf-8").replace("Home", "Start"), encoding="utf-8")
    more.unlink()
    more.symlink_to(other)
    content, _ = check(cached, cache_dir)
    assert cache.last_lookup.startswith("miss")
    assert content is not None
    assert content.ui["nav_home"].get("en") == "Start"


def test_a_missing_image_misses_and_is_reported(
    cached: Path, cache_dir: Path, content_dir: Path
) -> None:
    (content_dir / "images" / "sendai.png").unlink()
    content, issues = check(cached, cache_dir)
    assert cache.last_lookup == "miss: images/sendai.png is gone"
    assert content is None
    assert any("images/sendai.png" in i.message for i in issues)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated in the payload
        lambda data: data[:10],  # truncated in the header
        lambda data: b"",
        lambda data: b"\x80\x05garbage" * 50,
        lambda data: data[:-200] + bytes(b ^ 0xFF for b in data[-200:]),  # corrupt payload
        lambda data: data.replace(b'"fingerprint"', b'"fingerprinT"', 1),  # corrupt header
    ],
    ids=["half", "header", "empty", "garbage", "payload", "json"],
)
def test_a_damaged_cache_file_is_ignored(
    cached: Path, cache_dir: Path, damage: Callable[[bytes], bytes]
) -> None:
    (entry,) = cache_dir.glob("content-*.pickle")
    expected = check(cached)
    entry.write_bytes(damage(entry.read_bytes()))
    assert check(cached, cache_dir) == expected
    assert cache.last_lookup.startswith("miss")
    # and it is written again
    assert check(cached, cache_dir) == expected
    assert cache.last_lookup == "hit"


def test_invalid_content_is_not_cached(edit: Callable[..., Path], cache_dir: Path) -> None:
    main = edit(("content.yaml", "lat: 38.268", "lat: north"))
    content, issues = check(main, cache_dir)
    assert content is None
    assert issues
    assert not cache_dir.exists() or not list(cache_dir.iterdir())
    assert cache.last_lookup.startswith("miss")


def test_content_made_invalid_after_caching_is_reported(
    cached: Path, cache_dir: Path, content_dir: Path
) -> None:
    main = content_dir / "content.yaml"
    main.write_bytes(main.read_bytes().replace(b"lat: 38.268", b"lat: north"))
    content, issues = check(cached, cache_dir)
    assert content is None
    assert any(i.severity == "error" and "north" in i.message for i in issues)


def test_another_code_fingerprint_misses(
    cached: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.code_fingerprint()
    monkeypatch.setattr(cache, "_code_hash", "0" * 64)  # as if kiosk/content/*.py had changed
    content, _ = check(cached, cache_dir)
    assert content is not None
    assert cache.last_lookup == "miss: the validator or its libraries changed"


def test_the_fingerprint_covers_the_validator_source() -> None:
    names = {p.name for p in Path(cache.__file__).parent.glob("*.py")}
    assert {"convert.py", "loader.py", "yamlsource.py", "model.py", "countries.py"} <= names
    assert cache.code_fingerprint().startswith(cache._code_hash or "?")


def test_another_working_folder_misses(
    cached: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # issues and origins name files relative to the working folder
    monkeypatch.chdir(tmp_path)
    content, issues = check(cached, cache_dir)
    assert cache.last_lookup == "miss: another content file or working folder"
    assert content is not None
    assert str(issues[0].position).startswith("content/content.yaml:")


def test_the_cache_folder_is_private(cached: Path, cache_dir: Path) -> None:
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    (entry,) = cache_dir.glob("content-*.pickle")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert not list(cache_dir.glob("*.tmp"))  # written through a temporary file, then renamed


def test_a_cache_others_can_write_to_is_not_read(
    cached: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir.chmod(0o777)
    content, _ = check(cached, cache_dir)
    assert content is not None
    assert cache.last_lookup == "miss: the cache folder or file may be written by other users"
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700  # made private again when storing
    (entry,) = cache_dir.glob("content-*.pickle")
    entry.chmod(0o666)
    check(cached, cache_dir)
    assert cache.last_lookup.startswith("miss: the cache folder or file")


def test_an_unwritable_cache_folder_does_not_break_loading(
    edit: Callable[..., Path], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    content, _ = check(edit(), blocker / "cache")
    assert content is not None
    assert cache.last_store.startswith("not stored")


def test_without_a_cache_folder_nothing_is_written(
    edit: Callable[..., Path], tmp_path: Path
) -> None:
    before = sorted(tmp_path.rglob("*"))
    assert check(edit())[0] is not None
    assert sorted(tmp_path.rglob("*")) == before


def test_kiosk_run_keeps_its_cache_in_the_state_folder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from kiosk.paths import PROJECT_ROOT

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path)}
    # --lang xx: refused right after the content is loaded, before any window is made
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "run", "--lang", "xx"],
            env=env, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT,
        )
        assert result.returncode == 2, result.stderr
    cache_dir = tmp_path / "changchun-showcase" / "content-cache"
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert len(list(cache_dir.glob("content-*.pickle"))) == 1


def test_hot_reload_uses_the_cache(
    qapp: object, cached: Path, cache_dir: Path, content_dir: Path
) -> None:
    from kiosk.shell.reload import ContentWatcher  # Qt: only this test

    watcher = ContentWatcher(check(cached)[0], cached, cache_dir=cache_dir)
    more = content_dir / "more.yaml"
    more.write_text(more.read_text(encoding="utf-8").replace("Home", "Start"), encoding="utf-8")
    assert watcher.reload()
    assert cache.last_lookup == f"miss: {more} changed"
    assert cache.last_store == "stored"
    assert watcher.content.ui["nav_home"].get("en") == "Start"
    assert watcher.force_reload()  # the staff menu's reload: nothing changed, read from the cache
    assert cache.last_lookup == "hit"
    assert watcher.content.ui["nav_home"].get("en") == "Start"
