"""One generated page's plan, and what its template sees: URLs relative to the page, cards
as template data, pagination, category descriptions rendered for the page."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup
from sphinx.locale import get_translation
from sphinx.util.docutils import new_document
from sphinx.util.osutil import relative_uri

from ..base import nodes as bp_nodes
from ..model import urls
from ..model.cards import Card, make_card
from ..model.posts import Post
from ..model.view import BlogView

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from .render import excerpt_html
from .templating import Record

#: a generated page as ``html-collect-pages`` yields it: name, context, template
Page = tuple[str, dict[str, Any], str]

_ = get_translation("sphinx_blogposts")


@dataclass(frozen=True)
class PagePlan:
    """A generated page to write: its name, title, body template and context."""

    pagename: str
    title: str
    template: str
    ctx: dict[str, Any]


class PageContext:
    """Turns cards into template data with URLs relative to one generated page."""

    def __init__(self, app: Sphinx, view: BlogView, pagename: str) -> None:
        self.app = app
        self.view = view
        self.pagename = pagename
        self.base = urls.target_uri(app.builder, pagename)
        self._urls: dict[str, str] = {}

    def url(self, target: str) -> str:
        """A link from this page; each target's link is computed once per page ("" for
        no page)."""
        if not target:
            return ""
        url = self._urls.get(target)
        if url is None:
            url = self._urls[target] = urls.relative(self.app.builder, self.pagename, target)
        return url

    def image_url(self, image: str) -> str:
        if not image:
            return ""
        if bp_nodes.is_external(image):
            return image
        entry = self.app.env.images.get(image) if hasattr(self.app.env.images, "get") else None
        if not entry:
            return ""
        return relative_uri(self.base, f"{self.app.builder.imagedir}/{entry[1]}")

    def asset_url(self, path: str) -> str:
        """A URL as it is; a relative path (an author's avatar) is relative to the site root."""
        if not path or "://" in path or path.startswith(("/", "data:", "#")):
            return path
        return relative_uri(self.base, path)

    def card(self, card: Card) -> dict[str, Any]:
        return Record({
            "url": card.external or self.url(card.docname),
            "title": card.title,
            "date_iso": card.date_iso,
            "date_text": card.date_text,
            "updated_iso": card.updated_iso,
            "updated_text": card.updated_text,
            "authors": [Record(name=a.name, url=self.url(a.page)) for a in card.authors],
            "categories": [Record(name=c.name, url=self.url(c.page)) for c in card.categories],
            "tags": [Record(name=t.name, url=self.url(t.page)) for t in card.tags],
            "minutes": card.minutes,
            "minutes_text": _("%d min read") % card.minutes,
            # HTML, marked safe: a template's ``|e`` leaves it as it is
            "excerpt": [Markup(excerpt_html(p)) for p in card.excerpt],
            "image_url": self.image_url(card.image),
            "image_alt": card.image_alt,
            "status": card.status,
            "pinned": card.pinned,
        })

    def cards(self, posts: list[Post]) -> list[dict[str, Any]]:
        return [self.card(make_card(self.view, p)) for p in posts]

    def entries(self, posts: list[Post]) -> list[dict[str, str]]:
        """Dated titles (the archive, a tag's page): a line each, not a card."""
        view = self.view
        return [Record(url=p.external_link or self.url(p.key), title=p.title,
                       date_iso=(card := make_card(view, p)).date_iso,
                       date_text=card.date_short, status=card.status)
                for p in posts]


def paginate(posts: list[Post], size: int) -> list[list[Post]]:
    """Pages of ``size`` posts; an empty blog still has one (empty) page."""
    return [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]


def pagination(pc: PageContext, page: int, total: int, name_of: Any) -> dict[str, Any]:
    window = sorted({1, total, *range(max(1, page - 2), min(total, page + 2) + 1)})
    return {
        "current": page,
        "total": total,
        "prev": pc.url(name_of(page - 1)) if page > 1 else "",
        "next": pc.url(name_of(page + 1)) if page < total else "",
        "pages": [
            {"number": n, "url": pc.url(name_of(n)), "current": n == page} for n in window
        ],
    }


def render_description(app: Sphinx, pagename: str, body: tuple[Any, ...]) -> str:
    """A category directive's body as HTML for a generated page."""
    if not body:
        return ""
    doc = new_document("<blogposts>")
    doc.settings.env = app.env
    for child in body:
        doc += child.deepcopy()
    try:
        app.env.apply_post_transforms(doc, pagename)
        render = app.builder.render_partial  # type: ignore[attr-defined]
        return "".join(str(render(child)["fragment"]) for child in doc.children)
    except Exception:
        return "".join(f"<p>{html.escape(child.astext())}</p>" for child in body
                       if isinstance(child, nodes.Element))


def text_description(text: str) -> str:
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)
