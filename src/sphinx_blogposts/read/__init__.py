"""Reading sources: front matter, docinfo and notebook metadata, the ``post``, ``category``
and ``postlist`` directives; each post's metadata ends up on its doctree, for the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .directives import (
    POST_OPTIONS_EVENT,
    POSTLIST_OPTIONS_EVENT,
    CategoryDirective,
    PostDirective,
    PostlistDirective,
)
from .reader import PostReader, on_source_read

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """The directives, the events adapters rewrite their options through, the reader."""
    app.add_event(POST_OPTIONS_EVENT)
    app.add_event(POSTLIST_OPTIONS_EVENT)
    app.add_directive("post", PostDirective)
    app.add_directive("category", CategoryDirective)
    app.add_directive("postlist", PostlistDirective)
    app.add_transform(PostReader)
    app.connect("source-read", on_source_read)
