"""The ``sphinx_blogposts`` HTML theme (entry point ``sphinx.html_themes``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEME_DIR = Path(__file__).parent / "sphinx_blogposts"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the theme, and the extension with it: the theme shows its nodes and pages."""
    app.setup_extension("sphinx_blogposts")
    app.add_html_theme("sphinx_blogposts", str(THEME_DIR))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
