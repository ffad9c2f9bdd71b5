"""ABlog's values in conf.py copied to the native ones before these are validated, and
ABlog's sidebar templates in ``html_sidebars`` replaced with the extension's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from ...base.config import conf_location
from ...base.diagnostics import Subtype, warn
from ...base.options import OPTIONS
from .maps import _UNSET, CONFIG_MAP, AblogValue

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger("sphinx_blogposts")


# -- configuration ---------------------------------------------------------------------------

def _is_default(value: Any, default: Any) -> bool:
    if value is None or default is None:
        return value is default or (default is None and value is False)
    try:
        return bool(value == default)
    except Exception:
        return False


def _native_default(name: str) -> Any:
    return next((opt.default for opt in OPTIONS if opt.name == name), _UNSET)


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Copy ABlog's values to their native equivalents; warn about those without one."""

    ablog_site = is_ablog_site(config)
    given = {*(getattr(config, "_raw_config", None) or {}),
             *(getattr(config, "overrides", None) or {})}
    if ablog_site:
        for name, value in (("blogposts_undated_drafts", True),  # ABlog's drafts: undated
                            ("blogposts_drafts", "unlisted"),  # with pages, on blog/drafts
                            ("blogposts_author_slugs", "name"),  # author/jane-doe
                            ("blogposts_archive_feeds",
                             bool(getattr(config, "blog_feed_archives", False)))):
            if name not in given:
                setattr(config, name, value)
    # ABlog reads dates in post_date_format; its default is one of the usual forms already
    date_format = getattr(config, "post_date_format", None)
    own = config.blogposts_date_input_formats
    if ("post_date_format" in given and isinstance(date_format, str) and date_format.strip()
            and isinstance(own, list | tuple)):
        config.blogposts_date_input_formats = [date_format.strip(), *own]
    ignored: list[AblogValue] = []
    for item in CONFIG_MAP:
        if item.name not in config:
            continue
        value = getattr(config, item.name)
        if _is_default(value, item.default):
            if (ablog_site and item.ablog_default and _is_default(
                    getattr(config, item.target), _native_default(item.target))):
                setattr(config, item.target, item.convert(value))
            continue
        if not item.target:
            ignored.append(item)
            continue
        current = getattr(config, item.target)
        if not _is_default(current, _native_default(item.target)):
            logger.info(f"sphinx-blogposts: ABlog's {item.name} is ignored: "
                        f"{item.target} is set")
            continue
        try:
            converted = item.convert(value)
        except ValueError as exc:
            raise ConfigError(f"The config value `{item.name}` (ABlog's, read as "
                              f"`{item.target}`) {exc}; got {value!r}.") from None
        setattr(config, item.target, converted)
        logger.info(f"sphinx-blogposts: ABlog's {item.name} is read as {item.target}; "
                    f"rename it in conf.py")
    if ignored:  # one warning for the site, at the first such value, naming them all
        names = ", ".join(item.name for item in ignored)
        verb = "has" if len(ignored) == 1 else "have"
        reasons = " ".join(f"{item.name}: {_plain(item.note)}" if len(ignored) > 1
                           else _plain(item.note) for item in ignored)
        warn(Subtype.config,
             f"ABlog's {names} {verb} no equivalent in sphinx-blogposts and "
             f"{'is' if len(ignored) == 1 else 'are'} ignored: {reasons}",
             conf_location(app, ignored[0].name))
    _sidebars(app, config)


def is_ablog_site(config: Config) -> bool:
    """Whether conf.py sets any of ABlog's values: a site moved from ABlog, which keeps
    ABlog's defaults where they differ from the native ones."""
    raw = getattr(config, "_raw_config", None) or {}
    return any(item.name in raw for item in CONFIG_MAP)


def _plain(note: str) -> str:
    return note.replace("`", "")


#: ABlog's sidebar templates and the extension's (None: nothing like it); each is named in
#: ``html_sidebars`` with ABlog's ``ablog/`` prefix (its documentation's way) or without
_SIDEBARS: dict[str, str | None] = {
    "recentposts.html": "blogposts/recent.html",
    "tagcloud.html": "blogposts/tags.html",
    "categories.html": "blogposts/categories.html",
    "archives.html": "blogposts/archives.html",
    "authors.html": "blogposts/authors.html",
    "postcard.html": "blogposts/postcard.html",
    # the lower half of postcard.html, which sites name on its own too
    "postcard2.html": "blogposts/postcard.html",
    "postnavy.html": "blogposts/postnav.html",
    "languages.html": "blogposts/languages.html",
    "locations.html": "blogposts/locations.html",
}
SIDEBARS = {**_SIDEBARS, **{f"ablog/{name}": new for name, new in _SIDEBARS.items()}}


def _sidebars(app: Sphinx, config: Config) -> None:
    """ABlog's sidebar templates in ``html_sidebars`` become the extension's (or go)."""
    sidebars = getattr(config, "html_sidebars", None)
    if not isinstance(sidebars, dict) or not sidebars:
        return
    own = {name for name in SIDEBARS if _user_template(app, config, name)}
    replaced: dict[str, str | None] = {}
    result: dict[str, Any] = {}
    for pattern, names in sidebars.items():
        if not isinstance(names, list | tuple):
            result[pattern] = names
            continue
        kept: list[str] = []
        for name in names:
            if isinstance(name, str) and name in SIDEBARS and name not in own:
                replaced[name] = SIDEBARS[name]
                new = SIDEBARS[name]
                if new is not None and new not in kept:
                    kept.append(new)
            else:
                kept.append(name)
        result[pattern] = kept
    if not replaced:
        return
    config.html_sidebars = result
    shown = ", ".join(f"{old} as {new}" for old, new in sorted(replaced.items()) if new)
    gone = ", ".join(sorted(old for old, new in replaced.items() if new is None))
    parts = ([f"shown {shown}"] if shown else []) + ([f"left out {gone}"] if gone else [])
    logger.info(f"sphinx-blogposts: ABlog's sidebars in html_sidebars are {'; '.join(parts)}")


def _user_template(app: Sphinx, config: Config, name: str) -> bool:
    """Whether the site has a template of that name of its own (then it is left alone)."""
    confdir = Path(getattr(app, "confdir", "") or ".")
    return any((confdir / str(folder) / name).is_file()
               for folder in getattr(config, "templates_path", None) or ())
