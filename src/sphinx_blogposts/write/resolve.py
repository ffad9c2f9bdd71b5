"""Filling the placeholders when a document is written, and keeping hidden drafts unwritten."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..base import nodes as bp_nodes
from ..base.config import get_blogs
from ..base.diagnostics import Subtype, guard, warn
from ..base.i18n import direction
from ..model.cards import make_card, post_data, query_data
from ..model.posts import get_index
from ..model.view import BlogView
from ..model.views import blog_of, get_view, hidden_docs, query_view
from .builders import has_pages
from .plans import warn_collisions
from .render import Renderer

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@guard(lambda app, doctree, docname: f"filling in the blog content of {docname!r}")
def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every placeholder with nodes built from the index."""
    found = bp_nodes.placeholders(doctree)  # one walk, not one per kind
    if not found:
        return
    env = app.env
    view = get_view(env, blog_of(env, docname))  # the page's blog: its own post's
    index = get_index(env)
    renderer = Renderer(app.builder, docname, view, has_pages(app.builder))
    rtl = direction(view.config.language) == "rtl"

    def replace(node: nodes.Element, new: list[nodes.Node] | nodes.Node) -> None:
        made = new if isinstance(new, list) else [new]
        if rtl:  # right to left under any theme, even one that sets no ``dir``
            for item in made:
                if isinstance(item, nodes.Element):
                    item["classes"].append("blogposts-rtl")
        node.replace_self(made)

    # singlehtml resolves one tree holding many documents: each node knows its own
    fast = renderer.fast()
    for header in [n for n in found if isinstance(n, bp_nodes.post_header)]:
        if header.get("section"):  # a section post: its date, authors and tags
            owner = header.get("docname", docname)
            key = f"{owner}#{header['section']}"
            post = view.by_key.get(key) or _section_post(env, key)
            if post is None:
                header.replace_self([])
                continue
            card = make_card(get_view(env, post.blog), post)
            if fast:
                header.replace_self(renderer.header_html(card, rtl))
            else:
                replace(header, renderer.header((card, None, None, (), None), []))
            continue
        data = post_data(_post_view(env, view, header.get("docname", docname)),
                         header.get("docname", docname))
        cover: list[nodes.Node] = [c for c in header.children if isinstance(c, nodes.image)]
        if data and not cover and renderer.html and bp_nodes.is_external(data[0].image):
            # a remote or inline cover stays out of the doctree (a builder that downloads
            # remote images would fetch it); the HTML page shows it as the cards do
            cover = [bp_nodes.image_node(data[0].image, data[0].image_alt or "",
                                     ["blogposts-cover"])]
        if data and fast and not cover and data[4] is None:
            header.replace_self(renderer.header_html(data[0], rtl))
        else:
            replace(header, renderer.header(data, cover) if data else [])
    for footer in [n for n in found if isinstance(n, bp_nodes.post_footer)]:
        data = post_data(_post_view(env, view, footer.get("docname", docname)),
                         footer.get("docname", docname))
        if data and fast:
            block = renderer.footer_html(data, rtl)
            footer.replace_self(block if block is not None else [])
        else:
            replace(footer, renderer.footer(data) if data else [])
    for node in [n for n in found if isinstance(n, bp_nodes.postlist)]:
        query = _query_of(index, node, docname)
        if query is None:
            node.replace_self([])
            continue
        shown = query_view(env, node.get("docname", docname), query)
        replace(node, renderer.post_list(query_data(shown, query), query.format,
                                         query.excerpts))
    for cat in [n for n in found if isinstance(n, bp_nodes.category)]:
        query = _query_of(index, cat, docname)
        if query is None:
            cat.replace_self([])
            continue
        shown = query_view(env, cat.get("docname", docname), query)
        replace(cat, renderer.category_block(cat, query_data(shown, query), shown))


def _post_view(env: BuildEnvironment, view: BlogView, docname: str) -> BlogView:
    """The view of a document's own post: the page's, unless (singlehtml) the document is
    another one."""
    # (not ``env.docname``: Sphinx 7 has none while writing)
    return view if docname in view.by_doc else get_view(
        env, blog_of(env, docname))


