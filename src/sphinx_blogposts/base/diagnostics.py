"""One warning type, ``blogposts``, with one subtype per kind of problem.

Every problem found in a source is reported through :func:`warn`, so that users can
silence a kind with ``suppress_warnings = ["blogposts.<subtype>"]`` and ``-W`` fails on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar, cast

from sphinx.errors import ExtensionError, SphinxError
from sphinx.util import logging

logger = logging.getLogger("sphinx_blogposts")

WARNING_TYPE = "blogposts"


class Subtype(Enum):
    """The subtypes of the ``blogposts`` warning type."""

    date = "date"
    """A post has no date, or a date (or ``updated``) that is neither ISO 8601
    (``2025-03-14``, ``2025-03-14T09:30+01:00``) nor in ABlog's ``post_date_format``."""
    metadata = "metadata"
    """A metadata value or directive option has the wrong type (``draft: maybe``), or a
    ``postlist`` option a value it does not take."""
    category = "category"
    """A category name is empty or a ``category`` directive is misused."""
    author = "author"
    """An author key looks like a key of ``blogposts_authors`` but matches none (a typo)."""
    tag = "tag"
    """A tag is empty or not text."""
    slug = "slug"
    """Two names give the same slug, or a generated page collides with a document."""
    image = "image"
    """A cover image is missing, outside the source directory, or its index is out of range."""
    duplicate = "duplicate"
    """Something is declared twice: a category, or two ``post`` directives in one document."""
    feed = "feed"
    """A feed cannot be written as configured."""
    config = "config"
    """A configuration value is accepted but has no effect, or needs a companion value; or an
    ABlog value or option (after a migration) has no equivalent."""


#: For the documentation: an input that raises each subtype, and how to fix it.
EXAMPLES: dict[Subtype, tuple[str, str]] = {
    Subtype.date: ("date: 2025-13-45", "write a real ISO 8601 date: date: 2025-12-14"),
    Subtype.metadata: ("draft: maybe", "use a value of the key's type: draft: true"),
    Subtype.category: ("category: [{a: 1}]", "name categories with text: category: Tutorials"),
    Subtype.author: ("author: jnae (with blogposts_authors = {'jane': ...})",
                     "use the key as declared (author: jane) or a guest's full name"),
    Subtype.tag: ("tags: [{a: 1}, ok]", "list tags as text: tags: [python, ok]"),
    Subtype.slug: ("tags C++ and C (both slug to c)",
                   "rename one, or give a category its own :slug: option"),
    Subtype.image: ("image: ../../outside.png", "put the image inside the source directory"),
    Subtype.duplicate: ("the same category directive in two documents",
                        "declare each category once; link to it elsewhere"),
    Subtype.feed: ("blogposts_baseurl = 'example.org'",
                   "give an absolute base URL: https://example.org/"),
    Subtype.config: ("post_auto_image = 1 (an ABlog value)",
                     "remove it, or use the native option the message names"),
}


def warn(subtype: Subtype, message: str, location: Any = None) -> None:
    """Emit a ``blogposts.<subtype>`` warning at ``location`` (a node or ``(docname, line)``)."""
    logger.warning(
        message, type=WARNING_TYPE, subtype=subtype.value, location=location
    )


F = TypeVar("F", bound=Callable[..., Any])


def guard(describe: Callable[..., str]) -> Callable[[F], F]:
    """Re-raise an unexpected exception as an ExtensionError that says what was processed.

    ``describe`` gets the handler's arguments and names the post or page, so a crash on
    input nobody foresaw still tells the user which source to look at.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except SphinxError:
                raise
            except Exception as exc:
                try:
                    what = describe(*args, **kwargs)
                except Exception:
                    what = "processing the blog"
                raise ExtensionError(
                    f"sphinx-blogposts failed while {what}: {exc.__class__.__name__}: {exc}",
                    orig_exc=exc,
                    modname="sphinx_blogposts",
                ) from exc

        return cast(F, wrapper)

    return decorate
