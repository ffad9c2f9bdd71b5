"""Page names of the generated pages: the one place that knows the URL scheme.

Page names are builder-neutral (``blog/tag/python``); the builder turns them into
``blog/tag/python.html`` (html) or ``blog/tag/python/`` (dirhtml).
"""

from __future__ import annotations

from typing import Any

from .config import BlogConfig

RESERVED_SLUGS = frozenset({"index"})


def relative(builder: Any, frompage: str, target: str) -> str:
    """A link from one page to another; ``#`` for the page itself, never an empty href."""
    return str(builder.get_relative_uri(frompage, target)) or "#"


def blog_index(cfg: BlogConfig, page: int = 1) -> str:
    return f"{cfg.path}/index" if page == 1 else f"{cfg.path}/page/{page}"


def category_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/category/index"


def category(cfg: BlogConfig, slug: str, page: int = 1) -> str:
    base = f"{cfg.path}/category/{slug}"
    return base if page == 1 else f"{base}/page/{page}"


def tag_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/tag/index"


def tag(cfg: BlogConfig, slug: str, page: int = 1) -> str:
    base = f"{cfg.path}/tag/{slug}"
    return base if page == 1 else f"{base}/page/{page}"


def author_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/author/index"


def author(cfg: BlogConfig, slug: str, page: int = 1) -> str:
    base = f"{cfg.path}/author/{slug}"
    return base if page == 1 else f"{base}/page/{page}"


def archive(cfg: BlogConfig) -> str:
    return f"{cfg.path}/archive"


def series_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/series/index"


def series(cfg: BlogConfig, slug: str) -> str:
    return f"{cfg.path}/series/{slug}"
