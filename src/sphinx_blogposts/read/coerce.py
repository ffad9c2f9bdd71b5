"""Raw metadata checked and coerced into a :class:`~.gather.Draft`: each bad value is one
located ``blogposts`` warning and the rest of the post is kept.  The command line runs the
same code, so its ``check`` says what the build says."""

from __future__ import annotations

from os import path as osp
from typing import Any

from docutils import nodes

from ..base.config import FACETS, KEY_RE, BlogConfig
from ..base.dates import UNDATED, parse_date
from ..base.diagnostics import Subtype, warn
from .frontmatter import (
    MetadataError,
    is_number,
    to_bool,
    to_int,
    to_list,
    to_positive_int,
    to_text,
)
from .gather import _URL, CoverCheck, Draft, Report, _without_controls, page_name


def read_metadata(
    values: dict[str, Any],
    lines: dict[str, int],
    cfg: BlogConfig,
    docname: str,
    default_line: int,
    document: nodes.Element,
    env: Any,
) -> Draft | None:
    """Every key to its type; each bad value warns and falls back, a missing date skips."""

    def cover(value: Any, location: tuple[str, int]) -> str:
        return _cover(value, document, env, docname, location)

    return coerce_metadata(values, lines, cfg, docname, default_line, warn, cover)


def coerce_metadata(
    values: dict[str, Any],
    lines: dict[str, int],
    cfg: BlogConfig,
    docname: str,
    default_line: int,
    report: Report = warn,
    cover: CoverCheck | None = None,
) -> Draft | None:
    """The coercion of :func:`read_metadata`, reporting through ``report``.

    ``cover`` checks the ``image`` value (the build resolves it against the document);
    without it the value is kept as written.
    """
    def where(key: str) -> tuple[str, int]:
        return (docname, lines.get(key, default_line))

    values = dict(values)
    for key, value in values.items():
        cleaned = _without_controls(value)
        if cleaned is not None:
            report(Subtype.metadata, f"{key}: control characters removed", where(key))
            values[key] = cleaned

    undated = "date" not in values or values["date"] in (None, "")
    if undated and cfg.undated_drafts:  # a draft by design: nothing to warn about
        date = UNDATED
    elif undated:
        report(Subtype.date, "this post has no date, so it is not published; add "
               "'date: YYYY-MM-DD'", where("post"))
        return None
    else:
        try:
            date = parse_date(values["date"], cfg.date_formats)
        except ValueError as exc:
            report(Subtype.date, f"invalid date: {exc}; the post is not published",
                   where("date"))
            return None

    updated = None
    if values.get("updated") not in (None, ""):
        try:
            updated = parse_date(values["updated"], cfg.date_formats)
        except ValueError as exc:
            report(Subtype.date, f"invalid updated date: {exc}; ignored", where("updated"))

    def names(key: str, subtype: Subtype) -> list[str]:
        if key not in values:
            return []
        items, errors = to_list(values[key])
        for error in errors:
            report(subtype, f"{key}: {error}; ignored", where(key))
        return items

    authors = names("author", Subtype.author) or list(cfg.default_authors)
    if cfg.authors:
        for author in authors:
            if author not in cfg.authors and KEY_RE.match(author):
                report(Subtype.author,
                     f"author {author!r} is not a key of blogposts_authors (a typo?); "
                     "shown as a guest author", where("author"))
    categories = names("category", Subtype.category) or list(cfg.default_categories)
    tags = names("tags", Subtype.tag)

    draft = Draft(
        line=lines.get("date", default_line),
        date=date,
        updated=updated,
        authors=tuple(authors),
        categories=tuple(categories),
        tags=tuple(tags),
        lines=tuple(sorted(lines.items())),
        excerpt_paragraphs=cfg.excerpt_paragraphs,
        undated=undated,
        blog=cfg.key,
    )
    if undated:
        draft.draft = True
    defaults = dict(cfg.facet_defaults)
    facets = []
    for kind in FACETS:
        keys = names(kind, Subtype.metadata) or ([defaults[kind]] if kind in defaults else [])
        if keys:
            facets.append((kind, tuple(keys)))
    draft.facets = tuple(facets)
    for key in ("description", "image_alt", "title"):
        if values.get(key) in (None, ""):
            continue
        try:
            setattr(draft, key, to_text(values[key]))
        except MetadataError as exc:
            report(Subtype.metadata, f"{key}: {exc}; ignored", where(key))
    if "draft" in values and not undated:
        try:
            draft.draft = to_bool(values["draft"])
        except MetadataError as exc:
            report(Subtype.metadata, f"draft: {exc}; the post is treated as a draft",
                 where("draft"))
            draft.draft = True

    excerpt = values.get("excerpt")
    if isinstance(excerpt, list) and all(isinstance(p, str) for p in excerpt):
        draft.excerpt = tuple(p for p in excerpt if p.strip())
    elif is_number(excerpt):
        try:
            draft.excerpt_paragraphs = to_positive_int(excerpt)
        except MetadataError as exc:
            report(Subtype.metadata, f"excerpt: {exc}; the first paragraph is used",
                 where("excerpt"))
    elif excerpt not in (None, ""):
        try:
            draft.excerpt = (to_text(excerpt),)
        except MetadataError as exc:
            report(Subtype.metadata, f"excerpt: {exc}; the first paragraph is used",
                 where("excerpt"))

    if "pin" in values:
        try:
            draft.pinned = to_bool(values["pin"])
        except MetadataError as exc:
            report(Subtype.metadata, f"pin: {exc}; the post is not pinned", where("pin"))
    if values.get("series") not in (None, ""):
        try:
            draft.series = " ".join(to_text(values["series"]).split())
        except MetadataError as exc:
            report(Subtype.metadata, f"series: {exc}; ignored", where("series"))
    if values.get("series_order") not in (None, ""):
        try:
            draft.series_order = to_int(values["series_order"])
        except MetadataError as exc:
            report(Subtype.metadata, f"series_order: {exc}; ignored", where("series_order"))
        if not draft.series and "series" not in values:
            report(Subtype.metadata, "series_order: the post names no series; ignored",
                   where("series_order"))
    if values.get("external_link") not in (None, ""):
        try:
            link = to_text(values["external_link"])
        except MetadataError as exc:
            report(Subtype.metadata, f"external_link: {exc}; ignored", where("external_link"))
        else:
            if link.lower().startswith(("http://", "https://")) and " " not in link:
                draft.external_link = link
            else:
                report(Subtype.metadata, f"external_link: {link!r} is not an http(s) URL; "
                       "ignored", where("external_link"))
    if "redirect" in values:
        old_names, errors = to_list(values["redirect"])
        for error in errors:
            report(Subtype.metadata, f"redirect: {error}; ignored", where("redirect"))
        found: list[str] = []
        for old in old_names:
            name = page_name(old)
            if name is None:
                report(Subtype.metadata, f"redirect: {old!r} is not a page name of this site "
                       "(such as 'blog/old-name'); ignored", where("redirect"))
            elif name != docname and name not in found:
                found.append(name)
        draft.redirects = tuple(found)

    image = values.get("image")
    if image not in (None, ""):
        if cover is not None:
            draft.image = cover(image, where("image"))
        else:
            try:
                draft.image = to_text(image)
            except MetadataError as exc:
                report(Subtype.image, f"image: {exc}", where("image"))
    return draft


