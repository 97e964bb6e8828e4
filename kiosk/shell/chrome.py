"""The frame around the screens: title bar with the language picker, and the navigation bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.screens.base import ScreenContext
from kiosk.ui import theme

NAV_ITEMS = (("home", "nav_home"), ("timeline", "nav_timeline"), ("map", "nav_map"),
             ("economy", "nav_economy"))


def bilingual(label: QWidget, primary: str, secondary: str | None) -> str:
    """Text for a button or label in two-language mode: the second language beneath."""
    return f"{primary}\n{secondary}" if secondary and secondary != primary else primary


class LanguagePicker(QWidget):
    """One button per offered language, each named in its own language and font.

    Signals:
        language_chosen(str): a visitor picked a language code.
    """

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LanguagePicker")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}

    def apply_context(self, ctx: ScreenContext) -> None:
        codes = ctx.content.meta.codes
        if tuple(self.buttons) != codes:
            for button in self.buttons.values():
                self._group.removeButton(button)
                button.deleteLater()
            self.buttons = {}
            for lang in ctx.content.meta.languages:
                button = QPushButton(lang.endonym)
                button.setCheckable(True)
                button.setObjectName(f"lang-{lang.code}")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(lambda _=False, c=lang.code: self.language_chosen.emit(c))
                self._group.addButton(button)
                self._layout.addWidget(button)
                self.buttons[lang.code] = button
        m = ctx.metrics
        self._layout.setSpacing(m.px(8))
        for code, button in self.buttons.items():
            button.setFont(ctx.font_for(code, m.small))
            button.setMinimumSize(m.touch, m.touch)
            button.setChecked(code == ctx.language)


class TitleBar(QWidget):
    """The kiosk's title on one side, the language picker on the other (stacked in portrait)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TitleBar")
        self.title = QLabel()
        self.title.setObjectName("KioskTitle")
        self.picker = LanguagePicker()
        self._box = QVBoxLayout(self)
        self._row = QHBoxLayout()
        self._box.addLayout(self._row)
        self._portrait: bool | None = None

    def apply_context(self, ctx: ScreenContext) -> None:
        m = ctx.metrics
        if m.portrait != self._portrait:
            self._portrait = m.portrait
            for w in (self.title, self.picker):
                self._row.removeWidget(w)
                self._box.removeWidget(w)
            if m.portrait:
                self._box.insertWidget(0, self.title)
                self._box.insertWidget(1, self.picker, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                self._row.addWidget(self.title, 1)
                self._row.addWidget(self.picker, 0)
        self._box.setContentsMargins(m.margin, m.px(12), m.margin, m.px(8))
        self.title.setFont(ctx.font(m.title, bold=True))
        title = ctx.text(ctx.content.meta.title)
        second = ctx.text2(ctx.content.meta.title)
        self.title.setText(f"{title}  ·  {second}" if second else title)
        self.picker.apply_context(ctx)


class NavBar(QWidget):
    """Large labelled buttons for the screens; the current one is highlighted.

    Signals:
        screen_chosen(str): a screen id.
    """

    screen_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("NavBar")
        self._layout = QHBoxLayout(self)
        self._group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for screen_id, _ in NAV_ITEMS:
            button = QPushButton()
            button.setObjectName(f"nav-{screen_id}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, s=screen_id: self.screen_chosen.emit(s))
            self._group.addButton(button)
            self._layout.addWidget(button)
            self.buttons[screen_id] = button

    def apply_context(self, ctx: ScreenContext) -> None:
        m = ctx.metrics
        self._layout.setContentsMargins(m.margin, m.px(8), m.margin, m.px(16))
        self._layout.setSpacing(m.px(16))
        two = ctx.second is not None
        for screen_id, key in NAV_ITEMS:
            button = self.buttons[screen_id]
            button.setText(bilingual(button, ctx.tr(key), ctx.tr2(key)))
            button.setFont(ctx.font(m.body, bold=True))
            button.setFixedHeight(round(m.touch * (1.9 if two else 1.35)))

    def set_current(self, screen_id: str) -> None:
        button = self.buttons.get(screen_id)
        if button is not None:
            button.setChecked(True)


def apply_theme_palette(widget: QWidget) -> None:
    widget.setAutoFillBackground(True)
    pal = widget.palette()
    pal.setColor(widget.backgroundRole(), theme.BACKGROUND)
    widget.setPalette(pal)
