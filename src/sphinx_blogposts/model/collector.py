"""The env side: collect posts and listings per document, merge parallel reads, and tell
Sphinx which unchanged documents must be written again because what they show changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Set
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import docname_join

from ..base import nodes as bp_nodes
from ..base.config import FACETS, get_config
from ..base.dates import now_timestamp
from ..base.diagnostics import Subtype, guard, warn
from ..base.nodes import is_external
from ..base.slugs import slugify
from ..read.directives import CATEGORY_IMAGE
from ..read.frontmatter import MetadataError, to_list, to_positive_int
from ..read.gather import Draft
from .blog import (
    BlogIndex,
    BlogView,
    CategoryDecl,
    Paragraph,
    Piece,
    Post,
    Query,
    get_index,
    merge_pieces,
    plain_paragraph,
)
from .cards import make_card, post_data, query_data

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

CATEGORY_LIST_LIMIT = 5
_SPACE = re.compile(r"\s+")
#: inline content an excerpt leaves out: footnote and citation marks, images, raw markup
_SKIP_INLINE = (nodes.footnote_reference, nodes.citation_reference, nodes.image, nodes.raw,
                nodes.substitution_definition, nodes.target, nodes.problematic)
_SKIP_EXCERPT = (nodes.docinfo, nodes.field_list, nodes.Admonition, nodes.topic,
                 nodes.sidebar, nodes.table, nodes.footnote, nodes.citation, nodes.system_message,
                 bp_nodes.post_header, bp_nodes.post_footer, bp_nodes.category,
                 bp_nodes.postlist)


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
        post = _finish_post(app, doctree, docname, found)
        if post is not None:
            index.posts[docname] = post
            sections = _section_posts(doctree, docname, found)
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
            decl = _category(cat, docname)
            if decl is None:
                continue
            decls.append(decl)
            cat["docname"] = docname
            cat["query"] = len(queries)
            queries.append(Query(categories=(decl.name,), limit=CATEGORY_LIST_LIMIT))
        for node in [n for n in found if isinstance(n, bp_nodes.postlist)]:
            node["query"] = len(queries)
            queries.append(_query(node, docname))
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
        view = get_view(app.env)
        hidden = tuple(sorted(view.hidden))
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
            value = fingerprint(view, index, docname)
            if index.written.get(key) != value:
                index.written[key] = value
                stale.append(docname)
        return [d for d in stale if d not in view.hidden]


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


def listing_digest(env: BuildEnvironment) -> str:
    """A digest of everything a post list, a neighbour link, a post header or a generated
    page can show of the blog: every post's card and its status (which is where "now" counts), the
    category declarations, the images they name, and the configuration.  Computed once per
    view, in linear time.
    """
    view = get_view(env)
    cached: str | None = view.__dict__.get("_listing_digest")
    if cached is not None:
        return cached
    index = get_index(env)
    digest = hashlib.sha1(repr(view.config).encode("utf-8"))
    for post in index.all_posts():
        if post.key not in view.by_key:  # shown nowhere (its tags may have no page): only that
            digest.update(repr(("hidden", post.key)).encode("utf-8"))
            continue
        # what lists show of a post (its card: reading time, not its word count), and what
        # orders and groups it
        data = (make_card(view, post), post.date.timestamp, post.series, post.series_order)
        digest.update(repr(data).encode("utf-8"))
    images = {p.image for p in index.all_posts() if p.image}
    for docname in sorted(index.categories):
        for decl in index.categories[docname]:
            body = [n.pformat() for n in decl.body if isinstance(n, nodes.Node)]
            digest.update(repr((decl, body)).encode("utf-8"))
            if decl.image:
                images.add(decl.image)
    found = [(i, str(env.images[i][1]) if i in env.images else "") for i in sorted(images)]
    digest.update(repr(found).encode("utf-8"))
    value = view.__dict__["_listing_digest"] = digest.hexdigest()
    return value


def fingerprint(view: BlogView, index: BlogIndex, docname: str) -> str:
    """A digest of the blog content a document shows."""
    data = (
        docname in view.hidden,
        post_data(view, docname),
        tuple(query_data(view, q) for q in index.queries.get(docname, ())),
    )
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


_VIEWS: WeakKeyDictionary[BlogIndex, tuple[int, BlogView]] = WeakKeyDictionary()


def get_view(env: BuildEnvironment) -> BlogView:
    """The view of the current index, built once per change of the index."""
    index = get_index(env)
    cached = _VIEWS.get(index)
    if cached is not None and cached[0] == index.revision:
        return cached[1]
    cfg = get_config(env.config)
    view = BlogView(index, cfg, now_timestamp(cfg.now), _link_titles(env))
    _VIEWS[index] = (index.revision, view)
    return view


def _link_titles(env: BuildEnvironment) -> Callable[[str, str], str | None]:
    """What an excerpt's cross-reference shows: the document's or the section's title."""

    def title(kind: str, target: str) -> str | None:
        if kind == "doc":
            node = env.titles.get(target)
            return node.astext() if node is not None else None
        if kind == "ref":
            labels = getattr(env.get_domain("std"), "labels", {})
            found = labels.get(target)
            return str(found[2]) if found and found[2] else None
        return None

    return title


