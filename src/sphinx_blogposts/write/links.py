"""Links from sources to generated pages: ``{doc}`/blog/index``` and MyST links such as
``[All posts](/blog/index)`` or ``[Python](/blog/tag/python.html)``.

Generated pages are not documents, so Sphinx and MyST cannot resolve them by themselves:
``{doc}`` asks ``missing-reference``, and MyST asks every domain's ``resolve_any_xref``.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util.nodes import make_refnode

from .builders import has_pages
from .plans import page_names

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def _page_for(env: BuildEnvironment, refdoc: str, target: str) -> str | None:
    """The generated page a link target names, relative to ``refdoc`` or absolute."""
    target = target.strip().split("#", 1)[0]
    if not target:
        return None
    if target.startswith("/"):
        name = target.lstrip("/")
    else:
        name = posixpath.normpath(posixpath.join(posixpath.dirname(refdoc), target))
    for suffix in (".html", "/"):
        name = name.removesuffix(suffix)
    names = page_names(env)
    for candidate in (name, f"{name}/index"):
        if candidate in names:
            return candidate
    return None


def _reference(builder: Builder, fromdocname: str, page: str,
               contnode: nodes.Element) -> nodes.Element:
    if not has_pages(builder):
        return contnode  # the page exists only in HTML output: keep the text
    return make_refnode(builder, fromdocname, page, "", contnode)


def on_missing_reference(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                         contnode: nodes.Element) -> nodes.Element | None:
    """``{doc}`` links to generated pages."""
    if node.get("reftype") != "doc":
        return None
    page = _page_for(env, node.get("refdoc", ""), str(node["reftarget"]))
    if page is None:
        return None
    if not node.get("refexplicit"):
        title = page_names(env)[page]
        contnode = nodes.inline(title, title)
    return _reference(app.builder, node.get("refdoc", ""), page, contnode)


class BlogDomain(Domain):
    """Resolves MyST links whose target is a generated blog page."""

    name = "blogposts"
    label = "Blog"
    object_types: ClassVar[dict[str, Any]] = {}
    roles: ClassVar[dict[str, Any]] = {}
    initial_data: ClassVar[dict[str, Any]] = {}

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        """Nothing is stored here; the blog index lives in the env."""

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                     typ: str, target: str, node: pending_xref,
                     contnode: nodes.Element) -> nodes.reference | None:
        page = _page_for(env, fromdocname, target)
        if page is None:
            return None
        # outside HTML this is the plain text node, which every writer handles
        return cast("nodes.reference", _reference(builder, fromdocname, page, contnode))

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref,
                         contnode: nodes.Element) -> list[tuple[str, nodes.reference]]:
        found = self.resolve_xref(env, fromdocname, builder, "page", target, node, contnode)
        return [("blogposts:page", found)] if found is not None else []


def setup_links(app: Sphinx) -> None:
    app.add_domain(BlogDomain)
    app.connect("missing-reference", on_missing_reference)
