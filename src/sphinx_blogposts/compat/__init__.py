"""Adapters at the edge: another blog extension's sites build on the native core, which
never imports them (import-linter keeps it so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ablog import setup_ablog

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """ABlog's configuration values, options, templates, labels and URLs."""
    setup_ablog(app)
