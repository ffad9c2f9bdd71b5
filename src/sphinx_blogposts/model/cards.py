"""What lists, headers and cards show of a post, as hashable data (:class:`Card`).

Computed from the view once per build and hashed into each page's fingerprint, so that an
incremental build knows which pages show something that changed; the nodes and pages are
built from cards only (:mod:`sphinx_blogposts.write.render`), so a page whose fingerprint is
unchanged renders the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..base.dates import format_day
from . import urls
from .posts import Paragraph, Post, Query
from .view import BlogView


# slots: a big blog keeps tens of thousands of these for a whole build, and every full
# garbage collection walks them (an instance without a __dict__ is one object, not two)
@dataclass(frozen=True, slots=True)
class Named:
    """A category, tag or author as shown: its name and the page it links to."""

    name: str
    page: str


@dataclass(frozen=True, slots=True)
class Card:
    """Everything a list, header or card shows of one post."""

    #: the post's link target: its document, or ``docname#section`` for a section post
    docname: str
    title: str
    date_iso: str
    date_text: str
    #: the date as post lists and dated titles show it (``blogposts_date_format_short``)
    date_short: str
    updated_iso: str
    updated_text: str
    authors: tuple[Named, ...]
    categories: tuple[Named, ...]
    tags: tuple[Named, ...]
    minutes: int
    #: resolved: text and inline code pieces only
    excerpt: tuple[Paragraph, ...]
    image: str
    image_alt: str
    status: str
    pinned: bool = False
    #: where lists send readers instead of the post's page (``external_link``), or ""
    external: str = ""


@dataclass(frozen=True)
class SeriesInfo:
    """A post's series as its box shows it: name, page, parts in order, the post's place."""

    name: str
    page: str
    parts: tuple[Card, ...]
    position: int


def make_card(view: BlogView, post: Post) -> Card:
    """The card of a post (memoised on the view, which lives for one build); on the
    all-posts index's view, the card its own blog shows."""
    if view.home is not None:
        return make_card(view.home(post), post)
    cache: dict[str, Card] = view.__dict__.setdefault("_cards", {})
    card = cache.get(post.key)
    if card is None:
        cfg = view.config
        dated = not post.undated  # an undated draft shows no date anywhere
        card = cache[post.key] = Card(
            docname=post.key,
            title=post.title,
            date_iso=post.date.isoformat() if dated else "",
            date_text=format_day(post.date.day, cfg.date_format, cfg.language) if dated else "",
            date_short=format_day(post.date.day, cfg.date_format_short or cfg.date_format,
                                  cfg.language) if dated else "",
            updated_iso=post.updated.isoformat() if post.updated else "",
            updated_text=(format_day(post.updated.day, cfg.date_format, cfg.language)
                          if post.updated else ""),
            # "": no page, for the names only an unlisted draft has (shown as text)
            authors=tuple(
                Named(view.authors[a].name,
                      urls.author(cfg, view.authors[a].slug) if view.authors[a].slug else "")
                for a in post.authors
            ),
            categories=tuple(
                Named(c, urls.category(cfg, view.category_slugs[c])
                      if c in view.category_slugs else "") for c in post.categories
            ),
            tags=tuple(Named(t, urls.tag(cfg, view.tag_slugs[t]) if t in view.tag_slugs
                             else "") for t in post.tags),
            minutes=max(1, math.ceil(post.words / cfg.words_per_minute)),
            excerpt=view.excerpt(post),
            image=post.image,
            image_alt=post.image_alt,
            status=view.status(post),
            pinned=post.pinned,
            external=post.external_link,
        )
    return card


def series_info(view: BlogView, post: Post) -> SeriesInfo | None:
    """The series box of a post, or None when it is in no (listed) series."""
    parts = view.series_of(post)
    if not parts:
        return None
    position = next((i for i, p in enumerate(parts) if p.key == post.key), -1)
    if position < 0:
        return None
    slug = view.series_slugs[post.series]
    return SeriesInfo(
        name=post.series,
        page=urls.series(view.config, slug),
        parts=tuple(make_card(view, p) for p in parts),
        position=position,
    )


def post_data(view: BlogView, docname: str) -> tuple[Any, ...]:
    """What a post's header and footer show: the post, its neighbours and related posts.

    Memoised on the view: the fingerprint, the header and the footer all ask for it.
    """
    cache: dict[str, tuple[Any, ...]] = view.__dict__.setdefault("_post_data", {})
    data = cache.get(docname)
    if data is not None:
        return data
    post = view.by_doc.get(docname)
    if post is None:
        data = ()
    else:
        prev, nxt = view.neighbours(docname)
        data = (
            make_card(view, post),
            make_card(view, prev) if prev else None,
            make_card(view, nxt) if nxt else None,
            tuple(make_card(view, p)
                  for p in view.related(post, view.config.related_count)),
            series_info(view, post),
        )
    cache[docname] = data
    return data


def query_data(view: BlogView, query: Query) -> tuple[Card, ...]:
    """The cards a ``postlist`` shows."""
    return tuple(make_card(view, p) for p in view.select(query))
