"""ABlog's ``:ref:`` labels (``blog-posts``, ``tag-<name>``, ...) and its URLs (author, tag,
category and year pages under ABlog's names), pointed at the generated pages."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from ...base.config import get_config
from ...base.slugs import slugify
from ...model import urls
from ...model.views import get_view
from ...write.builders import has_pages
from ...write.links import _reference
from ...write.plans import page_names
from .config import is_ablog_site

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_blogposts")


# -- ABlog's :ref: labels --------------------------------------------------------------------

_INDEX_LABELS = {
    "blog-posts": "index", "blog-tags": "tag/index", "blog-categories": "category/index",
    "blog-authors": "author/index", "blog-archives": "archive",
    "blog-drafts": "drafts",  # or the blog index when drafts are hidden (see below)
    "blog-languages": "language/index", "blog-locations": "location/index",
}
_KIND_LABELS = {"tag": "tag", "category": "category", "author": "author"}


def on_missing_reference(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                         contnode: nodes.Element) -> nodes.Element | None:
    """``:ref:`blog-posts```, ``:ref:`tag-sphinx``` and the other labels ABlog makes."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None


    target = str(node.get("reftarget", "")).strip().lower()
    path = get_config(env.config).path
    names = page_names(env)
    fromdoc = str(node.get("refdoc", ""))
    page: str | None = None
    if target in _INDEX_LABELS:
        page = f"{path}/{_INDEX_LABELS[target]}"
        if page not in names and target == "blog-drafts":
            page = f"{path}/index"  # drafts are not published: the index is what is there
    elif target == "blog-feed":
        return _feed_reference(app, env, fromdoc, path, contnode, node)
    elif target.startswith("author-"):
        # ABlog labels an author by their key; the page's slug may come from their name
        view = get_view(env)
        label = target.removeprefix("author-")
        key = next((k for k in view.author_keys if slugify(k) == label), None)
        if key is not None:
            page = urls.author(get_config(env.config), view.authors[key].slug)
    elif "-" in target and target.split("-", 1)[0] in _KIND_LABELS:
        kind, name = target.split("-", 1)
        page = f"{path}/{_KIND_LABELS[kind]}/{slugify(name)}"
    elif "-" in target and target.split("-", 1)[0] in ("language", "location"):
        # ABlog labels a language or location by its key; its page is named by its name
        kind, label = target.split("-", 1)
        view = get_view(env)
        key = next((k for k in view.facet_keys.get(kind, []) if slugify(k) == label), None)
        if key is not None:
            page = urls.facet(get_config(env.config), kind, view.facet_slug(kind, key))
    if page is not None and page in names:
        if not node.get("refexplicit"):
            contnode = nodes.inline(names[page], names[page])
        return _reference(app.builder, fromdoc, page, contnode)
    # a post's file name, as ABlog labels every post
    for post in get_view(env).chrono:
        if post.docname.rsplit("/", 1)[-1].lower() == target:
            if not node.get("refexplicit"):
                contnode = nodes.inline(post.title, post.title)
            return make_refnode(app.builder, fromdoc, post.docname, "", contnode)
    return None


def _feed_reference(app: Sphinx, env: BuildEnvironment, fromdoc: str, path: str,
                    contnode: nodes.Element, node: pending_xref) -> nodes.Element | None:
    """``:ref:`blog-feed```: the blog's Atom feed, where feeds are written."""


    cfg = get_config(env.config)
    if not has_pages(app.builder) or "atom" not in cfg.feeds or not cfg.baseurl:
        return None
    uri = relative_uri(app.builder.get_target_uri(fromdoc), f"{path}/atom.xml")
    if not node.get("refexplicit"):
        text = f"{cfg.title} (Atom)"
        contnode = nodes.inline(text, text)
    reference = nodes.reference("", "", internal=True, refuri=uri)
    reference += contnode
    return reference


# -- URLs ------------------------------------------------------------------------------------

def ablog_slug(name: str) -> str:
    """A name as ABlog slugs it in URLs (``Ahmet Bakan`` -> ``ahmet-bakan``)."""
    text = unicodedata.normalize("NFKD", str(name))
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def ablog_urls(app: Sphinx) -> dict[str, str]:
    """``blogposts-redirects``: where ABlog put the pages a migrated site's readers, links
    and search engines know, and the page that shows the same now.  Only for a site that
    sets ABlog's values; a URL that is the same page here is left out by the caller."""
    if not is_ablog_site(app.config):
        return {}

    cfg = get_config(app.config)
    view = get_view(app.env)
    path = cfg.path
    found = {
        path: urls.blog_index(cfg),  # ABlog's catalog of all posts: blog.html
        # the drafts page, or the index when drafts are not published
        f"{path}/drafts": (urls.drafts(cfg) if cfg.drafts == "unlisted"
                           else urls.blog_index(cfg)),
        f"{path}/tag": urls.tag_index(cfg),
        f"{path}/category": urls.category_index(cfg),
        f"{path}/author": urls.author_index(cfg),
    }
    for name in view.tag_names:
        found[f"{path}/tag/{ablog_slug(name)}"] = urls.tag(cfg, view.tag_slugs[name])
    for name in view.category_names:
        found[f"{path}/category/{ablog_slug(name)}"] = urls.category(
            cfg, view.category_slugs[name])
    for key in view.author_keys:
        info = view.authors[key]
        found[f"{path}/author/{ablog_slug(info.name)}"] = urls.author(cfg, info.slug)
    for year, _months in view.archive():
        found[f"{path}/{year}"] = f"{urls.archive(cfg)}#year-{year}"
    for kind, keys in view.facet_keys.items():
        if keys:
            found[f"{path}/{kind}"] = urls.facet_index(cfg, kind)
        for key in keys:
            found[f"{path}/{kind}/{ablog_slug(view.facet_name(kind, key))}"] = urls.facet(
                cfg, kind, view.facet_slug(kind, key))
    return {old: target for old, target in found.items() if old.rsplit("/", 1)[-1]}
