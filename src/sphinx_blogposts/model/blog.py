"""The blog's data: posts, categories, listings, and the index kept in the Sphinx env.

:class:`BlogIndex` holds only what was read from sources, one entry per document, so that
purging and merging a document is a dictionary operation.  :class:`BlogView` derives everything
else (order, slugs, neighbours, related posts) from it, once per build.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..base.config import FACETS
from ..base.dates import PostDate
from ..base.slugs import unique_slugs
from .urls import RESERVED_SLUGS

if TYPE_CHECKING:
    from ..base.config import BlogConfig

#: one run of an excerpt's paragraph: ``("", text)``, ``("code", text)`` (inline code), or a
#: cross-reference shown by its target's title, known only once every document is read:
#: ``("doc", docname)``, ``("ref", label)``
Piece = tuple[str, str]
Paragraph = tuple[Piece, ...]


def plain_paragraph(text: str) -> Paragraph:
    """A paragraph of text only (an excerpt written in front matter or a directive)."""
    return (("", text),) if text else ()


def paragraph_text(paragraph: Paragraph) -> str:
    """A resolved paragraph as plain text."""
    return "".join(text for _kind, text in paragraph)


@dataclass(frozen=True)
class Post:
    """One post, as read from its front matter, ``post`` directive and body."""

    docname: str
    title: str
    date: PostDate
    updated: PostDate | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: the excerpt's paragraphs, cross-references unresolved: see :meth:`BlogView.excerpt`
    excerpt: tuple[Paragraph, ...] = ()
    #: the description given in the metadata; see :meth:`BlogView.description`
    description: str = ""
    image: str = ""
    image_alt: str = ""
    draft: bool = False
    words: int = 0
    line: int = 1
    #: metadata key -> the source line it was written on, for warnings about it
    lines: tuple[tuple[str, int], ...] = ()
    #: ``pin: true``: kept on top of the blog index and of post lists
    pinned: bool = False
    #: the name of the series the post belongs to, or ""
    series: str = ""
    #: its place in the series (``series_order``); by date when None
    series_order: int | None = None
    #: page names where the post stood before (``redirect``): each gets a redirect page
    redirects: tuple[str, ...] = ()
    #: where lists send readers instead of the post's page (``external_link``), or ""
    external_link: str = ""
    #: ("language", keys), ("location", keys): taxonomies besides categories and tags
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the id of the section a second ``post`` directive made a post of, "" for a page's
    #: own post (ABlog's "posting sections")
    section: str = ""
    #: written without a date (a draft, see ``blogposts_undated_drafts``): its date is a
    #: placeholder that is never shown
    undated: bool = False

    @property
    def key(self) -> str:
        """The post's identity and link target: ``docname``, or ``docname#section``."""
        return f"{self.docname}#{self.section}" if self.section else self.docname

    def facet(self, kind: str) -> tuple[str, ...]:
        """The post's keys in one taxonomy (``language``, ``location``)."""
        for name, keys in self.facets:
            if name == kind:
                return keys
        return ()

    def line_of(self, key: str) -> int:
        """The line of a metadata key, else the post's own line."""
        return dict(self.lines).get(key, self.line)

    @property
    def sort_key(self) -> tuple[float, str]:
        """Chronological order, ties broken by key so the order is stable."""
        return (self.date.timestamp, self.key)


