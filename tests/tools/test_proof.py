"""kiosk proof: every screen and state in every language and size to PNG, a contact sheet, and
the texts that do not fit or fall back, traced to their key path and file:line.

Runs on tests/data/proof (en + zh, 9 states) at one small size to stay fast."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kiosk import cli

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "proof"
STATES = [
    "attract",
    "home",
    "timeline-first",
    "timeline-longest",
    "map-first",
    "map-most-highlights",
    "chart-gdp",
    "chart-urban",
    "title-welcome-1",
]
SIZE = "1280x720"

pytestmark = pytest.mark.gui


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture to edit."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def proof(qapp, *args: str) -> int:
    return cli.main(["proof", *args])


def test_every_state_in_every_language_is_rendered(qapp, tmp_path: Path, capsys) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "out"
    # --allow-overflow: what fits depends on the screens' layouts, tested elsewhere
    assert proof(qapp, str(FIXTURE), "--out", str(out), "--size", SIZE, "--allow-overflow") == 0
    printed = capsys.readouterr().out

    pngs = sorted(p.relative_to(out).as_posix() for p in (out / SIZE).rglob("*.png"))
    expected = sorted(f"{SIZE}/{lang}/{state}.png" for lang in ("en", "zh") for state in STATES)
    assert pngs == expected  # states x languages x sizes
    thumbs = sorted(p.relative_to(out / "thumbs").as_posix() for p in (out / "thumbs").rglob("*.png"))
    assert thumbs == expected
    image = QImage(str(out / SIZE / "zh" / "home.png"))
    assert (image.width(), image.height()) == (1280, 720)

    html = (out / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"#]+\.png)"', html))
    srcs = set(re.findall(r'src="([^"]+\.png)"', html))
    assert hrefs == set(expected)  # every thumbnail links to its full size
    assert srcs == {f"thumbs/{p}" for p in expected}
    rows = re.findall(r'<tr class="state"><th>', html)
    assert len(rows) == len(STATES)  # one row per state, one column per language
    assert "<th>en</th>" in html
    assert "<th>zh</th>" in html

    report = json.loads((out / "proof.json").read_text(encoding="utf-8"))
    assert len(report["shots"]) == 18
    assert report["fallbacks"] == []
    assert all(not s["errors"] for s in report["shots"])
    assert "18 images" in printed


def test_states_follow_the_content(qapp) -> None:
    from kiosk.content import load
    from kiosk.tools.proof import plan_states

    content = load(FIXTURE)
    states = {s.id: s for s in plan_states(content, "en")}
    assert list(states) == STATES
    assert states["timeline-first"].params == {"event": "sendai-1980"}
    assert states["timeline-longest"].params == {"event": "birmingham-1983"}
    assert states["map-first"].params == {"city": "sendai"}
    assert states["map-most-highlights"].params == {"city": "birmingham"}
    assert states["chart-urban"].params == {"chart": "urban"}
    title = states["title-welcome-1"]
    assert (title.screen, title.detail) == ("title", "Welcome to Changchun")


def test_a_text_too_long_for_its_button_is_reported_with_its_source(
    qapp, content: Path, tmp_path: Path, capsys
) -> None:
    ui = content / "ui.yaml"
    replace(ui, "nav_home: {en: Home,", "nav_home: {en: " + "Home " * 59 + "Home,")
    line = line_of(ui, "nav_home:")
    out = tmp_path / "out"

    assert proof(qapp, str(content), "--out", str(out), "--size", SIZE, "--lang", "en") == 1
    printed = capsys.readouterr().out
    assert "ui.nav_home" in printed
    assert f"ui.yaml:{line}" in printed

    report = json.loads((out / "proof.json").read_text(encoding="utf-8"))
    found = [f for f in report["overflow"] if f["widget"] == "QPushButton#nav-home"]
    assert len(found) == 1
    finding = found[0]
    assert finding["kind"] == "too-wide"
    assert finding["language"] == "en"
    assert finding["text"].startswith("Home Home")
    assert len(finding["text"]) == 299
    assert finding["sources"][0]["path"] == "ui.nav_home"
    assert finding["sources"][0]["file"].endswith("ui.yaml")
    assert finding["sources"][0]["line"] == line
    assert "home" in finding["states"]
    assert "attract" not in finding["states"]

    assert proof(qapp, str(content), "--out", str(out), "--size", SIZE, "--lang", "en",
                 "--allow-overflow") == 0


def test_a_text_missing_in_chinese_is_reported_as_a_fallback(
    qapp, content: Path, tmp_path: Path, capsys
) -> None:
    main = content / "content.yaml"
    replace(main, "body: {en: The first partnership., zh: 第一个友好关系。}",
            "body: {en: The first partnership.}")
    line = line_of(main, "body: {en: The first partnership.}")
    out = tmp_path / "out"

    assert proof(qapp, str(content), "--out", str(out), "--size", SIZE, "--lang", "zh",
                 "--allow-overflow") == 0
    printed = capsys.readouterr().out
    assert "timeline.events[0].body" in printed
    assert f"content.yaml:{line}" in printed

    report = json.loads((out / "proof.json").read_text(encoding="utf-8"))
    assert [(f["language"], f["path"], f["shown"], f["source"]["line"]) for f in report["fallbacks"]] == [
        ("zh", "timeline.events[0].body", "en", line)
    ]


def test_a_screen_that_fails_is_reported_not_fatal(
    qapp, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.shell import window

    monkeypatch.setitem(window.SCREEN_MODULES, "economy", "kiosk.screens.no_such_screen")
    out = tmp_path / "out"
    assert proof(qapp, str(FIXTURE), "--out", str(out), "--size", SIZE, "--lang", "en") == 1
    printed = capsys.readouterr().out
    assert "chart-gdp: screen 'economy' did not show" in printed
    pngs = {p.stem for p in (out / SIZE / "en").glob("*.png")}
    assert pngs == set(STATES) - {"chart-gdp", "chart-urban"}
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="failed"' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "1280by720"], "--size: expected WIDTHxHEIGHT"),
        (["--size", "10x10"], "not between 320 and 7680"),
        (["--lang", "en,fr"], "--lang: fr not offered"),
    ],
)
def test_bad_arguments(qapp, tmp_path: Path, capsys, args: list[str], message: str) -> None:
    assert proof(qapp, str(FIXTURE), "--out", str(tmp_path / "out"), *args) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.png"))


def test_label_and_button_checks(qapp) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton, QWidget

    from kiosk.content import load
    from kiosk.tools.proof_checks import TextIndex, check_label, check_push_button

    index = TextIndex(load(FIXTURE), "en")
    parent = QWidget()
    label = QLabel("Sister city with Birmingham (USA)", parent)
    label.setGeometry(0, 0, 120, 12)
    assert [k for k, _ in check_label(label, index)] == ["too-wide", "too-tall"]
    label.setWordWrap(True)
    assert [k for k, _ in check_label(label, index)] == ["too-tall"]
    label.setGeometry(0, 0, 1000, 100)
    assert check_label(label, index) == []
    label.setText("Sister city with Birm…")
    assert [k for k, _ in check_label(label, index)] == ["elided"]
    button = QPushButton("Partner cities", parent)
    button.setStyleSheet("padding: 0 40px;")
    button.setGeometry(0, 0, 120, 60)
    assert [k for k, _ in check_push_button(button, index)] == ["too-wide"]
    button.setGeometry(0, 0, 400, 60)
    assert check_push_button(button, index) == []
    parent.deleteLater()


def test_texts_are_traced_to_the_content(qapp) -> None:
    from kiosk.content import load
    from kiosk.tools.proof_checks import TextIndex

    content = load(FIXTURE)
    en, zh = TextIndex(content, "en"), TextIndex(content, "zh")
    assert [o.path for o in en.find("Home")] == ["ui.nav_home"]
    assert [o.path for o in zh.find("首页")] == ["ui.nav_home"]
    assert [o.path for o in en.find("Source: Changchun Statistical Yearbook")] == ["ui.source"]
    assert [o.path for o in en.find("Sister city with\nBirmingham (U…")] == [
        "timeline.events[1].title"
    ]
    assert [o.path for o in en.find("Home\n首页")] == ["ui.nav_home"]  # two languages
    assert en.find("1983") == []
    origin = en.find("Sendai")[0]
    assert origin.position.file.endswith("content.yaml")
    assert origin.position.line > 0


def test_contact_sheet_escapes_every_text(tmp_path: Path) -> None:
    from kiosk.content.issues import Position
    from kiosk.content.model import Origin
    from kiosk.tools.proof import OverflowFinding, ProofResult, Shot, State
    from kiosk.tools.proof_html import render_index

    state = State("title-x-1", "title", {}, "Title <card>", '<script>alert("x")</script>')
    result = ProofResult(tmp_path, "a&b/content.yaml", ["en"], [(1280, 720)])
    result.shots = [Shot(state, "en", (1280, 720), png="1280x720/en/title x.png")]
    origin = Origin("ui.<k>", Position("ui.yaml", 3, 5))
    result.overflow = [OverflowFinding("en", (1280, 720), "too-wide", "QLabel#<b>", "", "Tom & <Jerry>",
                                       "needs 9 px", [origin], ["title-x-1"])]
    html = render_index(result)
    assert "<script>" not in html
    assert "<card>" not in html
    assert "<Jerry>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Tom &amp; &lt;Jerry&gt;" in html
    assert "a&amp;b/content.yaml" in html
    assert 'href="1280x720/en/title%20x.png"' in html


def test_shipped_content_fits_in_every_language_and_shape(tmp_path):
    """Every text of the shipped content fits its box in all six languages, landscape and portrait."""
    from kiosk.cli import main

    status = main(["proof", "--out", str(tmp_path), "--size", "1920x1080,1080x1920"])
    assert status == 0
