"""Read a YAML file into a node tree with positions, refusing what content files must not use.

Only PyYAML's safe composer is used: no Python object is ever constructed from a tag. Working on
the node tree keeps a position on every value, lets the validator tell a quoted "NO" from a
YAML 1.1 boolean, and finds duplicate keys, which ``safe_load`` silently drops.
"""

from __future__ import annotations

import hashlib
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
# Guards against a file that would take the kiosk's memory. Content YAML composes into about
# 7x its size in nodes (13.6 MB, the timeline of content 100x the shipped size: 100 MB, 300,000
# values), so 64 MB per file stays under half a gigabyte at the density of real content (a file
# of nothing but tiny values could take more: content staff are trusted, the limit is against
# mistakes such as a data dump saved as YAML). MAX_NODES bounds the checks' walk over the tree,
# and aliases are never expanded (see _check_tree), so an alias bomb stays small.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_NODES = 2_000_000
# An anchor is a token: it starts a line or follows white space, a flow indicator, or ':' / '?'
# (indicators even without a space inside [] and {}). An '&' inside a plain word (a URL's
# ?a=1&b=2) cannot start one.
_BEFORE_ANCHOR = frozenset("[]{},:?")


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


def read_text(
    path: Path, display: str, digests: dict[Path, str] | None = None
) -> tuple[str | None, list[Issue]]:
    """Read a file as UTF-8, or report where the first byte that is not UTF-8 stands.

    With ``digests``, record the SHA-256 of the bytes read, for the content cache's key.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Issue(Position(display, 1, 1), "file not found")]
    except OSError as exc:
        return None, [Issue(Position(display, 1, 1), f"cannot read file: {exc.strerror}")]
    if digests is not None:
        digests[path] = hashlib.sha256(data).hexdigest()
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
        return None, [syntax_issue(exc, text, display)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks every error it raises
        return None, [Issue(Position(display, 1, 1), f"YAML error: {exc}")]
    if root is None:
        return None, [Issue(Position(display, 1, 1), "file is empty")]
    issues = _check_tree(root, text, display) + _anchor_issues(text, display)
    if any(i.severity == "error" for i in issues):
        return None, issues
    return root, issues


def _anchor_issues(text: str, display: str) -> list[Issue]:
    """The first anchor (&name): harmless alone, but only there to be aliased, so refused too."""
    if not may_hold_anchor(text):
        return []  # the second parse only when an anchor may stand somewhere
    for event in yaml.parse(_NamedText(text, display), Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, yaml.AliasEvent):
            return [
                Issue(
                    position_of(event.start_mark, display),
                    f"anchors (&{anchor}) are not allowed in content files",
                    hint=f"remove '&{anchor}' and write every value out in full",
                )
            ]
    return []


def may_hold_anchor(text: str) -> bool:
    """Whether an anchor may stand in the text: true for every anchor, and for a few non-anchors.

    str.find over the rare '&' is much faster than a regular expression that must try a
    look-behind at every character.
    """
    i = text.find("&")
    while i != -1:
        before = text[i - 1] if i else "\n"
        after = text[i + 1 : i + 2]
        if (before.isspace() or before in _BEFORE_ANCHOR) and after and not after.isspace():
            return True
        i = text.find("&", i + 1)
    return False


def syntax_issue(exc: yaml.MarkedYAMLError, text: str, display: str) -> Issue:
    """A YAML syntax error in words content staff understand, where they can fix it.

    libyaml's own wording ("did not find expected key") names the parser's state, not the
    mistake; the common mistakes are recognised here, the rest keep libyaml's words.
    """
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    where = f"line {opened.line + 1}, column {opened.column + 1}" if opened else ""
    char = _char_at(text, mark)
    hint = ""
    if "tab" in problem or char == "\t":
        message = "found a tab character; YAML indents with spaces only"
        hint = "replace the tab with spaces"
    elif "could not find expected ':'" in problem and opened is not None:
        mark = opened  # the key that lacks its colon, not the line after it
        message = "expected ':' after this key, found the end of the line"
        hint = "write key: value"
    elif "mapping values are not allowed" in problem:
        message = "found ':' inside a value; a value cannot start a new key: value here"
        hint = "check the indentation of this line, or quote text that contains ': '"
    elif context.startswith("while parsing a flow "):
        close = "}" if "mapping" in context else "]"
        open_ = "{" if close == "}" else "["
        found = repr(char) if char else "the end of the file"
        message = f"expected ',' or {close!r}, found {found}: the {open_!r} at {where} is not closed"
        hint = f"close it with {close!r}"
    elif (
        context.startswith("while parsing a block")
        and ("expected '-'" in problem or "expected key" in problem)
        and mark is not None
        and text.split("\n")[mark.line][: mark.column].strip()
    ):
        message = f"found {char!r} after the end of a value"
        hint = (
            "quote the whole value; if a quote opened on an earlier line is not closed, "
            "it ends just before this"
        )
    elif context.startswith("while parsing a block") and (
        "expected '-'" in problem or "expected key" in problem
    ):
        what = "a list entry ('- ')" if "collection" in context else "a key"
        message = (
            f"bad indentation: expected {what} lined up with the block that starts at {where}"
        )
        hint = "indent this line with as many spaces as the lines it belongs with"
    elif "while scanning a quoted scalar" in context and opened is not None:
        mark = opened
        message = "this quote is not closed"
        hint = "end the text with the same quote mark"
    elif "undefined alias" in problem:
        message = "found '*', which starts an alias; aliases are not allowed in content files"
        hint = "quote text that starts with '*'"
    elif "cannot start any token" in problem:
        message = f"found {char!r}, which cannot start a value"
        hint = f"quote text that starts with {char!r}"
    elif "sequence entries are not allowed" in problem:
        message = "found '- ' inside a value; a list cannot start here"
        hint = "put the list entries on their own lines, indented, or quote the text"
    elif "single document" in context:
        message = "found a second document ('---'); a content file holds one"
        hint = "remove the '---' line, or move what follows into another file"
    else:
        message = f"{context}, {problem}" if context else problem
    return Issue(position_of(mark, display), f"YAML syntax error: {message}", hint=hint)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character at a mark ("" at the end of the file)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return "" if mark.line >= len(lines) - 1 else "\n"
    return lines[mark.line][mark.column]


def _check_tree(root: yaml.Node, text: str, display: str) -> list[Issue]:
    """Refuse aliases, unknown tags and duplicate keys; bounded, so a bomb cannot hang us.

    This walks every node of every file, so it is written for speed: exact type tests, and
    the per-node work only where it can find something.
    """
    issues: list[Issue] = []
    # The C composer returns the anchored node again for every alias. An alias needs an anchor
    # (else the composer fails), so without one no node can be met twice: no need to track ids.
    seen: set[int] | None = set() if may_hold_anchor(text) else None
    stack = [root]
    count = 0
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            issues.append(Issue(node_position(root), "file has too many values"))
            break
        if seen is not None:
            if id(node) in seen:
                # find the alias itself
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
        kind = type(node)
        if kind is mapping:
            pairs = node.value
            keys = [k.value for k, _ in pairs if type(k) is scalar]
            if len(set(keys)) != len(keys):
                issues.extend(_duplicate_keys(node))
            for key, value in pairs:
                stack.append(value)
                stack.append(key)
        elif kind is sequence:
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
    # Positions are built only for a duplicate: almost every mapping has none, and building one
    # for every key was a third of the tree check.
    issues = []
    first: dict[str, yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value in first:
            line = first[key.value].start_mark.line + 1
            issues.append(
                Issue(
                    node_position(key),
                    f"duplicate key {key.value!r} (first defined at line {line})",
                    hint="YAML keeps only the last one; remove or rename one of them",
                )
            )
        else:
            first[key.value] = key
    return issues


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag
