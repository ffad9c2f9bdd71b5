"""The ``blogposts_*`` values validated once into :class:`BlogConfig`: a bad value stops
the build at ``config-inited`` with an error naming the option."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.errors import ConfigError

from . import checks as c
from .checks import FACETS, KEY_RE, Author
from .dates import check_pattern, date_formats
from .diagnostics import Subtype, warn
from .options import OPTIONS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


__all__ = ["FACETS", "KEY_RE", "Author", "BlogConfig", "SiteBlogs", "get_blogs", "get_config"]

FEED_FORMATS = ("atom", "rss", "json")


@dataclass(frozen=True)
class BlogConfig:
    """The validated ``blogposts_*`` values, read by every other module."""

    path: str
    title: str
    description: str
    baseurl: str
    pattern: tuple[str, ...]
    posts_per_page: int
    authors: Mapping[str, Author]
    default_authors: tuple[str, ...]
    default_categories: tuple[str, ...]
    categories: Mapping[str, str]
    feeds: tuple[str, ...]
    #: None: every published post
    feed_length: int | None
    feed_full_content: bool
    drafts: str
    words_per_minute: int
    date_format: str | None
    #: post lists' and dated titles' pattern; None: ``date_format``
    date_format_short: str | None = None
    language: str = "en"
    tag_feeds: bool = False
    #: the timestamp of ``blogposts_now``, or None for SOURCE_DATE_EPOCH / the build time
    now: float | None = None
    related_count: int = 3
    excerpt_paragraphs: int = 1
    auto_image: int = 0
    undated_drafts: bool = False
    archive_feeds: bool = False
    feed_titles_only: bool = False
    #: name -> (("title" | "content", template), ...)
    feed_templates: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: "key" or "name": what an author's slug is made of
    author_slugs: str = "key"
    #: taxonomy ("language", "location") -> key -> name shown
    facet_names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: taxonomy -> the key of a post that names none
    facet_defaults: tuple[tuple[str, str], ...] = ()

    def facet(self, kind: str) -> dict[str, str]:
        """Key -> name of one taxonomy (``language`` or ``location``)."""
        return dict(dict(self.facet_names).get(kind, ()))
    #: strptime patterns read after ISO 8601: ABlog's ``post_date_format`` and usual forms
    date_formats: tuple[str, ...] = ()
    #: the blog's name in ``blogposts_blogs``; "" on a site of one blog, :data:`ALL_POSTS`
    #: for the index of every blog's posts
    key: str = ""


def validate(config: Config) -> BlogConfig:
    """Check every ``blogposts_*`` value; raise a ConfigError naming the first bad one."""
    feeds = c.str_tuple("blogposts_feeds", config.blogposts_feeds)
    for feed in feeds:
        if feed not in FEED_FORMATS:
            raise c.fail("blogposts_feeds", config.blogposts_feeds,
                        f"a list drawn from {list(FEED_FORMATS)}")
    drafts = config.blogposts_drafts
    if drafts not in ("hide", "show", "unlisted"):
        raise c.fail("blogposts_drafts", drafts, "'hide', 'show' or 'unlisted'")
    feed_full = config.blogposts_feed_full_content
    if not isinstance(feed_full, bool):
        raise c.fail("blogposts_feed_full_content", feed_full, "a bool")
    tag_feeds = config.blogposts_tag_feeds
    if not isinstance(tag_feeds, bool):
        raise c.fail("blogposts_tag_feeds", tag_feeds, "a bool")
    date_format = config.blogposts_date_format
    if date_format is not None and not isinstance(date_format, str):
        raise c.fail("blogposts_date_format", date_format, "a str (a Babel pattern) or None")
    if date_format:
        try:
            date_format = check_pattern(date_format, str(config.language or "en"))
        except ValueError as exc:
            raise c.fail("blogposts_date_format", date_format,
                        f"a Babel pattern such as 'd MMMM y' or a strftime pattern such as "
                        f"'%d %B %Y' ({exc})") from exc
    return BlogConfig(
        path=c.path(config.blogposts_path),
        title=c.string("blogposts_title", config.blogposts_title),
        description=c.string("blogposts_description", config.blogposts_description),
        baseurl=c.string("blogposts_baseurl", config.blogposts_baseurl or "")
        or str(getattr(config, "html_baseurl", "") or ""),
        pattern=c.str_tuple("blogposts_pattern", config.blogposts_pattern),
        posts_per_page=c.positive_int("blogposts_posts_per_page", config.blogposts_posts_per_page),
        authors=c.authors(config.blogposts_authors),
        default_authors=c.str_tuple("blogposts_default_author", config.blogposts_default_author),
        default_categories=c.str_tuple("blogposts_default_category",
                                      config.blogposts_default_category),
        categories=c.categories(config.blogposts_categories),
        feeds=feeds,
        feed_length=(None if config.blogposts_feed_length is None else
                     c.positive_int("blogposts_feed_length", config.blogposts_feed_length)),
        feed_full_content=feed_full,
        drafts=drafts,
        words_per_minute=c.positive_int("blogposts_words_per_minute",
                                       config.blogposts_words_per_minute),
        date_format=date_format or None,
        date_format_short=c.date_pattern("blogposts_date_format_short",
                                        config.blogposts_date_format_short,
                                        str(config.language or "en")),
        language=str(config.language or "en"),
        tag_feeds=tag_feeds,
        now=c.now(config.blogposts_now),
        related_count=c.count("blogposts_related_count", config.blogposts_related_count),
        excerpt_paragraphs=c.positive_int("blogposts_excerpt_paragraphs",
                                         config.blogposts_excerpt_paragraphs),
        auto_image=c.count("blogposts_auto_image", config.blogposts_auto_image),
        undated_drafts=bool(config.blogposts_undated_drafts),
        archive_feeds=bool(config.blogposts_archive_feeds),
        feed_titles_only=bool(config.blogposts_feed_titles_only),
        feed_templates=c.feed_templates(config.blogposts_feed_templates),
        author_slugs="name" if config.blogposts_author_slugs == "name" else "key",
        facet_names=tuple(
            (kind, tuple(c.names(f"blogposts_{kind}s", getattr(config, f"blogposts_{kind}s"))
                         .items()))
            for kind in FACETS),
        facet_defaults=tuple(
            (kind, default) for kind in FACETS
            if (default := c.string(f"blogposts_default_{kind}",
                                   getattr(config, f"blogposts_default_{kind}") or "").strip())),
        date_formats=date_formats(c.formats("blogposts_date_input_formats",
                                           config.blogposts_date_input_formats)),
    )


#: the key of the site-wide index of every blog's posts (``blogposts_all_posts``)
ALL_POSTS = "*"

#: what a blog of ``blogposts_blogs`` may set (as ``blogposts_<name>``); the other values
#: are the site's.  Path, title, description and pattern are the blog's own, never the
#: site's: two blogs can share neither a folder nor their posts.
BLOG_KEYS = (
    "path", "title", "description", "pattern", "posts_per_page", "authors", "default_author",
    "default_category", "categories", "feeds", "feed_length", "feed_full_content",
    "feed_titles_only", "feed_templates", "tag_feeds", "archive_feeds", "drafts",
    "undated_drafts", "related_count", "excerpt_paragraphs", "auto_image",
)


@dataclass(frozen=True)
class SiteBlogs:
    """Every blog of the site, in the order ``blogposts_blogs`` declares them (a site that
    declares none has one blog, of key ""), and the index of all their posts if asked."""

    blogs: tuple[BlogConfig, ...]
    #: the site-wide index and feeds of every blog's posts (``blogposts_all_posts``)
    everything: BlogConfig | None = None
    #: what the build warns about once (two blogs on one folder), as ``blogposts.config``
    problems: tuple[str, ...] = ()
    #: the site's values (the ``blogposts_*`` ones): every blog's defaults
    values: BlogConfig | None = None

    @property
    def site(self) -> BlogConfig:
        """The site's values, of which the all-posts index is made."""
        return self.values or self.blogs[0]

    @property
    def default(self) -> BlogConfig:
        """The first blog: the one of a page outside every blog's folder."""
        return self.blogs[0]

    @property
    def several(self) -> bool:
        """Whether the site declares its blogs (posts then say which blog they are in)."""
        return bool(self.blogs[0].key)

    def get(self, key: str) -> BlogConfig | None:
        """The blog (or the all-posts index) of ``key``, None when there is none."""
        if self.everything is not None and key == self.everything.key:
            return self.everything
        return next((b for b in self.blogs if b.key == key), None)

    def listed(self) -> tuple[BlogConfig, ...]:
        """Every blog, then the all-posts index: each gets its own pages and feeds."""
        return self.blogs + ((self.everything,) if self.everything is not None else ())

    def of_page(self, pagename: str) -> BlogConfig | None:
        """The blog whose folder holds ``pagename`` (the deepest), or None."""
        found = [b for b in self.listed() if pagename.startswith(f"{b.path}/")]
        return max(found, key=lambda b: len(b.path)) if found else None


