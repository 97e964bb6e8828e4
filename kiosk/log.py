"""Logging: a size-capped rotating file in the platform's log folder, plus stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_BYTES = 2_000_000
LOG_BACKUPS = 5


def setup_logging(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to ``kiosk.log`` (rotated at 2 MB, 5 files kept) and stderr; return the file's path."""
    from kiosk.paths import log_dir as default_log_dir

    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        console = logging.StreamHandler()
        console.setFormatter(fmt)
        root.addHandler(console)
    folder = log_dir or default_log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kiosk.log"
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:  # a read-only disk must not stop the kiosk
        logging.getLogger(__name__).warning("cannot write logs to %s: %s", folder, exc)
        return None
    handler.setFormatter(fmt)
    root.addHandler(handler)
    return path
