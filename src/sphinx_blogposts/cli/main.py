"""``sphinx-blogposts``: start a post, list posts, check their metadata, without a build.

The site's ``conf.py`` is executed the way Sphinx executes it, posts are found the three
ways the build finds them (``blogposts_pattern``, ``post: true`` front matter, a ``post``
directive) and their metadata goes through the build's own coercion, so ``check`` says what
``sphinx-build`` would say about it.  Only front matter, docinfo fields and ``post``
directives are read: no document is parsed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO, cast

import sphinx
import yaml
from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.matching import get_matching_files
from sphinx.util.tags import Tags

from ..base.config import KEY_RE, OPTIONS, BlogConfig, validate
from ..base.dates import now_timestamp, parse_date
from ..base.diagnostics import WARNING_TYPE, Subtype
from ..base.slugs import slugify
from ..base.version import __version__
from ..read.frontmatter import (
    MARKDOWN,
    MetadataError,
    RawMetadata,
    is_number,
    read_front_matter,
    to_positive_int,
)
from ..read.reader import (
    DirectiveOptions,
    Draft,
    _matches,
    check_image,
    coerce_metadata,
    gather_metadata,
    split_directives,
)

#: what Sphinx itself never reads (sphinx.project.EXCLUDE_PATHS), and hidden folders
_ALWAYS_EXCLUDED = ("**/_sources", ".#*", "**/.#*", "*.lproj/**", ".*", "**/.*")
_GLOB = re.compile(r"[*?\[]")


class CliError(Exception):
    """A problem to report in one line; ``code`` is the exit status (2: usage)."""

    def __init__(self, message: str, code: int = 1, usage: bool | None = None) -> None:
        super().__init__(message)
        self.code = code
        #: shown with the command's usage (a wrong argument), or as one line (a refusal)
        self.usage = code == 2 if usage is None else usage


# -- the site ------------------------------------------------------------------------------

@dataclass
class Site:
    """A Sphinx source directory: its executed ``conf.py`` and the validated blog options."""

    srcdir: Path
    namespace: dict[str, Any]
    cfg: BlogConfig
    suffixes: tuple[str, ...]

    @property
    def markdown(self) -> bool:
        """Whether MyST (or another Markdown parser) is on: ``new`` writes ``.md`` then."""
        extensions = [str(e) for e in self.namespace.get("extensions", [])]
        return any(e.startswith(("myst_parser", "myst_nb")) for e in extensions)

    @property
    def colon_fence(self) -> bool:
        """Whether ``:::{post}`` is a directive (MyST's ``colon_fence`` extension)."""
        enabled = self.namespace.get("myst_enable_extensions") or ()
        return "colon_fence" in [str(e) for e in enabled]

    def suppressed(self, subtype: Subtype) -> bool:
        """Whether ``suppress_warnings`` silences this kind, as it does in the build."""
        names = [str(s) for s in self.namespace.get("suppress_warnings", []) or []]
        return WARNING_TYPE in names or f"{WARNING_TYPE}.{subtype.value}" in names


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"-D expects name=value, not {pair!r}", 2)
        result[name.strip()] = value
    return result


def _conf_path(conf: Path) -> Any:
    """conf.py's path as ``eval_config_file`` takes it: a str on Sphinx 7, a Path from 8."""

    if sphinx.version_info >= (8,):
        return conf.resolve()
    return str(conf.resolve())


