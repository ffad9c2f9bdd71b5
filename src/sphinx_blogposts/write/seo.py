"""What the blog's pages tell search engines and link previews.

On posts: the meta description, JSON-LD ``BlogPosting``, Open Graph (``og:type`` article,
``article:*``) and Twitter card tags.  On the generated pages: Open Graph and Twitter tags,
the description of the blog index and of category pages, JSON-LD ``Blog`` on the blog index.
A canonical link is added where Sphinx does not write one (it does when ``html_baseurl`` is
set).  Everything that needs an absolute URL is left out when there is no base URL.

With sphinxext-opengraph loaded, Open Graph is its job on the pages it handles (those with a
doctree): it is handed each post's description, cover image and type through the page's
metadata (its per-page ``og:*`` fields), and no tag it wrote is written again.
"""

from __future__ import annotations

import html
import importlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from ..base.config import BlogConfig, get_config
from ..base.diagnostics import guard
from ..model import urls
from ..model.views import blog_of, get_view
from .plans import page_blogs, page_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..model.posts import Post
    from ..model.view import BlogView

OPENGRAPH = "sphinxext.opengraph"
#: the longest description written for a generated page (a category's can be long)
DESCRIPTION_LENGTH = 300
_META_KEY = re.compile(r"<meta\s[^>]*?\b(?:property|name)=\"([^\"]+)\"", re.IGNORECASE)


def json_for_script(data: Any) -> str:
    """JSON that cannot close its ``<script>`` element nor start markup, whatever it holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def site_base(cfg: BlogConfig) -> str:
    """The base URL (``blogposts_baseurl``, else ``html_baseurl``) ending in ``/``, or ""
    when there is none or it is not an absolute http(s) URL."""
    base = cfg.baseurl.strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return base if base.endswith("/") else base + "/"


def absolute_url(app: Sphinx, pagename: str) -> str:
    """The page's absolute URL, or "" when no base URL is configured (``page#id``: the
    page's URL and the fragment)."""
    base = site_base(get_config(app.config))
    if not base:
        return ""
    return base + urls.target_uri(app.builder, pagename)


def image_path(app: Sphinx, image: str) -> str:
    """Where a collected image is in the output, relative to its root (``_images/x.png``)."""
    entry = app.env.images.get(image) if image else None
    if not entry:
        return ""
    return f"{getattr(app.builder, 'imagedir', '_images')}/{quote(entry[1])}"


def image_url(app: Sphinx, image: str) -> str:
    """The absolute URL of a cover image, or ""."""
    if not image:
        return ""
    if image.startswith("data:"):  # not a URL a crawler can fetch
        return ""
    if "://" in image:
        return image
    base = site_base(get_config(app.config))
    path = image_path(app, image)
    return base + path if base and path else ""


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """One line of at most ``length`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


@dataclass(frozen=True)
class GeneratedPage:
    """A generated blog page: its kind, the category/tag/author it shows and its number."""

    kind: str
    name: str
    number: int
    title: str
    #: the key of the blog whose page it is
    blog: str = ""


def generated_page(env: BuildEnvironment, pagename: str) -> GeneratedPage | None:
    """What a generated page is, or None for any other page."""

    names = page_names(env)
    if pagename not in names:
        return None
    blog = page_blogs(env)[pagename]
    cfg = get_config(env.config, blog)
    view = get_view(env, cfg.key)
    title = names[pagename]
    parts = pagename[len(cfg.path) + 1:].split("/")
    if parts in (["index"],) or parts[0] == "page":
        return GeneratedPage("index", "", int(parts[1]) if parts[0] == "page" else 1, title,
                             cfg.key)
    if parts[0] in ("category", "tag", "author") and len(parts) > 1:
        kind = parts[0]
        if parts[1] == "index" and len(parts) == 2:
            return GeneratedPage(f"{kind}-index", "", 1, title, cfg.key)
        slugs = {"category": view.category_slugs, "tag": view.tag_slugs,
                 "author": {k: a.slug for k, a in view.authors.items()}}[kind]
        by_slug = {slug: name for name, slug in slugs.items()}
        number = int(parts[3]) if len(parts) == 4 and parts[2] == "page" else 1
        return GeneratedPage(kind, by_slug.get(parts[1], ""), number, title, cfg.key)
    return GeneratedPage(parts[0], "", 1, title, cfg.key)


def _authors(view: BlogView, post: Post) -> list[dict[str, str]]:
    return [
        {"@type": "Person", "name": view.authors[a].name,
         **({"url": view.authors[a].url} if view.authors[a].url else {})}
        for a in post.authors if a in view.authors
    ]


def blog_posting(app: Sphinx, view: BlogView, post: Post) -> dict[str, Any]:
    """The schema.org ``BlogPosting`` of a post."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "datePublished": post.date.isoformat(),
        "dateModified": (post.updated or post.date).isoformat(),
        "author": _authors(view, post),
    }
    if post.undated:  # a draft written without a date: it has none to give
        del data["datePublished"], data["dateModified"]
    description = shorten(view.description(post))
    if description:
        data["description"] = description
    if post.tags:
        data["keywords"] = list(post.tags)
    if post.categories:
        data["articleSection"] = list(post.categories)
    url = absolute_url(app, post.docname)
    if url:
        data["url"] = data["mainEntityOfPage"] = url
    image = image_url(app, post.image)
    if image:
        data["image"] = image
    return data


