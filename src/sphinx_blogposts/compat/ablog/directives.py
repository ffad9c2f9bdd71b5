"""ABlog's ``post`` and ``postlist`` options read as native ones; its ``update`` directive."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst.directives.admonitions import BaseAdmonition
from sphinx.util import logging

from ...base import nodes as bp_nodes
from ...base.config import get_config
from ...base.dates import format_day, parse_date
from ...base.diagnostics import Subtype, warn
from ...base.i18n import gettext
from .maps import POST_WARNED, POSTLIST_IGNORED, POSTLIST_WARNED

if TYPE_CHECKING:
    pass

logger = logging.getLogger("sphinx_blogposts")


# -- directives ------------------------------------------------------------------------------

def post_options(raw: dict[str, str], location: tuple[str, int]) -> None:
    """Warn about ABlog ``post`` options whose loss changes what readers get."""
    for name in POST_WARNED:
        if name in raw:
            warn(Subtype.config,
                 f"post :{name}: (ABlog's) has no equivalent in sphinx-blogposts; ignored",
                 location)


def postlist_options(raw: dict[str, str], arguments: list[str],
                     location: tuple[str, int], ablog_site: bool = False) -> dict[str, str]:
    """ABlog's ``postlist`` options as native ones (the argument N, flags, templates); on a
    site moved from ABlog, names that match nothing are ignored, as ABlog ignores them."""
    result = dict(raw)
    if ablog_site:
        result["ignore-unknown"] = ""
    if arguments and "limit" not in result:
        result["limit"] = arguments[0]
    if "sort" in result and not str(result["sort"] or "").strip():
        result["sort"] = "oldest"  # ABlog's flag: chronological order
    fmt = str(result.get("format") or "")
    if "{" in fmt:
        fields = set(re.findall(r"\{(\w+)\}", fmt))
        result["format"] = "titles" if fields <= {"title"} else "list"
    for name in POSTLIST_IGNORED:
        result.pop(name, None)
    for name in POSTLIST_WARNED:
        if name in result:
            del result[name]
            warn(Subtype.config,
                 f"postlist :{name}: (ABlog's) has no equivalent in sphinx-blogposts; the list "
                 f"is not filtered by it", location)
    return result


class UpdateDirective(BaseAdmonition):
    """ABlog's ``update``: a note titled with its date; the latest is the post's update."""

    required_arguments = 1
    final_argument_whitespace = True
    node_class = nodes.admonition

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        cfg = get_config(env.config)
        text = " ".join(self.arguments[0].split())
        shown = text
        try:
            when = parse_date(text, cfg.date_formats)
            shown = format_day(when.day, cfg.date_format, cfg.language)
        except ValueError:
            warn(Subtype.date, f"update: {text!r} is not a date; shown as written",
                 (env.docname, self.lineno))
            when = None
        self.arguments = [f"{gettext('Updated')} {shown}"]
        self.options.setdefault("class", []).append("blogposts-update")
        result = list(super().run())
        if when is not None:
            for marker in self.state.document.findall(bp_nodes.post_marker):
                raw = marker["raw"]
                previous = raw.get("updated")
                try:
                    later = previous is None or parse_date(previous, cfg.date_formats) < when
                except ValueError:
                    later = False
                if later:
                    raw["updated"] = when.isoformat()
                break
        return result
