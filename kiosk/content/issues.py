"""Problems found in content, reported like a compiler: FILE:LINE:COL: severity: message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A place in a content file; line and column are 1-based."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Issue:
    """One problem in the content.

    Attributes:
        position: where it is.
        message: what was expected and what was found.
        path: the key path, e.g. ``cities[3].country`` (empty for file-level problems).
        hint: advice, e.g. "did you mean 'latitude'?" or "quote it".
        severity: ``error`` or ``warning``.
    """

    position: Position
    message: str
    path: str = ""
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        text = f"{self.position}: {self.severity}: {where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format()


class ContentError(Exception):
    """Raised once with every problem found, never at the first one."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues: tuple[Issue, ...] = tuple(sorted(issues, key=sort_key))
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(issue.format() for issue in self.issues)


def sort_key(issue: Issue) -> tuple[str, int, int]:
    """File, line, column: the order in which to list issues (a stable sort keeps the order in
    which they were found for issues at one place, e.g. missing keys in declaration order)."""
    p = issue.position
    return (p.file, p.line, p.column)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ...?" hint for a misspelled key or id, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""
