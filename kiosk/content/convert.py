"""Turn a YAML node tree into the typed content objects, collecting every problem on the way.

The dataclasses of ``model`` are the schema: each field's type says what the YAML must hold.
"""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin

import yaml

from kiosk.content.countries import COUNTRY_CODES
from kiosk.content.issues import Issue, Position, did_you_mean
from kiosk.content.model import LocalText, Origin, PartialDate
from kiosk.content.yamlsource import TAG_PREFIX, node_position, position_of

INVALID: Any = object()  # a value that could not be converted; its issue is already recorded

# Words YAML 1.1 reads as booleans although YAML 1.2 (and people) read them as text
_YAML11_BOOL_WORDS = {"yes", "no", "on", "off"}
# Other names content staff use for keys, mapped to the key the format uses
KEY_SYNONYMS = {
    "latitude": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "colour": "color",
    "text": "body",
    "description": "body",
    "sources": "source",
}
_TEXT_KINDS = {
    "id": "an id",
    "color": "a colour as #RRGGBB",
    "country": "an ISO 3166-1 alpha-2 country code",
    "language": "a language code",
}
_SCALAR = yaml.ScalarNode
# YAML's own reading of 0x1F, 1_000 or .inf; its int and float methods keep no state
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = TAG_PREFIX + "str"
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def kind_of(node: yaml.Node) -> str:
    """What kind of value a node is, in words content staff understand."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag[len(TAG_PREFIX) :] if node.tag.startswith(TAG_PREFIX) else node.tag
    words = {
        "str": "text",
        "int": "a whole number",
        "float": "a number",
        "bool": "a yes/no value",
        "null": "nothing (empty)",
        "timestamp": "a date",
    }
    return words.get(tag, tag)


def _describe(node: yaml.Node) -> str:
    """What was found: its kind, and for a single value the value itself."""
    what = kind_of(node)
    if not isinstance(node, yaml.ScalarNode) or node.tag == TAG_PREFIX + "null":
        return what
    return f"{what} {node.value!r}"


class Converter:
    """Converts nodes to typed values; knows the offered languages to check text maps.

    Attributes:
        issues: every problem found, in order.
        positions: key path -> position of its value, for later cross-reference checks.
    """

    def __init__(self, languages: Mapping[str, str] | None = None):
        # language code -> endonym; None while meta itself is being read
        self.languages = languages
        self.issues: list[Issue] = []
        self.positions = Positions()
        # collection path -> every (id, key path of that id) written there, even in entries that
        # failed to convert, so that one broken city does not make every reference to it an error
        self.ids: dict[str, list[tuple[str, str]]] = {}
        # id() of every converted record -> its key path: an entry that failed is left out of its
        # list, so later checks must not rebuild paths from list indexes
        self.record_paths: dict[int, str] = {}
        # paths whose absence is not reported (sections of an include that could not be read)
        self.unreported_missing: set[str] = set()

    def path_of(self, obj: object, default: str) -> str:
        """The key path a converted record came from."""
        return self.record_paths.get(id(obj), default)

    # --- reporting -----------------------------------------------------------------------------

    def error(self, node: yaml.Node | Position, path: str, message: str, hint: str = "") -> Any:
        pos = node if isinstance(node, Position) else node_position(node)
        self.issues.append(Issue(pos, message, path, hint))
        return INVALID

    def expected(
        self,
        node: yaml.Node,
        path: str,
        what: str,
        quoted_ok: Callable[[str], bool] | None = None,
    ) -> Any:
        """Report a value of the wrong type.

        Args:
            quoted_ok: for values expected as text, whether the same word in quotes would be
                valid; then a YAML 1.1 yes/no word or an unquoted date gets the advice to quote it.
        """
        scalar = isinstance(node, yaml.ScalarNode)
        hint = f'quote it: "{node.value}"' if scalar and quoted_ok and quoted_ok(node.value) else ""
        if scalar and node.tag == TAG_PREFIX + "bool" and node.value.lower() in _YAML11_BOOL_WORDS:
            return self.error(
                node,
                path,
                f"expected {what}, found {node.value!r}, which YAML 1.1 reads as a yes/no value",
                hint,
            )
        if scalar and node.tag == TAG_PREFIX + "timestamp":
            return self.error(node, path, f"expected {what}, found the date {node.value!r}", hint)
        return self.error(node, path, f"expected {what}, found {_describe(node)}", hint)

    # --- dispatch ------------------------------------------------------------------------------

    def convert(self, node: yaml.Node, tp: Any, path: str, meta: Mapping[str, Any]) -> Any:
        self.positions.marks[path] = node.start_mark
        union, kind, arg = _plan(tp)
        if union and _is_null(node):
            return None
        if kind is LocalText:
            return self.local_text(node, path)
        if kind is PartialDate:
            return self.partial_date(node, path)
        if kind is str:
            return self.text(node, path, meta)
        if kind is bool:
            return self.boolean(node, path)
        if kind is int:
            return self.number(node, path, meta, integer=True)
        if kind is float:
            return self.number(node, path, meta, integer=False)
        if kind is Literal:
            return self.choice(node, path, arg)
        if kind is tuple:
            return self.sequence(node, path, arg, meta)
        if kind is Mapping:
            return self.mapping(node, path, arg)
        return self.record(node, arg, path)

    # --- scalars -------------------------------------------------------------------------------

    def text(self, node: yaml.Node, path: str, meta: Mapping[str, Any]) -> Any:
        fmt = meta.get("format")
        if fmt == "id" and isinstance(node, yaml.ScalarNode):
            # recorded even when it is not valid (off, 1983), so that references to it are not
            # reported as well
            self.ids.setdefault(re.sub(r"\[\d+\]\.id$", "", path), []).append((node.value, path))
        if not isinstance(node, yaml.ScalarNode) or node.tag != TAG_PREFIX + "str":
            return self.expected(
                node, path, _TEXT_KINDS.get(fmt, "text"), lambda word: self._text_ok(word, fmt)
            )
        value = node.value
        if fmt == "id" and not _ID_RE.match(value):
            return self.error(
                node,
                path,
                f"id {value!r} must be lowercase letters, digits, '-' or '_'",
                hint=f"try {suggest_id(value)!r}",
            )
        if fmt == "color" and not _COLOR_RE.match(value):
            return self.error(node, path, f"expected a colour as #RRGGBB, found {value!r}")
        if fmt == "country":
            return self.country(node, path, value)
        if fmt == "language" and not is_known_language(value):
            return self.error(
                node,
                path,
                f"{value!r} is not a known language code",
                hint="use BCP 47, e.g. de or zh-Hant",
            )
        if not value.strip():
            return self.error(node, path, "expected text, found an empty string")
        return value

    @staticmethod
    def _text_ok(word: str, fmt: str | None) -> bool:
        """Whether this word, quoted, would be a valid text of this format."""
        if fmt == "id":
            return bool(_ID_RE.match(word))
        if fmt == "color":
            return bool(_COLOR_RE.match(word))
        if fmt == "country":
            return _is_country(word)
        if fmt == "language":
            return is_known_language(word)
        return True

    def country(self, node: yaml.Node, path: str, value: str) -> Any:
        if not _is_country(value):
            return self.error(
                node,
                path,
                f"{value!r} is not an ISO 3166-1 alpha-2 country code",
                hint="use two capital letters, e.g. \"DE\" or \"JP\"",
            )
        return value

    def boolean(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag != TAG_PREFIX + "bool":
            return self.expected(node, path, "true or false")
        value = node.value.lower()
        if value not in ("true", "false"):
            return self.error(
                node,
                path,
                f"expected true or false, found {node.value!r}",
                hint="write true or false",
            )
        return value == "true"

    def number(self, node: yaml.Node, path: str, meta: Mapping[str, Any], integer: bool) -> Any:
        what = "a whole number" if integer else "a number"
        allowed = {TAG_PREFIX + "int"} if integer else {TAG_PREFIX + "int", TAG_PREFIX + "float"}
        if not isinstance(node, yaml.ScalarNode) or node.tag not in allowed:
            return self.expected(node, path, what)
        try:
            value: float
            if node.tag == TAG_PREFIX + "int":
                value = _CONSTRUCTOR.construct_yaml_int(node)
            else:
                value = float(_CONSTRUCTOR.construct_yaml_float(node))
        except (ValueError, yaml.YAMLError):
            return self.error(node, path, f"expected {what}, found {node.value!r}")
        if not integer and not math.isfinite(value):
            return self.error(node, path, f"expected a finite number, found {node.value!r}")
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            rng = f"between {_num(low)} and {_num(high)}" if high is not None else f">= {_num(low)}"
            return self.error(node, path, f"{node.value} is out of range: expected {rng}")
        return int(value) if integer else float(value)

    def choice(self, node: yaml.Node, path: str, options: tuple[str, ...]) -> Any:
        words = ", ".join(options)
        if not isinstance(node, yaml.ScalarNode) or node.tag != TAG_PREFIX + "str":
            return self.expected(node, path, f"one of: {words}", lambda word: word in options)
        if node.value not in options:
            return self.error(
                node,
                path,
                f"expected one of: {words}; found {node.value!r}",
                hint=did_you_mean(node.value, options),
            )
        return node.value

    def partial_date(self, node: yaml.Node, path: str) -> Any:
        # An unquoted 1983-07-07 or 1983 is unambiguous here, so accept it as well as a string.
        ok_tags = {TAG_PREFIX + t for t in ("str", "int", "timestamp")}
        if not isinstance(node, yaml.ScalarNode) or node.tag not in ok_tags:
            return self.expected(node, path, 'a date as "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
        try:
            date = PartialDate.parse(node.value)
        except ValueError as exc:
            hint = ""
            if re.fullmatch(r"\d{2}(-\d{1,2}){0,2}", node.value.strip()):
                hint = 'write the year with four digits, e.g. "1983"'
            return self.error(node, path, f"{exc}; found {node.value!r}", hint)
        if not 1000 <= date.year <= 2100:
            return self.error(node, path, f"year {date.year} is out of range: 1000 to 2100")
        return date

    # --- text in several languages ---------------------------------------------------------------

    def local_text(self, node: yaml.Node, path: str) -> Any:
        origin = Origin(path, node_position(node))
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, path, {})
            if text is INVALID:
                return INVALID
            return LocalText(MappingProxyType({}), text, origin)
        if not isinstance(node, yaml.MappingNode):
            return self.expected(node, path, "text, or a map of language code to text")
        texts: dict[str, str] = {}
        languages = self.languages
        for key, value in node.value:
            # the common case inline (an offered language: some text), as language_key() and
            # text() would take it; anything else goes through them, for their messages
            if (
                type(key) is _SCALAR
                and type(value) is _SCALAR
                and key.tag == _STR
                and value.tag == _STR
                and (languages is None or key.value in languages)
                and value.value.strip()
            ):
                texts[key.value] = value.value
                continue
            code = self.language_key(key, path)
            if code is INVALID:
                continue
            text = self.text(value, f"{path}.{code}", {})
            if text is not INVALID:
                texts[code] = text
        if not texts and not any(i.path.startswith(path) for i in self.issues):
            return self.error(node, path, "expected at least one language's text, found none")
        return LocalText(MappingProxyType(texts), None, origin)

    def language_key(self, key: yaml.Node, path: str) -> Any:
        if isinstance(key, yaml.ScalarNode) and key.tag == TAG_PREFIX + "bool":
            return self.error(
                key,
                path,
                f"language key {key.value!r} is read by YAML 1.1 as a yes/no value, not a language",
                hint=f'quote it: "{key.value}"',
            )
        if not isinstance(key, yaml.ScalarNode) or key.tag != TAG_PREFIX + "str":
            return self.expected(key, path, "a language code")
        code = key.value
        if self.languages is not None and code not in self.languages:
            offered = ", ".join(self.languages)
            if is_known_language(code):
                why = f"is not offered in meta.languages ({offered})"
                hint = did_you_mean(code, self.languages) or "add it to meta.languages"
            else:
                why = "is not a known language code"
                hint = did_you_mean(code, self.languages) or f"offered: {offered}"
            return self.error(key, f"{path}.{code}", f"language {code!r} {why}", hint)
        return code

    # --- containers ----------------------------------------------------------------------------

    def sequence(self, node: yaml.Node, path: str, item: Any, meta: Mapping[str, Any]) -> Any:
        if item is str and isinstance(node, yaml.ScalarNode) and path.endswith("source"):
            # A single source may be written as a plain string.
            value = self.text(node, path, meta)
            return INVALID if value is INVALID else (value,)
        if not isinstance(node, yaml.SequenceNode):
            return self.expected(node, path, "a list")
        out = []
        failed = False
        for index, child in enumerate(node.value):
            value = self.convert(child, item, f"{path}[{index}]", meta)
            if value is INVALID:
                failed = True
            else:
                out.append(value)
        if failed and not is_dataclass(item):
            # A list of ids or words is one value; records that failed are left out (their
            # paths are kept in record_paths) so that the rest can still be cross-checked.
            return INVALID
        return tuple(out)

    def mapping(self, node: yaml.Node, path: str, item: Any) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.expected(node, path, "a mapping (key: value lines)")
        out = {}
        for key, child in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != TAG_PREFIX + "str":
                self.expected(key, path, "a key of text", lambda word: True)
                continue
            value = self.convert(child, item, f"{path}.{key.value}", {})
            if value is not INVALID:
                out[key.value] = value
        return MappingProxyType(out)

    def record(self, node: yaml.Node, cls: type, path: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.expected(node, path, f"a mapping with keys {', '.join(_required(cls))}")
        specs = _fields(cls)
        given: dict[str, yaml.Node] = {}
        suggested: dict[str, yaml.Node] = {}  # key name -> the misspelt key that meant it
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != TAG_PREFIX + "str":
                self._bad_key(key, path, specs)
                continue
            if key.value not in specs:
                suggestion = _suggest_key(key.value, specs)
                if suggestion:
                    suggested[suggestion] = key
                self.error(
                    key,
                    _join(path, key.value),
                    f"unknown key {key.value!r}",
                    hint=f"did you mean {suggestion!r}?"
                    if suggestion
                    else f"expected one of: {', '.join(specs)}",
                )
                continue
            given[key.value] = value
        values: dict[str, Any] = {}
        ok = True
        for name, (tp, meta, required) in specs.items():
            child_path = _join(path, name)
            if name not in given:
                if required:
                    ok = False
                    # a misspelt key already says "did you mean"; an unreadable include already
                    # has its error
                    if name not in suggested and child_path not in self.unreported_missing:
                        what = "section" if not path else "key"
                        self.error(node, child_path, f"missing required {what} {name!r}")
                continue
            value = self.convert(given[name], tp, child_path, meta)
            if value is INVALID:
                ok = False
            elif value is None and required:
                self.error(given[name], child_path, f"{name!r} is required, found nothing")
                ok = False
            else:
                values[name] = value
        if not ok:
            return INVALID
        obj = cls(**values)
        self.record_paths[id(obj)] = path
        return obj

    def _bad_key(self, key: yaml.Node, path: str, specs: Mapping[str, Any]) -> None:
        """A key that YAML did not read as text: a yes/no word, a number, a list..."""
        if not isinstance(key, yaml.ScalarNode):
            self.error(key, path, f"expected a key name, found {_describe(key)}")
            return
        found = kind_of(key)
        if key.value in specs:
            hint = f'quote it: "{key.value}"'
        else:
            suggestion = _suggest_key(key.value, specs)
            hint = (
                f"did you mean {suggestion!r}?"
                if suggestion
                else f"expected one of: {', '.join(specs)}"
            )
        message = f"expected a key name, found {key.value!r}, which YAML reads as {found}"
        self.error(key, path, message, hint)


class Positions(Mapping[str, Position]):
    """Key path -> position of its value. A mark is kept for every value converted; the position
    is made only when asked for, which the cross-checks do for a few values only."""

    def __init__(self) -> None:
        self.marks: dict[str, yaml.Mark] = {}

    def __getitem__(self, path: str) -> Position:
        return position_of(self.marks[path])

    def get(self, path: str, default: Any = None) -> Any:
        mark = self.marks.get(path, _NO_MARK)
        return default if mark is _NO_MARK else position_of(mark)

    def __iter__(self) -> Iterator[str]:
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


_NO_MARK: Any = object()


@cache
def _plan(tp: Any) -> tuple[bool, Any, Any]:
    """How convert() handles a field type: (is a union, kind, argument), worked out once per type.

    kind is the type itself for scalars, LocalText and PartialDate; Literal (argument: the
    options), tuple (the item type), Mapping (the value type), or a dataclass (the class).
    """
    origin = get_origin(tp)
    union = origin is typing.Union or origin is types.UnionType
    if union:
        args = [a for a in get_args(tp) if a is not type(None)]
        tp = args[0] if len(args) == 1 else tp
        origin = get_origin(tp)
    if tp in (LocalText, PartialDate, str, bool, int, float):
        return union, tp, None
    if origin is Literal:
        return union, Literal, get_args(tp)
    if origin is tuple:
        return union, tuple, get_args(tp)[0]
    if origin in (Mapping, dict) or origin is typing.Mapping:
        return union, Mapping, get_args(tp)[1]
    if is_dataclass(tp):
        return union, None, tp
    raise TypeError(f"no converter for {tp!r}")  # a bug in the model, not in the content


def suggest_id(value: str) -> str:
    """A valid id close to an invalid one: "Sendai City" -> "sendai-city"."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-")


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def _suggest_key(word: str, specs: Mapping[str, Any]) -> str:
    """The key a misspelt or differently named key most likely meant, or ""."""
    names = list(specs)
    if word.lower() in specs:
        return word.lower()
    candidates = names + [s for s, name in KEY_SYNONYMS.items() if name in specs]
    close = difflib.get_close_matches(word.lower(), candidates, n=1, cutoff=0.6)
    if not close:
        return ""
    return KEY_SYNONYMS.get(close[0], close[0]) if close[0] not in specs else close[0]


def _is_country(code: str) -> bool:
    return code in COUNTRY_CODES


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == TAG_PREFIX + "null"


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"


@cache
def _fields(cls: type) -> dict[str, tuple[Any, Mapping[str, Any], bool]]:
    """name -> (type, metadata, required) for the YAML-visible fields of a dataclass."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in fields(cls):
        if f.metadata.get("internal"):
            continue
        required = f.default is MISSING and f.default_factory is MISSING
        out[f.name] = (hints[f.name], f.metadata, required)
    return out


def _required(cls: type) -> list[str]:
    return [name for name, (_, _, required) in _fields(cls).items() if required]


def yaml_fields(cls: type) -> dict[str, tuple[Any, Mapping[str, Any], bool]]:
    """Public view of a record's YAML fields, for the JSON Schema."""
    return _fields(cls)


@cache
def is_known_language(code: str) -> bool:
    """Whether CLDR (through Babel) knows this BCP 47 language code."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


Check = Callable[[Converter], None]