def blog(app: Sphinx, view: BlogView, posts: list[Post]) -> dict[str, Any]:
    """The schema.org ``Blog`` of the blog index, with the posts its first page lists."""
    cfg = view.config
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Blog",
                            "name": cfg.title}
    if cfg.description:
        data["description"] = " ".join(cfg.description.split())
    url = absolute_url(app, urls.blog_index(cfg))
    if url:
        data["url"] = url
    entries = []
    for post in posts:
        entry: dict[str, Any] = {"@type": "BlogPosting", "headline": post.title,
                                 "datePublished": post.date.isoformat(),
                                 "dateModified": (post.updated or post.date).isoformat(),
                                 "author": _authors(view, post)}
        post_url = absolute_url(app, post.docname)
        if post_url:
            entry["url"] = post_url
        entries.append(entry)
    data["blogPost"] = entries
    return data


def _page_description(view: BlogView, page: GeneratedPage) -> str:
    cfg = view.config
    if page.kind == "index":
        return shorten(cfg.description)
    if page.kind == "category":
        decl = view.category_decls.get(page.name)
        return shorten(decl.description if decl else cfg.categories.get(page.name, ""))
    return ""


def _page_image(app: Sphinx, view: BlogView, page: GeneratedPage) -> str:
    decl = view.category_decls.get(page.name) if page.kind == "category" else None
    return image_url(app, decl.image) if decl else ""


def _which(app: Sphinx, pagename: str, doctree: Any) -> tuple[Post | None,
                                                              GeneratedPage | None]:
    if doctree is not None:
        return get_view(app.env, blog_of(app.env, pagename)).by_doc.get(pagename), None
    return None, generated_page(app.env, pagename)


def _view_of(app: Sphinx, post: Post | None, page: GeneratedPage | None) -> BlogView:
    """The view of the blog a post or a generated page is in."""
    return get_view(app.env, post.blog if post is not None else page.blog if page else None)


def _add(context: dict[str, Any], tags: list[str]) -> None:
    if tags:
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"


