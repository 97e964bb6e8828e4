"""`kiosk validate` and friends: compiler-style output, exit codes, and no Qt."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import cli

C = "content.yaml"
M = "more.yaml"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_valid_content_gives_one_line(content_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "content.yaml"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "content.yaml: OK: 1 cities, 1 events, 1 series, 1 charts, 0 routes, 1 playlists; "
        "languages: en, zh; 2 files"
    ]
    assert err == ""


def test_a_folder_means_its_content_yaml(content_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "."]) == 0
    assert capsys.readouterr().out.startswith("content.yaml: OK: 1 cities")


def test_warnings_do_not_fail(edit: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    edit((C, "    kind: sister\n", "    kind: sister\n    status: ended\n"))
    assert cli.main(["validate", "."]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (
        "content.yaml:24:13: warning: cities[0].status: status is 'ended' but no 'ended' year is given"
    )
    assert out.splitlines()[1].startswith("content.yaml: OK: ")
    assert err == ""


def test_every_problem_is_listed_in_file_order(
    edit: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        (M, "city: sendai", "city: osaka"),
        (C, "lat: 38.268", "lat: north"),
        (C, "country: JP", "country: NO"),
        (M, "  nav_back:", "  nav_home:"),
    )
    assert cli.main(["validate", "."]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "content.yaml:17:14: error: cities[0].country: expected an ISO 3166-1 alpha-2 country "
        "code, found 'NO', which YAML 1.1 reads as a yes/no value (quote it: \"NO\")",
        "content.yaml:19:10: error: cities[0].lat: expected a number, found text 'north'",
        "more.yaml:4:3: error: duplicate key 'nav_home' (first defined at line 3) "
        "(YAML keeps only the last one; remove or rename one of them)",
        "3 error(s); content not loaded",
    ]


def test_cross_references_are_checked_with_other_errors(
    edit: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # the broken city is left out, and the step after it still names the right line
    edit(
        (C, "  - id: sendai\n", "  - id: osaka\n    lat: 1\n  - id: sendai\n"),
        (C, 'established_date: "1980-10-27"', 'established_date: "1981-10-27"'),
        (M, "city: sendai", "city: sendia"),
    )
    assert cli.main(["validate", "."]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == [
        "content.yaml:15:5: error: cities[0].name: missing required key 'name'",
        "content.yaml:15:5: error: cities[0].country: missing required key 'country'",
        "content.yaml:15:5: error: cities[0].region: missing required key 'region'",
    ]
    assert (
        "content.yaml:24:23: error: cities[1].established_date: established_date 1981-10-27 "
        "does not match established 1980" in lines
    )
    assert (
        "more.yaml:12:29: error: playlists[0].steps[2].city: unknown city 'sendia' "
        "(did you mean 'sendai'?)" in lines
    )


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{tmp_path / 'content.yaml'}:1:1: error: file not found",
        "1 error(s); content not loaded",
    ]


def test_validate_imports_no_qt_and_answers_fast(minimal_dir: Path, tmp_path: Path) -> None:
    code = (
        "import sys, time\n"
        "started = time.perf_counter()\n"
        "import kiosk.cli\n"
        f"rc = kiosk.cli.main(['validate', {str(minimal_dir)!r}])\n"
        "print(round(time.perf_counter() - started, 3))\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))\n"
        "sys.exit(rc)\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    summary, elapsed, qt = result.stdout.splitlines()
    assert ": OK: 1 cities" in summary
    assert qt == "[]"
    assert float(elapsed) < 0.5


def test_python_m_kiosk_validate(edit: Callable[..., Path], content_dir: Path) -> None:
    started = time.perf_counter()
    ok = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate", "."],
        cwd=content_dir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.perf_counter() - started < 1.0
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("content.yaml: OK:")

    edit(
        (C, "lat: 38.268", "lat: north"),
        (C, "  - more.yaml", "  - more.yaml\n  - extra.yaml"),
        (M, "name: {en: Attract loop}", "name: !!python/object/apply:os.system ['echo PWNED']"),
        ("extra.yaml", None, "routes: []\n# Caf\xe9\n".encode("latin-1")),
    )
    bad = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate", "."],
        cwd=content_dir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1
    assert "PWNED" not in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == [
        "content.yaml:19:10: error: cities[0].lat: expected a number, found text 'north'",
        "extra.yaml:2:6: error: file is not UTF-8: byte 0xe9 cannot be decoded (save the file as UTF-8)",
        "more.yaml:7:11: error: tag '!!python/object/apply:os.system' is not allowed in "
        "content files (remove the tag; content files hold plain text, numbers and lists)",
        "3 error(s); content not loaded",
    ]


def test_the_content_library_imports_no_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import kiosk.content, kiosk.content.formatting, kiosk.content.jsonschema\n"
        "import kiosk.content.localise, kiosk.cli\n"
        "kiosk.content.formatting.format_amount(7.6e11, 'yuan', 'de')\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_schema_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("{\n")
    assert '"$schema": "https://json-schema.org/draft/2020-12/schema"' in out
