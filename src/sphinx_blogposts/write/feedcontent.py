"""A post's whole content for feeds: its doctree resolved and rendered by the HTML builder,
with absolute links, without header links and scripts; a section post's section only."""

from __future__ import annotations

import html
import inspect
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..base.nodes import html_block
from .feedxml import HTML_TAG, without_scripts

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..model.posts import Post

logger = logging.getLogger("sphinx_blogposts")


# -- full content ----------------------------------------------------------------------------

_URL_ATTR = re.compile(r'(\s(?:href|src|poster|data)=)"([^"]*)"', re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: the pilcrow links Sphinx adds to headings: noise in a feed reader
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def absolutize(fragment: str, page_url: str) -> str:
    """Every relative ``href`` and ``src`` of an HTML fragment made absolute against the URL
    of the page the fragment was rendered for."""

    def attr(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        if not value or _SCHEME.match(value) or value.startswith("//"):
            return match[0]
        return f'{match[1]}"{html.escape(urljoin(page_url, value))}"'

    return HTML_TAG.sub(lambda tag: _URL_ATTR.sub(attr, tag[0]), fragment)


_BUILDER_STATE = ("current_docname", "imgpath", "dlpath", "secnumbers", "fignumbers")


def render_content(app: Sphinx, post: Post, page_url: str) -> str:
    """The post's body as HTML with absolute URLs: its resolved doctree without the title,
    the metadata line and the footer (the feed shows those itself); the cover image stays."""
    builder: Any = app.builder
    env = app.env
    docname = post.docname
    saved = {name: getattr(builder, name, None) for name in _BUILDER_STATE}
    target = builder.get_target_uri(docname)
    try:
        builder.current_docname = docname
        builder.imgpath = relative_uri(target, builder.imagedir)
        builder.dlpath = relative_uri(target, "_downloads")
        builder.secnumbers = env.toc_secnumbers.get(docname, {})
        builder.fignumbers = env.toc_fignumbers.get(docname, {})
        # problems of the post were reported when it was written: do not repeat them
        with logging.suppress_logging():
            doctree = _resolved(app, docname)
            if post.section:
                _only_section(doctree, post.section)
            _strip(doctree)
            builder.post_process_images(doctree)
            # the writer's own path (``write_doc``): the builder's translator over the whole
            # doctree, so every node the page shows, any extension's included, renders here
            # too; render_partial would apply docutils' writer transforms, which know no
            # Sphinx node (``seealso``, ``versionmodified``, ``desc``)
            doctree.settings = builder.docsettings
            visitor = builder.create_translator(doctree, builder)
            doctree.walkabout(visitor)
            fragment = "".join(visitor.fragment)
    finally:
        for name, value in saved.items():
            setattr(builder, name, value)
    fragment = _HEADERLINK.sub("", fragment)
    return without_scripts(absolutize(fragment.strip(), page_url))


def _resolved(app: Sphinx, docname: str) -> nodes.document:
    resolve: Any = app.env.get_and_resolve_doctree
    if "tags" in inspect.signature(resolve).parameters:  # Sphinx 9 wants them
        return resolve(docname, app.builder, tags=app.builder.tags)  # type: ignore[no-any-return]
    return resolve(docname, app.builder)  # type: ignore[no-any-return]


def _only_section(doctree: nodes.document, section_id: str) -> None:
    """A section post's feed body is its section (ABlog's too), not the whole page."""
    for section in doctree.findall(nodes.section):
        if section_id in section["ids"]:
            doctree[:] = [section.deepcopy()]
            return


def _strip(doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            section.remove(section[0])
        break
    for node in list(doctree.findall(nodes.docinfo)):
        node.parent.remove(node)
    for block in list(doctree.findall(html_block)):  # a header without cover, a footer
        block.parent.remove(block)
    for box in list(doctree.findall(nodes.container)):
        classes: list[str] = box.get("classes", [])
        if "blogposts-post-footer" in classes:
            box.parent.remove(box)
        elif "blogposts-post-header" in classes:
            images: list[nodes.Node] = [img.deepcopy() for img in box.findall(nodes.image)]
            box.parent.replace(box, images)
