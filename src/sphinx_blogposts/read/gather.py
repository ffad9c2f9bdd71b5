"""A document's raw post metadata, gathered from its front matter (or reST docinfo, or
notebook metadata) and its ``post`` directives, before any value is checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docutils import nodes
from sphinx.util.matching import Matcher

from ..base.config import ALL_POSTS, BlogConfig, SiteBlogs
from ..base.dates import PostDate
from ..base.diagnostics import Subtype, warn
from .frontmatter import (
    MetadataError,
    RawMetadata,
    to_bool,
)

#: how a problem is reported: ``(subtype, message, (docname, line))``; the build warns
Report = Callable[[Subtype, str, Any], None]
#: checks a cover image value and returns the URI to use, or "" (reporting why)
CoverCheck = Callable[[Any, tuple[str, int]], str]

ALIASES = {
    "blogpost": "post",
    "authors": "author",
    "categories": "category",
    "tag": "tags",
}
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass
class Draft:
    """A post's metadata before the doctree is final; completed at ``doctree-read``."""

    line: int
    date: PostDate
    updated: PostDate | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    title: str = ""
    excerpt: tuple[str, ...] = ()
    excerpt_paragraphs: int = 1
    description: str = ""
    image: str = ""
    image_alt: str = ""
    draft: bool = False
    lines: tuple[tuple[str, int], ...] = ()
    pinned: bool = False
    #: no date was given (``blogposts_undated_drafts``): a draft dated :data:`UNDATED`
    undated: bool = False
    series: str = ""
    series_order: int | None = None
    redirects: tuple[str, ...] = ()
    external_link: str = ""
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the key of the blog the post is in ("" on a site of one blog)
    blog: str = ""


@dataclass(frozen=True)
class DirectiveOptions:
    """What one ``post`` directive gave: its raw options, its line and its body's paragraphs."""

    raw: dict[str, Any]
    line: int
    excerpt: tuple[str, ...] = ()
    #: the section below the page's top one that holds the directive, "" for none: the
    #: section's id in a build, its title for the command line
    section: str = ""


@dataclass(frozen=True)
class Gathered:
    """A document's metadata from front matter (or docinfo) and ``post`` directives."""

    is_post: bool
    values: dict[str, Any]
    lines: dict[str, int]
    default_line: int
    #: the blog the post is in (see :func:`choose_blog`); its values check the metadata
    blog: BlogConfig


_PAGE_NAME = re.compile(r"^[^\s:?#*\\<>|\"]+$")


def page_name(value: str) -> str | None:
    """A page name (``blog/old-name``) from how sites write an old URL: with or without a
    leading ``/``, a ``.html`` or source suffix, a trailing ``/`` (dirhtml); None when it is
    not a path inside the site."""
    name = value.strip().strip("/")
    for suffix in (".html", ".htm", ".md", ".rst", ".ipynb", ".txt"):
        name = name.removesuffix(suffix)
    parts = name.split("/")
    if not name or not _PAGE_NAME.match(name) or any(p in ("", ".", "..") for p in parts):
        return None
    return name


