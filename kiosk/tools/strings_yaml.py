"""Edit content YAML files in place, keeping everything the edit does not touch, then validate.

The files are edited with ruamel.yaml in round-trip mode, which keeps comments, key order, quotes
and flow/block style. Its output still differs from a hand-written file in small ways (``null``
written as an empty value, a ``---`` dropped, spacing inside flow maps, indentation that differs
from file to file). So the edited document is not written as ruamel dumps it: a three-way merge of
(the original text, ruamel's dump of the unedited document, ruamel's dump of the edited one) takes
the edit from ruamel and every other line from the original file. Only where a formatting
difference and the edit fall on the same lines does ruamel's formatting show (``reformatted``).

Nothing is written before the result has been checked: the edited files go into a temporary copy
of the content folder, :func:`kiosk.content.check` must accept it, and a caller-supplied check
compares the new content with the old one. Then each file is replaced atomically (temporary file
+ ``os.replace``).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from kiosk.content import Content, check
from kiosk.content.loader import display_path
from kiosk.content.model import LocalText

BOM = b"\xef\xbb\xbf"
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = pyyaml.resolver.Resolver()


class EditError(Exception):
    """An edit that cannot be made; the message says why, in words for content staff."""


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer, writing None as ``null`` like the shipped content."""


_Representer.add_representer(
    type(None), lambda self, _data: self.represent_scalar("tag:yaml.org,2002:null", "null")
)


# --- one file ------------------------------------------------------------------------------------


