"""Broken content, one mistake at a time: every problem is reported at its FILE:LINE:COL.

Each case edits a copy of tests/data/minimal (content.yaml + more.yaml, valid as shipped) and
names the one error the validator must report: where, and a fragment of what it says. Most cases
also assert that this is the only error, so that one mistake does not bury staff in follow-ups.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.content import ContentError, check, load

C = "content.yaml"
M = "more.yaml"

# Billion laughs: 9 levels of 9 aliases, 387,420,489 strings once expanded.
BOMB = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)
)


def case(id_: str, *edits: tuple, where: str, says: str, errors: int = 1) -> Any:
    return pytest.param(edits, where, says, errors, id=id_)


CASES = [
    # --- YAML syntax -----------------------------------------------------------------------
    case(
        "syntax-indent-too-deep",
        (C, "    region: asia", "     region: asia"),
        where="content.yaml:18:12",
        says="found ':' inside a value",
    ),
    case(
        "syntax-indent-too-shallow",
        (C, "    region: asia", "   region: asia"),
        where="content.yaml:18:4",
        says="bad indentation: expected a list entry ('- ') lined up with the block that starts "
        "at line 15, column 3",
    ),
    case(
        "syntax-unclosed-brace",
        (C, "name: {en: Sendai, zh: 仙台}", "name: {en: Sendai, zh: 仙台"),
        where="content.yaml:17:12",
        says="expected ',' or '}', found ':': the '{' at line 16, column 11 is not closed",
    ),
    case(
        "syntax-unclosed-bracket",
        (C, "series: [gdp]", "series: [gdp"),
        where="content.yaml:53:8",
        says="the '[' at line 52, column 15 is not closed",
    ),
    case(
        "syntax-tab",
        (C, "    region: asia", "\tregion: asia"),
        where="content.yaml:18:1",
        says="found a tab character; YAML indents with spaces only",
    ),
    case(
        "syntax-missing-colon",
        (C, "    region: asia", "    region asia"),
        where="content.yaml:18:5",
        says="expected ':' after this key, found the end of the line",
    ),
    case(
        "syntax-unclosed-quote",
        (C, "  - more.yaml", '  - "more.yaml'),
        where="content.yaml:54:5",
        says="this quote is not closed",
    ),
    case(
        "syntax-text-after-quote",
        (C, "    region: asia", "    region: 'asia' pacific"),
        where="content.yaml:18:20",
        says="found 'p' after the end of a value (quote the whole value",
    ),
    case(
        "syntax-at-sign",
        (C, "    region: asia", "    region: @asia"),
        where="content.yaml:18:13",
        says="found '@', which cannot start a value (quote text that starts with '@')",
    ),
    case(
        "syntax-second-document",
        (M, "ui:\n", "---\nui: {}\n---\nui:\n"),
        where="more.yaml:4:1",
        says="found a second document ('---')",
    ),
    # --- wrong types -----------------------------------------------------------------------
    case(
        "type-text-for-number",
        (C, "lat: 38.268", "lat: north"),
        where="content.yaml:19:10",
        says="cities[0].lat: expected a number, found text 'north'",
    ),
    case(
        "type-list-for-mapping",
        (C, "title: {en: Changchun, zh: 长春}", "title: [Changchun, 长春]"),
        where="content.yaml:6:10",
        says="meta.title: expected text, or a map of language code to text, found a list",
    ),
    case(
        "type-mapping-for-text",
        (C, "country: JP", "country: {code: JP}"),
        where="content.yaml:17:14",
        says="cities[0].country: expected an ISO 3166-1 alpha-2 country code, found a mapping",
    ),
    case(
        "type-list-for-number",
        (C, "idle_timeout_s: 90", "idle_timeout_s: [90]"),
        where="content.yaml:12:19",
        says="settings.idle_timeout_s: expected a number, found a list",
    ),
    case(
        "type-fraction-for-year",
        (C, "established: 1980", "established: 1980.5"),
        where="content.yaml:21:18",
        says="expected a whole number, found a number '1980.5'",
    ),
    case(
        "type-unquoted-date-for-text",
        (C, "source: Changchun Statistical Yearbook", "source: 2024-01-31"),
        where="content.yaml:47:15",
        says="expected text, found the date '2024-01-31' (quote it: \"2024-01-31\")",
    ),
    case(
        "type-yes-for-true",
        (M, "loop: true", "loop: yes"),
        where="more.yaml:8:11",
        says="playlists[0].loop: expected true or false, found 'yes' (write true or false)",
    ),
    case(
        "type-list-as-key",  # was a crash (unhashable list) while merging the includes
        (C, "content_version: 1\n", "content_version: 1\n[meta, ui]: 1\n"),
        where="content.yaml:5:1",
        says="expected a key name, found a list",
    ),
    case(
        "type-ui-in-second-file-not-a-mapping",
        (C, "  - more.yaml", "  - more.yaml\n  - extra.yaml"),
        ("extra.yaml", None, "ui: [nav_next]\n"),
        where="extra.yaml:1:5",
        says="ui: expected a mapping (key: value lines), found a list",
    ),
    case(
        "type-main-file-is-a-list",
        (C, None, "- meta\n- cities\n"),
        where="content.yaml:1:1",
        says="expected a mapping of sections (meta:, cities:, ...), found a list",
    ),
    # --- unknown and missing keys ----------------------------------------------------------
    case(
        "unknown-key-lattitude",
        (C, "lat: 38.268", "lattitude: 38.268"),
        where="content.yaml:19:5",
        says="cities[0].lattitude: unknown key 'lattitude' (did you mean 'lat'?)",
    ),
    case(
        "unknown-key-colour",
        (C, 'color: "#3A7BD5"', 'colour: "#3A7BD5"'),
        where="content.yaml:27:54",
        says="unknown key 'colour' (did you mean 'color'?)",
    ),
    case(
        "unknown-section",
        (C, "timeline:", "timline:"),
        where="content.yaml:25:1",
        says="timline: unknown key 'timline' (did you mean 'timeline'?)",
    ),
    case(
        "missing-required-key",
        (C, "    kind: sister\n", ""),
        where="content.yaml:15:5",
        says="cities[0].kind: missing required key 'kind'",
    ),
    case(
        "missing-required-section",
        (C, "include:\n  - more.yaml\n", ""),
        where="content.yaml:4:1",
        says="ui: missing required section 'ui'",
    ),
    # --- duplicates ------------------------------------------------------------------------
    case(
        "duplicate-key",
        (C, "    region: asia\n", "    region: asia\n    region: europe\n"),
        where="content.yaml:19:5",
        says="duplicate key 'region' (first defined at line 18)",
    ),
    case(
        "duplicate-id-in-list",
        (
            C,
            "  events:",
            '    - {id: diplomacy, name: {en: Trade, zh: 贸易}, color: "#00AA00"}\n  events:',
        ),
        where="content.yaml:28:12",
        says="timeline.categories[1].id: duplicate category id 'diplomacy' "
        "(first used at content.yaml:27:12)",
    ),
    case(
        "duplicate-ui-key-across-files",
        (C, "  - more.yaml", "  - more.yaml\n  - ui/extra.yaml"),
        ("ui/extra.yaml", None, "ui:\n  nav_next: {en: Next, zh: 下一个}\n  nav_back: {en: Back}\n"),
        where="ui/extra.yaml:3:3",
        says="ui.nav_back: duplicate key 'nav_back' (first defined at more.yaml:4:3)",
    ),
    case(
        "duplicate-language",
        (C, "{code: zh, endonym: 中文, fallback: [en]}", "{code: en, endonym: Englisch}"),
        where="content.yaml:10:14",
        says="language 'en' is listed twice (first as meta.languages[0])",
    ),
    case(
        "duplicate-year-in-series",
        (C, "{year: 2023, value: 7002.1", "{year: 2022, value: 7002.1"),
        where="content.yaml:46:18",
        says="year 2022 has a second value in series 'gdp' (the first is at content.yaml:45:18)",
    ),
    # --- YAML 1.1 booleans where text was meant ----------------------------------------------
    case(
        "yaml11-no-as-language-key",
        (C, "title: {en: Changchun, zh: 长春}", "title: {en: Changchun, zh: 长春, no: Changchun}"),
        where="content.yaml:6:34",
        says="language key 'no' is read by YAML 1.1 as a yes/no value, not a language (quote it: \"no\")",
    ),
    case(
        "yaml11-country-NO",
        (C, "country: JP", "country: NO"),
        where="content.yaml:17:14",
        says="found 'NO', which YAML 1.1 reads as a yes/no value (quote it: \"NO\")",
    ),
    case(
        "yaml11-on-as-ui-key",
        (M, "  nav_back:", "  on:"),
        where="more.yaml:4:3",
        says="ui: expected a key of text, found 'on', which YAML 1.1 reads as a yes/no value "
        '(quote it: "on")',
    ),
    case(
        "yaml11-yes-as-text",
        (M, "{en: Back, zh: 返回}", "{en: Yes, zh: 是}"),
        where="more.yaml:4:18",
        says="ui.nav_back.en: expected text, found 'Yes', which YAML 1.1 reads as a yes/no value "
        '(quote it: "Yes")',
    ),
    case(
        "yaml11-off-as-id",
        (M, "id: attract", "id: off"),
        (C, "attract_playlist: attract", 'attract_playlist: "off"'),
        where="more.yaml:6:9",
        says="playlists[0].id: expected an id, found 'off', which YAML 1.1 reads as a yes/no "
        'value (quote it: "off")',
    ),
    # --- languages -------------------------------------------------------------------------
    case(
        "language-not-in-cldr",
        (C, "title: {en: Changchun, zh: 长春}", "title: {en: Changchun, zh: 长春, qq: Foo}"),
        where="content.yaml:6:34",
        says="meta.title.qq: language 'qq' is not a known language code (offered: en, zh)",
    ),
    case(
        "language-code-not-in-cldr",
        (C, "{code: zh, endonym: 中文", "{code: zz, endonym: 中文"),
        where="content.yaml:10:14",
        says="meta.languages[1].code: 'zz' is not a known language code",
    ),
    case(
        "language-not-offered",
        (C, "name: {en: Sendai, zh: 仙台}", "name: {en: Sendai, zh: 仙台, de: Sendai}"),
        where="content.yaml:16:32",
        says="cities[0].name.de: language 'de' is not offered in meta.languages (en, zh)",
    ),
    case(
        "default-language-not-offered",
        (C, "default_language: en", "default_language: de"),
        where="content.yaml:7:21",
        says="default language 'de' is not in meta.languages (offered: en, zh)",
    ),
    case(
        "fallback-not-offered",
        (C, "fallback: [en]", "fallback: [de]"),
        where="content.yaml:10:42",
        says="fallback language 'de' is not in meta.languages",
    ),
    # --- ranges ----------------------------------------------------------------------------
    case(
        "year-too-early",
        (C, "established: 1980", "established: 1880"),
        where="content.yaml:21:18",
        says="cities[0].established: 1880 is out of range: expected between 1900 and 2100",
    ),
    case(
        "series-year-too-late",
        (C, "{year: 2022,", "{year: 2222,"),
        where="content.yaml:45:18",
        says="economy.series[0].values[0].year: 2222 is out of range",
    ),
    case(
        "latitude-out-of-range",
        (C, "lat: 38.268", "lat: 98.268"),
        where="content.yaml:19:10",
        says="98.268 is out of range: expected between -90 and 90",
    ),
    case(
        "longitude-out-of-range",
        (C, "lon: 140.869", "lon: -181"),
        where="content.yaml:20:10",
        says="-181 is out of range: expected between -180 and 180",
    ),
    case(
        "step-years-reversed",
        (M, "to_year: 2023", "to_year: 2021"),
        where="more.yaml:13:63",
        says="to_year 2021 is before from_year 2022",
    ),
    # --- references ------------------------------------------------------------------------
    case(
        "unknown-city",
        (C, "city: sendai", "city: sendia"),
        where="content.yaml:33:13",
        says="timeline.events[0].city: unknown city 'sendia' (did you mean 'sendai'?)",
    ),
    case(
        "unknown-series",
        (C, "series: [gdp]", "series: [gpd]"),
        where="content.yaml:52:16",
        says="economy.charts[0].series[0]: unknown series 'gpd' (did you mean 'gdp'?)",
    ),
    case(
        "unknown-category",
        (C, "category: diplomacy", "category: diplomcy"),
        where="content.yaml:31:17",
        says="unknown category 'diplomcy' (did you mean 'diplomacy'?)",
    ),
    case(
        "unknown-event",
        (M, "event: sendai-1980", "event: sendai-1981"),
        where="more.yaml:11:47",
        says="playlists[0].steps[1].event: unknown event 'sendai-1981' (did you mean 'sendai-1980'?)",
    ),
    case(
        "unknown-chart",
        (M, "chart: gdp,", "chart: gdpp,"),
        where="more.yaml:13:32",
        says="playlists[0].steps[3].chart: unknown chart 'gdpp' (did you mean 'gdp'?)",
    ),
    case(
        "unknown-playlist",
        (C, "attract_playlist: attract", "attract_playlist: atract"),
        where="content.yaml:13:21",
        says="settings.attract_playlist: unknown playlist 'atract' (did you mean 'attract'?)",
    ),
    case(
        "bar-line-chart-without-line",
        (C, "type: bar\n", "type: bar_line\n"),
        where="content.yaml:49:7",
        says="a bar_line chart needs a secondary series",
    ),
    case(
        "title-step-without-title",
        (M, "{screen: title, title: {en: Welcome, zh: 欢迎}, duration_s: 8}", "{screen: title}"),
        where="more.yaml:10:18",
        says="playlists[0].steps[0].screen: a title step needs 'title:'",
    ),
    # --- files -----------------------------------------------------------------------------
    case(
        "image-missing",
        (C, "images/sendai.png", "images/sendia.png"),
        where="content.yaml:34:21",
        says="file 'images/sendia.png' not found (did you mean 'images/sendai.png'?)",
    ),
    case(
        "image-outside-folder",
        (C, "images/sendai.png", "../secret.png"),
        ("../secret.png", None, b"\x89PNG\r\n"),  # it exists, and is refused all the same
        where="content.yaml:34:21",
        says="file '../secret.png' is outside the content folder",
    ),
    case(
        "image-absolute-path",
        (C, "images/sendai.png", "/etc/hostname"),
        where="content.yaml:34:21",
        says="file '/etc/hostname' is an absolute path; expected a path relative to the content folder",
    ),
    case(
        "not-utf8-latin1-file",
        (M, None, "# Zurück\nui:\n  nav_home: {en: Home, zh: Café}\n".encode("latin-1")),
        where="more.yaml:1:6",
        says="file is not UTF-8: byte 0xfc cannot be decoded (save the file as UTF-8)",
    ),
    case(
        # the column counts characters, as editors do: 返回 are 2 characters but 6 bytes
        "not-utf8-after-cjk",
        (M, "zh: 返回}", "zh: 返回 (caf".encode() + b"\xe9)}"),
        where="more.yaml:4:35",
        says="file is not UTF-8: byte 0xe9 cannot be decoded",
    ),
    case(
        "not-utf8-utf16-file",
        (M, None, "ui:\n  nav_home: {en: Home}\n".encode("utf-16")),
        where="more.yaml:1:1",
        says="file is not UTF-8: byte 0xff cannot be decoded",
    ),
    case(
        "alias-plain",
        (C, "    name: {en: Sendai", "    name: &n {en: Sendai"),
        (C, "title: {en: Sister city with Sendai, zh: 与仙台结为友好城市}", "title: *n"),
        where="content.yaml:32:14",
        says="aliases (*name) are not allowed in content files",
        errors=2,  # and the anchor
    ),
    case(
        "anchor-alone",
        (C, "    name: {en: Sendai", "    name: &n {en: Sendai"),
        where="content.yaml:16:11",
        says="anchors (&n) are not allowed in content files (remove '&n'",
    ),
    case(
        "alias-bomb",
        (C, "  - more.yaml\n", "  - more.yaml\n" + BOMB),
        where="content.yaml:56:10",
        says="aliases (*name) are not allowed in content files",
        errors=2,  # and the anchor &a0
    ),
    case(
        "tag-python",
        (
            C,
            "source: Changchun Foreign Affairs Office",
            "source: !!python/object/apply:os.system ['echo PWNED']",
        ),
        where="content.yaml:24:13",
        says="tag '!!python/object/apply:os.system' is not allowed in content files",
    ),
    case(
        "tag-local",
        (C, "    region: asia", "    region: !foo asia"),
        where="content.yaml:18:13",
        says="tag '!foo' is not allowed in content files",
    ),
    # --- values with a format --------------------------------------------------------------
    case(
        "date-month-13",
        (C, '      date: "1980-10-27"', '      date: "1983-13-01"'),
        where="content.yaml:30:13",
        says="timeline.events[0].date: month 13 is not between 1 and 12; found '1983-13-01'",
    ),
    case(
        "date-two-digit-year",
        (C, '      date: "1980-10-27"', '      date: "83"'),
        where="content.yaml:30:13",
        says="found '83' (write the year with four digits",
    ),
    case(
        "date-30-february",
        (C, '      date: "1980-10-27"', "      date: 1983-02-30"),
        where="content.yaml:30:13",
        says="day 30 is not between 1 and 28 (February 1983)",
    ),
    case(
        "colour-too-short",
        (C, '"#3A7BD5"', '"#3A7BD"'),
        where="content.yaml:27:61",
        says="expected a colour as #RRGGBB, found '#3A7BD'",
    ),
    case(
        "country-unknown",
        (C, "country: JP", "country: XX"),
        where="content.yaml:17:14",
        says="'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    case(
        "choice-misspelt",
        (C, "kind: sister", "kind: sisters"),
        where="content.yaml:23:11",
        says="expected one of: sister, friendship, cooperation; found 'sisters' (did you mean 'sister'?)",
    ),
    case(
        "id-with-capitals",
        (C, "  - id: sendai\n", "  - id: Sendai\n"),
        where="content.yaml:15:9",
        says="id 'Sendai' must be lowercase letters, digits, '-' or '_' (try 'sendai')",
    ),
    case(
        # references already use the corrected id: only the id itself is reported
        "id-with-spaces",
        (C, "{id: diplomacy,", "{id: foreign affairs,"),
        (C, "category: diplomacy", "category: foreign-affairs"),
        (M, "category: diplomacy", "category: foreign-affairs"),
        where="content.yaml:27:12",
        says="id 'foreign affairs' must be lowercase letters, digits, '-' or '_' (try 'foreign-affairs')",
    ),
    # --- includes and sections -------------------------------------------------------------
    case(
        "include-missing",
        (C, "  - more.yaml", "  - more.yaml\n  - moore.yaml"),
        where="content.yaml:55:5",
        says="include[1]: file 'moore.yaml' not found (did you mean 'more.yaml'?)",
    ),
    case(
        "include-outside-folder",
        (C, "  - more.yaml", "  - more.yaml\n  - ../outside.yaml"),
        ("../outside.yaml", None, "routes: []\n"),
        where="content.yaml:55:5",
        says="include[1]: '../outside.yaml' is outside the content folder",
    ),
    case(
        "include-twice",
        (C, "  - more.yaml", "  - more.yaml\n  - ./more.yaml"),
        where="content.yaml:55:5",
        says="'./more.yaml' is already included at content.yaml:54:5",
    ),
    case(
        "include-itself",
        (C, "  - more.yaml", "  - more.yaml\n  - content.yaml"),
        where="content.yaml:55:5",
        says="include[1]: the main file cannot include itself",
    ),
    case(
        "include-in-included-file",
        (M, "ui:\n", "include: [extra.yaml]\nui:\n"),
        where="more.yaml:2:1",
        says="'include' may only stand in the main file",
    ),
    case(
        "section-in-two-files",
        (M, "playlists:", "cities: []\nplaylists:"),
        where="more.yaml:5:1",
        says="cities: section 'cities' is already defined at content.yaml:14:1",
    ),
    case(
        "included-file-empty",
        (M, None, "# playlists and ui come later\n"),
        where="more.yaml:1:1",
        says="file is empty",
    ),
    case(
        "main-file-empty",
        (C, None, ""),
        where="content.yaml:1:1",
        says="file is empty",
    ),
]

ISSUE_LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|warning): \S")


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 35


def test_the_base_content_is_valid(content_dir: Path) -> None:
    content, issues = check("content.yaml")
    assert issues == []
    assert content is not None


@pytest.mark.parametrize(("edits", "where", "says", "errors"), CASES)
def test_broken_content(
    edit: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    edits: tuple,
    where: str,
    says: str,
    errors: int,
) -> None:
    path = edit(*edits)
    started = time.perf_counter()
    content, issues = check(path)
    elapsed = time.perf_counter() - started

    assert content is None
    assert elapsed < 1.0  # also the alias bomb: refused, never expanded
    found = [i for i in issues if str(i.position) == where and says in i.format()]
    listing = "\n".join(i.format() for i in issues)
    assert found, f"expected at {where}: {says!r}\ngot:\n{listing}"
    assert found[0].severity == "error"
    assert len([i for i in issues if i.severity == "error"]) == errors, listing

    # load() raises one ContentError that carries them all
    with pytest.raises(ContentError) as raised:
        load(path)
    assert found[0] in raised.value.issues

    # the command line prints each as FILE:LINE:COL: error: ..., and no traceback
    capsys.readouterr()
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[-1] == f"{errors} error(s); content not loaded"
    assert all(ISSUE_LINE.match(line) for line in lines[:-1]), err
    assert f"{where}: error: " in err
    assert "Traceback" not in out + err


def test_byte_order_mark_and_windows_line_ends_are_fine(content_dir: Path) -> None:
    main = content_dir / "content.yaml"
    main.write_bytes(b"\xef\xbb\xbf" + main.read_bytes().replace(b"\n", b"\r\n"))
    content, issues = check(main)
    assert issues == []
    assert content is not None
    main.write_bytes(main.read_bytes().replace(b"lat: 38.268", b"lat: north"))
    _, issues = check(main)
    assert [str(i) for i in issues] == [
        "content.yaml:19:10: error: cities[0].lat: expected a number, found text 'north'"
    ]


def test_a_file_over_the_size_limit_is_refused(content_dir: Path) -> None:
    from kiosk.content import yamlsource

    # content 100x the shipped size has a 13.6 MB timeline.yaml: it must load
    assert 16_000_000 < yamlsource.MAX_FILE_BYTES <= 64 * 1024 * 1024
    more = content_dir / "more.yaml"
    with more.open("ab") as f:
        f.write(b"#" * (yamlsource.MAX_FILE_BYTES - more.stat().st_size) + b"\n")
    content, issues = check(content_dir / "content.yaml")
    assert content is None
    assert [str(i) for i in issues] == [
        f"more.yaml:1:1: error: file is {yamlsource.MAX_FILE_BYTES + 1:,} bytes; content files "
        f"are limited to {yamlsource.MAX_FILE_BYTES:,}"
    ]
