"""The contact sheet of ``kiosk proof``: ``DIR/index.html``, one section per size, one row per
state, one column per language; each thumbnail links to the full-size PNG. Every text is
escaped (content texts are written by editors, not by us)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from kiosk.tools.proof import ProofResult, Shot

STYLE = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; background: #0E1A2B;
       color: #F4F6FA; margin: 1.5em; }
a { color: #4FC3F7; }
h1 { color: #F2B134; margin-bottom: .2em; }
table { border-collapse: collapse; margin: 1em 0 2em; }
th, td { border: 1px solid #2C4466; padding: 6px; vertical-align: top; text-align: left; }
th { background: #17283F; }
td.shot img { display: block; max-width: 360px; border: 3px solid transparent; }
td.bad img { border-color: #E5533D; }
td.failed { color: #E5533D; }
.cap { font-size: 12px; color: #A9B6C8; max-width: 360px; overflow-wrap: anywhere; }
.warn { font-size: 12px; color: #FF9C8A; max-width: 360px; overflow-wrap: anywhere; }
table.findings td { font-size: 13px; max-width: 40em; overflow-wrap: anywhere; }
code { color: #F2B134; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _href(relative: str) -> str:
    return _e("/".join(quote(part) for part in relative.split("/")))


def render_index(result: ProofResult) -> str:
    from kiosk.tools.proof import size_name, source_of, where

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        f"<title>Kiosk proof: {_e(result.content_path)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<h1>Kiosk proof</h1><p>Content: <code>{_e(result.content_path)}</code>; languages: "
        f"{_e(', '.join(result.languages))}; sizes: "
        f"{_e(', '.join(size_name(s) for s in result.sizes))}; "
        f"{sum(1 for s in result.shots if s.png)} images; "
        f"{len(result.overflow)} overflowing texts; {len(result.fallbacks)} fallbacks; "
        f"{len(result.errors)} errors. "
        '<a href="proof.json">proof.json</a></p>',
        "<p>" + " · ".join(
            f'<a href="#size-{_e(size_name(s))}">{_e(size_name(s))}</a>' for s in result.sizes
        ) + ' · <a href="#overflow">overflow</a> · <a href="#fallbacks">fallbacks</a></p>',
    ]
    by_key: dict[tuple, Shot] = {(s.size, s.language, s.state.id): s for s in result.shots}
    overflow_by_shot: dict[tuple, list] = {}
    for f in result.overflow:
        for state in f.states:
            overflow_by_shot.setdefault((f.size, f.language, state), []).append(f)
    for size in result.sizes:
        out.append(f'<h2 id="size-{_e(size_name(size))}">{_e(size_name(size))}</h2>')
        out.append("<table><thead><tr><th>State</th>")
        out.extend(f"<th>{_e(lang)}</th>" for lang in result.languages)
        out.append("</tr></thead><tbody>")
        rows: list[tuple[str, str]] = []
        for shot in result.shots:
            if shot.size == size and (shot.state.id, shot.state.label) not in rows:
                rows.append((shot.state.id, shot.state.label))
        for state_id, label in rows:
            out.append(f'<tr class="state"><th>{_e(label)}'
                       f'<div class="cap"><code>{_e(state_id)}</code></div></th>')
            for lang in result.languages:
                shot = by_key.get((size, lang, state_id))
                out.append(_cell(shot, overflow_by_shot.get((size, lang, state_id), [])))
            out.append("</tr>")
        out.append("</tbody></table>")

    out.append(f'<h2 id="overflow">Overflow ({len(result.overflow)})</h2>')
    if result.overflow:
        out.append('<table class="findings"><thead><tr><th>Lang</th><th>Size</th><th>States</th>'
                   "<th>Kind</th><th>Widget</th><th>Text</th><th>Measured</th><th>Source</th>"
                   "</tr></thead><tbody>")
        for f in result.overflow:
            states = ", ".join(
                f'<a href="{_href(by_key[(f.size, f.language, s)].png)}">{_e(s)}</a>'
                if by_key.get((f.size, f.language, s)) and by_key[(f.size, f.language, s)].png
                else _e(s)
                for s in f.states
            )
            widget = f"{f.where} › {f.widget}" if f.where else f.widget
            out.append(
                f"<tr><td>{_e(f.language)}</td><td>{_e(size_name(f.size))}</td><td>{states}</td>"
                f"<td>{_e(f.kind)}</td><td>{_e(widget)}</td><td>{_e(f.text)}</td>"
                f"<td>{_e(f.detail)}</td><td>{_e(source_of(f.origins))}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>Every text fits.</p>")

    out.append(f'<h2 id="fallbacks">Fallbacks shown ({len(result.fallbacks)})</h2>')
    if result.fallbacks:
        out.append('<table class="findings"><thead><tr><th>Lang</th><th>Key path</th>'
                   "<th>File:line</th><th>Shown</th><th>First seen</th></tr></thead><tbody>")
        for f in result.fallbacks:
            shown = f"in {f.shown}" if f.shown else "nothing (missing)"
            out.append(
                f"<tr><td>{_e(f.language)}</td><td><code>{_e(f.path)}</code></td>"
                f"<td>{_e(where(f.origin))}</td><td>{_e(shown)}</td>"
                f"<td>{_e(', '.join(f.states))}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>Every text shown is in the visitor's language.</p>")
    if result.errors:
        out.append(f"<h2>Errors ({len(result.errors)})</h2><ul>")
        for shot, error in result.errors:
            out.append(f"<li>{_e(shot.language)} {_e(size_name(shot.size))} "
                       f"<code>{_e(shot.state.id)}</code>: {_e(error)}</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _cell(shot: Shot | None, overflow: list) -> str:
    if shot is None:
        return "<td></td>"
    if shot.png is None:
        errors = "<br>".join(_e(e) for e in shot.errors) or "not rendered"
        return f'<td class="failed">{errors}</td>'
    bad = " bad" if overflow else ""
    alt = f"{shot.state.id} ({shot.language})"
    img = shot.thumb or shot.png
    parts = [
        f'<td class="shot{bad}"><a href="{_href(shot.png)}">'
        f'<img src="{_href(img)}" alt="{_e(alt)}" loading="lazy"></a>'
    ]
    if shot.state.detail:
        parts.append(f'<div class="cap">{_e(shot.state.detail)}</div>')
    for f in overflow[:6]:
        parts.append(f'<div class="warn">{_e(f.kind)}: {_e(f.widget)} “{_e(f.text[:80])}”</div>')
    if len(overflow) > 6:
        parts.append(f'<div class="warn">… {len(overflow) - 6} more</div>')
    for message in (*shot.errors, *shot.notes):
        parts.append(f'<div class="warn">{_e(message)}</div>')
    parts.append("</td>")
    return "".join(parts)


def write_index(result: ProofResult) -> None:
    (result.out / "index.html").write_text(render_index(result), encoding="utf-8")
