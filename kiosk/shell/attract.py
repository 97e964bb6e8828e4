"""The attract loop: moving highlights from the content and "Touch to start" in every language."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEasingCurve, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFontMetrics, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kiosk.content import Content, Localiser
from kiosk.content.formatting import country_name, format_amount, format_date, format_year
from kiosk.screens.base import ScreenContext
from kiosk.ui import theme

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
            + loc.ui("map_established").format(year=format_year(c.established, lang)),
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
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setDuration(ANIM_MS)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._animate)
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
        self.update()

    def _next_prompt(self) -> None:
        if self._prompts:
            self.prompt_index = (self.prompt_index + 1) % len(self._prompts)
        self.update()

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

    def paintEvent(self, event) -> None:
        m = self.ctx.metrics
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        w, h = self.width(), self.height()
        grad = QLinearGradient(0, 0, w, h)
        grad.setColorAt(0.0, QColor("#0B1626"))
        grad.setColorAt(1.0, QColor("#1B3557"))
        p.fillRect(self.rect(), grad)

        margin = m.margin * 3
        # title
        p.setPen(theme.ACCENT)
        p.setFont(self.ctx.font(m.title, bold=True))
        title = self.ctx.text(self.ctx.content.meta.title)
        p.drawText(QRectF(margin, margin, w - 2 * margin, m.title * 1.6),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

        hl = self.current()
        if hl is not None:
            t = self.progress
            offset = (1.0 - t) * w * 0.25  # flies in from the side
            p.setOpacity(min(1.0, t * 1.4))
            top = h * (0.25 if m.portrait else 0.22)
            box_w = w - 2 * margin
            p.setPen(theme.ACCENT_2)
            p.setFont(self.ctx.font(m.body, bold=True))
            p.drawText(QRectF(margin + offset, top, box_w, m.body * 2.4),
                       Qt.TextFlag.TextWordWrap, hl.kicker)
            headline = hl.headline
            if hl.kind == "figure" and hl.value is not None and t < 1.0:
                headline = self._counting(hl, t)
            size = m.headline if len(headline) < 28 else round(m.headline * 0.7)
            head_font = self.ctx.font(size, bold=True)
            p.setFont(head_font)
            p.setPen(theme.TEXT)
            head_h = QFontMetrics(head_font).boundingRect(
                0, 0, int(box_w), 10_000, Qt.TextFlag.TextWordWrap, headline
            ).height()
            y = top + m.body * 2.6
            p.drawText(QRectF(margin + offset, y, box_w, head_h + 4), Qt.TextFlag.TextWordWrap,
                       headline)
            y += head_h + m.px(24)
            p.setFont(self.ctx.font(m.title))
            p.setPen(theme.TEXT_DIM)
            detail_rect = QRectF(margin + offset * 1.3, y, box_w, h * 0.62 - y + top)
            p.drawText(detail_rect, Qt.TextFlag.TextWordWrap, hl.detail)
            if hl.source:
                p.setFont(self.ctx.font(m.small))
                p.drawText(QRectF(margin, h * 0.72, box_w, m.small * 3),
                           Qt.TextFlag.TextWordWrap, hl.source)
            p.setOpacity(1.0)

        # "Touch to start", each language in turn, in its own font
        if self._prompts:
            code, prompt = self._prompts[self.prompt_index]
            band = QRectF(0, h * 0.8, w, h * 0.2)
            p.fillRect(band, QColor(242, 177, 52, 235))
            p.setPen(QColor("#10151C"))
            p.setFont(self.ctx.font_for(code, m.headline if not m.portrait else m.title, True))
            p.drawText(band, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, prompt)
            self._draw_dots(p, band, m.px(10))
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
