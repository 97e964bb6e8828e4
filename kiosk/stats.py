"""Anonymous interaction counts per hour in a small local SQLite file: never anything personal."""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    hour TEXT NOT NULL,      -- local time, 'YYYY-MM-DD HH:00'
    kind TEXT NOT NULL,      -- screen | language | city | chart | event
    value TEXT NOT NULL,     -- e.g. 'timeline', 'de', 'sendai'
    n INTEGER NOT NULL,
    PRIMARY KEY (hour, kind, value)
)
"""
KINDS = frozenset({"screen", "language", "city", "chart", "event", "visit"})


class Stats:
    """Counts what visitors open, by hour. Writes are cheap (one upsert) and never raise."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(SCHEMA)
        self._db.commit()

    def record(self, kind: str, value: str, when: float | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown statistics kind {kind!r}")
        hour = time.strftime("%Y-%m-%d %H:00", time.localtime(when or time.time()))
        try:
            self._db.execute(
                "INSERT INTO counts (hour, kind, value, n) VALUES (?, ?, ?, 1) "
                "ON CONFLICT(hour, kind, value) DO UPDATE SET n = n + 1",
                (hour, kind, value),
            )
            self._db.commit()
        except sqlite3.Error:  # a full or read-only disk must not disturb visitors
            pass

    def totals(self) -> dict[str, dict[str, int]]:
        """kind -> value -> count, over all hours."""
        out: dict[str, dict[str, int]] = {}
        for kind, value, n in self._db.execute(
            "SELECT kind, value, SUM(n) FROM counts GROUP BY kind, value ORDER BY kind, 3 DESC"
        ):
            out.setdefault(kind, {})[value] = n
        return out

    def export_csv(self) -> str:
        """hour, kind, value, count: for the post-fair report."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["hour", "kind", "value", "count"])
        writer.writerows(self._db.execute("SELECT hour, kind, value, n FROM counts ORDER BY 1, 2, 3"))
        return buffer.getvalue()

    def close(self) -> None:
        self._db.close()
