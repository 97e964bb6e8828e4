"""Home: the three screens as large cards, side by side in landscape, stacked in portrait."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.screens.base import Screen, ScreenContext

CARDS = (
    ("timeline", "nav_timeline", "home_timeline_text"),
    ("map", "nav_map", "home_map_text"),
    ("economy", "nav_economy", "home_economy_text"),
)


class HomeCard(QPushButton):
    """A big tappable card: a title and a line of text, with a pressed state."""

    def __init__(self, screen_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"card-{screen_id}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        box = QVBoxLayout(self)
        self.title = QLabel()
        self.text = QLabel()
        for label in (self.title, self.text):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            box.addWidget(label)
        box.insertStretch(0, 1)
        box.addStretch(1)


class HomeScreen(Screen):
    screen_id = "home"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.welcome = QLabel()
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.cards: dict[str, HomeCard] = {}
        self._cards_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for screen_id, _, _ in CARDS:
            card = HomeCard(screen_id)
            card.clicked.connect(lambda _=False, s=screen_id: self.navigate_requested.emit(s, {}))
            self.cards[screen_id] = card
            self._cards_box.addWidget(card)
        outer = QVBoxLayout(self)
        outer.addWidget(self.welcome)
        outer.addWidget(self.subtitle)
        outer.addLayout(self._cards_box, 1)
        self._outer = outer
        self.apply_context(ctx)

    def apply_context(self, ctx: ScreenContext) -> None:
        super().apply_context(ctx)
        m = ctx.metrics
        self._outer.setContentsMargins(m.margin * 2, m.margin, m.margin * 2, m.margin)
        self._outer.setSpacing(m.px(16))
        self._cards_box.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
        self._cards_box.setSpacing(m.px(32))
        self.welcome.setFont(ctx.font(m.headline, bold=True))
        self.welcome.setText(_two(ctx.tr("welcome"), ctx.tr2("welcome")))
        self.subtitle.setFont(ctx.font(m.body))
        self.subtitle.setStyleSheet("color: #A9B6C8;")
        self.subtitle.setText(ctx.text(ctx.content.meta.subtitle))
        for screen_id, title_key, text_key in CARDS:
            card = self.cards[screen_id]
            card.setMinimumHeight(m.touch * 2)
            card.title.setFont(ctx.font(m.title, bold=True))
            card.title.setText(_two(ctx.tr(title_key), ctx.tr2(title_key)))
            card.title.setStyleSheet("color: #F2B134;")
            card.text.setFont(ctx.font(m.body))
            card.text.setText(_two(ctx.tr(text_key), ctx.tr2(text_key)))


def _two(primary: str, secondary: str | None) -> str:
    return f"{primary}\n{secondary}" if secondary and secondary != primary else primary
