"""The blog's data: posts and their index in the environment (collected per document,
merged across parallel readers), the view of it one build sees, cards and URLs."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING

from ..base.version import __version__
from . import posts
from .collector import setup_collector

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """The environment collector that keeps the index."""
    setup_collector(app)


def env_version() -> int:
    """Changes whenever the pickled index changes shape, so Sphinx discards an old env.

    Derived from the model's field names and types and the package version instead of a
    hand-kept number that one would forget to bump.
    """
    shape = [__version__]
    for cls in (posts.BlogIndex, posts.Post, posts.CategoryDecl, posts.Query):
        shape += [cls.__name__, *(f"{f.name}: {f.type}" for f in dataclasses.fields(cls))]
    return int(hashlib.sha1("/".join(shape).encode()).hexdigest()[:7], 16)
