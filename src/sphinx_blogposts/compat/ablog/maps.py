"""ABlog's configuration values, directive options and the native equivalents each maps to
(what the migration guide's tables show, generated from :data:`CONFIG_MAP` and
:data:`OPTION_MAP`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ...base import dates
from ...base.feed_templates import check

if TYPE_CHECKING:
    pass

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
