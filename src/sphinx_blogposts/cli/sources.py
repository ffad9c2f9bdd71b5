"""Reading one source without parsing it: front matter, docinfo fields and ``post``
directives (with the section each one posts), found by lines as the parsers would find them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..read.frontmatter import (
    MARKDOWN,
    RawMetadata,
    read_front_matter,
)
from ..read.gather import DirectiveOptions
from .site import CliError, display_path

# -- reading one source without parsing it -------------------------------------------------

_MYST_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_MYST_NAME = re.compile(r"^\{(?P<name>[\w:.+-]+)\}[ \t]*(?P<arg>.*)$")
_OPTION = re.compile(r"^[ \t]*:(?P<key>[^:\s][^:]*?):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_RST_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>[\w:.+-]+)::(?P<arg>.*)$")
_RST_POST = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+post::(?:[ \t]+(?P<arg>.*?))?[ \t]*$")
#: directives whose content is not parsed as markup: a ``post`` inside one is an example
_LITERAL = frozenset({
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "parsed-literal",
    "highlight", "raw", "doctest", "testcode", "testoutput", "math", "mermaid", "csv-table",
    "graphviz", "digraph", "graph", "jupyter-execute", "ipython", "prompt",
})
IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
IMAGE_MYST = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})\{(image|figure)\}", re.MULTILINE)
IMAGE_RST = re.compile(r"^[ \t]*\.\.[ \t]+(image|figure)::", re.MULTILINE)
_HEADING_MD = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
_ATX = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<title>.+?)[ \t#]*$")
_RST_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}$")


@dataclass
class Source:
    """What the CLI reads of one document: metadata sources, without parsing the body."""

    docname: str
    path: Path
    raw: RawMetadata
    directives: list[DirectiveOptions] = field(default_factory=list)
    text: str = ""


def read_source(docname: str, path: Path, colon_fence: bool = False) -> Source:
    """Front matter (Markdown) or leading field list (reST), and every ``post`` directive."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{display_path(path)} is not UTF-8 text (byte {exc.start}), as Sphinx "
                       "reads sources; save it as UTF-8", code=2, usage=False) from None
    except OSError:
        return Source(docname, path, RawMetadata({}, {}))
    if path.suffix in MARKDOWN:
        raw = read_front_matter(path) or RawMetadata({}, {})
        directives = list(_myst_posts(text, colon_fence))
    else:
        raw = _rst_fields(text)
        directives = list(_rst_posts(text.splitlines()))
    return Source(docname, path, raw, directives, text)


def _options(lines: list[str], start: int, indent: int | None) -> dict[str, str]:
    """``:key: value`` lines from ``start`` on (deeper than ``indent`` in reST)."""
    options: dict[str, str] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        if indent is not None and len(line) - len(line.lstrip()) <= indent:
            break
        match = _OPTION.match(line)
        if match is None:
            break
        options[match["key"].strip()] = (match["value"] or "").strip()
    return options


def _myst_posts(text: str, colon_fence: bool = False) -> Iterator[DirectiveOptions]:
    """``post`` directives of a MyST document, skipping code blocks (examples in docs)."""
    lines = text.splitlines()
    open_fences: list[str] = []  # directives whose content is markup, innermost last
    sections = _Sections()
    i = _after_front_matter(lines)
    while i < len(lines):
        match = _MYST_FENCE.match(lines[i])
        if match is None:
            heading = _ATX.match(lines[i])
            if heading is not None and not open_fences:
                sections.heading(len(heading["level"]), heading["title"])
            i += 1
            continue
        fence, info = match["fence"], match["info"]
        if fence[0] == ":" and not colon_fence:
            i += 1
            continue
        if not info and open_fences and fence[0] == open_fences[-1][0] \
                and len(fence) >= len(open_fences[-1]):
            open_fences.pop()
            i += 1
            continue
        named = _MYST_NAME.match(info)
        name = named["name"] if named else ""
        if name == "post":
            options = _myst_options(lines, i + 1)
            arg = named["arg"].strip() if named else ""
            if arg:
                options.setdefault("date", arg)
            yield DirectiveOptions(options, i + 1, section=sections.current)
        elif name == "eval-rst":
            end = _closing(lines, i, fence)
            for found in _rst_posts(lines[i + 1 : end]):
                yield DirectiveOptions(found.raw, found.line + i + 1)
            i = end + 1
            continue
        elif not name or name in _LITERAL:
            i = _closing(lines, i, fence) + 1  # a code block: nothing inside counts
            continue
        open_fences.append(fence)
        i += 1


def _after_front_matter(lines: list[str]) -> int:
    if lines and re.match(r"^(---|\+\+\+)[ \t]*$", lines[0].lstrip("\ufeff")):
        for n in range(1, len(lines)):
            if re.match(r"^(---|\+\+\+|\.\.\.)[ \t]*$", lines[n]):
                return n + 1
    return 0


def _closing(lines: list[str], start: int, fence: str) -> int:
    """The line that closes the fence opened at ``start`` (or the last line)."""
    char, length = fence[0], len(fence)
    for n in range(start + 1, len(lines)):
        stripped = lines[n].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= length:
            return n
    return len(lines)


