"""Hand the content's texts to translators and bring their work back: ``kiosk strings``.

``export`` writes every translatable field (a ``LocalText``) with its key path, file:line, its
source text (the default language's) and the current text in the target language, as PO, XLIFF
1.2 or CSV (see :mod:`kiosk.tools.strings_formats`).

Language-neutral fields (a plain string such as ``name: FAW``, "the same in every language") are
left out by default: they are names that are never translated. With ``--include-neutral`` they are
exported too, with a note saying so; a translation given for one turns the plain string into a
map ``{<default>: FAW, <lang>: ...}``; the other languages then fall back to the default
language's text (the same text as before, but ``kiosk coverage`` now counts them as missing).

``import`` writes translations back into the YAML files with ruamel.yaml in round-trip mode
(:mod:`kiosk.tools.strings_yaml`): only the lines of the changed texts change. An entry is
skipped, with a count or a warning, when its translation is empty (an empty translation never
erases a text), marked not final (PO ``fuzzy``, XLIFF ``needs-review-*``), the same as the text
already there, or when its source text is no longer the field's source text (the content changed
since the export: the translation may be stale, or the key path may now name another field).
An import that cannot be made whole (unknown key path, a malformed file, a language that is not
offered, a result that is not valid content) changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content import Content, LocalText, check
from kiosk.content.issues import did_you_mean
from kiosk.content.loader import display_path, resolve_content_path
from kiosk.content.model import iter_local_texts
from kiosk.tools.strings_formats import Entry, FormatError, Strings, detect_format, read, write
from kiosk.tools.strings_yaml import (
    EditError,
    YamlFile,
    commit,
    content_differences,
    file_of,
    locate,
    set_translation,
)

PROJECT = "Changchun Showcase content"
NEUTRAL_NOTE = (
    "language-neutral: a plain string, the same text in every language (a name); translate it "
    "only if this language needs its own form"
)


class StringsError(Exception):
    """The export or import cannot be made; the message says why. Nothing was changed."""


# --- reading the content -------------------------------------------------------------------------


def load_content(path: str | Path | None) -> tuple[Content, Path]:
    """Valid content and its content.yaml, or StringsError with every problem."""
    main = resolve_content_path(path).absolute()
    content, issues = check(main)
    if content is None:
        errors = "\n  ".join(i.format() for i in issues if i.severity == "error")
        raise StringsError(
            f"{display_path(main)}: the content is not valid; fix it first (kiosk validate):\n  {errors}"
        )
    return content, main


def source_text(value: LocalText, content: Content) -> tuple[str, str | None]:
    """The text translators translate from, and its language (None: language-neutral).

    The default language's text; a field without one offers the first language that has one.
    """
    if value.neutral is not None:
        return value.neutral, None
    default = content.meta.default_language
    for code in (default, *content.meta.codes):
        text = value.texts.get(code)
        if text is not None:
            return text, code
    return "", None  # pragma: no cover - the validator refuses a text without any language


def texts_by_path(content: Content) -> dict[str, LocalText]:
    return {v.origin.path: v for v in iter_local_texts(content) if v.origin is not None}


def _in_file_order(content: Content) -> list[LocalText]:
    order = {Path(f).resolve(): i for i, f in enumerate(content.files)}

    def key(value: LocalText) -> tuple[int, int, int]:
        assert value.origin is not None
        pos = value.origin.position
        return order.get(file_of(pos.file), len(order)), pos.line, pos.column

    return sorted(texts_by_path(content).values(), key=key)


def offered_language(content: Content, code: str, what: str) -> str:
    """The content's spelling of a language code (files may write zh_Hant for zh-Hant)."""
    wanted = code.replace("_", "-").lower()
    for offered in content.meta.codes:
        if offered.lower() == wanted:
            if offered == content.meta.default_language:
                raise StringsError(
                    f"{what}: {offered!r} is the default language, the source of every "
                    "translation; edit its texts in the YAML files"
                )
            return offered
    codes = ", ".join(content.meta.codes)
    hint = did_you_mean(code, content.meta.codes)
    raise StringsError(
        f"{what}: language {code!r} is not offered (offered: {codes})"
        + (f"; {hint}" if hint else f"; add it first with: kiosk new-language {code}")
    )


