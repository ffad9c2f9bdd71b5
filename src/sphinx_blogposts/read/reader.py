"""From a document to its post, during reading: is it a post, and where do its header and
footer go.

The transform runs before smart quotes (so docinfo values are as written) and before the
image collector (so a cover image is copied like any other image).  Title, excerpt and
word count are taken later, at ``doctree-read``, from the finished doctree.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..base import nodes as bp_nodes
from ..base.config import BlogConfig, get_blogs
from ..base.diagnostics import Subtype, guard, warn
from ..base.nodes import is_external
from .coerce import read_metadata
from .frontmatter import (
    MARKDOWN,
    RawMetadata,
    front_matter_of,
    quote_impossible_dates,
    read_front_matter,
)
from .gather import DirectiveOptions, _docinfo_metadata, gather_metadata, split_directives
from .notebooks import quote_notebook_dates


class PostReader(SphinxTransform):
    """Decide whether the document is a post and read its metadata."""

    default_priority = 700  # after DocInfo (340), before SmartQuotes (750)

    @guard(lambda self, **kw: f"reading the post metadata of {self.env.docname!r}")
    def apply(self, **kwargs: Any) -> None:
        env = getattr(self.document.settings, "env", None)
        if env is None or not env.docname:
            return
        docname: str = env.docname
        blogs = get_blogs(self.config)
        markers: list[nodes.Element] = []
        if env.temp_data.get("blogposts_markers"):  # a post directive ran
            markers = [n for n in bp_nodes.placeholders(self.document)
                       if isinstance(n, bp_nodes.post_marker)]
        by_id: dict[str, nodes.section] = {}
        options = []
        for marker in markers:
            section = _section_of(marker)
            key = ""
            if section is not None and section.parent is not self.document and section["ids"]:
                key = str(section["ids"][0])
                by_id[key] = section
            options.append(DirectiveOptions(dict(marker["raw"]), marker.line or 1,
                                            tuple(marker.get("excerpt") or ()), key))
        for marker in markers:
            marker.parent.remove(marker)
        front = self._front_matter(docname)
        options, section_options = split_directives(front, options, blogs, docname)
        sections = [(by_id[o.section], o) for o in section_options]

        def report(subtype: Subtype, message: str, location: Any) -> None:
            # a duplicate directive is reported at its node, as before the refactoring
            for extra in markers[1:]:
                if subtype is Subtype.duplicate and location == (docname, extra.line or 1):
                    location = extra
                    break
            warn(subtype, message, location)

        found = gather_metadata(front, options, blogs, docname, report)
        if not found.is_post:
            return
        cfg = found.blog
        draft = read_metadata(found.values, found.lines, cfg, docname, found.default_line,
                              self.document, env)
        if draft is None:
            # still a post, so no toctree warning, but one that cannot be published
            self.document.append(bp_nodes.post_header(invalid=True))
            return
        if not draft.image and cfg.auto_image:
            images = list(self.document.findall(nodes.image))
            if len(images) >= cfg.auto_image:  # fewer: no cover, as ABlog
                draft.image = str(images[cfg.auto_image - 1]["uri"])
        if draft.title:
            _retitle(self.document, draft.title)
        header = bp_nodes.post_header()
        header.draft = draft  # type: ignore[attr-defined]
        if draft.image and not is_external(draft.image):
            header += nodes.image(uri=draft.image, alt=draft.image_alt or "",
                                  classes=["blogposts-cover"])
        footer = bp_nodes.post_footer()
        _place(self.document, header, footer)
        for section, opts in sections:
            self._section_post(section, opts, cfg, docname)

    def _section_post(self, section: nodes.section, opts: DirectiveOptions, page: BlogConfig,
                      docname: str) -> None:
        """A post made of one section: its metadata is its directive's alone (the front
        matter is the page's), its title the section's unless the directive gives one, its
        blog the page's unless the directive names one."""
        found = gather_metadata(RawMetadata({}, {}), [opts], get_blogs(self.config), docname,
                                inherit=page)
        cfg = found.blog
        draft = read_metadata(found.values, found.lines, cfg, docname, found.default_line,
                              section, self.env)
        if draft is None:
            return
        if not draft.image and cfg.auto_image:
            images = list(section.findall(nodes.image))
            if len(images) >= cfg.auto_image:
                draft.image = str(images[cfg.auto_image - 1]["uri"])
        header = bp_nodes.post_header(section=section["ids"][0])
        header.draft = draft  # type: ignore[attr-defined]
        title = 1 if section.children and isinstance(section[0], nodes.title) else 0
        section.insert(title, header)

    def _front_matter(self, docname: str) -> RawMetadata:
        # the text Sphinx read (kept by on_source_read for Markdown only), not the file read
        # a second time
        kept = self.env.temp_data.get("blogposts_source")
        found: RawMetadata | None = None
        if isinstance(kept, tuple) and kept[0] == docname:
            found = front_matter_of(kept[1])
        else:
            source = str(self.env.doc2path(docname))
            if source.endswith(MARKDOWN):
                found = read_front_matter(source)
        return found if found is not None else _docinfo_metadata(self.document)


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    """Make Markdown front matter safe for the parsers before they see it.

    Impossible dates (``2025-13-45``) are quoted for MyST; under myst-nb, a MyST notebook's
    dates are quoted too (see :mod:`.notebooks`).  Both leave every other source alone.
    """
    if not str(app.env.doc2path(docname)).endswith(MARKDOWN):
        return
    text = source[0]
    app.env.temp_data["blogposts_source"] = (docname, text)  # for PostReader._front_matter
    fixed = quote_impossible_dates(text)
    if fixed is not None:
        text = fixed
    if "myst_nb" in app.extensions:
        fixed = quote_notebook_dates(text)
        if fixed is not None:
            text = fixed
    source[0] = text


_ABOVE_TITLE = (nodes.docinfo, nodes.field_list, nodes.target, nodes.substitution_definition,
                nodes.comment, nodes.meta, nodes.system_message)


def _section_of(node: nodes.Node) -> nodes.section | None:
    """The nearest section holding ``node``."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _retitle(document: nodes.document, title: str) -> None:
    """The ``title`` of a post's metadata becomes its page's heading (as MyST's
    ``myst_title_to_header`` makes it), so that a reader who clicks a title in a list lands
    on a page with that title, and the page's ``<title>`` and the toctrees say it too."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        if section[0].astext() != title:
            section[0][:] = [nodes.Text(title)]
        return
    # no heading at all: one made above the body, as a page's first section
    lead = 0
    while lead < len(document.children) and isinstance(document[lead], _ABOVE_TITLE):
        lead += 1
    body = document.children[lead:]
    del document[lead:]
    section = nodes.section("", nodes.title(title, title), *body)
    section["names"].append(nodes.fully_normalize_name(title))
    document.note_implicit_target(section, section)
    document += section


def _place(document: nodes.document, header: nodes.Element, footer: nodes.Element) -> None:
    """Header right after the title, footer at the end of the top section."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, header)
        section.append(footer)
        return
    index = 0
    for i, child in enumerate(document.children):
        if isinstance(child, nodes.title | nodes.subtitle | nodes.docinfo | nodes.meta):
            index = i + 1
    document.insert(index, header)
    document.append(footer)