def _section_post(env: BuildEnvironment, key: str) -> Any:
    """A section's post, in whichever blog it is (a section may name its own)."""
    for blog in get_blogs(env.config).blogs:
        post = get_view(env, blog.key).by_key.get(key)
        if post is not None:
            return post
    return None


def _query_of(index: Any, node: nodes.Element, docname: str) -> Any:
    queries = index.queries.get(node.get("docname", docname), [])
    number = node.get("query")
    if number is None or number >= len(queries):
        return None
    return queries[number]


@guard(lambda app, env: "checking the blog's categories and slugs")
def on_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Warnings that need the whole index: duplicate declarations and slug clashes."""
    warn_collisions(app)
    for blog in get_blogs(app.config).blogs:
        _check_blog(env, get_view(env, blog.key))


def _check_blog(env: BuildEnvironment, view: BlogView) -> None:
    """One blog's duplicate declarations and slug clashes."""
    for decl, first in view.duplicate_decls:
        warn(Subtype.duplicate,
             f"category {decl.name!r} is already declared in {first.docname} "
             f"(line {first.line}); this declaration is ignored", (decl.docname, decl.line))
    index = get_index(env)
    for kind, clashes in (("category", view.category_clashes), ("tag", view.tag_clashes),
                          ("author", view.author_clashes)):
        for name, other, slug in clashes:
            location = _where_named(index, kind, name)
            warn(Subtype.slug,
                 f"{kind} {name!r} has the same slug as {other!r}; its page is {slug!r}",
                 location)


def _where_named(index: Any, kind: str, name: str) -> tuple[str, int] | None:
    """The first post (or declaration) that uses a name, for a warning's location."""
    if kind == "category":
        for docname in sorted(index.categories):
            for decl in index.categories[docname]:
                if decl.name == name:
                    return (decl.docname, decl.line)
    field, key = {"category": ("categories", "category"), "tag": ("tags", "tags"),
                  "author": ("authors", "author")}[kind]
    for post in index.all_posts():
        if name in getattr(post, field):
            return (post.docname, post.line_of(key))
    return None


def hide_drafts(app: Sphinx) -> None:
    """A draft of a blog with ``drafts = "hide"`` gets no page and is not in the search index.

    Sphinx has no event to skip writing a document, so the builder's two per-document write
    steps are wrapped; both run in the main process, and ``write_doc`` also in workers,
    which fork after this is set.
    """
    builder = app.builder
    if getattr(builder, "_blogposts_wrapped", False):
        return
    original_serialized = builder.write_doc_serialized
    original_write = builder.write_doc

    def hidden(docname: str) -> bool:
        return docname in hidden_docs(app.env)

    def write_doc_serialized(docname: str, doctree: nodes.document) -> None:
        if not hidden(docname):
            original_serialized(docname, doctree)

    def write_doc(docname: str, doctree: nodes.document) -> None:
        if not hidden(docname):
            original_write(docname, doctree)

    builder.write_doc_serialized = write_doc_serialized  # type: ignore[method-assign]
    builder.write_doc = write_doc  # type: ignore[method-assign]
    _skip_hidden_outputs(app)
    builder._blogposts_wrapped = True  # type: ignore[attr-defined]


def _skip_hidden_outputs(app: Sphinx) -> None:
    """A hidden draft has no output file, so Sphinx counts it out of date in every build and
    resolves its doctree for a write that never happens: a site with scheduled posts paid
    that in every no-op build.  Those posts are left out of the builder's outdated
    documents; one re-read (published, edited) is written all the same, as Sphinx writes
    every document it read."""
    builder = app.builder
    original = builder.get_outdated_docs
    outfile = getattr(builder, "get_outfilename", None)
    if outfile is None:
        return

    def get_outdated_docs() -> Any:
        found = original()
        if isinstance(found, str):
            return found
        docs = list(found)
        posts = get_index(app.env).posts
        missing = [d for d in docs if d in posts and not os.path.exists(outfile(d))]
        if not missing:  # no post without its page: no view needed (a large blog's edit)
            return docs
        hidden = hidden_docs(app.env)
        return [d for d in docs if d not in hidden]

    builder.get_outdated_docs = get_outdated_docs  # type: ignore[method-assign]
