"""Every ``blogposts_*`` value: its default, rebuild scope, Sphinx types and one line of
documentation (the reference is generated from it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.config import ENUM

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Option:
    """One ``blogposts_*`` value: its default, rebuild scope, Sphinx types and docs."""

    name: str
    default: Any
    rebuild: str
    types: Any
    description: str


_NONE = type(None)

OPTIONS: tuple[Option, ...] = (
    Option("blogposts_path", "blog", "env", (str,),
           "Folder (relative to the output root) of the generated blog pages."),
    Option("blogposts_blogs", {}, "env", (dict,),
           "Several blogs in one site: name -> the blog's values (path, title, description, "
           "pattern, posts_per_page, authors, categories, feeds, drafts, ...: the names of "
           "the blogposts_* values without the prefix); the other values are every blog's. "
           "Empty: the site has one blog, set by the blogposts_* values."),
    Option("blogposts_all_posts", False, "env", (bool,),
           "With blogposts_blogs: an index and feeds of every blog's posts at blogposts_path, "
           "titled blogposts_title."),
    Option("blogposts_title", "Blog", "html", (str,), "Title of the blog index and feeds."),
    Option("blogposts_description", "", "html", (str,), "Description of the blog."),
    Option("blogposts_baseurl", "", "html", (str,),
           "Absolute URL of the site, for feeds; defaults to html_baseurl."),
    Option("blogposts_pattern", [], "env", (list, tuple, str),
           "Globs of docnames that are posts, e.g. ['blog/posts/**']."),
    Option("blogposts_posts_per_page", 10, "html", (int,), "Posts per page of a post list."),
    Option("blogposts_authors", {}, "env", (dict,),
           "Known authors: key -> {'name', 'url', 'avatar'}."),
    Option("blogposts_default_author", None, "env", (str, list, tuple, _NONE),
           "Author(s) of a post that names none."),
    Option("blogposts_default_category", None, "env", (str, list, tuple, _NONE),
           "Category (or categories) of a post that names none."),
    Option("blogposts_categories", {}, "env", (dict,),
           "Categories declared in conf.py: name -> description."),
    Option("blogposts_languages", {}, "env", (dict,),
           "Languages posts are written in (``language:``): key -> name, as pages list them."),
    Option("blogposts_default_language", None, "env", (str, _NONE),
           "The language of a post that names none."),
    Option("blogposts_locations", {}, "env", (dict,),
           "Places posts are written from (``location:``): key -> name."),
    Option("blogposts_default_location", None, "env", (str, _NONE),
           "The location of a post that names none."),
    Option("blogposts_feeds", ["atom", "rss", "json"], "html", (list, tuple),
           "Feed formats written when a base URL is set."),
    Option("blogposts_feed_length", 20, "html", (int, _NONE),
           "Entries per feed; None: every published post."),
    Option("blogposts_feed_full_content", True, "html", (bool,),
           "Whether feed entries carry the whole post."),
    Option("blogposts_feed_templates", {}, "html", (dict,),
           "Templated Atom feeds: name -> {'title': Jinja template, 'content': Jinja "
           "template}; each Atom feed gets <name>.xml beside it ('atom' templates atom.xml "
           "itself). Templates see title and post (title, url, date, tags, category, author, "
           "excerpt)."),
    Option("blogposts_feed_titles_only", False, "html", (bool,),
           "Feed entries carry titles and links only: no excerpt, no content (ABlog's "
           "blog_feed_titles)."),
    Option("blogposts_archive_feeds", False, "html", (bool,),
           "Atom and RSS feeds of each author, year, language and location too (ABlog's "
           "blog_feed_archives)."),
    Option("blogposts_author_slugs", "key", "env", ENUM("key", "name"),
           "Authors' pages named by their key ('jane') or by their name ('jane-doe', as "
           "ABlog names them; a site that sets ABlog's values gets this)."),
    Option("blogposts_tag_feeds", False, "html", (bool,),
           "Whether each tag gets Atom and RSS feeds too."),
    Option("blogposts_drafts", "hide", "env", ENUM("hide", "show", "unlisted"),
           "'hide': drafts get no page and are listed nowhere; 'show': rendered with a banner "
           "and listed; 'unlisted': rendered with a banner and listed only on the blog's "
           "drafts page (ABlog's way; a site that sets ABlog's values gets it)."),
    Option("blogposts_words_per_minute", 230, "html", (int,), "Reading speed for reading time."),
    Option("blogposts_date_format", None, "html", (str, _NONE),
           "A Babel date pattern ('d MMMM y') or a strftime pattern ('%d %B %Y'); by "
           "default the language's long date format."),
    Option("blogposts_date_format_short", None, "html", (str, _NONE),
           "The date pattern of post lists and dated titles (archive, tag pages); by default "
           "blogposts_date_format's."),
    Option("blogposts_date_input_formats", [], "env", (list, tuple),
           "strptime patterns a post's date may be written in, tried after ISO 8601 and "
           "before the usual English forms ('14 March 2025', 'Mar 14, 2025'); ABlog's "
           "post_date_format comes first."),
    Option("blogposts_now", None, "env", (str, _NONE),
           "The moment that counts as 'now' for scheduled posts (ISO date or datetime); "
           "default: SOURCE_DATE_EPOCH when set, else the time of the build."),
    Option("blogposts_related_count", 3, "env", (int,),
           "Related posts shown at the end of a post; 0 shows none."),
    Option("blogposts_excerpt_paragraphs", 1, "env", (int,),
           "Paragraphs a post's excerpt takes when it gives none (ABlog's post_auto_excerpt)."),
    Option("blogposts_undated_drafts", False, "env", (bool,),
           "A post without a date is a draft, without a warning (ABlog's way; a site that "
           "sets ABlog's values gets it); by default it is a blogposts.date warning."),
    Option("blogposts_auto_image", 0, "env", (int,),
           "A post without a cover image gets its N-th image as its cover; 0: none (ABlog's "
           "post_auto_image)."),
)
