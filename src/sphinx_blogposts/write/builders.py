"""What a builder does with the blog: which builders get its generated pages, which render
templates (the serializing ones write the page context itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.builders.html import StandaloneHTMLBuilder

if TYPE_CHECKING:
    from sphinx.builders import Builder


def has_pages(builder: Builder) -> bool:
    """Whether this builder gets the generated blog pages: html, dirhtml and their kin."""
    if not isinstance(builder, StandaloneHTMLBuilder):
        return False
    return builder.name != "singlehtml" and not builder.name.startswith("epub")


def renders_templates(builder: Builder) -> bool:
    """Whether the builder renders its pages' templates: json and pickle (Sphinx's
    serializing builders) write the page context itself, which must hold only data."""
    return getattr(builder, "implementation", None) is None
