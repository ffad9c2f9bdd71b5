"""A site written for ABlog builds after ``"ablog"`` -> ``"sphinx_blogposts"`` in extensions.

``tests/roots/test-ablog`` is written in ABlog's documented syntax: ``blog_*`` and ``post_*``
values in conf.py (two of them without an equivalent), reST posts with ``.. post::`` and
ABlog's options and date format, an ``update`` note, a MyST post with ``blogpost: true``,
ABlog-style ``postlist`` directives, ABlog's ``:ref:`` labels and ABlog's sidebars.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences  # type: ignore[attr-defined]

from sphinx_blogposts.base import dates
from sphinx_blogposts.compat.ablog import maps as ablog

from helpers import body, build, copy_root, soup, warnings_of

MAPPED = ("blog_path", "blog_title", "blog_baseurl", "blog_post_pattern", "blog_authors",
          "blog_default_author", "blog_feed_fulltext", "blog_feed_length",
          "blog_feed_archives", "post_date_format", "blog_locations")


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    src = copy_root(rootdir, "ablog", tmp_path_factory.mktemp("ablog"))
    return build(src)


def status(app: SphinxTestApp) -> str:
    return strip_escape_sequences(app._status.getvalue())  # type: ignore[attr-defined]


def all_warnings(app: SphinxTestApp) -> str:
    return strip_escape_sequences(app._warning.getvalue())  # type: ignore[attr-defined]


def test_one_info_line_per_mapped_value(site: SphinxTestApp) -> None:
    lines = [line for line in status(site).splitlines() if "ABlog's" in line]
    expected = [f"sphinx-blogposts: ABlog's {name} is read as "
                f"{next(i.target for i in ablog.CONFIG_MAP if i.name == name)}; "
                f"rename it in conf.py" for name in MAPPED]
    sidebars = ("sphinx-blogposts: ABlog's sidebars in html_sidebars are shown "
                "postcard.html as blogposts/postcard.html, recentposts.html as "
                "blogposts/recent.html, tagcloud.html as blogposts/tags.html")
    assert sorted(lines) == sorted([*expected, sidebars])


def test_only_the_expected_warnings(site: SphinxTestApp) -> None:
    text = all_warnings(site)
    found = warnings_of(text)
    assert len(found) == len(text.strip().splitlines()), text  # nothing but ours
    got = sorted((Path(w["location"]).name, w["line"], w["type"], w["message"].split(":")[0])
                 for w in found)
    conf = (site.srcdir / "conf.py").read_text(encoding="utf-8").splitlines()

    def line_of(name: str) -> str:
        return str(next(i for i, line in enumerate(conf, 1) if line.startswith(name)))

    assert got == sorted([
        ("conf.py", line_of("disqus_shortname"), "blogposts.config",
         "ABlog's disqus_shortname has no equivalent in sphinx-blogposts and is ignored"),
    ])


def test_blog_path_moves_the_pages_and_blog_title_titles_them(site: SphinxTestApp) -> None:
    out = site.outdir
    assert not (out / "blog").exists()
    for page in ("index", "archive", "category/surveys", "category/seasons", "tag/weather",
                 "author/mira-okafor", "author/tomas-ekberg"):  # ABlog's: the names
        assert (out / "journal" / f"{page}.html").is_file(), page
    index = soup(out / "journal" / "index.html")
    assert index.title is not None and index.title.get_text().startswith("Field Notes Journal")
    heading = body(out / "journal" / "index.html").select_one("h1")
    assert heading is not None and heading.get_text(strip=True).startswith("Field Notes Journal")


def published(site: SphinxTestApp, name: str) -> tuple[list[str], str]:
    page = body(site.outdir / f"{name}.html")
    times = [str(t["datetime"]) for t in page.select("time")]
    return times, " ".join(page.get_text(" ").split())


def test_every_post_is_published_with_its_metadata(site: SphinxTestApp) -> None:
    # a reST post with ABlog's options and post_date_format ("%b %d, %Y")
    times, text = published(site, "journal/posts/river-survey")
    assert times == ["2025-03-03"]
    assert "Mar 03, 2025" in text  # shown with post_date_format, as ABlog showed it
    assert "Mira Okafor" in text and "Tomás Ekberg" in text  # names from blog_authors
    assert "In Surveys" in text
    # another ABlog date form ("15 Nov, 2024"), an update note, :image: 1 as the cover
    times, text = published(site, "journal/posts/first-frost")
    assert times == ["2024-11-15", "2024-11-20"]  # the update is the post's updated date
    assert "Updated Nov 20, 2024 Corrected the lowest temperature" in text
    assert "By Mira Okafor" in text  # blog_default_author
    # a MyST post marked `blogpost: true`, outside blog_post_pattern, with a guest author
    times, text = published(site, "notes/tide-tables")
    assert times == ["2025-01-10"]
    assert "By Guest Writer" in text
    listed = [a["href"] for a in body(site.outdir / "journal" / "index.html").select(
        ".blogposts-card-title a")]
    assert listed == ["posts/river-survey.html", "../notes/tide-tables.html",
                      "posts/first-frost.html"]  # newest first


def test_author_pages_use_the_names_and_links_of_blog_authors(site: SphinxTestApp) -> None:
    mira = body(site.outdir / "journal" / "author" / "mira-okafor.html").get_text(" ")
    assert "Mira Okafor" in mira
    post = soup(site.outdir / "journal" / "posts" / "river-survey.html")
    assert "https://notes.example.org/about/mira" in str(post)


def test_cover_image_from_image_n(site: SphinxTestApp) -> None:
    cards = body(site.outdir / "journal" / "index.html")
    images = [str(img["src"]) for img in cards.select("img")]
    assert any(src.endswith("frost.svg") for src in images), images


def test_ablog_postlist_options(site: SphinxTestApp) -> None:
    page = body(site.outdir / "index.html")
    lists = page.select("ul.blogposts-postlist")
    assert len(lists) == 1
    titles = [a.get_text() for a in lists[0].select("a.blogposts-post-title")]
    # `.. postlist:: 2`, :category: Surveys, :sort: (oldest first), :excerpts:
    assert titles == ["Reading tide tables", "River survey in spring"]
    excerpts = [p.get_text() for p in lists[0].select(".blogposts-excerpt")]
    assert excerpts[1:] == [
        "We walked the upper river for three days and measured its flow at nine stations.",
        "The water was higher than in any spring since the survey began.",
    ]  # :excerpt: 2 on the post
    about = body(site.outdir / "about.html")
    # :format: {title} is read as "titles"; :location: lisbon filters, as in ABlog
    (titles_list,) = about.select("ul.blogposts-postlist")
    assert "blogposts-titles" in titles_list["class"]
    assert [a.get_text() for a in titles_list.select("a")] == ["River survey in spring"]


def test_ablog_ref_labels_resolve(site: SphinxTestApp) -> None:
    links = {a.get_text(): a["href"] for a in body(site.outdir / "index.html").select(
        "p a.reference")}
    assert links["Field Notes Journal"] == "journal/index.html"  # blog-posts
    assert links["Tags"] == "journal/tag/index.html"  # blog-tags
    assert links["Tag: weather"] == "journal/tag/weather.html"
    assert links["Category: Surveys"] == "journal/category/surveys.html"
    assert links["Posts by Tomás Ekberg"] == "journal/author/tomas-ekberg.html"
    assert links["River survey in spring"] == "journal/posts/river-survey.html"
    assert links["the feed"] == "journal/atom.xml"


def test_feeds_follow_the_mapped_values(site: SphinxTestApp) -> None:
    feed = (site.outdir / "journal" / "atom.xml").read_text(encoding="utf-8")
    assert "https://notes.example.org/journal/posts/river-survey.html" in feed  # blog_baseurl
    assert len(re.findall("<entry>", feed)) == 3  # blog_feed_length = 5
    assert "The tables of measurements follow" in feed  # blog_feed_fulltext = True
    # blog_feed_archives = True: a feed per tag, beside the per-category feeds
    for name in ("tag/weather/atom.xml", "tag/hydrology/rss.xml", "category/surveys/atom.xml"):
        assert (site.outdir / "journal" / name).is_file(), name


def test_ablog_sidebars_are_shown_as_the_extensions(site: SphinxTestApp) -> None:
    page = soup(site.outdir / "index.html")
    assert page.select_one(".blogposts-sidebar-recent") is not None
    assert page.select_one(".blogposts-sidebar-tags") is not None


def test_native_names_win_and_suppress_warnings_works(
        rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('\nblogposts_title = "Native title"\nsuppress_warnings = ["blogposts.config"]\n')
    app = build(src)
    assert all_warnings(app) == ""
    assert ("sphinx-blogposts: ABlog's blog_title is ignored: blogposts_title is set"
            in status(app))
    index = soup(app.outdir / "journal" / "index.html")
    assert index.title is not None and index.title.get_text().startswith("Native title")


@pytest.mark.parametrize(("strftime", "babel"), [
    ("%d %B %Y", "dd MMMM y"),
    ("%b %d, %Y", "MMM dd, y"),
    ("%A, %-d of %B %Y", "EEEE, d 'of' MMMM y"),
    ("%Y-%m-%d %H:%M", "y-MM-dd HH:mm"),
    ("It's %Y", "'It''s' y"),
    ("%Q", None),
])
def test_strftime_patterns_become_babel_patterns(strftime: str, babel: str | None) -> None:
    assert dates.babel_pattern(strftime) == babel


@pytest.mark.parametrize("text", ["Apr 15, 2013", "15 Apr, 2013", "15 April 2013",
                                  "April 15, 2013", "15 April, 2013", "2013-04-15"])
def test_ablog_date_forms_are_read(text: str) -> None:
    from sphinx_blogposts.base.dates import parse_date

    assert parse_date(text, dates.date_formats()).day.isoformat() == "2013-04-15"


def test_other_date_forms_are_still_errors() -> None:
    from sphinx_blogposts.base.dates import parse_date

    for text in ("15/04/2013", "Apr 31, 2013", "someday"):
        with pytest.raises(ValueError, match="ISO 8601"):
            parse_date(text, dates.date_formats(["%b %d, %Y"]))


# -- ABlog's sidebar templates -----------------------------------------------------------------

#: every sidebar template ABlog 0.11 ships and the widget that stands for it
ABLOG_SIDEBARS = {
    "recentposts.html": "blogposts-sidebar-recent", "tagcloud.html": "blogposts-sidebar-tags",
    "categories.html": "blogposts-sidebar-categories",
    "archives.html": "blogposts-sidebar-archives", "authors.html": "blogposts-sidebar-authors",
    "postcard.html": "blogposts-sidebar-postcard", "postcard2.html": "blogposts-sidebar-postcard",
    "postnavy.html": "blogposts-sidebar-postnav",
}


def link_names(widget: Any) -> list[str]:
    """A widget's link texts without their post counts: under a host theme's markup
    (alabaster's, the default theme of Sphinx 7 and 8 test apps) the count sits in the link."""
    names = []
    for link in widget.select("a"):
        link = copy.copy(link)
        for count in link.select(".blogposts-count"):
            count.decompose()
        names.append(link.get_text().strip())
    return names


@pytest.mark.parametrize("prefix", ["ablog/", ""], ids=["ablog-prefix", "bare"])
def test_every_ablog_sidebar_template_name_works(rootdir: Path, tmp_path: Path,
                                                 prefix: str) -> None:
    """ABlog's documentation names its templates ``ablog/<name>.html`` in html_sidebars;
    sites name them bare too.  Each becomes the widget that shows the same."""
    src = copy_root(rootdir, "ablog", tmp_path)
    names = [f"{prefix}{name}" for name in ABLOG_SIDEBARS]
    app = build(src, confoverrides={"html_sidebars": {"**": names}})
    assert "TemplateNotFound" not in all_warnings(app)
    post = soup(Path(app.outdir) / "journal/posts/river-survey.html")
    shown = [d["class"][1] for d in post.select(".blogposts-sidebar")]
    assert shown == list(dict.fromkeys(ABLOG_SIDEBARS.values())), shown
    card = post.select_one(".blogposts-sidebar-postcard")
    assert card is not None and card.select_one("time[datetime]") is not None
    assert "Mira Okafor" in card.get_text()
    nav = post.select_one(".blogposts-sidebar-postnav")
    assert nav is not None and nav.select("a[rel=next], a[rel=prev]")
    authors = link_names(post.select_one(".blogposts-sidebar-authors"))
    assert "Mira Okafor" in authors
    # a page that is not a post has no post card and no post navigation
    index = soup(Path(app.outdir) / "index.html")
    assert [d["class"][1] for d in index.select(".blogposts-sidebar")] == [
        c for c in dict.fromkeys(ABLOG_SIDEBARS.values())
        if c not in ("blogposts-sidebar-postcard", "blogposts-sidebar-postnav")]


def test_an_ablog_site_keeps_ablogs_feed_and_date_defaults(rootdir: Path, tmp_path: Path) -> None:
    """Without ``blog_feed_length``, ``blog_feed_fulltext`` and ``post_date_format``, ABlog
    feeds every post as an excerpt and shows ``%d %B %Y``; the swapped site does the same
    (a native site gets 20 whole posts and the language's long date)."""
    src = copy_root(rootdir, "ablog", tmp_path)
    conf = src / "conf.py"
    kept = [line for line in conf.read_text(encoding="utf-8").splitlines()
            if not line.startswith(("blog_feed_length", "blog_feed_fulltext",
                                    "post_date_format"))]
    conf.write_text("\n".join(kept) + "\n", encoding="utf-8")
    for i in range(25):  # more posts than the native default feed length
        (src / "journal/posts" / f"extra{i:02}.rst").write_text(
            f"Extra {i}\n========\n\n.. post:: 2023-01-{i + 1:02}\n\nThe body of extra {i}.\n\n"
            "A second paragraph, only in the full post.\n", encoding="utf-8")
    app = build(src)
    atom = (Path(app.outdir) / "journal/atom.xml").read_text(encoding="utf-8")
    from sphinx_blogposts.model.views import get_view

    view = get_view(app.env)
    posts = [p for p in view.newest if view.status(p) == "published"]
    assert atom.count("<entry>") == len(posts) > 25
    assert "<content" not in atom and "only in the full post" not in atom
    page = soup(Path(app.outdir) / "journal/posts/extra05.html")
    assert [t.get_text() for t in page.select(".blogposts-post-header time")] == [
        "06 January 2023"]


# -- ABlog's URLs --------------------------------------------------------------------------

def redirect_target(path: Path) -> Path | None:
    """The file a redirect page sends readers to, or None when it is no redirect page."""
    meta = soup(path).find("meta", attrs={"http-equiv": "refresh"})
    if meta is None:
        return None
    url = str(meta["content"]).split("url=", 1)[1].split("#")[0]
    target = (path.parent / url).resolve()
    return target / "index.html" if target.is_dir() else target


#: ABlog's URLs of the test-ablog site under html and the page now there
ABLOG_URLS = {
    "journal.html": "journal/index.html",  # ABlog's catalog of all posts
    "journal/tag.html": "journal/tag/index.html",
    "journal/category.html": "journal/category/index.html",
    "journal/author.html": "journal/author/index.html",
    "journal/2024.html": "journal/archive.html",
    "journal/2025.html": "journal/archive.html",
    # the post's own `:redirect:` (ABlog's option), in both forms sites write
    "journal/old-river-survey.html": "journal/posts/river-survey.html",
    "journal/2025/spring-survey.html": "journal/posts/river-survey.html",
}


def test_every_ablog_url_leads_to_its_page(site: SphinxTestApp) -> None:
    out = Path(site.outdir)
    for old, new in ABLOG_URLS.items():
        assert redirect_target(out / old) == (out / new).resolve(), old
        page = soup(out / old)
        canonical = page.find("link", rel="canonical")
        assert canonical is not None
        anchor = f"#year-{old[8:12]}" if new.endswith("archive.html") else ""
        assert canonical["href"] == f"https://notes.example.org/{new}{anchor}"
    # the pages that are the same under both keep their own content, no redirect
    for same in ("journal/tag/weather.html", "journal/category/surveys.html",
                 "journal/author/mira-okafor.html",  # named as ABlog names authors
                 "journal/drafts.html",  # ABlog's drafts page: drafts are unlisted
                 "journal/posts/river-survey.html", "journal/index.html"):
        assert redirect_target(out / same) is None, same
    years = soup(out / "journal/archive.html")
    assert years.find(id="year-2024") is not None and years.find(id="year-2025") is not None


def test_dirhtml_needs_no_redirect_for_the_catalog(rootdir: Path, tmp_path: Path) -> None:
    """Under dirhtml ABlog's catalog ``journal/`` is the blog index's own URL."""
    src = copy_root(rootdir, "ablog", tmp_path)
    out = Path(build(src, "dirhtml").outdir)
    assert redirect_target(out / "journal/index.html") is None
    assert redirect_target(out / "journal/author/mira-okafor/index.html") is None  # the page
    assert redirect_target(out / "journal/2025/index.html") == (
        out / "journal/archive/index.html").resolve()
    assert redirect_target(out / "journal/old-river-survey/index.html") == (
        out / "journal/posts/river-survey/index.html").resolve()


def test_a_redirect_never_replaces_a_page_and_goes_when_no_longer_made(
        rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    (src / "journal" / "drafts.rst").write_text("Our drafts\n==========\n\nBy hand.\n",
                                                encoding="utf-8")
    index = src / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "\n.. toctree::\n   :hidden:\n\n"
                     "   journal/drafts\n", encoding="utf-8")
    out = tmp_path / "out"
    app = build(src, out=out)
    html = Path(app.outdir)
    assert redirect_target(html / "journal/drafts.html") is None  # the site's own page
    assert "By hand." in (html / "journal/drafts.html").read_text(encoding="utf-8")
    assert redirect_target(html / "journal/old-river-survey.html") is not None
    post = src / "journal/posts/river-survey.rst"
    post.write_text("\n".join(line for line in post.read_text(encoding="utf-8").splitlines()
                              if ":redirect:" not in line) + "\n", encoding="utf-8")
    build(src, out=out)  # incremental
    assert not (html / "journal/old-river-survey.html").exists()
    assert not (html / "journal/2025/spring-survey.html").exists()
    assert redirect_target(html / "journal/2024.html") is not None


def test_a_postlist_whose_names_match_nothing_lists_recent_posts(rootdir: Path,
                                                                 tmp_path: Path) -> None:
    """ABlog ignores a postlist filter naming no tag, category or author it knows and lists
    the newest posts; a site moved from ABlog keeps that (a native site lists nothing)."""
    src = copy_root(rootdir, "ablog", tmp_path)
    (src / "lists.rst").write_text(
        "Lists\n=====\n\n.. postlist:: 2\n   :tags: no-such-tag\n\n"
        ".. postlist::\n   :tags: weather, no-such-tag\n", encoding="utf-8")
    index = src / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "\n.. toctree::\n   :hidden:\n\n"
                     "   lists\n", encoding="utf-8")
    app = build(src)
    page = body(Path(app.outdir) / "lists.html")
    lists = [[a.get_text() for a in ul.select("a")] for ul in page.select("ul.blogposts-postlist")]
    assert lists == [["River survey in spring", "Reading tide tables"], ["First frost"]], lists


