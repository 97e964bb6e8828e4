"""kiosk new-language: adds a language to meta.languages, untranslated, on a copy of tests/data/strings."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import check, coverage
from kiosk.content.model import iter_local_texts
from kiosk.tools.new_language import add_language
from kiosk.tools.strings import StringsError, export_strings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "strings"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(tmp_path)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def added_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    lines = [d for d in diff if not d.startswith(("---", "+++", "@@"))]
    assert all(d.startswith("+") for d in lines), lines  # nothing removed or changed
    return [d[1:] for d in lines]


def test_new_language_is_added_untranslated(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert cli.main(["new-language", "fr", str(content)]) == 0
    out = capsys.readouterr().out
    assert "content.yaml: added fr (Français, falls back to en) to meta.languages" in out
    after = snapshot(content)
    assert {k for k in before if before[k] != after[k]} == {"content.yaml"}
    assert added_lines(before["content.yaml"], after["content.yaml"]) == [
        "    - {code: fr, endonym: Français, fallback: [en]}"
    ]
    loaded, issues = check(content)
    assert loaded is not None
    assert not issues
    assert loaded.meta.codes == ("en", "zh", "de", "fr")
    # coverage: everything to translate, except the language-neutral texts
    texts = list(iter_local_texts(loaded))
    neutral = [t for t in texts if t.neutral is not None]
    (fr,) = coverage(loaded, ["fr"])
    assert (fr.total, fr.translated, len(fr.missing)) == (len(texts), len(neutral), len(texts) - len(neutral))
    assert len(neutral) == 2
    assert cli.main(["coverage", str(content), "--lang", "fr", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["fr"]["translated"] == len(neutral)
    # and the export for it has every text with an empty translation
    _, strings = export_strings(content, "fr", "po")
    assert len(strings.entries) == len(texts) - len(neutral)
    assert not any(e.translation for e in strings.entries)


def test_endonym_fallback_and_quoting(content: Path) -> None:
    before = (content / "content.yaml").read_bytes()
    report = add_language("no", content, endonym="Norsk", fallback=["de", "en"])
    assert (report.code, report.endonym, report.fallback) == ("no", "Norsk", ("de", "en"))
    assert report.file == "content.yaml"
    add_language("zh-Hant", content)
    assert added_lines(before, (content / "content.yaml").read_bytes()) == [
        "    - {code: 'no', endonym: Norsk, fallback: [de, en]}",  # YAML 1.1 would read no as false
        "    - {code: zh-Hant, endonym: 中文 (繁體), fallback: [en]}",
    ]
    loaded, _ = check(content)
    assert loaded is not None
    assert loaded.meta.chain("no") == ("no", "de", "en")


def test_block_style_list_and_trailing_comment(content: Path) -> None:
    main = content / "content.yaml"
    text = main.read_text().replace(
        "    - {code: de, endonym: Deutsch, fallback: [en]}\n",
        "    - code: de\n      endonym: Deutsch  # German\n      fallback: [en]\n"
        "  # languages end here\n",
    )
    main.write_text(text)
    add_language("fr", content, endonym="français")
    result = main.read_text()
    assert "      endonym: Deutsch  # German\n      fallback: [en]\n    - code: fr\n" in result
    assert "      fallback: [en]\n  # languages end here\n" in result
    assert added_lines(text.encode(), result.encode()) == [
        "    - code: fr", "      endonym: français", "      fallback: [en]"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["de"], "language 'de' is already offered"),
        (["DE"], "language 'de' is already offered"),
        (["xx-bogus"], "not a language code CLDR knows"),
        (["zh_Hant"], "BCP 47 form, with '-': 'zh-Hant'"),
        (["fr", "--fallback", "es"], "fallback 'es' is not offered"),
    ],
)
def test_refusals_change_nothing(
    content: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(content)
    assert cli.main(["new-language", args[0], str(content), *args[1:]]) == 1
    assert message in capsys.readouterr().err
    assert snapshot(content) == before


def test_invalid_content_is_refused(content: Path) -> None:
    cities = content / "cities.yaml"
    cities.write_text(cities.read_text().replace("lat: 38.268", "lat: north"))
    before = snapshot(content)
    with pytest.raises(StringsError, match="not valid; fix it first"):
        add_language("fr", content)
    assert snapshot(content) == before


def test_dry_run(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert cli.main(["new-language", "es", str(content), "--dry-run"]) == 0
    assert "would add es (Español" in capsys.readouterr().out
    assert snapshot(content) == before
