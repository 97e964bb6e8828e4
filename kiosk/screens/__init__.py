"""The kiosk's screens: home, timeline, partner-city map, economic charts."""
