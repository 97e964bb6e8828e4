"""Offer a new language: ``kiosk new-language CODE [PATH] [--endonym NAME] [--fallback CODE]``.

Adds ``{code: CODE, endonym: NAME, fallback: [<default>]}`` to the end of ``meta.languages`` and
nothing else: every field is then untranslated in that language (it falls back to the default
language), and ``kiosk coverage`` lists the work to do. The file is edited with ruamel.yaml in
round-trip mode (see :mod:`kiosk.tools.strings_yaml`), and written only when the result is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kiosk.content import Content, coverage
from kiosk.content.convert import is_known_language
from kiosk.content.issues import did_you_mean
from kiosk.content.loader import display_path
from kiosk.content.localise import LanguageCoverage
from kiosk.tools.strings import StringsError, load_content
from kiosk.tools.strings_yaml import (
    EditError,
    YamlFile,
    commit,
    content_differences,
    file_of,
    key_scalar,
    move_trailing_comments,
    scalar,
)


class LanguageError(StringsError):
    """The language cannot be added; nothing was changed."""


@dataclass
class NewLanguageReport:
    code: str
    endonym: str
    fallback: tuple[str, ...]
    file: str
    coverage: LanguageCoverage


def default_endonym(code: str) -> str | None:
    """The language's name in itself, from CLDR: "Deutsch", "Français", "中文 (繁體)"."""
    from babel import Locale

    name = Locale.parse(code, sep="-").get_display_name(Locale.parse(code, sep="-"))
    return name[:1].upper() + name[1:] if name else None


def add_language(
    code: str,
    path: str | Path | None = None,
    endonym: str | None = None,
    fallback: list[str] | None = None,
    dry_run: bool = False,
) -> NewLanguageReport:
    """Add a language to meta.languages; LanguageError (and no change) when it cannot be."""
    content, main = load_content(path)
    meta = content.meta
    code = code.strip()
    if "_" in code:
        raise LanguageError(
            f"{code!r}: write language codes in BCP 47 form, with '-': {code.replace('_', '-')!r}"
        )
    if not is_known_language(code):
        hint = did_you_mean(code, ["en", "zh", "zh-Hant", "de", "fr", "es", "ja", "ko", "ru", "ar"])
        raise LanguageError(
            f"{code!r} is not a language code CLDR knows (BCP 47, e.g. fr, es, zh-Hant, pt-BR)"
            + (f"; {hint}" if hint else "")
        )
    same = next((c for c in meta.codes if c.lower() == code.lower()), None)
    if same is not None:
        raise LanguageError(f"language {same!r} is already offered in meta.languages")
    chain = tuple(fallback) if fallback else (meta.default_language,)
    for other in chain:
        if other not in meta.codes:
            raise LanguageError(
                f"fallback {other!r} is not offered (offered: {', '.join(meta.codes)})"
            )
    name = (endonym or "").strip() or default_endonym(code)
    if not name:  # pragma: no cover - CLDR names every locale it knows
        raise LanguageError(f"CLDR has no name for {code!r}: give --endonym")

    assert meta.title.origin is not None
    target = file_of(meta.title.origin.position.file)
    try:
        yf = YamlFile(target)
        languages = yf.data.get("meta", {}).get("languages")
        if not isinstance(languages, CommentedSeq) or not languages:
            raise EditError(f"{display_path(target)}: meta.languages is not a list")
        item = CommentedMap()
        item["code"] = scalar(code)
        item["endonym"] = scalar(name)
        chain_seq = CommentedSeq(key_scalar(c) for c in chain)
        chain_seq.fa.set_flow_style()
        item["fallback"] = chain_seq
        last = languages[-1]
        if isinstance(last, CommentedMap) and last.fa.flow_style():
            item.fa.set_flow_style()
        languages.append(item)
        move_trailing_comments(languages, len(languages) - 2, len(languages) - 1)
        data = yf.render()

        def verify(new: Content) -> list[str]:
            problems = [
                f"{p}: changed, but only meta.languages should"
                for p in content_differences(content, new)
                if p != "meta.languages"
            ]
            added = new.meta.language(code)
            if new.meta.codes != (*meta.codes, code) or added is None:
                problems.append(f"meta.languages would not end with {code!r}")
            elif (added.endonym, added.fallback) != (name, chain):
                problems.append(f"{code!r} would not read back as written")
            return problems

        commit(main, {target: data}, {target: yf.raw}, verify, dry_run)
    except EditError as exc:
        raise LanguageError(f"{code!r} not added: {exc}") from None
    root = main.parent.resolve()
    report = coverage(content, [code])[0]
    return NewLanguageReport(code, name, chain, target.relative_to(root).as_posix(), report)
