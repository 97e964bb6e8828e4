"""The partner-city world map: arcs from Changchun, city cards, filters, a list and the routes.

Layout: the filters wrap in rows at the top; beneath them the map fills the rest. In landscape an
open list takes the start side and the map fits beside it; the city card floats over the map on the
side away from the selected city. In portrait the map sits at the top and the list and the card
share the space below it. The legend and the caption sit in the bottom corners of the map area.
The map itself never mirrors; the filters, the list and the card follow the layout direction.

Deep links (``open``):
    {"city": "sendai"}   select the city, highlight its arc, open its card;
    {"routes": True}     show the routes layer (False hides it);
    {"region": "europe"}, {"decade": 1990}, {"list": True}   set the filters / the list.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.formatting import country_name, format_date
from kiosk.content.model import City, Content
from kiosk.geo import BasemapError, load_basemap, project_rings
from kiosk.screens.base import Screen, ScreenContext
from kiosk.screens.partner_map_view import (
    ARC_COLOUR,
    ROUTE_MODES,
    CityPoint,
    MapView,
    map_rect,
    route_pen,
)
from kiosk.screens.partner_map_widgets import CityCard, Legend, PartnerList, breakable
from kiosk.ui import theme
from kiosk.ui.flow_layout import FlowLayout
from kiosk.ui.theme import set_style_sheet

log = logging.getLogger(__name__)

REGIONS = ("asia", "europe", "americas", "africa", "oceania")


@lru_cache(maxsize=4)
def _projected_land(path: str, stamp: int) -> tuple[tuple[tuple[float, float], ...], ...]:
    del stamp  # part of the cache key only: a replaced file is read again
    return tuple(tuple(ring) for ring in project_rings(load_basemap(path)))


def basemap_path(content: Content) -> Path:
    """The basemap file content asks for (relative to content.yaml), or the shipped land map."""
    from kiosk.paths import default_basemap

    setting = content.settings.map_basemap
    if not setting:
        return default_basemap()
    path = Path(setting)
    if not path.is_absolute():
        path = Path(content.root or ".") / path
    return path


def land_rings(content: Content) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The land rings in map units; the shipped map when the configured one cannot be read."""
    from kiosk.paths import default_basemap

    path = basemap_path(content)
    try:
        return _projected_land(str(path), os.stat(path).st_mtime_ns)
    except (OSError, BasemapError) as exc:
        if path == default_basemap():
            raise
        log.error("basemap %s cannot be used (%s); drawing the shipped land map", path, exc)
        fallback = default_basemap()
        return _projected_land(str(fallback), os.stat(fallback).st_mtime_ns)


def decade_of(city: City) -> int:
    return city.established // 10 * 10


