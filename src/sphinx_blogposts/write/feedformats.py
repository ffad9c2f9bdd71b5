"""The three formats, each from the same entries: Atom 1.0, RSS 2.0 and JSON Feed 1.1."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..base.config import get_config
from ..base.version import __version__
from .feedplan import (
    Entry,
    FeedPlan,
    FeedSpec,
    fallback_author,
    feed_updated,
    summary_html,
)
from .feedxml import (
    ATOM_NS,
    CONTENT_NS,
    DC_NS,
    FILENAMES,
    GENERATOR,
    JSON_FEED_VERSION,
    CData,
    Element,
    clean,
    rfc822,
    rfc3339,
    xml_document,
)
from .seo import absolute_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx


logger = logging.getLogger("sphinx_blogposts")


def atom(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry],
         filename: str = FILENAMES["atom"]) -> bytes:
    cfg = get_config(app.config)
    root = Element("feed", {"xmlns": ATOM_NS, "xml:lang": cfg.language.replace("_", "-")})
    self_url = f"{plan.base}{spec.directory}/{filename}"
    root.add("id", self_url)
    root.add("title", spec.title, type="text")
    if spec.description:
        root.add("subtitle", spec.description, type="text")
    root.add("updated", rfc3339(feed_updated(entries)))
    root.add("link", rel="self", type="application/atom+xml", href=self_url)
    root.add("link", rel="alternate", type="text/html", href=absolute_url(app, spec.page))
    root.add("generator", GENERATOR, version=__version__)
    if any(not e.authors for e in entries) or not entries:
        root.add("author").add("name", fallback_author(app))
    for e in entries:
        item = root.add("entry")
        item.add("id", e.url)
        item.add("title", e.title, type="text")
        item.add("link", rel="alternate", type="text/html", href=e.url)
        item.add("published", rfc3339(e.published))
        item.add("updated", rfc3339(e.updated))
        for name, url in e.authors:
            author = item.add("author")
            author.add("name", name)
            if url:
                author.add("uri", url)
        for term in e.categories:
            item.add("category", term=term)
        if e.summary:
            item.add("summary", e.summary, type="text")
        if e.content:
            item.add("content", CData(e.content), type="html")
    return xml_document(root)


def rss(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry]) -> bytes:
    cfg = get_config(app.config)
    root = Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS,
                           "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS})
    channel = root.add("channel")
    channel.add("title", spec.title)
    channel.add("link", absolute_url(app, spec.page))
    channel.add("description", spec.description or spec.title)
    channel.add("atom__link", href=plan.url(spec, "rss"), rel="self",
                type="application/rss+xml")
    channel.add("language", cfg.language.replace("_", "-"))
    channel.add("generator", f"{GENERATOR} {__version__}")
    if entries:
        channel.add("lastBuildDate", rfc822(feed_updated(entries)))
    for e in entries:
        item = channel.add("item")
        item.add("title", e.title)
        item.add("link", e.url)
        item.add("guid", e.url, isPermaLink="true")
        item.add("pubDate", rfc822(e.published))
        for name, _url in e.authors:
            item.add("dc__creator", name)
        for term in e.categories:
            item.add("category", term)
        if e.summary:
            item.add("description", CData(summary_html(e.summary)))
        if e.content:
            item.add("content__encoded", CData(e.content))
    return xml_document(root)


def json_feed(app: Sphinx, plan: FeedPlan, spec: FeedSpec, entries: list[Entry]) -> bytes:
    cfg = get_config(app.config)
    data: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": absolute_url(app, spec.page),
        "feed_url": plan.url(spec, "json"),
    }
    if spec.description:
        data["description"] = spec.description
    data["language"] = cfg.language.replace("_", "-")
    items: list[dict[str, Any]] = []
    for e in entries:
        item: dict[str, Any] = {"id": e.url, "url": e.url, "title": e.title}
        if e.content:
            item["content_html"] = e.content
        else:
            item["content_text"] = e.summary or e.title
        if e.summary:
            item["summary"] = e.summary
        if e.image:
            item["image"] = e.image
        item["date_published"] = rfc3339(e.published)
        item["date_modified"] = rfc3339(e.updated)
        if e.authors:
            item["authors"] = [{"name": n, **({"url": u} if u else {})} for n, u in e.authors]
        if e.categories:
            item["tags"] = list(e.categories)
        items.append(item)
    data["items"] = items
    text = json.dumps(_cleaned(data), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _cleaned(value: Any) -> Any:
    """Every string of a JSON value without characters UTF-8 cannot encode (lone surrogates)
    nor the control characters that the XML feeds drop too."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


SERIALIZERS = {"atom": atom, "rss": rss, "json": json_feed}
