"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the blog, each category and (optionally) each tag.

Feeds are written once per build, after every page (``build-finished``), by the HTML builders
that get the generated pages, and only when a base URL makes absolute links possible.  Their
content depends on the sources alone: the feed's date is its newest entry's, never the build
time, so two builds of the same sources give the same bytes, and a file whose bytes did not
change is not rewritten (its mtime stays, so watchers see no churn).

Text goes through :func:`xml_text` and :func:`xml_attr`, which drop the characters XML 1.0
forbids and escape the rest; HTML payloads (excerpts as HTML, full content) go into CDATA
sections, so they are escaped exactly once, and never carry a ``<script>`` element.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..base.config import BlogConfig, conf_location, get_config
from ..base.diagnostics import Subtype, guard, warn
from ..base.feed_templates import Templates
from ..base.nodes import html_block
from ..base.version import __version__
from ..model import urls
from ..model.blog import by_year, get_index
from ..model.collector import fingerprint, get_view
from .builders import has_pages
from .seo import GeneratedPage, absolute_url, generated_page, image_url, site_base
from .signatures import build_signature

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..base.dates import PostDate
    from ..model.blog import BlogView, Post

logger = logging.getLogger("sphinx_blogposts")

GENERATOR = "sphinx-blogposts"
FILENAMES = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}
MIME_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml",
              "json": "application/feed+json"}
LABELS = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
#: the formats a category or tag feed can have (JSON Feed is for the whole blog only)
SUB_FORMATS = ("atom", "rss")
#: the date of a feed without entries: fixed, so that it never depends on the build time
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


# -- text that is safe in XML ------------------------------------------------------------------

#: everything XML 1.0 forbids: control characters but tab, LF and CR, lone surrogates,
#: U+FFFE and U+FFFF
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_TAG = re.compile(r"<(/?)(script)", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_EVENT_ATTR = re.compile(r"""\s+on[a-zA-Z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")


def clean(text: str) -> str:
    """``text`` without the characters that XML 1.0 (and UTF-8) cannot carry."""
    return _ILLEGAL_XML.sub("", text)


def xml_text(text: str) -> str:
    """Character data: legal characters, ``&``, ``<`` and ``>`` escaped."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """An attribute value in double quotes; white space kept as character references."""
    return (xml_text(text).replace('"', "&quot;").replace("\t", "&#9;")
            .replace("\n", "&#10;").replace("\r", "&#13;"))


def without_scripts(fragment: str) -> str:
    """HTML with no ``<script>`` element nor ``on…`` event attribute: feed readers never run
    them, and must not."""
    fragment = _SCRIPT_ELEMENT.sub("", fragment)
    fragment = _SCRIPT_TAG.sub(r"&lt;\1\2", fragment)
    return _TAG.sub(lambda tag: _EVENT_ATTR.sub("", tag[0]), fragment)


class CData(str):
    """HTML to be written as a CDATA section (escaped once, readable as HTML)."""

    __slots__ = ()


def cdata(text: str) -> str:
    """A CDATA section holding ``text``; a ``]]>`` inside is split across two sections."""
    return "<![CDATA[" + clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Element:
    """A minimal XML element: attributes in order, text or child elements (no mixed content)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    children: list[Element] = field(default_factory=list)

    def add(self, tag: str, text: str | None = None, **attrs: str) -> Element:
        child = Element(tag.replace("__", ":"),
                        {k.replace("__", ":"): v for k, v in attrs.items()}, text)
        self.children.append(child)
        return child

    def lines(self, level: int = 0) -> Iterator[str]:
        pad = "  " * level
        attrs = "".join(f' {k}="{xml_attr(v)}"' for k, v in self.attrs.items())
        if self.children:
            yield f"{pad}<{self.tag}{attrs}>"
            for child in self.children:
                yield from child.lines(level + 1)
            yield f"{pad}</{self.tag}>"
        elif self.text is None:
            yield f"{pad}<{self.tag}{attrs}/>"
        else:
            body = cdata(self.text) if isinstance(self.text, CData) else xml_text(self.text)
            yield f"{pad}<{self.tag}{attrs}>{body}</{self.tag}>"


