"""Changchun Showcase: touch kiosk and presentation app."""

__version__ = "0.1.0"
