"""What ``kiosk proof`` looks for in a rendered window: text that does not fit.

A text widget or item overflows when its text is elided, clipped or wider or taller than its box:

* QLabel without word wrap: the longest line's advance is wider than the contents rect (or the
  lines are taller than it);
* QLabel with word wrap: ``heightForWidth(width)`` is more than its height, or a single word is
  wider than the label;
* QPushButton: the longest line is wider than the button minus its padding and border (the
  style's ``SE_PushButtonContents`` rectangle, which honours the style sheet), or taller;
* other buttons that wrap (``hasHeightForWidth``): ``heightForWidth(width)`` is more than height;
* text widgets cut off by a parent, and any widget reaching outside the window;
* graphics items (timeline, map): a text ending in "…" that the content does not end in
  (elided), and a label item whose text is wider than its backdrop.

Texts are traced back to the content with :class:`TextIndex`: the displayed text is matched
against every ``LocalText`` of the content resolved in the language, so a finding can name the
key path and the file:line to edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.content import Content
from kiosk.content.model import Origin, iter_local_texts

ELLIPSIS = "…"
SLACK = 1  # pixels of rounding forgiven
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Python attributes of custom graphics items that hold the text they paint.
ITEM_TEXT_ATTRS = ("text", "title", "lines", "date", "second", "label", "name", "detail")


@dataclass
class Overflow:
    """One text that does not fit, as found in one rendered state.

    Attributes:
        kind: too-wide, too-tall, elided, clipped or outside-window.
        widget: class and objectName, e.g. ``QPushButton#nav-home``.
        where: the nearest named ancestors, e.g. ``NavBar``.
        text: the text shown (as the widget holds it).
        detail: the measurement, e.g. "needs 412 px, has 380 px".
        origins: where the text comes from in the content (empty: not from the content).
    """

    kind: str
    widget: str
    where: str
    text: str
    detail: str
    origins: list[Origin] = field(default_factory=list)


# --- tracing texts back to the content ---------------------------------------------------------


def clean(text: str) -> str:
    """The text as a reader sees it: no soft hyphens or zero-width spaces, spaces collapsed."""
    return " ".join(text.translate(INVISIBLE).split())


class TextIndex:
    """Every text of the content as shown in one language -> where it is in the YAML."""

    def __init__(self, content: Content, language: str):
        chain = content.meta.chain(language)
        self.exact: dict[str, list[Origin]] = {}
        self.templates: list[tuple[re.Pattern[str], int, Origin]] = []
        for value in iter_local_texts(content):
            if value.origin is None:
                continue
            text, _used = value.resolve(chain)
            text = clean(text)
            if not text:
                continue
            self.exact.setdefault(text, []).append(value.origin)
            if "{" in text:
                found = _template_pattern(text)
                if found is not None:
                    self.templates.append((*found, value.origin))

    def __contains__(self, text: str) -> bool:
        return clean(text) in self.exact

    def find(self, shown: str) -> list[Origin]:
        """Where ``shown`` comes from: the text itself or one of its lines, the full text of an
        elided one, else the best of a filled-in template and the longest content text inside
        it. Empty when the text is not from the content (numbers, dates, country names)."""
        text = clean(shown)
        if not text:
            return []
        parts = [text] + [clean(p) for p in re.split(r"\n|\s+·\s+", shown) if clean(p)]
        for part in parts:
            if part in self.exact:
                return list(self.exact[part])
        if text.endswith(ELLIPSIS):
            stem = text[: -len(ELLIPSIS)].rstrip()
            if stem:
                squashed = stem.replace(" ", "")  # wrapped lines were joined with spaces
                hits = [t for t in self.exact
                        if t != text and t.replace(" ", "").startswith(squashed)]
                if not hits:
                    tail = stem.split(" ")[-1] if " " in stem else stem[-6:]
                    hits = [t for t in self.exact if tail and tail in t]
                if hits:
                    return list(self.exact[min(hits, key=len)])
        # the best of: a filled-in template, or the longest content text inside the shown one,
        # scored by how many characters of the content they account for
        best: tuple[int, list[Origin]] = (0, [])
        for part in parts:
            for pattern, literal, origin in self.templates:
                # a template explains the text's whole shape: it counts double
                if 2 * literal > best[0] and pattern.fullmatch(part):
                    best = (2 * literal, [origin])
        contained = [t for t in self.exact if len(t) >= 2 and t in text]
        if contained:
            longest = max(contained, key=len)
            if len(longest) > best[0]:
                best = (len(longest), list(self.exact[longest]))
        return best[1]


def _template_pattern(text: str) -> tuple[re.Pattern[str], int] | None:
    """A UI string with {placeholders} as a pattern, and how many literal characters it has."""
    pieces = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}", text)
    literal = len("".join(pieces).replace(" ", ""))
    if len(pieces) < 2 or literal < 2:
        return None
    return re.compile(".+?".join(re.escape(p) for p in pieces), re.DOTALL), literal


# --- widgets -----------------------------------------------------------------------------------


def describe(widget: QWidget) -> str:
    name = widget.objectName()
    cls = type(widget).__name__
    return f"{cls}#{name}" if name else cls


def context_of(widget: QWidget, root: QWidget, depth: int = 2) -> str:
    """The nearest named ancestors below the window's frame, outermost first."""
    skip = {"KioskRoot", "Main", "ScreenStack", "qt_scrollarea_viewport"}
    names: list[str] = []
    parent = widget.parentWidget()
    while parent is not None and parent is not root and len(names) < depth:
        name = parent.objectName()
        if name and name not in skip:
            names.append(name)
        elif not name and type(parent).__module__.startswith("kiosk"):
            names.append(type(parent).__name__)
        parent = parent.parentWidget()
    return " › ".join(reversed(names))