def _myst_options(lines: list[str], start: int) -> dict[str, str]:
    """Options of a MyST directive: ``:key: value`` lines or a ``---`` YAML block."""
    if start < len(lines) and lines[start].strip() == "---":
        block: list[str] = []
        for line in lines[start + 1 :]:
            if line.strip() == "---":
                try:
                    data = yaml.safe_load("\n".join(block))
                except yaml.YAMLError:
                    return {}
                if isinstance(data, dict):
                    return {str(k): "" if v is None else str(v) for k, v in data.items()}
                return {}
            block.append(line)
        return {}
    return _options(lines, start, None)


class _Sections:
    """Which section the text read so far is in: the page's top one ("") or a section below
    it (its title), as the build tells section posts from the page's (see
    ``reader.split_directives``)."""

    def __init__(self) -> None:
        self.top: object = None
        self.current = ""

    def heading(self, level: object, title: str) -> None:
        if self.top is None:
            self.top = level
        self.current = "" if level == self.top else " ".join(title.split())


def _rst_heading(lines: list[str], n: int) -> tuple[str, str] | None:
    """The (adornment, title) of a reST section title whose text is line ``n``."""
    title = lines[n].strip()
    if not title or n + 1 >= len(lines) or lines[n][:1].isspace():
        return None
    under = lines[n + 1].rstrip()
    if not _RST_ADORNMENT.match(under) or len(under) < len(title):
        return None
    over = lines[n - 1].rstrip() if n > 0 else ""
    style = under[0] + ("o" if over and set(over) == {under[0]} and len(over) >= len(title)
                        else "")
    return style, title


def _rst_posts(lines: list[str]) -> Iterator[DirectiveOptions]:
    """``.. post::`` directives of reST text, skipping literal blocks and code directives."""
    sections = _Sections()
    styles: list[str] = []  # adornment styles in the order met: the first is the top level
    for n, line in enumerate(lines):
        heading = _rst_heading(lines, n)
        if heading is not None:
            style, title = heading
            if style not in styles:
                styles.append(style)
            sections.heading(styles.index(style), title)
            continue
        match = _RST_POST.match(line)
        if match is None:
            continue
        indent = len(match["indent"].expandtabs())
        if indent and _in_literal(lines, n, indent):
            continue
        options = _options(lines, n + 1, indent)
        if match["arg"]:
            options.setdefault("date", match["arg"].strip())
        yield DirectiveOptions(options, n + 1, section=sections.current)


def _in_literal(lines: list[str], n: int, indent: int) -> bool:
    """Whether an indented line belongs to a literal block or a code directive."""
    for k in range(n - 1, -1, -1):
        text = lines[k]
        if not text.strip():
            continue
        level = len(text) - len(text.lstrip())
        if level >= indent:
            continue
        directive = _RST_DIRECTIVE.match(text)
        if directive is not None:
            return directive["name"] in _LITERAL
        return text.rstrip().endswith("::")
    return False


_UNDERLINE = re.compile(r"^([!-/:-@\[-`{-~])\1+[ \t]*$")


def _rst_fields(text: str) -> RawMetadata:
    """The leading field list of a reST document (its docinfo), with each field's line.

    Like docutils: the field list must be the first element, after comments and after the
    document's title (and subtitle), if any.
    """
    lines = text.splitlines()
    n = 0
    titles = 0
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            n += 1
            continue
        if line.startswith("..") and not _RST_DIRECTIVE.match(line):
            n += 1  # a comment, with its indented continuation lines
            while n < len(lines) and (not lines[n].strip() or lines[n][:1] in " \t"):
                n += 1
            continue
        over = _UNDERLINE.match(line)
        if over and n + 2 < len(lines) and _UNDERLINE.match(lines[n + 2]) and titles < 2:
            n += 3
            titles += 1
            continue
        if n + 1 < len(lines) and _UNDERLINE.match(lines[n + 1]) and titles < 2 and \
                not line.startswith(":"):
            n += 2
            titles += 1
            continue
        break
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    while n < len(lines):
        match = _OPTION.match(lines[n])
        if match is None or lines[n][:1] in " \t":
            break
        name = match["key"].strip()
        parts = [(match["value"] or "").strip()]
        first = n + 1
        n += 1
        while n < len(lines) and lines[n][:1] in " \t" and lines[n].strip():
            parts.append(lines[n].strip())
            n += 1
        values[name] = "\n".join(p for p in parts if p)
        key_lines[name] = first
    return RawMetadata(values, key_lines)


class SourceTree:
    """The two things :func:`~.reader.check_image` asks of the build environment."""

    def __init__(self, srcdir: Path, docpath: str) -> None:
        self.srcdir = srcdir
        self._docdir = Path(docpath).parent

    def relfn2path(self, filename: str, docname: str | None = None) -> tuple[str, str]:
        name = Path(filename)
        if name.parts[:1] in {("/",), ("\\",)}:
            absolute = self.srcdir.joinpath(*name.parts[1:]).resolve()
        else:
            absolute = self.srcdir.joinpath(self._docdir, name).resolve()
        try:
            relative = absolute.relative_to(self.srcdir).as_posix()
        except ValueError:
            relative = absolute.as_posix()
        return relative, os.fspath(absolute)
