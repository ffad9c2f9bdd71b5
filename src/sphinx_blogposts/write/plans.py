"""Which pages the blog generates (names, titles, templates, their data), decided from
the view without rendering anything: cheap enough for every part of the build to ask."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translation
from sphinx.util import logging

from ..base.config import ALL_POSTS, BlogConfig, get_blogs, get_config
from ..base.dates import format_month
from ..base.diagnostics import Subtype, warn
from ..base.i18n import direction, gettext
from ..model import urls
from ..model.posts import Post
from ..model.view import by_year
from ..model.views import get_view
from .pagecontext import (
    Page,
    PageContext,
    PagePlan,
    paginate,
    pagination,
    render_description,
    text_description,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

from .builders import has_pages
from .templating import Record, body_renderer

_ = get_translation("sphinx_blogposts")
logger = logging.getLogger(__name__)


class PageWriter:
    """Yields every generated page of one blog (by default the first) for one build."""

    def __init__(self, env: BuildEnvironment, app: Sphinx | None = None,
                 blog: str | None = None) -> None:
        self.env = env
        self._app = app
        self.cfg: BlogConfig = get_config(env.config, blog)
        self.view = get_view(env, self.cfg.key)
        #: (generated page, the document written to its output file instead)
        self.collisions: list[tuple[str, str]] = []
        self._outputs: dict[str, str] | None = None

    def page(self, pagename: str, title: str, template: str, **ctx: Any) -> PagePlan | None:
        """Plan one page; nothing is rendered until :meth:`render` (so planning is cheap)."""
        if self._outputs is None:  # output name -> the document writing it
            env = self.env
            self._outputs = {urls.output_name(env, d): d for d in env.all_docs}
        document = self._outputs.get(urls.output_name(self.env, pagename))
        if document is not None:
            self.collisions.append((pagename, document))
            return None
        return PagePlan(pagename, title, template, ctx)

    def plans(self) -> Iterator[PagePlan]:
        for plan in self.pages():
            if plan is not None:
                yield plan

    @property
    def app(self) -> Sphinx:
        """Rendering needs the application (builder, templates); planning does not."""
        assert self._app is not None
        return self._app

    def evaluate(self, plan: PagePlan) -> dict[str, Any]:
        """The template context of a page, with its URLs: what its fingerprint is made of."""
        pc = PageContext(self.app, self.view, plan.pagename)
        data = {"blog": self.blog_links(pc), "title": plan.title, **plan.ctx}
        for key, value in list(data.items()):
            if callable(value):
                data[key] = value(pc)
        return data

    def render(self, plan: PagePlan, data: dict[str, Any] | None = None) -> Page:
        if data is None:
            data = self.evaluate(plan)

        # the extension's catalog: ``_bp`` in its templates, and ``_`` (falling back to
        # Sphinx's catalog) for a theme's copy of them that still says ``_``
        data = {**data, "_bp": gettext, "_": gettext,
                "blogposts_dir": direction(self.cfg.language)}
        body = body_renderer(self.app.builder)(plan.template, data)
        # ``title`` is HTML in Sphinx's page context (breadcrumbs, <title> via striptags)
        return plan.pagename, {"title": html.escape(plan.title, quote=False), "body": body,
                               "blogposts_page": plan.template, "display_toc": False}, "page.html"

    def blog_links(self, pc: PageContext) -> dict[str, Any]:
        """The links between the blog's pages (the all-posts index has only its own), and
        on a site of several blogs each blog's index (``blogs``)."""
        cfg = self.cfg
        own = cfg.key != ALL_POSTS
        links: dict[str, Any] = {
            "title": cfg.title,
            "index": pc.url(urls.blog_index(cfg)),
            "categories": pc.url(urls.category_index(cfg)) if own else "",
            "tags": pc.url(urls.tag_index(cfg)) if own else "",
            "authors": pc.url(urls.author_index(cfg)) if own else "",
            "archive": pc.url(urls.archive(cfg)) if own else "",
            "series": pc.url(urls.series_index(cfg)) if own and self.view.series_names else "",
        }
        blogs = get_blogs(self.env.config)
        if blogs.several:
            links["blogs"] = [{"title": b.title, "url": pc.url(urls.blog_index(b)),
                               "current": b.key == cfg.key} for b in blogs.listed()]
        return links

    @staticmethod
    def years(pc: PageContext, posts: list[Post]) -> list[dict[str, Any]]:
        """A tag's or an author's posts as dated titles under their year."""
        return [Record(year=year, posts=pc.entries(group)) for year, group in by_year(posts)]

    def listing(self, posts: list[Post], name_of: Any, title: str, heading: str,
                description: Any = "", kind: str = "index",
                image: Any = "", meta: str = "") -> Iterator[PagePlan | None]:
        """A paginated list; ``meta`` is the description its link previews give on every
        page (see ``seo._social``), part of each page's fingerprint though page 1 alone
        shows it, as is ``image``."""
        chunks = paginate(posts, self.cfg.posts_per_page)
        total = len(chunks)
        for number, chunk in enumerate(chunks, start=1):
            page_title = title if number == 1 else _("%s (page %d)") % (title, number)
            yield self.page(
                name_of(number), page_title, "blogposts/page/list.html",
                heading=heading,
                kind=kind,
                description=description if number == 1 else "",
                image=image if number == 1 else "",
                meta=((lambda pc, i=image: (meta, i(pc) if callable(i) else i))
                      if number > 1 else ""),
                posts=lambda pc, chunk=chunk: pc.cards(chunk),
                pagination=lambda pc, n=number, t=total: pagination(pc, n, t, name_of),
                count=len(posts),
            )

    def pages(self) -> Iterator[PagePlan | None]:
        cfg, view = self.cfg, self.view
        yield from self.listing(view.index_order, lambda n: urls.blog_index(cfg, n), cfg.title,
                                cfg.title, text_description(cfg.description))
        if cfg.key == ALL_POSTS:  # every blog's posts: categories and the rest are per blog
            return

        def category_entry(pc: PageContext, name: str) -> dict[str, Any]:
            decl = view.category_decls.get(name)
            return {
                "name": name,
                "url": pc.url(urls.category(cfg, view.category_slugs[name])),
                "image_url": pc.image_url(decl.image) if decl else "",
                "description": decl.description if decl else cfg.categories.get(name, ""),
                "count": len(view.category_posts.get(name, [])),
            }

        yield self.page(
            urls.category_index(cfg), _("Categories"), "blogposts/page/categories.html",
            categories=lambda pc: [category_entry(pc, n) for n in view.category_names],
        )
        for name in view.category_names:
            slug = view.category_slugs[name]
            decl = view.category_decls.get(name)

            def describe(pc: PageContext, decl: Any = decl, name: str = name) -> str:
                if decl is not None and decl.body:
                    return render_description(self.app, pc.pagename, decl.body)
                return text_description(cfg.categories.get(name, ""))

            yield from self.listing(
                view.category_posts.get(name, []),
                lambda n, slug=slug: urls.category(cfg, slug, n),
                _("Category: %s") % name, name, describe, kind="category",
                image=(lambda pc, decl=decl: pc.image_url(decl.image)) if decl else "",
                meta=decl.description if decl else cfg.categories.get(name, ""),
            )
        yield self.page(
            urls.tag_index(cfg), _("Tags"), "blogposts/page/tags.html",
            tags=lambda pc: [
                {"name": t, "url": pc.url(urls.tag(cfg, view.tag_slugs[t])),
                 "count": len(view.tag_posts[t])}
                for t in view.tag_names
            ],
        )
        for tag in view.tag_names:
            # one page however many posts (like an author's): a tag is for finding posts, so
            # dated titles by year read faster than pages of cards, and a blog has many tags
            tagged = view.tag_posts[tag]
            yield self.page(
                urls.tag(cfg, view.tag_slugs[tag]), _("Tag: %s") % tag, "blogposts/page/tag.html",
                heading=_("Tag: %s") % tag, kind="tag", count=len(tagged),
                years=lambda pc, tagged=tagged: self.years(pc, tagged),
            )
        yield self.page(
            urls.author_index(cfg), _("Authors"), "blogposts/page/authors.html",
            authors=lambda pc: [
                {"name": view.authors[k].name,
                 "url": pc.url(urls.author(cfg, view.authors[k].slug)),
                 "avatar": pc.asset_url(view.authors[k].avatar), "link": view.authors[k].url,
                 "count": len(view.author_posts[k])}
                for k in view.author_keys
            ],
        )
        for key in view.author_keys:
            info = view.authors[key]
            written = view.author_posts[key]
            yield self.page(
                urls.author(cfg, info.slug), _("Posts by %s") % info.name,
                "blogposts/page/author.html", heading=info.name, kind="author",
                count=len(written),
                author=lambda pc, info=info: {"name": info.name, "url": info.url,
                                              "avatar": pc.asset_url(info.avatar)},
                years=lambda pc, written=written: self.years(pc, written),
            )
        yield from self.series_pages()
        yield from self.facet_pages()
        if cfg.drafts == "unlisted":
            yield self.page(urls.drafts(cfg), _("Drafts"), "blogposts/page/drafts.html",
                            count=len(view.drafts),
                            posts=lambda pc: pc.entries(view.drafts))
        yield self.page(
            urls.archive(cfg), _("Archive"), "blogposts/page/archive.html",
            years=lambda pc: [
                Record(year=year, months=[
                    Record(name=format_month(year, month, cfg.language), posts=pc.entries(posts))
                    for month, posts in months
                ])
                for year, months in view.archive()
            ],
        )


    def facet_pages(self) -> Iterator[PagePlan | None]:
        """Languages and locations, as tags: an index and one page each (when any post has
        one; a blog that uses neither gets no such pages)."""
        cfg, view = self.cfg, self.view
        labels = {"language": (_("Languages"), _("Language: %s")),
                  "location": (_("Locations"), _("Location: %s"))}
        for kind, (plural, one) in labels.items():
            keys = view.facet_keys.get(kind, [])
            if not keys:
                continue
            yield self.page(
                urls.facet_index(cfg, kind), plural, "blogposts/page/tags.html",
                heading=plural, kind=kind,
                tags=lambda pc, kind=kind, keys=keys: [
                    {"name": view.facet_name(kind, k),
                     "url": pc.url(urls.facet(cfg, kind, view.facet_slug(kind, k))),
                     "count": len(view.facet_posts[kind][k])}
                    for k in keys
                ],
            )
            for key in keys:
                name = view.facet_name(kind, key)
                posts = view.facet_posts[kind][key]
                yield self.page(
                    urls.facet(cfg, kind, view.facet_slug(kind, key)), one % name,
                    "blogposts/page/tag.html", heading=one % name, kind=kind,
                    count=len(posts), years=lambda pc, posts=posts: self.years(pc, posts),
                )

    def series_pages(self) -> Iterator[PagePlan | None]:
        """``P/series/index`` and one page per series, its parts in reading order."""
        cfg, view = self.cfg, self.view
        if not view.series_names:
            return
        yield self.page(
            urls.series_index(cfg), _("Series"), "blogposts/page/series-index.html",
            series=lambda pc: [
                {"name": name,
                 "url": pc.url(urls.series(cfg, view.series_slugs[name])),
                 "count": len(view.series_posts[name]),
                 "parts": pc.cards(view.series_posts[name])}
                for name in view.series_names
            ],
        )
        for name in view.series_names:
            parts = view.series_posts[name]
            yield self.page(
                urls.series(cfg, view.series_slugs[name]), _("Series: %s") % name,
                "blogposts/page/series.html",
                heading=name,
                count=len(parts),
                posts=lambda pc, parts=parts: pc.cards(parts),
            )


