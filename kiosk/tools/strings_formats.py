"""Translation exchange files: gettext PO (Babel), XLIFF 1.2 (ElementTree) and CSV (csv).

Every format carries the same thing per field: its key path, the file and line it stands on, the
source text (the default language's), the translation (empty: not translated yet), and notes.

* PO: ``msgctxt`` = key path, ``msgid`` = source text, ``msgstr`` = translation, ``#:`` =
  file:line, ``#.`` = notes; the header's ``Language`` names the target language. Entries marked
  ``#, fuzzy`` are not imported (the gettext convention: a guess, not yet a translation).
* XLIFF 1.2: one ``<file original="cities.yaml">`` per content file; ``<trans-unit id=key path>``
  with ``<source>``, ``<target>``, a ``context-group`` (file, line) and ``<note>``s. Targets whose
  ``state`` is ``needs-review-*`` are not imported (XLIFF's "fuzzy").
* CSV (UTF-8 with a byte order mark, so spreadsheets read it as UTF-8): columns key, file, line,
  source, translation, language, note.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("po", "xliff", "csv")
_SUFFIXES = {".po": "po", ".pot": "po", ".xlf": "xliff", ".xliff": "xliff", ".csv": "csv"}
SUFFIX = {"po": ".po", "xliff": ".xlf", "csv": ".csv"}

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_READY_STATES = frozenset(
    {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
)
CSV_COLUMNS = ("key", "file", "line", "source", "translation", "language", "note")
MAX_BYTES = 50_000_000


class FormatError(Exception):
    """A file that cannot be read as a translation file; the message says where and why."""


@dataclass
class Entry:
    """One translatable field in an exchange file.

    Attributes:
        key: key path, e.g. ``cities[3].highlights[0]``.
        source: its text in the source (default) language.
        translation: its text in the target language; empty when not translated.
        file: the content file it stands in, relative to the content folder.
        line: the line of its value there.
        notes: for the translator (language-neutral field, source in another language, ...).
        ready: False when the file marks the translation as not final (PO fuzzy, XLIFF review).
    """

    key: str
    source: str
    translation: str = ""
    file: str = ""
    line: int = 0
    notes: list[str] = field(default_factory=list)
    ready: bool = True


@dataclass
class Strings:
    """The contents of an exchange file: the target language (as the file names it) and entries."""

    language: str | None
    entries: list[Entry]
    source_language: str | None = None


def detect_format(path: Path) -> str:
    """po, xliff or csv, from the file name's ending."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_SUFFIXES))
        raise FormatError(f"{path}: cannot tell the format from the name (expected {known}); give --format")
    return fmt


def write(fmt: str, strings: Strings, project: str) -> bytes:
    if fmt == "po":
        return write_po(strings, project)
    if fmt == "xliff":
        return write_xliff(strings)
    if fmt == "csv":
        return write_csv(strings)
    raise ValueError(fmt)


def read(fmt: str, data: bytes, name: str) -> Strings:
    """Parse an exchange file; raise FormatError when it is malformed."""
    if len(data) > MAX_BYTES:
        raise FormatError(f"{name}: {len(data):,} bytes is more than a translation file should be")
    if fmt == "po":
        return read_po(data, name)
    if fmt == "xliff":
        return read_xliff(data, name)
    if fmt == "csv":
        return read_csv(data, name)
    raise ValueError(fmt)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- PO ------------------------------------------------------------------------------------------


def write_po(strings: Strings, project: str) -> bytes:
    from babel import Locale
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po as babel_write_po

    header = (  # lines under 76 characters: Babel wraps longer ones
        f"# Translations of the {project} into {strings.language}.\n"
        "# Written by `kiosk strings export`; read back by `kiosk strings import`.\n"
        "# msgctxt: where the text stands (key path); msgid: the source text;\n"
        "# msgstr: the translation. An empty msgstr changes nothing.\n"
        "#"
    )
    catalog = Catalog(
        locale=Locale.parse(strings.language, sep="-") if strings.language else None,
        header_comment=header,
        project=project,
        version="1",
        fuzzy=False,
    )
    for entry in strings.entries:
        message = catalog.add(
            entry.source,
            entry.translation,
            locations=[(entry.file, entry.line)] if entry.file else (),
            auto_comments=entry.notes,
            context=entry.key,
        )
        # Babel guesses format flags from a "%" or "{" in the text; content has no placeholders
        message.flags.difference_update({"python-format", "python-brace-format"})
    out = io.BytesIO()
    babel_write_po(out, catalog, width=76)
    return out.getvalue()


def read_po(data: bytes, name: str) -> Strings:
    from babel.core import UnknownLocaleError
    from babel.messages.pofile import PoFileError
    from babel.messages.pofile import read_po as babel_read_po

    try:
        catalog = babel_read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnknownLocaleError, ValueError, UnicodeDecodeError) as exc:
        raise FormatError(f"{name}: not a valid PO file: {exc}") from None
    if catalog.locale_identifier is None and not len(catalog):
        raise FormatError(f"{name}: not a valid PO file: no header and no messages")
    entries = []
    for message in catalog:
        if message.id == "":
            continue  # the header
        where = f"{name}:{message.lineno}" if message.lineno else name
        if isinstance(message.id, (list, tuple)):
            raise FormatError(f"{where}: plural forms (msgid_plural) are not used by the content")
        if not message.context:
            raise FormatError(f"{where}: msgid {message.id!r} has no msgctxt (the key path)")
        locations = list(message.locations)
        entries.append(
            Entry(
                key=message.context,
                source=_normalise(message.id),
                translation=_normalise(message.string or ""),
                file=locations[0][0] if locations else "",
                line=int(locations[0][1] or 0) if locations else 0,
                notes=list(message.auto_comments),
                ready=not message.fuzzy,
            )
        )
    language = catalog.locale_identifier
    return Strings(language.replace("_", "-") if language else None, entries)