def _plain(label: QLabel) -> str:
    text = QLabel.text(label)
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _widest(fm: QFontMetrics, text: str) -> int:
    return max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _lines_height(fm: QFontMetrics, text: str) -> int:
    n = text.count("\n") + 1
    return fm.height() + (n - 1) * fm.lineSpacing()


def window_rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def in_scroll_content(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area's viewport: reaching beyond it is what scrolling is for."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        owner = parent.parentWidget()
        if isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent:
            return True
        parent = owner
    return False


def _clip(widget: QWidget, root: QWidget) -> tuple[QRect, QWidget | None]:
    """The part of the widget its ancestors let be seen (up to a scroll viewport or the window),
    and the ancestor that cuts it most."""
    own = window_rect(widget, root)
    visible = QRect(own)
    cutter = None
    parent = widget.parentWidget()
    while parent is not None:
        owner = parent.parentWidget()
        if isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent:
            break
        area = window_rect(parent, root) if parent is not root else root.rect()
        cut = visible.intersected(area)
        if cut != visible:
            cutter = parent
            visible = cut
        if parent is root:
            break
        parent = owner
    return visible, cutter


def check_label(label: QLabel, index: TextIndex) -> list[tuple[str, str]]:
    text = _plain(label)
    if not text.strip():
        return []
    out: list[tuple[str, str]] = []
    fm = label.fontMetrics()
    cr = label.contentsRect()
    margin = label.margin()
    indent = max(0, label.indent())
    room_w = cr.width() - 2 * margin - indent
    room_h = cr.height() - 2 * margin
    if label.wordWrap():
        need_h = label.heightForWidth(label.width())
        if need_h > label.height() + SLACK:
            out.append(("too-tall", f"wraps to {need_h} px high, has {label.height()} px"))
        flags = int(Qt.TextFlag.TextWordWrap)
        need_w = fm.boundingRect(QRect(0, 0, max(1, room_w), 100_000), flags, text).width()
        if need_w > room_w + SLACK:
            out.append(("too-wide", f"a word needs {need_w} px, has {room_w} px"))
    else:
        need_w = _widest(fm, text)
        if need_w > room_w + SLACK:
            out.append(("too-wide", f"needs {need_w} px, has {room_w} px"))
        need_h = _lines_height(fm, text)
        if need_h > room_h + SLACK and room_h > 0:
            out.append(("too-tall", f"needs {need_h} px high, has {room_h} px"))
    if _elided(text, index):
        out.append(("elided", "shown shortened with …"))
    return out


def button_contents(button: QPushButton) -> QRect:
    """Where a push button's text goes: inside the border and padding of its style (sheet)."""
    opt = QStyleOptionButton()
    button.initStyleOption(opt)
    rect = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, button)
    if not button.icon().isNull():
        rect.setLeft(rect.left() + button.iconSize().width() + 4)
    return rect


def check_push_button(button: QPushButton, index: TextIndex) -> list[tuple[str, str]]:
    text = QAbstractButton.text(button).replace("&&", "&")
    if not text.strip():
        return []
    out: list[tuple[str, str]] = []
    fm = button.fontMetrics()
    room = button_contents(button)
    need_w = _widest(fm, text)
    if need_w > room.width() + SLACK:
        out.append(("too-wide", f"needs {need_w} px, has {room.width()} px inside the padding"))
    need_h = _lines_height(fm, text)
    if need_h > room.height() + SLACK and text.count("\n"):
        out.append(("too-tall", f"{text.count(chr(10)) + 1} lines need {need_h} px, "
                                f"has {room.height()} px"))
    if _elided(text, index):
        out.append(("elided", "shown shortened with …"))
    return out


