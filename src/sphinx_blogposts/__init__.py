"""sphinx-blogposts: a blog inside any Sphinx site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base.version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Register each stage; the ABlog adapter last, on top of the core it maps onto."""
    # imported here, not at the top: the ``sphinx-blogposts`` command imports this package
    # and needs none of the stages that import Sphinx's builders (measured: see
    # docs/explanation.md, "Start-up")
    from . import base, compat, model, read, write

    for stage in (base, read, model, write, compat):
        stage.setup(app)
    return {
        "version": __version__,
        "env_version": model.env_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
