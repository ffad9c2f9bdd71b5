"""Detection, metadata, directives and generated pages on a small real site."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_blogposts.model.posts import get_index
from sphinx_blogposts.model.view import by_year

from helpers import body, build, copy_root, excerpt_text, soup, warnings_of


def titles(page: Path, selector: str = ".blogposts-card-title a") -> list[str]:
    return [a.get_text() for a in body(page).select(selector)]


@pytest.fixture(scope="module")
def basic(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return build(copy_root(rootdir, "basic", tmp_path_factory.mktemp("basic")))


def test_builds_without_warnings(basic: SphinxTestApp) -> None:
    assert warnings_of(basic.warning.getvalue()) == []
    assert "WARNING" not in basic.warning.getvalue()


def test_post_detection_three_ways(basic: SphinxTestApp) -> None:
    posts = get_index(basic.env).posts
    # pattern, front matter, directive; an explicit non-post under no pattern stays a page
    assert set(posts) == {
        "blog/posts/first", "blog/posts/second", "blog/posts/third",
        "notes/opted-in", "reference",
    }
    assert "notes/opted-out" not in posts


def test_metadata_types(basic: SphinxTestApp) -> None:
    posts = get_index(basic.env).posts
    second = posts["blog/posts/second"]
    assert second.title == "Second post"
    assert second.date.isoformat() == "2024-03-05T09:30:00+01:00"
    assert second.updated is not None and second.updated.isoformat() == "2024-04-01"
    assert second.tags == ("python", "testing")  # comma-separated string
    assert second.categories == ("Tutorials", "Ideas")
    assert second.authors == ("jane", "sam")
    assert second.description == "A custom description."
    first = posts["blog/posts/first"]
    assert first.tags == ("python", "sphinx")  # YAML list
    assert first.authors == ("jane",)  # blogposts_default_author
    assert excerpt_text(first) == ("The first paragraph of the first post.",)
    third = posts["blog/posts/third"]
    assert excerpt_text(third) == ("A hand-written excerpt.",)
    assert third.image == "blog/posts/cover.png"
    assert third.image_alt == "A blue square"
    assert third.authors == ("Guest Writer",)
    ref = posts["reference"]
    assert excerpt_text(ref) == ("A reST post whose directive body is its excerpt.",)
    assert ref.categories == ("Releases",)
    assert ref.tags == ("rst", "python")


def test_posts_need_no_toctree(basic: SphinxTestApp) -> None:
    assert "isn't included in any toctree" not in basic.warning.getvalue()


def test_post_header_and_footer(basic: SphinxTestApp) -> None:
    page = body(basic.outdir / "blog/posts/second.html")
    header = page.select_one(".blogposts-post-header")
    assert header is not None
    times = header.select("time")
    assert [t["datetime"] for t in times] == ["2024-03-05T09:30:00+01:00", "2024-04-01"]
    assert times[0].get_text() == "March 5, 2024"
    assert "Updated" in header.get_text()
    authors = {a.get_text(): a["href"] for a in header.select("a.blogposts-author")}
    assert authors == {"Jane Doe": "../author/jane.html", "Sam Roe": "../author/sam.html"}
    cats = {a.get_text(): a["href"] for a in header.select("a.blogposts-category")}
    assert cats == {"Tutorials": "../category/guides.html", "Ideas": "../category/ideas.html"}
    tags = [a["href"] for a in header.select("a.blogposts-tag")]
    assert tags == ["../tag/python.html", "../tag/testing.html"]
    assert "1 min read" in header.get_text()
    footer = page.select_one(".blogposts-post-footer")
    assert footer is not None
    prev = footer.select_one(".blogposts-prev a")
    nxt = footer.select_one(".blogposts-next a")
    assert prev is not None and prev.get_text() == "First steps"
    assert nxt is not None and nxt.get_text() == "Reference post"
    related = [a.get_text() for a in footer.select(".blogposts-titles a")]
    # shares python+Tutorials with first, testing+Ideas with third, python with reference
    assert related == ["Third post", "First steps", "Reference post"]


def test_cover_image_copied(basic: SphinxTestApp) -> None:
    page = body(basic.outdir / "blog/posts/third.html")
    img = page.select_one(".blogposts-post-header img")
    assert img is not None and img["alt"] == "A blue square"
    assert (basic.outdir / "blog/posts" / img["src"]).resolve().is_file()
    card = soup(basic.outdir / "blog/index.html").select_one("img.blogposts-card-image")
    assert card is not None
    assert (basic.outdir / "blog" / card["src"]).resolve().is_file()


def test_blog_index_pagination(basic: SphinxTestApp) -> None:
    out = basic.outdir
    assert titles(out / "blog/index.html") == ["Opted in by front matter", "Third post"]
    assert titles(out / "blog/page/2.html") == ["Reference post", "Second post"]
    assert titles(out / "blog/page/3.html") == ["First steps"]
    assert not (out / "blog/page/4.html").exists()
    assert not (out / "blog/page/1.html").exists()
    nav = soup(out / "blog/page/2.html").select_one("nav.blogposts-pagination")
    assert nav is not None
    prev = nav.select_one("a[rel=prev]")
    nxt = nav.select_one("a[rel=next]")
    assert prev is not None and prev["href"] == "../index.html"
    assert nxt is not None and nxt["href"] == "3.html"
    assert soup(out / "blog/index.html").select_one("a[rel=prev]") is None
    assert soup(out / "blog/page/3.html").select_one("a[rel=next]") is None


def test_category_pages(basic: SphinxTestApp) -> None:
    out = basic.outdir
    page = body(out / "blog/category/guides.html")
    assert page.select_one("h1").get_text() == "Tutorials"  # type: ignore[union-attr]
    description = page.select_one(".blogposts-description")
    assert description is not None and description.select_one("strong") is not None
    assert "Step-by-step guides for new users." in description.get_text()
    assert titles(out / "blog/category/guides.html") == ["Second post", "First steps"]
    # declared in conf.py, with its description
    releases = body(out / "blog/category/releases.html")
    assert "Release notes and announcements." in releases.get_text()
    index = body(out / "blog/category/index.html")
    entries = {a.get_text(): a.parent.get_text() for a in index.select("a.blogposts-category")}
    assert set(entries) == {"Ideas", "Releases", "Tutorials"}
    assert "(2)" in entries["Tutorials"] and "(1)" in entries["Releases"]


def test_category_directive_in_place(basic: SphinxTestApp) -> None:
    page = body(basic.outdir / "categories.html")
    blocks = page.select(".blogposts-category-block")
    assert len(blocks) == 2
    first = blocks[0]
    assert "Step-by-step guides for new users." in first.get_text()
    assert [a.get_text() for a in first.select("a.blogposts-post-title")] == [
        "Second post", "First steps"]
    assert blocks[1].select_one(".blogposts-empty") is None  # Ideas has posts
    assert [a.get_text() for a in blocks[1].select("a.blogposts-post-title")] == [
        "Third post", "Second post"]


def test_postlist_options(basic: SphinxTestApp) -> None:
    sections = {
        s["id"]: s for s in body(basic.outdir / "lists.html").select("section section")
    }

    def listed(section_id: str) -> list[str]:
        return [a.get_text() for a in sections[section_id].select("a.blogposts-post-title")]

    assert listed("all") == ["Opted in by front matter", "Third post", "Reference post",
                             "Second post", "First steps"]
    assert listed("tutorials-oldest-first") == ["First steps", "Second post"]
    assert listed("tagged-python-titles") == ["Reference post", "Second post", "First steps"]
    assert sections["tagged-python-titles"].select("time") == []
    cards = sections["by-sam-cards-with-excerpts"]
    assert len(cards.select(".blogposts-card")) == 2
    assert [p.get_text() for p in cards.select(".blogposts-excerpt")] == [
        "A reST post whose directive body is its excerpt.",
        "Opening paragraph of the second post.",
    ]
    assert listed("year-2024-limit-1") == ["Reference post"]


def test_tag_author_archive_pages(basic: SphinxTestApp) -> None:
    out = basic.outdir
    # a tag has one page however many posts (2 a page here): dated titles by year
    tag_page = body(out / "blog/tag/python.html")
    assert [h.get_text() for h in tag_page.select("h2")] == ["2024"]
    assert [(t.get_text(), t.find_next("a").get_text())
            for t in tag_page.select(".blogposts-archive-list time")] == [
        ("June 1, 2024", "Reference post"), ("March 5, 2024", "Second post"),
        ("January 10, 2024", "First steps")]
    assert not (out / "blog/tag/python/page/2.html").exists()
    tag_index = body(out / "blog/tag/index.html")
    assert [a.get_text() for a in tag_index.select("a.blogposts-tag")] == [
        "python", "rst", "sphinx", "testing"]
    # so has an author: who they are, then dated titles by year
    def dated(page: str) -> list[str]:
        return [a.get_text() for a in body(out / page).select(".blogposts-archive-list a")]

    assert dated("blog/author/sam.html") == ["Reference post", "Second post"]
    jane = body(out / "blog/author/jane.html")
    assert jane.select_one("h1").get_text() == "Jane Doe"  # type: ignore[union-attr]
    assert jane.select_one(".blogposts-author-link a")["href"] == "https://example.org/jane"  # type: ignore[index]
    assert [h.get_text() for h in jane.select("h2")] == ["2025", "2024"]
    # three posts, more than a page of cards (2 here), on one page
    assert dated("blog/author/jane.html") == ["Opted in by front matter", "Second post",
                                              "First steps"]
    assert not list(out.glob("blog/author/*/page/*.html"))
    authors = body(out / "blog/author/index.html")
    assert [a.get_text() for a in authors.select("a.blogposts-author")] == [
        "Guest Writer", "Jane Doe", "Sam Roe"]
    archive = body(out / "blog/archive.html")
    assert [h.get_text() for h in archive.select("h2")] == ["2025", "2024"]
    assert [h.get_text() for h in archive.select("h3")] == [
        "June 2025", "February 2025", "June 2024", "March 2024", "January 2024"]


@pytest.mark.sphinx("dirhtml", testroot="basic")
def test_dirhtml_urls(app: SphinxTestApp) -> None:
    app.build()
    out = app.outdir
    for name in ("blog/index.html", "blog/page/2/index.html", "blog/category/index.html",
                 "blog/category/guides/index.html", "blog/tag/python/index.html",
                 "blog/author/jane/index.html", "blog/archive/index.html",
                 "blog/posts/first/index.html"):
        assert (out / name).is_file(), name
    header = body(out / "blog/posts/second/index.html").select_one(".blogposts-post-header")
    assert header is not None
    hrefs = [a["href"] for a in header.select("a.blogposts-category")]
    assert hrefs == ["../../category/guides/", "../../category/ideas/"]


@pytest.mark.parametrize("builder", ["singlehtml", "text", "latex", "epub", "man"])
def test_other_builders(make_app, rootdir: Path, tmp_path: Path, builder: str) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", src)
    app = make_app(builder, srcdir=src, confoverrides={"version": "1", "copyright": "x"})
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    if builder == "text":
        text = " ".join((app.outdir / "blog/posts/second.txt").read_text().split())
        assert "March 5, 2024" in text
        assert "By Jane Doe, Sam Roe" in text
        assert "In Tutorials, Ideas" in text
        assert "Tags: python testing" in text
        assert "Previous: First steps" in text
        # no generated pages for non-HTML builders
        assert not (app.outdir / "blog/index.txt").exists()
    if builder == "singlehtml":
        assert not (app.outdir / "blog/index.html").exists()


@pytest.mark.sphinx("html", testroot="empty")
def test_empty_site(app: SphinxTestApp) -> None:
    app.build()
    for name in ("blog/index.html", "blog/category/index.html", "blog/tag/index.html",
                 "blog/author/index.html", "blog/archive.html"):
        page = body(app.outdir / name)
        assert page.select_one(".blogposts-empty") is not None, name
    assert not (app.outdir / "blog/page/2.html").exists()
    assert warnings_of(app.warning.getvalue()) == []


def test_links_to_generated_pages(basic: SphinxTestApp) -> None:
    para = next(p for p in body(basic.outdir / "index.html").select("p")
                if p.get_text().startswith("Links:"))
    links = {a.get_text(): a["href"] for a in para.select("a")}
    assert links == {
        "All posts": "blog/index.html",
        "Python": "blog/tag/python.html",
        "Archive": "blog/archive.html",
        "Guides": "blog/category/guides.html",
    }


def test_category_image(basic: SphinxTestApp) -> None:
    out = basic.outdir
    page = body(out / "blog/category/guides.html")
    img = page.select_one("img.blogposts-category-image")
    assert img is not None
    assert (out / "blog/category" / img["src"]).resolve().is_file()
    thumb = body(out / "blog/category/index.html").select_one("img.blogposts-category-thumb")
    assert thumb is not None and (out / "blog/category" / thumb["src"]).resolve().is_file()
    block = body(out / "categories.html").select_one(".blogposts-category-block img")
    assert block is not None and (out / block["src"]).resolve().is_file()


def test_years_group_by_date_not_by_runs() -> None:
    """Posts come newest instant first; with offsets a year's posts need not be adjacent."""
    from datetime import date
    from types import SimpleNamespace

    def post(day: date) -> SimpleNamespace:
        return SimpleNamespace(date=SimpleNamespace(day=day))

    # 2023-12-31T23:00-05:00, then 2024-01-01T00:30+05:00, then an older 2023 post
    posts = [post(date(2023, 12, 31)), post(date(2024, 1, 1)), post(date(2023, 6, 1))]
    grouped = by_year(posts)  # type: ignore[arg-type]
    assert [(year, [p.date.day for p in group]) for year, group in grouped] == [
        (2024, [date(2024, 1, 1)]), (2023, [date(2023, 12, 31), date(2023, 6, 1)])]


