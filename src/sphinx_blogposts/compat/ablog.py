"""ABlog compatibility: a site written for ABlog builds once ``"ablog"`` is replaced with
``"sphinx_blogposts"`` in ``extensions``.

- ABlog's configuration values are declared (so Sphinx accepts them) and, at
  ``config-inited`` before :func:`sphinx_blogposts.base.config.on_config_inited` validates, each
  one that has a native equivalent is copied to it, with one info line naming the native
  value; each one set without an equivalent is one ``blogposts.config`` warning at its line of
  conf.py.
- ABlog's dates (``post_date_format``, by default ``%d %B %Y``, and its other usual forms such
  as ``Apr 15, 2013``) are read besides ISO 8601: ``post_date_format`` goes first in
  ``blogposts_date_input_formats``.
- The ``post`` and ``postlist`` directives take ABlog's options (:func:`postlist_options`,
  :func:`post_options`); ABlog's ``update`` directive is understood.
- ABlog's sidebar templates in ``html_sidebars`` are replaced with the extension's, and
  ABlog's ``:ref:`` labels (``blog-posts``, ``tag-<name>``, …) resolve to the generated pages.

:data:`CONFIG_MAP` and :data:`OPTION_MAP` are also what the migration guide's tables show.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from typing import Any as AnyType

from docutils import nodes
from docutils.parsers.rst.directives.admonitions import BaseAdmonition
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import is_directive_registered
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from ..base import dates
from ..base import nodes as bp_nodes
from ..base.config import OPTIONS, conf_location, get_config
from ..base.dates import format_day, parse_date
from ..base.diagnostics import Subtype, warn
from ..base.feed_templates import check
from ..base.i18n import gettext
from ..base.slugs import slugify
from ..model import urls
from ..model.collector import get_view
from ..read.directives import POST_OPTIONS_EVENT, POSTLIST_OPTIONS_EVENT
from ..write.builders import has_pages
from ..write.links import _reference
from ..write.plans import page_names

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_blogposts")

_UNSET = object()


def _same(value: Any) -> Any:
    return value


def _authors(value: Any) -> dict[str, Any]:
    """ABlog's ``{key: (name, url)}`` as ``{key: {"name": name, "url": url}}``."""
    if not isinstance(value, Mapping):
        raise ValueError("must be a dict of key -> (name, url)")
    authors: dict[str, Any] = {}
    for key, spec in value.items():
        if isinstance(spec, list | tuple) and len(spec) == 2:
            name, url = spec
            authors[key] = {"name": name if name is not None else str(key),
                            "url": url if url is not None else ""}
        else:
            authors[key] = spec  # a native spec, or a mistake that validation will name
    return authors


#: source suffixes that ABlog's patterns (globs of files) carry and docnames do not
_SUFFIX = re.compile(r"\.(rst|md|markdown|txt|ipynb|\*)$")


def _patterns(value: Any) -> list[str]:
    """ABlog's globs of files (``posts/*.rst``) as globs of docnames (``posts/*``)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        raise ValueError("must be a string or a list of strings")
    result: list[str] = []
    for item in items:
        pattern = _SUFFIX.sub("", item.strip().removeprefix("./"))
        if pattern and pattern not in result:
            result.append(pattern)
    return result


def _tag_feeds(value: Any) -> bool:
    return bool(value)


def _feed_templates(value: Any) -> dict[str, dict[str, str]]:
    return check(value)


def _date_format(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a strftime pattern such as '%d %B %Y'")
    pattern = dates.babel_pattern(value)
    if pattern is None:
        raise ValueError(f"{value!r} has a strftime field with no Babel equivalent")
    return pattern


@dataclass(frozen=True)
class AblogValue:
    """One of ABlog's configuration values and what sphinx-blogposts does with it."""

    name: str
    #: ABlog's default: a value equal to it is taken as not set
    default: Any
    #: the native value it is copied to, or "" when there is no equivalent
    target: str
    note: str
    convert: Callable[[Any], Any] = _same
    #: on a site that sets any of ABlog's values, ABlog's default (converted) replaces the
    #: native default, which means something else: the site keeps what ABlog gave it
    ablog_default: bool = False