# --- export --------------------------------------------------------------------------------------


def collect(content: Content, language: str, include_neutral: bool = False) -> Strings:
    """The exchange entries for one target language, in file order."""
    root = Path(content.root).resolve()
    entries = []
    for value in _in_file_order(content):
        assert value.origin is not None
        if value.neutral is not None and not include_neutral:
            continue
        source, source_language = source_text(value, content)
        notes = []
        if value.neutral is not None:
            notes.append(NEUTRAL_NOTE)
            translation = ""
        else:
            translation = value.texts.get(language, "")
            if source_language != content.meta.default_language:
                notes.append(
                    f"source text in {source_language}: the field has no "
                    f"{content.meta.default_language} text"
                )
        pos = value.origin.position
        try:
            file = file_of(pos.file).relative_to(root).as_posix()
        except ValueError:  # pragma: no cover - includes are always inside the content folder
            file = pos.file
        entries.append(Entry(value.origin.path, source, translation, file, pos.line, notes))
    return Strings(language, entries, content.meta.default_language)


def export_strings(
    path: str | Path | None, language: str, fmt: str, include_neutral: bool = False
) -> tuple[bytes, Strings]:
    """The exchange file's bytes for one language, and what it holds."""
    content, _ = load_content(path)
    code = offered_language(content, language, "--lang")
    strings = collect(content, code, include_neutral)
    return write(fmt, strings, PROJECT), strings


# --- import --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do).

    Attributes:
        language: the target language.
        updated: key paths whose text was set.
        files: content files written, relative to the content folder.
        unchanged: entries whose translation is already the text there.
        empty: entries without a translation (ignored).
        not_ready: entries marked fuzzy / needs review (ignored).
        stale: (key path, message) of entries whose source text no longer matches (ignored).
        reformatted: files where ruamel's formatting shows beside an edit.
    """

    language: str
    updated: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0
    not_ready: int = 0
    stale: list[tuple[str, str]] = field(default_factory=list)
    reformatted: list[str] = field(default_factory=list)


def read_strings(file: Path, fmt: str | None = None) -> Strings:
    try:
        fmt = fmt or detect_format(file)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise StringsError(f"{display_path(file)}: cannot read: {exc.strerror}") from None
        return read(fmt, data, display_path(file))
    except FormatError as exc:
        raise StringsError(str(exc)) from None


def import_strings(
    file: Path,
    path: str | Path | None = None,
    language: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Write the translations of an exchange file into the content; StringsError if it cannot."""
    strings = read_strings(Path(file), fmt)
    content, main = load_content(path)
    shown = display_path(Path(file))
    if language and strings.language and language.replace("_", "-").lower() != strings.language.lower():
        raise StringsError(f"{shown} holds {strings.language!r} texts, not {language!r}")
    if not (language or strings.language):
        raise StringsError(f"{shown} does not say which language it holds: give --lang")
    code = offered_language(content, language or strings.language or "", shown)
    report = ImportReport(code)

    texts = texts_by_path(content)
    plan: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, Entry] = {}
    for entry in strings.entries:
        if entry.key in seen:
            if entry.translation != seen[entry.key].translation:
                raise StringsError(f"{shown}: {entry.key} is given twice, with different translations")
            continue
        seen[entry.key] = entry
        value = texts.get(entry.key)
        if value is None:
            unknown.append(entry.key)
            continue
        if not entry.translation.strip():
            report.empty += 1
            continue
        if not entry.ready:
            report.not_ready += 1
            continue
        source, _ = source_text(value, content)
        if entry.source != source:
            report.stale.append(
                (entry.key, f"the source text is now {_short(source)!r}, not {_short(entry.source)!r}")
            )
            continue
        if value.get(code) == entry.translation:
            report.unchanged += 1
            continue
        plan[entry.key] = entry.translation
    if unknown:
        lines = []
        for key in unknown[:10]:
            hint = did_you_mean(key, texts)
            lines.append(f"{key}" + (f" ({hint})" if hint else ""))
        more = f"\n  ... and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise StringsError(
            f"{shown}: {len(unknown)} key path(s) name no translatable field of "
            f"{display_path(main)}:\n  " + "\n  ".join(lines) + more
        )
    if not plan:
        return report

    root = main.parent.resolve()
    by_file: dict[Path, list[str]] = {}
    for key in plan:
        origin = texts[key].origin
        assert origin is not None
        by_file.setdefault(file_of(origin.position.file), []).append(key)
    changed: dict[Path, bytes] = {}
    originals: dict[Path, bytes] = {}
    meta = content.meta
    try:
        for target, keys in by_file.items():
            yf = YamlFile(target)
            originals[target] = yf.raw
            for key in keys:
                try:
                    parent, slot = locate(yf.data, key)
                except KeyError:
                    raise EditError(f"{display_path(target)}: cannot find {key}") from None
                set_translation(parent, slot, code, plan[key], meta.default_language, meta.codes)
            data = yf.render()
            if data != yf.raw:
                changed[target] = data
            if yf.reformatted:
                report.reformatted.append(target.relative_to(root).as_posix())

        def verify(new: Content) -> list[str]:
            return _check_import(content, new, code, plan)

        commit(main, changed, originals, verify, dry_run)
    except EditError as exc:
        raise StringsError(f"{shown}: nothing imported: {exc}") from None
    report.updated = list(plan)
    report.files = sorted(p.relative_to(root).as_posix() for p in changed)
    return report