def xml_document(root: Element) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', *root.lines()]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- dates -----------------------------------------------------------------------------------

def moment(value: PostDate) -> datetime:
    """A post date as an aware datetime (a date without an offset is UTC, as in the model)."""
    dt = value.value
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def rfc3339(dt: datetime) -> str:
    """Atom and JSON Feed dates: ``2025-03-14T09:30:00+01:00``, ``…Z`` for UTC."""
    text = dt.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rfc822(dt: datetime) -> str:
    """RSS dates: ``Fri, 14 Mar 2025 09:30:00 +0100``."""
    return format_datetime(dt)


# -- what the feeds hold ----------------------------------------------------------------------

@dataclass(frozen=True)
class FeedSpec:
    """One feed (in one or more formats): where it goes, what it says and which posts it has."""

    directory: str
    title: str
    description: str
    #: the page the feed stands for (``rel="alternate"``)
    page: str
    formats: tuple[str, ...]
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class FeedPlan:
    """Every feed of one build, with its URLs: enough for discovery links, rendering nothing."""

    base: str
    site: FeedSpec
    categories: dict[str, FeedSpec]
    tags: dict[str, FeedSpec]
    #: authors', years', languages' and locations' feeds (``blogposts_archive_feeds``)
    archives: tuple[FeedSpec, ...] = ()

    def specs(self) -> list[FeedSpec]:
        return [self.site, *self.categories.values(), *self.tags.values(), *self.archives]

    def url(self, spec: FeedSpec, fmt: str) -> str:
        return f"{self.base}{spec.directory}/{FILENAMES[fmt]}"

    def links(self, spec: FeedSpec) -> list[str]:
        """``<link rel="alternate">`` tags for the page head."""
        return [
            f'<link rel="alternate" type="{MIME_TYPES[fmt]}" '
            f'title="{html.escape(f"{spec.title} ({LABELS[fmt]})")}" '
            f'href="{html.escape(self.url(spec, fmt))}" />'
            for fmt in spec.formats
        ]


def published(view: BlogView, posts: list[Post], length: int | None) -> tuple[Post, ...]:
    """The newest ``length`` (None: all) published posts: never a draft nor a scheduled
    post."""
    found: list[Post] = []
    for post in posts:
        if length is not None and len(found) >= length:
            break
        if view.status(post) == "published":
            found.append(post)
    return tuple(found)


def get_plan(app: Sphinx) -> FeedPlan | None:
    """The feeds this build writes, or None (no base URL, no formats, or not an HTML builder
    with generated pages).  Cached on the view, so it is built once per build and builder."""
    if not has_pages(app.builder):
        return None
    cfg = get_config(app.config)
    base = site_base(cfg)
    if not base or not cfg.feeds:
        return None
    view = get_view(app.env)
    key = f"_feed_plan:{app.builder.name}"
    plan: FeedPlan | None = view.__dict__.get(key)
    if plan is None:
        plan = view.__dict__[key] = _make_plan(cfg, view, base)
    return plan