def page_names(env: BuildEnvironment) -> dict[str, str]:
    """Name -> title of the pages this build generates, every blog's (cached while the
    index is unchanged)."""
    return _pages(env)[0]


def page_blogs(env: BuildEnvironment) -> dict[str, str]:
    """Name -> the key of the blog of each page this build generates."""
    return _pages(env)[1]


def _pages(env: BuildEnvironment) -> tuple[dict[str, str], dict[str, str]]:
    view = get_view(env)  # rebuilt with the index, so the cache goes with it
    found: tuple[dict[str, str], dict[str, str]] | None = view.__dict__.get("_page_names")
    if found is None:
        names: dict[str, str] = {}
        blogs: dict[str, str] = {}
        for blog in get_blogs(env.config).listed():
            for plan in PageWriter(env, blog=blog.key).plans():
                names.setdefault(plan.pagename, plan.title)
                blogs.setdefault(plan.pagename, blog.key)
        found = view.__dict__["_page_names"] = (names, blogs)
    return found


def warn_collisions(app: Sphinx) -> None:
    """A document where a generated page belongs wins; say so once per build."""
    if not has_pages(app.builder):
        return
    collisions: list[tuple[str, str]] = []
    for blog in get_blogs(app.config).listed():
        writer = PageWriter(app.env, blog=blog.key)
        for _plan in writer.plans():
            pass
        collisions += writer.collisions
    for page, document in sorted(set(collisions)):
        where = "stands where" if page == document else "is written to the file of"
        warn(Subtype.slug,
             f"the document {document!r} {where} the blog's generated page {page!r}; the "
             "document is kept and the generated page is not written (change "
             "blogposts_path?)", (document, 1))
