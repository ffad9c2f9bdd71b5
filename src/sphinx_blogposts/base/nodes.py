"""Format-neutral placeholder nodes, replaced by plain docutils nodes at ``doctree-resolved``.

Only :class:`time_` and :class:`html_block` reach a writer: the first has a visitor for
every standard translator, the second is made for HTML builders only.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


class post_marker(nodes.General, nodes.Element):
    """Where a ``post`` directive stood; carries its raw options, removed when read."""


class post_header(nodes.General, nodes.Element):
    """The post's title block: date, authors, categories, tags, reading time, cover image."""


class post_footer(nodes.General, nodes.Element):
    """The end of a post: tags, previous and next, related posts."""


class postlist(nodes.General, nodes.Element):
    """A ``postlist`` directive; its ``query`` attribute says what it lists."""


class category(nodes.General, nodes.Element):
    """A ``category`` directive: its children are the description."""


class time_(nodes.Inline, nodes.TextElement):
    """A date: ``<time datetime="...">`` in HTML, its text elsewhere."""


def visit_time_html(self: Any, node: time_) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_time_html(self: Any, node: time_) -> None:
    self.body.append("</time>")


class html_block(nodes.General, nodes.Element):
    """A post's header or footer as finished markup, for the HTML builders.

    Dozens of docutils nodes per post would each live until the page is written, and that
    many long-lived objects cost Sphinx's builds several full garbage collections; one node
    holding a string does not.  Its children, if any, are text for the search index only.
    """


def visit_html_block(self: Any, node: html_block) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def visit_passthrough(self: Any, node: nodes.Element) -> None:
    """Other writers show the text of the node."""


def depart_passthrough(self: Any, node: nodes.Element) -> None:
    """Nothing to close."""


PLACEHOLDERS = (post_marker, post_header, post_footer, postlist, category)


def is_placeholder(node: nodes.Node) -> bool:
    """A node the blog fills in (a ``findall`` condition: one walk finds every kind)."""
    return isinstance(node, PLACEHOLDERS)


def placeholders(tree: nodes.Node) -> list[nodes.Element]:
    """Every placeholder in ``tree``, in document order.

    The same as ``findall(is_placeholder)``, in one loop instead of a generator per level:
    every document is walked when read and again when written, and that walk was docutils'
    ``findall`` twice as slow as this.
    """
    found: list[nodes.Element] = []
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, PLACEHOLDERS):
            found.append(node)
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return found


def is_external(uri: str) -> bool:
    """An image URI the build does not copy: a remote URL or an inline ``data:`` URI.

    Sphinx's image collector draws the same line (its ``?`` candidate)."""
    return "://" in uri or uri.startswith("data:")


def image_node(uri: str, alt: str, classes: list[str]) -> nodes.image:
    """An image node as Sphinx's image collector leaves it, for nodes made after reading:
    the writers' ``post_process_images`` needs its ``candidates``."""
    candidates = {"?": uri} if is_external(uri) else {"*": uri}
    return nodes.image(uri=uri, candidates=candidates, alt=alt, classes=classes)
