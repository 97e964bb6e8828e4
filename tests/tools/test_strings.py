"""kiosk strings export / import: PO, XLIFF and CSV round trips on a copy of tests/data/strings."""

from __future__ import annotations

import csv
import difflib
import io
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from kiosk import cli
from kiosk.content import check
from kiosk.tools import strings_yaml
from kiosk.tools.strings import StringsError, export_strings, import_strings
from kiosk.tools.strings_formats import XLIFF_NS
from kiosk.tools.strings_yaml import EditError, commit, merge3

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "strings"
SUFFIX = {"po": "po", "xliff": "xlf", "csv": "csv"}
FORMATS = ("po", "xliff", "csv")


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture content; the working folder is its parent."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(tmp_path)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two versions of a file."""
    diff = list(
        difflib.unified_diff(
            before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0
        )
    )
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def export(content: Path, fmt: str, lang: str = "de", *extra: str) -> Path:
    out = content.parent / f"{lang}.{SUFFIX[fmt]}"
    assert cli.main(["strings", "export", str(content), "--lang", lang, "--out", str(out), *extra]) == 0
    return out


def edit_translation(path: Path, fmt: str, key: str, text: str, source: str | None = None) -> None:
    """Set the translation (and optionally the source text) of one entry of an exchange file."""
    data = path.read_bytes()
    if fmt == "po":
        catalog = read_po(io.BytesIO(data))
        message = next(m for m in catalog if m.context == key)
        message.string = text
        if source is not None:
            catalog.delete(message.id, key)
            catalog.add(source, text, context=key)
        out = io.BytesIO()
        write_po(out, catalog)
        path.write_bytes(out.getvalue())
    elif fmt == "xliff":
        ns = {"x": XLIFF_NS}
        root = ET.fromstring(data)
        unit = next(u for u in root.iterfind(".//x:trans-unit", ns) if u.get("id") == key)
        target = unit.find("x:target", ns)
        assert target is not None
        target.text = text
        target.set("state", "translated")
        if source is not None:
            unit.find("x:source", ns).text = source  # type: ignore[union-attr]
        ET.register_namespace("", XLIFF_NS)
        path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    else:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        row = next(r for r in rows if r["key"] == key)
        row["translation"] = text
        if source is not None:
            row["source"] = source
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(out.getvalue().encode("utf-8-sig"))


def import_(content: Path, file: Path, *extra: str) -> int:
    return cli.main(["strings", "import", str(file), str(content), *extra])


# --- export --------------------------------------------------------------------------------------


def test_export_po_holds_key_source_location_and_translation(content: Path) -> None:
    catalog = read_po(io.BytesIO(export(content, "po").read_bytes()))
    assert str(catalog.locale) == "de"
    messages = {m.context: m for m in catalog if m.id}
    home = messages["ui.nav_home"]
    assert (home.id, home.string, home.locations) == ("Home", "Start", [("ui/frame.yaml", 4)])
    # the default language's text only: exported with an empty translation
    assert messages["ui.touch_to_start"].string == ""
    assert messages["cities[0].note"].id == "Sources differ on the day.\nThe protocol names 27 October."
    assert messages["ui.timeline_title"].locations == [
        ("ui/screens.yaml", 3)
    ]
    # language-neutral plain strings are left out unless asked for
    assert "ui.brand" not in messages
    assert "cities[1].name" not in messages
    # in file order: content.yaml first, then the includes in their order
    keys = list(messages)
    assert keys[:3] == ["meta.title", "meta.subtitle", "settings.map_caption"]
    assert keys.index("ui.nav_home") < keys.index("ui.map_title") < keys.index("cities[0].name")


def test_export_include_neutral_marks_them(content: Path) -> None:
    catalog = read_po(io.BytesIO(export(content, "po", "de", "--include-neutral").read_bytes()))
    brand = next(m for m in catalog if m.context == "ui.brand")
    assert (brand.id, brand.string) == ("FAW", "")
    assert any("language-neutral" in c for c in brand.auto_comments)