@guard(lambda app, pagename, *args: f"adding the metadata of {pagename!r}")
def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Description, JSON-LD and canonical link (before other extensions, so that
    sphinxext-opengraph sees the description and writes none of its own)."""
    post, page = _which(app, pagename, doctree)
    if post is None and page is None:
        return
    view = _view_of(app, post, page)
    tags: list[str] = []
    url = absolute_url(app, pagename)
    if url and not context.get("pageurl") and 'rel="canonical"' not in str(
            context.get("metatags", "")):
        tags.append(f'<link rel="canonical" href="{html.escape(url)}" />')
    if post is not None:
        description = shorten(view.description(post))
        if description:
            tags.append(f'<meta name="description" content="{html.escape(description)}" />')
        tags.append('<script type="application/ld+json">'
                    f"{json_for_script(blog_posting(app, view, post))}</script>")
        if OPENGRAPH in app.extensions:
            _hand_to_opengraph(app, view, post, context)
    elif page is not None and page.number == 1:
        description = _page_description(view, page)
        if description and page.kind in ("index", "category"):
            tags.append(f'<meta name="description" content="{html.escape(description)}" />')
        if page.kind == "index":
            listed = view.index_order[: view.config.posts_per_page]
            tags.append('<script type="application/ld+json">'
                        f"{json_for_script(blog(app, view, listed))}</script>")
    _add(context, tags)


def _opengraph_escapes() -> bool:
    """Whether sphinxext-opengraph escapes ``<`` and ``&`` in what it writes (0.13 does not)."""

    try:
        make_tag = importlib.import_module(OPENGRAPH).make_tag
    except (ImportError, AttributeError):  # pragma: no cover - only called when it is loaded
        return True
    return "&lt;" in str(make_tag("x", "<"))


def _hand_to_opengraph(app: Sphinx, view: BlogView, post: Post,
                       context: dict[str, Any]) -> None:
    """Give sphinxext-opengraph the post's description, type and cover image as the per-page
    ``og:*`` fields it reads (a copy: the env's metadata stays as read; the author's own
    fields win)."""
    prepare = (lambda text: text) if _opengraph_escapes() else html.escape
    meta = dict(context.get("meta") or {})
    meta.setdefault("og:type", "article")
    description = shorten(view.description(post))
    if description:
        meta.setdefault("og:description", prepare(description))
    image = image_url(app, post.image)
    site_url = str(getattr(app.config, "ogp_site_url", None) or "")
    if not image and site_url:
        image = image_path(app, post.image)  # it makes a root-relative path absolute
    if image and "og:image" not in meta:
        meta["og:image"] = prepare(image)
        if post.image_alt:
            meta.setdefault("og:image:alt", prepare(post.image_alt))
    context["meta"] = meta


def _social(app: Sphinx, view: BlogView, pagename: str, post: Post | None,
            page: GeneratedPage | None) -> list[tuple[str, str, str]]:
    """(attribute, key, value) of the Open Graph and Twitter tags of a page."""
    url = absolute_url(app, pagename)
    project = str(app.config.project or "")
    if project == "Project name not set":
        project = ""
    found: list[tuple[str, str, str]] = []

    def og(key: str, value: str) -> None:
        if value:
            found.append(("property", key, value))

    if post is not None:
        title, description = post.title, shorten(view.description(post))
        image, alt = image_url(app, post.image), post.image_alt
        og("og:type", "article")
    elif page is not None:
        title, description = page.title, _page_description(view, page)
        image, alt = _page_image(app, view, page), ""
        og("og:type", "website")
    else:
        return []
    og("og:title", title)
    og("og:description", description)
    og("og:url", url)
    og("og:site_name", project)
    og("og:image", image)
    if image:
        og("og:image:alt", alt)
    if post is not None:
        if not post.undated:
            og("article:published_time", post.date.isoformat())
        if post.updated:
            og("article:modified_time", post.updated.isoformat())
        for key in post.authors:
            info = view.authors.get(key)
            if info is not None:
                og("article:author", info.url or info.name)
        if post.categories:
            og("article:section", post.categories[0])
        for tag in post.tags:
            og("article:tag", tag)
    twitter = [("twitter:card", "summary_large_image" if image else "summary"),
               ("twitter:title", title), ("twitter:description", description),
               ("twitter:image", image), ("twitter:image:alt", alt if image else "")]
    found += [("name", key, value) for key, value in twitter if value]
    return found


@guard(lambda app, pagename, *args: f"adding the link preview tags of {pagename!r}")
def on_html_page_social(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Open Graph and Twitter card tags (after other extensions: none is written twice)."""
    if not site_base(get_config(app.config)):
        return  # link previews need absolute URLs
    post, page = _which(app, pagename, doctree)
    if post is None and page is None:
        return
    view = _view_of(app, post, page)
    metatags = str(context.get("metatags", ""))
    existing = {key.lower() for key in _META_KEY.findall(metatags)}
    leave_og = doctree is not None and OPENGRAPH in app.extensions
    tags = [
        f'<meta {attr}="{key}" content="{html.escape(value)}" />'
        for attr, key, value in _social(app, view, pagename, post, page)
        if key not in existing and not (leave_og and key.startswith("og:"))
    ]
    _add(context, tags)


def setup_seo(app: Sphinx) -> None:
    app.connect("html-page-context", on_html_page_context, priority=400)
    app.connect("html-page-context", on_html_page_social, priority=600)