def test_related_posts_of_a_hidden_draft_are_listed_posts() -> None:
    """``related()`` takes any post, a hidden draft too (which has no place in the lists)."""
    from sphinx_blogposts.base.config import BlogConfig
    from sphinx_blogposts.base.dates import parse_date
    from sphinx_blogposts.model.posts import BlogIndex, Post
    from sphinx_blogposts.model.view import BlogView

    cfg = BlogConfig(path="blog", title="Blog", description="", baseurl="",
                     pattern=("posts/*",), posts_per_page=10, authors={}, default_authors=(),
                     default_categories=(), categories={}, feeds=(), feed_length=10,
                     feed_full_content=False, drafts="hide", words_per_minute=200,
                     date_format=None)

    def post(name: str, day: str, tags: tuple[str, ...], draft: bool = False) -> Post:
        return Post(docname=f"posts/{name}", title=name, date=parse_date(day), tags=tags,
                    draft=draft)

    posts = [post("old", "2024-01-01", ("a",)), post("both", "2024-02-01", ("a", "b")),
             post("new", "2024-03-01", ("b",)), post("other", "2024-04-01", ("c",)),
             post("draft", "2024-05-01", ("a", "b"), draft=True)]
    view = BlogView(BlogIndex(posts={p.docname: p for p in posts}), cfg, now=2e9)
    assert "posts/draft" in view.hidden
    assert [p.docname for p in view.related(posts[-1], 3)] == [
        "posts/both", "posts/new", "posts/old"]
    assert [p.docname for p in view.related(posts[1], 3)] == ["posts/new", "posts/old"]