def _make_plan(cfg: BlogConfig, view: BlogView, base: str) -> FeedPlan:
    site = FeedSpec(
        directory=cfg.path, title=cfg.title, description=" ".join(cfg.description.split()),
        page=urls.blog_index(cfg), formats=cfg.feeds,
        posts=published(view, view.newest, cfg.feed_length),
    )
    sub = tuple(f for f in cfg.feeds if f in SUB_FORMATS)
    categories: dict[str, FeedSpec] = {}
    tags: dict[str, FeedSpec] = {}
    if sub:
        for name in view.category_names:
            slug = view.category_slugs[name]
            decl = view.category_decls.get(name)
            description = decl.description if decl else cfg.categories.get(name, "")
            categories[name] = FeedSpec(
                directory=urls.category(cfg, slug), title=f"{cfg.title}: {name}",
                description=" ".join(description.split()), page=urls.category(cfg, slug),
                formats=sub,
                posts=published(view, view.category_posts.get(name, []), cfg.feed_length),
            )
        if cfg.tag_feeds:
            for name in view.tag_names:
                slug = view.tag_slugs[name]
                tags[name] = FeedSpec(
                    directory=urls.tag(cfg, slug), title=f"{cfg.title}: {name}",
                    description="", page=urls.tag(cfg, slug), formats=sub,
                    posts=published(view, view.tag_posts.get(name, []), cfg.feed_length),
                )
    archives: list[FeedSpec] = []
    if sub and cfg.archive_feeds:
        def spec(directory: str, name: str, page: str, posts: list[Post]) -> FeedSpec:
            return FeedSpec(directory=directory, title=f"{cfg.title}: {name}", description="",
                            page=page, formats=sub,
                            posts=published(view, posts, cfg.feed_length))

        for key in view.author_keys:
            info = view.authors[key]
            page = urls.author(cfg, info.slug)
            archives.append(spec(page, info.name, page, view.author_posts.get(key, [])))
        for year, posts in by_year(view.newest):
            archives.append(spec(f"{cfg.path}/{year}", str(year), urls.archive(cfg), posts))
        for kind, keys in sorted(view.facet_keys.items()):
            for key in keys:
                page = urls.facet(cfg, kind, view.facet_slug(kind, key))
                archives.append(spec(page, view.facet_name(kind, key), page,
                                     view.facet_posts[kind][key]))
    return FeedPlan(base=base, site=site, categories=categories, tags=tags,
                    archives=tuple(archives))


@dataclass(frozen=True)
class Entry:
    """One post as every feed format shows it."""

    url: str
    title: str
    published: datetime
    updated: datetime
    authors: tuple[tuple[str, str], ...]
    categories: tuple[str, ...]
    summary: str
    content: str
    image: str


def make_entry(app: Sphinx, view: BlogView, post: Post, content: str) -> Entry:
    first = moment(post.date)
    last = moment(post.updated) if post.updated else first
    categories = tuple(dict.fromkeys((*post.categories, *post.tags)))
    summary = "\n\n".join(view.excerpt_text(post)) or view.description(post)
    return Entry(
        url=absolute_url(app, post.key),
        title=post.title,
        published=first,
        updated=max(first, last),
        authors=tuple((view.authors[a].name, view.authors[a].url) for a in post.authors
                      if a in view.authors),
        categories=categories,
        summary=summary,
        content=content,
        image=image_url(app, post.image),
    )


def summary_html(summary: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in summary.split("\n\n") if p.strip())


def feed_updated(entries: list[Entry]) -> datetime:
    """The feed's date: its newest entry's, never the build time."""
    return max((e.updated for e in entries), default=EPOCH)


def fallback_author(app: Sphinx) -> str:
    author = str(getattr(app.config, "author", "") or "")
    if author and author != "Author name not set":
        return author
    return str(app.config.project or get_config(app.config).title)