def test_post_auto_image_and_excerpt_keep_their_meaning(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\npost_auto_image = 1\n"
                    "post_auto_excerpt = 2\n", encoding="utf-8")
    (src / "journal/posts/pictured.rst").write_text(
        "Pictured\n========\n\n.. post:: 2025-04-01\n\nFirst paragraph.\n\n"
        "Second paragraph.\n\n.. image:: frost.svg\n   :alt: Frost\n\nThird paragraph.\n",
        encoding="utf-8")
    app = build(src)
    card = next(c for c in body(Path(app.outdir) / "journal/index.html").select(
        ".blogposts-card") if "Pictured" in c.get_text())
    assert [p.get_text() for p in card.select(".blogposts-excerpt")] == [
        "First paragraph.", "Second paragraph."]
    image = card.select_one("img")
    assert image is not None and str(image["src"]).endswith("frost.svg")
    assert "ABlog's post_auto_image is read as blogposts_auto_image" in status(app)


def test_an_undated_post_is_a_draft_as_in_ablog(rootdir: Path, tmp_path: Path) -> None:
    """ABlog's drafts are the posts without a date (or dated later): no warning, listed only
    on the drafts page, each with its page (a Draft banner, no date, its tags as text where
    no published post gives them a page) and in no feed."""
    src = copy_root(rootdir, "ablog", tmp_path)
    (src / "journal/posts/someday.rst").write_text(
        "Someday\n=======\n\n.. post::\n   :tags: weather, unheard-of\n   :author: Zoe Writer\n\n"
        "Not ready yet.\n", encoding="utf-8")
    (src / "journal/posts/later.rst").write_text(
        "Later\n=====\n\n.. post:: Jan 01, 2999\n\nScheduled.\n", encoding="utf-8")
    app = build(src)
    out = Path(app.outdir)
    assert "someday" not in all_warnings(app) and "later" not in all_warnings(app)
    index = (out / "journal/index.html").read_text(encoding="utf-8")
    assert "Someday" not in index and "Later" not in index
    drafts = body(out / "journal/drafts.html")
    assert [(a.get_text(), a["href"]) for a in drafts.select(".blogposts-archive-list a")] == [
        ("Later", "posts/later.html"), ("Someday", "posts/someday.html")]
    assert drafts.select(".blogposts-archive-list time")[0]["datetime"] == "2999-01-01"
    assert len(drafts.select(".blogposts-archive-list time")) == 1  # Someday has no date
    page = body(out / "journal/posts/someday.html")
    header = page.select_one(".blogposts-post-header")
    assert header.select_one(".blogposts-banner.blogposts-draft") is not None
    assert header.find("time") is None
    assert [a.get_text() for a in header.select("a.blogposts-tag")] == ["weather"]
    assert [s.get_text() for s in header.select("span.blogposts-tag")] == ["unheard-of"]
    assert [s.get_text() for s in header.select("span.blogposts-author")] == ["Zoe Writer"]
    assert not (out / "journal/tag/unheard-of.html").exists()
    atom = (out / "journal/atom.xml").read_text(encoding="utf-8")
    assert "Someday" not in atom and "Later" not in atom
    # ABlog's label of the drafts page leads there
    assert redirect_target(out / "journal/drafts.html") is None
    (tmp_path / "strict").mkdir()
    strict = copy_root(rootdir, "ablog", tmp_path / "strict")
    (strict / "journal/posts/someday.rst").write_text(
        (src / "journal/posts/someday.rst").read_text(encoding="utf-8"), encoding="utf-8")
    warned = build(strict, confoverrides={"blogposts_undated_drafts": False})
    assert [w["type"] for w in warnings_of(all_warnings(warned))
            if "someday" in w["location"]] == ["blogposts.date"]