CONFIG_MAP: tuple[AblogValue, ...] = (
    AblogValue("blog_path", "blog", "blogposts_path", "The folder of the generated pages."),
    AblogValue("blog_title", "Blog", "blogposts_title", "The blog index's and feeds' title."),
    AblogValue("blog_baseurl", "", "blogposts_baseurl",
               "Turns feeds on, as in ABlog; defaults to `html_baseurl` here."),
    AblogValue("blog_post_pattern", [], "blogposts_pattern",
               "Globs of files become globs of docnames: `posts/*.rst` is read as `posts/*`.",
               _patterns),
    AblogValue("blog_authors", {}, "blogposts_authors",
               "`{key: (name, url)}` is read as `{key: {\"name\": name, \"url\": url}}`; "
               "an author may also have an `avatar` here.", _authors),
    AblogValue("blog_default_author", None, "blogposts_default_author",
               "A key of the authors, or a list of keys."),
    AblogValue("blog_feed_fulltext", False, "blogposts_feed_full_content",
               "Whole posts or excerpts in feed entries; on an ABlog site excerpts by default, "
               "as in ABlog (a native site gets whole posts).", ablog_default=True),
    AblogValue("blog_feed_length", None, "blogposts_feed_length",
               "Entries per feed; on an ABlog site every post by default, as in ABlog (a "
               "native site gets 20).", ablog_default=True),
    AblogValue("blog_feed_archives", False, "blogposts_tag_feeds",
               "Category feeds are always written; `True` adds a feed per tag. There are no "
               "author, location or year feeds.", _tag_feeds),
    AblogValue("blog_feed_subtitle", None, "blogposts_description",
               "The feeds' subtitle is the blog's description, also shown on its index."),
    AblogValue("post_date_format", "%d %B %Y", "blogposts_date_format",
               "Dates in posts are read in this format as well as ISO 8601; it is shown as "
               "the equivalent Babel pattern (`%d %B %Y` becomes `dd MMMM y`); on an ABlog "
               "site ABlog's default `%d %B %Y` by default.",
               _date_format, ablog_default=True),
    AblogValue("post_auto_excerpt", 1, "blogposts_excerpt_paragraphs",
               "The paragraphs an excerpt takes; a post's `:excerpt: N` or `excerpt:` "
               "chooses another."),
    AblogValue("post_auto_image", 0, "blogposts_auto_image",
               "A post without a cover gets its N-th image as its cover."),
    AblogValue("post_auto_orphan", True, "",
               "Posts never need a toctree entry here, which is ABlog's default."),
    AblogValue("post_always_section", False, "",
               "A document is one post; a second `post` directive is a warning."),
    AblogValue("post_redirect_refresh", 5, "",
               "Redirect pages send readers on at once (and say so to search engines)."),
    AblogValue("post_show_prev_next", True, "",
               "Previous and next posts are always shown (hide `.blogposts-prevnext` with CSS)."),
    AblogValue("post_date_format_short", "%d %B", "blogposts_date_format_short",
               "The same: post lists and dated titles show it (on an ABlog site ABlog's "
               "default `%d %B` by default).", _date_format, ablog_default=True),
    AblogValue("blog_archive_titles", None, "",
               "The archive always lists titles with their dates."),
    AblogValue("blog_feed_titles", None, "blogposts_feed_titles_only",
               "The same: entries carry titles and links only.", bool),
    AblogValue("blog_feed_templates", {"atom": {}}, "blogposts_feed_templates",
               "The same: each Atom feed gets a templated sibling per name (`social.xml`); "
               "`atom` templates `atom.xml` itself.", _feed_templates),
    AblogValue("blog_languages", {}, "blogposts_languages",
               "The languages posts are written in, each with a page (Sphinx's `language` "
               "stays the site's); ABlog's `(name, link)` pairs are read as their name."),
    AblogValue("blog_default_language", None, "blogposts_default_language",
               "The language of a post that names none."),
    AblogValue("blog_locations", {}, "blogposts_locations",
               "The places posts are written from, each with a page; `(name, link)` pairs "
               "are read as their name."),
    AblogValue("blog_default_location", None, "blogposts_default_location",
               "The location of a post that names none."),
    AblogValue("disqus_shortname", None, "",
               "No comments: add a comment system through your theme's templates."),
    AblogValue("disqus_pages", False, "", "See `disqus_shortname`."),
    AblogValue("disqus_drafts", False, "", "See `disqus_shortname`."),
    AblogValue("fontawesome_link_cdn", None, "", "The templates use no icon font."),
    AblogValue("fontawesome_included", False, "", "See `fontawesome_link_cdn`."),
    AblogValue("fontawesome_css_file", "", "", "See `fontawesome_link_cdn`."),
    AblogValue("skip_injecting_base_ablog_templates", False, "",
               "The extension's templates come after the theme's and yours, which override "
               "them."),
)

