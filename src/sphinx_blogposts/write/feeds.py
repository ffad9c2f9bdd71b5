"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the blog, each category and (optionally) each tag.

Feeds are written once per build, after every page (``build-finished``), by the HTML builders
that get the generated pages, and only when a base URL makes absolute links possible.  Their
content depends on the sources alone: the feed's date is its newest entry's, never the build
time, so two builds of the same sources give the same bytes, and a file whose bytes did not
change is not rewritten (its mtime stays, so watchers see no churn).

Text goes through :func:`feedxml.xml_text` and :func:`feedxml.xml_attr`, which drop the
characters XML 1.0 forbids and escape the rest; HTML payloads (excerpts as HTML, full
content) go into CDATA sections, so they are escaped exactly once, and never carry a
``<script>`` element.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..base.config import BlogConfig, conf_location, get_blogs, get_config
from ..base.diagnostics import Subtype, guard, warn
from ..base.feed_templates import Templates
from ..base.version import __version__
from ..model.views import blog_of, fingerprint, get_view
from .builders import has_pages
from .feedxml import FILENAMES, GENERATOR, JSON_FEED_VERSION
from .seo import GeneratedPage, absolute_url, generated_page, site_base
from .signatures import build_signature

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..model.posts import Post
    from .feedplan import Entry, FeedPlan, FeedSpec

logger = logging.getLogger("sphinx_blogposts")


def get_plan(app: Sphinx, blog: str | None = None) -> FeedPlan | None:
    """:func:`feedplan.get_plan`, whose planner, serializers and content renderer are
    imported only by a build that writes feeds: on a site without a base URL (or feed
    formats), or a builder without the generated pages, that was ~2.5 ms of every build's
    import (measured with ``-X importtime``; the feed modules ~6 ms with feedxml's regex)."""
    if not has_pages(app.builder):
        return None
    cfg = get_config(app.config, blog)
    if not cfg.feeds or not site_base(cfg):
        return None
    from .feedplan import get_plan as plan_of

    return plan_of(app, blog)


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
    """Write every feed of this build whose bytes changed (each blog's, and the all-posts
    index's); remove the feeds no longer made."""
    blogs = get_blogs(app.config)
    cfg = blogs.default
    outdir = Path(app.builder.outdir).resolve()
    keep: set[Path] = set()
    plans = [(blog, plan) for blog in blogs.listed()
             if (plan := get_plan(app, blog.key)) is not None]
    if not plans:
        if cfg.feeds and not cfg.baseurl:
            logger.info("sphinx-blogposts: feeds are not written: set blogposts_baseurl "
                        "(or html_baseurl) to the site's public URL to get them")
        elif cfg.feeds and not site_base(cfg):
            warn(Subtype.feed,
                 f"the base URL {cfg.baseurl!r} (blogposts_baseurl or html_baseurl) is not an "
                 "absolute http(s) URL; feeds are not written",
                 conf_location(app, "blogposts_baseurl", "html_baseurl"))
        for blog in blogs.listed():
            remove_stale(outdir, blog, keep)
        return
    entries = _entries(app, plans)
    written = unchanged = 0
    for blog, plan in plans:
        for path, data in _feed_files_of(app, blog, plan, entries):
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
    # once every blog's feeds are known: a blog's folder may hold another's
    removed = sum(remove_stale(outdir, blog, keep) for blog in blogs.listed())
    logger.info(f"sphinx-blogposts: feeds: {written} written, {unchanged} unchanged"
                + (f", {removed} removed" if removed else ""))


