"""ABlog compatibility: a site written for ABlog builds once ``"ablog"`` is replaced with
``"sphinx_blogposts"`` in ``extensions``.

- ABlog's configuration values are declared (so Sphinx accepts them) and, at
  ``config-inited`` before :func:`sphinx_blogposts.base.config.on_config_inited` validates, each
  one that has a native equivalent is copied to it, with one info line naming the native
  value; each one set without an equivalent is one ``blogposts.config`` warning at its line of
  conf.py.
- ABlog's dates (``post_date_format``, by default ``%d %B %Y``, and its other usual forms such
  as ``Apr 15, 2013``) are read besides ISO 8601: ``post_date_format`` goes first in
  ``blogposts_date_input_formats``.
- The ``post`` and ``postlist`` directives take ABlog's options (through the read stage's
  option events); ABlog's ``update`` directive is understood.
- ABlog's sidebar templates in ``html_sidebars`` are replaced with the extension's, and
  ABlog's ``:ref:`` labels (``blog-posts``, ``tag-<name>``, ...) resolve to the generated pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any as AnyType

from sphinx.util.docutils import is_directive_registered

from ...read.directives import POST_OPTIONS_EVENT, POSTLIST_OPTIONS_EVENT
from .config import is_ablog_site, on_config_inited
from .directives import UpdateDirective, post_options, postlist_options
from .maps import CONFIG_MAP
from .references import ablog_urls, on_missing_reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_ablog(app: Sphinx) -> None:
    """Declare ABlog's values and directives; map them before the native ones are checked."""
    for item in CONFIG_MAP:
        if item.name not in app.config:
            app.add_config_value(item.name, item.default, "env", types=AnyType)
    app.connect("config-inited", on_config_inited, priority=700)
    if not is_directive_registered("update"):
        app.add_directive("update", UpdateDirective)
    # before the native labels' handler, as when this adapter was set up first
    app.connect("missing-reference", on_missing_reference, priority=450)
    app.connect("blogposts-redirects", ablog_urls)
    app.connect(POST_OPTIONS_EVENT, _on_post_options)
    app.connect(POSTLIST_OPTIONS_EVENT, _on_postlist_options)


def _on_post_options(app: Sphinx, raw: dict[str, str], location: tuple[str, int]) -> None:
    post_options(raw, location)


def _on_postlist_options(app: Sphinx, raw: dict[str, str], arguments: list[str],
                         location: tuple[str, int]) -> None:
    """Rewrites ``raw`` in place: the directive keeps the dict it emitted."""
    native = postlist_options(raw, arguments, location, is_ablog_site(app.config))
    raw.clear()
    raw.update(native)
