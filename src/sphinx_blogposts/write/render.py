"""Post headers, footers and post lists as plain docutils nodes, for every builder.

Each piece is computed twice over the same data: once as a :class:`Card` tuple (hashed into a
page's fingerprint, so incremental builds know what changed) and once as nodes.  Nodes are
built only from cards, so a page whose fingerprint is unchanged renders the same.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation

from ..base import nodes as bp_nodes
from ..base.nodes import html_block, time_
from ..model import urls
from ..model.cards import Card, Named, SeriesInfo
from ..model.posts import Paragraph
from ..model.view import BlogView

if TYPE_CHECKING:
    from sphinx.builders import Builder

_ = get_translation("sphinx_blogposts")

SEP = " · "
#: what docutils' HTML writers encode in text and attribute values, so that the markup of
#: :meth:`Renderer.header_html` is byte for byte what the nodes of :meth:`Renderer.header` give
_ENCODE = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;",
           ord("@"): "&#64;"}
_ATTR_SPACE = re.compile("[\n\r\t\v\f]")


def escape(text: str, quote: bool = True) -> str:
    """Text or an attribute value encoded as docutils' HTML writers encode it."""
    text = str(text)
    return (_ATTR_SPACE.sub(" ", text) if quote else text).translate(_ENCODE)

#: Sphinx's search indexer skips elements with this class: lists and dates are not content
NO_SEARCH = "no-search"


