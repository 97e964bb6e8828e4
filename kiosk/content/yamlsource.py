"""Read a YAML file into a node tree with positions, refusing what content files must not use.

Only PyYAML's safe composer is used: no Python object is ever constructed from a tag. Working on
the node tree keeps a position on every value, lets the validator tell a quoted "NO" from a
YAML 1.1 boolean, and finds duplicate keys, which ``safe_load`` silently drops.
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml

from kiosk.content.issues import Issue, Position

# The C composer is several times faster; its marks are the same as the pure-Python one's.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TAG_PREFIX = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
MAX_FILE_BYTES = 5_000_000
MAX_NODES = 2_000_000


class _NamedText(io.StringIO):
    """A text stream with a name, so that every mark carries the file's path."""

    def __init__(self, text: str, name: str):
        super().__init__(text)
        self.name = name


class _NoAliasLoader(yaml.SafeLoader):
    """Pure-Python composer that stops at the first alias, to report where it stands."""

    def compose_node(self, parent, index):  # PyYAML's signature, untyped
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in content files", event.start_mark
            )
        return super().compose_node(parent, index)


def position_of(mark: yaml.Mark | None, fallback_file: str = "?") -> Position:
    """Turn a 0-based PyYAML mark into a 1-based position."""
    if mark is None:
        return Position(fallback_file, 1, 1)
    return Position(str(mark.name), mark.line + 1, mark.column + 1)


def node_position(node: yaml.Node) -> Position:
    return position_of(node.start_mark)


def read_text(path: Path, display: str) -> tuple[str | None, list[Issue]]:
    """Read a file as UTF-8, or report where the first byte that is not UTF-8 stands."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Issue(Position(display, 1, 1), "file not found")]
    except OSError as exc:
        return None, [Issue(Position(display, 1, 1), f"cannot read file: {exc.strerror}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Issue(
                Position(display, 1, 1),
                f"file is {len(data):,} bytes; content files are limited to {MAX_FILE_BYTES:,}",
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        # the column in characters, as editors count it: the line so far is valid UTF-8
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        message = f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded"
        return None, [
            Issue(Position(display, line, column), message, hint="save the file as UTF-8")
        ]


def compose(text: str, display: str) -> tuple[yaml.Node | None, list[Issue]]:
    """Parse one YAML document into a node tree; syntax errors become issues with positions."""
    try:
        root = yaml.compose(_NamedText(text, display), Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}, {message}"
        return None, [Issue(position_of(mark, display), f"YAML syntax error: {message}")]
    except yaml.YAMLError as exc:  # e.g. a second document in the stream
        return None, [Issue(Position(display, 1, 1), f"YAML error: {exc}")]
    if root is None:
        return None, [Issue(Position(display, 1, 1), "file is empty")]
    issues = _check_tree(root, text, display)
    if any(i.severity == "error" for i in issues):
        return None, issues
    return root, issues


def _check_tree(root: yaml.Node, text: str, display: str) -> list[Issue]:
    """Refuse aliases, unknown tags and duplicate keys; bounded, so a bomb cannot hang us."""
    issues: list[Issue] = []
    seen: set[int] = set()
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            issues.append(Issue(node_position(root), "file has too many values"))
            break
        if id(node) in seen:
            # The C composer returns the anchored node again for every alias: find the alias itself.
            issues.append(_alias_issue(text, display, node))
            break
        seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            issues.append(
                Issue(
                    node_position(node),
                    f"tag {_short_tag(node.tag)!r} is not allowed in content files",
                    hint="remove the tag; content files hold plain text, numbers and lists",
                )
            )
            continue
        if isinstance(node, yaml.MappingNode):
            issues.extend(_duplicate_keys(node))
            for key, value in node.value:
                stack.append(value)
                stack.append(key)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return issues


def _alias_issue(text: str, display: str, node: yaml.Node) -> Issue:
    try:
        yaml.compose(_NamedText(text, display), Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        return Issue(
            position_of(exc.problem_mark, display),
            "aliases (*name) are not allowed in content files",
            hint="write the value out in full",
        )
    return Issue(node_position(node), "aliases (*name) are not allowed in content files")


def _duplicate_keys(node: yaml.MappingNode) -> list[Issue]:
    issues = []
    first: dict[str, Position] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        pos = node_position(key)
        if key.value in first:
            issues.append(
                Issue(
                    pos,
                    f"duplicate key {key.value!r} (first defined at line {first[key.value].line})",
                    hint="YAML keeps only the last one; remove or rename one of them",
                )
            )
        else:
            first[key.value] = pos
    return issues


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag
