"""Command line: run the kiosk, and the content tools (validate, coverage, schema).

Only ``run`` (and the tools that render screens) import Qt, so that content checks answer fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1920x1080, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Changchun Showcase: touch kiosk and presentation app."
    )
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the kiosk (the default command)")
    run.add_argument("--content", metavar="PATH", help="content.yaml or its folder")
    run.add_argument(
        "--windowed",
        nargs="?",
        const=(1280, 720),
        type=_size,
        metavar="WIDTHxHEIGHT",
        help="a window instead of full screen (default size 1280x720)",
    )
    run.add_argument("--lang", metavar="CODE", help="start in this language")
    run.add_argument("--second-lang", metavar="CODE", help="show this language beneath")
    run.add_argument("--screen", type=int, metavar="N", help="which monitor (0 = first)")
    run.add_argument("--slideshow", action="store_true", help="run a slideshow for a delegation")
    run.add_argument("--playlist", metavar="NAME", help="playlist id for --slideshow")
    run.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    run.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)

    validate = sub.add_parser("validate", help="check content; print every problem")
    validate.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")

    cov = sub.add_parser("coverage", help="translation coverage per language")
    cov.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    cov.add_argument("--json", action="store_true", help="machine-readable output")
    cov.add_argument("--lang", action="append", metavar="CODE", help="only these languages")

    sub.add_parser("schema", help="print the JSON Schema of content files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "validate":
        return cmd_validate(args.path)
    if command == "coverage":
        return cmd_coverage(args.path, args.json, args.lang)
    if command == "schema":
        from kiosk.content.jsonschema import content_schema

        print(json.dumps(content_schema(), indent=2, ensure_ascii=False))
        return 0
    if command == "run":
        if args.command is None:
            args = build_parser().parse_args(["run"])
        from kiosk.launch import run

        return run(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def cmd_validate(path: str | None) -> int:
    from kiosk.content import check
    from kiosk.content.loader import display_path, resolve_content_path

    content, issues = check(path)
    for issue in issues:
        print(issue.format(), file=sys.stdout if content else sys.stderr)
    if content is None:
        errors = sum(1 for i in issues if i.severity == "error")
        print(f"{errors} error(s); content not loaded", file=sys.stderr)
        return 1
    counts = {
        "cities": len(content.cities),
        "events": len(content.timeline.events),
        "series": len(content.economy.series),
        "charts": len(content.economy.charts),
        "routes": len(content.routes),
        "playlists": len(content.playlists),
    }
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    langs = ", ".join(content.meta.codes)
    main_file = display_path(resolve_content_path(path))
    print(f"{main_file}: OK: {parts}; languages: {langs}; {len(content.files)} files")
    return 0


def cmd_coverage(path: str | None, as_json: bool, languages: list[str] | None) -> int:
    from kiosk.content import check, coverage

    content, issues = check(path)
    if content is None:
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        return 1
    report = coverage(content, languages)
    if as_json:
        data = {
            c.language: {
                "total": c.total,
                "translated": c.translated,
                "missing": [
                    {"path": m.path, "file": m.position.file, "line": m.position.line}
                    for m in c.missing
                ],
            }
            for c in report
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for c in report:
        print(f"{c.language}: {c.translated}/{c.total} translated ({c.percent:.1f}%), "
              f"{len(c.missing)} missing")
        for m in c.missing:
            print(f"  {m.position}: {m.path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