#: values read by ABlog's command line (``ablog build``, ``ablog deploy``), not by Sphinx
COMMAND_VALUES: tuple[AblogValue, ...] = (
    AblogValue("ablog_website", "_website", "", "Use `sphinx-build SOURCE OUTPUT`."),
    AblogValue("ablog_doctrees", ".doctrees", "", "Use `sphinx-build -d DOCTREES`."),
    AblogValue("ablog_builder", "dirhtml", "", "Use `sphinx-build -b dirhtml` (or `html`)."),
    AblogValue("github_pages", None, "",
               "Publish from CI instead: see the GitHub Pages guide."),
)


@dataclass(frozen=True)
class AblogOption:
    """One option of ABlog's ``post`` or ``postlist`` directive and what it becomes."""

    directive: str
    name: str
    target: str
    note: str


OPTION_MAP: tuple[AblogOption, ...] = (
    AblogOption("post", "(date)", "date",
                "The argument: ISO 8601, or ABlog's `post_date_format` and its usual forms "
                "(`Apr 15, 2013`, `15 April 2013`)."),
    AblogOption("post", "tags", "tags", "Comma-separated, as in ABlog."),
    AblogOption("post", "category", "category", "Comma-separated, as in ABlog."),
    AblogOption("post", "author", "author", "Keys of the authors, or guests' names."),
    AblogOption("post", "title", "title", "The same."),
    AblogOption("post", "excerpt", "excerpt", "`:excerpt: N` takes the first N paragraphs."),
    AblogOption("post", "image", "image", "`:image: N` makes the N-th image the cover."),
    AblogOption("post", "exclude", "",
                "Accepted: the directive's body is the excerpt and is never shown on the page, "
                "as with ABlog's `:exclude:`."),
    AblogOption("post", "location", "location", "The same: the location's page lists the "
                "post."),
    AblogOption("post", "language", "language", "The same: the language's page lists the post; "
                "Sphinx's `language` stays the site's."),
    AblogOption("post", "nocomments", "", "Accepted, no effect: there are no comments."),
    AblogOption("post", "redirect", "redirect",
                "The same: a redirect page at each old page name."),
    AblogOption("post", "external_link", "external_link",
                "The same: lists link the post's title to it."),
    AblogOption("post", "canonical_link", "",
                "Accepted with a `blogposts.config` warning: the canonical link is the "
                "post's own URL."),
    AblogOption("postlist", "(N)", "limit", "The argument: at most N posts."),
    AblogOption("postlist", "tags", "tags", "Comma-separated, as in ABlog."),
    AblogOption("postlist", "category", "category", "Comma-separated, as in ABlog."),
    AblogOption("postlist", "author", "author", "Comma-separated, as in ABlog."),
    AblogOption("postlist", "sort", "sort",
                "The flag lists the oldest first, as `:sort: oldest`."),
    AblogOption("postlist", "excerpts", "excerpts", "The same."),
    AblogOption("postlist", "format", "format",
                "A template such as `{date} - {title}` is read as `list`; `{title}` alone as "
                "`titles`."),
    AblogOption("postlist", "date", "",
                "Accepted, no effect: dates are shown with `blogposts_date_format`."),
    AblogOption("postlist", "list-style", "", "Accepted, no effect: the list has no bullets."),
    AblogOption("postlist", "expand", "",
                "Accepted, no effect: each listed post's title links to it."),
    AblogOption("postlist", "location", "location", "Comma-separated, as in ABlog."),
    AblogOption("postlist", "language", "language", "Comma-separated, as in ABlog."),
    AblogOption("update", "(date)", "updated",
                "`.. update:: date` shows a note titled with the date; in a document with a "
                "`post` directive, the latest update is the post's `updated` date."),
)

#: ABlog's ``post`` options accepted with no effect, and those that warn
POST_IGNORED = ("nocomments", "exclude")
POST_WARNED = ("canonical_link",)
#: ABlog's ``postlist`` options accepted with no effect, and those that warn
POSTLIST_IGNORED = ("date", "list-style", "expand")
POSTLIST_WARNED: tuple[str, ...] = ()


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
    date_format = getattr(config, "post_date_format", None)
    own = config.blogposts_date_input_formats
    if isinstance(date_format, str) and date_format.strip() and isinstance(own, list | tuple):
        config.blogposts_date_input_formats = [date_format.strip(), *own]  # ABlog reads in it
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


# -- directives ------------------------------------------------------------------------------

def post_options(raw: dict[str, str], location: tuple[str, int]) -> None:
    """Warn about ABlog ``post`` options whose loss changes what readers get."""
    for name in POST_WARNED:
        if name in raw:
            warn(Subtype.config,
                 f"post :{name}: (ABlog's) has no equivalent in sphinx-blogposts; ignored",
                 location)


