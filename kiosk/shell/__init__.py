"""The kiosk's frame: window, navigation, language picker, attract loop and idle reset."""
