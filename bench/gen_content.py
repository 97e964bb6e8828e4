"""Generate content N times larger than the shipped content, for the load benchmark.

    python bench/gen_content.py FACTOR OUT_DIR [--source data/content.yaml] [--no-check]

Copies the shipped content folder to OUT_DIR and grows it in both directions a bigger museum
would: more entries and more languages.

* entries: cities, timeline events, economy series and charts, routes and playlists are
  repeated with new ids (``sendai`` -> ``sendai-x2``); a copy refers to the copies made with it
  (a copied chart draws the copied series, a copied event names the copied city), so every
  reference stays valid.
* languages: real BCP 47 codes that CLDR knows (fr, es, it, ...) are added to meta.languages,
  falling back to the default language, and every text in several languages gets an entry for
  each of them (the default language's text, tagged with the code).

The languages grow by about sqrt(FACTOR)/1.6 (x10: 12 languages, x100: 36), then the entries
are repeated as often as needed for the YAML files to grow by about FACTOR in bytes. The
generated content is validated with ``kiosk.content.check``; generation fails if it reports an
error.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

import yaml

EXTRA_LANGUAGES = (
    "fr", "es", "it", "pt", "nl", "pl", "sv", "fi", "da", "nb", "cs", "hu", "tr", "el", "uk",
    "vi", "th", "id", "ro", "bg", "hr", "sk", "sl", "lt", "lv", "et", "ms", "hi", "bn", "ta",
)

# section path -> (id field, {field referring to another section: that section's key})
REPEATED = {
    ("cities",): {},
    ("timeline", "events"): {"city": "cities"},
    ("economy", "series"): {},
    ("economy", "charts"): {"series": "series", "secondary": "series"},
    ("routes",): {},
    ("playlists",): {},
}
SECTION_KEY = {("cities",): "cities", ("economy", "series"): "series"}


def language_factor(factor: int) -> int:
    """How many times the languages grow: about the square root of the factor, a bit less."""
    return max(1, round(math.sqrt(factor) / 1.6))  # x10: 2 (12 languages), x100: 6 (36)


def _is_text_map(value: object, codes: set[str]) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        isinstance(k, str) and k in codes and isinstance(v, str) for k, v in value.items()
    )


def _add_languages(value: object, codes: set[str], new: list[str], default: str) -> object:
    if _is_text_map(value, codes):
        base = value.get(default) or next(iter(value.values()))
        out = dict(value)
        for code in new:
            out[code] = f"[{code}] {base}"
        return out
    if isinstance(value, dict):
        return {k: _add_languages(v, codes, new, default) for k, v in value.items()}
    if isinstance(value, list):
        return [_add_languages(v, codes, new, default) for v in value]
    return value


def _copy_entry(entry: dict, copy: int, refs: dict[str, str]) -> dict:
    out = dict(entry)
    out["id"] = f"{entry['id']}-x{copy}"
    for field, _section in refs.items():
        if field not in out or out[field] is None:
            continue
        if isinstance(out[field], list):
            out[field] = [f"{v}-x{copy}" for v in out[field]]
        else:
            out[field] = f"{out[field]}-x{copy}"
    return out


def _get(data: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


class _NoAliasDumper(yaml.SafeDumper):
    """Copies share their nested values: write each in full (content files refuse aliases)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(data: dict) -> str:
    # the safe dumper quotes every string that would read back as another type ("NO", "1983")
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)


def generate(source: Path, out_dir: Path, factor: int, check: bool = True) -> dict:
    """Write the grown content to ``out_dir``; return what was generated."""
    src_dir = source.parent if source.is_file() else source
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(src_dir, out_dir)
    main = out_dir / "content.yaml"
    root = yaml.safe_load(main.read_text(encoding="utf-8"))
    meta = root["meta"]
    codes = [lang["code"] for lang in meta["languages"]]
    default = meta["default_language"]
    wanted = len(codes) * language_factor(factor) - len(codes)
    new_codes = [c for c in EXTRA_LANGUAGES if c not in codes][:wanted]
    if len(new_codes) < wanted:
        raise SystemExit(f"gen_content: only {len(new_codes)} extra languages known, {wanted} needed")
    code_set = set(codes)
    files = [main] + [out_dir / f for f in root.get("include", [])]
    src_bytes = sum(p.stat().st_size for p in files)

    # 1. more languages: every text map gets the new codes
    docs = {}
    for path in files:
        data = _add_languages(yaml.safe_load(path.read_text(encoding="utf-8")), code_set,
                              new_codes, default)
        if path == main:
            data["meta"]["languages"] = list(data["meta"]["languages"]) + [
                {"code": c, "endonym": c, "fallback": [default]} for c in new_codes
            ]
        docs[path] = data
    # 2. more entries: as many copies as still needed to reach the factor in bytes
    grown_bytes = sum(len(_dump(d).encode()) for d in docs.values())
    entries_x = max(1, round(factor * src_bytes / grown_bytes)) if factor > 1 else 1
    counts: dict[str, int] = {}
    for path, data in docs.items():
        for section, refs in REPEATED.items():
            items = _get(data, section)
            if not isinstance(items, list):
                continue
            grown = list(items)
            for copy in range(2, entries_x + 1):
                grown.extend(_copy_entry(e, copy, refs) for e in items if isinstance(e, dict))
            parent = _get(data, section[:-1]) if len(section) > 1 else data
            parent[section[-1]] = grown
            counts[".".join(section)] = len(grown)
        path.write_text(_dump(data), encoding="utf-8")
    out_bytes = sum(p.stat().st_size for p in files)
    info = {
        "factor": factor,
        "entries_x": entries_x,
        "languages": len(codes) + len(new_codes),
        "counts": counts,
        "yaml_bytes": out_bytes,
        "size_ratio": out_bytes / src_bytes,
        "largest_file_bytes": max(p.stat().st_size for p in files),
    }
    if check:
        from kiosk.content import check as check_content

        content, issues = check_content(main)
        errors = [i for i in issues if i.severity == "error"]
        if content is None or errors:
            for issue in errors[:20]:
                print(issue.format(), file=sys.stderr)
            raise SystemExit(f"gen_content: the x{factor} content does not validate "
                             f"({len(errors)} errors)")
        info["warnings"] = len(issues)
    return info


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("factor", type=int)
    p.add_argument("out_dir", type=Path)
    p.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    p.add_argument("--no-check", action="store_true")
    args = p.parse_args()
    info = generate(args.source, args.out_dir, args.factor, not args.no_check)
    print(info)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
