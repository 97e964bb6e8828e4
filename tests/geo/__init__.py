"""Tests for the Qt-free world-map geometry in kiosk.geo."""
