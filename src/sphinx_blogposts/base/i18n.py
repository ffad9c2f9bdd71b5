"""Message catalogs: every string the extension and its theme print, in the reader's language.

Python code uses ``_ = get_translation("sphinx_blogposts")``.  Templates get :func:`gettext`
as ``_bp`` in their context (Jinja's ``_`` is bound to Sphinx's own catalog), and the
writing direction as ``blogposts_dir``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.locale import get_translation

CATALOG = "sphinx_blogposts"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
#: languages written right to left (their primary subtag)
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "iw", "ps", "sd", "yi", "ug", "ckb", "dv"})

_ = get_translation(CATALOG)
_sphinx = get_translation("sphinx")


def gettext(message: str, *args: Any, **variables: Any) -> str:
    """A message from the ``sphinx_blogposts`` catalog, formatted like Jinja's newstyle
    gettext (``_bp('Part %(part)d', part=2)``).

    A message the catalog does not have (a theme's "Search") comes from Sphinx's own
    catalog, so nothing is less translated than before.
    """
    text = str(_(message))
    if text == message:
        text = str(_sphinx(message))
    if variables:
        return text % variables
    if args:
        return text % args
    return text


def direction(language: str | None) -> str:
    """``rtl`` for a right-to-left language (``ar``, ``he``, ``fa``, ``ur``…), else ``ltr``."""
    primary = (language or "en").replace("-", "_").split("_")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
