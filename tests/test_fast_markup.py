"""The markup written for html and dirhtml equals what the format-neutral nodes give.

For those builders a post's header and footer are one node holding finished markup (see
``nodes.html_block``); every other builder, and a header with a cover image or a series box,
gets the docutils nodes.  Both must give the same HTML, byte for byte, hostile names included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes

from sphinx_blogposts.model.cards import post_data
from sphinx_blogposts.model.views import get_view
from sphinx_blogposts.write.builders import has_pages
from sphinx_blogposts.write.render import Renderer

from helpers import build, copy_root


def through_translator(app: object, made: list[nodes.Node], rtl: bool) -> str:
    """The nodes rendered by the builder's own HTML translator, as on a post page."""
    out = []
    for node in made:
        if rtl and isinstance(node, nodes.Element):
            node["classes"].append("blogposts-rtl")
        out.append(str(app.builder.render_partial(node)["fragment"]))  # type: ignore[attr-defined]
    return "".join(out)


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
@pytest.mark.parametrize("root", ["escape", "basic"])
def test_header_and_footer_markup_equal_the_nodes(tmp_path: Path, rootdir: Path, root: str,
                                                  builder: str) -> None:
    src = copy_root(rootdir, root, tmp_path)
    app = build(src, builder, confoverrides={"blogposts_drafts": "show"})
    view = get_view(app.env)
    checked = 0
    for docname in sorted(view.by_doc):
        data = post_data(view, docname)
        renderer = Renderer(app.builder, docname, view, has_pages(app.builder))
        assert renderer.fast()
        for rtl in (False, True):
            header = renderer.header_html(data[0], rtl)
            assert header["html"] == through_translator(app, renderer.header(data, [])[:1], rtl)
            footer = renderer.footer_html(data, rtl)
            expected = through_translator(app, renderer.footer(data), rtl)
            assert (footer["html"] if footer is not None else "") == expected
            checked += 1
    assert checked >= 4
    if root == "escape":  # the hostile names did reach the markup, encoded
        evil = post_data(view, "blog/posts/evil")[0]
        markup = Renderer(app.builder, "blog/posts/evil", view, True).header_html(evil, False)
        assert "&lt;script&gt;" in markup["html"] and "<script>" not in markup["html"]


def test_search_index_keeps_the_tags_and_skips_the_rest(tmp_path: Path,
                                                        rootdir: Path) -> None:
    """The header's tags stay searchable; its date line and the footer do not."""
    src = copy_root(rootdir, "escape", tmp_path)
    app = build(src, "html")
    view = get_view(app.env)
    renderer = Renderer(app.builder, "blog/posts/evil", view, True)
    data = post_data(view, "blog/posts/evil")
    header = renderer.header_html(data[0], False)
    assert header.astext().split()[0] == "Tags:"
    assert "plain" in header.astext()
    footer = renderer.footer_html(data, False)
    assert footer is not None and "no-search" in footer["classes"] and not footer.children
