"""From a document to its :class:`~.model.Post`: detection and metadata, during reading.

The transform runs before smart quotes (so docinfo values are as written) and before the
image collector (so a cover image is copied like any other image).  Title, excerpt and
word count are taken later, at ``doctree-read``, from the finished doctree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from os import path as osp
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.matching import Matcher

from ..base import nodes as bp_nodes
from ..base.config import FACETS, KEY_RE, BlogConfig, get_config
from ..base.dates import UNDATED, PostDate, parse_date
from ..base.diagnostics import Subtype, guard, warn
from ..base.nodes import is_external
from .frontmatter import (
    MARKDOWN,
    MetadataError,
    RawMetadata,
    front_matter_of,
    is_number,
    quote_impossible_dates,
    read_front_matter,
    to_bool,
    to_int,
    to_list,
    to_positive_int,
    to_text,
)
from .notebooks import quote_notebook_dates

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
    cfg: BlogConfig,
    docname: str,
    report: Report = warn,
) -> Gathered:
    """Decide whether a document is a post and merge its metadata sources.

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
        explicit is None and _matches(cfg, docname)
    )
    if is_post and raw.error:
        report(Subtype.metadata, raw.error, (docname, raw.error_line))
    return Gathered(is_post, values, lines, default_line)


#: options that are true when given without a value (``:draft:``, ``:pin:``)
FLAGS = ("draft", "pin")


def split_directives(
    raw: RawMetadata, directives: list[DirectiveOptions], cfg: BlogConfig, docname: str
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
            raw, [], cfg, docname, lambda *args: None).is_post:
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


class PostReader(SphinxTransform):
    """Decide whether the document is a post and read its metadata."""

    default_priority = 700  # after DocInfo (340), before SmartQuotes (750)

    @guard(lambda self, **kw: f"reading the post metadata of {self.env.docname!r}")
    def apply(self, **kwargs: Any) -> None:
        env = getattr(self.document.settings, "env", None)
        if env is None or not env.docname:
            return
        docname: str = env.docname
        cfg = get_config(self.config)
        markers: list[nodes.Element] = []
        if env.temp_data.get("blogposts_markers"):  # a post directive ran
            markers = [n for n in bp_nodes.placeholders(self.document)
                       if isinstance(n, bp_nodes.post_marker)]
        by_id: dict[str, nodes.section] = {}
        options = []
        for marker in markers:
            section = _section_of(marker)
            key = ""
            if section is not None and section.parent is not self.document and section["ids"]:
                key = str(section["ids"][0])
                by_id[key] = section
            options.append(DirectiveOptions(dict(marker["raw"]), marker.line or 1,
                                            tuple(marker.get("excerpt") or ()), key))
        for marker in markers:
            marker.parent.remove(marker)
        front = self._front_matter(docname)
        options, section_options = split_directives(front, options, cfg, docname)
        sections = [(by_id[o.section], o) for o in section_options]

        def report(subtype: Subtype, message: str, location: Any) -> None:
            # a duplicate directive is reported at its node, as before the refactoring
            for extra in markers[1:]:
                if subtype is Subtype.duplicate and location == (docname, extra.line or 1):
                    location = extra
                    break
            warn(subtype, message, location)

        found = gather_metadata(front, options, cfg, docname, report)
        if not found.is_post:
            return
        draft = read_metadata(found.values, found.lines, cfg, docname, found.default_line,
                              self.document, env)
        if draft is None:
            # still a post, so no toctree warning, but one that cannot be published
            self.document.append(bp_nodes.post_header(invalid=True))
            return
        if not draft.image and cfg.auto_image:
            images = list(self.document.findall(nodes.image))
            if len(images) >= cfg.auto_image:  # fewer: no cover, as ABlog
                draft.image = str(images[cfg.auto_image - 1]["uri"])
        if draft.title:
            _retitle(self.document, draft.title)
        header = bp_nodes.post_header()
        header.draft = draft  # type: ignore[attr-defined]
        if draft.image and not is_external(draft.image):
            header += nodes.image(uri=draft.image, alt=draft.image_alt or "",
                                  classes=["blogposts-cover"])
        footer = bp_nodes.post_footer()
        _place(self.document, header, footer)
        for section, opts in sections:
            self._section_post(section, opts, cfg, docname)

    def _section_post(self, section: nodes.section, opts: DirectiveOptions, cfg: BlogConfig,
                      docname: str) -> None:
        """A post made of one section: its metadata is its directive's alone (the front
        matter is the page's), its title the section's unless the directive gives one."""
        found = gather_metadata(RawMetadata({}, {}), [opts], cfg, docname)
        draft = read_metadata(found.values, found.lines, cfg, docname, found.default_line,
                              section, self.env)
        if draft is None:
            return
        if not draft.image and cfg.auto_image:
            images = list(section.findall(nodes.image))
            if len(images) >= cfg.auto_image:
                draft.image = str(images[cfg.auto_image - 1]["uri"])
        header = bp_nodes.post_header(section=section["ids"][0])
        header.draft = draft  # type: ignore[attr-defined]
        title = 1 if section.children and isinstance(section[0], nodes.title) else 0
        section.insert(title, header)

    def _front_matter(self, docname: str) -> RawMetadata:
        # the text Sphinx read (kept by on_source_read for Markdown only), not the file read
        # a second time
        kept = self.env.temp_data.get("blogposts_source")
        found: RawMetadata | None = None
        if isinstance(kept, tuple) and kept[0] == docname:
            found = front_matter_of(kept[1])
        else:
            source = str(self.env.doc2path(docname))
            if source.endswith(MARKDOWN):
                found = read_front_matter(source)
        return found if found is not None else _docinfo_metadata(self.document)


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    """Make Markdown front matter safe for the parsers before they see it.

    Impossible dates (``2025-13-45``) are quoted for MyST; under myst-nb, a MyST notebook's
    dates are quoted too (see :mod:`.notebooks`).  Both leave every other source alone.
    """
    if not str(app.env.doc2path(docname)).endswith(MARKDOWN):
        return
    text = source[0]
    app.env.temp_data["blogposts_source"] = (docname, text)  # for PostReader._front_matter
    fixed = quote_impossible_dates(text)
    if fixed is not None:
        text = fixed
    if "myst_nb" in app.extensions:
        fixed = quote_notebook_dates(text)
        if fixed is not None:
            text = fixed
    source[0] = text