# -- reading helpers -------------------------------------------------------------------------

def _finish_post(app: Sphinx, doctree: nodes.document, docname: str,
                 found: list[nodes.Element]) -> Post | None:
    header = next((n for n in found if isinstance(n, bp_nodes.post_header)
                   and not n.get("section")), None)
    if header is None:
        return None
    draft: Draft | None = getattr(header, "draft", None)
    if draft is None:
        return None
    del header.draft  # type: ignore[attr-defined]
    title = draft.title or _first_title(doctree) or docname
    excerpt = (tuple(plain_paragraph(p) for p in draft.excerpt)
               or _first_paragraphs(doctree, docname, draft.excerpt_paragraphs))
    image = ""
    cover = next(iter(header.findall(nodes.image)), None)
    if cover is not None:
        image = str(cover["uri"])
    elif draft.image:
        image = _image_by_uri(doctree, draft.image, header)
    words = len(doctree.astext().split())
    return Post(
        docname=docname,
        title=title,
        date=draft.date,
        updated=draft.updated,
        authors=draft.authors,
        categories=draft.categories,
        tags=draft.tags,
        excerpt=excerpt,
        description=draft.description,
        image=image,
        image_alt=draft.image_alt,
        draft=draft.draft,
        words=words,
        line=draft.line,
        lines=draft.lines,
        pinned=draft.pinned,
        series=draft.series,
        series_order=draft.series_order,
        redirects=draft.redirects,
        external_link=draft.external_link,
        facets=draft.facets,
        undated=draft.undated,
    )


def _section_posts(doctree: nodes.document, docname: str,
                   found: list[nodes.Element]) -> tuple[Post, ...]:
    """The posts the document's sections make: a section's title, excerpt and images are
    its own; its words count in the page's post too."""
    made: list[Post] = []
    for header in found:
        if not isinstance(header, bp_nodes.post_header) or not header.get("section"):
            continue
        draft: Draft | None = getattr(header, "draft", None)
        section = header.parent
        if draft is None or not isinstance(section, nodes.section):
            continue
        del header.draft  # type: ignore[attr-defined]
        title = draft.title or (section[0].astext() if isinstance(section[0], nodes.title)
                                else header["section"])
        excerpt = (tuple(plain_paragraph(p) for p in draft.excerpt)
                   or _first_paragraphs(section, docname, draft.excerpt_paragraphs))
        image = _image_by_uri(section, draft.image, header) if draft.image else ""
        made.append(Post(
            docname=docname, section=str(header["section"]), title=title, date=draft.date,
            updated=draft.updated, authors=draft.authors, categories=draft.categories,
            tags=draft.tags, excerpt=excerpt, description=draft.description, image=image,
            image_alt=draft.image_alt, draft=draft.draft,
            words=len(section.astext().split()), line=draft.line, lines=draft.lines,
            pinned=draft.pinned, series=draft.series, series_order=draft.series_order,
            redirects=draft.redirects, external_link=draft.external_link,
            facets=draft.facets, undated=draft.undated))
    return tuple(made)


def _image_by_uri(doctree: nodes.Element, uri: str, header: nodes.Element) -> str:
    """The collected (source-relative) path of a body image named by ``:image: N``."""
    if is_external(uri):
        return uri
    for node in doctree.findall(nodes.image):
        if node.get("uri") and not _inside(node, header):
            original = node.get("original_uri", node["uri"])
            if original == uri or node["uri"] == uri or node["uri"].endswith(uri):
                return str(node["uri"])
    return ""


