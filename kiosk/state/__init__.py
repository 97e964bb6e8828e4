"""State machines of the kiosk that need no Qt (slideshow), driven by injected time."""
