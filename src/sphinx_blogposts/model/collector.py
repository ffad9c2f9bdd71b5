"""The env side: collect posts and listings per document, merge parallel reads, and tell
Sphinx which unchanged documents must be written again because what they show changed.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import replace
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector

from ..base import nodes as bp_nodes
from ..base.config import ALL_POSTS, get_blogs
from ..base.diagnostics import Subtype, guard, warn
from .extract import category_decl, finish_post, query_of, section_posts
from .posts import (
    CategoryDecl,
    Query,
    get_index,
)
from .views import fingerprint, hidden_docs, listing_digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


CATEGORY_LIST_LIMIT = 5
class BlogCollector(EnvironmentCollector):
    """Keeps ``env.blogposts`` (a :class:`BlogIndex`) in step with the sources."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        get_index(env).clear_doc(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        get_index(env).merge(set(docnames), get_index(other))

    @guard(lambda self, app, doctree: f"collecting the blog data of {app.env.docname!r}")
    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        index = get_index(env)
        found = bp_nodes.placeholders(doctree)  # one walk, not one per kind
        post = finish_post(app, doctree, docname, found)
        if post is not None:
            index.posts[docname] = post
            sections = section_posts(doctree, docname, found)
            if sections:
                index.sections[docname] = sections
            if env.config.numfig:
                numbers = _figure_numbers(env, doctree)
                if numbers:
                    index.fignumbers[docname] = numbers
        for node in found:
            if not isinstance(node, bp_nodes.post_marker):
                node["docname"] = docname
        if any(isinstance(n, bp_nodes.post_header) for n in found):
            # a post needs no toctree entry, even one whose metadata is broken
            env.metadata[docname]["orphan"] = True
        decls: list[CategoryDecl] = []
        queries: list[Query] = []
        for cat in [n for n in found if isinstance(n, bp_nodes.category)]:
            decl = category_decl(cat, docname)
            if decl is None:
                continue
            if not _known_blog(app, decl.blog, "category", (docname, decl.line)):
                decl = replace(decl, blog="")
            decls.append(decl)
            cat["docname"] = docname
            cat["query"] = len(queries)
            queries.append(Query(categories=(decl.name,), limit=CATEGORY_LIST_LIMIT,
                                 blog=decl.blog))
        for node in [n for n in found if isinstance(n, bp_nodes.postlist)]:
            node["query"] = len(queries)
            query = query_of(node, docname)
            if query.blog != "all" and not _known_blog(app, query.blog, "postlist",
                                                       (docname, node.line or 1)):
                query = replace(query, blog="")
            queries.append(query)
        if decls:
            index.categories[docname] = decls
        if queries:
            index.queries[docname] = queries
        index.touch(docname)

    def get_outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """Nothing needs re-reading: lists are filled at write time; see get_updated_docs."""
        return []

    @guard(lambda self, app, env: "finding the pages whose post lists changed")
    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Unchanged documents whose blog content (lists, neighbours, header) changed."""
        index = get_index(env)
        hidden_set = hidden_docs(env)
        hidden = tuple(sorted(hidden_set))
        builder = app.builder.name
        last = index.states.get(builder)
        if last is not None and last[:2] == (index.revision, hidden):
            return []  # nothing read, nothing published or withdrawn since the last build
        listing = listing_digest(env)
        shown = set(index.posts) | set(index.queries)
        if last is not None and last[1:] == (hidden, listing):
            # no list, neighbour or header shows anything new: only the documents read
            # since then can show other blog content (their own post lists)
            candidates = {d for d, rev in index.touched.items() if rev > last[0]}
        else:
            candidates = shown | {key.split(":", 1)[1] for key in index.written
                                  if key.startswith(f"{builder}:")}
        index.states[builder] = (index.revision, hidden, listing)
        stale = []
        for docname in sorted(candidates):
            key = f"{builder}:{docname}"
            if docname not in shown or docname not in env.all_docs:
                index.written.pop(key, None)
                continue
            value = fingerprint(env, docname)
            if index.written.get(key) != value:
                index.written[key] = value
                stale.append(docname)
        return [d for d in stale if d not in hidden_set]


def _known_blog(app: Sphinx, key: str, directive: str, location: tuple[str, int]) -> bool:
    """Whether a directive's ``:blog:`` names a blog ("" names none and is fine); a
    ``blogposts.metadata`` warning when it does not."""
    blogs = get_blogs(app.config)
    if not key or (blogs.several and key != ALL_POSTS and blogs.get(key) is not None):
        return True
    known = ", ".join(repr(b.key) for b in blogs.blogs) if blogs.several else ""
    warn(Subtype.metadata,
         f"{directive} :blog: {key!r} names no blog of blogposts_blogs "
         + (f"({known}); " if known else "(the site declares none); ")
         + "the blog of this page is used", location)
    return False


def _figure_numbers(env: BuildEnvironment,
                    doctree: nodes.document) -> dict[str, dict[str, tuple[int, ...]]]:
    """The numbers Sphinx would give a post's captioned figures, tables and code blocks
    were it in a toctree: counted by type in document order, without section numbers."""
    std = env.get_domain("std")
    domains = list(env.domains.sorted() if hasattr(env.domains, "sorted")
                   else env.domains.values())
    numbers: dict[str, dict[str, tuple[int, ...]]] = {}
    for node in doctree.findall(nodes.Element):
        if not node["ids"]:
            continue
        for domain in domains:  # as Sphinx's TocTreeCollector.assign_figure_numbers
            figtype = domain.get_enumerable_node_type(node)
            if domain is std and not std.get_numfig_title(node):  # type: ignore[attr-defined]
                continue  # an uncaptioned figure or table has no number
            if figtype:
                found = numbers.setdefault(figtype, {})
                found[node["ids"][0]] = (len(found) + 1,)
                break
    return numbers


def number_post_figures(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``, after Sphinx numbered the documents of its toctrees: give the
    posts, which are in none, their own numbers, so ``{numref}`` works in them."""
    if env.config.numfig:
        for docname, numbers in get_index(env).fignumbers.items():
            if docname not in env.toc_fignumbers:
                env.toc_fignumbers[docname] = {k: dict(v) for k, v in numbers.items()}
    return []


def setup_collector(app: Sphinx) -> None:
    app.add_env_collector(BlogCollector)
    # after Sphinx's own numbering (priority 500), which resets env.toc_fignumbers
    app.connect("env-get-updated", number_post_figures, priority=900)
