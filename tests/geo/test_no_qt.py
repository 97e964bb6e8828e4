"""kiosk.geo must stay usable without Qt (content validation and tests run headless)."""

import subprocess
import sys


def test_importing_kiosk_geo_does_not_import_qt():
    code = (
        "import sys, kiosk.geo\n"
        "from kiosk.geo import load_basemap, project_rings, DEFAULT_BASEMAP_PATH\n"
        "project_rings(load_basemap(DEFAULT_BASEMAP_PATH))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'pyqtgraph'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