class PartnerMapScreen(Screen):
    """The world map of Changchun's partner cities.

    Attributes:
        view: the map (MapView).
        card: the city card; list_panel: the list of partners.
        region_buttons / decade_buttons: filter toggles keyed by region / decade (None = all).
        routes_button / list_button: the layer and list toggles.
    """

    screen_id = "map"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setObjectName("MapScreen")
        self._content: Content | None = None
        self._basemap_key: tuple[str, ...] | None = None
        self._cities: dict[str, City] = {}
        self._selected: str | None = None
        self._region: str | None = None
        self._decade: int | None = None
        self._list_open = ctx.metrics.portrait
        self._card_side_left = False

        # filters
        self.filters = QWidget()
        self.filters.setObjectName("MapFilters")
        self._flow = FlowLayout(self.filters)
        self.region_group = QButtonGroup(self)
        self.region_buttons: dict[str | None, QPushButton] = {}
        self._region_row = self._group_row("regions")
        self.decade_group = QButtonGroup(self)
        self.decade_buttons: dict[int | None, QPushButton] = {}
        self._decade_row = self._group_row("decades")
        self._toggle_row = self._group_row("toggles")
        self.routes_button = self._button("toggle-routes", checkable=True)
        self.routes_button.toggled.connect(self.set_routes)
        self.list_button = self._button("toggle-list", checkable=True)
        self.list_button.toggled.connect(self.set_list_open)
        self._toggle_row.layout().addWidget(self.routes_button)
        self._toggle_row.layout().addWidget(self.list_button)
        self._flow.addWidget(self._region_row)
        self._flow.addWidget(self._decade_row)
        self._flow.addWidget(self._toggle_row)

        # the map and what floats over it
        self.stage = QWidget()
        self.stage.setObjectName("MapStage")
        self.view = MapView(self.stage)
        self.limited_while_presenting(self.view.intro_frames)
        self.view.city_tapped.connect(self.select_city)
        self.view.background_tapped.connect(lambda: self.select_city(None))
        self.list_panel = PartnerList(self.stage)
        self.list_panel.city_chosen.connect(self.select_city)
        self.card = CityCard(self.stage)
        self.card.close_requested.connect(lambda: self.select_city(None))
        self.caption = QLabel(self.stage)
        self.caption.setObjectName("MapCaption")
        self.caption.setWordWrap(True)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.legend = Legend(self.stage)
        self.card.hide()
        self.list_panel.hide()
        self.stage.installEventFilter(self)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.filters)
        box.addWidget(self.stage, 1)
        self._box = box
        self.apply_context(ctx)

    # --- construction helpers --------------------------------------------------------------

    def _group_row(self, name: str) -> QWidget:
        row = QWidget()
        row.setObjectName(f"filter-{name}")
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        return row

    def _button(self, name: str, checkable: bool = True) -> QPushButton:
        b = QPushButton()
        b.setObjectName(name)
        b.setCheckable(checkable)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return b

    def _rebuild_filter_buttons(self, content: Content) -> None:
        present = {c.region for c in content.cities}
        regions: list[str | None] = [None, *(r for r in REGIONS if r in present)]
        decades: list[int | None] = [None, *sorted({decade_of(c) for c in content.cities})]
        if list(self.region_buttons) != regions:
            for b in self.region_buttons.values():
                self.region_group.removeButton(b)
                b.deleteLater()
            self.region_buttons = {}
            for r in regions:
                b = self._button(f"region-{r or 'all'}")
                b.clicked.connect(lambda _=False, r=r: self.set_region(r))
                self.region_group.addButton(b)
                self._region_row.layout().addWidget(b)
                self.region_buttons[r] = b
        if list(self.decade_buttons) != decades:
            for b in self.decade_buttons.values():
                self.decade_group.removeButton(b)
                b.deleteLater()
            self.decade_buttons = {}
            for d in decades:
                b = self._button(f"decade-{d or 'all'}")
                b.clicked.connect(lambda _=False, d=d: self.set_decade(d))
                self.decade_group.addButton(b)
                self._decade_row.layout().addWidget(b)
                self.decade_buttons[d] = b

    # --- Screen API ------------------------------------------------------------------------

    def apply_context(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        if ctx.content is not self._content:
            self._load_content(ctx.content)
        self._apply_look()
        self._apply_texts()
        self._apply_filters()
        self._layout_overlays()

    def open(self, params: Mapping[str, Any]) -> None:
        if "region" in params:
            region = params["region"]
            self.set_region(region if region in REGIONS else None)
        if "decade" in params:
            try:
                self.set_decade(int(params["decade"]) if params["decade"] is not None else None)
            except (TypeError, ValueError):
                log.warning("map: bad decade %r in deep link", params["decade"])
        if "routes" in params:
            self.set_routes(bool(params["routes"]))
        if "list" in params:
            self.set_list_open(bool(params["list"]))
        if "city" in params:
            city_id = params["city"]
            if city_id is None:
                self.select_city(None)
            elif city_id not in self._cities:
                log.warning("map: unknown city %r in deep link", city_id)
            else:
                city = self._cities[city_id]
                if not self._passes(city):
                    self._region = None
                    self._decade = None
                    self._apply_filters()
                self.select_city(city_id)
                self.view.center_on_city(city_id)

    def reset(self) -> None:
        self.view.stop_intro()
        self._region = None
        self._decade = None
        self._selected = None
        self.view.set_selected(None)
        self.set_routes(False)
        self._list_open = self.ctx.metrics.portrait
        self.view.reset_view()
        self._apply_filters()
        self.list_panel.list.scrollToTop()
        self._sync_toggles()
        self._layout_overlays()

    def entered(self) -> None:
        self.view.start_intro()

    def left(self) -> None:
        self.view.release_arc_layer()

    def state(self) -> dict[str, Any]:
        return {
            "selected_city": self._selected,
            "region": self._region,
            "decade": self._decade,
            "zoom": float(self.view.zoom()),
            "routes": self.view.routes_visible(),
            "list_open": self._list_open,
        }

    # --- actions ---------------------------------------------------------------------------

    def select_city(self, city_id: str | None) -> None:
        """Open a city's card and highlight its arc (None closes the card)."""
        if city_id is not None and city_id not in self._cities:
            return
        self._selected = city_id
        self.view.set_selected(city_id)
        if city_id is None:
            self.view.collapse()
        self.list_panel.set_selected(city_id)
        self._fill_card()
        self._layout_overlays()

    def set_region(self, region: str | None) -> None:
        self._region = region
        self._apply_filters()

    def set_decade(self, decade: int | None) -> None:
        self._decade = decade
        self._apply_filters()

    def set_routes(self, on: bool) -> None:
        self.view.set_routes_visible(on)
        self._sync_toggles()
        self._update_legend()
        self._layout_overlays()

    def set_list_open(self, on: bool) -> None:
        self._list_open = bool(on)
        self._sync_toggles()
        self._layout_overlays()

    # --- content and texts -----------------------------------------------------------------

    def _load_content(self, content: Content) -> None:
        self._content = content
        self._cities = {c.id: c for c in content.cities}
        path = basemap_path(content)
        key = (str(path), str(path.stat().st_mtime_ns) if path.is_file() else "")
        if key != self._basemap_key:
            self.view.set_basemap(land_rings(content))
            self._basemap_key = key
        self.view.set_cities([CityPoint(c.id, c.lon, c.lat) for c in content.cities])
        self.view.set_routes(
            [(r.mode, [(w.lon, w.lat) for w in r.waypoints]) for r in content.routes]
        )
        self._rebuild_filter_buttons(content)
        if self._selected not in self._cities:
            self._selected = None
        if self._region is not None and self._region not in self.region_buttons:
            self._region = None
        if self._decade is not None and self._decade not in self.decade_buttons:
            self._decade = None
        self.view.set_selected(self._selected)

    def _apply_look(self) -> None:
        m = self.ctx.metrics
        set_style_sheet(self, self._stylesheet())
        self._flow.setContentsMargins(m.margin, m.px(12), m.margin, m.px(12))
        self._flow.set_gap(m.px(20))
        for row in (self._region_row, self._decade_row, self._toggle_row):
            row.layout().setSpacing(m.px(8))
        self.view.set_metrics(m.touch, m.px(9), m.margin, max(2.0, 3.0 * m.scale))

    def _stylesheet(self) -> str:
        m = self.ctx.metrics
        radius = m.px(16)
        surface = theme.SURFACE
        # the card and list are opaque: text never shows through from beneath
        return f"""
        #MapFilters QPushButton {{
            font-size: {m.small}px;
            padding: {m.px(6)}px {m.px(16)}px;
            min-height: {m.touch}px; min-width: {m.touch}px;
            border-radius: {m.px(12)}px;
        }}
        #MapCard, #MapList {{
            background: {surface.name()};
            border: {m.px(2)}px solid #2C4466;
            border-radius: {radius}px;
        }}
        #MapCard QPushButton {{ font-size: {m.small}px; padding: {m.px(6)}px {m.px(16)}px; }}
        #card-scroll, #card-body, #list-partners {{ background: transparent; border: none; }}
        #MapCaption, #MapLegend {{
            color: {theme.TEXT_DIM.name()};
            background: rgba(14, 26, 43, 190);
            border-radius: {m.px(8)}px;
            padding: {m.px(4)}px {m.px(10)}px;
        }}
        #MapLegend QLabel {{ color: {theme.TEXT.name()}; }}
        """

    def _apply_texts(self) -> None:
        ctx = self.ctx
        m = ctx.metrics
        small = ctx.font(m.small)
        for r, b in self.region_buttons.items():
            b.setText(ctx.tr(f"region_{r}" if r else "region_all"))
            b.setFont(small)
        for d, b in self.decade_buttons.items():
            b.setText(ctx.tr("map_decade", decade=d) if d else ctx.tr("map_decade_all"))
            b.setFont(small)
        self.routes_button.setText(ctx.tr("map_routes"))
        self.list_button.setText(ctx.tr("map_list"))
        for b in (self.routes_button, self.list_button):
            b.setFont(small)
        caption = ctx.text(ctx.content.settings.map_caption)
        self.caption.setText(caption)
        self.caption.setFont(ctx.font(m.small))
        self.caption.setVisible(bool(caption))
        names = {c.id: ctx.text(c.name, c.id) for c in self._cities.values()}
        self.view.set_texts(
            names,
            ctx.tr("map_changchun"),
            label_font=ctx.font(m.small),
            home_font=ctx.font(m.small, bold=True),
            badge_font=ctx.font(m.small, bold=True),
            row_font=ctx.font(m.body),
        )
        self.list_panel.set_look(
            ctx.font(m.body, bold=True),
            lambda d: d.set_look(ctx.font(m.body), ctx.font(m.small), m.touch, m.px(12)),
            m.px(16),
            m.px(8),
        )
        self._update_legend()
        self._fill_card()
        self._sync_toggles()

    def _update_legend(self) -> None:
        ctx = self.ctx
        m = ctx.metrics
        width = max(2.0, 3.0 * m.scale)
        arc = QPen(ARC_COLOUR, width)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        entries: list[tuple[str, str, QPen]] = [("arcs", ctx.tr("partnership_arcs"), arc)]
        modes = [mode for mode in ROUTE_MODES if any(r.mode == mode for r in ctx.content.routes)]
        entries += [(mode, ctx.tr(f"route_{mode}"), route_pen(mode, width)) for mode in modes]
        for _, _, pen in entries[1:]:
            pen.setCosmetic(False)  # a swatch is not zoomed; keep the dash look of the map
        self.legend.set_entries(entries, ctx.font(m.small), QSize(m.px(44), m.px(20)), m.px(12), m.px(12))
        enabled = {"arcs"} | (set(modes) if self.view.routes_visible() else set())
        self.legend.set_enabled_keys(enabled)

    def _sync_toggles(self) -> None:
        for b, on in ((self.routes_button, self.view.routes_visible()), (self.list_button, self._list_open)):
            b.blockSignals(True)
            b.setChecked(on)
            b.blockSignals(False)
        for r, b in self.region_buttons.items():
            b.setChecked(r == self._region)
        for d, b in self.decade_buttons.items():
            b.setChecked(d == self._decade)

    # --- filters and list ------------------------------------------------------------------

    def _passes(self, city: City) -> bool:
        return (self._region is None or city.region == self._region) and (
            self._decade is None or decade_of(city) == self._decade
        )

    def visible_cities(self) -> list[str]:
        return [c.id for c in self._cities.values() if self._passes(c)]

    def _apply_filters(self) -> None:
        visible = self.visible_cities()
        self.view.set_visible_cities(visible)
        if self._selected is not None and self._selected not in visible:
            self._selected = None
            self.view.set_selected(None)
            self._fill_card()
        ctx = self.ctx
        ordered = sorted(
            (self._cities[i] for i in visible),
            key=lambda c: (
                c.established,
                c.established_date.fractional_year if c.established_date else c.established + 0.5,
                ctx.text(c.name, c.id),
            ),
        )
        rows = []
        for c in ordered:
            detail = country_name(c.country, ctx.language)
            rows.append((c.id, str(c.established), ctx.text(c.name, c.id), detail))
        self.list_panel.set_rows(rows, self._selected)
        self.list_panel.header.setText(ctx.tr("map_count", count=len(rows)))
        self._sync_toggles()
        self._layout_overlays()

    # --- the card --------------------------------------------------------------------------

    def _fill_card(self) -> None:
        city = self._cities.get(self._selected) if self._selected else None
        if city is None:
            self.card.city_id = None
            self.card.hide()
            return
        ctx = self.ctx
        m = ctx.metrics
        lang = ctx.language
        dim = theme.TEXT_DIM.name()
        text = theme.TEXT.name()
        accent = theme.ACCENT.name()
        body, small = ctx.font(m.body), ctx.font(m.small)
        lines: list[tuple[str, str, QFont, str]] = []
        second = ctx.text2(city.name)
        if second:
            second_lang = ctx.second.language if ctx.second else lang
            lines.append(("name2", second, ctx.font_for(second_lang, m.body), dim))
        lines.append(("country", country_name(city.country, lang), body, text))
        since = ctx.tr("map_established", year=city.established)
        if city.established_date is not None and city.established_date.precision != "year":
            since += "  ·  " + format_date(city.established_date, lang)
        lines.append(("established", since, ctx.font(m.body, bold=True), accent))
        status = (
            ctx.tr("map_ended", year=city.ended) if city.status == "ended" and city.ended
            else ctx.tr(f"status_{city.status}")
        )
        lines.append(("kind", f"{ctx.tr(f'kind_{city.kind}')}  ·  {status}", body, text))
        for i, highlight in enumerate(city.highlights):
            lines.append((f"highlight{i}", "• " + ctx.text(highlight), body, text))
        if city.note is not None:
            lines.append(("note", ctx.tr("note", note=ctx.text(city.note)), small, dim))
        if city.source:
            lines.append(("source", breakable(ctx.tr("source", source="; ".join(city.source))), small, dim))
        self.card.city_id = city.id
        self.card.set_content(
            ctx.text(city.name, city.id), ctx.font(m.title, bold=True), lines,
            ctx.tr("close"), ctx.font(m.small), m.px(20), m.px(10),
        )
        self.card.show()
        self.card.raise_()

    # --- layout ----------------------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:  # type: ignore[override]
        from PySide6.QtCore import QEvent

        if obj is self.stage and event.type() == QEvent.Type.Resize:
            self._layout_overlays()
        return False

    def _portrait_layout(self) -> bool:
        w, h = self.stage.width(), self.stage.height()
        return h > w * 0.9

    def _layout_overlays(self) -> None:
        """Place the map area, list, card, legend and caption over the stage.

        Computed in physical pixels: the start side is the left in left-to-right languages. The
        legend sits in the bottom start corner and the caption in the bottom end corner, where the
        rounded map outline leaves room; panels never cover either.
        """
        if not hasattr(self, "legend"):
            return
        m = self.ctx.metrics
        w, h = self.stage.width(), self.stage.height()
        if w <= 0 or h <= 0:
            return
        gap = m.margin
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        start_left = not rtl
        self.view.setGeometry(0, 0, w, h)
        mr = map_rect()
        list_open = self._list_open
        card_open = self._selected is not None
        self.legend.adjustSize()
        leg = self.legend.sizeHint()
        cap_w = cap_h = 0

        def at_side(rect: QRect, left: bool, x_from_edge: int) -> QRect:
            r = QRect(rect)
            if left:
                r.moveLeft(x_from_edge)
            else:
                r.moveRight(w - 1 - x_from_edge)
            return r

        if self._portrait_layout():
            if self.caption.isVisibleTo(self):
                cap_w = min(int(w * 0.5), self.caption.sizeHint().width())
                cap_h = self.caption.heightForWidth(cap_w)
            map_h = min(int(w * mr.height() / mr.width()) + gap, int(h * 0.55))
            strip = max(leg.height(), cap_h)
            area = QRectF(0, 0, w, map_h)
            top = map_h + strip + gap // 2
            panel = QRect(gap, top, w - 2 * gap, h - top - gap)
            self.list_panel.setGeometry(panel)
            self.card.setGeometry(panel)
            self.caption.setGeometry(at_side(QRect(0, map_h, cap_w, cap_h), not start_left, gap))
            self.legend.setGeometry(at_side(QRect(0, map_h, leg.width(), leg.height()), start_left, gap))
            list_open = list_open and not card_open  # they share the space below the map
            free = area
        else:
            # The list takes its side of the stage and the map fits the rest; the card floats
            # over the map on the side away from the selected city.
            list_w = max(m.touch * 5, min(int(w * 0.24), m.touch * 8))
            card_w = max(m.touch * 6, min(int(w * 0.3), m.touch * 9))
            lst = at_side(QRect(0, gap, list_w, h - 2 * gap), start_left, gap)
            self.list_panel.setGeometry(lst)
            if list_open:
                x0 = lst.right() + 1 if start_left else 0
                area_rect = QRect(x0, 0, w - list_w - gap, h)
            else:
                area_rect = QRect(0, 0, w, h)
            area = QRectF(area_rect)
            if self.caption.isVisibleTo(self):
                cap_w = min(int(area_rect.width() * 0.36), self.caption.sizeHint().width())
                cap_h = self.caption.heightForWidth(cap_w)

            def in_area(rect: QRect, left: bool) -> QRect:
                r = QRect(rect)
                if left:
                    r.moveLeft(area_rect.left() + gap)
                else:
                    r.moveRight(area_rect.right() - gap)
                return r

            if card_open and self._selected is not None:
                self.view.set_map_area(area, area)  # the city's place at this map size
                card_left = self.view.city_viewport_pos(self._selected).x() > area.center().x()
            else:
                card_left = self._card_side_left
            self._card_side_left = card_left
            self.legend.setGeometry(
                in_area(QRect(0, h - gap - leg.height(), leg.width(), leg.height()), start_left))
            self.caption.setGeometry(in_area(QRect(0, h - gap - cap_h, cap_w, cap_h), not start_left))
            below = leg.height() if card_left == start_left else cap_h
            card_h = h - 2 * gap - (below + gap if below else 0)
            card = in_area(QRect(0, gap, card_w, card_h), card_left)
            self.card.setGeometry(card)
            free = QRectF(area)
            if card_open:
                if card_left:
                    free.setLeft(card.right() + 1.0)
                else:
                    free.setRight(float(card.left()))
        self.list_panel.setVisible(list_open)
        self.card.setVisible(card_open)
        self.view.set_map_area(area, free)
        for widget in (self.legend, self.caption, self.list_panel, self.card):
            widget.raise_()
