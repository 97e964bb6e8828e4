"""Pick the text for a language along its fallback chain; report translation coverage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.content.model import Content, LocalText, Origin, iter_local_texts


@dataclass(frozen=True)
class Fallback:
    """A text shown in another language than the one asked for."""

    origin: Origin | None
    wanted: str
    shown: str | None


class Localiser:
    """Resolves texts for one language and records every fallback it had to make.

    Attributes:
        language: the language asked for.
        chain: the languages tried, in order.
        fallbacks: texts shown in another language (or missing altogether), in order of use.
    """

    def __init__(self, content: Content, language: str):
        self.content = content
        self.language = language
        self.chain = content.meta.chain(language)
        self.fallbacks: dict[str, Fallback] = {}

    def text(self, value: LocalText | None, default: str = "") -> str:
        if value is None:
            return default
        text, used = value.resolve(self.chain)
        if used != self.language and value.neutral is None:
            key = value.origin.path if value.origin else repr(value)
            self.fallbacks[key] = Fallback(value.origin, self.language, used)
        return text if used is not None else default

    def ui(self, key: str) -> str:
        """An interface string by key; the key itself when content lacks it (tests catch that)."""
        value = self.content.ui.get(key)
        if value is None:
            return key
        return self.text(value)

    def language_of(self, value: LocalText | None) -> str | None:
        """Which language ``text()`` would show for this value."""
        if value is None:
            return None
        return value.resolve(self.chain)[1]


@dataclass
class LanguageCoverage:
    """How much of the content is translated into one language."""

    language: str
    total: int = 0
    translated: int = 0
    missing: list[Origin] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def coverage(content: Content, languages: Iterable[str] | None = None) -> list[LanguageCoverage]:
    """Per language, the translatable fields that have (or lack) a text of their own.

    Language-neutral texts (plain strings such as proper names) count as translated.
    """
    codes = list(languages) if languages is not None else list(content.meta.codes)
    texts = list(iter_local_texts(content))
    report = []
    for code in codes:
        cov = LanguageCoverage(code)
        for value in texts:
            cov.total += 1
            if value.get(code) is not None:
                cov.translated += 1
            elif value.origin is not None:
                cov.missing.append(value.origin)
        report.append(cov)
    return report
