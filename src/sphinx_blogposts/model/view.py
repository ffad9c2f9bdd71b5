"""What one build sees of the index: order, slugs, neighbours, related posts, listings and
archives, derived from :class:`~.posts.BlogIndex` once per build (and per change of it)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..base.config import ALL_POSTS, FACETS
from ..base.slugs import unique_slugs
from .posts import BlogIndex, CategoryDecl, Paragraph, Piece, Post, Query, paragraph_text
from .urls import RESERVED_SLUGS

if TYPE_CHECKING:
    from ..base.config import BlogConfig, SiteBlogs


@dataclass(frozen=True)
class AuthorInfo:
    """An author as shown: a known key of ``blogposts_authors`` or a guest."""

    name: str
    slug: str
    url: str = ""
    avatar: str = ""


class BlogView:
    """Derived, read-only view of the index for one build: order, slugs and relations."""

    def __init__(self, index: BlogIndex, config: BlogConfig, now: float,
                 link_title: Callable[[str, str], str | None] | None = None,
                 blogs: SiteBlogs | None = None) -> None:
        """The view of the blog ``config.key`` (every blog's posts for :data:`ALL_POSTS`);
        ``blogs``, the site's blogs when it has several, say which blog's folder holds a
        category declaration that names none, and each post's blog's drafts policy."""
        self.config = config
        self.now = now
        #: the view of a post's own blog, whose pages its cards link to (set on the
        #: all-posts index's view); None: this one
        self.home: Callable[[Post], BlogView] | None = None
        #: the title a cross-reference shows, ``(kind, target) -> title`` (None: unknown)
        self.link_title = link_title or (lambda kind, target: None)
        key = config.key
        #: every post of this blog, listed or not, oldest first
        self.members: list[Post] = sorted(
            (p for p in index.all_posts() if key == ALL_POSTS or p.blog == key),
            key=lambda p: p.sort_key)
        all_posts = self.members
        shows = {b.key for b in (blogs.blogs if blogs else ()) if b.drafts == "show"}
        show_drafts = config.drafts == "show"
        #: posts shown in lists, oldest first (on the all-posts index, as their blog lists
        #: them)
        self.chrono: list[Post] = [
            p for p in all_posts if not self.is_unpublished(p) or (
                p.blog in shows if key == ALL_POSTS else show_drafts)
        ]
        self.newest: list[Post] = self.chrono[::-1]
        pages = [p for p in all_posts if not p.section]
        #: unpublished posts with a page of their own, listed on the drafts page only
        #: (``blogposts_drafts = "unlisted"``): newest first, undated ones last
        self.drafts: list[Post] = [] if config.drafts != "unlisted" else sorted(
            (p for p in pages if self.is_unpublished(p)),
            key=lambda p: (p.undated, -p.date.timestamp, p.title.casefold(), p.key))
        paged = [p for p in self.chrono if not p.section] + self.drafts
        #: documents whose own post is not listed (a section post never hides its page)
        self.hidden: set[str] = {p.docname for p in pages} - {p.docname for p in paged}
        #: document -> its own post, when it has a page
        self.by_doc: dict[str, Post] = {p.docname: p for p in paged}
        #: key -> listed post, section posts included
        self.by_key: dict[str, Post] = {p.key: p for p in self.chrono}
        self._position = {p.key: i for i, p in enumerate(self.chrono)}

        decls: dict[str, CategoryDecl] = {}
        self.duplicate_decls: list[tuple[CategoryDecl, CategoryDecl]] = []
        for docname in sorted(index.categories):
            for decl in index.categories[docname]:
                if not _declares(decl, key, blogs):
                    continue
                if decl.name in decls:
                    self.duplicate_decls.append((decl, decls[decl.name]))
                else:
                    decls[decl.name] = decl
        self.category_decls = decls

        names = set(config.categories) | set(decls)
        tag_names: set[str] = set()
        author_keys: set[str] = set()
        self.category_posts: dict[str, list[Post]] = defaultdict(list)
        self.tag_posts: dict[str, list[Post]] = defaultdict(list)
        self.author_posts: dict[str, list[Post]] = defaultdict(list)
        for post in self.newest:
            for c in post.categories:
                self.category_posts[c].append(post)
            for t in post.tags:
                self.tag_posts[t].append(post)
            for a in post.authors:
                self.author_posts[a].append(post)
            names.update(post.categories)
            tag_names.update(post.tags)
            author_keys.update(post.authors)
        self.category_names = sorted(names, key=lambda n: (n.casefold(), n))
        self.tag_names = sorted(tag_names, key=lambda n: (n.casefold(), n))

        explicit = {n: d.slug for n, d in decls.items() if d.slug}
        self.category_slugs, self.category_clashes = _slugs(names, explicit)
        self.tag_slugs, self.tag_clashes = _slugs(tag_names, {})
        self.authors: dict[str, AuthorInfo] = {}
        known = config.authors
        display = {k: (known[k].name if k in known else k) for k in author_keys}
        if config.author_slugs == "name":  # ABlog's URLs: author/jane-doe
            named = {k: display[k] if sum(d == display[k] for d in display.values()) == 1
                     else f"{display[k]} {k}" for k in author_keys}
            by_name, self.author_clashes = _slugs(set(named.values()), {})
            author_slugs = {k: by_name[named[k]] for k in author_keys}
        else:
            author_slugs, self.author_clashes = _slugs(author_keys, {})
        for key in author_keys:
            spec = known.get(key)
            self.authors[key] = AuthorInfo(
                name=display[key],
                slug=author_slugs[key],
                url=spec.url if spec else "",
                avatar=spec.avatar if spec else "",
            )
        self.author_keys = sorted(author_keys, key=lambda k: (display[k].casefold(), k))
        # an unlisted draft's authors are shown on its page, even those with no page (yet)
        for post in self.drafts:
            for key in post.authors:
                if key not in self.authors:
                    spec = known.get(key)
                    self.authors[key] = AuthorInfo(
                        name=spec.name if spec else key, slug="",
                        url=spec.url if spec else "", avatar=spec.avatar if spec else "")

        #: the blog index's order: pinned posts first, each part newest first
        self.index_order: list[Post] = pinned_first(self.newest)
        #: series name -> its posts in reading order (``series_order``, then date)
        self.series_posts: dict[str, list[Post]] = defaultdict(list)
        for post in self.chrono:
            if post.series:
                self.series_posts[post.series].append(post)
        for parts in self.series_posts.values():
            parts.sort(key=series_key)
        self.series_names = sorted(self.series_posts, key=lambda n: (n.casefold(), n))
        self.series_slugs, self.series_clashes = _slugs(set(self.series_posts), {})

        #: taxonomy -> key -> its posts, newest first; its keys in order of name; slugs
        self.facet_posts: dict[str, dict[str, list[Post]]] = {}
        self.facet_keys: dict[str, list[str]] = {}
        self.facet_slugs: dict[str, dict[str, str]] = {}
        for kind in FACETS:
            grouped: dict[str, list[Post]] = defaultdict(list)
            for post in self.newest:
                for key in post.facet(kind):
                    grouped[key].append(post)
            label = {k: self.facet_name(kind, k) for k in grouped}
            self.facet_posts[kind] = grouped
            self.facet_keys[kind] = sorted(grouped, key=lambda k: (label[k].casefold(), k))
            self.facet_slugs[kind], _clashes = _slugs(set(label.values()), {})

    def facet_name(self, kind: str, key: str) -> str:
        """The name a taxonomy's key is shown by (``en`` -> ``English``)."""
        return self.config.facet(kind).get(key, key)

    def facet_slug(self, kind: str, key: str) -> str:
        return self.facet_slugs[kind][self.facet_name(kind, key)]

    def excerpt(self, post: Post) -> tuple[Paragraph, ...]:
        """The post's excerpt with each cross-reference replaced by its target's title (as
        Sphinx shows the link), so only ``""`` and ``"code"`` pieces remain."""
        cache: dict[str, tuple[Paragraph, ...]] = self.__dict__.setdefault("_excerpts", {})
        found = cache.get(post.key)
        if found is None:
            found = cache[post.key] = tuple(
                merge_pieces(self._resolved(piece) for piece in paragraph)
                for paragraph in post.excerpt)
        return found

    def _resolved(self, piece: Piece) -> Piece:
        kind, value = piece
        if kind in ("", "code"):
            return piece
        title = self.link_title(kind, value)
        return ("", title if title is not None else value)

    def excerpt_text(self, post: Post) -> tuple[str, ...]:
        """The resolved excerpt's paragraphs as plain text."""
        return tuple(paragraph_text(p) for p in self.excerpt(post))

    def description(self, post: Post) -> str:
        """The description: the one given, else the excerpt's first paragraph (in full:
        the page's metadata shortens it)."""
        if post.description:
            return post.description
        text = self.excerpt_text(post)
        return text[0] if text else ""

    def is_unpublished(self, post: Post) -> bool:
        """A draft, or scheduled: dated after "now"."""
        return post.draft or post.undated or post.date.timestamp > self.now

    def status(self, post: Post) -> str:
        """``published``, ``draft`` or ``scheduled``."""
        if post.draft or post.undated:
            return "draft"
        if post.date.timestamp > self.now:
            return "scheduled"
        return "published"

    def neighbours(self, docname: str) -> tuple[Post | None, Post | None]:
        """The previous (older) and next (newer) listed posts."""
        i = self._position.get(docname)
        if i is None:
            return None, None
        prev = self.chrono[i - 1] if i > 0 else None
        nxt = self.chrono[i + 1] if i + 1 < len(self.chrono) else None
        return prev, nxt

    def _group(self, group: list[Post]) -> tuple[list[float], list[int]]:
        """A group's negated timestamps (ascending) and recency ranks, cached: related()
        asks for them once per post."""
        cache: dict[int, tuple[list[float], list[int]]] = self.__dict__.setdefault(
            "_groups", {})
        found = cache.get(id(group))
        if found is None:
            rank = self._recency()[0]
            found = cache[id(group)] = ([-p.date.timestamp for p in group],
                                        [rank[p.key] for p in group])
        return found

    def series_of(self, post: Post) -> list[Post]:
        """The parts of the post's series in reading order (empty when it is in none)."""
        return self.series_posts.get(post.series, []) if post.series else []

    def related(self, post: Post, count: int = 3) -> list[Post]:
        """Posts sharing most tags (weight 2) and categories (weight 1); newest first on ties.

        Candidates come from each shared tag and category; a very large group contributes
        only its posts nearest in time, which keeps this linear in the number of posts.
        """
        if count <= 0:
            return []
        rank, order = self._recency()
        scores: dict[int, int] = {}
        groups = [(self.tag_posts.get(t, []), 2) for t in post.tags] + [
            (self.category_posts.get(c, []), 1) for c in post.categories
        ]
        for group, weight in groups:
            keys, ranks = self._group(group)
            for r in _nearest(ranks, keys, post, 50):
                scores[r] = scores.get(r, 0) + weight
        scores.pop(rank.get(post.key, -1), None)  # a hidden draft has no rank
        # highest score first, then newest (lowest rank): one integer per candidate, from
        # which the rank comes back as its remainder
        span = len(order) + 1
        best = sorted([r - score * span for r, score in scores.items()])[:count]
        return [order[value % span] for value in best]

    def _recency(self) -> tuple[dict[str, int], list[Post]]:
        """Docname -> rank and the posts by rank, newest first (ties by docname); computed
        once per view."""
        found: tuple[dict[str, int], list[Post]] | None = self.__dict__.get("_rank")
        if found is None:
            order = sorted(self.chrono, key=lambda p: (-p.date.timestamp, p.key))
            found = self.__dict__["_rank"] = ({p.key: i for i, p in enumerate(order)},
                                              order)
        return found

    def select(self, query: Query) -> list[Post]:
        """The posts a ``postlist`` shows."""
        posts: list[Post] = self.newest
        categories, tags, authors = query.categories, query.tags, query.authors
        if query.ignore_unknown:
            known = {a.name for a in self.authors.values()}
            categories = tuple(c for c in categories if c in self.category_posts)
            tags = tuple(t for t in tags if t in self.tag_posts)
            authors = tuple(a for a in authors if a in self.author_posts or a in known)
        if categories:
            wanted = set(categories)
            posts = [p for p in posts if wanted.intersection(p.categories)]
        if tags:
            wanted = set(tags)
            posts = [p for p in posts if wanted.intersection(p.tags)]
        if authors:
            wanted = set(authors)
            names = {k for k, a in self.authors.items() if a.name in wanted}
            wanted |= names
            posts = [p for p in posts if wanted.intersection(p.authors)]
        for kind, keys in query.facets:
            present = self.facet_posts.get(kind, {})
            by_name = {self.facet_name(kind, k): k for k in present}
            chosen = {by_name.get(k, k) for k in keys}  # a key, or the name it is shown by
            if query.ignore_unknown:
                chosen &= set(present)
                if not chosen:
                    continue
            posts = [p for p in posts if chosen.intersection(p.facet(kind))]
        if query.year is not None:
            posts = [p for p in posts if p.date.day.year == query.year]
        if query.sort == "oldest":
            posts = posts[::-1]
        posts = pinned_first(posts)
        if query.limit is not None:
            posts = posts[: query.limit]
        return posts

    def archive(self) -> list[tuple[int, list[tuple[int, list[Post]]]]]:
        """Posts grouped by year, then month, newest first."""
        return [(year, sorted(_by_key(posts, lambda p: p.date.day.month).items(),
                              key=lambda m: -m[0]))
                for year, posts in by_year(self.newest)]


def _declares(decl: CategoryDecl, key: str, blogs: SiteBlogs | None) -> bool:
    """Whether a ``category`` directive declares a category of the blog ``key``: the blog it
    names, else the blog whose folder holds its document, else every blog."""
    if decl.blog:
        return decl.blog == key
    folder = blogs.of_page(decl.docname) if blogs is not None else None
    return folder is None or folder.key in (key, ALL_POSTS)


def by_year(posts: list[Post]) -> list[tuple[int, list[Post]]]:
    """Posts (newest first) grouped by the year of their date, newest year first.

    Grouped by year, not by runs: posts are ordered by instant, so a post of 31 December at
    23:00-05:00 is newer than one of 1 January at 00:30+05:00, and a year can come back.
    """
    return sorted(_by_key(posts, lambda p: p.date.day.year).items(), key=lambda y: -y[0])


def _by_key(posts: list[Post], key: Callable[[Post], int]) -> dict[int, list[Post]]:
    """Posts grouped by ``key``, each group keeping the posts' order."""
    groups: dict[int, list[Post]] = {}
    for post in posts:
        groups.setdefault(key(post), []).append(post)
    return groups


def pinned_first(posts: list[Post]) -> list[Post]:
    """The same posts with the pinned ones moved to the top, each part keeping its order."""
    if not any(p.pinned for p in posts):
        return posts
    return [p for p in posts if p.pinned] + [p for p in posts if not p.pinned]


def series_key(post: Post) -> tuple[bool, int, float, str]:
    """Reading order in a series: ``series_order`` first (parts without one last), then date."""
    order = post.series_order
    return (order is None, order or 0, post.date.timestamp, post.key)


def _nearest(ranks: list[int], keys: list[float], post: Post, size: int) -> list[int]:
    """A group's ranks (newest first) whole when small, else those of the ``size`` posts
    nearest ``post``.

    ``keys`` are the group's negated timestamps (ascending), computed once per group.
    """
    if len(ranks) <= size:
        return ranks
    i = bisect.bisect_left(keys, -post.date.timestamp)
    lo = max(0, i - size // 2)
    return ranks[lo : lo + size]


def _slugs(
    names: set[str], explicit: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    return unique_slugs(names, RESERVED_SLUGS, explicit)


def merge_pieces(pieces: Iterable[Piece]) -> Paragraph:
    """Adjacent pieces of one kind joined into one."""
    out: list[Piece] = []
    for kind, text in pieces:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        elif text:
            out.append((kind, text))
    return tuple(out)