class _Overlay:
    """The site's configuration with one blog's values in front (``blogposts_<name>``)."""

    def __init__(self, config: Any, values: Mapping[str, Any]) -> None:
        self._config = config
        self._values = values

    def __getattr__(self, name: str) -> Any:
        key = name.removeprefix("blogposts_")
        if key != name and key in self._values:
            return self._values[key]
        return getattr(self._config, name)


def _blog(config: Config, key: Any, spec: Any) -> BlogConfig:
    """One blog of ``blogposts_blogs``: its values over the site's, each checked."""
    where = f"blogposts_blogs[{key!r}]"
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise c.fail("blogposts_blogs", key, "a dict keyed by names of lowercase letters, "
                     "digits, '-' and '_' (such as 'news')")
    if not isinstance(spec, Mapping):
        raise c.fail(where, spec, "a dict of the blog's values, such as {'title': 'News'}")
    unknown = sorted(str(k) for k in spec if k not in BLOG_KEYS)
    if unknown:
        raise c.fail(where, spec, f"a dict of {', '.join(BLOG_KEYS)} (unknown: {unknown})")
    values = {"path": key, "title": key.replace("-", " ").replace("_", " ").capitalize(),
              "description": "", "pattern": [], **spec}
    try:
        cfg = validate(_Overlay(config, values))  # type: ignore[arg-type]
    except ConfigError as exc:  # named as the user wrote it
        message = str(exc)
        for name in values:
            message = message.replace(f"`blogposts_{name}", f"`{where}[{name!r}]")
        raise ConfigError(message) from None
    return replace(cfg, key=key)