def atom(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry],
         filename: str = FILENAMES["atom"]) -> bytes:
    cfg = get_config(app.config)
    root = Element("feed", {"xmlns": ATOM_NS, "xml:lang": cfg.language.replace("_", "-")})
    self_url = f"{plan.base}{spec.directory}/{filename}"
    root.add("id", self_url)
    root.add("title", spec.title, type="text")
    if spec.description:
        root.add("subtitle", spec.description, type="text")
    root.add("updated", rfc3339(feed_updated(entries)))
    root.add("link", rel="self", type="application/atom+xml", href=self_url)
    root.add("link", rel="alternate", type="text/html", href=absolute_url(app, spec.page))
    root.add("generator", GENERATOR, version=__version__)
    if any(not e.authors for e in entries) or not entries:
        root.add("author").add("name", fallback_author(app))
    for e in entries:
        item = root.add("entry")
        item.add("id", e.url)
        item.add("title", e.title, type="text")
        item.add("link", rel="alternate", type="text/html", href=e.url)
        item.add("published", rfc3339(e.published))
        item.add("updated", rfc3339(e.updated))
        for name, url in e.authors:
            author = item.add("author")
            author.add("name", name)
            if url:
                author.add("uri", url)
        for term in e.categories:
            item.add("category", term=term)
        if e.summary:
            item.add("summary", e.summary, type="text")
        if e.content:
            item.add("content", CData(e.content), type="html")
    return xml_document(root)


def rss(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry]) -> bytes:
    cfg = get_config(app.config)
    root = Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS,
                           "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS})
    channel = root.add("channel")
    channel.add("title", spec.title)
    channel.add("link", absolute_url(app, spec.page))
    channel.add("description", spec.description or spec.title)
    channel.add("atom__link", href=plan.url(spec, "rss"), rel="self",
                type="application/rss+xml")
    channel.add("language", cfg.language.replace("_", "-"))
    channel.add("generator", f"{GENERATOR} {__version__}")
    if entries:
        channel.add("lastBuildDate", rfc822(feed_updated(entries)))
    for e in entries:
        item = channel.add("item")
        item.add("title", e.title)
        item.add("link", e.url)
        item.add("guid", e.url, isPermaLink="true")
        item.add("pubDate", rfc822(e.published))
        for name, _url in e.authors:
            item.add("dc__creator", name)
        for term in e.categories:
            item.add("category", term)
        if e.summary:
            item.add("description", CData(summary_html(e.summary)))
        if e.content:
            item.add("content__encoded", CData(e.content))
    return xml_document(root)


