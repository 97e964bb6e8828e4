"""A cache of validated content, so that start-up and hot reload do not parse unchanged YAML.

After a check that found the content valid (warnings included), the ``Content`` and its issues
are pickled into the kiosk's state folder. The entry is valid only while all of these hold:

* every content file (``Content.files``, in order) has the same SHA-256 as when it was stored,
  and the includes still resolve to the same files;
* the code that validated it is the same: a hash of ``kiosk/content/*.py``, the Python version,
  and PyYAML's and Babel's versions (Babel's CLDR data decides which language codes exist);
* the same main file and the same working folder (issues name files relative to it);
* the images and basemap the content refers to still exist (their check reads the disk, not YAML).

Anything else (no file, another key, a truncated or corrupt file, a folder others can write to)
is a miss: the caller parses as usual. Invalid content is never stored.

Why pickle is acceptable: unpickling runs code, so whoever can write the cache file can run code
as the kiosk user. The folder is created with mode 0700 in the kiosk user's own state folder, and
an entry is read only when the folder and the file belong to this user and nobody else may write
to them; anyone who can write there could already replace the kiosk's code or its settings.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import json
import logging
import os
import pickle
import struct
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import yaml

log = logging.getLogger(__name__)

MAGIC = b"KIOSKCC1"
_HEADER = struct.Struct("<8sI")  # magic, length of the JSON header; the pickle follows it
_CODE_DIR = Path(__file__).resolve().parent

# What the last lookup found ("hit", "miss: <why>") and the last store did ("stored", "not
# stored: <why>"): for the bench and the tests, which must tell a hit from a fast parse.
last_lookup = ""
last_store = ""


def _proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return _proxy, (dict(proxy),)


class _Pickler(pickle.Pickler):
    """A pickler that can write the model's read-only mappings (LocalText.texts, Content.ui).

    MappingProxyType does not pickle; a per-pickler dispatch table teaches this pickler only,
    instead of changing how every pickle in the process treats mappingproxy.
    """

    dispatch_table: ClassVar[dict[type, Any]] = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}


_code_hash: str | None = None


def code_fingerprint() -> str:
    """What decides the result of a check besides the files: the validator's code and data."""
    global _code_hash
    if _code_hash is None:
        h = hashlib.sha256()
        sources = sorted(_CODE_DIR.glob("*.py"))
        for source in sources:
            h.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        # installed without its sources: nothing to tell one version from another, so no hits
        _code_hash = h.hexdigest() if sources else f"no sources {os.urandom(8).hex()}"
    return "|".join(
        (_code_hash, sys.version, yaml.__version__, str(hasattr(yaml, "CSafeLoader")), _babel())
    )


def _babel() -> str:
    """Babel's version, without importing it (that alone would cost more than a hit)."""
    from importlib.util import find_spec

    spec = find_spec("babel")
    if spec is None or spec.origin is None:
        return "no babel"
    try:
        init = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return spec.origin
    line = next((ln for ln in init.splitlines() if ln.startswith("__version__")), spec.origin)
    return line


def cache_file(cache_dir: Path, main: Path) -> Path:
    """One entry per content folder, so that two folders do not evict each other."""
    name = hashlib.sha256(str(main).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache_dir / f"content-{name}.pickle"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _private(st: os.stat_result) -> bool:
    """Owned by this user, and nobody else may write to it."""
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not st.st_mode & 0o022


def load(cache_dir: Path, main: Path) -> tuple[Any, list[Any]] | None:
    """The cached (content, issues) for this main file if still valid, else None (a miss)."""
    global last_lookup
    try:
        result, why = _load(cache_dir, main)
    except Exception as exc:  # a cache must never break a load: parse instead
        result, why = None, f"unreadable ({exc!r})"
    last_lookup = "hit" if result is not None else f"miss: {why}"
    log.log(logging.DEBUG if result is not None or why == "no entry" else logging.INFO,
            "content cache %s for %s", last_lookup, main)
    return result


def _load(cache_dir: Path, main: Path) -> tuple[tuple[Any, list[Any]] | None, str]:
    path = cache_file(cache_dir, main)
    try:
        dir_st = os.stat(cache_dir)
        with open(path, "rb") as f:
            file_st = os.fstat(f.fileno())
            data = f.read()
    except FileNotFoundError:
        return None, "no entry"
    if not (_private(dir_st) and _private(file_st)):
        return None, "the cache folder or file may be written by other users"
    if len(data) < _HEADER.size:
        return None, "truncated"
    magic, size = _HEADER.unpack_from(data)
    if magic != MAGIC or _HEADER.size + size > len(data):
        return None, "not a cache file, or truncated"
    header = json.loads(data[_HEADER.size : _HEADER.size + size])
    payload = memoryview(data)[_HEADER.size + size :]
    if header["fingerprint"] != code_fingerprint():
        return None, "the validator or its libraries changed"
    if header["main"] != str(main) or header["cwd"] != os.getcwd():
        return None, "another content file or working folder"
    files = [Path(f) for f, _ in header["files"]]
    if not files or files[0] != main:
        return None, "corrupt file list"
    if [(main.parent / inc).resolve() for inc in header["include"]] != files[1:]:
        return None, "an include resolves to another file"
    for file, digest in header["files"]:
        try:
            if _digest(Path(file)) != digest:
                return None, f"{file} changed"
        except OSError:
            return None, f"{file} cannot be read"
    if hashlib.sha256(payload).hexdigest() != header["payload_sha256"]:
        return None, "corrupt"
    from kiosk.content.loader import _check_image

    for image in header["images"]:
        if _check_image(image, "", {}, main.parent):
            return None, f"{image} is gone"
    content, issues = pickle.loads(payload)
    return (content, issues), ""


def store(
    cache_dir: Path, main: Path, content: Any, issues: Sequence[Any], digests: Mapping[Path, str]
) -> None:
    """Write an entry for valid content, atomically; a failure is logged, never raised.

    ``digests`` are the SHA-256 of the bytes the check read (``yamlsource.read_text``), not of
    the files now: a file saved during the check must make the entry miss, not hide the edit.
    """
    global last_store
    try:
        _store(cache_dir, main, content, list(issues), digests)
    except Exception as exc:
        last_store = f"not stored: {exc!r}"
        log.info("content cache not written in %s: %r", cache_dir, exc)
    else:
        last_store = "stored"


def _store(
    cache_dir: Path, main: Path, content: Any, issues: list[Any], digests: Mapping[Path, str]
) -> None:
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(os.stat(cache_dir)):
        os.chmod(cache_dir, 0o700)  # made by an older kiosk, or by hand: only this user may write
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((content, issues))
    payload = buffer.getvalue()
    images = [e.image.file for e in content.timeline.events if e.image is not None]
    if content.settings.map_basemap is not None:
        images.append(content.settings.map_basemap)
    header = json.dumps({
        "fingerprint": code_fingerprint(),
        "main": str(main),
        "cwd": os.getcwd(),
        "files": [[f, digests[Path(f)]] for f in content.files],
        "include": list(content.include),
        "images": images,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }).encode("utf-8")
    import tempfile  # only here: it costs 6 ms to import, and a hit never writes

    fd, tmp = tempfile.mkstemp(prefix=".content-", suffix=".tmp", dir=cache_dir)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_HEADER.pack(MAGIC, len(header)))
            f.write(header)
            f.write(payload)
        # No fsync: after a power cut a half-written entry is a miss, never wrong content.
        os.replace(tmp, cache_file(cache_dir, main))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
