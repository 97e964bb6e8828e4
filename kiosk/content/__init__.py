"""The content library: loading, validation and localisation of the kiosk's YAML. Imports no Qt."""

from kiosk.content.issues import ContentError, Issue, Position
from kiosk.content.loader import check, load, resolve_content_path
from kiosk.content.localise import Localiser, coverage
from kiosk.content.model import Content, LocalText, PartialDate

__all__ = [
    "Content",
    "ContentError",
    "Issue",
    "LocalText",
    "Localiser",
    "PartialDate",
    "Position",
    "check",
    "coverage",
    "load",
    "resolve_content_path",
]
