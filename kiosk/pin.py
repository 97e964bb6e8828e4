"""The staff PIN: stored only as a salted PBKDF2 hash; wrong tries back off."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2-sha256"
ITERATIONS = 200_000


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2-sha256$ITERATIONS$SALT$HASH`` (hex), for settings.admin_pin_hash."""
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValueError("the PIN must be 4 to 12 digits")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches the stored hash; False for a missing or malformed hash."""
    if not stored:
        return False
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        actual = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def backoff_s(failures: int) -> float:
    """Seconds to wait before the next try after this many wrong PINs: 0, 0, 1, 2, 4 ... 60."""
    if failures < 2:
        return 0.0
    return float(min(60, 2 ** (failures - 2)))


def write_pin_hash(content_file: str, pin_hash: str) -> None:
    """Set settings.admin_pin_hash in content.yaml, changing that one line only.

    The line is replaced in place, so comments and layout stay exactly as staff wrote them; a
    file without the key gets it through ruamel.yaml's round trip.
    """
    import os
    import re
    import tempfile
    from pathlib import Path

    path = Path(content_file)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"^(\s+)admin_pin_hash:.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda m: f"{m.group(1)}admin_pin_hash: {pin_hash}", text, count=1)
    else:
        import io

        from ruamel.yaml import YAML

        yaml = YAML()
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 4096
        data = yaml.load(text)
        if data.get("settings") is None:
            data["settings"] = {}
        data["settings"]["admin_pin_hash"] = pin_hash
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
