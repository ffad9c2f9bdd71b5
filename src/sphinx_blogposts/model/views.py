"""The view of the index one build sees (made once per change of the index), and the
digests of what lists and documents show, compared from one build to the next."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes

from ..base.config import get_config
from ..base.dates import now_timestamp
from .cards import make_card, post_data, query_data
from .posts import (
    BlogIndex,
    get_index,
)
from .view import BlogView

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def listing_digest(env: BuildEnvironment) -> str:
    """A digest of everything a post list, a neighbour link, a post header or a generated
    page can show of the blog: every post's card and its status (which is where "now" counts), the
    category declarations, the images they name, and the configuration.  Computed once per
    view, in linear time.
    """
    view = get_view(env)
    cached: str | None = view.__dict__.get("_listing_digest")
    if cached is not None:
        return cached
    index = get_index(env)
    digest = hashlib.sha1(repr(view.config).encode("utf-8"))
    for post in index.all_posts():
        if post.key not in view.by_key:  # shown nowhere (its tags may have no page): only that
            digest.update(repr(("hidden", post.key)).encode("utf-8"))
            continue
        # what lists show of a post (its card: reading time, not its word count), and what
        # orders and groups it
        data = (make_card(view, post), post.date.timestamp, post.series, post.series_order)
        digest.update(repr(data).encode("utf-8"))
    images = {p.image for p in index.all_posts() if p.image}
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


def fingerprint(view: BlogView, index: BlogIndex, docname: str) -> str:
    """A digest of the blog content a document shows."""
    data = (
        docname in view.hidden,
        post_data(view, docname),
        tuple(query_data(view, q) for q in index.queries.get(docname, ())),
    )
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


_VIEWS: WeakKeyDictionary[BlogIndex, tuple[int, BlogView]] = WeakKeyDictionary()


def get_view(env: BuildEnvironment) -> BlogView:
    """The view of the current index, built once per change of the index."""
    index = get_index(env)
    cached = _VIEWS.get(index)
    if cached is not None and cached[0] == index.revision:
        return cached[1]
    cfg = get_config(env.config)
    view = BlogView(index, cfg, now_timestamp(cfg.now), _link_titles(env))
    _VIEWS[index] = (index.revision, view)
    return view


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
