"""The view of the index one build sees (made once per change of the index), and the
digests of what lists and documents show, compared from one build to the next."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes

from ..base.config import ALL_POSTS, get_blogs
from ..base.dates import now_timestamp
from .cards import post_data, query_data
from .posts import (
    BlogIndex,
    Post,
    Query,
    get_index,
)
from .view import BlogView

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def listing_digest(env: BuildEnvironment) -> str:
    """A digest of everything a post list, a neighbour link, a post header or a generated
    page can show of the blogs: every post's card and its status (which is where "now"
    counts), the category declarations, the images they name, and the configuration.
    Computed once per view, in linear time."""
    digests = [_listing_digest(env, view) for view in get_views(env)]
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha1(repr(digests).encode("utf-8")).hexdigest()


def _listing_digest(env: BuildEnvironment, view: BlogView) -> str:
    cached: str | None = view.__dict__.get("_listing_digest")
    if cached is not None:
        return cached
    index = get_index(env)
    digest = hashlib.sha1()
    # a card is made of its post's fields and of its view's configuration, author names
    # and slugs: digest those instead of making every post's card (on a body edit at 5000
    # posts, 45,000 objects kept for the build: enough to cost a full garbage collection)
    shown: dict[str, BlogView] = {}
    for post in sorted(view.members, key=lambda p: p.key):
        if post.key not in view.by_key:  # shown nowhere (its tags may have no page): only that
            digest.update(repr(("hidden", post.key)).encode("utf-8"))
            continue
        home = view if view.home is None else view.home(post)
        shown.setdefault(home.config.key, home)
        digest.update(repr(_card_inputs(home, post)).encode("utf-8"))
    for home in [view, *(v for _, v in sorted(shown.items()) if v is not view)]:
        digest.update(repr(_view_inputs(home)).encode("utf-8"))
    images = {p.image for p in view.members if p.image}
    for docname in sorted(index.categories):
        for decl in index.categories[docname]:
            body = [n.pformat() for n in decl.body if isinstance(n, nodes.Node)]
            digest.update(repr((decl, body)).encode("utf-8"))
            if decl.image:
                images.add(decl.image)
    found = [(i, str(env.images[i][1]) if i in env.images else "") for i in sorted(images)]
    digest.update(repr(found).encode("utf-8"))
    value = view.__dict__["_listing_digest"] = digest.hexdigest()
    return value


def _view_inputs(view: BlogView) -> tuple[object, ...]:
    """What :func:`~.cards.make_card` reads of a view: its configuration (date formats,
    language, URLs, reading speed), its authors' names and slugs, its taxonomies' slugs."""
    return (view.config, sorted(view.authors.items()), sorted(view.category_slugs.items()),
            sorted(view.tag_slugs.items()))


def _card_inputs(view: BlogView, post: Post) -> tuple[object, ...]:
    """Everything :func:`~.cards.make_card` reads of a post besides its view's maps (see
    :func:`_listing_digest`), and what orders and groups it; the reading time, not the
    word count; the titles its excerpt's cross-references show."""
    updated = post.updated
    links = tuple(view.link_title(kind, value) for paragraph in post.excerpt
                  for kind, value in paragraph if kind not in ("", "code"))
    return (
        post.key, post.title, post.undated, post.date.timestamp, post.date.value,
        post.date.has_time, (updated.value, updated.has_time) if updated else None,
        post.authors, post.categories, post.tags,
        max(1, math.ceil(post.words / view.config.words_per_minute)),
        post.excerpt, links, post.image, post.image_alt, view.status(post), post.pinned,
        post.external_link, post.series, post.series_order,
    )


def fingerprint(env: BuildEnvironment, docname: str) -> str:
    """A digest of the blog content a document shows: its own post (as its blog shows it)
    and its post lists."""
    index = get_index(env)
    view = get_view(env, blog_of(env, docname))
    data = (
        docname in view.hidden,
        post_data(view, docname),
        tuple(query_data(query_view(env, docname, q), q)
              for q in index.queries.get(docname, ())),
    )
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


_VIEWS: WeakKeyDictionary[BlogIndex, tuple[int, dict[str, BlogView]]] = WeakKeyDictionary()


def get_view(env: BuildEnvironment, blog: str | None = None) -> BlogView:
    """The view of one blog (by default the first; :data:`ALL_POSTS`: every blog's posts)
    of the current index, built once per change of the index."""
    index = get_index(env)
    blogs = get_blogs(env.config)
    cfg = blogs.default if blog is None else blogs.get(blog)
    if cfg is None:
        cfg = replace(blogs.site, key=ALL_POSTS) if blog == ALL_POSTS else blogs.default
    cached = _VIEWS.get(index)
    if cached is None or cached[0] != index.revision:
        cached = _VIEWS[index] = (index.revision, {})
    view = cached[1].get(cfg.key)
    if view is None:
        view = cached[1][cfg.key] = BlogView(index, cfg, now_timestamp(cfg.now),
                                             _link_titles(env),
                                             blogs if blogs.several else None)
        if cfg.key == ALL_POSTS:  # its cards link to each post's own blog's pages
            view.home = lambda post: get_view(env, post.blog)
    return view


def get_views(env: BuildEnvironment) -> list[BlogView]:
    """Every blog's view, then the all-posts index's (``blogposts_all_posts``)."""
    return [get_view(env, b.key) for b in get_blogs(env.config).listed()]


def blog_of(env: BuildEnvironment, pagename: str) -> str:
    """The key of the blog a page is in: a post's own blog, else the blog (or the all-posts
    index) whose folder holds it, else the first blog."""
    blogs = get_blogs(env.config)
    if not blogs.several:
        return blogs.default.key
    post = get_index(env).posts.get(pagename)
    if post is not None:
        return post.blog
    found = blogs.of_page(pagename)
    return (found or blogs.default).key


def query_view(env: BuildEnvironment, docname: str, query: Query) -> BlogView:
    """The view a post list shows: the blog it names (``all``: every blog's posts), else the
    blog of the page it stands on."""
    if query.blog == "all":
        return get_view(env, ALL_POSTS)
    blogs = get_blogs(env.config)
    if query.blog and blogs.get(query.blog) is not None:
        return get_view(env, query.blog)
    return get_view(env, blog_of(env, docname))


def hidden_docs(env: BuildEnvironment) -> set[str]:
    """Documents that are posts nobody may see (drafts under ``"hide"``, scheduled posts):
    of every blog."""
    blogs = get_blogs(env.config).blogs
    first = get_view(env, blogs[0].key)
    if len(blogs) == 1:
        return first.hidden
    found: set[str] | None = first.__dict__.get("_hidden_docs")
    if found is None:
        found = set()
        for blog in blogs:  # not the all-posts index's: a blog's drafts policy is its own
            found |= get_view(env, blog.key).hidden
        first.__dict__["_hidden_docs"] = found
    return found


def _link_titles(env: BuildEnvironment) -> Callable[[str, str], str | None]:
    """What an excerpt's cross-reference shows: the document's or the section's title."""

    def title(kind: str, target: str) -> str | None:
        if kind == "doc":
            node = env.titles.get(target)
            return node.astext() if node is not None else None
        if kind == "ref":
            labels = getattr(env.get_domain("std"), "labels", {})
            found = labels.get(target)
            return str(found[2]) if found and found[2] else None
        return None

    return title