def test_external_link_sends_lists_elsewhere(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    post = src / "journal/posts/first-frost.rst"
    post.write_text(post.read_text(encoding="utf-8").replace(
        "   :image: 1\n", "   :image: 1\n   :external_link: https://elsewhere.example.org/frost\n"),
        encoding="utf-8")
    app = build(src)
    out = Path(app.outdir)
    for page in ("journal/index.html", "journal/archive.html",
                 "journal/tag/weather.html"):
        links = [str(a["href"]) for a in body(out / page).find_all("a")
                 if a.get_text(strip=True) == "First frost"]
        assert links == ["https://elsewhere.example.org/frost"], (page, links)
    assert (out / "journal/posts/first-frost.html").is_file()  # the page is still there
    assert ":external_link:" not in all_warnings(app)


def test_languages_and_locations_get_pages_as_in_ablog(site: SphinxTestApp) -> None:
    """ABlog's ``:location:`` and ``:language:`` are taxonomies: a page each, an index, and
    ABlog's URLs (slugs of the names) lead there."""
    out = Path(site.outdir)
    lisbon = body(out / "journal/location/lisbon.html")
    assert lisbon.select_one("h1").get_text() == "Location: Lisbon"
    assert [a.get_text() for a in lisbon.select("a") if "survey" in str(a.get("href"))] == [
        "River survey in spring"]
    language = body(out / "journal/language/en.html")
    assert "River survey in spring" in language.get_text()
    assert [a.get_text() for a in body(out / "journal/location/index.html").select(
        "a.blogposts-tag")] == ["Lisbon", "Porto"]
    assert redirect_target(out / "journal/location.html") == (
        out / "journal/location/index.html").resolve()


def test_blog_feed_archives_writes_every_archives_feed(site: SphinxTestApp) -> None:
    """ABlog's ``blog_feed_archives``: a feed for each tag, category, author, year, language
    and location, where ABlog writes it."""
    out = Path(site.outdir) / "journal"
    for feed in ("tag/weather", "category/surveys", "author/mira-okafor",
                 "author/tomas-ekberg", "2024", "2025", "location/lisbon", "language/en"):
        atom = out / feed / "atom.xml"
        assert atom.is_file(), feed
        assert "<entry>" in atom.read_text(encoding="utf-8"), feed


def test_blog_feed_templates_template_atom_and_add_feeds(rootdir: Path, tmp_path: Path) -> None:
    """ABlog's ``blog_feed_templates``: ``atom`` templates atom.xml's entries, another name
    adds ``<name>.xml`` beside every Atom feed; values are escaped in content."""
    src = copy_root(rootdir, "ablog", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + (
        "\nblog_feed_templates = {\n"
        "    'atom': {'content': '{{ title }}: <b>{{ post.tags|length }} tags</b>'},\n"
        "    'social': {'title': '{{ title }} by {{ post.author[0].name }}',\n"
        "               'content': \"{{ title }}{% for t in post.tags %} #{{ t.name }}"
        "{% endfor %}\"},\n}\n"), encoding="utf-8")
    app = build(src)
    out = Path(app.outdir) / "journal"
    atom = (out / "atom.xml").read_text(encoding="utf-8")
    assert "<![CDATA[River survey in spring: <b>2 tags</b>]]>" in atom
    social = (out / "social.xml").read_text(encoding="utf-8")
    assert '<title type="text">River survey in spring by Mira Okafor</title>' in social
    assert "<![CDATA[River survey in spring #hydrology #fieldwork]]>" in social
    assert 'href="https://notes.example.org/journal/social.xml"' in social  # its own URL
    assert (out / "tag/weather/social.xml").is_file()
    assert not [w for w in warnings_of(all_warnings(app))
                if "blog_feed_templates" in w["message"]]
    # a template that does not compile stops the build, naming the option
    conf.write_text(conf.read_text(encoding="utf-8") + "\nblog_feed_templates = "
                    "{'social': {'content': '{% for %}'}}\n", encoding="utf-8")
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="blog_feed_templates"):
        build(src, out=tmp_path / "broken")


