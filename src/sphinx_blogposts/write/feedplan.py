"""What the feeds hold: which feeds the blog has (the blog's, each category's, tag's
and archive's), which posts each lists, and each entry's data."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..base.config import ALL_POSTS, BlogConfig, get_config
from ..model import urls
from ..model.view import by_year
from ..model.views import get_view
from .builders import has_pages
from .feedxml import EPOCH, FILENAMES, LABELS, MIME_TYPES, SUB_FORMATS, moment
from .seo import absolute_url, image_url, site_base

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..model.posts import Post
    from ..model.view import BlogView

logger = logging.getLogger("sphinx_blogposts")


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


def get_plan(app: Sphinx, blog: str | None = None) -> FeedPlan | None:
    """The feeds this build writes for one blog (by default the first), or None (no base
    URL, no formats, or not an HTML builder with generated pages).  Cached on the blog's
    view, so it is built once per build and builder."""
    if not has_pages(app.builder):
        return None
    cfg = get_config(app.config, blog)
    base = site_base(cfg)
    if not base or not cfg.feeds:
        return None
    view = get_view(app.env, cfg.key)
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
    # the all-posts index has no category, tag or archive pages: each blog has its own
    sub = tuple(f for f in cfg.feeds if f in SUB_FORMATS) if cfg.key != ALL_POSTS else ()
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