def test_page_bodies_use_the_sites_templates_filters_and_bridge(rootdir: Path,
                                                                tmp_path: Path) -> None:
    """Generated page bodies are rendered outside Sphinx's sandbox (pages.body_renderer), but
    from the same templates: a site's override in ``templates_path`` wins, Sphinx's filters,
    globals and translations work in it, and a site's own ``template_bridge`` renders them."""
    src = copy_root(rootdir, "basic", tmp_path)
    override = src / "_templates/blogposts/components/card.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '<p class="overridden" data-n="{{ \'3\'|toint + 1 }}" data-id="{{ idgen() is not none }}">'
        '{{ _("Next") }} {{ post.title|e }}</p>\n', encoding="utf-8")
    built = build(src, confoverrides={"templates_path": ["_templates"]})
    page = body(built.outdir / "blog/index.html")
    cards = page.select("p.overridden")
    assert cards and all(c["data-n"] == "4" and c["data-id"] == "True" for c in cards)
    assert not page.select(".blogposts-card")  # the extension's card.html was not used

    bridged = build(copy_root(rootdir, "basic", tmp_path / "bridge"),
                    confoverrides={"template_bridge": "helpers.MarkingBridge"})
    text = (bridged.outdir / "blog/index.html").read_text(encoding="utf-8")
    assert "<!-- rendered by MarkingBridge: blogposts/page/list.html -->" in text


def test_listing_digest_inputs_change_whenever_a_card_does() -> None:
    """The listing digest hashes what a card is made of, not the cards (making 5000 of them
    on every edit cost a full garbage collection): every change to a post that changes its
    card must change those inputs, or lists elsewhere would keep the old card."""
    from dataclasses import replace

    from sphinx_blogposts.base.config import Author, BlogConfig
    from sphinx_blogposts.base.dates import parse_date
    from sphinx_blogposts.model.cards import make_card
    from sphinx_blogposts.model.posts import BlogIndex, Post
    from sphinx_blogposts.model.view import BlogView
    from sphinx_blogposts.model.views import _card_inputs, _view_inputs

    cfg = BlogConfig(path="blog", title="Blog", description="", baseurl="",
                     pattern=("posts/*",), posts_per_page=10,
                     authors={"jd": Author(key="jd", name="Jane Doe")}, default_authors=(),
                     default_categories=(), categories={}, feeds=(), feed_length=10,
                     feed_full_content=False, drafts="show", words_per_minute=200,
                     date_format=None)
    titles = {("ref", "intro"): "Introduction", ("ref", "other"): "Other page"}
    base = Post(docname="posts/a", title="A", date=parse_date("2024-01-02"),
                authors=("jd",), categories=("Tips",), tags=("x", "y"), words=450,
                excerpt=((("", "See "), ("ref", "intro"), ("code", "x = 1")),),
                image="a.png", image_alt="An A")
    other = Post(docname="posts/b", title="B", date=parse_date("2024-02-02"), tags=("x",))

    def inputs(post: Post, config: BlogConfig = cfg,
               link: dict[tuple[str, str], str] = titles) -> tuple[object, object, object]:
        view = BlogView(BlogIndex(posts={post.docname: post, other.docname: other}), config,
                        now=2e9, link_title=lambda kind, target: link.get((kind, target)))
        return make_card(view, post), _card_inputs(view, post), _view_inputs(view)

    card, *before = inputs(base)
    changes = {
        "title": inputs(replace(base, title="A, again")),
        "date": inputs(replace(base, date=parse_date("2024-01-03"))),
        "time": inputs(replace(base, date=parse_date("2024-01-02T10:00"))),
        "updated": inputs(replace(base, updated=parse_date("2024-03-01"))),
        "authors": inputs(replace(base, authors=("jd", "guest"))),
        "categories": inputs(replace(base, categories=("News",))),
        "tags": inputs(replace(base, tags=("x",))),
        "reading time": inputs(replace(base, words=650)),
        "excerpt": inputs(replace(base, excerpt=((("", "Hello"),),))),
        "a link's title": inputs(base, link={**titles, ("ref", "intro"): "Getting started"}),
        "image": inputs(replace(base, image="b.png")),
        "image alt": inputs(replace(base, image_alt="A B")),
        "status": inputs(replace(base, draft=True)),
        "pinned": inputs(replace(base, pinned=True)),
        "external": inputs(replace(base, external_link="https://example.org/a")),
        "an author's name": inputs(base, replace(cfg, authors={
            "jd": Author(key="jd", name="J. Doe")})),
        "date format": inputs(base, replace(cfg, date_format="d MMMM y")),
        "reading speed": inputs(base, replace(cfg, words_per_minute=100)),
    }
    for what, changed in changes.items():
        new_card, *after = changed
        assert new_card != card, f"{what}: the card should change"
        assert after != before, f"{what}: the card changed but the digest inputs did not"
    # the word count within the same reading time changes neither
    same_card, *same = inputs(replace(base, words=460))
    assert same_card == card and same == before