def _inside(node: nodes.Node, ancestor: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def _first_title(doctree: nodes.document) -> str:
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            return section[0].astext()
    title = next(iter(doctree.findall(nodes.title)), None)
    return title.astext() if title is not None else ""


def _first_paragraphs(doctree: nodes.Element, docname: str,
                      count: int) -> tuple[Paragraph, ...]:
    """The first ``count`` body paragraphs, skipping docinfo, admonitions and our nodes."""
    found: list[Paragraph] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if len(found) >= count:
                return
            if isinstance(child, _SKIP_EXCERPT):
                continue
            if isinstance(child, nodes.paragraph):
                paragraph = _squeezed(_pieces(child, docname))
                if paragraph:
                    found.append(paragraph)
            elif isinstance(child, nodes.section | nodes.container | nodes.compound):
                walk(child)

    walk(doctree)
    return tuple(found)


def _pieces(node: nodes.Element, docname: str) -> Iterator[Piece]:
    """A paragraph's text, its inline code marked, and its cross-references that show their
    target's title (``{doc}`/x```, ``{ref}`label```, ``[](x.md)``) kept as targets."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield ("", str(child))
        elif isinstance(child, nodes.literal):
            yield ("code", child.astext())
        elif isinstance(child, addnodes.pending_xref) and not child.get("refexplicit"):
            target = str(child.get("reftarget", ""))
            kind = child.get("reftype")
            if kind == "doc" and target:
                if child.get("refdomain") == "std":  # relative to the referring document
                    target = docname_join(child.get("refdoc") or docname, target)
                yield ("doc", target.removesuffix(".md").removesuffix(".rst"))
            elif kind == "ref" and target:
                yield ("ref", target.lower())
            else:
                yield ("code" if any(True for _ in child.findall(nodes.literal)) else "",
                       child.astext())
        elif isinstance(child, nodes.Element) and not isinstance(child, _SKIP_INLINE):
            yield from _pieces(child, docname)


def _squeezed(pieces: Iterator[Piece]) -> Paragraph:
    """Runs of white space made one space, none at either end, adjacent runs joined."""
    out: list[Piece] = []
    for kind, value in merge_pieces(pieces):
        value = _SPACE.sub(" ", value)
        if not out or out[-1][1].endswith(" "):
            value = value.lstrip()
        if value:
            out.append((kind, value))
    if out:
        out[-1] = (out[-1][0], out[-1][1].rstrip())
    return tuple(piece for piece in out if piece[1])


def _category(node: nodes.Element, docname: str) -> CategoryDecl | None:
    name = str(node["name"]).strip()
    line = node.line or 1
    if not name:
        warn(Subtype.category, "a category directive needs a name", (docname, line))
        return None
    slug = ""
    if node.get("slug"):
        slug = slugify(str(node["slug"]))
    image = ""
    children = []
    for child in node.children:
        if isinstance(child, nodes.image) and CATEGORY_IMAGE in child["classes"]:
            image = str(child["uri"])
        else:
            children.append(child)
    body = tuple(child.deepcopy() for child in children)
    description = " ".join(" ".join(child.astext().split()) for child in body).strip()
    return CategoryDecl(name=name, docname=docname, line=line, slug=slug,
                        image=image, description=description, body=body)


def _query(node: nodes.Element, docname: str) -> Query:
    raw: dict[str, Any] = node["raw"]
    location = (docname, node.line or 1)
    fields: dict[str, Any] = {"excerpts": bool(node.get("excerpts")),
                              "ignore_unknown": "ignore-unknown" in raw}
    for key, field in (("category", "categories"), ("tags", "tags"), ("author", "authors")):
        if raw.get(key):
            items, errors = to_list(raw[key])
            for error in errors:
                warn(Subtype.metadata, f"postlist {key}: {error}", location)
            fields[field] = tuple(items)
    facets = []
    for kind in FACETS:
        if raw.get(kind):
            items, errors = to_list(raw[kind])
            for error in errors:
                warn(Subtype.metadata, f"postlist {kind}: {error}", location)
            facets.append((kind, tuple(items)))
    fields["facets"] = tuple(facets)
    for key in ("year", "limit"):
        if raw.get(key):
            try:
                fields[key] = to_positive_int(raw[key])
            except MetadataError as exc:
                warn(Subtype.metadata, f"postlist :{key}: {exc}; ignored", location)
    defaults = Query()
    for key, allowed in (("sort", ("newest", "oldest")), ("format", ("list", "cards", "titles"))):
        value = str(raw.get(key, "")).strip().lower()
        if not value:
            continue
        if value in allowed:
            fields[key] = value
        else:
            warn(Subtype.metadata,
                 f"postlist :{key}: {value!r} is not one of {', '.join(allowed)}; "
                 f"using {getattr(defaults, key)!r}", location)
    query = Query(**fields)
    return query


def setup_collector(app: Sphinx) -> None:
    app.add_env_collector(BlogCollector)
    # after Sphinx's own numbering (priority 500), which resets env.toc_fignumbers
    app.connect("env-get-updated", number_post_figures, priority=900)
