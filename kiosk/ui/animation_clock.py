"""Starts Qt's animation clock at once when an animation starts or resumes from rest.

When no animation runs, Qt's clock is stopped. ``start()`` or ``resume()`` starts it through
two posted calls (the animation is registered in one, the clock's timer started in the next);
by then the next frame, already asked for, has been painted, and the animation's first step
comes a whole tick after that frame: the second frame of every animation came 19-25 ms after
the first. Sending those posted calls right away starts the clock with the animation.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent


def start_clock_now() -> None:
    """Run the posted calls that start Qt's animation clock, and every other posted call (they
    would run before the next frame anyway). Call it only where any of them may run: from a
    timer at the top of the event loop, not inside a change or an input event."""
    if QCoreApplication.instance() is None:
        return
    for _ in range(2):  # the second is posted by the first
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