def json_feed(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry]) -> bytes:
    cfg = get_config(app.config)
    data: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": absolute_url(app, spec.page),
        "feed_url": plan.url(spec, "json"),
    }
    if spec.description:
        data["description"] = spec.description
    data["language"] = cfg.language.replace("_", "-")
    items: list[dict[str, Any]] = []
    for e in entries:
        item: dict[str, Any] = {"id": e.url, "url": e.url, "title": e.title}
        if e.content:
            item["content_html"] = e.content
        else:
            item["content_text"] = e.summary or e.title
        if e.summary:
            item["summary"] = e.summary
        if e.image:
            item["image"] = e.image
        item["date_published"] = rfc3339(e.published)
        item["date_modified"] = rfc3339(e.updated)
        if e.authors:
            item["authors"] = [{"name": n, **({"url": u} if u else {})} for n, u in e.authors]
        if e.categories:
            item["tags"] = list(e.categories)
        items.append(item)
    data["items"] = items
    text = json.dumps(_cleaned(data), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _cleaned(value: Any) -> Any:
    """Every string of a JSON value without characters UTF-8 cannot encode (lone surrogates)
    nor the control characters that the XML feeds drop too."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


SERIALIZERS = {"atom": atom, "rss": rss, "json": json_feed}


# -- full content ----------------------------------------------------------------------------

_URL_ATTR = re.compile(r'(\s(?:href|src|poster|data)=)"([^"]*)"', re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: the pilcrow links Sphinx adds to headings: noise in a feed reader
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def absolutize(fragment: str, page_url: str) -> str:
    """Every relative ``href`` and ``src`` of an HTML fragment made absolute against the URL
    of the page the fragment was rendered for."""

    def attr(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        if not value or _SCHEME.match(value) or value.startswith("//"):
            return match[0]
        return f'{match[1]}"{html.escape(urljoin(page_url, value))}"'

    return _TAG.sub(lambda tag: _URL_ATTR.sub(attr, tag[0]), fragment)


_BUILDER_STATE = ("current_docname", "imgpath", "dlpath", "secnumbers", "fignumbers")


def render_content(app: Sphinx, post: Post, page_url: str) -> str:
    """The post's body as HTML with absolute URLs: its resolved doctree without the title,
    the metadata line and the footer (the feed shows those itself); the cover image stays."""
    builder: Any = app.builder
    env = app.env
    docname = post.docname
    saved = {name: getattr(builder, name, None) for name in _BUILDER_STATE}
    target = builder.get_target_uri(docname)
    try:
        builder.current_docname = docname
        builder.imgpath = relative_uri(target, builder.imagedir)
        builder.dlpath = relative_uri(target, "_downloads")
        builder.secnumbers = env.toc_secnumbers.get(docname, {})
        builder.fignumbers = env.toc_fignumbers.get(docname, {})
        # problems of the post were reported when it was written: do not repeat them
        with logging.suppress_logging():
            doctree = _resolved(app, docname)
            if post.section:
                _only_section(doctree, post.section)
            _strip(doctree)
            builder.post_process_images(doctree)
            # the writer's own path (``write_doc``): the builder's translator over the whole
            # doctree, so every node the page shows, any extension's included, renders here
            # too; render_partial would apply docutils' writer transforms, which know no
            # Sphinx node (``seealso``, ``versionmodified``, ``desc``)
            doctree.settings = builder.docsettings
            visitor = builder.create_translator(doctree, builder)
            doctree.walkabout(visitor)
            fragment = "".join(visitor.fragment)
    finally:
        for name, value in saved.items():
            setattr(builder, name, value)
    fragment = _HEADERLINK.sub("", fragment)
    return without_scripts(absolutize(fragment.strip(), page_url))


def _resolved(app: Sphinx, docname: str) -> nodes.document:
    resolve: Any = app.env.get_and_resolve_doctree
    if "tags" in inspect.signature(resolve).parameters:  # Sphinx 9 wants them
        return resolve(docname, app.builder, tags=app.builder.tags)  # type: ignore[no-any-return]
    return resolve(docname, app.builder)  # type: ignore[no-any-return]


def _only_section(doctree: nodes.document, section_id: str) -> None:
    """A section post's feed body is its section (ABlog's too), not the whole page."""
    for section in doctree.findall(nodes.section):
        if section_id in section["ids"]:
            doctree[:] = [section.deepcopy()]
            return


def _strip(doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            section.remove(section[0])
        break
    for node in list(doctree.findall(nodes.docinfo)):
        node.parent.remove(node)
    for block in list(doctree.findall(html_block)):  # a header without cover, a footer
        block.parent.remove(block)
    for box in list(doctree.findall(nodes.container)):
        classes: list[str] = box.get("classes", [])
        if "blogposts-post-footer" in classes:
            box.parent.remove(box)
        elif "blogposts-post-header" in classes:
            images: list[nodes.Node] = [img.deepcopy() for img in box.findall(nodes.image)]
            box.parent.replace(box, images)


# -- writing ---------------------------------------------------------------------------------

def _feed_files(outdir: Path, path: str) -> Iterator[Path]:
    """Files where this extension may have written a feed of the blog at ``path`` in an
    earlier build (a file is deleted only when :func:`_ours` says it is one of its feeds)."""
    blog = outdir / path
    for name in FILENAMES.values():
        yield blog / name
    yield from sorted(blog.glob("*.xml"))  # templated feeds, of this or an earlier build
    for kind in ("category", "tag", "author", "language", "location", "[0-9][0-9][0-9][0-9]"):
        pattern = f"{kind}/*/*.xml" if not kind.startswith("[") else f"{kind}/*.xml"
        yield from sorted(blog.glob(pattern))


def _ours(path: Path) -> bool:
    try:
        data = path.read_bytes()[:4096]
    except OSError:
        return False
    if path.suffix == ".json":
        return JSON_FEED_VERSION.encode() in data
    return b"<generator" in data and GENERATOR.encode() in data


def remove_stale(outdir: Path, cfg: BlogConfig | str, keep: set[Path]) -> int:
    """Delete feeds an earlier build wrote that this one does not (a category gone, a format
    dropped, the base URL removed, the whole blog moved: ``cfg`` is then its old path), never
    a file of someone else's nor outside the outdir."""
    removed = 0
    outdir = outdir.resolve()
    for path in _feed_files(outdir, cfg if isinstance(cfg, str) else cfg.path):
        resolved = path.resolve()
        if (resolved in keep or not resolved.is_file()
                or not resolved.is_relative_to(outdir) or not _ours(resolved)):
            continue
        resolved.unlink()
        removed += 1
    return removed