def postlist_options(raw: dict[str, str], arguments: list[str],
                     location: tuple[str, int], ablog_site: bool = False) -> dict[str, str]:
    """ABlog's ``postlist`` options as native ones (the argument N, flags, templates); on a
    site moved from ABlog, names that match nothing are ignored, as ABlog ignores them."""
    result = dict(raw)
    if ablog_site:
        result["ignore-unknown"] = ""
    if arguments and "limit" not in result:
        result["limit"] = arguments[0]
    if "sort" in result and not str(result["sort"] or "").strip():
        result["sort"] = "oldest"  # ABlog's flag: chronological order
    fmt = str(result.get("format") or "")
    if "{" in fmt:
        fields = set(re.findall(r"\{(\w+)\}", fmt))
        result["format"] = "titles" if fields <= {"title"} else "list"
    for name in POSTLIST_IGNORED:
        result.pop(name, None)
    for name in POSTLIST_WARNED:
        if name in result:
            del result[name]
            warn(Subtype.config,
                 f"postlist :{name}: (ABlog's) has no equivalent in sphinx-blogposts; the list "
                 f"is not filtered by it", location)
    return result


class UpdateDirective(BaseAdmonition):
    """ABlog's ``update``: a note titled with its date; the latest is the post's update."""

    required_arguments = 1
    final_argument_whitespace = True
    node_class = nodes.admonition

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        cfg = get_config(env.config)
        text = " ".join(self.arguments[0].split())
        shown = text
        try:
            when = parse_date(text, cfg.date_formats)
            shown = format_day(when.day, cfg.date_format, cfg.language)
        except ValueError:
            warn(Subtype.date, f"update: {text!r} is not a date; shown as written",
                 (env.docname, self.lineno))
            when = None
        self.arguments = [f"{gettext('Updated')} {shown}"]
        self.options.setdefault("class", []).append("blogposts-update")
        result = list(super().run())
        if when is not None:
            for marker in self.state.document.findall(bp_nodes.post_marker):
                raw = marker["raw"]
                previous = raw.get("updated")
                try:
                    later = previous is None or parse_date(previous, cfg.date_formats) < when
                except ValueError:
                    later = False
                if later:
                    raw["updated"] = when.isoformat()
                break
        return result


# -- ABlog's :ref: labels --------------------------------------------------------------------

_INDEX_LABELS = {
    "blog-posts": "index", "blog-tags": "tag/index", "blog-categories": "category/index",
    "blog-authors": "author/index", "blog-archives": "archive",
    "blog-drafts": "drafts",  # or the blog index when drafts are hidden (see below)
    "blog-languages": "language/index", "blog-locations": "location/index",
}
_KIND_LABELS = {"tag": "tag", "category": "category", "author": "author"}


def on_missing_reference(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                         contnode: nodes.Element) -> nodes.Element | None:
    """``:ref:`blog-posts```, ``:ref:`tag-sphinx``` and the other labels ABlog makes."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None


    target = str(node.get("reftarget", "")).strip().lower()
    path = get_config(env.config).path
    names = page_names(env)
    fromdoc = str(node.get("refdoc", ""))
    page: str | None = None
    if target in _INDEX_LABELS:
        page = f"{path}/{_INDEX_LABELS[target]}"
        if page not in names and target == "blog-drafts":
            page = f"{path}/index"  # drafts are not published: the index is what is there
    elif target == "blog-feed":
        return _feed_reference(app, env, fromdoc, path, contnode, node)
    elif target.startswith("author-"):
        # ABlog labels an author by their key; the page's slug may come from their name
        view = get_view(env)
        label = target.removeprefix("author-")
        key = next((k for k in view.author_keys if slugify(k) == label), None)
        if key is not None:
            page = urls.author(get_config(env.config), view.authors[key].slug)
    elif "-" in target and target.split("-", 1)[0] in _KIND_LABELS:
        kind, name = target.split("-", 1)
        page = f"{path}/{_KIND_LABELS[kind]}/{slugify(name)}"
    elif "-" in target and target.split("-", 1)[0] in ("language", "location"):
        # ABlog labels a language or location by its key; its page is named by its name
        kind, label = target.split("-", 1)
        view = get_view(env)
        key = next((k for k in view.facet_keys.get(kind, []) if slugify(k) == label), None)
        if key is not None:
            page = urls.facet(get_config(env.config), kind, view.facet_slug(kind, key))
    if page is not None and page in names:
        if not node.get("refexplicit"):
            contnode = nodes.inline(names[page], names[page])
        return _reference(app.builder, fromdoc, page, contnode)
    # a post's file name, as ABlog labels every post
    for post in get_view(env).chrono:
        if post.docname.rsplit("/", 1)[-1].lower() == target:
            if not node.get("refexplicit"):
                contnode = nodes.inline(post.title, post.title)
            return make_refnode(app.builder, fromdoc, post.docname, "", contnode)
    return None


def _feed_reference(app: Sphinx, env: BuildEnvironment, fromdoc: str, path: str,
                    contnode: nodes.Element, node: pending_xref) -> nodes.Element | None:
    """``:ref:`blog-feed```: the blog's Atom feed, where feeds are written."""


    cfg = get_config(env.config)
    if not has_pages(app.builder) or "atom" not in cfg.feeds or not cfg.baseurl:
        return None
    uri = relative_uri(app.builder.get_target_uri(fromdoc), f"{path}/atom.xml")
    if not node.get("refexplicit"):
        text = f"{cfg.title} (Atom)"
        contnode = nodes.inline(text, text)
    reference = nodes.reference("", "", internal=True, refuri=uri)
    reference += contnode
    return reference


