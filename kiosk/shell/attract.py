"""The attract loop: moving highlights from the content and "Touch to start" in every language."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QLinearGradient, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from kiosk.content import Content, Localiser
from kiosk.content.formatting import country_name, format_amount, format_date, format_year
from kiosk.screens.base import FrameLimiter, ScreenContext
from kiosk.ui import theme
from kiosk.ui.frame_clock import Tween

PROMPT_MS = 2600
ANIM_MS = 1100


@dataclass(frozen=True)
class Highlight:
    """One attract-loop slide: what it shows, in the current language."""

    kind: str  # city | figure | event
    kicker: str
    headline: str
    detail: str
    source: str = ""
    value: float | None = None  # figures count up to this
    unit: str = ""
    kind_of_value: str = "amount"
    decimals: int | None = None


def build_highlights(content: Content, loc: Localiser) -> list[Highlight]:
    """Cities, figures and milestones from the content, interleaved so the loop varies."""
    lang = loc.language
    cities = sorted(content.cities, key=lambda c: c.established)
    city_slides = [
        Highlight(
            "city",
            loc.ui("nav_map"),
            loc.text(c.name),
            f"{country_name(c.country, lang)} · "
            # the templates carry the year's own word (年, 년, года), as on the map screen
            + loc.ui("map_established").format(year=c.established),
        )
        for c in cities
    ]
    figures = []
    for chart in content.economy.charts:
        if chart.type != "big_number" or not chart.series:
            continue
        series = content.economy.series_by_id(chart.series[0])
        if series is None or not series.values:
            continue
        value = max(series.values, key=lambda v: v.year)
        amount = value.value * series.scale
        figures.append(
            Highlight(
                "figure",
                loc.text(chart.title),
                format_amount(amount, loc.text(series.unit), lang, series.kind, series.decimals),
                format_year(value.year, lang),
                loc.ui("source").format(source=(value.source or series.source)[0]),
                amount,
                loc.text(series.unit),
                series.kind,
                series.decimals,
            )
        )
    events = [
        Highlight("event", format_date(e.date, lang), loc.text(e.title), loc.text(e.body))
        for e in content.timeline.sorted_events()
        if e.category in ("diplomacy", "economy")
    ]
    out: list[Highlight] = []
    for i in range(max(len(city_slides), len(figures), len(events))):
        for group in (city_slides, figures, events):
            if group:
                out.append(group[i % len(group)])
        if len(out) >= 24:
            break
    return out


class AttractView(QWidget):
    """Full-screen invitation shown while nobody touches the kiosk.

    Signals:
        touched(): any touch or click; the shell opens home.
    """

    touched = Signal()

    def __init__(self, ctx: ScreenContext, slide_s: float = 7.0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AttractView")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.ctx = ctx
        self.index = 0
        self.prompt_index = 0
        self.progress = 1.0
        self.highlights: list[Highlight] = []
        self._prompts: list[tuple[str, str]] = []
        self._slide_timer = QTimer(self)
        self._slide_timer.setInterval(round(slide_s * 1000))
        self._slide_timer.timeout.connect(self.next_slide)
        self._prompt_timer = QTimer(self)
        self._prompt_timer.setInterval(PROMPT_MS)
        self._prompt_timer.timeout.connect(self._next_prompt)
        self._anim = Tween(self, ANIM_MS, QEasingCurve.Type.OutCubic)
        # 30 fps is plenty for an unattended fly-in and halves its cost
        self._frames = FrameLimiter(self._animate)
        self._frames.limited = True
        self._anim.valueChanged.connect(self._frames)
        self._bg: QPixmap | None = None
        self._bg_key: tuple | None = None
        self._layers: _SlideLayers | None = None
        self._layers_key: tuple | None = None
        self._band_pixmap: QPixmap | None = None
        self._band_key: tuple | None = None
        self.apply_context(ctx)

    def apply_context(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self.highlights = build_highlights(ctx.content, ctx.loc)
        content = ctx.content
        self._prompts = [
            (lang.code, Localiser(content, lang.code).ui("touch_to_start"))
            for lang in content.meta.languages
        ]
        self.index %= max(1, len(self.highlights))
        self._bg = self._layers = self._band_pixmap = None  # texts, fonts or sizes changed
        self.update()

    def start(self) -> None:
        self.index = 0
        self.prompt_index = 0
        self._slide_timer.start()
        self._prompt_timer.start()
        self._play()

    def stop(self) -> None:
        self._slide_timer.stop()
        self._prompt_timer.stop()
        self._anim.stop()
        # a visitor is here: the cached pictures (a full-screen background among them) are not
        # needed until the loop starts again, and are quick to paint then
        self._bg = self._layers = self._band_pixmap = None

    def next_slide(self) -> None:
        if self.highlights:
            self.index = (self.index + 1) % len(self.highlights)
        self._play()

    def current(self) -> Highlight | None:
        return self.highlights[self.index] if self.highlights else None

    def _play(self) -> None:
        self._anim.stop()
        self.progress = 0.0
        self._anim.start()

    def _animate(self, value: object) -> None:
        self.progress = float(value)  # type: ignore[arg-type]
        # the slide's texts lie between the title and the prompt band
        self.update(QRectF(0, 0, self.width(), self._band_rect().top()).toAlignedRect())

    def _next_prompt(self) -> None:
        if self._prompts:
            self.prompt_index = (self.prompt_index + 1) % len(self._prompts)
        self.update(self._band_rect().toAlignedRect())

    # --- input: any touch starts ---------------------------------------------------------------

    def event(self, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.TouchBegin:
            event.accept()
            return True
        if event.type() == QEvent.Type.TouchEnd:
            self.touched.emit()
            event.accept()
            return True
        if event.type() == QEvent.Type.TouchUpdate:
            event.accept()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event) -> None:
        self.touched.emit()

    # --- drawing -------------------------------------------------------------------------------
    #
    # Everything but the counting figure is drawn once into pixmaps: the background with the
    # title (per size and language), each slide's texts (per slide and language) and the prompt
    # band (per prompt). A frame of the fly-in then blits them at an offset and opacity and
    # repaints only the area above the band; a new prompt repaints only the band. Laying out the
    # word-wrapped texts again took most of each 5.5 ms frame.

    def _layout(self) -> tuple[float, float, float]:
        m = self.ctx.metrics
        margin = m.margin * 3
        top = self.height() * (0.25 if m.portrait else 0.22)
        return margin, top, self.width() - 2 * margin

    def _canvas(self, w: float, h: float) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(max(1, math.ceil(w * ratio)), max(1, math.ceil(h * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        return pixmap

    @staticmethod
    def _painter(pixmap: QPixmap) -> QPainter:
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        return p

    def _background(self) -> QPixmap:
        key = (self.size(), self.devicePixelRatioF(), self.ctx.language)
        if self._bg is None or self._bg_key != key:
            m = self.ctx.metrics
            w, h = self.width(), self.height()
            self._bg = self._canvas(w, h)
            p = self._painter(self._bg)
            grad = QLinearGradient(0, 0, w, h)
            grad.setColorAt(0.0, QColor("#0B1626"))
            grad.setColorAt(1.0, QColor("#1B3557"))
            p.fillRect(QRectF(0, 0, w, h), grad)
            margin = m.margin * 3
            p.setPen(theme.ACCENT)
            p.setFont(self.ctx.font(m.title, bold=True))
            title = self.ctx.text(self.ctx.content.meta.title)
            p.drawText(QRectF(margin, margin, w - 2 * margin, m.title * 1.6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
            p.end()
            self._bg_key = key
        return self._bg

    def _headline_font(self, headline: str) -> QFont:
        m = self.ctx.metrics
        return self.ctx.font(m.headline if len(headline) < 28 else round(m.headline * 0.7), bold=True)

    def _slide(self, hl: Highlight) -> _SlideLayers:
        key = (self.index, hl, self.size(), self.devicePixelRatioF(), self.ctx.language)
        if self._layers is not None and self._layers_key == key:
            return self._layers
        m = self.ctx.metrics
        h = self.height()
        _margin, top, box_w = self._layout()
        wrap = Qt.TextFlag.TextWordWrap
        head_font = self._headline_font(hl.headline)
        head_h = QFontMetrics(head_font).boundingRect(0, 0, int(box_w), 10_000, wrap, hl.headline).height()
        head_y = m.body * 2.6  # below the kicker, from the top of the text block
        detail_y = top + head_y + head_h + m.px(24)
        # kicker and headline (a figure's headline counts up: it is drawn in each frame)
        block = self._canvas(box_w, head_y + head_h + 4)
        p = self._painter(block)
        p.setPen(theme.ACCENT_2)
        p.setFont(self.ctx.font(m.body, bold=True))
        p.drawText(QRectF(0, 0, box_w, m.body * 2.4), wrap, hl.kicker)
        counts = hl.kind == "figure" and hl.value is not None
        if not counts:
            p.setFont(head_font)
            p.setPen(theme.TEXT)
            p.drawText(QRectF(0, head_y, box_w, head_h + 4), wrap, hl.headline)
        p.end()
        detail_h = max(1.0, h * 0.62 - detail_y + top)
        detail = self._canvas(box_w, detail_h)
        p = self._painter(detail)
        p.setFont(self.ctx.font(m.title))
        p.setPen(theme.TEXT_DIM)
        p.drawText(QRectF(0, 0, box_w, detail_h), wrap, hl.detail)
        p.end()
        source = None
        if hl.source:
            source = self._canvas(box_w, m.small * 3)
            p = self._painter(source)
            p.setFont(self.ctx.font(m.small))
            p.setPen(theme.TEXT_DIM)
            p.drawText(QRectF(0, 0, box_w, m.small * 3), wrap, hl.source)
            p.end()
        self._layers = _SlideLayers(block, detail, source, head_y, head_h, detail_y, counts)
        self._layers_key = key
        return self._layers

    def _band_rect(self) -> QRectF:
        h = self.height()
        return QRectF(0, h * 0.8, self.width(), h * 0.2)

    def _band(self) -> QPixmap:
        key = (self.prompt_index, self.size(), self.devicePixelRatioF())
        if self._band_pixmap is None or self._band_key != key:
            m = self.ctx.metrics
            code, prompt = self._prompts[self.prompt_index]
            rect = self._band_rect()
            band = QRectF(0, 0, rect.width(), rect.height())
            self._band_pixmap = self._canvas(band.width(), band.height())
            p = self._painter(self._band_pixmap)
            p.fillRect(band, QColor(242, 177, 52, 235))
            p.setPen(QColor("#10151C"))
            p.setFont(self.ctx.font_for(code, m.headline if not m.portrait else m.title, True))
            p.drawText(band, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, prompt)
            self._draw_dots(p, band, m.px(10))
            p.end()
            self._band_key = key
        return self._band_pixmap

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        w, h = self.width(), self.height()
        p.drawPixmap(0, 0, self._background())
        hl = self.current()
        if hl is not None:
            layers = self._slide(hl)
            margin, top, box_w = self._layout()
            t = self.progress
            offset = (1.0 - t) * w * 0.25  # flies in from the side
            p.setOpacity(min(1.0, t * 1.4))
            p.drawPixmap(QPointF(margin + offset, top), layers.block)
            if layers.counts:
                headline = self._counting(hl, t) if t < 1.0 else hl.headline
                p.setFont(self._headline_font(headline))
                p.setPen(theme.TEXT)
                p.drawText(QRectF(margin + offset, top + layers.head_y, box_w, layers.head_h + 4),
                           Qt.TextFlag.TextWordWrap, headline)
            p.drawPixmap(QPointF(margin + offset * 1.3, layers.detail_y), layers.detail)
            if layers.source is not None:
                p.drawPixmap(QPointF(margin, h * 0.72), layers.source)
            p.setOpacity(1.0)
        # "Touch to start", each language in turn, in its own font
        if self._prompts:
            p.drawPixmap(self._band_rect().topLeft(), self._band())
        p.end()

    def _draw_dots(self, p: QPainter, band: QRectF, r: int) -> None:
        n = len(self._prompts)
        x0 = band.center().x() - (n - 1) * r * 1.75
        y = band.bottom() - r * 2.5
        for i in range(n):
            p.setPen(QPen(Qt.PenStyle.NoPen))
            p.setBrush(QColor("#10151C") if i == self.prompt_index else QColor(16, 21, 28, 90))
            p.drawEllipse(QRectF(x0 + i * r * 3.5 - r / 2, y - r / 2, r, r))

    def _counting(self, hl: Highlight, t: float) -> str:
        """The figure counting up, formatted exactly like its final value."""
        assert hl.value is not None
        return format_amount(hl.value * t, hl.unit, self.ctx.language, hl.kind_of_value,
                             hl.decimals)


@dataclass
class _SlideLayers:
    """One slide's texts, drawn once (see AttractView's drawing notes)."""

    block: QPixmap  # kicker and headline, flying in
    detail: QPixmap  # flies in a little faster
    source: QPixmap | None  # stays in place
    head_y: float  # headline, from the block's top
    head_h: float
    detail_y: float  # from the view's top
    counts: bool  # a figure: its headline is drawn in each frame
