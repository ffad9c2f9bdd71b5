"""What makes pages change besides their own content: the configuration and templates,
the site's navigation, the sidebars; digests compared from one build to the next."""

from __future__ import annotations

import hashlib
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translation
from sphinx.util import logging

from ..model.view import BlogView

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

from .sidebars import MAX_RECENT

_ = get_translation("sphinx_blogposts")
logger = logging.getLogger(__name__)


def build_signature(app: Sphinx) -> tuple[str, float]:
    """What makes every page change: the configuration and the templates."""
    builder = app.builder
    info = getattr(builder, "build_info", None)
    config_hash = str(getattr(info, "config_hash", "")) or str(
        getattr(builder, "config_hash", ""))
    templates = getattr(builder, "templates", None)
    try:
        mtime = float(templates.newest_template_mtime()) if templates is not None else 0.0
    except (AttributeError, ValueError, OSError):
        mtime = 0.0
    return config_hash, mtime


def navigation_digest(env: BuildEnvironment, posts: Container[str] | None = None) -> str:
    """A digest of the site navigation every page carries (the toctrees, their entries'
    titles and numbers): a post moved or a page renamed changes the generated pages' too,
    though Sphinx writes only the documents it re-read.  With ``posts``, only the entries
    that are posts count (what the blog changes in the documents' navigation)."""
    titles = env.titles
    includes = sorted(env.toctree_includes.items())
    if posts is not None:
        includes = [(doc, [d for d in docs if d in posts]) for doc, docs in includes]
        includes = [(doc, docs) for doc, docs in includes if docs]
    entries = sorted({d for _doc, docs in includes for d in docs})
    data = (includes, [(d, titles[d].astext() if d in titles else "") for d in entries],
            [] if posts is not None else
            sorted((d, sorted(n.items())) for d, n in env.toc_secnumbers.items()))
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


def sidebar_fingerprint(app: Sphinx, views: list[BlogView]) -> str | None:
    """A digest of what the blog sidebars show (of every blog: a page shows its own blog's,
    or one it names), or None when no page shows them."""
    names: set[str] = set()
    for value in (app.config.html_sidebars or {}).values():
        names.update([value] if isinstance(value, str) else value)
    theme = getattr(app.builder, "theme", None)
    names.update(getattr(theme, "sidebar_templates", None) or ())
    theme_name = str(getattr(theme, "name", ""))
    if not any(n.startswith("blogposts/") for n in names) and theme_name != "sphinx_blogposts":
        return None

    found = [_sidebar_data(view) for view in views]
    data = found[0] if len(found) == 1 else found
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


def _sidebar_data(view: BlogView) -> Any:
    return (
        [(p.key, p.title, p.date.isoformat()) for p in view.newest[:MAX_RECENT]],
        [(n, view.category_slugs[n], len(view.category_posts.get(n, [])))
         for n in view.category_names],
        [(t, view.tag_slugs[t], len(view.tag_posts[t])) for t in view.tag_names],
        [(y, [(m, len(ps)) for m, ps in months]) for y, months in view.archive()],
        [(k, view.authors[k].name, view.authors[k].slug, len(view.author_posts.get(k, [])))
         for k in view.author_keys],
        [(kind, [(k, view.facet_name(kind, k), len(view.facet_posts[kind][k]))
                 for k in keys]) for kind, keys in sorted(view.facet_keys.items())],
    )


