"""The sources a report cites, carried inside it: CALIBRATION.md and DESIGN.md as an appendix.

Field sources say "CALIBRATION.md round 2: ..." and the calibration targets cite it too. The
documents are in the project (``docs/``) and installed with Scrutiny (``scrutiny/docs/``), but a
report is one file that travels alone (by e-mail, as a PDF), so it carries the documents itself, at
the end, and every mention of them links there: the citation resolves for whoever reads the report.

The Markdown is the documents' own small subset: headings, paragraphs, pipe tables, bullet lists,
rules, inline code and emphasis. Everything is escaped first.
"""

from __future__ import annotations

import re
from importlib import resources

from markupsafe import Markup, escape

__all__ = ["DOCUMENTS", "document", "markdown", "cite", "PROJECT_PATH", "PACKAGE_PATH"]

#: The documents a report carries: ``(file name, anchor, title)``.
DOCUMENTS: tuple[tuple[str, str, str], ...] = (
    ("CALIBRATION.md", "doc-calibration", "CALIBRATION.md: defaults, observed outcomes and their public sources"),
    ("DESIGN.md", "doc-design", "DESIGN.md: what the model is and what it never does"),
)
#: Where a reader finds them outside the report.
PROJECT_PATH = "docs/{name}"
PACKAGE_PATH = "scrutiny/docs/{name}"

_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])"), r"<em>\1</em>"),
)


def _inline(line: str) -> str:
    out = str(escape(line))
    for pattern, repl in _INLINE:
        out = pattern.sub(repl, out)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table(lines: list[str]) -> str:
    head, body = _cells(lines[0]), [_cells(ln) for ln in lines[2:]]
    out = ['<div class="table-wrap"><table class="doc-table"><thead><tr>']
    out += [f'<th scope="col">{_inline(c)}</th>' for c in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def markdown(source: str, *, anchor: str, level: int = 3) -> Markup:
    r"""The document's Markdown as HTML, its headings demoted to start at ``h{level}`` with ids under ``anchor``.

    Examples:
        >>> html = str(markdown("# T\n\nA *b* `c`.\n\n| x | y |\n|---|---|\n| 1 | 2 |", anchor="d"))
        >>> html.startswith('<h3 id="d-t">T</h3><p>A <em>b</em> <code>c</code>.</p>'), html.count("<td>")
        (True, 2)
    """
    blocks: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            tag = f"h{min(6, level + len(heading.group(1)) - 1)}"
            title = heading.group(2).strip()
            blocks.append(f'<{tag} id="{anchor}-{_slug(title)}">{_inline(title)}</{tag}>')
            i += 1
        elif line.lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            blocks.append(_table(lines[i:j]))
            i = j
        elif re.match(r"^-{3,}\s*$", line):
            blocks.append("<hr>")
            i += 1
        elif re.match(r"^\s*[-*]\s+", line) or re.match(r"^\s*\d+\.\s+", line):
            items: list[str] = []
            ordered = bool(re.match(r"^\s*\d+\.\s+", line))
            while i < len(lines) and lines[i].strip():
                item = re.match(r"^\s*(?:[-*]|\d+\.)\s+(.*)$", lines[i])
                if item and not lines[i].startswith("   "):
                    items.append(item.group(1))
                elif items:
                    items[-1] += " " + lines[i].strip()
                i += 1
            tag = "ol" if ordered else "ul"
            blocks.append(f"<{tag}>" + "".join(f"<li>{_inline(it)}</li>" for it in items) + f"</{tag}>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not lines[i].lstrip().startswith(("|", "#")):
                para.append(lines[i].strip())
                i += 1
            blocks.append(f"<p>{_inline(' '.join(para))}</p>")
    return Markup("".join(blocks))


def document(name: str) -> str:
    """The text of a packaged document (``CALIBRATION.md`` or ``DESIGN.md``)."""
    return (resources.files("scrutiny") / "docs" / name).read_text(encoding="utf-8")


def cite(source: str) -> Markup:
    """Escape a source text and link every mention of a packaged document to its copy in the report.

    Examples:
        >>> str(cite("CALIBRATION.md round 2 <b>"))
        '<a href="#doc-calibration" class="cite">CALIBRATION.md</a> round 2 &lt;b&gt;'
    """
    out = str(escape(source))
    for name, anchor, _ in DOCUMENTS:
        out = out.replace(name, f'<a href="#{anchor}" class="cite">{name}</a>')
    return Markup(out)
