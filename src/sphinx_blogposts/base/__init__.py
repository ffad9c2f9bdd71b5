"""What every stage shares: the validated configuration, dates, slugs, warnings, the
message catalog and the extension's docutils nodes.  Imports nothing of the other stages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import nodes as bp_nodes
from .config import setup_config
from .dates import FORMATTED
from .i18n import CATALOG, LOCALE_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """Declare the ``blogposts_*`` values, the message catalog and the nodes."""
    setup_config(app)
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    passthrough = (bp_nodes.visit_passthrough, bp_nodes.depart_passthrough)
    app.add_node(
        bp_nodes.time_,
        html=(bp_nodes.visit_time_html, bp_nodes.depart_time_html),
        latex=passthrough, text=passthrough, man=passthrough, texinfo=passthrough,
    )
    app.add_node(bp_nodes.html_block, html=(bp_nodes.visit_html_block, None))
    for node in bp_nodes.PLACEHOLDERS:
        app.add_node(node)
    # the dates earlier builds formatted, before conf.py's date format is checked
    FORMATTED.load(app.doctreedir)
    app.connect("build-finished", _save_dates)


def _save_dates(app: Sphinx, exception: BaseException | None) -> None:
    FORMATTED.save()
