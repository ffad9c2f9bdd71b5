"""The ``blogposts_*`` values validated once into :class:`BlogConfig`: a bad value stops
the build at ``config-inited`` with an error naming the option."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.errors import ConfigError

from .dates import check_pattern, date_formats, parse_date
from .feed_templates import check as check_feed_templates
from .options import OPTIONS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


KEY_RE = re.compile(r"^[a-z0-9_-]+$")
FEED_FORMATS = ("atom", "rss", "json")


@dataclass(frozen=True)
class Author:
    """A known author of ``blogposts_authors``."""

    key: str
    name: str
    url: str = ""
    avatar: str = ""


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


def _fail(name: str, value: Any, expected: str) -> ConfigError:
    return ConfigError(
        f"The config value `{name}` must be {expected}; got {value!r} "
        f"(type {type(value).__name__})."
    )


def _str_tuple(name: str, value: Any, *, allow_none: bool = True) -> tuple[str, ...]:
    if value is None and allow_none:
        return ()
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise _fail(name, value, "a string or a list of strings")


def _formats(name: str, value: Any) -> tuple[str, ...]:
    """strptime patterns: a list (a pattern may hold a comma, so a string is no list)."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise _fail(name, value, "a list of strptime patterns such as ['%d.%m.%Y']")


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(name, value, "a positive int")
    return value


def _count(name: str, value: Any) -> int:
    """A whole number of at least 0 (a string from ``-D name=2`` is accepted)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(name, value, "an int of at least 0")
    return value


def _date_pattern(name: str, value: Any, language: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(name, value, "a str (a Babel pattern) or None")
    try:
        return check_pattern(value, language)
    except ValueError as exc:
        raise _fail(name, value, f"a Babel pattern such as 'd MMM' or a strftime pattern such "
                    f"as '%d %B' ({exc})") from exc


def _now(value: Any) -> float | None:
    """``blogposts_now`` as a timestamp: an ISO 8601 date or datetime (``-D`` gives text)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    if not isinstance(value, str):
        raise _fail("blogposts_now", value, "an ISO 8601 date such as '2026-01-01', or None")
    try:
        return parse_date(value).timestamp
    except ValueError:
        raise _fail("blogposts_now", value,
                    "an ISO 8601 date such as '2026-01-01', or None") from None


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(name, value, "a str")
    return value


def _authors(value: Any) -> dict[str, Author]:
    name = "blogposts_authors"
    if not isinstance(value, Mapping):
        raise _fail(name, value, "a dict of key -> {'name', 'url', 'avatar'}")
    authors: dict[str, Author] = {}
    for key, spec in value.items():
        if not isinstance(key, str) or not key.strip():
            raise _fail(f"{name}[{key!r}]", key, "a non-empty string key")
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, Mapping):
            raise _fail(f"{name}[{key!r}]", spec, "a dict with 'name', 'url', 'avatar'")
        unknown = set(spec) - {"name", "url", "avatar"}
        if unknown:
            raise _fail(f"{name}[{key!r}]", spec,
                        f"a dict with only 'name', 'url', 'avatar' (unknown: {sorted(unknown)})")
        fields = {k: spec.get(k, "") for k in ("name", "url", "avatar")}
        for k, v in fields.items():
            if not isinstance(v, str):
                raise _fail(f"{name}[{key!r}][{k!r}]", v, "a str")
        authors[key] = Author(key=key, name=fields["name"] or key, url=fields["url"],
                              avatar=fields["avatar"])
    return authors