def _entries(app: Sphinx, plans: list[tuple[BlogConfig, FeedPlan]]) -> dict[str, Entry]:
    """Every post of the feeds as an entry, each rendered once (it may be in several
    feeds, of its blog and of the all-posts index), as its own blog shows it."""
    from .feedplan import make_entry

    wanted: dict[str, Post] = {p.key: p for _blog, plan in plans for spec in plan.specs()
                               for p in spec.posts}
    # a post's entry is as its own blog's values say, in whichever feed it stands
    blogs = get_blogs(app.config).blogs
    full = {b.key for b in blogs if b.feed_full_content and not b.feed_titles_only}
    titles_only = {b.key for b in blogs if b.feed_titles_only}
    entries: dict[str, Entry] = {}
    cache = ContentCache(app) if any(p.blog in full for p in wanted.values()) else None
    for name in sorted(wanted):
        post = wanted[name]
        content = ""
        if cache is not None and post.blog in full:
            key = cache.key(post)
            cached = cache.get(name, key)
            if cached is None:
                content = _content_or_warn(app, post)
                cache.put(name, key, content)
            else:
                content = cached
        entry = make_entry(app, get_view(app.env, post.blog), post, content)
        if post.blog in titles_only:
            entry = dataclasses.replace(entry, summary="", content="")
        entries[name] = entry
    if cache is not None:
        cache.save()
    return entries


def _feed_files_of(app: Sphinx, blog: BlogConfig, plan: FeedPlan,
                   entries: dict[str, Entry]) -> Iterator[tuple[Path, bytes]]:
    """The feed files of one blog (or of the all-posts index) and their bytes."""
    from .feedformats import SERIALIZERS, atom

    outdir = Path(app.builder.outdir).resolve()
    templates = Templates({name: dict(parts) for name, parts in blog.feed_templates})

    def feed_bytes(spec: FeedSpec, filename: str) -> bytes:
        """A feed file of ``spec``: one of its formats, or a templated Atom feed."""
        name, _, _suffix = filename.rpartition(".")
        fmt = next((f for f, n in FILENAMES.items() if n == filename), "atom")
        spec_entries = [entries[p.key] for p in spec.posts]
        if fmt != "atom":
            return SERIALIZERS[fmt](app, plan, spec, spec_entries)
        shown = [templates.apply(name, get_view(app.env, p.blog), p, e)
                 for p, e in zip(spec.posts, spec_entries, strict=True)]
        return atom(app, plan, spec, shown, filename=filename)

    for spec in plan.specs():
        filenames = [FILENAMES[fmt] for fmt in spec.formats]
        if "atom" in spec.formats:
            filenames += [f"{name}.xml" for name in templates.extra()]
        for filename in filenames:
            yield outdir / spec.directory / filename, feed_bytes(spec, filename)


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
                fingerprint(env, docname))
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
    from .feedcontent import render_content

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
    """Link the blog's feed from every page (on a site of several blogs: the page's blog's,
    and every blog's from pages outside them), and a category's (or tag's) feed from its
    pages and, for categories, from its posts."""
    blogs = get_blogs(app.config)
    if all(get_plan(app, b.key) is None for b in blogs.listed()):
        return  # no feeds (no base URL): nothing to link, nothing to look up per page
    page: GeneratedPage | None = None
    post = None
    if doctree is not None:
        key = blog_of(app.env, pagename)
        post = get_view(app.env, key).by_doc.get(pagename)
    else:
        page = generated_page(app.env, pagename)
        key = page.blog if page is not None else blog_of(app.env, pagename)
    own = post is not None or page is not None or blogs.of_page(pagename) is not None
    shown = [key] if own or not blogs.several else [b.key for b in blogs.listed()]
    links: list[str] = []
    for blog in shown:
        plan = get_plan(app, blog)
        if plan is not None:
            links += plan.links(plan.site)
    plan = get_plan(app, key)
    if plan is None:
        if links:
            context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links) + "\n"
        return
    if post is not None:
        for name in post.categories:
            if name in plan.categories:
                links += plan.links(plan.categories[name])
    elif page is not None:
        if page.kind == "category" and page.name in plan.categories:
            links += plan.links(plan.categories[page.name])
        elif page.kind == "tag" and page.name in plan.tags:
            links += plan.links(plan.tags[page.name])
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links) + "\n"


def setup_feeds(app: Sphinx) -> None:
    app.connect("build-finished", on_build_finished)
    app.connect("html-page-context", on_html_page_context)