def _cover(value: Any, document: nodes.Element, env: Any, docname: str,
           location: tuple[str, int], report: Report = warn) -> str:
    """The cover image's URI as written, or "" (with a warning) when it cannot be used."""
    if is_number(value):
        try:
            number = to_positive_int(value)
        except MetadataError as exc:
            report(Subtype.image, f"image: {exc}", location)
            return ""
        images = [n for n in document.findall(nodes.image)]
        if number > len(images):
            report(Subtype.image, f"image: the post has {len(images)} image(s), not {number}",
                 location)
            return ""
        return str(images[number - 1]["uri"])
    return check_image(value, env, docname, location, report)


def check_image(value: Any, env: Any, docname: str, location: tuple[str, int],
                report: Report = warn) -> str:
    """An image path or http(s) URL that can be used, or "" with a ``blogposts.image`` warning.

    A path is relative to the document (or to the source directory when it starts with
    ``/``); it must name a file inside the source directory.
    """
    try:
        uri = to_text(value)
    except MetadataError as exc:
        report(Subtype.image, f"image: {exc}", location)
        return ""
    if uri.startswith("data:"):
        if uri.lower().startswith("data:image/") and "," in uri:
            return uri
        report(Subtype.image, f"image: {uri[:40]!r}... is not an image data URI", location)
        return ""
    if _URL.match(uri):
        if uri.lower().startswith(("http://", "https://")):
            return uri
        report(Subtype.image, f"image: {uri!r} is not an http(s) URL or a file", location)
        return ""
    if any(ord(c) < 32 or ord(c) == 127 for c in uri):
        report(Subtype.image, f"image: {uri!r} has control characters; ignored", location)
        return ""
    try:
        _rel, abs_path = env.relfn2path(uri, docname)
        srcdir = osp.realpath(str(env.srcdir))
        real = osp.realpath(str(abs_path))
        inside = osp.commonpath([srcdir, real]) == srcdir
    except (ValueError, OSError):
        report(Subtype.image, f"image: {uri!r} is not a usable path; ignored", location)
        return ""
    if not inside:
        report(Subtype.image, f"image: {uri!r} is outside the source directory; ignored",
             location)
        return ""
    if not osp.isfile(real):
        report(Subtype.image, f"image: {uri!r} not found; ignored", location)
        return ""
    return uri
