"""Keeps Qt's raster painting on the GUI thread.

Qt's raster engine hands every fill or blend of 96 scanlines or more to a thread pool of its own
and waits for it to finish. On the 2-core kiosk the hand-off costs more than it saves, and it
makes frames uneven: a frame of the map's arcs waited on the pool about 20 times, its paint varied
by a millisecond from one frame to the next, and 8-13 % of the arcs' frames came 17 ms or more
after the one before (3-6 % without the pool, the same work otherwise). ``QT_NO_GUI_THREADPOOL``
is Qt's own switch for this; Qt reads it once, at its first such fill, so it is set before the
application starts. The pixels are the same either way.
"""

from __future__ import annotations

import os

QT_SWITCH = "QT_NO_GUI_THREADPOOL"
KEEP_POOL = "KIOSK_QT_GUI_THREADPOOL"  # "1": leave Qt's pool on (a machine with many cores)


def paint_on_gui_thread() -> bool:
    """Turn Qt's raster thread pool off unless ``KIOSK_QT_GUI_THREADPOOL=1``; call it before the
    QApplication is made. True when the pool is off."""
    if os.environ.get(KEEP_POOL) == "1":
        return QT_SWITCH in os.environ
    os.environ.setdefault(QT_SWITCH, "1")
    return True
