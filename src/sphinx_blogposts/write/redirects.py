"""Redirect pages: a small page at an old URL that sends readers, and search engines, on to
the page that replaced it.

Old URLs come from posts' ``redirect`` metadata (where a post stood before) and from the
``blogposts-redirects`` event, through which an adapter (ABlog's URLs, see ``ablog.py``)
adds its own: ``{old page name: target page name, optionally with #anchor}``.  A redirect
never takes the file of a document or a generated page.  The plan is made after reading
(so it is recorded with the environment and a redirect no longer made is deleted), the pages
are written with the generated pages, and a file whose bytes did not change is kept.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..base.config import get_blogs, get_config
from ..model import urls
from ..model.views import get_view
from .builders import has_pages
from .feeds import write_if_changed
from .plans import page_names
from .seo import site_base

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger("sphinx_blogposts")

EVENT = "blogposts-redirects"
#: marks a redirect page as this extension's: only such a file is ever deleted
MARK = '<meta name="generator" content="sphinx-blogposts redirect" />'
#: where the plan of this build is kept on the builder (made at env-updated)
_PLAN = "_blogposts_redirects"


def plan(app: Sphinx, taken: set[str]) -> dict[str, str]:
    """Old page name -> target (page name, maybe ``#anchor``) of the redirects to write.

    ``taken`` holds the output names (see :func:`urls.output_name`) of every document and
    generated page: a redirect there would overwrite a page, so it is left out, as is one
    that would land on its own target's file.
    """
    env = app.env
    wanted: dict[str, str] = {}
    for blog in get_blogs(app.config).blogs:
        for post in get_view(env, blog.key).chrono:
            for old in post.redirects:
                wanted.setdefault(old, post.key)
    for result in app.emit(EVENT):
        if isinstance(result, dict):
            for old, target in sorted(result.items()):
                wanted.setdefault(str(old), str(target))
    found: dict[str, str] = {}
    for old, target in sorted(wanted.items()):
        out = urls.output_name(env, old)
        if out in taken or out == urls.output_name(env, target.partition("#")[0]):
            continue
        found[old] = target
    setattr(app.builder, _PLAN, found)
    return found


def page(app: Sphinx, old: str, target: str) -> bytes:
    """The redirect page at ``old``: a refresh, a canonical link and a link for people."""
    builder: Any = app.builder
    name, _, anchor = target.partition("#")
    url = urls.relative(builder, old, name) + (f"#{anchor}" if anchor else "")
    base = site_base(get_config(app.config))
    canonical = (base + urls.target_uri(builder, name) + (f"#{anchor}" if anchor else "")
                 if base else url)
    title = _title(app, name)
    language = html.escape(str(app.config.language or "en"))
    href = html.escape(url)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical)}" />\n'
        '<meta name="robots" content="noindex" />\n'
        f'<meta http-equiv="refresh" content="0; url={href}" />\n'
        f"{MARK}\n</head>\n<body>\n"
        f'<p>This page has moved to <a href="{href}">{html.escape(title)}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()


def _title(app: Sphinx, name: str) -> str:
    node = app.env.titles.get(name)
    if node is not None:
        return node.astext()

    return page_names(app.env).get(name, name)


def write(app: Sphinx) -> None:
    """Write this build's redirect pages (each only if its bytes changed)."""
    if not has_pages(app.builder):
        return
    builder: Any = app.builder
    found: dict[str, str] = getattr(builder, _PLAN, None) or {}
    outdir = Path(builder.outdir).resolve()
    written = 0
    for old, target in found.items():
        path = Path(builder.get_outfilename(old))
        try:
            written += write_if_changed(path, page(app, old, target), outdir)
        except ValueError:
            continue  # outside the output directory: never written
        except OSError as exc:
            logger.warning(f"sphinx-blogposts: cannot write the redirect page {path}: {exc}")
    if found:
        logger.info(f"sphinx-blogposts: redirect pages: {len(found)} ({written} written)")


def remove(app: Sphinx, old: str) -> None:
    """Delete a redirect page an earlier build wrote, if it is still ours."""
    path = Path(app.builder.get_outfilename(old))  # type: ignore[attr-defined]
    try:
        if path.is_file() and MARK.encode() in path.read_bytes()[:2048]:
            path.unlink()
    except OSError:
        pass


def setup_redirects(app: Sphinx) -> None:
    app.add_event(EVENT)