# --- XLIFF 1.2 -----------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def write_xliff(strings: Strings) -> bytes:
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    files: dict[str, ET.Element] = {}
    for entry in strings.entries:
        body = files.get(entry.file)
        if body is None:
            attrs = {"original": entry.file or "content", "datatype": "plaintext"}
            if strings.source_language:
                attrs["source-language"] = strings.source_language
            if strings.language:
                attrs["target-language"] = strings.language
            body = files[entry.file] = ET.SubElement(ET.SubElement(root, _q("file"), attrs), _q("body"))
        unit = ET.SubElement(
            body, _q("trans-unit"), {"id": entry.key, "resname": entry.key, XML_SPACE: "preserve"}
        )
        ET.SubElement(unit, _q("source")).text = entry.source
        target = ET.SubElement(
            unit, _q("target"), {"state": "translated" if entry.translation else "new"}
        )
        target.text = entry.translation
        if entry.file:
            group = ET.SubElement(unit, _q("context-group"), {"purpose": "location"})
            ET.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = entry.file
            ET.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = str(entry.line)
        for note in entry.notes:
            ET.SubElement(unit, _q("note"), {"from": "kiosk"}).text = note
    ET.indent(root, space="  ")
    out = io.BytesIO()
    ET.register_namespace("", XLIFF_NS)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    out.write(b"\n")
    return out.getvalue()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterable[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _text_of(element: ET.Element | None, where: str) -> str:
    if element is None:
        return ""
    if len(element):
        raise FormatError(f"{where}: <{_local(element.tag)}> holds markup; only plain text is used")
    return _normalise(element.text or "")


def read_xliff(data: bytes, name: str) -> Strings:
    # ElementTree never fetches external entities, and expat >= 2.4.1 refuses entity expansion
    # bombs: reading a file from a translation agency is safe.
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FormatError(f"{name}: not valid XML: {exc}") from None
    if _local(root.tag) != "xliff":
        raise FormatError(f"{name}: not an XLIFF file (the root element is <{_local(root.tag)}>)")
    if root.get("version") != "1.2":
        raise FormatError(f"{name}: XLIFF version {root.get('version')!r}; only 1.2 is read")
    languages = set()
    sources = set()
    entries = []
    for file in _children(root, "file"):
        languages.add(file.get("target-language"))
        sources.add(file.get("source-language"))
        default_file = file.get("original", "")
        for body in _children(file, "body"):
            for unit in body.iter():
                if _local(unit.tag) != "trans-unit":
                    continue
                key = unit.get("resname") or unit.get("id")
                where = f"{name}: trans-unit {key!r}"
                if not key:
                    raise FormatError(f"{name}: a trans-unit without id")
                source = next(_children(unit, "source"), None)
                if source is None:
                    raise FormatError(f"{where}: no <source>")
                target = next(_children(unit, "target"), None)
                file_name, line = default_file, 0
                for context in unit.iter():
                    if _local(context.tag) != "context":
                        continue
                    if context.get("context-type") == "sourcefile":
                        file_name = context.text or file_name
                    elif context.get("context-type") == "linenumber":
                        line = int(context.text) if (context.text or "").isdigit() else 0
                entries.append(
                    Entry(
                        key=key,
                        source=_text_of(source, where),
                        translation=_text_of(target, where),
                        file=file_name,
                        line=line,
                        notes=[n.text or "" for n in _children(unit, "note")],
                        ready=target is None or target.get("state") not in _NOT_READY_STATES,
                    )
                )
    languages.discard(None)
    if len(languages) > 1:
        raise FormatError(f"{name}: <file> elements name several target languages: {sorted(languages)}")
    sources.discard(None)
    return Strings(
        next(iter(languages), None), entries, next(iter(sources)) if len(sources) == 1 else None
    )


# --- CSV -----------------------------------------------------------------------------------------


def write_csv(strings: Strings) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in strings.entries:
        writer.writerow(
            [e.key, e.file, e.line or "", e.source, e.translation, strings.language or "", "; ".join(e.notes)]
        )
    return out.getvalue().encode("utf-8-sig")


def read_csv(data: bytes, name: str) -> Strings:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{name}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [c for c in ("key", "source", "translation") if c not in header]
        if missing:
            raise FormatError(
                f"{name}: missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}"
            )
        entries = []
        languages = set()
        for row in reader:
            where = f"{name}:{reader.line_num}"
            if None in row:
                raise FormatError(f"{where}: more fields than columns")
            key = (row.get("key") or "").strip()
            if not key:
                if any((v or "").strip() for v in row.values()):
                    raise FormatError(f"{where}: no key")
                continue
            if row.get("source") is None or row.get("translation") is None:
                raise FormatError(f"{where}: fewer fields than columns")
            if row.get("language"):
                languages.add(row["language"].strip())
            line = (row.get("line") or "").strip()
            entries.append(
                Entry(
                    key=key,
                    source=_normalise(row["source"]),
                    translation=_normalise(row["translation"]),
                    file=row.get("file") or "",
                    line=int(line) if line.isdigit() else 0,
                )
            )
    except csv.Error as exc:
        raise FormatError(f"{name}: not valid CSV near line {reader.line_num + 1}: {exc}") from None
    if len(languages) > 1:
        raise FormatError(f"{name}: the language column names several languages: {sorted(languages)}")
    return Strings(next(iter(languages), None), entries)