class Renderer:
    """Builds nodes for one document being written by one builder."""

    def __init__(self, builder: Builder, docname: str, view: BlogView, pages: bool) -> None:
        self.builder = builder
        self.docname = docname
        self.view = view
        #: whether the generated blog pages exist for this builder (html, dirhtml)
        self.pages = pages
        #: whether links can be written at all
        self.links = builder.format == "html" and builder.name != "singlehtml"
        self.html = builder.format == "html"
        self._uris: dict[str, str] = {}

    # -- small pieces --------------------------------------------------------------------

    def uri(self, target: str) -> str:
        uri = self._uris.get(target)
        if uri is None:
            uri = self._uris[target] = urls.relative(self.builder, self.docname, target)
        return uri

    def link(self, text: str, target: str, classes: list[str], page: bool = True) -> nodes.Node:
        """A link to a doc (``page=False``) or a generated page; text where there is none."""
        if (page and not self.pages) or (not page and not self.links) or not target:
            return nodes.inline(text, text, classes=classes)
        ref = nodes.reference(text, text, internal=True, refuri=self.uri(target),
                              classes=classes)
        return ref

    def title_link(self, card: Card) -> nodes.Node:
        """A post's title in a list: a link to its page, or to its ``external_link``."""
        if card.external and self.html:
            return nodes.reference(card.title, card.title, refuri=card.external,
                                   classes=["blogposts-post-title", "blogposts-external"])
        return self.link(card.title, card.docname, ["blogposts-post-title"], page=False)

    def time(self, iso: str, text: str) -> nodes.Node:
        if self.html:
            return time_(text, text, datetime=iso)
        return nodes.inline(text, text)

    def names(self, items: tuple[Named, ...], cls: str) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, item in enumerate(items):
            if i:
                out.append(nodes.Text(", "))
            out.append(self.link(item.name, item.page, [cls]))
        return out

    def meta_line(self, card: Card, *, authors: bool = True) -> nodes.paragraph:
        """Date · Updated · By … · In … · N min read."""
        para = nodes.paragraph(classes=["blogposts-meta", NO_SEARCH])
        parts: list[list[nodes.Node]] = [[self.time(card.date_iso, card.date_text)]
                                         ] if card.date_iso else []
        if card.updated_iso:
            parts.append([nodes.Text(_("Updated") + " "),
                          self.time(card.updated_iso, card.updated_text)])
        if authors and card.authors:
            parts.append([nodes.Text(_("By") + " "), *self.names(card.authors,
                                                               "blogposts-author")])
        if card.categories:
            parts.append([nodes.Text(_("In") + " "), *self.names(card.categories,
                                                               "blogposts-category")])
        parts.append([nodes.Text(_("%d min read") % card.minutes)])
        for i, part in enumerate(parts):
            if i:
                para += nodes.Text(SEP)
            span = nodes.inline(classes=["blogposts-meta-item"])
            span.extend(part)
            para += span
        return para

    def tags_line(self, card: Card) -> nodes.paragraph | None:
        if not card.tags:
            return None
        para = nodes.paragraph(classes=["blogposts-tags"])
        para += nodes.inline(_("Tags:"), _("Tags:"), classes=["blogposts-label"])
        for tag in card.tags:
            para += nodes.Text(" ")
            para += self.link(tag.name, tag.page, ["blogposts-tag"])
        return para

    def status_banner(self, card: Card) -> nodes.Node | None:
        if card.status == "published":
            return None
        text = _("Draft: this post is not published.") if card.status == "draft" else _(
            "Scheduled: this post is not published yet.")
        return nodes.paragraph(text, text, classes=["blogposts-banner",
                                                    f"blogposts-{card.status}"])

    # -- post header and footer ------------------------------------------------------------

    def header(self, data: tuple[Any, ...], cover: list[nodes.Node]) -> list[nodes.Node]:
        card: Card = data[0]
        box = nodes.container(classes=["blogposts-post-header"])
        banner = self.status_banner(card)
        if banner is not None:
            box += banner
        box += self.meta_line(card)
        tags = self.tags_line(card)
        if tags is not None:
            box += tags
        box.extend(cover)
        series: SeriesInfo | None = data[4]
        if series is None:
            return [box]
        return [box, self.series_box(series)]

    def series_box(self, series: SeriesInfo) -> nodes.Node:
        """Every part of the post's series, its own place marked: "Part 2 of 4"."""
        box = nodes.container(classes=["blogposts-series", NO_SEARCH])
        title = nodes.paragraph(classes=["blogposts-series-title"])
        title += nodes.inline(_("Series:"), _("Series:"), classes=["blogposts-label"])
        title += nodes.Text(" ")
        title += self.link(series.name, series.page, ["blogposts-series-link"])
        box += title
        text = _("Part %(part)d of %(total)d") % {"part": series.position + 1,
                                                  "total": len(series.parts)}
        box += nodes.paragraph(text, text, classes=["blogposts-series-part"])
        parts = nodes.enumerated_list(classes=["blogposts-series-parts"], enumtype="arabic",
                                      prefix="", suffix=".")
        for i, card in enumerate(series.parts):
            current = i == series.position
            item = nodes.list_item(classes=["blogposts-series-current"] if current else [])
            para = nodes.paragraph()
            if current:
                para += nodes.strong(card.title, card.title)
            else:
                para += self.link(card.title, card.docname, [], page=False)
            item += para
            parts += item
        box += parts
        return box

    def footer(self, data: tuple[Any, ...]) -> list[nodes.Node]:
        _card, prev, nxt, related = data[:4]
        box = nodes.container(classes=["blogposts-post-footer", NO_SEARCH])
        if prev or nxt:
            nav = nodes.container(classes=["blogposts-prevnext"])
            for card, label, cls in ((prev, _("Previous:"), "blogposts-prev"),
                                     (nxt, _("Next:"), "blogposts-next")):
                if card is None:
                    continue
                para = nodes.paragraph(classes=[cls])
                para += nodes.Text(label + " ")
                para += self.link(card.title, card.docname, [], page=False)
                nav += para
            box += nav
        if related:
            box += nodes.rubric(_("Related posts"), _("Related posts"),
                                classes=["blogposts-related-title"])
            box += self.post_list(related, "titles", False)
        return [box] if box.children else []

    # -- the same header and footer as markup, for html and dirhtml ------------------------

    def fast(self) -> bool:
        """Whether headers and footers can be written as markup (see :class:`html_block`)."""
        return self.pages and self.links

    def _a(self, text: str, target: str, classes: str) -> str:
        if not target:  # a name with no page
            return f'<span class="{escape(classes)}">{escape(text, quote=False)}</span>'
        cls = f"{classes} reference internal" if classes else "reference internal"
        return (f'<a class="{cls}" href="{escape(self.uri(target))}">'
                f"{escape(text, quote=False)}</a>")

    def _names_html(self, items: tuple[Named, ...], cls: str) -> str:
        return ", ".join(self._a(item.name, item.page, cls) for item in items)

    @staticmethod
    def _time_html(iso: str, text: str) -> str:
        return f'<time datetime="{escape(iso)}">{escape(text, quote=False)}</time>'

    def header_html(self, card: Card, rtl: bool) -> html_block:
        """:meth:`header` (without cover or series) as one node; its tags stay searchable."""
        parts = [self._time_html(card.date_iso, card.date_text)] if card.date_iso else []
        if card.updated_iso:
            parts.append(f"{escape(str(_('Updated')))} "
                         + self._time_html(card.updated_iso, card.updated_text))
        if card.authors:
            parts.append(f"{escape(str(_('By')))} "
                         + self._names_html(card.authors, "blogposts-author"))
        if card.categories:
            parts.append(f"{escape(str(_('In')))} "
                         + self._names_html(card.categories, "blogposts-category"))
        parts.append(escape(_("%d min read") % card.minutes, quote=False))
        out = [f'<div class="blogposts-post-header{" blogposts-rtl" if rtl else ""}'
               ' docutils container">\n']
        if card.status != "published":
            text = (_("Draft: this post is not published.") if card.status == "draft"
                    else _("Scheduled: this post is not published yet."))
            out.append(f'<p class="blogposts-banner blogposts-{escape(card.status)}">'
                       f"{escape(str(text), quote=False)}</p>\n")
        out.append(f'<p class="blogposts-meta {NO_SEARCH}">'
                   + SEP.join(f'<span class="blogposts-meta-item">{p}</span>' for p in parts)
                   + "</p>\n")
        node = html_block()
        if card.tags:
            label = str(_("Tags:"))
            out.append(f'<p class="blogposts-tags"><span class="blogposts-label">'
                       f"{escape(label, quote=False)}</span>"
                       + "".join(" " + self._a(t.name, t.page, "blogposts-tag")
                                 for t in card.tags)
                       + "</p>\n")
            node += nodes.Text(" ".join([label, *(t.name for t in card.tags)]))
        out.append("</div>\n")
        node["html"] = "".join(out)
        return node

    def footer_html(self, data: tuple[Any, ...], rtl: bool) -> html_block | None:
        """:meth:`footer` as one node, left out of the search index like the footer."""
        _card, prev, nxt, related = data[:4]
        if not (prev or nxt or related):
            return None
        out = [f'<div class="blogposts-post-footer {NO_SEARCH}'
               f'{" blogposts-rtl" if rtl else ""} docutils container">\n']
        if prev or nxt:
            out.append('<div class="blogposts-prevnext docutils container">\n')
            for card, label, cls in ((prev, _("Previous:"), "blogposts-prev"),
                                     (nxt, _("Next:"), "blogposts-next")):
                if card is not None:
                    out.append(f'<p class="{cls}">{escape(str(label), quote=False)} '
                               f'{self._a(card.title, card.docname, "")}</p>\n')
            out.append("</div>\n")
        if related:
            title = escape(str(_("Related posts")), quote=False)
            out.append(f'<p class="blogposts-related-title rubric">{title}</p>\n'
                       f'<ul class="blogposts-postlist blogposts-titles {NO_SEARCH} simple">\n')
            out.extend(f'<li class="blogposts-postlist-item"><p>'
                       f'{self._a(c.title, c.docname, "blogposts-post-title")}</p></li>\n'
                       for c in related)
            out.append("</ul>\n")
        out.append("</div>\n")
        return html_block(html="".join(out), classes=[NO_SEARCH])

    # -- lists -------------------------------------------------------------------------------

    def post_list(self, cards: tuple[Card, ...], fmt: str, excerpts: bool) -> nodes.Node:
        if not cards:
            text = _("No posts yet.")
            return nodes.paragraph(text, text, classes=["blogposts-empty"])
        if fmt == "cards":
            grid = nodes.container(classes=["blogposts-cards", NO_SEARCH])
            for card in cards:
                grid += self.card(card)
            return grid
        items = nodes.bullet_list(classes=["blogposts-postlist", f"blogposts-{fmt}", NO_SEARCH])
        for card in cards:
            item = nodes.list_item(classes=["blogposts-postlist-item"])
            para = nodes.paragraph()
            para += self.title_link(card)
            if fmt == "list" and card.date_iso:
                para += nodes.Text(" — ")
                para += self.time(card.date_iso, card.date_short)
            item += para
            if excerpts:
                item.extend(self.excerpt(card))
            items += item
        return items

    def excerpt(self, card: Card) -> list[nodes.Node]:
        made: list[nodes.Node] = []
        for paragraph in card.excerpt:
            para = nodes.paragraph(classes=["blogposts-excerpt"])
            for kind, text in paragraph:
                para += nodes.literal(text, text) if kind == "code" else nodes.Text(text)
            made.append(para)
        return made

    def card(self, card: Card) -> nodes.Node:
        box = nodes.container(classes=["blogposts-card"])
        if card.image and self.html:
            box += bp_nodes.image_node(card.image, card.image_alt or "", ["blogposts-card-image"])
        title = nodes.paragraph(classes=["blogposts-card-title"])
        title += self.title_link(card)
        box += title
        box += self.meta_line(card, authors=False)
        box.extend(self.excerpt(card))
        return box

    def category_block(self, node: nodes.Element, cards: tuple[Card, ...],
                       view: BlogView | None = None) -> list[nodes.Node]:
        """Where a ``category`` directive stands: title, description, newest posts (of
        ``view``'s blog, by default the renderer's)."""
        name = str(node["name"])
        view = view or self.view
        page = urls.category(view.config, view.category_slugs.get(name, ""))
        box = nodes.container(classes=["blogposts-category-block"])
        title = nodes.paragraph(classes=["blogposts-category-title"])
        title += nodes.strong("", "", self.link(name, page, ["blogposts-category"]))
        box += title
        box.extend(child.deepcopy() for child in node.children)
        box += self.post_list(cards, "list", False)
        if self.pages:
            more = nodes.paragraph(classes=["blogposts-more"])
            text = _("All posts in %s") % name
            more += self.link(text, page, ["blogposts-more-link"])
            box += more
        return [box]


def excerpt_html(paragraph: Paragraph) -> str:
    """A resolved excerpt paragraph as escaped HTML: inline code as docutils writes it."""
    return "".join(
        f'<code class="docutils literal notranslate">{escape(text, quote=False)}</code>'
        if kind == "code" else escape(text, quote=False)
        for kind, text in paragraph)
