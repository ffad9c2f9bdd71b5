"""The ``post``, ``category`` and ``postlist`` directives.

They only record what they were given: options stay raw text here and are checked by the
collector, so a bad value is a ``blogposts`` warning with its line, never a failed directive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from . import nodes as bp_nodes

POST_OPTIONS = (
    "date", "updated", "author", "category", "tags", "excerpt", "image", "image_alt",
    "description", "draft", "title", "pin", "series", "series_order",
    # ABlog options accepted for migration; no effect here
    "location", "language", "redirect", "external_link", "nocomments", "exclude",
)

CATEGORY_IMAGE = "blogposts-category-image"

POSTLIST_OPTIONS = ("category", "tags", "author", "year", "limit", "sort", "format")


def _raw_option(argument: str | None) -> str:
    return (argument or "").strip()


class PostDirective(SphinxDirective):
    """Marks the document as a post; the body, if any, is its excerpt."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **{name: _raw_option for name in POST_OPTIONS},
        "draft": directives.unchanged,
        "pin": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        raw: dict[str, str] = dict(self.options)
        if self.arguments:
            raw.setdefault("date", self.arguments[0])
        marker = bp_nodes.post_marker()
        marker["raw"] = raw
        self.set_source_info(marker)
        if self.content:
            body = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, body)
            marker["excerpt"] = [p.astext() for p in body.findall(nodes.paragraph)]
        return [marker]


class CategoryDirective(SphinxDirective):
    """Declares a category; its body is the description, shown here and on its page."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "slug": _raw_option,
        "image": _raw_option,
    }

    def run(self) -> list[nodes.Node]:
        node = bp_nodes.category()
        node["name"] = " ".join(self.arguments[0].split())
        node["slug"] = self.options.get("slug", "")
        self.set_source_info(node)
        image = self.options.get("image", "")
        if image:
            from .reader import check_image

            uri = check_image(image, self.env, self.env.docname, (self.env.docname, self.lineno))
            if uri:
                # an image node, so Sphinx collects and copies it like any other image
                node += nodes.image(uri=uri, alt="", classes=[CATEGORY_IMAGE])
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class PostlistDirective(SphinxDirective):
    """A list of posts, filled in when the page is written."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **{name: _raw_option for name in POSTLIST_OPTIONS},
        "excerpts": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        node = bp_nodes.postlist()
        node["raw"] = {k: ("" if v is None else v) for k, v in self.options.items()}
        node["excerpts"] = "excerpts" in self.options
        self.set_source_info(node)
        return [node]
