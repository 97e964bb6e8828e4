"""Content load probe: ``kiosk.content.check`` on one or more content folders, in a fresh process.

    python bench/probe_load.py [--repeat N] [--stages] [--cached] LABEL=PATH ...

For each path: the first load in the process (the loader's imports are done before timing), then
N more loads (warm), and with --stages a split of the first load into its stages: reading + YAML
composition (with the alias/tag/duplicate-key checks), conversion to the typed model
(validation), and the cross-checks. The split calls the loader's private functions; if they
change, the split is left out and the totals are still measured.

Without --cached no cache is used: that is what a load after any content edit pays, and what
shows how parsing grows with size. With --cached the probe first runs another process that
loads each path with a cache folder (filling it), then times the load with that folder here:
what ``kiosk run`` pays at start-up when the content has not changed since its last run. The
probe fails if that load was not a cache hit.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import emit, median


def stages(path: str) -> dict[str, float]:
    """Milliseconds per stage of one load, through the loader's own (private) functions."""
    from dataclasses import replace

    from kiosk.content import loader as L
    from kiosk.content.convert import Converter

    main = L.resolve_content_path(path).absolute()
    issues: list = []
    gc.disable()  # as check() does
    t0 = time.perf_counter()
    root, files = L._read_mapping(main, issues)
    root, _complete = L._merge_includes(root, main.parent, issues, files)
    t1 = time.perf_counter()
    meta = L._read_meta(root, issues)
    languages = {lang.code: lang.endonym for lang in meta.languages}
    converter = Converter(languages)
    content = converter.convert(root, L.Content, "", {})
    t2 = time.perf_counter()
    content = replace(content, root=str(main.parent), files=tuple(str(f) for f in files))
    L._cross_checks(content, converter, main.parent, L.display_path(main))
    t3 = time.perf_counter()
    gc.enable()
    return {"compose_ms": (t1 - t0) * 1000, "convert_ms": (t2 - t1) * 1000,
            "crosscheck_ms": (t3 - t2) * 1000}


def compose_only(path: str) -> dict[str, float]:
    """Plain PyYAML on the same files, for comparison: C composer, and C safe_load (with the
    cyclic GC off, as check() runs)."""
    import yaml

    from kiosk.content.loader import resolve_content_path

    main = resolve_content_path(path)
    root = yaml.load(main.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    files = [main] + [main.parent / f for f in root.get("include", [])]
    texts = [f.read_text(encoding="utf-8") for f in files]
    gc.disable()
    t0 = time.perf_counter()
    for text in texts:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    t1 = time.perf_counter()
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)
    t2 = time.perf_counter()
    gc.enable()
    return {"pyyaml_compose_ms": (t1 - t0) * 1000, "pyyaml_safe_load_ms": (t2 - t1) * 1000}


def fill(cache_dir: Path, path: str) -> int:
    """Run in another process: load once with the cache, as an earlier ``kiosk run`` did."""
    from kiosk.content import cache, check

    content, _ = check(path, cache_dir)
    if content is None or cache.last_store != "stored":
        print(f"bench: cannot fill the content cache for {path}: {cache.last_store}",
              file=sys.stderr)
        return 1
    return 0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("targets", nargs="*", metavar="LABEL=PATH")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--stages", action="store_true", help="also split the load into its stages")
    p.add_argument("--cached", action="store_true",
                   help="time a load whose cache an earlier process filled")
    p.add_argument("--fill", nargs=2, metavar=("CACHE_DIR", "PATH"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.fill:
        return fill(Path(args.fill[0]), args.fill[1])

    cache_root = Path(tempfile.mkdtemp(prefix="kiosk-load-cache-")) if args.cached else None
    try:
        return measure(args, cache_root)
    finally:
        if cache_root is not None:
            shutil.rmtree(cache_root, ignore_errors=True)


def measure(args: argparse.Namespace, cache_root: Path | None) -> int:
    cache_dirs: dict[str, Path | None] = {}
    for target in args.targets:
        label, _, path = target.partition("=")
        cache_dirs[label] = None
        if cache_root is not None:
            # before this process loads anything: it must stay a fresh process
            cache_dirs[label] = cache_root / label
            filler = [sys.executable, __file__, "--fill", str(cache_dirs[label]), path]
            if subprocess.run(filler, check=False).returncode != 0:
                return 1

    import kiosk.content
    from kiosk.content import cache

    out: dict[str, float] = {}
    for target in args.targets:
        label, _, path = target.partition("=")
        cache_dir = cache_dirs[label]
        gc.collect()
        c0 = time.process_time()
        t0 = time.perf_counter()
        content, issues = kiosk.content.check(path, cache_dir)
        first = time.perf_counter() - t0
        cpu = time.process_time() - c0
        if content is None:
            print(f"bench: {label}: content does not validate:", file=sys.stderr)
            for issue in issues[:10]:
                print(issue.format(), file=sys.stderr)
            return 1
        if cache_dir is not None and cache.last_lookup != "hit":
            print(f"bench: {label}: expected a cache hit, got {cache.last_lookup}", file=sys.stderr)
            return 1
        warm = []
        for _ in range(args.repeat):
            del content
            gc.collect()
            t0 = time.perf_counter()
            content, _ = kiosk.content.check(path, cache_dir)
            warm.append(time.perf_counter() - t0)
        out[label] = first * 1000
        out[f"{label}_cpu"] = cpu * 1000
        out[f"{label}_warm"] = median(warm) * 1000 if warm else float("nan")
        out[f"{label}_bytes"] = sum(os.path.getsize(f) for f in content.files)
        if cache_dir is not None:
            out[f"{label}_cache_file_bytes"] = sum(
                f.stat().st_size for f in cache_dir.glob("content-*.pickle"))
        if args.stages:
            try:
                for key, value in stages(path).items():
                    out[f"{label}_{key}"] = value
                for key, value in compose_only(path).items():
                    out[f"{label}_{key}"] = value
            except Exception as exc:  # the loader's internals changed: totals are enough
                print(f"bench: no stage split for {label}: {exc!r}", file=sys.stderr)
    emit(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