@dataclass(frozen=True)
class CategoryDecl:
    """A ``category`` directive: where it stands and what it declares."""

    name: str
    docname: str
    line: int
    slug: str = ""
    image: str = ""
    #: the description as text, for fingerprints and feeds
    description: str = ""
    #: the description as docutils nodes, rendered on the category's page
    body: tuple[Any, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Query:
    """What a ``postlist`` (or a ``category`` directive's list) selects and how it shows it."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    year: int | None = None
    limit: int | None = None
    sort: str = "newest"
    format: str = "list"
    excerpts: bool = False
    #: ("language", keys), ("location", keys) the posts must have one of
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: names that match no category, tag or author are dropped, and a list left without a
    #: filter shows the newest posts: ABlog's postlist (on a site moved from ABlog)
    ignore_unknown: bool = False


@dataclass(eq=False)
class BlogIndex:
    """Everything collected from sources; stored on the env as ``env.blogposts``."""

    posts: dict[str, Post] = field(default_factory=dict)
    #: docname -> the posts its sections make (further ``post`` directives), in order
    sections: dict[str, tuple[Post, ...]] = field(default_factory=dict)
    categories: dict[str, list[CategoryDecl]] = field(default_factory=dict)
    queries: dict[str, list[Query]] = field(default_factory=dict)
    #: "builder:docname" -> fingerprint of the blog content last written into it
    written: dict[str, str] = field(default_factory=dict)
    #: builder name -> generated page names and visible posts of its last build, so that
    #: pages that are no longer produced (a tag gone, a post deleted or made a draft)
    #: are removed from the output
    outputs: dict[str, set[str]] = field(default_factory=dict)
    #: builder name -> fingerprint of the blog sidebars last written (None: no sidebars)
    sidebars: dict[str, str | None] = field(default_factory=dict)
    #: builders that have written pages with these sidebars before
    sidebars_seen: set[str] = field(default_factory=set)
    #: builder name -> digest of the posts in the site's toctrees (see
    #: ``pages.navigation_digest``) when its documents were last written
    navigation: dict[str, str] = field(default_factory=dict)
    #: builder name -> (revision, hidden posts, listing digest) when documents were last
    #: fingerprinted
    states: dict[str, tuple[int, tuple[str, ...], str]] = field(default_factory=dict)
    #: post -> figure type -> node id -> number: posts are in no toctree, so Sphinx's
    #: ``numfig`` numbers nothing in them; see ``collector.number_post_figures``
    fignumbers: dict[str, dict[str, dict[str, tuple[int, ...]]]] = field(default_factory=dict)
    #: bumped on every change, so a cached :class:`BlogView` knows it is stale
    revision: int = 0
    #: docname -> the revision at which it was last read or removed
    touched: dict[str, int] = field(default_factory=dict)

    def all_posts(self) -> list[Post]:
        """Every post: the pages' own and their sections', by key."""
        found = list(self.posts.values())
        for posts in self.sections.values():
            found.extend(posts)
        return sorted(found, key=lambda p: p.key)

    def touch(self, docname: str) -> None:
        """A document was read, re-read or removed: a new revision."""
        self.revision += 1
        self.touched[docname] = self.revision

    def clear_doc(self, docname: str) -> None:
        """Forget what one document contributed (before it is re-read or when removed)."""
        self.touch(docname)
        self.posts.pop(docname, None)
        self.sections.pop(docname, None)
        self.categories.pop(docname, None)
        self.queries.pop(docname, None)
        self.fignumbers.pop(docname, None)

    def merge(self, docnames: set[str], other: BlogIndex) -> None:
        """Take over what a parallel reader collected for ``docnames``."""
        for docname in docnames:
            self.touch(docname)
            if docname in other.posts:
                self.posts[docname] = other.posts[docname]
            if docname in other.sections:
                self.sections[docname] = other.sections[docname]
            if docname in other.categories:
                self.categories[docname] = other.categories[docname]
            if docname in other.queries:
                self.queries[docname] = other.queries[docname]
            if docname in other.fignumbers:
                self.fignumbers[docname] = other.fignumbers[docname]


def get_index(env: Any) -> BlogIndex:
    """The env's blog index, created on first use."""
    index: BlogIndex | None = getattr(env, "blogposts", None)
    if index is None:
        index = BlogIndex()
        env.blogposts = index
    return index


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
                 link_title: Callable[[str, str], str | None] | None = None) -> None:
        self.config = config
        self.now = now
        #: the title a cross-reference shows, ``(kind, target) -> title`` (None: unknown)
        self.link_title = link_title or (lambda kind, target: None)
        all_posts = sorted(index.all_posts(), key=lambda p: p.sort_key)
        show_drafts = config.drafts == "show"
        #: posts shown in lists, oldest first
        self.chrono: list[Post] = [
            p for p in all_posts if show_drafts or not self.is_unpublished(p)
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