def _matches(cfg: BlogConfig, docname: str) -> bool:
    if not cfg.pattern:
        return False
    return bool(_matcher(cfg.pattern)(docname))


@lru_cache(maxsize=16)
def _matcher(patterns: tuple[str, ...]) -> Matcher:
    """The compiled globs of ``blogposts_pattern`` (compiled once, not once per document)."""
    return Matcher(list(patterns))


#: what may stand above a page's first heading
_ABOVE_TITLE = (nodes.docinfo, nodes.field_list, nodes.target, nodes.substitution_definition,
                nodes.comment, nodes.meta, nodes.system_message)


def _section_of(node: nodes.Node) -> nodes.section | None:
    """The nearest section holding ``node``."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _retitle(document: nodes.document, title: str) -> None:
    """The ``title`` of a post's metadata becomes its page's heading (as MyST's
    ``myst_title_to_header`` makes it), so that a reader who clicks a title in a list lands
    on a page with that title, and the page's ``<title>`` and the toctrees say it too."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        if section[0].astext() != title:
            section[0][:] = [nodes.Text(title)]
        return
    # no heading at all: one made above the body, as a page's first section
    lead = 0
    while lead < len(document.children) and isinstance(document[lead], _ABOVE_TITLE):
        lead += 1
    body = document.children[lead:]
    del document[lead:]
    section = nodes.section("", nodes.title(title, title), *body)
    section["names"].append(nodes.fully_normalize_name(title))
    document.note_implicit_target(section, section)
    document += section


