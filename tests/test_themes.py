"""The ``sphinx_blogposts`` theme without a browser: its options, its pages, its escaping
and its size budget. (tests/test_browser.py checks it in Chromium.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from sphinx_blogposts.theme import THEME_DIR, accent_style, check_options

from helpers import body, build, copy_root, soup

PACKAGE = Path(__file__).parents[1] / "src/sphinx_blogposts"
LIVE = "<script>alert(1)</script>"
OPTIONS: dict[str, Any] = {
    "accent_color": "#aa3300",
    "nav_links": [{"label": "Blog", "url": "blog/index"},
                  {"label": "Reference", "url": "reference"},
                  {"label": f"Out & {LIVE}", "url": "https://example.org/?a=1&b=2"}],
    "social_links": [{"label": "Mastodon", "url": "https://mastodon.example/@me"}],
    "footer_text": f"Footer & {LIVE}",
    "color_scheme": "dark",
}


def themed(rootdir: Path, tmp: Path, root: str, **overrides: Any) -> SphinxTestApp:
    src = copy_root(rootdir, root, tmp)
    return build(src, confoverrides={"html_theme": "sphinx_blogposts", **overrides})


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return themed(rootdir, tmp_path_factory.mktemp("theme"), "basic",
                  html_theme_options=OPTIONS)


def test_builds_without_warnings(site: SphinxTestApp) -> None:
    assert site._warning.getvalue() == ""  # type: ignore[attr-defined]


def test_landmarks_skip_link_and_main(site: SphinxTestApp) -> None:
    for page in ("index.html", "blog/index.html", "blog/posts/first.html", "search.html"):
        html = soup(site.outdir / page)
        first = html.body.find(True) if html.body else None
        assert first is not None and "bp-skip-link" in first.get("class", []), page
        assert first["href"] == "#main-content"
        assert len(html.select("header.bp-header")) == 1
        assert len(html.select("footer.bp-footer")) == 1
        main = html.select('div[role="main"]')
        assert len(main) == 1 and main[0]["id"] == "main-content"
        assert html.select_one("nav.bp-nav") is not None
        assert html.html is not None and html.html.get("lang") == "en"


def test_options(site: SphinxTestApp) -> None:
    post = site.outdir / "blog/posts/first.html"
    text = post.read_text(encoding="utf-8")
    html = soup(post)
    assert ":root{--bp-accent:#aa3300;--bp-accent-dark:" in text
    assert html.html is not None and html.html.get("data-scheme") == "dark"
    dark = html.select_one("link#pygments_dark_css")
    assert dark is not None and dark["media"] == "screen"  # dark code even in a light system
    nav = [(a.get_text(), a["href"]) for a in html.select("nav.bp-nav a")]
    assert nav == [("Blog", "../index.html"), ("Reference", "../../reference.html"),
                   (f"Out & {LIVE}", "https://example.org/?a=1&b=2")]
    assert [a["href"] for a in html.select(".bp-social a")] == ["https://mastodon.example/@me"]
    assert html.select_one(".bp-footer-text").get_text() == f"Footer & {LIVE}"
    index = soup(site.outdir / "blog/index.html")
    assert index.select_one('nav.bp-nav a[aria-current="page"]').get_text() == "Blog"


def current(page: Path, selector: str) -> list[tuple[str, str]]:
    return [(a.get_text(), str(a["aria-current"]))
            for a in soup(page).select(f"{selector} a[aria-current]")]


def test_the_current_section_is_marked_on_every_blog_page(site: SphinxTestApp) -> None:
    """The blog's link in the top navigation is the page itself on the index and the current
    section everywhere else in the blog; the blog's tabs mark a category's page under
    Categories, a tag's under Tags, a later index page under the blog's title."""
    out = Path(site.outdir)
    assert current(out / "blog/index.html", "nav.bp-nav") == [("Blog", "page")]
    for page in ("blog/posts/first.html", "blog/category/guides.html",
                 "blog/tag/index.html", "blog/archive.html", "blog/page/2.html",
                 "blog/author/jane.html"):
        assert current(out / page, "nav.bp-nav") == [("Blog", "true")], page
    assert current(out / "reference.html", "nav.bp-nav") == [("Reference", "page")]
    assert current(out / "index.html", "nav.bp-nav") == []
    tabs = ".blogposts-bloglinks"
    assert current(out / "blog/category/guides.html", tabs) == [("Categories", "true")]
    assert current(out / "blog/category/index.html", tabs) == [("Categories", "page")]
    assert current(out / "blog/tag/python.html", tabs) == [("Tags", "true")]
    assert current(out / "blog/author/jane.html", tabs) == [("Authors", "true")]
    assert current(out / "blog/page/2.html", tabs) == [("Blog", "true")]  # the index
    assert current(out / "blog/archive.html", tabs) == [("Archive", "page")]


def test_user_strings_are_escaped(site: SphinxTestApp) -> None:
    for page in site.outdir.rglob("*.html"):
        assert LIVE not in page.read_text(encoding="utf-8"), page


def test_docs_page_has_global_and_local_toc(site: SphinxTestApp) -> None:
    html = soup(site.outdir / "blog/posts/first.html")
    assert html.select_one(".bp-sidebar .bp-sidebar-nav") is not None
    assert html.select_one(".bp-sidebar .blogposts-sidebar-recent") is not None
    toc = html.select_one("nav.bp-toc details")
    assert toc is not None and toc.select_one('a[href="#more"]') is not None


def test_post_tags_once_and_author_cards(site: SphinxTestApp) -> None:
    second = body(site.outdir / "blog/posts/second.html")
    # the tags are shown once, in the post's header (not again at its end)
    tags = [a.get_text() for a in second.select("a.blogposts-tag")]
    assert tags == ["python", "testing"]
    assert second.select("nav.bp-post-tags") == []
    assert all(a.find_parent(class_="blogposts-post-header") is not None
               for a in second.select("a.blogposts-tag"))
    # the author cards come after the extension's footer
    article = str(second)
    assert article.index("blogposts-post-footer") < article.index("bp-author-card")
    cards = second.select(".bp-author-card")
    assert [c.select_one(".bp-author-card-name").get_text() for c in cards] == ["Jane Doe"]
    assert cards[0].select_one('a[rel="author"]')["href"] == "https://example.org/jane"
    # a guest with neither a url nor an avatar gets no card
    assert body(site.outdir / "blog/posts/third.html").select(".bp-author-card") == []


def test_list_pages(site: SphinxTestApp) -> None:
    index = body(site.outdir / "blog/index.html")
    cards = index.select("article.blogposts-card")
    assert len(cards) == 2  # blogposts_posts_per_page = 2
    third = next(c for c in cards if "Third post" in c.get_text())
    image = third.select_one("img.blogposts-card-image")
    assert image is not None and image["alt"] == "A blue square"
    assert third.select_one("time[datetime]") is not None
    assert "min read" in third.get_text()
    assert [a.get_text() for a in third.select(".bp-chips a")] == ["Ideas"]
    pagination = index.select_one("nav.blogposts-pagination")
    assert pagination is not None and pagination.select_one('a[rel="next"]') is not None
    assert index.select_one('.bp-tabs a[aria-current="page"]') is not None

    categories = body(site.outdir / "blog/category/index.html")
    assert len(categories.select(".bp-index-card")) == 3
    assert "Release notes and announcements." in categories.get_text()


def test_tag_page_is_one_page_of_dated_titles(site: SphinxTestApp) -> None:
    page = body(site.outdir / "blog/tag/python.html")
    count = page.select_one(".bp-list-header .blogposts-count")
    assert count is not None and count.get_text() == "3 posts"
    lines = page.select(".blogposts-archive-list li")
    assert [li.a.get_text() for li in lines] == ["Reference post", "Second post", "First steps"]
    # two grid cells a line: the date, then the title
    assert all([c.name for c in li.find_all(recursive=False)] == ["time", "span"] for li in lines)
    assert not (site.outdir / "blog/tag/python/page/2.html").exists()


def test_tag_cloud_is_sized_by_count(site: SphinxTestApp) -> None:
    cloud = body(site.outdir / "blog/tag/index.html").select(".bp-tag-cloud li")
    counts = {li.select_one("a").get_text(): int(li.select_one(".blogposts-count").contents[0])
              for li in cloud}
    sizes = {li.select_one("a").get_text(): int(li["class"][0].rsplit("-", 1)[1])
             for li in cloud}
    assert len(set(counts.values())) > 1
    for tag, count in counts.items():
        if count == max(counts.values()):
            assert sizes[tag] == 5, tag
        if count == min(counts.values()):
            assert sizes[tag] == 1, tag
    by_count = sorted(counts, key=counts.__getitem__)
    assert [sizes[t] for t in by_count] == sorted(sizes[t] for t in by_count)


def test_author_pages(site: SphinxTestApp) -> None:
    jane = body(site.outdir / "blog/author/jane.html")
    header = jane.select_one(".bp-author-header")
    assert header is not None and header.select_one("h1").get_text() == "Jane Doe"
    assert header.select_one(".bp-avatar-initials").get_text() == "J"
    assert header.select_one('a[rel="author"]')["href"] == "https://example.org/jane"
    assert header.select_one(".blogposts-count").get_text() == "3 posts"
    assert [li.a.get_text() for li in jane.select(".blogposts-archive-list li")] == [
        "Opted in by front matter", "Second post", "First steps"]


def test_avatar_paths_are_relative_to_the_site_root(
        rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    authors = {"jane": {"name": "Jane Doe", "avatar": "_static/jane.png"},
               "sam": {"name": "Sam Roe", "avatar": "https://example.org/sam.png"}}
    app = themed(rootdir, tmp_path_factory.mktemp("avatars"), "basic",
                 blogposts_authors=authors)
    for builder_page, expected in [
        ("blog/author/jane.html", "../../_static/jane.png"),
        ("blog/author/index.html", "../../_static/jane.png"),
        ("blog/posts/second.html", "../../_static/jane.png"),
    ]:
        sources = [img["src"] for img in body(app.outdir / builder_page).select("img.bp-avatar")]
        assert expected in sources, builder_page
    assert "https://example.org/sam.png" in [
        img["src"] for img in body(app.outdir / "blog/author/sam.html").select("img")]


def test_sidebar_can_be_hidden(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    app = themed(rootdir, tmp_path_factory.mktemp("nosidebar"), "basic",
                 html_theme_options={"show_sidebar": False})
    html = soup(app.outdir / "blog/posts/first.html")
    assert html.select_one(".bp-sidebar") is None
    assert html.select_one(".bp-page.bp-has-sidebar") is None
    assert html.html is not None and html.html.get("data-scheme") is None  # auto


def test_escape_root_under_the_theme(rootdir: Path,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    app = themed(rootdir, tmp_path_factory.mktemp("escape"), "escape")
    pages = list(app.outdir.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert LIVE not in page.read_text(encoding="utf-8"), page


def test_bad_options_warn(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    app = themed(rootdir, tmp_path_factory.mktemp("badopts"), "basic",
                 html_theme_options={"color_scheme": "sepia", "nav_links": "Blog",
                                     "accent_color": "red;}body{display:none"})
    output = strip_escape_sequences(app._warning.getvalue())  # type: ignore[attr-defined]
    lines = [line for line in output.splitlines() if "WARNING" in line]
    assert len(lines) == 3 and all(line.endswith("[blogposts.config]") for line in lines)
    messages = " ".join(lines)
    assert "color_scheme" in messages and "nav_links" in messages and "accent_color" in messages
    assert "display:none" not in (app.outdir / "index.html").read_text(encoding="utf-8")
    html = soup(app.outdir / "index.html")
    assert html.html is not None and html.html.get("data-scheme") is None


def test_check_options_and_accent_style() -> None:
    check_options({"nav_links": [{"label": "A", "url": "a"}], "color_scheme": "light"})
    assert accent_style("") == ""
    assert accent_style("#036") == ":root{--bp-accent:#036;--bp-accent-dark:#8ca3ba}"
    assert accent_style("rebeccapurple") == (
        ":root{--bp-accent:rebeccapurple;--bp-accent-dark:rebeccapurple}")
    assert accent_style("red}</style><script>") == ""


def test_assets_are_small_and_self_contained() -> None:
    """At most 40 KB of CSS and JavaScript (theme and extension), nothing from elsewhere."""
    assets = [*sorted((THEME_DIR / "static").glob("*.*")),
              *sorted((PACKAGE / "static").glob("*.css")),
              *sorted((PACKAGE / "static").glob("*.js"))]
    total = sum(p.stat().st_size for p in assets)
    assert total <= 40 * 1024, f"{total} bytes"
    for path in assets:
        text = path.read_text(encoding="utf-8")
        assert "@import" not in text and "@font-face" not in text, path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"https?://", text), path
    templates = "\n".join(p.read_text(encoding="utf-8") for p in THEME_DIR.rglob("*.html"))
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", templates)
