"""Rendering the bodies of generated pages with the site's templates, fast."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jinja2
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.locale import get_translation
from sphinx.util import logging

if TYPE_CHECKING:
    pass


_ = get_translation("sphinx_blogposts")
logger = logging.getLogger(__name__)


class Record(dict[str, Any]):
    """Template data read as ``post.url``: Jinja tries an attribute before a key, and on a
    plain dict that costs a raised AttributeError per lookup (thousands a page).  Still a
    dict, so ``post['url']`` works and its repr (the page fingerprint) is a dict's."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def body_renderer(builder: Any) -> Callable[[str, dict[str, Any]], str]:
    """Renders a generated page's body: Sphinx's templates, without Sphinx's sandbox.

    Sphinx renders in a Jinja sandbox, which checks every attribute a template reads (about
    400 000 for the pages of a 5000-post blog, a third of their rendering time) and stats
    every included template each time it is included.  The bodies are rendered instead by a
    plain Jinja environment made from Sphinx's own: the same loader (theme, then
    ``templates_path``), extensions, filters, tests and globals (its translations too).  The
    templates are the site's and the theme's, trusted code like its ``conf.py``; the data
    they show is escaped by them as before.  The page around the body is still rendered by
    Sphinx.  A ``template_bridge`` that renders in its own way is used as it is.
    """

    bridge = builder.templates
    cached: Callable[[str, dict[str, Any]], str] | None = getattr(bridge, "_blogposts_render",
                                                                    None)
    if cached is not None:
        return cached

    sandbox = getattr(bridge, "environment", None)
    if (not isinstance(bridge, BuiltinTemplateLoader)
            or type(bridge).render is not BuiltinTemplateLoader.render
            or not isinstance(sandbox, jinja2.Environment)):
        render: Callable[[str, dict[str, Any]], str] = bridge.render
    else:
        same = ("block_start_string", "block_end_string", "variable_start_string",
                "variable_end_string", "comment_start_string", "comment_end_string",
                "line_statement_prefix", "line_comment_prefix", "trim_blocks",
                "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "undefined",
                "finalize", "autoescape")
        env = jinja2.Environment(
            loader=bridge,
            extensions=[type(e) for e in sandbox.extensions.values()],
            auto_reload=False,  # one build: the templates do not change under it
            **{name: getattr(sandbox, name) for name in same},
        )
        env.filters.update(sandbox.filters)
        env.tests.update(sandbox.tests)
        env.globals.update(sandbox.globals)
        env.policies.update(sandbox.policies)
        if hasattr(sandbox, "newstyle_gettext"):
            env.newstyle_gettext = sandbox.newstyle_gettext  # type: ignore[attr-defined]

        def render(template: str, context: dict[str, Any]) -> str:
            return env.get_template(template).render(context)

    bridge._blogposts_render = render
    return render


