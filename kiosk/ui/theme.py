"""Colours, sizes and fonts, all in one place; sizes follow the screen's physical size."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.content.formatting import script_of

# Colours: high contrast on a dark background, readable on a projector too.
BACKGROUND = QColor("#0E1A2B")
SURFACE = QColor("#17283F")
SURFACE_PRESSED = QColor("#2B4A73")
ACCENT = QColor("#F2B134")  # warm gold: Changchun's autumn
ACCENT_2 = QColor("#4FC3F7")
TEXT = QColor("#F4F6FA")
TEXT_DIM = QColor("#A9B6C8")
OCEAN = QColor("#0B2340")
LAND = QColor("#2E4A66")
COAST = QColor("#6F8FB0")

# What 9 mm and readable-from-1.5-m mean in pixels on a 1080-line reference screen.
REFERENCE_LINES = 1080
MIN_TARGET_MM = 9.0
MIN_BODY_MM = 6.0  # cap-to-descender height that reads from 1.5 m


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one screen.

    Attributes:
        scale: lines / 1080: 1.0 at 1080p (either orientation), 2.0 at 4K.
        px_per_mm: from the panel's physical size.
        portrait: height > width.
    """

    width: int
    height: int
    scale: float
    px_per_mm: float

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, value: float) -> int:
        """A size designed at 1080p, for this screen."""
        return max(1, round(value * self.scale))

    @property
    def touch(self) -> int:
        """Smallest touch target: 9 mm, and never less than 64 px at 1080p."""
        return max(self.px(64), round(MIN_TARGET_MM * self.px_per_mm))

    @property
    def body(self) -> int:
        """Body text pixel size."""
        return max(self.px(26), round(MIN_BODY_MM * self.px_per_mm))

    @property
    def small(self) -> int:
        return max(self.px(20), round(0.8 * MIN_BODY_MM * self.px_per_mm))

    @property
    def title(self) -> int:
        return round(self.body * 1.7)

    @property
    def headline(self) -> int:
        return round(self.body * 3.2)

    @property
    def margin(self) -> int:
        return self.px(24)

    def size(self) -> QSize:
        return QSize(self.width, self.height)


def metrics_for(width: int, height: int, physical_width_mm: float | None = None) -> Metrics:
    """Metrics for a screen of this many pixels and (if known) this physical width."""
    scale = min(width, height) / REFERENCE_LINES
    if physical_width_mm and physical_width_mm > 50:
        px_per_mm = width / physical_width_mm
    else:  # unknown panel: assume a 24" 16:9 screen at this resolution
        px_per_mm = max(width, height) / 531.0
    return Metrics(width, height, scale, px_per_mm)


def metrics_for_screen(screen: QScreen | None, size: QSize | None = None) -> Metrics:
    geometry = size or (screen.size() if screen else QSize(1920, 1080))
    physical = screen.physicalSize().width() if screen else None
    if screen is not None and size is not None and screen.size().width():
        # a window smaller than the screen keeps the panel's pixel density
        physical = physical * size.width() / screen.size().width() if physical else None
    return metrics_for(geometry.width(), geometry.height(), physical)


# --- fonts -------------------------------------------------------------------------------------

_CJK_FAMILIES = {
    "Hans": "Noto Sans CJK SC",
    "Hant": "Noto Sans CJK TC",
    "Jpan": "Noto Sans CJK JP",
    "Kore": "Noto Sans CJK KR",
}
UI_FAMILY = "Noto Sans CJK SC"  # its Latin and Cyrillic are clean; DejaVu is the safety net
FALLBACK_FAMILIES = ["DejaVu Sans"]


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK collection installed with the noto-cjk-sans-otc package."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
    return path if path.is_file() else None


@cache
def load_fonts() -> tuple[str, ...]:
    """Register the shipped fonts with Qt once; return the families now available."""
    families: list[str] = []
    path = cjk_font_path()
    if path is not None:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(families)


def families_for(language: str, override: str | None = None) -> list[str]:
    """Font families for a language: its own glyph forms first (Japanese kanji are not Chinese
    hanzi), then the UI family and fallbacks for everything else."""
    first = override or _CJK_FAMILIES.get(script_of(language), UI_FAMILY)
    out = [first]
    for family in (UI_FAMILY, *FALLBACK_FAMILIES):
        if family not in out:
            out.append(family)
    return out


def font(language: str, pixel_size: int, bold: bool = False, override: str | None = None) -> QFont:
    f = QFont()
    f.setFamilies(families_for(language, override))
    f.setPixelSize(pixel_size)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    if script_of(language) not in _CJK_FAMILIES:
        # Noto Sans CJK draws quotation marks full-width by default: German „…“ and English “…”
        # would get wide gaps. 'pwid' selects its proportional forms outside CJK text.
        f.setFeature(QFont.Tag("pwid"), 1)
    return f


def stylesheet(m: Metrics) -> str:
    """The application style sheet: large touch targets, visible pressed states."""
    radius = m.px(14)
    return f"""
    QWidget {{ color: {TEXT.name()}; }}
    #KioskRoot, #ScreenStack {{ background: {BACKGROUND.name()}; }}
    QPushButton {{
        background: {SURFACE.name()};
        border: {m.px(2)}px solid #2C4466;
        border-radius: {radius}px;
        padding: {m.px(8)}px {m.px(20)}px;
        min-height: {m.touch}px;
        min-width: {m.touch}px;
        font-size: {m.body}px;
    }}
    QPushButton:pressed {{ background: {SURFACE_PRESSED.name()}; border-color: {ACCENT.name()}; }}
    QPushButton:checked {{ background: {ACCENT.name()}; color: #10151C; border-color: {ACCENT.name()}; }}
    QPushButton:checked:pressed {{ background: #FFD27A; }}
    QLabel {{ background: transparent; }}
    QScrollBar {{ width: 0px; height: 0px; }}
    """


def current_metrics() -> Metrics:
    app = QGuiApplication.instance()
    screen = app.primaryScreen() if app else None  # type: ignore[union-attr]
    return metrics_for_screen(screen)


def with_alpha(colour: QColor, alpha: int) -> QColor:
    """The colour at this opacity (0-255)."""
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def set_style_sheet(widget: QWidget, sheet: str) -> None:
    """Set a style sheet only when it changes: Qt repolishes the whole subtree on every call,
    which made a language switch cost ~40 ms per screen for sheets that depend only on size."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
