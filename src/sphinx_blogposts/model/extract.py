"""What a read doctree says about its post: title, excerpt, words, cover image, its section
posts, and its category declarations and post lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join

from ..base import nodes as bp_nodes
from ..base.config import FACETS
from ..base.diagnostics import Subtype, warn
from ..base.nodes import is_external
from ..base.slugs import slugify
from ..read.directives import CATEGORY_IMAGE
from ..read.frontmatter import MetadataError, to_list, to_positive_int
from ..read.gather import Draft
from .posts import (
    CategoryDecl,
    Paragraph,
    Piece,
    Post,
    Query,
    plain_paragraph,
)
from .view import merge_pieces

if TYPE_CHECKING:
    from sphinx.application import Sphinx


_SPACE = re.compile(r"\s+")
#: inline content an excerpt leaves out: footnote and citation marks, images, raw markup
_SKIP_INLINE = (nodes.footnote_reference, nodes.citation_reference, nodes.image, nodes.raw,
                nodes.substitution_definition, nodes.target, nodes.problematic)
_SKIP_EXCERPT = (nodes.docinfo, nodes.field_list, nodes.Admonition, nodes.topic,
                 nodes.sidebar, nodes.table, nodes.footnote, nodes.citation, nodes.system_message,
                 bp_nodes.post_header, bp_nodes.post_footer, bp_nodes.category,
                 bp_nodes.postlist)


# -- reading helpers -------------------------------------------------------------------------

def finish_post(app: Sphinx, doctree: nodes.document, docname: str,
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
        blog=draft.blog,
    )


def section_posts(doctree: nodes.document, docname: str,
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
            facets=draft.facets, undated=draft.undated, blog=draft.blog))
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


def category_decl(node: nodes.Element, docname: str) -> CategoryDecl | None:
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
                        image=image, description=description, body=body,
                        blog=str(node.get("blog") or "").strip())


def query_of(node: nodes.Element, docname: str) -> Query:
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
    if str(raw.get("blog") or "").strip():
        fields["blog"] = str(raw["blog"]).strip()
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