def validate_site(config: Config) -> SiteBlogs:
    """The site's blogs: ``blogposts_blogs`` checked, or the one blog of the other values."""
    site = validate(config)
    declared = getattr(config, "blogposts_blogs", None) or {}
    if not isinstance(declared, Mapping):
        raise c.fail("blogposts_blogs", declared, "a dict of name -> the blog's values")
    if not declared:
        unused = ("blogposts_all_posts has no effect without blogposts_blogs (a site of one "
                  "blog lists every post on its index)",)
        return SiteBlogs((site,), problems=unused if getattr(
            config, "blogposts_all_posts", False) else ())
    blogs: list[BlogConfig] = []
    problems: list[str] = []
    taken: dict[str, str] = {}
    everything = (replace(site, key=ALL_POSTS)
                  if getattr(config, "blogposts_all_posts", False) else None)
    if everything is not None:
        taken[everything.path] = "the index of all posts (blogposts_path)"
    for key, spec in declared.items():
        cfg = _blog(config, key, spec)
        if cfg.path in taken:
            path = cfg.path
            moved = f"{path}-{key}"
            while moved in taken:
                moved += "-"
            problems.append(f"blogposts_blogs: the blog {key!r} has the path {path!r}, which "
                            f"{taken[path]} has already; its pages are written to {moved!r}")
            cfg = replace(cfg, path=moved)
        taken[cfg.path] = f"the blog {key!r}"
        blogs.append(cfg)
    return SiteBlogs(tuple(blogs), everything, tuple(problems), site)


_VALIDATED: WeakKeyDictionary[Config, SiteBlogs] = WeakKeyDictionary()


def get_blogs(config: Config) -> SiteBlogs:
    """The validated blogs (validated at ``config-inited``; recomputed if missing)."""
    blogs = _VALIDATED.get(config)
    if blogs is None:
        blogs = _VALIDATED[config] = validate_site(config)
    return blogs


def get_config(config: Config, blog: str | None = None) -> BlogConfig:
    """One blog's validated values: the blog of key ``blog``, by default the first."""
    blogs = get_blogs(config)
    if blog is None:
        return blogs.default
    return blogs.get(blog) or blogs.default


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Fail early, naming the option, when a value has the wrong type."""
    blogs = _VALIDATED[config] = validate_site(config)
    if blogs.problems:
        for problem in blogs.problems:
            warn(Subtype.config, problem,
                 conf_location(app, "blogposts_blogs", "blogposts_all_posts"))


def setup_config(app: Sphinx) -> None:
    """Declare every option typed, with its description where Sphinx accepts one."""
    takes_description = "description" in inspect.signature(app.add_config_value).parameters
    for opt in OPTIONS:
        kwargs: dict[str, Any] = {"types": opt.types}
        if takes_description:
            kwargs["description"] = opt.description
        rebuild: Any = opt.rebuild
        app.add_config_value(opt.name, opt.default, rebuild, **kwargs)
    app.connect("config-inited", on_config_inited, priority=800)


def conf_location(app: Any, *names: str) -> str | None:
    """``path/conf.py:line`` where the first of ``names`` is assigned, for warnings about it."""
    confdir = getattr(app, "confdir", None)
    if not confdir:
        return None
    conf = Path(confdir) / "conf.py"
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    # "path:line" (a location without a colon would be taken for a docname)
    for name in names:
        assignment = re.compile(rf"^\s*{re.escape(name)}\s*(:[^=]*)?=")
        for number, line in enumerate(lines, start=1):
            if assignment.match(line):
                return f"{conf}:{number}"
    return None  # set with -D, or computed: no line to point at