def write_if_changed(path: Path, data: bytes, outdir: Path) -> bool:
    """Write ``data`` unless the file already holds exactly it; True when written."""
    target = path.resolve()
    if not target.is_relative_to(outdir):
        raise ValueError(f"{path} is outside the output directory {outdir}")
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def write_feeds(app: Sphinx) -> None:
    """Write every feed of this build whose bytes changed; remove the feeds no longer made."""
    cfg = get_config(app.config)
    outdir = Path(app.builder.outdir).resolve()
    keep: set[Path] = set()
    plan = get_plan(app)
    if plan is None:
        if cfg.feeds and not cfg.baseurl:
            logger.info("sphinx-blogposts: feeds are not written: set blogposts_baseurl "
                        "(or html_baseurl) to the site's public URL to get them")
        elif cfg.feeds and not site_base(cfg):
            warn(Subtype.feed,
                 f"the base URL {cfg.baseurl!r} (blogposts_baseurl or html_baseurl) is not an "
                 "absolute http(s) URL; feeds are not written",
                 conf_location(app, "blogposts_baseurl", "html_baseurl"))
        remove_stale(outdir, cfg, keep)
        return
    view = get_view(app.env)
    specs = plan.specs()
    wanted: dict[str, Post] = {p.key: p for spec in specs for p in spec.posts}
    entries: dict[str, Entry] = {}
    cache = ContentCache(app) if cfg.feed_full_content and not cfg.feed_titles_only else None
    for name in sorted(wanted):
        post = wanted[name]
        content = ""
        if cache is not None:
            key = cache.key(post)
            cached = cache.get(name, key)
            if cached is None:
                content = _content_or_warn(app, post)
                cache.put(name, key, content)
            else:
                content = cached
        entry = make_entry(app, view, post, content)
        if cfg.feed_titles_only:
            entry = dataclasses.replace(entry, summary="", content="")
        entries[name] = entry
    if cache is not None:
        cache.save()
    written = unchanged = 0
    templates = Templates({name: dict(parts) for name, parts in cfg.feed_templates})

    def feed_bytes(spec: FeedSpec, filename: str) -> bytes:
        """A feed file of ``spec``: one of its formats, or a templated Atom feed."""
        name, _, _suffix = filename.rpartition(".")
        fmt = next((f for f, n in FILENAMES.items() if n == filename), "atom")
        spec_entries = [entries[p.key] for p in spec.posts]
        if fmt != "atom":
            return SERIALIZERS[fmt](app, plan, spec, spec_entries)
        shown = [templates.apply(name, view, p, e) for p, e in zip(spec.posts, spec_entries,
                                                                   strict=True)]
        return atom(app, plan, spec, shown, filename=filename)

    for spec in specs:
        filenames = [FILENAMES[fmt] for fmt in spec.formats]
        if "atom" in spec.formats:
            filenames += [f"{name}.xml" for name in templates.extra()]
        for filename in filenames:
            path = outdir / spec.directory / filename
            data = feed_bytes(spec, filename)
            keep.add(path.resolve())
            try:
                changed = write_if_changed(path, data, outdir)
            except OSError as exc:
                warn(Subtype.feed, f"cannot write the feed {path.relative_to(outdir)}: {exc}")
                continue
            if changed:
                written += 1
            else:
                unchanged += 1
    removed = remove_stale(outdir, cfg, keep)
    logger.info(f"sphinx-blogposts: feeds: {written} written, {unchanged} unchanged"
                + (f", {removed} removed" if removed else ""))