def test_languages_and_locations_sidebars(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    app = build(src, confoverrides={"html_sidebars": {"**": ["ablog/languages.html",
                                                             "locations.html"]}})
    page = soup(Path(app.outdir) / "index.html")
    languages = page.select_one(".blogposts-sidebar-languages")
    locations = page.select_one(".blogposts-sidebar-locations")
    assert languages is not None and locations is not None
    assert languages.select_one("h3").get_text() == "Languages"
    assert link_names(locations) == ["Lisbon", "Porto"]
    assert "(1)" in locations.get_text()


def test_blog_feed_titles_gives_titles_only(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "ablog", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nblog_feed_titles = True\n",
                    encoding="utf-8")
    app = build(src)
    atom = (Path(app.outdir) / "journal/atom.xml").read_text(encoding="utf-8")
    assert "<title type=\"text\">River survey in spring</title>" in atom
    assert "<content" not in atom and "<summary" not in atom
    assert "ABlog's blog_feed_titles is read as blogposts_feed_titles_only" in status(app)


def test_post_date_format_short_in_lists_and_dated_titles(site: SphinxTestApp) -> None:
    """ABlog shows ``post_date_format_short`` (by default ``%d %B``) in post lists and
    archives; the swapped site too, and ``post_date_format`` on the post itself."""
    out = Path(site.outdir)
    index = body(out / "index.html").select_one("ul.blogposts-postlist")
    assert index is not None
    assert [t.get_text() for t in index.select("time")] == ["10 January", "03 March"]
    archive = body(out / "journal/archive.html")
    assert "03 March" in [t.get_text() for t in archive.select("time")]
    post = body(out / "journal/posts/river-survey.html").select_one(
        ".blogposts-post-header time")
    assert post is not None and post.get_text() == "Mar 03, 2025"  # post_date_format


def _dated_site(tmp_path: Path, conf: str, written: str) -> Path:
    src = tmp_path / "src"
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_blogposts"]\n'
                                 'blogposts_pattern = ["posts/*"]\n' + conf)
    (src / "index.md").write_text("# Home\n")
    (src / "posts/one.md").write_text(f"---\ndate: {written}\n---\n# One\n\nText.\n")
    return src


def test_date_input_formats_must_be_a_list(tmp_path: Path) -> None:
    """A pattern may hold a comma, so a string is refused, not split, and the error names
    the option."""
    src = _dated_site(tmp_path, 'blogposts_date_input_formats = "%b %d, %Y"\n', "Apr 15, 2013")
    with pytest.raises(ConfigError, match="blogposts_date_input_formats"):
        build(src, out=tmp_path / "out")


@pytest.mark.parametrize(("conf", "written"), [
    # a native site: its own pattern, before the usual forms
    ('blogposts_date_input_formats = ["%d.%m.%Y"]\n', "15.04.2013"),
    # an ABlog site: ABlog reads dates in post_date_format; it goes first
    ('post_date_format = "%Y/%m/%d"\n', "2013/04/15"),
])
def test_dates_in_the_sites_own_format(tmp_path: Path, conf: str, written: str) -> None:
    app = build(_dated_site(tmp_path, conf, written), out=tmp_path / "out")
    assert "blogposts" not in app.warning.getvalue()
    from sphinx_blogposts.model.posts import get_index

    [post] = get_index(app.env).posts.values()
    assert post.date.day.isoformat() == "2013-04-15"