class YamlFile:
    """One content file, loaded for round-trip editing.

    Attributes:
        path: the file.
        raw: its bytes as read (to check nobody changed it meanwhile).
        data: the ruamel document; edit it, then call :meth:`render`.
        reformatted: after :meth:`render`, how many places show ruamel's formatting because it
            differed from the original on the lines the edit touched.
    """

    def __init__(self, path: Path):
        self.path = path
        try:
            self.raw = path.read_bytes()
        except OSError as exc:
            raise EditError(f"{display_path(path)}: cannot read: {exc.strerror}") from None
        data = self.raw
        self._bom = data.startswith(BOM)
        try:
            text = data[len(BOM) if self._bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            raise EditError(f"{display_path(path)}: not UTF-8 text") from None
        self._crlf = "\r\n" in text
        self.text = text.replace("\r\n", "\n")
        self._yaml = _round_trip(self.text)
        try:
            self.data = self._yaml.load(self.text)
            # ruamel's rendering of the file as it is: the base of the three-way merge
            self._base = self._dump(self._yaml.load(self.text))
        except YAMLError as exc:
            raise EditError(f"{display_path(path)}: cannot read: {exc}") from None
        self.reformatted = 0

    def _dump(self, data: Any) -> str:
        import io

        out = io.StringIO()
        self._yaml.dump(data, out)
        return out.getvalue()

    def render(self) -> bytes:
        """The file's bytes with the edits made to :attr:`data`, and nothing else changed."""
        edited = self._dump(self.data)
        lines, self.reformatted = merge3(
            self._base.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            edited.splitlines(keepends=True),
        )
        text = "".join(lines)
        if self._crlf:
            text = text.replace("\n", "\r\n")
        return (BOM if self._bom else b"") + text.encode("utf-8")


def _round_trip(text: str) -> YAML:
    y = YAML(typ="rt")
    y.Representer = _Representer
    y.preserve_quotes = True
    y.width = 1_000_000  # never wrap a long line: that would change lines nobody edited
    mapping, sequence, offset = guess_indent(text)
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as ruamel's ``indent()`` takes them.

    Taken from the first nested mapping and the first block sequence under a key; the default is
    the shipped content's style (``key:`` / ``  - item`` / ``    nested: ...``).
    """
    mapping = sequence = offset = None
    key_indent: int | None = None  # indentation of the previous line when it was "key:" alone
    for raw in text.splitlines():
        line = re.sub(r"\s+#.*$", "", raw).rstrip()
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        if key_indent is not None and indent > key_indent:
            if body.startswith("- ") and offset is None:
                offset = indent - key_indent
                after = body[1:]
                sequence = offset + 1 + len(after) - len(after.lstrip(" "))
            elif not body.startswith("- ") and mapping is None:
                mapping = indent - key_indent
        if mapping is not None and offset is not None:
            break
        key_indent = indent if body.endswith(":") and not body.startswith("- ") else None
    offset = 2 if offset is None else offset
    sequence = offset + 2 if sequence is None else max(sequence, offset + 2)
    return mapping or 2, sequence, offset


# --- three-way merge -----------------------------------------------------------------------------


def merge3(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> tuple[list[str], int]:
    """Merge two edits of ``base`` line by line; where both changed the same lines, ``theirs`` wins.

    The classic diff3 algorithm (as in bzr's merge3): regions where all three agree are kept;
    between them, a region changed on one side only takes that side.

    Returns the merged lines and the number of regions where both sides had changed.
    """
    out: list[str] = []
    conflicts = 0
    iz = io_ = it = 0
    for zmatch, zend, omatch, oend, tmatch, tend in _sync_regions(base, ours, theirs):
        b, o, t = base[iz:zmatch], ours[io_:omatch], theirs[it:tmatch]
        if o == t or t == b:
            out.extend(o)
        elif o == b:
            out.extend(t)
        else:
            conflicts += 1
            out.extend(t)
        out.extend(ours[omatch:oend])
        iz, io_, it = zend, oend, tend
    return out, conflicts


def _sync_regions(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> Iterator[tuple[int, int, int, int, int, int]]:
    """Stretches of lines the same in all three: (base start, end, ours start, end, theirs ...)."""
    om = difflib.SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    tm = difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    io_ = it = 0
    while io_ < len(om) and it < len(tm):
        obase, omatch, olen = om[io_]
        tbase, tmatch, tlen = tm[it]
        start, end = max(obase, tbase), min(obase + olen, tbase + tlen)
        if start < end:
            yield (
                start, end,
                omatch + start - obase, omatch + end - obase,
                tmatch + start - tbase, tmatch + end - tbase,
            )
        if obase + olen < tbase + tlen:
            io_ += 1
        else:
            it += 1
    yield len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)


# --- finding and changing values -----------------------------------------------------------------


def locate(root: Any, path: str) -> tuple[Any, Any]:
    """The container and key (or index) of the value at a key path such as ``cities[3].name``.

    Mapping keys are matched whole, the longest first, so that a ``ui`` key may contain a dot.
    Raises KeyError when the path does not lead to a value in this document.
    """
    node, rest = root, path
    parent: Any = None
    key: Any = None
    while rest:
        if isinstance(node, list):
            match = re.match(r"\[(\d+)\]", rest)
            if not match or int(match[1]) >= len(node):
                raise KeyError(path)
            parent, key = node, int(match[1])
            rest = rest[match.end() :]
        elif isinstance(node, dict):
            if parent is not None:
                if not rest.startswith("."):
                    raise KeyError(path)
                rest = rest[1:]
            names = [
                k for k in node
                if isinstance(k, str) and (rest == k or rest.startswith((f"{k}.", f"{k}[")))
            ]
            if not names:
                raise KeyError(path)
            name = max(names, key=len)
            parent, key = node, name
            rest = rest[len(name) :]
        else:
            raise KeyError(path)
        node = parent[key]
    if parent is None:
        raise KeyError(path)
    return parent, key


def is_flow(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node.fa.flow_style())


def plain_is_text(text: str) -> bool:
    """Whether the kiosk's YAML 1.1 loader reads ``text`` unquoted as the same text."""
    return _RESOLVER.resolve(pyyaml.ScalarNode, text, (True, False)) == _STR_TAG


def scalar(text: str, like: Any = None, flow: bool = False) -> Any:
    """A string for ruamel to write, quoted like ``like`` (the value it replaces) when possible.

    Text the kiosk's YAML 1.1 loader would not read back as text unquoted (``yes``, ``no``,
    ``1983``, ``~``) is quoted; text on several lines becomes a literal block (``|``), or a double
    quoted string inside a flow map.
    """
    multiline = "\n" in text
    if isinstance(like, (LiteralScalarString, FoldedScalarString)) and not flow:
        return type(like)(text)
    if multiline:
        return DoubleQuotedScalarString(text) if flow else LiteralScalarString(text)
    if isinstance(like, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return type(like)(text)
    if not plain_is_text(text):
        return SingleQuotedScalarString(text)
    return text


def key_scalar(code: str) -> Any:
    """A language code as a mapping key: quoted when YAML 1.1 would read it as a yes/no ("no")."""
    return code if plain_is_text(code) else DoubleQuotedScalarString(code)


def set_translation(
    parent: Any, key: Any, language: str, text: str, default_language: str, order: Sequence[str]
) -> None:
    """Give the field at ``parent[key]`` the text ``text`` in ``language``.

    A map of languages gets the language replaced, or inserted after the languages that come
    before it in ``order`` (keeping flow style); a plain (language-neutral) string becomes a map
    ``{default_language: old, language: text}``.
    """
    value = parent[key]
    if isinstance(value, CommentedMap):
        existing = next((k for k in value if k == language), None)
        if existing is not None:
            value[existing] = scalar(text, value[existing], is_flow(value))
            return
        rank = {code: i for i, code in enumerate(order)}
        mine = rank.get(language, len(order))
        keys = list(value)
        earlier = [i for i, k in enumerate(keys) if rank.get(str(k), len(order)) < mine]
        position = earlier[-1] + 1 if earlier else 0
        new_key = key_scalar(language)
        value.insert(position, new_key, scalar(text, None, is_flow(value)))
        if earlier and not is_flow(value):
            move_trailing_comments(value, keys[earlier[-1]], new_key)
        return
    if isinstance(value, str):
        multiline = "\n" in value or "\n" in text or isinstance(value, LiteralScalarString)
        new = CommentedMap()
        new[key_scalar(default_language)] = scalar(str(value), value, not multiline)
        new[key_scalar(language)] = scalar(text, None, not multiline)
        if not multiline:
            new.fa.set_flow_style()
        parent[key] = new
        return
    raise EditError(f"expected text or a map of languages, found {type(value).__name__}")


def move_trailing_comments(container: Any, from_key: Any, to_key: Any) -> None:
    """Move the comment and blank lines that follow one entry to a newly inserted entry after it.

    ruamel keeps the lines after an entry (up to the next one) with that entry: a key inserted
    after it would otherwise be written below them, away from its siblings. The entry's own
    end-of-line comment stays where it is.
    """
    token = _take_trailing_lines(container, from_key)
    if token is not None:
        _attach_trailing_lines(container, to_key, token)


def _last_key(node: Any) -> Any:
    return list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1


def _is_block_collection(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not is_flow(node)


def _slot(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_trailing_lines(container: Any, key: Any) -> CommentToken | None:
    value = container[key]
    if _is_block_collection(value):
        return _take_trailing_lines(value, _last_key(value))
    entry = container.ca.items.get(key)
    slot = _slot(container)
    if not entry or len(entry) <= slot or not isinstance(entry[slot], CommentToken):
        return None
    token = entry[slot]
    text = token.value
    if text.startswith("#"):
        eol, _, rest = text.partition("\n")
        eol += "\n"
    else:
        eol, rest = "", text[1:] if text.startswith("\n") else text
    if not rest:
        return None
    if eol:
        token.value = eol
    else:
        entry[slot] = None
    return CommentToken("\n" + rest, token.start_mark, token.end_mark)


def _attach_trailing_lines(container: Any, key: Any, token: CommentToken) -> None:
    value = container[key]
    if _is_block_collection(value):
        _attach_trailing_lines(value, _last_key(value), token)
        return
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[_slot(container)] = token


# --- comparing content ---------------------------------------------------------------------------


def content_differences(old: Any, new: Any, path: str = "") -> dict[str, tuple[Any, Any]]:
    """Every key path where two contents differ: LocalTexts as a whole, other values as leaves.

    A list of a different length counts as one difference at the list's path.
    """
    out: dict[str, tuple[Any, Any]] = {}
    _walk(old, new, path, out)
    return out


def _walk(a: Any, b: Any, path: str, out: dict[str, tuple[Any, Any]]) -> None:
    if isinstance(a, LocalText) or isinstance(b, LocalText):
        if a != b:
            out[path] = (a, b)
    elif is_dataclass(a) and type(a) is type(b):
        for f in fields(a):
            if not f.metadata.get("internal"):
                _walk(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}" if path else f.name, out)
    elif isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, f"{path}[{i}]", out)
    elif isinstance(a, Mapping) and isinstance(b, Mapping) and list(a) == list(b):
        for k in a:
            _walk(a[k], b[k], f"{path}.{k}", out)
    elif a != b:
        out[path] = (a, b)


# --- validate, then write ------------------------------------------------------------------------


def _copy_file(src: str, dst: str) -> None:
    """Copy into the scratch folder; hard-link what is never written there (images), if possible."""
    if not src.lower().endswith((".yaml", ".yml")):
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def commit(
    main: Path,
    changed: Mapping[Path, bytes],
    originals: Mapping[Path, bytes],
    verify: Callable[[Content], list[str]],
    dry_run: bool = False,
) -> None:
    """Validate the content with ``changed`` files in a scratch copy; if good, write them.

    Args:
        main: the content.yaml.
        changed: file -> its new bytes (files inside main's folder).
        originals: file -> the bytes the edit started from; a file changed since is not overwritten.
        verify: extra checks of the new content; returns problems (empty: fine).
        dry_run: validate only.

    Raises EditError, with every problem, when the result is not valid; nothing is written then.
    """
    root = main.parent.resolve()
    with tempfile.TemporaryDirectory(prefix="kiosk-edit-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(
            root,
            copy,
            ignore=shutil.ignore_patterns(".git", "__pycache__", ".*.tmp"),
            copy_function=_copy_file,
        )
        for path, data in changed.items():
            target = copy / path.resolve().relative_to(root)
            target.unlink(missing_ok=True)  # never write through a hard link
            target.write_bytes(data)
        content, issues = check(copy / main.name)
        shown = display_path(root)

        def real(text: str) -> str:
            return text.replace(str(copy), shown)

        if content is None:
            errors = [real(i.format()) for i in issues if i.severity == "error"]
            raise EditError("the result would not be valid content:\n  " + "\n  ".join(errors))
        problems = verify(content)
        if problems:
            raise EditError("the result is not what was asked for:\n  " + "\n  ".join(problems))
    if dry_run:
        return
    for path, data in originals.items():
        try:
            now = path.read_bytes()
        except OSError:
            now = None
        if now != data:
            raise EditError(f"{display_path(path)} changed while this ran; nothing written: try again")
    write_atomically(changed)


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary file beside it, then move each into place."""
    done: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            done.append((name, path))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            shutil.copymode(path, name)
    except BaseException:
        for name, _ in done:
            Path(name).unlink(missing_ok=True)
        raise
    for name, path in done:
        os.replace(name, path)


def file_of(position_file: str) -> Path:
    """The absolute file of a Position (positions name files relative to the working folder)."""
    return Path(position_file).resolve()
