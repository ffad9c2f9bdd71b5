"""Page names of the generated pages: the one place that knows the URL scheme.

Page names are builder-neutral (``blog/tag/python``); the builder turns them into
``blog/tag/python.html`` (html) or ``blog/tag/python/`` (dirhtml).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sphinx.builders import Builder
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.util.osutil import relative_uri

from ..base.config import BlogConfig

RESERVED_SLUGS = frozenset({"index"})


#: builder -> page name -> target URI; a builder's URIs never change while it lives
_TARGETS: WeakKeyDictionary[Any, dict[str, str]] = WeakKeyDictionary()
#: env -> whether its builder writes page ``name`` as ``name/index.html`` (dirhtml)
_DIRECTORIES: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()


def note_builder(env: Any, builder: Any) -> None:
    """Remember how this build names output files (at ``builder-inited``)."""

    _DIRECTORIES[env] = isinstance(builder, DirectoryHTMLBuilder)


def output_name(env: Any, name: str) -> str:
    """The output file of page or document ``name``, without its suffix: two names with the
    same output name would overwrite each other (under dirhtml, ``blog/archive`` and
    ``blog/archive/index`` both write ``blog/archive/index.html``)."""
    if _DIRECTORIES.get(env) and name != "index" and not name.endswith("/index"):
        return f"{name}/index"
    return name


def relative(builder: Any, frompage: str, target: str) -> str:
    """A link from one page to another; ``#`` for the page itself, never an empty href.

    Generated pages and post footers ask for tens of thousands of links to the same few
    thousand pages, so each page's target URI is computed once per builder.  A builder
    with its own ``get_relative_uri`` (singlehtml, epub) is asked every time.  A target
    ``page#id`` (a section post) links to that section.
    """
    if "#" in target:
        page, _sep, fragment = target.partition("#")
        uri = relative(builder, frompage, page)
        return ("" if uri == "#" else uri) + "#" + fragment
    if type(builder).get_relative_uri is not Builder.get_relative_uri:
        return str(builder.get_relative_uri(frompage, target)) or "#"
    return relative_uri(target_uri(builder, frompage), target_uri(builder, target)) or "#"


def target_uri(builder: Any, pagename: str) -> str:
    """``builder.get_target_uri(pagename)``, remembered for the builder's lifetime
    (``page#id``: the page's URI and the fragment)."""
    if "#" in pagename:
        page, _sep, fragment = pagename.partition("#")
        return f"{target_uri(builder, page)}#{fragment}"
    try:
        cache = _TARGETS[builder]
    except KeyError:
        cache = _TARGETS[builder] = {}
    uri = cache.get(pagename)
    if uri is None:
        uri = cache[pagename] = str(builder.get_target_uri(pagename))
    return uri


def blog_index(cfg: BlogConfig, page: int = 1) -> str:
    return f"{cfg.path}/index" if page == 1 else f"{cfg.path}/page/{page}"


def category_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/category/index"


def category(cfg: BlogConfig, slug: str, page: int = 1) -> str:
    base = f"{cfg.path}/category/{slug}"
    return base if page == 1 else f"{base}/page/{page}"


def tag_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/tag/index"


def tag(cfg: BlogConfig, slug: str) -> str:
    """One page per tag, however many posts it has (dated titles by year)."""
    return f"{cfg.path}/tag/{slug}"


def author_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/author/index"


def author(cfg: BlogConfig, slug: str) -> str:
    """One page per author, however many posts (dated titles by year)."""
    return f"{cfg.path}/author/{slug}"


def facet_index(cfg: BlogConfig, kind: str) -> str:
    """Every language (``kind="language"``) or location of the blog."""
    return f"{cfg.path}/{kind}/index"


def facet(cfg: BlogConfig, kind: str, slug: str) -> str:
    """One language's or location's posts (dated titles by year, as a tag's)."""
    return f"{cfg.path}/{kind}/{slug}"


def archive(cfg: BlogConfig) -> str:
    return f"{cfg.path}/archive"


def drafts(cfg: BlogConfig) -> str:
    """The drafts, when they have pages but are listed nowhere else (``"unlisted"``)."""
    return f"{cfg.path}/drafts"


def series_index(cfg: BlogConfig) -> str:
    return f"{cfg.path}/series/index"


def series(cfg: BlogConfig, slug: str) -> str:
    return f"{cfg.path}/series/{slug}"
