"""sphinx-blogposts: a blog inside any Sphinx site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx



def _env_version() -> int:
    """Changes whenever the pickled index changes shape, so Sphinx discards an old env.

    Derived from the model's field names and types and the package version instead of a hand-kept
    number that one would forget to bump.
    """
    import dataclasses
    import hashlib

    from .model import blog as model

    shape = [__version__]
    for cls in (model.BlogIndex, model.Post, model.CategoryDecl, model.Query):
        shape += [cls.__name__, *(f"{f.name}: {f.type}" for f in dataclasses.fields(cls))]
    return int(hashlib.sha1("/".join(shape).encode()).hexdigest()[:7], 16)


ENV_VERSION = _env_version()


def _builder_inited(app: Sphinx) -> None:
    from .model.urls import note_builder
    from .write.pages import add_templates, copy_static, write_pages_alongside
    from .write.resolve import hide_drafts

    note_builder(app.env, app.builder)
    add_templates(app)
    copy_static(app)
    write_pages_alongside(app)
    if app.builder.format == "html":
        app.add_css_file("blogposts.css")
    from .base.config import get_config

    if get_config(app.config).drafts == "hide":
        hide_drafts(app)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the config values, directives, nodes, collector and page generation."""
    from .base import nodes as bp_nodes
    from .base.config import setup_config
    from .model.collector import setup_collector
    from .read.directives import CategoryDirective, PostDirective, PostlistDirective
    from .read.reader import PostReader, on_source_read
    from .write import foreign
    from .write.feeds import setup_feeds
    from .write.links import setup_links
    from .write.pages import collect_pages, end_workers, on_env_updated
    from .write.redirects import setup_redirects
    from .write.resolve import on_check_consistency, on_doctree_resolved
    from .write.seo import setup_seo
    from .write.sidebars import on_html_page_context

    setup_config(app)
    setup_redirects(app)  # declares the event the ABlog adapter connects to
    from .compat.ablog import setup_ablog

    setup_ablog(app)
    from .base.i18n import CATALOG, LOCALE_DIR

    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    passthrough = (bp_nodes.visit_passthrough, bp_nodes.depart_passthrough)
    app.add_node(
        bp_nodes.time_,
        html=(bp_nodes.visit_time_html, bp_nodes.depart_time_html),
        latex=passthrough, text=passthrough, man=passthrough, texinfo=passthrough,
    )
    app.add_node(bp_nodes.html_block, html=(bp_nodes.visit_html_block, None))
    for node in bp_nodes.PLACEHOLDERS:
        app.add_node(node)
    app.add_directive("post", PostDirective)
    app.add_directive("category", CategoryDirective)
    app.add_directive("postlist", PostlistDirective)
    app.add_transform(PostReader)
    app.connect("source-read", on_source_read)
    setup_collector(app)
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
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
