"""Import probe: time to import every module that ``kiosk run`` had imported by its first frame.

    python bench/probe_imports.py MODULES_FILE      (one module name per line, in import order)

The list comes from probe_startup.py (``--modules-out``). Importing them by name in that order
repeats start-up's imports without running anything else. Run it under ``python -X importtime``
to see where the time goes.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import importlib  # noqa: E402
import sys  # noqa: E402


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    failed = []
    each: dict[str, float] = {}
    t0 = time.perf_counter()
    for name in names:
        if name in sys.modules:
            continue
        t = time.perf_counter()
        try:
            importlib.import_module(name)
        except Exception:  # aliases and modules that only exist at run time
            failed.append(name)
        each[name] = time.perf_counter() - t
    elapsed = time.perf_counter() - t0
    # PySide6 imports its modules through its own hook, which ``-X importtime`` does not see;
    # so the cost is also given per top-level package, charged to the name that loaded it.
    by_package: dict[str, float] = {}
    for name, dt in each.items():
        top = name.split(".")[0]
        if top in ("shibokensupport", "signature_bootstrap", "shiboken6"):
            top = "PySide6"
        by_package[top] = by_package.get(top, 0.0) + dt
    top_modules = sorted(each.items(), key=lambda kv: -kv[1])[:15]
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from bench_util import emit

    emit({
        "import_s": elapsed,
        "modules": len(names),
        "failed": len(failed),
        "by_package_ms": {k: round(v * 1000, 2) for k, v in
                          sorted(by_package.items(), key=lambda kv: -kv[1])[:15]},
        "top_names_ms": {k: round(v * 1000, 2) for k, v in top_modules},
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