def _check_import(old: Content, new: Content, code: str, plan: dict[str, str]) -> list[str]:
    """The new content differs from the old exactly in the planned texts, as planned."""
    problems = []
    differences = content_differences(old, new)
    for key in sorted(set(differences) - set(plan)):
        problems.append(f"{key}: changed, but the import did not ask for it")
    old_texts, new_texts = texts_by_path(old), texts_by_path(new)
    for key, translation in plan.items():
        before, after = old_texts[key], new_texts.get(key)
        if after is None or after.get(code) != translation:
            problems.append(f"{key}: the {code} text would not read back as the translation")
            continue
        for other in old.meta.codes:
            if other == code:
                continue
            want = before.get(other)
            if before.neutral is not None:  # now {default: neutral, code: translation}
                want = before.neutral if other == old.meta.default_language else None
            if after.get(other) != want:
                problems.append(f"{key}: the {other} text would change")
    return problems


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(report: ImportReport, dry_run: bool = False) -> str:
    verb = "would update" if dry_run else "updated"
    files = f" in {', '.join(report.files)}" if report.files else ""
    parts = [f"{verb} {len(report.updated)} text(s) in {report.language}{files}"]
    if report.unchanged:
        parts.append(f"{report.unchanged} unchanged")
    if report.empty:
        parts.append(f"{report.empty} without translation (ignored)")
    if report.not_ready:
        parts.append(f"{report.not_ready} marked fuzzy/needs review (ignored)")
    if report.stale:
        parts.append(f"{len(report.stale)} with a changed source text (ignored)")
    return "; ".join(parts)


def export_summary(strings: Strings) -> str:
    done = sum(1 for e in strings.entries if e.translation)
    return f"{len(strings.entries)} text(s) for {strings.language}, {done} already translated"


__all__: Sequence[str] = (
    "ImportReport",
    "StringsError",
    "collect",
    "export_strings",
    "import_strings",
    "summary",
)