def load_site(source: str, overrides: Sequence[str] = (), *, need_conf: bool = True) -> Site:
    """Execute ``conf.py`` of ``source`` as Sphinx does and validate the blog options."""

    srcdir = Path(source)
    if not srcdir.is_dir():
        raise CliError(f"{source!r} is not a directory", 2)
    conf = srcdir / "conf.py"
    namespace: dict[str, Any] = {}
    if conf.is_file():
        try:
            namespace = eval_config_file(_conf_path(conf), Tags())
        except ConfigError as exc:
            raise CliError(f"{conf}: {exc}") from exc
    elif need_conf:
        raise CliError(f"no conf.py in {source!r}; give the site's folder with --source", 2)
    for name, value in _overrides(overrides).items():
        if name.startswith("blogposts_") or name == "language":
            namespace[name] = _convert_override(name, value)
    values = {opt.name: namespace.get(opt.name, opt.default) for opt in OPTIONS}
    values["language"] = namespace.get("language") or "en"
    values["html_baseurl"] = namespace.get("html_baseurl", "")
    try:
        cfg = validate(cast(Any, SimpleNamespace(**values)))
    except ConfigError as exc:
        raise CliError(f"{conf}: {exc}") from exc
    return Site(srcdir, namespace, cfg, _suffixes(namespace))