def check_wrapping_button(button: QAbstractButton, index: TextIndex) -> list[tuple[str, str]]:
    text = QAbstractButton.text(button)
    if not text.strip():
        return []
    out = []
    if button.hasHeightForWidth():
        need = button.heightForWidth(button.width())
        if need > button.height() + SLACK:
            out.append(("too-tall", f"wraps to {need} px high, has {button.height()} px"))
    if _elided(text, index):
        out.append(("elided", "shown shortened with …"))
    return out


def _elided(text: str, index: TextIndex) -> bool:
    shown = clean(text)
    return shown.endswith(ELLIPSIS) and shown not in index and not any(
        clean(line) in index for line in text.split("\n")
    )


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return _plain(widget)
    if isinstance(widget, QAbstractButton):
        return QAbstractButton.text(widget)
    return ""


def check_widgets(root: QWidget, index: TextIndex) -> Iterator[Overflow]:
    """Every visible text widget that does not fit, and every widget outside the window."""
    outside: set[int] = set()
    bounds = root.rect()
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        if widget.isWindow():
            continue
        found: list[tuple[str, str]] = []
        if isinstance(widget, QLabel):
            found = check_label(widget, index)
        elif isinstance(widget, QPushButton):
            found = check_push_button(widget, index)
        elif isinstance(widget, QAbstractButton):
            found = check_wrapping_button(widget, index)
        text = _text_of(widget)
        if not in_scroll_content(widget, root):
            rect = window_rect(widget, root)
            if not bounds.contains(rect):
                parent = widget.parentWidget()
                outside.add(id(widget))
                if parent is None or id(parent) not in outside:
                    found.append(("outside-window", _outside_detail(rect, bounds)))
            elif text.strip():
                visible, cutter = _clip(widget, root)
                if cutter is not None and (
                    visible.width() < rect.width() - SLACK or visible.height() < rect.height() - SLACK
                ):
                    found.append(("clipped", f"{visible.width()}x{visible.height()} of "
                                             f"{rect.width()}x{rect.height()} px visible in "
                                             f"{describe(cutter)}"))
        for kind, detail in found:
            yield Overflow(kind, describe(widget), context_of(widget, root), text, detail,
                           index.find(text) if text else [])


def _outside_detail(rect: QRect, bounds: QRect) -> str:
    sides = []
    if rect.left() < bounds.left():
        sides.append(f"{bounds.left() - rect.left()} px left")
    if rect.top() < bounds.top():
        sides.append(f"{bounds.top() - rect.top()} px above")
    if rect.right() > bounds.right():
        sides.append(f"{rect.right() - bounds.right()} px right")
    if rect.bottom() > bounds.bottom():
        sides.append(f"{rect.bottom() - bounds.bottom()} px below")
    return "reaches " + ", ".join(sides) + " of the window"


# --- graphics items ----------------------------------------------------------------------------


def _item_texts(item) -> list[str]:
    if isinstance(item, QGraphicsSimpleTextItem):
        return [item.text()]
    if isinstance(item, QGraphicsTextItem):
        return [item.toPlainText()]
    try:
        attrs = vars(item)
    except TypeError:
        return []
    texts: list[str] = []
    for name in ITEM_TEXT_ATTRS:
        value = attrs.get(name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            texts.append("\n".join(value))  # wrapped lines
    return texts


def check_items(root: QWidget, index: TextIndex) -> Iterator[Overflow]:
    """Texts painted by graphics items (timeline cards, era names, map labels)."""
    for view in root.findChildren(QGraphicsView):
        scene = view.scene()
        if scene is None or not view.isVisible():
            continue
        where = " › ".join(p for p in (context_of(view, root, 1), describe(view)) if p)
        for item in scene.items():
            if not item.isVisible():
                continue
            name = type(item).__name__
            for text in _item_texts(item):
                if _elided(text, index):
                    yield Overflow("elided", name, where, text, "shown shortened with …",
                                   index.find(text))
            attrs = getattr(item, "__dict__", {})
            text, font, rect = attrs.get("text"), attrs.get("font"), attrs.get("_rect")
            if isinstance(text, str) and isinstance(font, QFont) and isinstance(rect, QRectF):
                need = QFontMetrics(font).horizontalAdvance(text)
                if text.strip() and need > rect.width() + SLACK:
                    yield Overflow("too-wide", name, where, text,
                                   f"needs {need} px, has {rect.width():.0f} px",
                                   index.find(text))


def check_window(root: QWidget, index: TextIndex) -> list[Overflow]:
    return [*check_widgets(root, index), *check_items(root, index)]
