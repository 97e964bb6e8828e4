"""Fallback along each language's chain, the record of what fell back, and coverage counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import Content, Localiser, LocalText, coverage, load
from kiosk.content.localise import Fallback


@pytest.fixture(scope="module")
def content(fallback_dir: Path) -> Content:
    return load(fallback_dir)


def test_chain_follows_fallbacks_of_fallbacks_then_the_default(content: Content) -> None:
    meta = content.meta
    assert meta.chain("en") == ("en",)
    assert meta.chain("zh") == ("zh", "en")
    assert meta.chain("zh-Hant") == ("zh-Hant", "zh", "en")
    assert meta.chain("yue") == ("yue", "zh-Hant", "zh", "en")
    assert meta.chain("de") == ("de", "en")  # not offered: straight to the default


def test_zh_hant_falls_back_to_zh_then_en(content: Content) -> None:
    loc = Localiser(content, "zh-Hant")
    city = content.cities[0]
    category = content.timeline.categories[0]
    event = content.timeline.events[0]

    assert loc.text(content.meta.title) == "長春"  # its own
    assert loc.text(event.title) == "與仙台結為友好城市"  # its own
    assert loc.text(city.name) == "仙台"  # from zh
    assert loc.text(category.name) == "Diplomacy"  # from en, through zh
    assert loc.text(event.body) == "长春与仙台结为友好城市。"  # from zh

    assert loc.language_of(content.meta.title) == "zh-Hant"
    assert loc.language_of(city.name) == "zh"
    assert loc.language_of(category.name) == "en"
    assert loc.language_of(None) is None


def test_localiser_records_which_fields_fell_back(content: Content) -> None:
    loc = Localiser(content, "zh-Hant")
    city = content.cities[0]
    category = content.timeline.categories[0]
    for value in (content.meta.title, city.name, category.name, content.timeline.events[0].title):
        loc.text(value)
    assert loc.ui("welcome") == "歡迎"
    assert loc.ui("home") == "首页"
    assert loc.ui("brand") == "FAW"  # one text for every language: not a fallback

    assert list(loc.fallbacks) == ["cities[0].name", "timeline.categories[0].name", "ui.home"]
    assert loc.fallbacks["cities[0].name"] == Fallback(city.name.origin, "zh-Hant", "zh")
    assert loc.fallbacks["timeline.categories[0].name"].shown == "en"
    assert loc.fallbacks["ui.home"].shown == "zh"
    origin = loc.fallbacks["cities[0].name"].origin
    assert origin is not None
    assert (origin.position.line, origin.position.column) == (17, 11)


def test_a_text_missing_along_the_whole_chain(content: Content) -> None:
    loc = Localiser(content, "en")
    body = content.timeline.events[0].body
    assert loc.text(body) == ""
    assert loc.text(body, default="…") == "…"
    assert loc.fallbacks["timeline.events[0].body"] == Fallback(body.origin, "en", None)
    assert loc.text(None, default="-") == "-"
    assert loc.ui("no_such_key") == "no_such_key"


def test_yue_uses_zh_hant_before_zh(content: Content) -> None:
    loc = Localiser(content, "yue")
    assert loc.text(content.ui["welcome"]) == "歡迎"
    assert loc.fallbacks["ui.welcome"].shown == "zh-Hant"
    assert loc.text(content.ui["home"]) == "首页"
    assert loc.fallbacks["ui.home"].shown == "zh"


def test_local_text_in_code() -> None:
    text = LocalText.of(en="Home", zh="首页")
    assert text.get("zh") == "首页"
    assert text.get("de") is None
    assert text.resolve(("de", "en")) == ("Home", "en")
    assert text.resolve(("de",)) == ("", None)
    neutral = LocalText.of("FAW")
    assert neutral.get("de") == "FAW"
    assert neutral.resolve(("de", "en")) == ("FAW", "de")
    assert LocalText.of(en="a") == LocalText.of(en="a")
    assert hash(LocalText.of(en="a")) == hash(LocalText.of(en="a"))


def test_coverage_counts(content: Content) -> None:
    report = {c.language: c for c in coverage(content)}
    assert list(report) == ["en", "zh", "zh-Hant", "yue"]
    # 8 texts: meta.title, ui.welcome, ui.home, ui.brand (one for all), city name,
    # category name, event title, event body
    assert {code: (c.translated, c.total) for code, c in report.items()} == {
        "en": (7, 8),
        "zh": (6, 8),
        "zh-Hant": (4, 8),
        "yue": (2, 8),
    }
    assert [m.path for m in report["en"].missing] == ["timeline.events[0].body"]
    assert [m.path for m in report["zh"].missing] == [
        "timeline.categories[0].name",
        "timeline.events[0].title",
    ]
    assert [m.path for m in report["zh-Hant"].missing] == [
        "ui.home",
        "cities[0].name",
        "timeline.categories[0].name",
        "timeline.events[0].body",
    ]
    assert len(report["yue"].missing) == 6
    assert report["zh-Hant"].percent == 50.0
    assert report["yue"].percent == 25.0


def test_coverage_of_chosen_languages(content: Content) -> None:
    report = coverage(content, ["zh"])
    assert [(c.language, c.translated, c.total) for c in report] == [("zh", 6, 8)]
    # a language not offered has only the language-neutral texts
    (de,) = coverage(content, ["de"])
    assert (de.translated, de.total) == (1, 8)


def test_coverage_of_the_minimal_content(minimal_dir: Path) -> None:
    report = coverage(load(minimal_dir))
    assert [(c.language, c.translated, c.total) for c in report] == [
        ("en", 12, 12),
        ("zh", 11, 12),
    ]
    (missing,) = report[1].missing
    assert missing.path == "playlists[0].name"
    assert missing.position.file.endswith("more.yaml")
    assert (missing.position.line, missing.position.column) == (7, 11)
    assert report[0].percent == 100.0


def test_coverage_json(
    fallback_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(fallback_dir)
    assert cli.main(["coverage", "--json", "content.yaml"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["en", "zh", "zh-Hant", "yue"]
    assert data["zh"] == {
        "total": 8,
        "translated": 6,
        "missing": [
            {"path": "timeline.categories[0].name", "file": "content.yaml", "line": 27},
            {"path": "timeline.events[0].title", "file": "content.yaml", "line": 32},
        ],
    }
    assert data["en"]["missing"] == [{"path": "timeline.events[0].body", "file": "content.yaml", "line": 33}]
    assert [(d["translated"], d["total"]) for d in data.values()] == [(7, 8), (6, 8), (4, 8), (2, 8)]


def test_coverage_json_for_chosen_languages(
    minimal_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(minimal_dir)
    assert cli.main(["coverage", ".", "--json", "--lang", "zh"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "zh": {
            "total": 12,
            "translated": 11,
            "missing": [{"path": "playlists[0].name", "file": "more.yaml", "line": 7}],
        }
    }


def test_coverage_text(
    minimal_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(minimal_dir)
    assert cli.main(["coverage", "."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "en: 12/12 translated (100.0%), 0 missing",
        "zh: 11/12 translated (91.7%), 1 missing",
        "  more.yaml:7:11: playlists[0].name",
    ]


def test_coverage_of_invalid_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content.yaml").write_text("meta: {}\n", encoding="utf-8")
    assert cli.main(["coverage", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "meta.title: missing required key 'title'" in err
