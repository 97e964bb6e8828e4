"""Tools for content staff that edit the YAML content: translation exchange and new languages.

``kiosk strings export`` / ``kiosk strings import`` (:mod:`kiosk.tools.strings`) and
``kiosk new-language`` (:mod:`kiosk.tools.new_language`). Imports no Qt.
"""