# -- URLs ------------------------------------------------------------------------------------

def ablog_slug(name: str) -> str:
    """A name as ABlog slugs it in URLs (``Ahmet Bakan`` -> ``ahmet-bakan``)."""
    text = unicodedata.normalize("NFKD", str(name))
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def ablog_urls(app: Sphinx) -> dict[str, str]:
    """``blogposts-redirects``: where ABlog put the pages a migrated site's readers, links
    and search engines know, and the page that shows the same now.  Only for a site that
    sets ABlog's values; a URL that is the same page here is left out by the caller."""
    if not is_ablog_site(app.config):
        return {}

    cfg = get_config(app.config)
    view = get_view(app.env)
    path = cfg.path
    found = {
        path: urls.blog_index(cfg),  # ABlog's catalog of all posts: blog.html
        # the drafts page, or the index when drafts are not published
        f"{path}/drafts": (urls.drafts(cfg) if cfg.drafts == "unlisted"
                           else urls.blog_index(cfg)),
        f"{path}/tag": urls.tag_index(cfg),
        f"{path}/category": urls.category_index(cfg),
        f"{path}/author": urls.author_index(cfg),
    }
    for name in view.tag_names:
        found[f"{path}/tag/{ablog_slug(name)}"] = urls.tag(cfg, view.tag_slugs[name])
    for name in view.category_names:
        found[f"{path}/category/{ablog_slug(name)}"] = urls.category(
            cfg, view.category_slugs[name])
    for key in view.author_keys:
        info = view.authors[key]
        found[f"{path}/author/{ablog_slug(info.name)}"] = urls.author(cfg, info.slug)
    for year, _months in view.archive():
        found[f"{path}/{year}"] = f"{urls.archive(cfg)}#year-{year}"
    for kind, keys in view.facet_keys.items():
        if keys:
            found[f"{path}/{kind}"] = urls.facet_index(cfg, kind)
        for key in keys:
            found[f"{path}/{kind}/{ablog_slug(view.facet_name(kind, key))}"] = urls.facet(
                cfg, kind, view.facet_slug(kind, key))
    return {old: target for old, target in found.items() if old.rsplit("/", 1)[-1]}


def setup_ablog(app: Sphinx) -> None:
    """Declare ABlog's values and directives; map them before the native ones are checked."""

    for item in CONFIG_MAP:
        if item.name not in app.config:
            app.add_config_value(item.name, item.default, "env", types=AnyType)
    app.connect("config-inited", on_config_inited, priority=700)
    if not is_directive_registered("update"):
        app.add_directive("update", UpdateDirective)
    # before the native labels' handler, as when this adapter was set up first
    app.connect("missing-reference", on_missing_reference, priority=450)
    app.connect("blogposts-redirects", ablog_urls)
    app.connect(POST_OPTIONS_EVENT, _on_post_options)
    app.connect(POSTLIST_OPTIONS_EVENT, _on_postlist_options)


def _on_post_options(app: Sphinx, raw: dict[str, str], location: tuple[str, int]) -> None:
    post_options(raw, location)


def _on_postlist_options(app: Sphinx, raw: dict[str, str], arguments: list[str],
                         location: tuple[str, int]) -> None:
    """Rewrites ``raw`` in place: the directive keeps the dict it emitted."""
    native = postlist_options(raw, arguments, location, is_ablog_site(app.config))
    raw.clear()
    raw.update(native)