def test_export_xliff_and_csv_structure(content: Path) -> None:
    ns = {"x": XLIFF_NS}
    root = ET.fromstring(export(content, "xliff").read_bytes())
    assert root.get("version") == "1.2"
    files = root.findall("x:file", ns)
    assert [f.get("original") for f in files] == [
        "content.yaml", "ui/frame.yaml", "ui/screens.yaml", "cities.yaml"
    ]
    assert {(f.get("source-language"), f.get("target-language")) for f in files} == {("en", "de")}
    unit = next(u for u in root.iterfind(".//x:trans-unit", ns) if u.get("id") == "ui.nav_home")
    assert unit.findtext("x:source", namespaces=ns) == "Home"
    assert unit.findtext("x:target", namespaces=ns) == "Start"

    text = export(content, "csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0])[:5] == ["key", "file", "line", "source", "translation"]
    home = next(r for r in rows if r["key"] == "ui.nav_home")
    assert (home["file"], home["line"], home["source"], home["translation"]) == (
        "ui/frame.yaml", "4", "Home", "Start"
    )


def test_export_to_stdout_and_refusals(content: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert cli.main(["strings", "export", str(content), "--lang", "zh"]) == 0  # PO by default
    data = capsysbinary.readouterr().out
    assert b'msgctxt "ui.nav_home"\nmsgid "Home"\nmsgstr "\xe9\xa6\x96\xe9\xa1\xb5"' in data
    _, strings = export_strings(content, "zh", "po")
    assert {e.key for e in strings.entries if not e.translation} == {
        "cities[0].note", "timeline.events[0].body", "economy.series[0].values[1].note", "playlists[0].name"
    }
    assert cli.main(["strings", "export", str(content), "--lang", "fr"]) == 1
    assert b"'fr' is not offered" in capsysbinary.readouterr().err
    assert cli.main(["strings", "export", str(content), "--lang", "en"]) == 1
    assert b"default language" in capsysbinary.readouterr().err
    assert cli.main(["strings", "export", str(content), "--lang", "de", "--out", "x.txt"]) == 1
    with pytest.raises(SystemExit) as exit_:
        cli.main(["strings", "export", str(content)])  # --lang is required
    assert exit_.value.code == 2


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_unchanged_export_changes_no_byte(
    content: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(content)
    file = export(content, fmt, "de", "--include-neutral")
    capsys.readouterr()
    assert import_(content, file) == 0
    assert "updated 0 text(s)" in capsys.readouterr().out
    assert snapshot(content) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_changing_one_translation_changes_only_its_line(
    content: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(content)
    file = export(content, fmt)
    edit_translation(file, fmt, "ui.nav_home", "Startseite")
    assert import_(content, file) == 0
    assert "updated 1 text(s) in de in ui/frame.yaml" in capsys.readouterr().out
    after = snapshot(content)
    assert {k for k in before if before[k] != after[k]} == {"ui/frame.yaml"}
    assert changed_lines(before["ui/frame.yaml"], after["ui/frame.yaml"]) == (
        ["    de: Start"], ["    de: Startseite"]
    )
    # and the next export carries it: the format round-trips
    data, _ = export_strings(content, "de", fmt)
    assert "Startseite" in data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", FORMATS)
def test_new_translations_are_added_in_place(content: Path, fmt: str) -> None:
    before = snapshot(content)
    file = export(content, fmt)
    edit_translation(file, fmt, "ui.touch_to_start", "Bildschirm berühren")  # block map
    edit_translation(file, fmt, "ui.nav_back", "Zurück: hier")  # flow map, needs quotes
    edit_translation(file, fmt, "cities[0].note", "Die Quellen\nsind uneins.")  # two lines
    edit_translation(file, fmt, "meta.subtitle", "Hauptstadt der Provinz Jilin")
    assert import_(content, file) == 0
    after = snapshot(content)
    assert changed_lines(before["ui/frame.yaml"], after["ui/frame.yaml"]) == (
        ["  nav_back: {en: Back, zh: 返回}   # flow map"],
        ["  nav_back: {en: Back, zh: 返回, de: 'Zurück: hier'} # flow map", "    de: Bildschirm berühren"],
    )
    # the new key goes with its siblings, before the comment that introduces the next entry
    assert "    de: Bildschirm berühren\n  # next: the language picker\n" in after["ui/frame.yaml"].decode()
    assert changed_lines(before["cities.yaml"], after["cities.yaml"]) == (
        [], ["      de: |-", "        Die Quellen", "        sind uneins."]
    )
    removed, added = changed_lines(before["content.yaml"], after["content.yaml"])
    assert removed == ["  subtitle: {en: Capital of Jilin Province, zh: 吉林省省会}"]
    assert added == [
        "  subtitle: {en: Capital of Jilin Province, zh: 吉林省省会, de: Hauptstadt der Provinz Jilin}"
    ]
    assert b"  second_language: null\n" in after["content.yaml"]  # ruamel alone would drop "null"
    loaded, _ = check(content)
    assert loaded is not None
    assert loaded.ui["nav_back"].get("de") == "Zurück: hier"
    assert loaded.cities[0].note is not None
    assert loaded.cities[0].note.get("de") == "Die Quellen\nsind uneins."
    # exported again, every one of them comes back as it was written
    _, strings = export_strings(content, "de", fmt)
    got = {e.key: e.translation for e in strings.entries}
    assert got["cities[0].note"] == "Die Quellen\nsind uneins."
    assert got["ui.nav_back"] == "Zurück: hier"


def test_translating_a_neutral_string_makes_it_a_map(content: Path) -> None:
    before = snapshot(content)
    file = export(content, "po", "de", "--include-neutral")
    edit_translation(file, "po", "ui.brand", "FAW-Werk")
    edit_translation(file, "po", "cities[1].name", "Wolfsburg")  # the same text: nothing to do
    assert import_(content, file) == 0
    after = snapshot(content)
    assert changed_lines(before["ui/frame.yaml"], after["ui/frame.yaml"]) == (
        ["  brand: FAW                       # a name: the same in every language"],
        ["  brand: {en: FAW, de: FAW-Werk}   # a name: the same in every language"],
    )
    assert after["cities.yaml"] == before["cities.yaml"]


def test_yaml_1_1_words_are_quoted(content: Path) -> None:
    file = export(content, "po")
    edit_translation(file, "po", "ui.touch_to_start", "yes")
    edit_translation(file, "po", "economy.series[0].unit", "no")
    assert import_(content, file) == 0
    text = (content / "ui" / "frame.yaml").read_text()
    assert "    de: 'yes'\n" in text
    loaded, _ = check(content)
    assert loaded is not None
    assert loaded.ui["touch_to_start"].get("de") == "yes"
    assert loaded.economy.series[0].unit.get("de") == "no"


def test_empty_fuzzy_and_stale_entries_are_not_imported(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(content)
    file = export(content, "po")
    catalog = read_po(io.BytesIO(file.read_bytes()))
    for message in catalog:
        if message.context == "ui.nav_home":
            message.string = ""  # empty: never erases the text there
        if message.context == "ui.touch_to_start":
            message.string = "Berühren"
            message.flags.add("fuzzy")
    out = io.BytesIO()
    write_po(out, catalog)
    file.write_bytes(out.getvalue())
    edit_translation(file, "po", "ui.timeline_title", "Zeitleiste", source="Time line")
    assert import_(content, file) == 0
    captured = capsys.readouterr()
    assert "updated 0 text(s)" in captured.out
    assert "1 marked fuzzy/needs review (ignored)" in captured.out
    assert "warning: ui.timeline_title: not imported: the source text is now 'Timeline'" in captured.err
    assert snapshot(content) == before


def test_xliff_needs_review_is_not_imported(content: Path) -> None:
    before = snapshot(content)
    file = export(content, "xliff")
    text = file.read_text()
    text = text.replace('<target state="new" />', '<target state="needs-review-translation">X</target>', 1)
    file.write_text(text)
    report = import_strings(file, content)
    assert (report.updated, report.not_ready) == ([], 1)
    assert snapshot(content) == before


def test_crlf_files_keep_their_line_ends(content: Path) -> None:
    frame = content / "ui" / "frame.yaml"
    frame.write_bytes(frame.read_bytes().replace(b"\n", b"\r\n"))
    before = frame.read_bytes()
    file = export(content, "csv")
    edit_translation(file, "csv", "ui.nav_home", "Startseite")
    assert import_(content, file) == 0
    assert frame.read_bytes() == before.replace(b"de: Start\r\n", b"de: Startseite\r\n")


def test_formatting_ruamel_would_change_is_kept(content: Path) -> None:
    """Lines ruamel.yaml renders differently (`~`, `{ en: x }`, a `---`) stay as written."""
    main = content / "content.yaml"
    odd = (
        main.read_text()
        .replace("content_version: 1\n", "---\ncontent_version: 1\n")
        .replace("second_language: null", "second_language: ~")
        .replace("subtitle: {en: Capital of Jilin Province, zh: 吉林省省会}",
                 "subtitle: { en: Capital of Jilin Province,  zh: 吉林省省会 }")
    )
    main.write_text(odd)
    file = export(content, "po")
    edit_translation(file, "po", "settings.map_caption", "Landumrisse: Natural Earth.")
    assert import_(content, file) == 0
    removed, added = changed_lines(odd.encode(), main.read_bytes())
    assert removed == []
    assert added == ["    de: 'Landumrisse: Natural Earth.'"]


# --- bad imports change nothing ------------------------------------------------------------------


BAD_FILES = {
    "unknown key path": ("de.po", None),
    "malformed PO": ("de.po", b'msgctxt "ui.nav_home"\nmsgid "Home"\nmsgstr "Start\nthis is not PO\n'),
    "PO without msgctxt": ("de.po", b'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "Home"\nmsgstr "Start"\n'),
    "malformed XLIFF": ("de.xlf", b"<xliff version='1.2'><file><body><trans-unit"),
    "XLIFF 2.0": ("de.xlf", b"<xliff version='2.0' srcLang='en' trgLang='de'/>"),
    "CSV without columns": ("de.csv", b"a,b\n1,2\n"),
    "CSV with a stray quote": ("de.csv", b'key,source,translation,language\nui.nav_home,Home,"Start"x,de\n'),
    "language not offered": ("fr.csv", b"key,source,translation,language\nui.nav_home,Home,Accueil,fr\n"),
    "default language": ("en.csv", b"key,source,translation,language\nui.nav_home,Home,Start,en\n"),
    "no language": ("x.csv", b"key,source,translation\nui.nav_home,Home,Start\n"),
    "unknown format": ("de.txt", b"hello"),
    "missing file": ("nothing.po", b""),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_import_changes_nothing(content: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    name, data = BAD_FILES[case]
    file = content.parent / name
    if case == "unknown key path":
        file = export(content, "po")
        edit_translation(file, "po", "ui.nav_home", "Startseite")  # a good one, not imported either
        file.write_bytes(file.read_bytes().replace(b'"ui.language"', b'"ui.langauge"'))
    elif case != "missing file":
        file.write_bytes(data or b"")
    before = snapshot(content)
    capsys.readouterr()
    assert import_(content, file) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    if case == "unknown key path":
        assert "ui.langauge (did you mean 'ui.language'?)" in err
    assert snapshot(content) == before


def test_import_refuses_a_language_other_than_the_files(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = export(content, "po")
    assert import_(content, file, "--lang", "zh") == 1
    assert "holds 'de' texts, not 'zh'" in capsys.readouterr().err
    csv_file = content.parent / "x.csv"
    csv_file.write_bytes(b"key,source,translation\nui.nav_home,Home,Startseite\n")
    assert import_(content, csv_file, "--lang", "de") == 0
    loaded, _ = check(content)
    assert loaded is not None
    assert loaded.ui["nav_home"].get("de") == "Startseite"


def test_invalid_result_changes_nothing(
    content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever goes wrong in the editing, content that does not validate is never written."""
    real = strings_yaml.set_translation

    def broken(parent, key, language, text, default, order):  # writes a number, not text
        real(parent, key, language, text, default, order)
        parent[key][language] = 42

    monkeypatch.setattr("kiosk.tools.strings.set_translation", broken)
    before = snapshot(content)
    file = export(content, "po")
    edit_translation(file, "po", "ui.nav_home", "Startseite")
    assert import_(content, file) == 1
    err = capsys.readouterr().err
    assert "nothing imported: the result would not be valid content" in err
    assert "ui/frame.yaml:6:9: error: ui.nav_home.de: expected text" in err
    assert snapshot(content) == before


def test_invalid_content_is_refused_before_import(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = export(content, "po")
    edit_translation(file, "po", "ui.nav_home", "Startseite")
    frame = content / "ui" / "frame.yaml"
    frame.write_text(frame.read_text().replace("brand: FAW", "brand: [FAW"))
    before = snapshot(content)
    assert import_(content, file) == 1
    assert "the content is not valid; fix it first" in capsys.readouterr().err
    assert snapshot(content) == before


def test_dry_run_writes_nothing(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    file = export(content, "xliff")
    edit_translation(file, "xliff", "ui.nav_home", "Startseite")
    assert import_(content, file, "--dry-run") == 0
    assert "would update 1 text(s)" in capsys.readouterr().out
    assert snapshot(content) == before


def test_commit_refuses_a_file_changed_meanwhile(content: Path) -> None:
    frame = content / "ui" / "frame.yaml"
    original = frame.read_bytes()
    frame.write_bytes(original + b"# edited by someone else\n")
    new = original.replace(b"de: Start", b"de: Startseite")
    with pytest.raises(EditError, match="changed while this ran"):
        commit(content / "content.yaml", {frame: new}, {frame: original}, lambda _c: [])
    assert frame.read_bytes() == original + b"# edited by someone else\n"


def test_merge3_takes_each_sides_change() -> None:
    base = ["a\n", "b\n", "c\n", "d\n"]
    ours = ["a\n", "B\n", "c\n", "d\n"]  # formatting the library does not keep
    theirs = ["a\n", "b\n", "c\n", "x\n", "d\n"]  # the edit
    assert merge3(base, ours, theirs) == (["a\n", "B\n", "c\n", "x\n", "d\n"], 0)
    assert merge3(base, ours, ["a\n", "y\n", "c\n", "d\n"]) == (["a\n", "y\n", "c\n", "d\n"], 1)


def test_import_with_api_reports(content: Path) -> None:
    file = export(content, "csv")
    edit_translation(file, "csv", "ui.touch_to_start", "Berühren")
    with pytest.raises(StringsError, match=r"holds .de. texts"):
        import_strings(file, content, language="fr")
    report = import_strings(file, content)
    assert (report.language, report.updated, report.files) == ("de", ["ui.touch_to_start"], ["ui/frame.yaml"])


def test_tools_import_no_qt() -> None:
    code = (
        "import sys, kiosk.cli, kiosk.tools.strings, kiosk.tools.new_language;"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
