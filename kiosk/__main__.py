"""``python -m kiosk`` does what the ``kiosk`` command does."""

from kiosk.cli import main

raise SystemExit(main())
