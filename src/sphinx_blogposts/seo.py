"""What a post page tells search engines: its meta description and JSON-LD ``BlogPosting``."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from .collector import get_view
from .config import get_config
from .diagnostics import guard

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .model import BlogView, Post


def json_for_script(data: Any) -> str:
    """JSON that cannot close its ``<script>`` element nor start markup, whatever it holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def absolute_url(app: Sphinx, pagename: str) -> str:
    """The page's absolute URL, or "" when no base URL is configured."""
    base = get_config(app.config).baseurl
    if not base:
        return ""
    return base.rstrip("/") + "/" + app.builder.get_target_uri(pagename)


def blog_posting(app: Sphinx, view: BlogView, post: Post) -> dict[str, Any]:
    """The schema.org ``BlogPosting`` of a post."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "datePublished": post.date.isoformat(),
        "dateModified": (post.updated or post.date).isoformat(),
        "author": [
            {"@type": "Person", "name": view.authors[a].name,
             **({"url": view.authors[a].url} if view.authors[a].url else {})}
            for a in post.authors
        ],
    }
    if post.description:
        data["description"] = post.description
    if post.tags:
        data["keywords"] = list(post.tags)
    if post.categories:
        data["articleSection"] = list(post.categories)
    url = absolute_url(app, post.docname)
    if url:
        data["url"] = data["mainEntityOfPage"] = url
    return data


@guard(lambda app, pagename, *args: f"adding the metadata of {pagename!r}")
def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add the description and JSON-LD to a post page's ``metatags``."""
    if doctree is None:
        return
    view = get_view(app.env)
    post = view.by_doc.get(pagename)
    if post is None:
        return
    tags: list[str] = []
    if post.description:
        tags.append(f'<meta name="description" content="{html.escape(post.description)}" />')
    tags.append('<script type="application/ld+json">'
                f"{json_for_script(blog_posting(app, view, post))}</script>")
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)