#: C0 control characters but tab, line feed and carriage return, and DEL: never text
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(value: Any) -> Any | None:
    """A metadata value (text, or a list of text) without the control characters HTML and
    XML cannot carry; None when it has none.  Only one level deep: YAML can make a list
    that holds itself."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value) if _CONTROLS.search(value) else None
    if isinstance(value, list) and any(isinstance(v, str) and _CONTROLS.search(v)
                                       for v in value):
        return [_CONTROLS.sub("", v) if isinstance(v, str) else v for v in value]
    return None


def _shown(value: Any) -> str:
    """A metadata value as text, to compare two sources of one key."""
    if isinstance(value, list | tuple):
        return ", ".join(v.strip() if isinstance(v, str) else repr(type(v)) for v in value)
    return value.strip() if isinstance(value, str) else repr(value)


def gather_metadata(
    raw: RawMetadata,
    directives: list[DirectiveOptions],
    blogs: SiteBlogs,
    docname: str,
    report: Report = warn,
    inherit: BlogConfig | None = None,
) -> Gathered:
    """Decide whether a document is a post, which blog it is in (``inherit``: the page's
    blog, for a section's post) and merge its metadata sources.

    Used by the build (:class:`PostReader`) and by ``sphinx-blogposts check``, so both find
    the same posts and say the same about them.
    """
    values = {ALIASES.get(k, k): v for k, v in raw.values.items()}
    lines = {ALIASES.get(k, k): v for k, v in raw.lines.items()}
    default_line = 1

    explicit: bool | None = None
    if "post" in values:
        try:
            explicit = to_bool(values["post"])
        except MetadataError as exc:
            report(Subtype.metadata, f"post: {exc}", (docname, lines.get("post", 1)))

    if directives:
        first = directives[0]
        default_line = first.line or 1
        for extra in directives[1:]:
            report(Subtype.duplicate, "a second post directive in one document is ignored",
                   (docname, extra.line))
        for key, value in first.raw.items():
            key = ALIASES.get(key, key)
            if key in FLAGS and value == "":
                value = True
            if key in values and _shown(values[key]) != _shown(value):
                report(Subtype.date if key in ("date", "updated") else Subtype.metadata,
                       f"{key} is given twice, {_shown(values[key])!r} in the front matter "
                       f"and {_shown(value)!r} in the post directive; the directive's is used",
                       (docname, default_line))
            values[key] = value
            lines[key] = default_line
        if first.excerpt and "excerpt" not in first.raw:
            values["excerpt"] = list(first.excerpt)
            lines["excerpt"] = default_line

    is_post = bool(directives) or explicit is True or (
        explicit is None and any(matches_pattern(b, docname) for b in blogs.listed())
    )
    blog = blogs.default
    if is_post:
        if raw.error:
            report(Subtype.metadata, raw.error, (docname, raw.error_line))
        blog = choose_blog(blogs, docname, values, lines, default_line, report, inherit)
    return Gathered(is_post, values, lines, default_line, blog)


def choose_blog(blogs: SiteBlogs, docname: str, values: dict[str, Any],
                lines: dict[str, int], default_line: int, report: Report,
                inherit: BlogConfig | None = None) -> BlogConfig:
    """The blog a post is in: the one its ``blog:`` names, else its page's (a section's
    post), else the one whose ``pattern`` matches it, else the one whose folder holds it,
    else the first.  A name that is no blog, or two blogs' patterns matching, is a
    ``blogposts.metadata`` warning and the post goes where the other rules send it."""
    named = values.get("blog")
    if named not in (None, ""):
        key = named.strip() if isinstance(named, str) else None
        found = blogs.get(key) if key and blogs.several else None
        if found is not None and found.key != ALL_POSTS:
            return found
        known = ", ".join(repr(b.key) for b in blogs.blogs) if blogs.several else ""
        report(Subtype.metadata,
               f"blog: {named!r} names no blog of blogposts_blogs "
               + (f"({known}); " if known else "(the site declares none); ") + "ignored",
               (docname, lines.get("blog", default_line)))
    if inherit is not None or not blogs.several:
        return inherit or blogs.default
    matched = [b for b in blogs.blogs if matches_pattern(b, docname)]
    if len(matched) > 1:
        names = " and ".join(repr(b.key) for b in matched)
        report(Subtype.metadata,
               f"the patterns of the blogs {names} "
               f"{'both' if len(matched) == 2 else 'all'} match this post; it is in "
               f"{matched[0].key!r}, the first declared (give it 'blog:' to choose)",
               (docname, lines.get("post", default_line)))
    if matched:
        return matched[0]
    folder = blogs.of_page(docname)
    return folder if folder is not None and folder.key != ALL_POSTS else blogs.default


#: options that are true when given without a value (``:draft:``, ``:pin:``)
FLAGS = ("draft", "pin")


def split_directives(
    raw: RawMetadata, directives: list[DirectiveOptions], blogs: SiteBlogs, docname: str
) -> tuple[list[DirectiveOptions], list[DirectiveOptions]]:
    """The directives of the page's own post, and those that each make a section a post
    (ABlog's "posting sections"): the first directive in each section below the page's top
    one.  A page whose only directives stand in sections and that is no post otherwise (no
    front matter or pattern says so) is one post, as in ABlog: its first directive is the
    page's.  Shared by the build and the command line."""
    page: list[DirectiveOptions] = []
    sections: list[DirectiveOptions] = []
    seen: set[str] = set()
    for directive in directives:
        if directive.section and directive.section not in seen:
            seen.add(directive.section)
            sections.append(directive)
        else:
            page.append(directive)
    if sections and not page and not gather_metadata(
            raw, [], blogs, docname, lambda *args: None).is_post:
        page.append(sections.pop(0))
    return page, sections


def _docinfo_metadata(document: nodes.document) -> RawMetadata:
    """reST bibliographic fields (or MyST's rendering of front matter) with their lines."""
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for docinfo in document.findall(nodes.docinfo):
        for child in docinfo.children:
            if isinstance(child, nodes.field):
                name = child[0].astext()
                value: Any = child[1].astext()
            elif isinstance(child, nodes.authors):
                name, value = "author", [a.astext() for a in child.children]
            elif isinstance(child, nodes.TextElement):
                name, value = child.__class__.__name__, child.astext()
            else:
                continue
            values[name] = value
            lines[name] = _line_of(child) or 1
        break
    return RawMetadata(values, lines)


def _line_of(node: nodes.Node) -> int | None:
    for n in node.findall(include_self=True):
        line = getattr(n, "line", None)
        if line:
            return int(line)
    return None


def matches_pattern(cfg: BlogConfig, docname: str) -> bool:
    if not cfg.pattern:
        return False
    return bool(pattern_matcher(cfg.pattern)(docname))


@lru_cache(maxsize=16)
def pattern_matcher(patterns: tuple[str, ...]) -> Matcher:
    """The compiled globs of ``blogposts_pattern`` (compiled once, not once per document)."""
    return Matcher(list(patterns))


#: what may stand above a page's first heading
