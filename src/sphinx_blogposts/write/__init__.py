"""Writing: placeholders filled when a document is written, the generated pages, sidebars,
feeds, redirects, link previews and cross-reference targets, all from the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base.config import get_blogs
from ..model.urls import note_builder
from . import foreign
from .feeds import setup_feeds
from .links import setup_links
from .pages import (
    add_templates,
    collect_pages,
    copy_static,
    end_workers,
    on_env_updated,
    write_pages_alongside,
)
from .redirects import setup_redirects
from .resolve import hide_drafts, on_check_consistency, on_doctree_resolved
from .seo import setup_seo
from .sidebars import on_html_page_context

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _builder_inited(app: Sphinx) -> None:
    note_builder(app.env, app.builder)
    add_templates(app)
    copy_static(app)
    write_pages_alongside(app)
    if app.builder.format == "html":
        app.add_css_file("blogposts.css")
    # each blog has its own drafts policy: the first may show its drafts, another hide them
    if any(blog.drafts == "hide" for blog in get_blogs(app.config).blogs):
        hide_drafts(app)


def setup(app: Sphinx) -> None:
    """Every handler of the writing side, in the order they depend on each other."""
    setup_redirects(app)  # declares the event an adapter adds its redirects through
    setup_links(app)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("html-collect-pages", collect_pages)
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", end_workers)
    app.connect("build-finished", foreign.save)
    app.connect("html-page-context", on_html_page_context)
    setup_seo(app)
    setup_feeds(app)
