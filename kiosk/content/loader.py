"""Load content.yaml and its includes into a validated ``Content``, or every problem found."""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from kiosk.content import cache as content_cache
from kiosk.content.convert import (
    INVALID,
    Converter,
    is_valid_id,
    kind_of,
    suggest_id,
    yaml_fields,
)
from kiosk.content.issues import ContentError, Issue, Position, did_you_mean, sort_key
from kiosk.content.model import Content, Meta
from kiosk.content.yamlsource import TAG_PREFIX, compose, node_position, read_text

CONTENT_FILE = "content.yaml"
MERGED_SECTIONS = frozenset({"ui"})


def display_path(path: Path) -> str:
    """A path as content staff should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def resolve_content_path(path: str | os.PathLike[str] | None) -> Path:
    """The content.yaml for a file or folder argument (default: the shipped data/)."""
    if path is None:
        from kiosk.paths import shipped_content

        return shipped_content()
    p = Path(path)
    return p / CONTENT_FILE if p.is_dir() else p


def load(
    path: str | os.PathLike[str] | None = None, cache_dir: Path | None = None
) -> Content:
    """Load and validate content; raise ``ContentError`` with every problem when it is invalid."""
    content, issues = check(path, cache_dir)
    if content is None:
        raise ContentError([i for i in issues if i.severity == "error"])
    return content


def check(
    path: str | os.PathLike[str] | None = None, cache_dir: Path | None = None
) -> tuple[Content | None, list[Issue]]:
    """Load and validate content; return it (None when invalid) with every issue found.

    Args:
        cache_dir: a folder for the validated-content cache (see ``kiosk.content.cache``): valid
            content is stored there, and unchanged content is read back from it instead of
            parsed. None (the default): no cache.
    """
    main = resolve_content_path(path).absolute()
    # The load makes hundreds of thousands of objects and frees none of them: the cyclic GC
    # would only walk them again and again (40-50 % of the time at 10x the shipped content).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        if cache_dir is None:
            return _check(main, None)
        cached = content_cache.load(cache_dir, main)
        if cached is not None:
            return cached
        digests: dict[Path, str] = {}
        content, issues = _check(main, digests)
        if content is not None:
            content_cache.store(cache_dir, main, content, issues, digests)
        return content, issues
    finally:
        if gc_was_on:
            gc.enable()


def _check(
    main: Path, digests: dict[Path, str] | None
) -> tuple[Content | None, list[Issue]]:
    root_dir = main.parent
    issues: list[Issue] = []

    root, files = _read_mapping(main, issues, digests)
    if root is None:
        return None, _dedupe(issues)
    root, complete = _merge_includes(root, root_dir, issues, files, digests)

    meta = _read_meta(root, issues)
    languages = {lang.code: lang.endonym for lang in meta.languages} if meta else None
    converter = Converter(languages)
    if not complete:
        # a section may stand in the include that could not be read: its error is enough
        converter.unreported_missing.update(
            name for name, (_, _, required) in yaml_fields(Content).items() if required
        )
    content = converter.convert(root, Content, "", {})
    issues.extend(converter.issues)
    if content is INVALID or meta is None:
        return None, _dedupe(issues)
    content = replace(content, root=str(root_dir), files=tuple(str(f) for f in files))
    issues.extend(_cross_checks(content, converter, root_dir, display_path(main)))
    if any(i.severity == "error" for i in issues):
        return None, _dedupe(issues)
    return content, _dedupe(issues)


def _dedupe(issues: Iterable[Issue]) -> list[Issue]:
    """Each issue once, in file and line order, as a compiler lists them."""
    return sorted(dict.fromkeys(issues), key=sort_key)


def _read_mapping(
    path: Path, issues: list[Issue], digests: dict[Path, str] | None = None
) -> tuple[yaml.MappingNode | None, list[Path]]:
    display = display_path(path)
    text, problems = read_text(path, display, digests)
    issues.extend(problems)
    if text is None:
        return None, []
    node, problems = compose(text, display)
    issues.extend(problems)
    if node is None:
        return None, []
    if not isinstance(node, yaml.MappingNode):
        issues.append(
            Issue(
                node_position(node),
                f"expected a mapping of sections (meta:, cities:, ...), found {kind_of(node)}",
            )
        )
        return None, []
    return node, [path]


def _merge_includes(
    root: yaml.MappingNode,
    root_dir: Path,
    issues: list[Issue],
    files: list[Path],
    digests: dict[Path, str] | None = None,
) -> tuple[yaml.MappingNode, bool]:
    """One mapping of every section, whichever file it stands in; a section may appear once.

    Returns the merged mapping, and whether every include could be read (when one could not,
    the sections it may hold are not reported missing).
    """
    pairs = list(root.value)
    include = next((v for k, v in pairs if k.value == "include"), None)
    if include is None:
        return root, True
    if not isinstance(include, yaml.SequenceNode):
        return root, False  # the conversion reports "include: expected a list"
    complete = True
    # keys that are not plain scalars ([a, b]: ...) are left for the conversion to report
    seen = {k.value: node_position(k) for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
    main = files[0].resolve()
    read: dict[Path, Position] = {}  # file -> the include entry that read it
    for index, item in enumerate(include.value):
        path = f"include[{index}]"
        if not isinstance(item, yaml.ScalarNode) or item.tag != TAG_PREFIX + "str":
            complete = False
            continue  # the conversion reports what the entry should be
        target = (root_dir / item.value).resolve()
        problem, hint = "", ""
        if Path(item.value).is_absolute() or not target.is_relative_to(root_dir.resolve()):
            problem = f"{item.value!r} is outside the content folder"
            hint = "include files from the folder of content.yaml or below it"
        elif target.is_dir():
            problem = f"{item.value!r} is a folder, not a file"
        elif not target.is_file():
            problem = f"file {item.value!r} not found"
            hint = _did_you_mean_file(item.value, root_dir, (".yaml", ".yml"))
        elif target == main:
            problem = "the main file cannot include itself"
        elif target in read:
            problem = f"{item.value!r} is already included at {read[target]}"
        if problem:
            issues.append(Issue(node_position(item), problem, path, hint))
            complete = complete and (target in read or target == main)
            continue
        read[target] = node_position(item)
        node, more = _read_mapping(target, issues, digests)
        if node is None:
            complete = False
            continue
        files.extend(more)
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                pairs.append((key, value))
                continue
            if key.value == "include":
                issues.append(
                    Issue(
                        node_position(key),
                        "'include' may only stand in the main file",
                        "include",
                        f"list this file's includes in {display_path(files[0])}",
                    )
                )
                continue
            if key.value in MERGED_SECTIONS and key.value in seen:
                # ui strings may be split by screen across files; each key still stands once
                if not isinstance(value, yaml.MappingNode):
                    issues.append(
                        Issue(
                            node_position(value),
                            f"expected a mapping (key: value lines), found {kind_of(value)}",
                            key.value,
                        )
                    )
                    continue
                if _merge_mapping(pairs, key, value, issues):
                    continue
            if key.value in seen:
                first = seen[key.value]
                issues.append(
                    Issue(
                        node_position(key),
                        f"section {key.value!r} is already defined at {first}",
                        key.value,
                        "a section may stand in one file only",
                    )
                )
                continue
            seen[key.value] = node_position(key)
            pairs.append((key, value))
    return yaml.MappingNode(root.tag, pairs, root.start_mark, root.end_mark), complete


def _did_you_mean_file(name: str, root_dir: Path, suffixes: tuple[str, ...]) -> str:
    """A "did you mean" for a file name, among the files of the content folder."""
    wanted = Path(name)
    candidates = {
        p.relative_to(root_dir).as_posix(): p
        for p in root_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in suffixes and len(p.relative_to(root_dir).parts) <= 4
    }
    # compare names without their common ending: "cities.yaml" is not close to "content.yaml"
    stems = {rel.rsplit(".", 1)[0]: rel for rel in candidates}
    close = difflib.get_close_matches(wanted.as_posix().rsplit(".", 1)[0], list(stems), n=1)
    return f"did you mean {stems[close[0]]!r}?" if close else ""


def _merge_mapping(
    pairs: list[tuple[yaml.Node, yaml.Node]],
    key: yaml.Node,
    value: yaml.Node,
    issues: list[Issue],
) -> bool:
    """Add the entries of a split section to the section already read; False if not mergeable."""
    index = next(i for i, (k, _) in enumerate(pairs) if k.value == key.value)
    first_key, first = pairs[index]
    if not isinstance(first, yaml.MappingNode) or not isinstance(value, yaml.MappingNode):
        return False
    known = {k.value: node_position(k) for k, _ in first.value if isinstance(k, yaml.ScalarNode)}
    entries = list(first.value)
    for k, v in value.value:
        if isinstance(k, yaml.ScalarNode) and k.value in known:
            issues.append(
                Issue(
                    node_position(k),
                    f"duplicate key {k.value!r} (first defined at {known[k.value]})",
                    f"{key.value}.{k.value}",
                )
            )
            continue
        if isinstance(k, yaml.ScalarNode):
            known[k.value] = node_position(k)
        entries.append((k, v))
    pairs[index] = (
        first_key,
        yaml.MappingNode(first.tag, entries, first.start_mark, first.end_mark),
    )
    return True


def _read_meta(root: yaml.MappingNode, issues: list[Issue]) -> Meta | None:
    """Meta first: the offered languages decide which text keys are valid everywhere else."""
    node = next((v for k, v in root.value if k.value == "meta"), None)
    if node is None:
        return None  # the full conversion reports the missing section
    converter = Converter(None)
    meta = converter.convert(node, Meta, "meta", {})
    if meta is INVALID or converter.issues:
        # A language that failed is left out of meta.languages: checking every text against
        # the rest would report each of its texts as "not offered".
        issues.extend(converter.issues)
        return None
    problems = []
    codes = [lang.code for lang in meta.languages]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            problems.append(
                _at(
                    converter,
                    f"meta.languages[{i}].code",
                    f"language {code!r} is listed twice (first as meta.languages"
                    f"[{codes.index(code)}])",
                )
            )
    if not codes:
        problems.append(_at(converter, "meta.languages", "at least one language must be offered"))
    if codes and meta.default_language not in codes:
        problems.append(
            _at(
                converter,
                "meta.default_language",
                f"default language {meta.default_language!r} is not in meta.languages",
                did_you_mean(meta.default_language, codes) or f"offered: {', '.join(codes)}",
            )
        )
    for i, lang in enumerate(meta.languages):
        for j, code in enumerate(lang.fallback):
            if code not in codes:
                problems.append(
                    _at(
                        converter,
                        f"meta.languages[{i}].fallback[{j}]",
                        f"fallback language {code!r} is not in meta.languages",
                        did_you_mean(code, codes) or f"offered: {', '.join(codes)}",
                    )
                )
    issues.extend(problems)
    return None if problems else meta


def _at(converter: Converter, path: str, message: str, hint: str = "") -> Issue:
    pos = converter.positions.get(path) or converter.positions["meta"]
    return Issue(pos, message, path, hint)


def _cross_checks(
    content: Content, converter: Converter, root_dir: Path, main_display: str
) -> list[Issue]:
    """References between sections, unique ids, files on disk: what one field alone cannot tell."""
    issues: list[Issue] = []
    positions = converter.positions

    def at(path: str, message: str, hint: str = "", severity: str = "error") -> None:
        pos = positions.get(path) or positions.get(path.rsplit(".", 1)[0]) or Position(
            main_display, 1, 1
        )
        issues.append(Issue(pos, message, path, hint, severity))

    def unique(path: str, what: str) -> list[str]:
        """Report duplicate ids; return every id written, also in entries that failed.

        An id that is not valid ("Sendai") counts as written in its corrected form too, so that
        references to "sendai" do not add an error to the one the id already has.
        """
        first: dict[str, str] = {}
        for item_id, id_path in converter.ids.get(path, []):
            if item_id in first:
                at(
                    id_path,
                    f"duplicate {what} id {item_id!r} (first used at {positions[first[item_id]]})",
                    "ids must be unique",
                )
            else:
                first[item_id] = id_path
        return [*first, *(suggest_id(i) for i in first if not is_valid_id(i))]

    def path_of(obj: object, default: str) -> str:
        return converter.path_of(obj, default)

    def ref(value: str | None, known: list[str], path: str, what: str) -> None:
        if value is not None and value not in known:
            at(path, f"unknown {what} {value!r}", did_you_mean(value, known))

    codes = list(content.meta.codes)
    city_ids = unique("cities", "city")
    category_ids = unique("timeline.categories", "category")
    event_ids = unique("timeline.events", "event")
    unique("timeline.eras", "era")
    series_ids = unique("economy.series", "series")
    chart_ids = unique("economy.charts", "chart")
    unique("routes", "route")
    playlist_ids = unique("playlists", "playlist")

    for i, city in enumerate(content.cities):
        p = path_of(city, f"cities[{i}]")
        if city.status == "ended" and city.ended is None:
            at(f"{p}.status", "status is 'ended' but no 'ended' year is given", severity="warning")
        if city.ended is not None and city.ended < city.established:
            at(f"{p}.ended", f"ended {city.ended} is before established {city.established}")
        if city.established_date and city.established_date.year != city.established:
            at(
                f"{p}.established_date",
                f"established_date {city.established_date} does not match established "
                f"{city.established}",
            )

    for i, era in enumerate(content.timeline.eras):
        if era.end < era.start:
            p = path_of(era, f"timeline.eras[{i}]")
            at(f"{p}.end", f"era ends ({era.end}) before it starts ({era.start})")

    for i, event in enumerate(content.timeline.events):
        p = path_of(event, f"timeline.events[{i}]")
        ref(event.category, category_ids, f"{p}.category", "category")
        ref(event.city, city_ids, f"{p}.city", "city")
        if event.image is not None:
            issues.extend(_check_image(event.image.file, f"{p}.image.file", positions, root_dir))

    for i, series in enumerate(content.economy.series):
        first_year: dict[int, str] = {}
        for j, value in enumerate(series.values):
            vp = path_of(value, f"economy.series[{i}].values[{j}]")
            if value.year in first_year:
                at(
                    f"{vp}.year",
                    f"year {value.year} has a second value in series {series.id!r} "
                    f"(the first is at {positions[first_year[value.year]]})",
                    "keep one value per year and mention the other in its note",
                )
            else:
                first_year[value.year] = f"{vp}.year"
    for i, chart in enumerate(content.economy.charts):
        p = path_of(chart, f"economy.charts[{i}]")
        for j, sid in enumerate(chart.series):
            ref(sid, series_ids, f"{p}.series[{j}]", "series")
        for j, sid in enumerate(chart.secondary):
            ref(sid, series_ids, f"{p}.secondary[{j}]", "series")
        if not chart.series:
            at(f"{p}.series", "a chart needs at least one series")
        if chart.type == "bar_line" and not chart.secondary:
            at(f"{p}.secondary", "a bar_line chart needs a secondary series (the line)")

    for i, playlist in enumerate(content.playlists):
        p = path_of(playlist, f"playlists[{i}]")
        ref(playlist.language, codes, f"{p}.language", "language")
        ref(playlist.second_language, codes, f"{p}.second_language", "language")
        for j, step in enumerate(playlist.steps):
            sp = path_of(step, f"{p}.steps[{j}]")
            ref(step.event, event_ids, f"{sp}.event", "event")
            ref(step.city, city_ids, f"{sp}.city", "city")
            ref(step.chart, chart_ids, f"{sp}.chart", "chart")
            ref(step.category, category_ids, f"{sp}.category", "category")
            if step.screen == "chart" and step.chart is None:
                at(f"{sp}.screen", "a chart step needs 'chart:'")
            if step.screen == "title" and step.title is None:
                at(f"{sp}.screen", "a title step needs 'title:'")
            if (
                step.from_year is not None
                and step.to_year is not None
                and step.to_year < step.from_year
            ):
                at(f"{sp}.to_year", f"to_year {step.to_year} is before from_year {step.from_year}")

    settings = content.settings
    ref(settings.attract_playlist, playlist_ids, "settings.attract_playlist", "playlist")
    ref(settings.second_language, codes, "settings.second_language", "language")
    if settings.map_basemap is not None:
        issues.extend(
            _check_image(settings.map_basemap, "settings.map_basemap", positions, root_dir)
        )
    return issues


def _check_image(
    file: str, path: str, positions: Mapping[str, Position], root_dir: Path
) -> list[Issue]:
    """A file the content refers to must exist inside the content folder."""
    pos = positions.get(path) or Position("?", 1, 1)
    target = (root_dir / file).resolve()
    if Path(file).is_absolute():
        return [
            Issue(
                pos,
                f"file {file!r} is an absolute path; expected a path relative to the content folder",
                path,
                "put the file in the content folder, e.g. images/, and give its path from there",
            )
        ]
    if not target.is_relative_to(root_dir.resolve()):
        return [
            Issue(
                pos,
                f"file {file!r} is outside the content folder",
                path,
                "put the file in the content folder, e.g. images/, and give its path from there",
            )
        ]
    if target.is_dir():
        return [Issue(pos, f"{file!r} is a folder, not a file", path)]
    if not target.is_file():
        suffix = Path(file).suffix.lower()
        suffixes = (suffix,) if suffix else (".png", ".jpg", ".jpeg", ".json")
        hint = _did_you_mean_file(file, root_dir, suffixes)
        return [Issue(pos, f"file {file!r} not found", path, hint)]
    return []


__all__ = ["CONTENT_FILE", "ContentError", "check", "display_path", "load", "resolve_content_path"]