def _convert_override(name: str, value: str) -> Any:
    """``-D`` values as Sphinx converts them for our options: ints, lists, bools, text."""
    default = next((o.default for o in OPTIONS if o.name == name), None)
    if isinstance(default, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            return value
    if isinstance(default, list):
        return [v for v in value.split(",") if v]
    return value


def _suffixes(namespace: dict[str, Any]) -> tuple[str, ...]:
    declared = namespace.get("source_suffix")
    if isinstance(declared, str):
        found = [declared]
    elif isinstance(declared, dict | list | tuple):
        found = [str(s) for s in declared]
    else:
        found = [".rst"]
    extensions = [str(e) for e in namespace.get("extensions", [])]
    if any(e.startswith(("myst_parser", "myst_nb")) for e in extensions):
        found.append(".md")
    return tuple(dict.fromkeys(found))


def source_files(site: Site) -> Iterator[tuple[str, Path]]:
    """``(docname, path)`` of every source Sphinx would read, in a stable order."""

    ns = site.namespace
    exclude = [*_strings(ns.get("exclude_patterns")), *_strings(ns.get("templates_path")),
               *_strings(ns.get("html_static_path")), *_strings(ns.get("html_extra_path")),
               *_ALWAYS_EXCLUDED]
    include = _strings(ns.get("include_patterns")) or ["**"]
    suffixes = sorted(site.suffixes, key=len, reverse=True)
    for rel in get_matching_files(site.srcdir, include, exclude):
        for suffix in suffixes:
            if rel.endswith(suffix):
                yield rel[: -len(suffix)], site.srcdir / rel
                break


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


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
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_IMAGE_MYST = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})\{(image|figure)\}", re.MULTILINE)
_IMAGE_RST = re.compile(r"^[ \t]*\.\.[ \t]+(image|figure)::", re.MULTILINE)
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
        raise CliError(f"{_shown(path)} is not UTF-8 text (byte {exc.start}), as Sphinx "
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


class _SourceTree:
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


# -- posts -----------------------------------------------------------------------------

@dataclass
class Problem:
    """One warning, as the build would print it."""

    path: Path
    line: int
    subtype: Subtype
    message: str

    def format(self) -> str:
        return (f"{_shown(self.path)}:{self.line}: WARNING: {self.message} "
                f"[{WARNING_TYPE}.{self.subtype.value}]")


@dataclass
class Entry:
    """A post found by the CLI: its source and its coerced metadata (None: unpublishable)."""

    source: Source
    draft: Draft | None
    problems: list[Problem]
    #: False for a document that is no post but whose ``post:`` value is bad
    is_post: bool = True
    #: the posts its sections make: (the section's title, its metadata or None)
    sections: list[tuple[str, Draft | None]] = field(default_factory=list)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_post(site: Site, source: Source) -> Entry | None:
    """The post a source is (None when it is no post), with what the build would warn."""
    problems: list[Problem] = []

    def report(subtype: Subtype, message: str, location: Any) -> None:
        line = location[1] if isinstance(location, tuple) else 1
        if not site.suppressed(subtype):
            problems.append(Problem(source.path, int(line or 1), subtype, message))

    page, in_sections = split_directives(source.raw, source.directives, site.cfg,
                                         source.docname)
    found = gather_metadata(source.raw, page, site.cfg, source.docname, report)
    if not found.is_post:
        return Entry(source, None, problems, is_post=False) if problems else None
    def cover(value: Any, location: tuple[str, int]) -> str:
        if is_number(value):
            try:
                number = to_positive_int(value)
            except MetadataError as exc:
                report(Subtype.image, f"image: {exc}", location)
                return ""
            images = _count_images(source)
            if number > images:
                report(Subtype.image,
                       f"image: the post has {images} image(s), not {number}", location)
                return ""
            return str(value)
        tree = _SourceTree(site.srcdir.resolve(),
                           source.path.relative_to(site.srcdir).as_posix())
        return check_image(value, tree, source.docname, location, report)

    draft = coerce_metadata(found.values, found.lines, site.cfg, source.docname,
                            found.default_line, report, cover)
    sections: list[tuple[str, Draft | None]] = []
    if draft is not None:
        for directive in in_sections:
            got = gather_metadata(RawMetadata({}, {}), [directive], site.cfg, source.docname,
                                  report)
            sections.append((directive.section, coerce_metadata(
                got.values, got.lines, site.cfg, source.docname, got.default_line, report,
                cover)))
    return Entry(source, draft, problems, sections=sections)


def _count_images(source: Source) -> int:
    if source.path.suffix in MARKDOWN:
        return len(_IMAGE_MD.findall(source.text)) + len(_IMAGE_MYST.findall(source.text))
    return len(_IMAGE_RST.findall(source.text))


def find_posts(site: Site) -> Iterator[Entry]:
    """Every post of the site, in docname order (and documents with a bad ``post:``)."""
    for docname, path in source_files(site):
        entry = read_post(site, read_source(docname, path, site.colon_fence))
        if entry is not None:
            yield entry


# -- commands ------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    site = load_site(args.source, args.define)
    now = now_timestamp(site.cfg.now)
    rows: list[tuple[float, str, str, str, str]] = []
    wanted = args.category.casefold() if args.category else None
    for entry in find_posts(site):
        draft = entry.draft
        if not entry.is_post:
            continue
        if draft is None:
            if args.drafts or wanted:
                continue
            rows.append((float("-inf"), "—", "invalid", "", _shown(entry.source.path)))
            continue
        where = _shown(entry.source.path)
        for shown, post in [(where, draft)] + [(f"{where} > {title}", section)
                                               for title, section in entry.sections]:
            if post is None:
                continue
            if wanted is not None and wanted not in {c.casefold() for c in post.categories}:
                continue
            status = "draft" if post.draft else (
                "scheduled" if post.date.timestamp > now else "published")
            if args.drafts and status == "published":
                continue
            if post.pinned:
                status += ", pinned"
            rows.append((post.date.timestamp,
                         "—" if post.undated else post.date.day.isoformat(), status,
                         ", ".join(post.categories) or "—", shown))
    rows.sort(key=lambda r: (-r[0], r[4]))
    if not rows:
        print("no posts found", file=sys.stderr)
        return 0
    table = [row[1:] for row in rows]
    widths = [max(_width(r[i]) for r in table) for i in range(3)]
    for row in table:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        print("  ".join([*cells, row[3]]), file=out)
    return 0


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    site = load_site(args.source, args.define)
    posts = 0
    problems: list[Problem] = []
    for entry in find_posts(site):
        posts += entry.is_post
        problems.extend(entry.problems)
    for problem in problems:
        print(problem.format(), file=out)
    noun = "post" if posts == 1 else "posts"
    if problems:
        print(f"{len(problems)} problem(s) in {posts} {noun}", file=sys.stderr)
        return 1
    print(f"{posts} {noun} checked: no problems", file=sys.stderr)
    return 0


def post_dir(site: Site) -> str:
    """Where new posts go: the folder part of the first ``blogposts_pattern``, before any
    glob character (``blog/posts/**`` -> ``blog/posts``)."""
    for pattern in site.cfg.pattern:
        head = _GLOB.split(pattern, maxsplit=1)[0]
        if _GLOB.search(pattern):
            head = head.rsplit("/", 1)[0] if "/" in head else ""
        return head.strip("/")
    return ""


def _today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            pass
    return date.today()


def _yaml_scalar(text: str) -> str:
    """Text as a YAML scalar, quoted only when YAML would read it as something else."""
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    if plain and text == text.strip() and not re.search(r"[,\[\]{}#:\n]", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_names(names: list[str]) -> str:
    if len(names) == 1:
        return _yaml_scalar(names[0])
    return "[" + ", ".join(_yaml_scalar(n) for n in names) + "]"


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def render_post(title: str, fmt: str, day: str, categories: list[str], tags: list[str],
                authors: list[str], draft: bool, declare: bool) -> str:
    """The text of a new post: front matter (MyST) or a ``post`` directive (reST)."""
    if fmt == "md":
        meta = ["---"]
        if declare:
            meta.append("post: true")
        meta.append(f"date: {day}")
        if categories:
            meta.append(f"category: {_yaml_names(categories)}")
        if tags:
            meta.append("tags: [" + ", ".join(_yaml_scalar(t) for t in tags) + "]")
        if authors:
            meta.append(f"author: {_yaml_names(authors)}")
        if draft:
            meta.append("draft: true")
        meta.append("---")
        return ("\n".join(meta) + f"\n\n# {title}\n\n"
                "The first paragraph is the post's excerpt in lists and feeds.\n")
    underline = "=" * max(3, _width(title))
    lines = [title, underline, "", f".. post:: {day}"]
    if categories:
        lines.append(f"   :category: {', '.join(categories)}")
    if tags:
        lines.append(f"   :tags: {', '.join(tags)}")
    if authors:
        lines.append(f"   :author: {', '.join(authors)}")
    if draft:
        lines.append("   :draft:")
    lines += ["", "The first paragraph is the post's excerpt in lists and feeds.", ""]
    return "\n".join(lines)


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    parser: argparse.ArgumentParser = args.subparser
    title = " ".join(args.title.split())
    if not title:
        parser.error("the title must not be empty")
    if args.date:
        try:
            day = parse_date(args.date).isoformat()
        except ValueError as exc:
            parser.error(f"argument --date: {exc}")
    else:
        day = _today().isoformat()
    site = load_site(args.source, args.define, need_conf=args.dir is None)
    has_conf = (site.srcdir / "conf.py").is_file()
    fmt = args.format or ("md" if site.markdown or not has_conf else "rst")
    if fmt == "md" and has_conf and not site.markdown:
        raise CliError("the site reads no Markdown (add myst_parser to extensions in "
                       "conf.py, or use --format rst); nothing was written",
                       code=2, usage=False)
    folder = Path(args.dir) if args.dir is not None else Path(post_dir(site))
    target_dir = folder if folder.is_absolute() else site.srcdir / folder
    if _docname(site, target_dir / "x") is None:
        raise CliError(f"--dir {args.dir}: outside the source folder {_shown(site.srcdir)}, "
                       "where the build would not read it; nothing was written",
                       code=2, usage=False)
    target = target_dir / f"{slugify(title)}.{fmt}"
    if target.exists():
        raise CliError(f"{_shown(target)} already exists; nothing was written "
                       "(choose another title, or --dir)")
    twin = next((target.with_suffix(suffix) for suffix in (".md", ".rst", ".ipynb", ".txt")
                 if target.with_suffix(suffix).exists()), None)
    if twin is not None:  # Sphinx would read only one of the two
        raise CliError(f"{_shown(twin)} already has this name; nothing was written "
                       "(choose another title, or --dir)", code=2, usage=False)
    authors = _split(args.author)
    cfg = site.cfg
    for author in authors:
        if cfg.authors and author not in cfg.authors and KEY_RE.match(author):
            print(f"warning: author {author!r} is not a key of blogposts_authors "
                  "(a typo?); written as a guest author", file=sys.stderr)
    docname = _docname(site, target)

    declare = fmt == "md" and not (docname is not None and _matches(cfg, docname))
    text = render_post(title, fmt, day, _split(args.category), _split(args.tags), authors,
                       args.draft, declare)
    target_dir.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as f:  # never overwrite, even in a race
            f.write(text)
    except FileExistsError:
        raise CliError(f"{_shown(target)} already exists; nothing was written") from None
    print(_shown(target), file=out)
    return 0


def _docname(site: Site, path: Path) -> str | None:
    try:
        rel = path.resolve().relative_to(site.srcdir.resolve()).as_posix()
    except ValueError:
        return None
    return rel.rsplit(".", 1)[0]


# -- the parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-blogposts",
        description="Write, list and check the posts of a sphinx-blogposts site "
                    "without building it.",
    )

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", "-s", default=".", metavar="DIR",
                       help="the site's source folder, where conf.py is (default: .)")
        p.add_argument("-D", dest="define", action="append", default=[],
                       metavar="NAME=VALUE",
                       help="override a blogposts_* value of conf.py, as with sphinx-build "
                            "(e.g. -D blogposts_now=2026-01-01)")

    new = sub.add_parser(
        "new", help="start a post", description=(
            "Write a new post, named by a slug of its title, into the folder "
            "blogposts_pattern points to. An existing file is never overwritten."))
    new.add_argument("title", help="the post's title")
    new.add_argument("--category", "-c", metavar="C", help="category (a comma list for several)")
    new.add_argument("--tags", "-t", metavar="A,B", help="tags, comma-separated")
    new.add_argument("--author", "-a", metavar="K",
                     help="a key of blogposts_authors or a name (a comma list for several)")
    new.add_argument("--date", "-d", metavar="D",
                     help="ISO 8601 date or datetime (default: today, or SOURCE_DATE_EPOCH)")
    new.add_argument("--draft", action="store_true", help="mark the post as a draft")
    new.add_argument("--dir", metavar="D",
                     help="folder for the post, relative to the source folder "
                          "(default: from blogposts_pattern)")
    new.add_argument("--format", "-f", choices=("md", "rst"),
                     help="MyST Markdown or reST (default: md when myst_parser is on)")
    common(new)
    new.set_defaults(handler=cmd_new, subparser=new)

    listing = sub.add_parser(
        "list", help="list posts", description=(
            "List every post, newest first: date, status (published, draft, scheduled), "
            "categories and file. Reads front matter and post directives only."))
    listing.add_argument("--drafts", action="store_true",
                         help="only posts that are not published: drafts and scheduled posts")
    listing.add_argument("--category", "-c", metavar="C", help="only posts in this category")
    common(listing)
    listing.set_defaults(handler=cmd_list, subparser=listing)

    check = sub.add_parser(
        "check", help="check every post's metadata", description=(
            "Check the metadata of every post as the build would, without building: the "
            "same warnings, and exit status 1 when there is any."))
    common(check)
    check.set_defaults(handler=cmd_check, subparser=check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``sphinx-blogposts`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        status: int = args.handler(args, sys.stdout)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # the reader went away (``list | head -1``): what it read is all it wanted; stdout
        # is pointed at /dev/null so that the interpreter's own flush at exit stays quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except CliError as exc:
        if exc.usage:
            args.subparser.error(str(exc))
        print(f"sphinx-blogposts: error: {exc}", file=sys.stderr)
        return exc.code
    finally:
        if os.environ.get("SPHINX_BLOGPOSTS_TIMING"):
            print(f"{time.perf_counter() - started:.3f}s", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
