"""The blog's data as read from sources: posts, category declarations, post lists, and
the index kept in the Sphinx environment.

:class:`BlogIndex` holds only what was read from sources, one entry per document, so that
purging and merging a document is a dictionary operation; everything else is derived from
it by :class:`~.view.BlogView`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..base.dates import PostDate

if TYPE_CHECKING:
    pass


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
    #: the key of the blog the post is in (``blogposts_blogs``; "" on a site of one blog)
    blog: str = ""

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
    #: the blog whose category it declares as written (``:blog:``; "": see
    #: :meth:`BlogView.__init__`)
    blog: str = ""


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
    #: the blog listed, as ``:blog:`` names it ("": the blog of the page, ``all``: every
    #: blog's posts)
    blog: str = ""


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