def _place(document: nodes.document, header: nodes.Element, footer: nodes.Element) -> None:
    """Header right after the title, footer at the end of the top section."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, header)
        section.append(footer)
        return
    index = 0
    for i, child in enumerate(document.children):
        if isinstance(child, nodes.title | nodes.subtitle | nodes.docinfo | nodes.meta):
            index = i + 1
    document.insert(index, header)
    document.append(footer)


def read_metadata(
    values: dict[str, Any],
    lines: dict[str, int],
    cfg: BlogConfig,
    docname: str,
    default_line: int,
    document: nodes.Element,
    env: Any,
) -> Draft | None:
    """Every key to its type; each bad value warns and falls back, a missing date skips."""

    def cover(value: Any, location: tuple[str, int]) -> str:
        return _cover(value, document, env, docname, location)

    return coerce_metadata(values, lines, cfg, docname, default_line, warn, cover)


def coerce_metadata(
    values: dict[str, Any],
    lines: dict[str, int],
    cfg: BlogConfig,
    docname: str,
    default_line: int,
    report: Report = warn,
    cover: CoverCheck | None = None,
) -> Draft | None:
    """The coercion of :func:`read_metadata`, reporting through ``report``.

    ``cover`` checks the ``image`` value (the build resolves it against the document);
    without it the value is kept as written.
    """
    def where(key: str) -> tuple[str, int]:
        return (docname, lines.get(key, default_line))

    values = dict(values)
    for key, value in values.items():
        cleaned = _without_controls(value)
        if cleaned is not None:
            report(Subtype.metadata, f"{key}: control characters removed", where(key))
            values[key] = cleaned

    undated = "date" not in values or values["date"] in (None, "")
    if undated and cfg.undated_drafts:  # a draft by design: nothing to warn about
        date = UNDATED
    elif undated:
        report(Subtype.date, "this post has no date, so it is not published; add "
               "'date: YYYY-MM-DD'", where("post"))
        return None
    else:
        try:
            date = parse_date(values["date"], cfg.date_formats)
        except ValueError as exc:
            report(Subtype.date, f"invalid date: {exc}; the post is not published",
                   where("date"))
            return None

    updated = None
    if values.get("updated") not in (None, ""):
        try:
            updated = parse_date(values["updated"], cfg.date_formats)
        except ValueError as exc:
            report(Subtype.date, f"invalid updated date: {exc}; ignored", where("updated"))

    def names(key: str, subtype: Subtype) -> list[str]:
        if key not in values:
            return []
        items, errors = to_list(values[key])
        for error in errors:
            report(subtype, f"{key}: {error}; ignored", where(key))
        return items

    authors = names("author", Subtype.author) or list(cfg.default_authors)
    if cfg.authors:
        for author in authors:
            if author not in cfg.authors and KEY_RE.match(author):
                report(Subtype.author,
                     f"author {author!r} is not a key of blogposts_authors (a typo?); "
                     "shown as a guest author", where("author"))
    categories = names("category", Subtype.category) or list(cfg.default_categories)
    tags = names("tags", Subtype.tag)

    draft = Draft(
        line=lines.get("date", default_line),
        date=date,
        updated=updated,
        authors=tuple(authors),
        categories=tuple(categories),
        tags=tuple(tags),
        lines=tuple(sorted(lines.items())),
        excerpt_paragraphs=cfg.excerpt_paragraphs,
        undated=undated,
    )
    if undated:
        draft.draft = True
    defaults = dict(cfg.facet_defaults)
    facets = []
    for kind in FACETS:
        keys = names(kind, Subtype.metadata) or ([defaults[kind]] if kind in defaults else [])
        if keys:
            facets.append((kind, tuple(keys)))
    draft.facets = tuple(facets)
    for key in ("description", "image_alt", "title"):
        if values.get(key) in (None, ""):
            continue
        try:
            setattr(draft, key, to_text(values[key]))
        except MetadataError as exc:
            report(Subtype.metadata, f"{key}: {exc}; ignored", where(key))
    if "draft" in values and not undated:
        try:
            draft.draft = to_bool(values["draft"])
        except MetadataError as exc:
            report(Subtype.metadata, f"draft: {exc}; the post is treated as a draft",
                 where("draft"))
            draft.draft = True

    excerpt = values.get("excerpt")
    if isinstance(excerpt, list) and all(isinstance(p, str) for p in excerpt):
        draft.excerpt = tuple(p for p in excerpt if p.strip())
    elif is_number(excerpt):
        try:
            draft.excerpt_paragraphs = to_positive_int(excerpt)
        except MetadataError as exc:
            report(Subtype.metadata, f"excerpt: {exc}; the first paragraph is used",
                 where("excerpt"))
    elif excerpt not in (None, ""):
        try:
            draft.excerpt = (to_text(excerpt),)
        except MetadataError as exc:
            report(Subtype.metadata, f"excerpt: {exc}; the first paragraph is used",
                 where("excerpt"))

    if "pin" in values:
        try:
            draft.pinned = to_bool(values["pin"])
        except MetadataError as exc:
            report(Subtype.metadata, f"pin: {exc}; the post is not pinned", where("pin"))
    if values.get("series") not in (None, ""):
        try:
            draft.series = " ".join(to_text(values["series"]).split())
        except MetadataError as exc:
            report(Subtype.metadata, f"series: {exc}; ignored", where("series"))
    if values.get("series_order") not in (None, ""):
        try:
            draft.series_order = to_int(values["series_order"])
        except MetadataError as exc:
            report(Subtype.metadata, f"series_order: {exc}; ignored", where("series_order"))
        if not draft.series and "series" not in values:
            report(Subtype.metadata, "series_order: the post names no series; ignored",
                   where("series_order"))
    if values.get("external_link") not in (None, ""):
        try:
            link = to_text(values["external_link"])
        except MetadataError as exc:
            report(Subtype.metadata, f"external_link: {exc}; ignored", where("external_link"))
        else:
            if link.lower().startswith(("http://", "https://")) and " " not in link:
                draft.external_link = link
            else:
                report(Subtype.metadata, f"external_link: {link!r} is not an http(s) URL; "
                       "ignored", where("external_link"))
    if "redirect" in values:
        old_names, errors = to_list(values["redirect"])
        for error in errors:
            report(Subtype.metadata, f"redirect: {error}; ignored", where("redirect"))
        found: list[str] = []
        for old in old_names:
            name = page_name(old)
            if name is None:
                report(Subtype.metadata, f"redirect: {old!r} is not a page name of this site "
                       "(such as 'blog/old-name'); ignored", where("redirect"))
            elif name != docname and name not in found:
                found.append(name)
        draft.redirects = tuple(found)

    image = values.get("image")
    if image not in (None, ""):
        if cover is not None:
            draft.image = cover(image, where("image"))
        else:
            try:
                draft.image = to_text(image)
            except MetadataError as exc:
                report(Subtype.image, f"image: {exc}", where("image"))
    return draft


def _cover(value: Any, document: nodes.Element, env: Any, docname: str,
           location: tuple[str, int], report: Report = warn) -> str:
    """The cover image's URI as written, or "" (with a warning) when it cannot be used."""
    if is_number(value):
        try:
            number = to_positive_int(value)
        except MetadataError as exc:
            report(Subtype.image, f"image: {exc}", location)
            return ""
        images = [n for n in document.findall(nodes.image)]
        if number > len(images):
            report(Subtype.image, f"image: the post has {len(images)} image(s), not {number}",
                 location)
            return ""
        return str(images[number - 1]["uri"])
    return check_image(value, env, docname, location, report)


