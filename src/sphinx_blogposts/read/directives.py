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

from ..base import nodes as bp_nodes
from .coerce import check_image

POST_OPTIONS = (
    "date", "updated", "author", "category", "tags", "excerpt", "image", "image_alt",
    "description", "draft", "title", "pin", "series", "series_order", "blog",
    # ABlog options accepted for migration (see sphinx_blogposts.compat.ablog)
    "location", "language", "redirect", "external_link", "canonical_link", "nocomments",
    "exclude",
)

CATEGORY_IMAGE = "blogposts-category-image"

#: events through which an adapter (ABlog's, :mod:`sphinx_blogposts.compat.ablog`) reads
#: another extension's options as native ones: each handler gets the directive's raw options
#: (a dict it may change) and location; the postlist's also its arguments
POST_OPTIONS_EVENT = "blogposts-post-options"
POSTLIST_OPTIONS_EVENT = "blogposts-postlist-options"

POSTLIST_OPTIONS = ("category", "tags", "author", "language", "location", "year", "limit",
                    "sort", "format", "blog",
                    # ABlog options accepted for migration (see sphinx_blogposts.compat.ablog)
                    "date", "list-style", "expand")

_ABLOG_ACCEPTED = "ABlog's option, accepted for migration with no effect"
_ABLOG_WARNED = ("ABlog's option, accepted for migration with a ``blogposts.config`` warning: "
                 "it has no equivalent")

#: one line of documentation per option of each directive (the reference is generated from it)
OPTION_DOCS: dict[str, dict[str, str]] = {
    "post": {
        "date": "The date: ISO 8601 (``2025-03-14``, ``2025-03-14T09:30+01:00``), or ABlog's "
                "``post_date_format``; the directive's argument. Required.",
        "updated": "The date of the last update: shown as \"Updated …\" and used in feeds.",
        "author": "Keys of ``blogposts_authors`` or guests' names, comma-separated; default "
                  "``blogposts_default_author``.",
        "category": "One category or several, comma-separated; default "
                    "``blogposts_default_category``.",
        "tags": "Tags, comma-separated.",
        "excerpt": "The excerpt's text, or ``N`` for the first N paragraphs; default the "
                   "directive's body, else the first paragraph.",
        "image": "The cover image: a path relative to the document, an http(s) URL, or ``N`` "
                 "for the post's N-th image.",
        "image_alt": "The cover image's alt text.",
        "description": "The meta description; default the excerpt.",
        "draft": "A draft (the flag alone means yes): see ``blogposts_drafts``.",
        "title": "The title; default the document's first heading.",
        "pin": "Kept on top of the blog index and of post lists (the flag alone means yes).",
        "series": "The name of the series the post belongs to.",
        "series_order": "The post's place in its series; by date when not given.",
        "blog": "The blog the post is in, a key of ``blogposts_blogs``; default the blog "
                "whose ``pattern`` matches the document, else whose folder holds it, else "
                "the first.",
        "location": "Where the post was written: keys of ``blogposts_locations`` or names, "
                    "comma-separated; default ``blogposts_default_location``.",
        "language": "The language the post is written in: keys of ``blogposts_languages`` "
                    "or names; default ``blogposts_default_language`` (Sphinx's ``language`` "
                    "stays the site's).",
        "redirect": "Pages where the post stood before (``old/name``, comma-separated): each "
                    "gets a redirect page to the post.",
        "external_link": "An http(s) URL that lists link the post's title to instead of its "
                         "page (a post published elsewhere).",
        "canonical_link": _ABLOG_WARNED + " (the canonical link is the post's URL).",
        "nocomments": _ABLOG_ACCEPTED + " (there are no comments).",
        "exclude": _ABLOG_ACCEPTED + ": the body is never shown on the page.",
    },
    "category": {
        "slug": "The category's slug in URLs; default derived from its name.",
        "image": "An image shown on the category's block, its page and the category index.",
        "blog": "The blog whose category it declares (a key of ``blogposts_blogs``); default "
                "the blog whose folder holds the document, else every blog.",
    },
    "postlist": {
        "category": "Only posts in these categories (comma-separated).",
        "tags": "Only posts with these tags (comma-separated).",
        "author": "Only posts by these authors (comma-separated keys or names).",
        "year": "Only posts of that year.",
        "limit": "At most that many posts (also the directive's argument).",
        "sort": "``newest`` (the default) or ``oldest`` first; ABlog's flag alone means "
                "``oldest``.",
        "format": "``list`` (the default), ``cards`` or ``titles``; an ABlog template such as "
                  "``{date} - {title}`` is read as ``list``.",
        "excerpts": "Show each post's excerpt (a flag).",
        "blog": "The blog whose posts are listed (a key of ``blogposts_blogs``, or ``all`` "
                "for every blog's); default the blog of the page the list stands on.",
        "location": "Only posts written from one of these locations (keys or names).",
        "language": "Only posts in one of these languages (keys or names).",
        "date": _ABLOG_ACCEPTED + ": dates are shown with ``blogposts_date_format``.",
        "list-style": _ABLOG_ACCEPTED + ".",
        "expand": _ABLOG_ACCEPTED + ": each listed post's title links to it.",
    },
}


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
        self.env.events.emit(POST_OPTIONS_EVENT, raw, (self.env.docname, self.lineno))
        marker = bp_nodes.post_marker()
        marker["raw"] = raw
        # the reader walks the document for markers only when there are some
        self.env.temp_data["blogposts_markers"] = True
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
        "blog": _raw_option,
    }

    def run(self) -> list[nodes.Node]:
        node = bp_nodes.category()
        node["name"] = " ".join(self.arguments[0].split())
        node["slug"] = self.options.get("slug", "")
        node["blog"] = self.options.get("blog", "")
        self.set_source_info(node)
        image = self.options.get("image", "")
        if image:
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
    optional_arguments = 1  # ABlog's number of posts, as :limit:
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **{name: _raw_option for name in POSTLIST_OPTIONS},
        "excerpts": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        node = bp_nodes.postlist()
        raw = {k: ("" if v is None else v) for k, v in self.options.items()}
        self.env.events.emit(POSTLIST_OPTIONS_EVENT, raw, list(self.arguments),
                             (self.env.docname, self.lineno))
        node["raw"] = raw
        node["excerpts"] = "excerpts" in self.options
        self.set_source_info(node)
        return [node]