class ContentCache:
    """The rendered content of feed entries from the last build, so that a build renders
    only the posts that changed.

    Kept in the doctree directory, Sphinx's own cache, next to the doctrees it depends on.
    An entry is reused while its key holds: the post's doctree file (rewritten whenever the
    post is read again), what the blog shows in it, its URL, its images, the configuration
    and templates, and this package's version.  Like Sphinx's own pages, it is not redone
    when only the title of a document it links to changes.
    """

    FILENAME = "blogposts-feed-content.json"

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.path = Path(app.doctreedir) / self.FILENAME
        self.builder = app.builder.name
        self.data: dict[str, dict[str, list[str]]] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.data = loaded
        except (OSError, ValueError):
            pass
        old = self.data.get(self.builder)
        self.old: dict[str, list[str]] = old if isinstance(old, dict) else {}
        self.fresh: dict[str, list[str]] = {}

        self.signature = repr((__version__, build_signature(app)))

    def key(self, post: Post) -> str:
        env = self.app.env
        docname = post.docname
        try:
            stat = (Path(env.doctreedir) / f"{docname}.doctree").stat()
            doctree = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            doctree = (0, 0)
        deps = sorted(str(dep) for dep in env.dependencies.get(docname, ()))
        images = [(dep, str(env.images[dep][1])) for dep in deps if dep in env.images]
        data = (self.signature, doctree, absolute_url(self.app, post.key), images,
                fingerprint(get_view(env), get_index(env), docname))
        return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()

    def get(self, docname: str, key: str) -> str | None:
        entry = self.old.get(docname)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            self.fresh[docname] = entry
            return str(entry[1])
        return None

    def put(self, docname: str, key: str, content: str) -> None:
        if content:  # a failed rendering is tried again next time
            self.fresh[docname] = [key, content]

    def save(self) -> None:
        if self.fresh == self.old:
            return
        self.data[self.builder] = self.fresh
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # only a cache: the next build renders again


def _content_or_warn(app: Sphinx, post: Post) -> str:
    try:
        return render_content(app, post, absolute_url(app, post.key))
    except Exception as exc:
        warn(Subtype.feed,
             f"the content of this post could not be rendered for the feeds "
             f"({exc.__class__.__name__}: {exc}); its entries carry the excerpt only",
             (post.docname, post.line))
        return ""


@guard(lambda app, exception: "writing the blog feeds")
def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the feeds once every document and page is written."""
    if exception is not None or not has_pages(app.builder):
        return
    write_feeds(app)


# -- discovery -------------------------------------------------------------------------------

@guard(lambda app, pagename, *args: f"adding the feed links of {pagename!r}")
def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Link the site feed from every page, and a category's (or tag's) feed from its pages
    and, for categories, from its posts."""
    plan = get_plan(app)
    if plan is None:
        return
    links = plan.links(plan.site)
    post = get_view(app.env).by_doc.get(pagename) if doctree is not None else None
    if post is not None:
        for name in post.categories:
            if name in plan.categories:
                links += plan.links(plan.categories[name])
    elif doctree is None:
        page: GeneratedPage | None = generated_page(app.env, pagename)
        if page is not None and page.kind == "category" and page.name in plan.categories:
            links += plan.links(plan.categories[page.name])
        elif page is not None and page.kind == "tag" and page.name in plan.tags:
            links += plan.links(plan.tags[page.name])
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links) + "\n"


def setup_feeds(app: Sphinx) -> None:
    app.connect("build-finished", on_build_finished)
    app.connect("html-page-context", on_html_page_context)