def check_image(value: Any, env: Any, docname: str, location: tuple[str, int],
                report: Report = warn) -> str:
    """An image path or http(s) URL that can be used, or "" with a ``blogposts.image`` warning.

    A path is relative to the document (or to the source directory when it starts with
    ``/``); it must name a file inside the source directory.
    """
    try:
        uri = to_text(value)
    except MetadataError as exc:
        report(Subtype.image, f"image: {exc}", location)
        return ""
    if uri.startswith("data:"):
        if uri.lower().startswith("data:image/") and "," in uri:
            return uri
        report(Subtype.image, f"image: {uri[:40]!r}... is not an image data URI", location)
        return ""
    if _URL.match(uri):
        if uri.lower().startswith(("http://", "https://")):
            return uri
        report(Subtype.image, f"image: {uri!r} is not an http(s) URL or a file", location)
        return ""
    if any(ord(c) < 32 or ord(c) == 127 for c in uri):
        report(Subtype.image, f"image: {uri!r} has control characters; ignored", location)
        return ""
    try:
        _rel, abs_path = env.relfn2path(uri, docname)
        srcdir = osp.realpath(str(env.srcdir))
        real = osp.realpath(str(abs_path))
        inside = osp.commonpath([srcdir, real]) == srcdir
    except (ValueError, OSError):
        report(Subtype.image, f"image: {uri!r} is not a usable path; ignored", location)
        return ""
    if not inside:
        report(Subtype.image, f"image: {uri!r} is outside the source directory; ignored",
             location)
        return ""
    if not osp.isfile(real):
        report(Subtype.image, f"image: {uri!r} not found; ignored", location)
        return ""
    return uri
