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

    stats = sub.add_parser("stats", help="interaction statistics (counts per hour), as CSV")
    stats.add_argument("--db", metavar="FILE", help="statistics file (default: the kiosk's)")

    pin = sub.add_parser("set-pin", help="set the staff PIN (stored as a salted hash)")
    pin.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    pin.add_argument("--pin", help="the PIN (default: asked for, not echoed)")

    sub.add_parser("schema", help="print the JSON Schema of content files")

    strings = sub.add_parser("strings", help="export texts for translators, import translations")
    strings_sub = strings.add_subparsers(dest="strings_command", required=True)
    export = strings_sub.add_parser(
        "export", help="write every translatable text with its translation into one language"
    )
    export.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    export.add_argument("--lang", required=True, metavar="CODE", help="the target language")
    export.add_argument(
        "--format", choices=("po", "xliff", "csv"), help="file format (default: from --out, else po)"
    )
    export.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    export.add_argument(
        "--include-neutral",
        action="store_true",
        help="also export language-neutral plain strings (names), marked as such",
    )
    imp = strings_sub.add_parser(
        "import", help="write the translations of a PO, XLIFF or CSV file into the content"
    )
    imp.add_argument("file", metavar="FILE", help="the translated file (.po, .xlf/.xliff, .csv)")
    imp.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    imp.add_argument("--lang", metavar="CODE", help="the file's language (when it does not say)")
    imp.add_argument("--format", choices=("po", "xliff", "csv"), help="default: from the file name")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")

    lang = sub.add_parser("new-language", help="offer a new language, every text untranslated")
    lang.add_argument("code", metavar="CODE", help="BCP 47 language code, e.g. fr, es, zh-Hant")
    lang.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    lang.add_argument("--endonym", metavar="NAME", help="its name in itself (default: from CLDR)")
    lang.add_argument(
        "--fallback",
        action="append",
        metavar="CODE",
        help="language to show when a text is missing (repeatable; default: the default language)",
    )
    lang.add_argument("--dry-run", action="store_true", help="check and report; write nothing")

    proof = sub.add_parser(
        "proof", help="render every screen in every language and size to PNG; report overflow"
    )
    proof.add_argument("path", nargs="?", help="content.yaml or its folder (default: shipped)")
    proof.add_argument("--out", required=True, metavar="DIR", help="write PNGs and index.html here")
    proof.add_argument("--lang", metavar="CODES", help="comma-separated (default: all offered)")
    proof.add_argument("--size", metavar="WxH,...", help="default: 1920x1080,1080x1920")
    proof.add_argument(
        "--allow-overflow", action="store_true", help="exit 0 even when some text does not fit"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "validate":
        return cmd_validate(args.path)
    if command == "coverage":
        return cmd_coverage(args.path, args.json, args.lang)
    if command == "stats":
        return cmd_stats(args.db)
    if command == "set-pin":
        return cmd_set_pin(args.path, args.pin)
    if command == "schema":
        from kiosk.content.jsonschema import content_schema

        print(json.dumps(content_schema(), indent=2, ensure_ascii=False))
        return 0
    if command == "strings":
        if args.strings_command == "export":
            return cmd_strings_export(args)
        return cmd_strings_import(args)
    if command == "new-language":
        return cmd_new_language(args)
    if command == "proof":
        from kiosk.tools.proof import cmd_proof

        return cmd_proof(args)
    if command == "run":
        if args.command is None:
            args = build_parser().parse_args(["run"])
        from kiosk.launch import run

        return run(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def cmd_stats(db: str | None) -> int:
    from pathlib import Path

    from kiosk.paths import state_dir
    from kiosk.stats import Stats

    path = Path(db) if db else state_dir() / "statistics.sqlite"
    if not path.is_file():
        print(f"kiosk: no statistics yet ({path})", file=sys.stderr)
        return 1
    print(Stats(path).export_csv(), end="")
    return 0


def cmd_set_pin(path: str | None, pin: str | None) -> int:
    import getpass

    from kiosk.content import check
    from kiosk.content.loader import resolve_content_path
    from kiosk.pin import hash_pin, write_pin_hash

    if pin is None:
        pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
        if getpass.getpass("Repeat it: ") != pin:
            print("kiosk: the two PINs differ; nothing changed", file=sys.stderr)
            return 1
    try:
        pin_hash = hash_pin(pin)
    except ValueError as exc:
        print(f"kiosk: {exc}; nothing changed", file=sys.stderr)
        return 1
    main_file = resolve_content_path(path)
    write_pin_hash(str(main_file), pin_hash)
    content, issues = check(main_file)
    if content is None or content.settings.admin_pin_hash != pin_hash:
        print("kiosk: the PIN could not be stored in the content:", file=sys.stderr)
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        return 1
    print(f"{main_file}: staff PIN set (only its salted hash is stored)")
    return 0


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


def cmd_strings_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kiosk.tools.strings import StringsError, export_strings, export_summary
    from kiosk.tools.strings_formats import FormatError, detect_format

    out = Path(args.out) if args.out else None
    try:
        fmt = args.format or (detect_format(out) if out else "po")
        data, strings = export_strings(args.path, args.lang, fmt, args.include_neutral)
    except (StringsError, FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{out}: {export_summary(strings)}")
    return 0


def cmd_strings_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kiosk.tools.strings import StringsError, import_strings, summary

    try:
        report = import_strings(Path(args.file), args.path, args.lang, args.format, args.dry_run)
    except StringsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for key, message in report.stale:
        print(f"warning: {key}: not imported: {message}", file=sys.stderr)
    for name in report.reformatted:
        print(f"note: {name}: ruamel.yaml reformatted lines next to an edit", file=sys.stderr)
    print(summary(report, args.dry_run))
    return 0


def cmd_new_language(args: argparse.Namespace) -> int:
    from kiosk.tools.new_language import add_language
    from kiosk.tools.strings import StringsError

    try:
        report = add_language(args.code, args.path, args.endonym, args.fallback, args.dry_run)
    except StringsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    cov = report.coverage
    verb = "would add" if args.dry_run else "added"
    print(
        f"{report.file}: {verb} {report.code} ({report.endonym}, falls back to "
        f"{', '.join(report.fallback)}) to meta.languages; {cov.translated}/{cov.total} texts "
        f"need no translation (language-neutral), {len(cov.missing)} to translate: "
        f"kiosk coverage --lang {report.code}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
