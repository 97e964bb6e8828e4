"""The partner-city map: taps on markers and clusters, pinch and pan, filters, list, deep links."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from kiosk.paths import PROJECT_ROOT
from kiosk.screens.partner_map import PartnerMapScreen
from kiosk.screens.partner_map_view import map_rect
from tests.paints import looks_the_same_without_backdrop, paints_while_repainted_beneath

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)


@pytest.fixture
def screen(qtbot, make_ctx):
    def build(language="en", size=LANDSCAPE, **kwargs):
        s = PartnerMapScreen(make_ctx(language, size, **kwargs))
        s.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # exact touch coordinates
        qtbot.addWidget(s)
        s.resize(*size)
        s.show()
        qtbot.waitExposed(s)
        return s

    return build


def _pt(p) -> QPoint:
    return QPoint(round(p.x()), round(p.y()))


# Pass the widget to press/move/release as well: PySide6 otherwise picks the QWindow overload and
# reads the point in the top-level window's coordinates, not the widget's.


def tap(widget, device, pos) -> None:
    pos = _pt(pos)
    QTest.touchEvent(widget, device).press(0, pos, widget).commit()
    QTest.touchEvent(widget, device).release(0, pos, widget).commit()


def drag(widget, device, start, end, steps=8) -> None:
    QTest.touchEvent(widget, device).press(0, _pt(start), widget).commit()
    for k in range(1, steps + 1):
        t = k / steps
        p = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t)
        QTest.touchEvent(widget, device).move(0, _pt(p), widget).commit()
    QTest.touchEvent(widget, device).release(0, _pt(end), widget).commit()


def pinch(widget, device, centre, start_gap, end_gap, steps=6) -> None:
    """Two fingers on a horizontal line through ``centre``, moving from one gap to another."""

    def fingers(gap):
        return (_pt(QPointF(centre.x() - gap / 2, centre.y())),
                _pt(QPointF(centre.x() + gap / 2, centre.y())))

    a, b = fingers(start_gap)
    QTest.touchEvent(widget, device).press(0, a, widget).press(1, b, widget).commit()
    for k in range(1, steps + 1):
        a, b = fingers(start_gap + (end_gap - start_gap) * k / steps)
        QTest.touchEvent(widget, device).move(0, a, widget).move(1, b, widget).commit()
    QTest.touchEvent(widget, device).release(0, a, widget).release(1, b, widget).commit()


def vp(s):
    return s.view.viewport()


def empty_ocean(s) -> QPointF:
    """A point of open Pacific with no marker, label or panel near it."""
    from kiosk.geo import project
    from kiosk.screens.partner_map_view import to_scene

    return s.view.to_viewport(to_scene(*project(-150.0, -10.0)))


# --- markers, clusters and the card ---------------------------------------------------------


def test_tap_on_a_city_marker_opens_its_card(screen, touch_device):
    s = screen()
    target = s.view.target_of("kumasi")
    assert target is not None
    assert target.members == ("kumasi",)
    assert not s.card.isVisible()
    tap(vp(s), touch_device, s.view.tap_point("kumasi"))
    assert s.state()["selected_city"] == "kumasi"
    assert s.card.isVisible()
    text = s.card.text()
    assert "Kumasi" in text
    assert "Ghana" in text  # country name from CLDR
    assert "Partners since 2018" in text
    assert "Source:" in text


def test_the_whole_touch_target_counts_not_just_the_dot(screen, touch_device):
    s = screen()
    centre = s.view.tap_point("tijuana")
    edge = s.ctx.metrics.touch / 2 - 3
    tap(vp(s), touch_device, QPointF(centre.x() - edge, centre.y()))
    assert s.state()["selected_city"] == "tijuana"
    tap(vp(s), touch_device, QPointF(centre.x() + s.ctx.metrics.touch, centre.y() + s.ctx.metrics.touch))
    assert s.state()["selected_city"] is None  # well outside: a tap on the map


def test_a_mouse_click_selects_too(screen, qtbot):
    s = screen()
    qtbot.mouseClick(vp(s), Qt.MouseButton.LeftButton, pos=_pt(s.view.tap_point("masterton")))
    assert s.state()["selected_city"] == "masterton"


@pytest.mark.parametrize("city", ["ulsan", "changwon", "sendai", "kanegasaki", "chitose"])
def test_tap_on_a_cluster_spreads_it_then_a_tap_picks_the_city(screen, touch_device, city):
    s = screen()
    target = s.view.target_of(city)
    assert target is not None
    assert target.is_cluster
    tap(vp(s), touch_device, QPointF(*target.centre))
    assert city in s.view.spread_members()
    assert s.state()["selected_city"] is None  # opening a cluster selects nothing yet
    rows = [row for _, row in s.view.spread_rows()]
    touch = s.ctx.metrics.touch
    assert all(r.rect.h >= touch and r.rect.w >= touch for r in rows)
    for a, b in itertools.combinations(rows, 2):
        assert not a.rect.intersects(b.rect)  # separate large targets
    tap(vp(s), touch_device, s.view.tap_point(city))
    assert s.state()["selected_city"] == city
    assert s.card.city_id == city


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_touch_targets_never_overlap(screen, size):
    s = screen(size=size)
    touch = s.ctx.metrics.touch
    for zoom in (1.0, 2.5):
        s.view.set_zoom(zoom)
        targets = s.view.targets()
        assert sum(len(t.members) for t in targets) == len(s.visible_cities())
        for a, b in itertools.combinations(targets, 2):
            assert math.dist(a.centre, b.centre) >= touch - 1e-6


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_map_labels_do_not_overlap(screen, size):
    s = screen(size=size)
    rects = list(s.view.label_rects().values())
    assert len(rects) >= 5  # Changchun and several lone cities are named
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)


def test_tap_elsewhere_closes_the_card(screen, touch_device):
    s = screen()
    s.open({"city": "tijuana"})
    assert s.card.isVisible()
    tap(vp(s), touch_device, empty_ocean(s))
    assert s.state()["selected_city"] is None
    assert not s.card.isVisible()


def test_close_button_closes_the_card(screen, touch_device):
    s = screen()
    s.open({"city": "minsk"})
    tap(s.card.close_button, touch_device, s.card.close_button.rect().center())
    assert s.state()["selected_city"] is None


# --- pinch, pan, double tap -----------------------------------------------------------------


def test_two_finger_pinch_zooms_in_around_the_fingers(screen, touch_device):
    s = screen()
    centre = empty_ocean(s)
    before = s.view.scene_at(centre)
    pinch(vp(s), touch_device, centre, 100, 300)
    assert s.state()["zoom"] > 2.5
    after = s.view.scene_at(centre)
    assert math.dist((before.x(), before.y()), (after.x(), after.y())) < 5  # the map stays under the fingers
    assert s.view.transform().m11() == pytest.approx(s.view.scale_factor())


def test_a_pinch_over_a_marker_is_not_a_tap(screen, touch_device):
    s = screen()
    pinch(vp(s), touch_device, s.view.tap_point("kumasi"), 40, 160)
    assert s.state()["zoom"] > 1.0
    assert s.state()["selected_city"] is None


def test_pinch_is_limited(screen, touch_device):
    s = screen()
    centre = empty_ocean(s)
    pinch(vp(s), touch_device, centre, 20, 900)
    assert s.state()["zoom"] <= 8.0
    pinch(vp(s), touch_device, centre, 900, 10)
    assert s.state()["zoom"] == 1.0


def test_one_finger_drag_neither_zooms_nor_pans_the_whole_map(screen, touch_device):
    s = screen()
    centre = s.view.centre()
    start = empty_ocean(s)
    drag(vp(s), touch_device, start, QPointF(start.x() - 400, start.y() + 150))
    assert s.state()["zoom"] == 1.0
    assert s.view.centre() == centre
    assert s.state()["selected_city"] is None  # a drag is not a tap


def test_one_finger_pans_when_zoomed(screen, touch_device):
    s = screen()
    pinch(vp(s), touch_device, empty_ocean(s), 100, 300)
    zoom = s.state()["zoom"]
    assert zoom > 1.0
    centre = s.view.centre()
    start = QPointF(s.view.width() / 2, s.view.height() / 2)
    drag(vp(s), touch_device, start, QPointF(start.x() - 200, start.y() - 100))
    assert s.state()["zoom"] == zoom  # one finger never zooms
    moved = s.view.centre()
    assert moved.x() > centre.x()
    assert moved.y() > centre.y()


def test_pan_stays_on_the_map(screen, touch_device):
    s = screen()
    s.view.set_zoom(2.0)
    start = QPointF(s.view.width() / 2, s.view.height() / 2)
    for _ in range(4):
        drag(vp(s), touch_device, start, QPointF(start.x() + 600, start.y()))
    visible = s.view.mapToScene(s.view.viewport().rect()).boundingRect()
    assert visible.left() >= map_rect().left() - 2


def test_double_tap_resets_zoom(screen, touch_device):
    s = screen()
    pinch(vp(s), touch_device, empty_ocean(s), 100, 300)
    assert s.state()["zoom"] > 1.0
    p = QPointF(s.view.width() / 2, s.view.height() / 2)
    tap(vp(s), touch_device, p)
    tap(vp(s), touch_device, p)
    assert s.state()["zoom"] == 1.0
    assert s.view.centre() == map_rect().center()


# --- filters, list, routes ------------------------------------------------------------------


def test_region_filter_hides_cities_of_other_regions(screen, touch_device, shipped_content):
    s = screen()
    button = s.region_buttons["europe"]
    tap(button, touch_device, button.rect().center())
    europe = {c.id for c in shipped_content.cities if c.region == "europe"}
    assert s.state()["region"] == "europe"
    assert s.view.visible_cities() == europe
    assert {m for t in s.view.targets() for m in t.members} == europe
    assert not s.view.markers["kumasi"].isVisible()
    assert set(s.list_panel.ids()) == europe
    tap(s.region_buttons[None], touch_device, s.region_buttons[None].rect().center())
    assert len(s.view.visible_cities()) == len(shipped_content.cities)


def test_decade_filter_and_selection_outside_it(screen, touch_device, shipped_content):
    s = screen()
    s.open({"city": "sendai"})
    button = s.decade_buttons[2010]
    tap(button, touch_device, button.rect().center())
    assert s.state()["decade"] == 2010
    assert s.view.visible_cities() == {c.id for c in shipped_content.cities if 2010 <= c.established < 2020}
    assert s.state()["selected_city"] is None  # Sendai (1980) is filtered out, so its card closes


def test_filter_buttons_are_touch_sized(screen):
    s = screen(size=PORTRAIT)
    touch = s.ctx.metrics.touch
    buttons = [*s.region_buttons.values(), *s.decade_buttons.values(), s.routes_button, s.list_button]
    for b in buttons:
        assert b.height() >= touch
        assert b.width() >= touch
        assert s.rect().contains(b.mapTo(s, b.rect().bottomRight()))  # nothing cut off


def test_list_is_sorted_by_year_and_selection_syncs_with_the_map(screen, touch_device, shipped_content):
    s = screen()
    tap(s.list_button, touch_device, s.list_button.rect().center())
    assert s.state()["list_open"]
    assert s.list_panel.isVisible()
    ids = s.list_panel.ids()
    years = [next(c.established for c in shipped_content.cities if c.id == i) for i in ids]
    assert years == sorted(years)
    assert len(ids) == len(shipped_content.cities)
    rect = s.list_panel.row_rect("birmingham")
    tap(s.list_panel.list.viewport(), touch_device, rect.center())
    assert s.state()["selected_city"] == "birmingham"
    assert s.card.city_id == "birmingham"
    assert s.view.highlighted_city() == "birmingham"  # its arc is the highlighted one
    # and the other way round: a city picked on the map is selected in the list
    tap(vp(s), touch_device, s.view.tap_point("kumasi"))
    assert [i.data(Qt.ItemDataRole.UserRole) for i in s.list_panel.list.selectedItems()] == ["kumasi"]


def test_list_scrolls_kinetically(screen, touch_device, qtbot):
    s = screen(size=LANDSCAPE)
    s.set_list_open(True)
    lst = s.list_panel.list
    assert lst.verticalScrollBar().maximum() > 0
    viewport = lst.viewport()
    x = viewport.width() // 2
    QTest.touchEvent(viewport, touch_device).press(0, QPoint(x, viewport.height() - 20), viewport).commit()
    for y in range(viewport.height() - 50, 40, -40):
        QTest.qWait(10)
        QTest.touchEvent(viewport, touch_device).move(0, QPoint(x, y), viewport).commit()
    QTest.touchEvent(viewport, touch_device).release(0, QPoint(x, 40), viewport).commit()
    qtbot.waitUntil(lambda: lst.verticalScrollBar().value() > 0, timeout=3000)
    assert s.state()["selected_city"] is None  # scrolling is not choosing


def test_routes_toggle_shows_the_routes_layer_with_a_legend(screen, touch_device):
    s = screen()
    assert not s.view.routes.isVisible()
    assert not s.legend.entries["rail"][1].isVisible()
    tap(s.routes_button, touch_device, s.routes_button.rect().center())
    assert s.state()["routes"] is True
    assert s.view.routes.isVisible()
    assert s.legend.entries["rail"][1].isVisible()
    assert s.legend.entries["rail"][1].text() == "Rail"
    tap(s.routes_button, touch_device, s.routes_button.rect().center())
    assert s.state()["routes"] is False
    assert not s.view.routes.isVisible()


# --- deep links, arcs, animation, state -----------------------------------------------------


def test_deep_link_selects_the_city_and_opens_its_card(screen):
    s = screen()
    s.open({"city": "sendai"})
    assert s.state()["selected_city"] == "sendai"
    assert s.card.isVisible()
    assert s.card.title.text() == "Sendai"
    assert s.view.highlighted_city() == "sendai"
    assert s.view.selection.isVisible()  # Sendai is in a cluster: its true place is marked


def test_deep_link_to_a_filtered_out_city_clears_the_filters(screen):
    s = screen()
    s.set_region("europe")
    s.open({"city": "sendai"})
    assert s.state()["region"] is None
    assert s.state()["selected_city"] == "sendai"


def test_deep_link_routes_and_unknown_city(screen):
    s = screen()
    s.open({"routes": True, "city": "atlantis"})
    assert s.state()["routes"] is True
    assert s.state()["selected_city"] is None


def test_every_arc_stays_inside_the_map(screen, shipped_content):
    s = screen()
    rect = map_rect().adjusted(-1e-6, -1e-6, 1e-6, 1e-6)
    for city in shipped_content.cities:
        pieces = s.view.arcs.polylines(city.id)
        assert len(pieces) == 1, city.id  # never cut by the map edge
        for point in pieces[0]:
            assert rect.contains(point), (city.id, point)
        end, city_pos = pieces[0][pieces[0].size() - 1], s.view.city_scene_pos(city.id)
        assert math.dist((end.x(), end.y()), (city_pos.x(), city_pos.y())) < 1e-6


def test_intro_animation_does_not_block_taps(screen, touch_device, qtbot):
    s = screen()
    s.entered()
    assert s.view.intro_running()
    assert s.view.arcs.progress < 0.5
    tap(vp(s), touch_device, s.view.tap_point("tijuana"))
    assert s.state()["selected_city"] == "tijuana"
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    assert s.view.arcs.progress == 1.0
    s.entered()
    s.left()
    assert not s.view.intro_running()
    assert s.view.arcs.progress == 1.0


def test_language_change_keeps_state(screen, make_ctx):
    s = screen()
    s.set_region("asia")
    s.open({"city": "sendai", "routes": True})
    s.view.set_zoom(2.0)
    before = s.state()
    s.apply_context(make_ctx("zh"))
    assert s.state() == before
    assert s.card.title.text() == "仙台"
    assert "日本" in s.card.text()
    assert s.region_buttons["asia"].text() == "亚洲"


def test_layout_change_keeps_state(screen, make_ctx):
    s = screen()
    s.open({"city": "sendai", "region": "asia"})
    s.apply_context(make_ctx("en", PORTRAIT))
    s.resize(*PORTRAIT)
    assert s.state()["selected_city"] == "sendai"
    assert s.state()["region"] == "asia"
    assert s.card.isVisible()
    assert s.card.geometry().top() > s.view.to_viewport(map_rect().bottomLeft()).y()  # below the map now



def test_a_language_change_keeps_the_drawn_basemap_and_arcs(screen, make_ctx, qtbot, monkeypatch):
    from kiosk.screens.partner_map_view import ArcLayer, BasemapItem

    painted = []
    for item_class in (BasemapItem, ArcLayer):
        real = item_class.paint
        monkeypatch.setattr(item_class, "paint",
                            lambda self, *a, _real=real: painted.append(type(self)) or _real(self, *a))
    s = screen("en")
    s.view.stop_intro()  # arcs drawn in full, both layers in Qt's item cache
    s.view.viewport().repaint()
    assert BasemapItem in painted
    painted.clear()
    s.apply_context(make_ctx("zh"))
    s.view.viewport().repaint()
    # the coastline (about 50 ms of paths) and the arcs did not change: their caches are kept
    assert painted == []
    s.view.arcs.set_width(s.view.arcs._width + 1)  # as new sizes would: the arcs are drawn again
    s.view.viewport().repaint()
    assert painted == [ArcLayer]

def test_two_language_mode_shows_the_second_name_beneath(screen):
    s = screen(second="zh")
    s.open({"city": "wolfsburg"})
    assert s.card.lines["name2"].text() == "沃尔夫斯堡"
    assert next(iter(s.card.lines)) == "name2"  # right beneath the name
    assert s.card.lines["name2"].y() < s.card.lines["country"].y()


def test_state_and_reset(screen):
    s = screen()
    s.open({"city": "sendai", "routes": True, "region": "asia", "list": True})
    s.view.set_zoom(3.0)
    assert s.state() == {
        "selected_city": "sendai", "region": "asia", "decade": None, "zoom": 3.0, "routes": True,
        "list_open": True,
    }
    s.reset()
    assert s.state() == {
        "selected_city": None, "region": None, "decade": None, "zoom": 1.0, "routes": False,
        "list_open": False,
    }
    assert not s.card.isVisible()


def test_portrait_puts_the_list_below_the_map(screen):
    s = screen(size=PORTRAIT)
    assert s.state()["list_open"]
    map_bottom = s.view.to_viewport(map_rect().bottomLeft()).y()
    assert s.list_panel.geometry().top() >= map_bottom
    s.open({"city": "sendai"})
    assert s.card.geometry().top() >= map_bottom
    assert not s.list_panel.isVisible()  # the card takes the list's place until closed


def test_right_to_left_mirrors_panels_but_not_the_map(qtbot, screen):
    from kiosk.content import Localiser, load
    from kiosk.screens.base import ScreenContext
    from kiosk.ui import theme

    content = load(PROJECT_ROOT / "tests" / "data" / "rtl" / "content.yaml")
    s = screen()
    s.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    s.apply_context(ScreenContext(content, theme.metrics_for(*LANDSCAPE), Localiser(content, "ar")))
    s.set_list_open(True)
    assert s.view.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert s.list_panel.geometry().left() > s.width() / 2  # the list is on the start (right) side
    home = s.view.to_viewport(s.view.home.pos())
    sendai = s.view.city_viewport_pos("sendai")
    assert sendai.x() > home.x()  # east is still to the right
    assert s.card.title.text() == "" or not s.card.isVisible()


# --- the pure layout helpers ----------------------------------------------------------------


def test_cluster_targets_merge_close_points_and_keep_clear_of_changchun():
    from kiosk.screens.partner_map_layout import cluster_targets

    points = [(0, 0), (50, 0), (100, 0), (300, 0), (0, 300)]
    targets = cluster_targets(points, 64, keep_out=((50, 10), 60))
    groups = sorted(g for g, _ in targets)
    assert groups == [[0, 1, 2], [3], [4]]  # a chain of close points is one cluster
    centre = next(pos for g, pos in targets if g == [0, 1, 2])
    assert math.dist(centre, (50, 10)) >= 60 - 1e-9  # pushed off the home marker
    assert next(pos for g, pos in targets if g == [3]) == (300, 0)  # a lone city stays put
    for (_, a), (_, b) in itertools.combinations(targets, 2):
        assert math.dist(a, b) >= 64


def test_spread_rows_stay_inside_the_bounds_without_overlapping():
    from kiosk.screens.partner_map_layout import Rect, spread_rows

    bounds = Rect(0, 0, 800, 500)
    members = [(790, 10 + 3 * i) for i in range(12)]  # a dozen cities in a corner
    rows, block = spread_rows((790, 20), members, 64, 150, bounds, 10)
    assert len(rows) == 12
    assert bounds.contains_rect(block)
    for row in rows:
        assert block.contains_rect(row.rect)
    for a, b in itertools.combinations(rows, 2):
        assert not a.rect.intersects(b.rect)
    assert [members[r.index][1] for r in rows] == sorted(m[1] for m in members)  # north first


def _pixels(widget) -> bytes:
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return bytes(image.constBits())[: image.sizeInBytes()]


def _differing(a: bytes, b: bytes, threshold: int) -> int:
    """Pixels (RGB32) where some colour channel differs by more than ``threshold``."""
    return sum(
        1 for i in range(0, len(a), 4)
        if abs(a[i] - b[i]) > threshold or abs(a[i + 1] - b[i + 1]) > threshold
        or abs(a[i + 2] - b[i + 2]) > threshold
    )


def test_arc_layer_draws_what_direct_drawing_draws(screen, qtbot):
    from PySide6.QtWidgets import QGraphicsItem

    s = screen()
    s.entered()
    assert s.view.arcs.cacheMode() == QGraphicsItem.CacheMode.NoCache  # the layer grows them
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    layered = _pixels(s.view.viewport())
    assert s.view.arcs._layer is not None
    s.view.arcs.drop_layer()
    s.view.arcs.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # direct drawing
    direct = _pixels(s.view.viewport())
    s.view.arcs.setVisible(False)
    try:
        without_arcs = _pixels(s.view.viewport())
    finally:
        s.view.arcs.setVisible(True)
    arcs = _differing(direct, without_arcs, 40)
    assert arcs > 2000  # the arcs are there to compare
    # the same picture but where arcs cross (drawn once in the layer, blended twice directly)
    assert _differing(layered, direct, 40) < 0.05 * arcs


def test_leaving_the_map_gives_back_its_arc_layer(screen, qtbot):
    from PySide6.QtWidgets import QGraphicsItem

    s = screen()
    s.entered()
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    assert s.view.arcs._layer is not None
    s.left()
    assert s.view.arcs._layer is None
    assert s.view.arcs.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    s.entered()  # the next visit grows the arcs in a new layer
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    assert s.view.arcs._layer is not None


def test_arc_intro_frames_repaint_only_around_the_growing_arcs(screen, qtbot):
    from PySide6.QtCore import QEvent, QObject

    s = screen()
    s.entered()
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    areas: list[int] = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                areas.append(sum(r.width() * r.height() for r in event.region()))
            return False

    spy = Spy()
    s.view.viewport().installEventFilter(spy)
    s.view.start_intro()
    qtbot.waitUntil(lambda: not s.view.intro_running(), timeout=3000)
    full = s.view.viewport().width() * s.view.viewport().height()
    assert len(areas) > 10
    # the first frame clears the arcs; the frames after it paint small pieces of the map
    assert sorted(areas)[len(areas) // 2] < full / 4
    assert s.view.arcs.progress == 1.0


def test_arc_growth_areas_cover_the_stretches_drawn(screen):
    from PySide6.QtCore import QPointF, QRectF

    from kiosk.screens.partner_map_view import ArcLayer

    s = screen()
    layer = ArcLayer()
    arcs = {c: [[QPointF(p) for p in piece] for piece in pieces]
            for c, pieces in list(s.view.arcs._arcs.items())[:4]}
    # an arc across the map's edge comes in two pieces: a piece with one point draws nothing
    arcs["split"] = [[QPointF(900 + i, 10 + i) for i in range(20)],
                     [QPointF(-900 + i, 30 + i) for i in range(15)]]
    layer.set_arcs(arcs)
    for city_id in arcs:
        total = layer._totals[city_id]
        for a, b in ((0, 5), (3, 4), (10, 30), (18, 23), (20, 22), (total - 7, total), (0, total)):
            expected = QRectF()
            for piece in layer._span(layer._arcs[city_id], a, b):
                expected = expected.united(piece.boundingRect())
            bounds = layer._grown_bounds(city_id, a, b)
            got = None if bounds is None else QRectF(
                bounds[0], bounds[1], bounds[2] - bounds[0], bounds[3] - bounds[1])
            assert (got or QRectF()) == expected, (city_id, a, b)


def test_a_whole_arc_is_drawn_through_fewer_points_within_a_fifth_of_a_pixel(screen):
    """Every arc has as many points; a short one (a near city) has them about 1 px apart, and a
    stroke's cost grows with its points. The selected arc, drawn whole in every frame of the
    intro, goes through the points that move it by more than 0.2 device px."""
    from PySide6.QtGui import QImage, QPainter

    from kiosk.screens.partner_map_view import _DETAIL_PX

    s = screen()
    arcs = s.view.arcs
    to_view = s.view.viewportTransform()
    image = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.setTransform(to_view)
    try:
        for progress in (1.0, 0.6):
            arcs._progress = progress
            for city_id in ("sendai", "wolfsburg", "kumasi"):
                path = arcs._path(painter, city_id)
                upto = arcs._count(city_id, progress)
                drawn = [(path.elementAt(k).x, path.elementAt(k).y)
                         for k in range(path.elementCount())]
                xs, ys = arcs._xs[city_id], arcs._ys[city_id]
                if city_id == "sendai":
                    assert len(drawn) < upto / 4
                assert drawn[0] == (xs[0], ys[0])
                if progress == 1.0:
                    assert drawn[-1] == (xs[upto - 1], ys[upto - 1])
                tolerance = _DETAIL_PX / to_view.m11() * 1.01
                for k in range(upto):
                    gap = min(_to_segment(xs[k], ys[k], a, b) for a, b in itertools.pairwise(drawn))
                    assert gap <= tolerance, (city_id, k, gap)
    finally:
        painter.end()
        arcs._progress = 1.0


def _to_segment(x, y, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) /
                                                (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def test_the_card_texts_are_not_repainted_by_the_arcs_beneath_the_card(screen, qtbot):
    """Every frame of the arcs' intro repaints the map beneath the open card; the card's texts
    stay as they are (an opaque backdrop under them), and look the same."""
    s = screen()
    s.open({"city": "sendai"})
    card = s.card
    texts = [card.title, *card.lines.values()]
    assert len(texts) >= 3
    assert all(t.isVisible() for t in texts)
    viewport = s.view.viewport()
    repainted = paints_while_repainted_beneath(qtbot, s, viewport, texts)
    assert repainted == [0] * len(texts)
    assert looks_the_same_without_backdrop(card)


def test_arcs_stroke_their_points_in_different_frames_and_still_reach_the_progress(screen):
    """All arcs have as many points; each lags a different fraction of a point, so the points
    stroked into the layer are spread over the frames (not all in every other frame), and the
    tip draws the rest: each arc still ends exactly where the intro has reached."""
    from PySide6.QtGui import QPainterPath

    arcs = screen().view.arcs
    totals = set(arcs._totals.values())
    assert len(arcs._order) >= 10
    assert len(totals) == 1  # the case that made the frames uneven
    total = totals.pop()
    frames = 60  # a 1 s intro at 60 fps
    added = []
    for f in range(1, frames):
        before, after = (f - 1) / frames, f / frames
        added.append(sum(arcs._count(c, after) - arcs._count(c, before) for c in arcs._order))
    steady = added[1:-1]  # (the first point of each arc, and the last frame, are uneven anyway)
    mean = sum(steady) / len(steady)
    assert max(steady) - min(steady) <= 0.25 * mean  # in lockstep: 1x or 2x the arcs a frame
    for progress in (0.13, 0.5, 0.731, 0.99):
        arcs._progress = progress
        exact = progress * total
        i = int(exact)
        for city in arcs._order:
            xs, ys, starts = arcs._xs[city], arcs._ys[city], arcs._starts[city]
            stroked = arcs._count(city, progress)
            assert stroked in (i - 1, i)
            tip = QPainterPath()
            arcs._add_tip(tip, city)
            if i in starts or (stroked == i - 1 and i - 1 in starts):
                continue  # across the map's edge
            moves = [k for k in range(tip.elementCount()) if tip.elementAt(k).isMoveTo()]
            assert moves == [0]  # one line (a lineTo its own start adds nothing)
            first, last = tip.elementAt(0), tip.currentPosition()  # (an element: x, y fields)
            assert (first.x, first.y) == (xs[stroked - 1], ys[stroked - 1])
            f = exact - i
            end = (xs[i - 1] + (xs[i] - xs[i - 1]) * f, ys[i - 1] + (ys[i] - ys[i - 1]) * f)
            assert last.x() == pytest.approx(end[0])
            assert last.y() == pytest.approx(end[1])
    arcs._progress = 1.0
