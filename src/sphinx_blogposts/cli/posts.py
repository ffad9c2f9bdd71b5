"""The posts of a site, each with its metadata coerced exactly as the build coerces it and
the problems the build would warn about."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.diagnostics import WARNING_TYPE, Subtype
from ..read.coerce import check_image, coerce_metadata
from ..read.frontmatter import (
    MARKDOWN,
    MetadataError,
    RawMetadata,
    is_number,
    to_positive_int,
)
from ..read.gather import Draft, gather_metadata, split_directives
from .site import Site, display_path, source_files
from .sources import IMAGE_MD, IMAGE_MYST, IMAGE_RST, Source, SourceTree, read_source

# -- posts -----------------------------------------------------------------------------

@dataclass
class Problem:
    """One warning, as the build would print it."""

    path: Path
    line: int
    subtype: Subtype
    message: str

    def format(self) -> str:
        return (f"{display_path(self.path)}:{self.line}: WARNING: {self.message} "
                f"[{WARNING_TYPE}.{self.subtype.value}]")


@dataclass
class Entry:
    """A post found by the CLI: its source and its coerced metadata (None: unpublishable)."""

    source: Source
    draft: Draft | None
    problems: list[Problem]
    #: False for a document that is no post but whose ``post:`` value is bad
    is_post: bool = True
    #: the posts its sections make: (the section's title, its metadata or None)
    sections: list[tuple[str, Draft | None]] = field(default_factory=list)


def read_post(site: Site, source: Source) -> Entry | None:
    """The post a source is (None when it is no post), with what the build would warn."""
    problems: list[Problem] = []

    def report(subtype: Subtype, message: str, location: Any) -> None:
        line = location[1] if isinstance(location, tuple) else 1
        if not site.suppressed(subtype):
            problems.append(Problem(source.path, int(line or 1), subtype, message))

    page, in_sections = split_directives(source.raw, source.directives, site.blogs,
                                         source.docname)
    found = gather_metadata(source.raw, page, site.blogs, source.docname, report)
    if not found.is_post:
        return Entry(source, None, problems, is_post=False) if problems else None
    def cover(value: Any, location: tuple[str, int]) -> str:
        if is_number(value):
            try:
                number = to_positive_int(value)
            except MetadataError as exc:
                report(Subtype.image, f"image: {exc}", location)
                return ""
            images = _count_images(source)
            if number > images:
                report(Subtype.image,
                       f"image: the post has {images} image(s), not {number}", location)
                return ""
            return str(value)
        tree = SourceTree(site.srcdir.resolve(),
                           source.path.relative_to(site.srcdir).as_posix())
        return check_image(value, tree, source.docname, location, report)

    draft = coerce_metadata(found.values, found.lines, found.blog, source.docname,
                            found.default_line, report, cover)
    sections: list[tuple[str, Draft | None]] = []
    if draft is not None:
        for directive in in_sections:
            got = gather_metadata(RawMetadata({}, {}), [directive], site.blogs,
                                  source.docname, report, inherit=found.blog)
            sections.append((directive.section, coerce_metadata(
                got.values, got.lines, got.blog, source.docname, got.default_line, report,
                cover)))
    return Entry(source, draft, problems, sections=sections)


def _count_images(source: Source) -> int:
    if source.path.suffix in MARKDOWN:
        return len(IMAGE_MD.findall(source.text)) + len(IMAGE_MYST.findall(source.text))
    return len(IMAGE_RST.findall(source.text))


def find_posts(site: Site) -> Iterator[Entry]:
    """Every post of the site, in docname order (and documents with a bad ``post:``)."""
    for docname, path in source_files(site):
        entry = read_post(site, read_source(docname, path, site.colon_fence))
        if entry is not None:
            yield entry
