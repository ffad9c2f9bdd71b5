"""Data for the sidebar templates (``blogposts/recent.html`` and friends) under any theme.

Each page gets a small object whose methods compute only what its sidebars ask for, so a
site without blog sidebars pays nothing per page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base.config import ALL_POSTS, BlogConfig, get_blogs, get_config
from ..base.dates import format_month
from ..base.i18n import direction, gettext
from ..model import urls
from ..model.cards import make_card
from ..model.view import BlogView
from ..model.views import blog_of, get_view
from . import foreign
from .builders import has_pages, renders_templates
from .plans import page_blogs, page_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: the most recent posts a sidebar can list (their fingerprint decides rewrites)
MAX_RECENT = 20


class SidebarData:
    """What the blog sidebars show, with URLs relative to the page being written."""

    def __init__(self, app: Sphinx, pagename: str, blog: str | None = None) -> None:
        self._app = app
        self._pagename = pagename
        #: the blog shown: the one named, else the page's (decided when first asked)
        self._blog = blog
        self.title = self._cfg().title

    def _key(self) -> str:
        if self._blog is None:
            self._blog = blog_of(self._app.env, self._pagename)
        return self._blog

    def _cfg(self) -> BlogConfig:
        blogs = get_blogs(self._app.config)
        if not blogs.several:
            return blogs.default
        return get_config(self._app.config, self._key())

    def _view(self) -> BlogView:
        return get_view(self._app.env, self._cfg().key)

    def _everything(self) -> bool:
        """Whether this is the all-posts index's data: it has no taxonomy pages, so its
        widgets list each blog's."""
        return self._cfg().key == ALL_POSTS

    def _blogs(self) -> list[SidebarData]:
        return [SidebarData(self._app, self._pagename, b.key)
                for b in get_blogs(self._app.config).blogs]

    def blog(self, key: str) -> SidebarData:
        """The same data of the blog ``key`` (a key of ``blogposts_blogs``), for a sidebar
        that shows one blog on every page: ``{% set blogposts = blogposts.blog("news") %}``.
        A key that names no blog gives the page's blog."""
        known = get_blogs(self._app.config).get(str(key))
        return SidebarData(self._app, self._pagename, known.key if known else None)

    def blogs(self) -> list[dict[str, Any]]:
        """Every blog (and the all-posts index) with its title and index link, the one of
        this page marked ``current`` ("page" on the index itself, "true" on its pages)."""
        mine = self._cfg().key if self.in_blog() else None
        found = []
        for blog in get_blogs(self._app.config).listed():
            href = self._url(urls.blog_index(blog))
            current = "page" if href == "#" else ("true" if blog.key == mine else "")
            found.append({"key": blog.key, "title": blog.title, "url": href,
                          "current": current})
        return found

    def _url(self, target: str) -> str:
        """A link from this page ("" for no page: a name only an unlisted draft has)."""
        return urls.relative(self._app.builder, self._pagename, target) if target else ""

    def in_blog(self) -> bool:
        """Whether this page is one of the blog's: a post or a generated page."""

        env = self._app.env
        return self._pagename in self._view().by_doc or page_blogs(env).get(
            self._pagename, None) == self._cfg().key

    def index_url(self) -> str:
        return self._url(urls.blog_index(self._cfg()))

    def recent(self, count: int = 5) -> list[dict[str, Any]]:
        view = self._view()

        return [
            {"title": c.title, "url": self._url(c.docname), "date_iso": c.date_iso,
             "date_text": c.date_text}
            for c in (make_card(view, p)
                      for p in view.newest[: max(0, min(int(count), MAX_RECENT))])
        ]

    def categories(self) -> list[dict[str, Any]]:
        if self._everything():
            return [x for b in self._blogs() for x in b.categories()]
        view = self._view()
        cfg = view.config
        return [
            {"name": n, "url": self._url(urls.category(cfg, view.category_slugs[n])),
             "count": len(view.category_posts.get(n, []))}
            for n in view.category_names
        ]

    def tags(self) -> list[dict[str, Any]]:
        if self._everything():
            return [x for b in self._blogs() for x in b.tags()]
        view = self._view()
        cfg = view.config
        return [
            {"name": t, "url": self._url(urls.tag(cfg, view.tag_slugs[t])),
             "count": len(view.tag_posts[t])}
            for t in view.tag_names
        ]

    def post(self) -> dict[str, Any] | None:
        """The post this page shows, for themes (author card, tags at its end), or None.

        Its own metadata only: what depends on other posts (neighbours, related posts) is in
        the post's footer, which the extension keeps up to date.
        """
        view = self._view()
        post = view.by_doc.get(self._pagename)
        if post is None:
            return None

        card = make_card(view, post)
        cfg = view.config
        return {
            "title": card.title, "date_iso": card.date_iso, "date_text": card.date_text,
            "updated_iso": card.updated_iso, "updated_text": card.updated_text,
            "minutes": card.minutes, "status": card.status,
            "authors": [
                {"name": info.name,
                 "page": self._url(urls.author(cfg, info.slug)) if info.slug else "",
                 "url": info.url, "avatar": info.avatar}
                for info in (view.authors[a] for a in post.authors)
            ],
            "categories": [{"name": c.name, "url": self._url(c.page)} for c in card.categories],
            "tags": [{"name": t.name, "url": self._url(t.page)} for t in card.tags],
        }

    def neighbours(self) -> dict[str, dict[str, str] | None] | None:
        """The previous (older) and next (newer) posts of the post this page shows, or None
        on a page that is not a listed post.  They are in the post's own footer too, so the
        post's fingerprint already rewrites its page when they change."""
        view = self._view()
        if self._pagename not in view.by_doc:
            return None
        found = view.neighbours(self._pagename)
        prev, nxt = ({"title": p.title, "url": self._url(p.key)} if p else None
                     for p in found)
        return {"prev": prev, "next": nxt}

    def authors(self) -> list[dict[str, Any]]:
        if self._everything():
            return [x for b in self._blogs() for x in b.authors()]
        view = self._view()
        cfg = view.config
        return [
            {"name": view.authors[k].name,
             "url": self._url(urls.author(cfg, view.authors[k].slug)),
             "count": len(view.author_posts.get(k, []))}
            for k in view.author_keys
        ]

    def facets(self, kind: str) -> list[dict[str, Any]]:
        """Every language (``kind="language"``) or location, with its page and count."""
        if self._everything():
            return [x for b in self._blogs() for x in b.facets(kind)]
        view = self._view()
        cfg = view.config
        return [
            {"name": view.facet_name(kind, k),
             "url": self._url(urls.facet(cfg, kind, view.facet_slug(kind, k))),
             "count": len(view.facet_posts[kind][k])}
            for k in view.facet_keys.get(kind, [])
        ]

    def archives(self) -> list[dict[str, Any]]:
        if self._everything():
            return [x for b in self._blogs() for x in b.archives()]
        view = self._view()
        cfg = view.config
        archive_url = self._url(urls.archive(cfg))
        return [
            {"name": format_month(year, month, cfg.language),
             "url": f"{archive_url}#year-{year}", "count": len(posts)}
            for year, months in view.archive()
            for month, posts in months
        ]


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not renders_templates(app.builder):
        return
    if (doctree is None and pagename not in app.env.all_docs and has_pages(app.builder)
            and pagename not in page_names(app.env)):
        foreign.note(app, pagename)
    context["blogposts"] = SidebarData(app, pagename)
    # the extension's message catalog for its templates and the theme's (Jinja's ``_`` is
    # Sphinx's catalog), and the writing direction for ``dir`` attributes
    context["_bp"] = gettext
    context["blogposts_dir"] = direction(app.config.language)