def _feed_templates(value: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    try:
        checked = check_feed_templates(value)
    except ValueError as exc:
        raise _fail("blogposts_feed_templates", value, str(exc)) from None
    return tuple((name, tuple(sorted(parts.items()))) for name, parts in sorted(checked.items()))


#: taxonomies besides categories and tags (ABlog's languages and locations)
FACETS = ("language", "location")


def _names(name: str, value: Any) -> dict[str, str]:
    """Key -> name shown (``{"en": "English"}``); a value may be a bare name or ABlog's
    ``(name, link)`` pair."""
    if not isinstance(value, Mapping):
        raise _fail(name, value, "a dict of key -> name")
    result: dict[str, str] = {}
    for key, shown in value.items():
        if isinstance(shown, list | tuple) and shown:
            shown = shown[0]
        if not isinstance(key, str) or not key.strip() or not isinstance(shown, str | None):
            raise _fail(f"{name}[{key!r}]", shown, "a str (the name shown)")
        result[key.strip()] = (shown or key).strip()
    return result


def _categories(value: Any) -> dict[str, str]:
    name = "blogposts_categories"
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return {v: "" for v in value}
    if not isinstance(value, Mapping):
        raise _fail(name, value, "a dict of category name -> description")
    result: dict[str, str] = {}
    for key, desc in value.items():
        if not isinstance(key, str) or not key.strip():
            raise _fail(name, key, "a dict with non-empty string keys")
        if desc is None:
            desc = ""
        if not isinstance(desc, str):
            raise _fail(f"{name}[{key!r}]", desc, "a str (the description)")
        result[key.strip()] = desc
    return result


def _path(value: Any) -> str:
    path = _string("blogposts_path", value).strip().strip("/")
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") for p in parts) or "\\" in path or ":" in path:
        raise _fail("blogposts_path", value, "a relative folder such as 'blog' (no '..')")
    return path


def validate(config: Config) -> BlogConfig:
    """Check every ``blogposts_*`` value; raise a ConfigError naming the first bad one."""
    feeds = _str_tuple("blogposts_feeds", config.blogposts_feeds)
    for feed in feeds:
        if feed not in FEED_FORMATS:
            raise _fail("blogposts_feeds", config.blogposts_feeds,
                        f"a list drawn from {list(FEED_FORMATS)}")
    drafts = config.blogposts_drafts
    if drafts not in ("hide", "show", "unlisted"):
        raise _fail("blogposts_drafts", drafts, "'hide', 'show' or 'unlisted'")
    feed_full = config.blogposts_feed_full_content
    if not isinstance(feed_full, bool):
        raise _fail("blogposts_feed_full_content", feed_full, "a bool")
    tag_feeds = config.blogposts_tag_feeds
    if not isinstance(tag_feeds, bool):
        raise _fail("blogposts_tag_feeds", tag_feeds, "a bool")
    date_format = config.blogposts_date_format
    if date_format is not None and not isinstance(date_format, str):
        raise _fail("blogposts_date_format", date_format, "a str (a Babel pattern) or None")
    if date_format:
        try:
            date_format = check_pattern(date_format, str(config.language or "en"))
        except ValueError as exc:
            raise _fail("blogposts_date_format", date_format,
                        f"a Babel pattern such as 'd MMMM y' or a strftime pattern such as "
                        f"'%d %B %Y' ({exc})") from exc
    return BlogConfig(
        path=_path(config.blogposts_path),
        title=_string("blogposts_title", config.blogposts_title),
        description=_string("blogposts_description", config.blogposts_description),
        baseurl=_string("blogposts_baseurl", config.blogposts_baseurl or "")
        or str(getattr(config, "html_baseurl", "") or ""),
        pattern=_str_tuple("blogposts_pattern", config.blogposts_pattern),
        posts_per_page=_positive_int("blogposts_posts_per_page", config.blogposts_posts_per_page),
        authors=_authors(config.blogposts_authors),
        default_authors=_str_tuple("blogposts_default_author", config.blogposts_default_author),
        default_categories=_str_tuple("blogposts_default_category",
                                      config.blogposts_default_category),
        categories=_categories(config.blogposts_categories),
        feeds=feeds,
        feed_length=(None if config.blogposts_feed_length is None else
                     _positive_int("blogposts_feed_length", config.blogposts_feed_length)),
        feed_full_content=feed_full,
        drafts=drafts,
        words_per_minute=_positive_int("blogposts_words_per_minute",
                                       config.blogposts_words_per_minute),
        date_format=date_format or None,
        date_format_short=_date_pattern("blogposts_date_format_short",
                                        config.blogposts_date_format_short,
                                        str(config.language or "en")),
        language=str(config.language or "en"),
        tag_feeds=tag_feeds,
        now=_now(config.blogposts_now),
        related_count=_count("blogposts_related_count", config.blogposts_related_count),
        excerpt_paragraphs=_positive_int("blogposts_excerpt_paragraphs",
                                         config.blogposts_excerpt_paragraphs),
        auto_image=_count("blogposts_auto_image", config.blogposts_auto_image),
        undated_drafts=bool(config.blogposts_undated_drafts),
        archive_feeds=bool(config.blogposts_archive_feeds),
        feed_titles_only=bool(config.blogposts_feed_titles_only),
        feed_templates=_feed_templates(config.blogposts_feed_templates),
        author_slugs="name" if config.blogposts_author_slugs == "name" else "key",
        facet_names=tuple(
            (kind, tuple(_names(f"blogposts_{kind}s", getattr(config, f"blogposts_{kind}s"))
                         .items()))
            for kind in FACETS),
        facet_defaults=tuple(
            (kind, default) for kind in FACETS
            if (default := _string(f"blogposts_default_{kind}",
                                   getattr(config, f"blogposts_default_{kind}") or "").strip())),
        date_formats=date_formats(_formats("blogposts_date_input_formats",
                                           config.blogposts_date_input_formats)),
    )


_VALIDATED: WeakKeyDictionary[Config, BlogConfig] = WeakKeyDictionary()


def get_config(config: Config) -> BlogConfig:
    """The validated configuration (validated at ``config-inited``; recomputed if missing)."""
    cfg = _VALIDATED.get(config)
    if cfg is None:
        cfg = _VALIDATED[config] = validate(config)
    return cfg


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Fail early, naming the option, when a value has the wrong type."""
    _VALIDATED[config] = validate(config)


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
