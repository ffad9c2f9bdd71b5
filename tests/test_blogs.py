"""Several blogs in one site (``blogposts_blogs``), from real builds of
``tests/roots/test-blogs``: "News" (``news/``, its posts under ``news/posts/``) and
"Engineering" (``eng/``, posts under ``engineering/`` and one elsewhere that names its blog,
Atom only, drafts shown), and the index of all posts at ``blog/`` (``blogposts_all_posts``).

The root is built once per module and shared; the edit matrix builds its own copies.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sphinx.errors import ConfigError
from sphinx.util.console import strip_escape_sequences

from helpers import BuiltSite, build, diff_trees, edit_and_rebuild, run_cli, soup

NOW = "1767225600"  # 2026-01-01

#: every page and feed each blog gets (and none other): the URLs of the closing note
NEWS = {
    "news/index.html", "news/page/2.html", "news/archive.html",
    "news/category/index.html", "news/category/releases.html",
    "news/category/releases/page/2.html", "news/tag/index.html", "news/tag/release.html",
    "news/tag/python.html", "news/author/index.html", "news/author/jane.html",
    "news/atom.xml", "news/rss.xml", "news/feed.json",
    "news/category/releases/atom.xml", "news/category/releases/rss.xml",
}
ENGINEERING = {
    "eng/index.html", "eng/archive.html", "eng/category/index.html",
    "eng/category/performance.html", "eng/category/culture.html", "eng/tag/index.html",
    "eng/tag/python.html", "eng/tag/cache.html", "eng/tag/profiling.html",
    "eng/author/index.html", "eng/author/jane.html", "eng/author/raj.html",
    "eng/series/index.html", "eng/series/speed.html",
    "eng/atom.xml", "eng/category/performance/atom.xml", "eng/category/culture/atom.xml",
}
EVERYTHING = {"blog/index.html", "blog/atom.xml", "blog/rss.xml", "blog/feed.json"}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)


def copy(rootdir: Path, dest: Path, name: str = "blogs") -> Path:
    target = dest / name
    shutil.copytree(rootdir / f"test-{name}", target)
    return target


def built(src: Path, out: Path, **kwargs: Any) -> BuiltSite:
    app = build(src, out=out, **kwargs)
    return BuiltSite(src, Path(app.outdir), strip_escape_sequences(app._status.getvalue()),
                     strip_escape_sequences(app._warning.getvalue()), app=app)


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", NOW)
        work = tmp_path_factory.mktemp("blogs")
        yield built(copy(rootdir, work), work / "out")


def generated(outdir: Path) -> set[str]:
    """Every output file under the blogs' folders (the generated pages and feeds)."""
    return {p.relative_to(outdir).as_posix() for folder in ("news", "eng", "blog")
            if (outdir / folder).is_dir() for p in (outdir / folder).rglob("*")
            if p.is_file() and p.suffix in (".html", ".xml", ".json")
            and not p.relative_to(outdir).as_posix().startswith("news/posts/")}


def titles(page: Path, selector: str) -> list[str]:
    return [" ".join(e.get_text(" ").split()) for e in soup(page).select(selector)]


def hrefs(page: Path, selector: str) -> list[str]:
    return [str(a["href"]) for a in soup(page).select(selector)]


def test_each_blog_gets_its_own_pages_and_feeds(site: BuiltSite) -> None:
    assert site.ours() == [], site.warnings
    assert generated(site.outdir) == NEWS | ENGINEERING | EVERYTHING
    # the all-posts index has its list pages and site feeds only: no taxonomy pages
    assert not (site.outdir / "blog/category").exists()


def test_taxonomies_are_per_blog(site: BuiltSite) -> None:
    dated = ".blogposts-archive-list a"
    assert titles(site.page("news/tag/python"), dated) == ["Version 2.0"]
    assert titles(site.page("eng/tag/python"), dated) == ["How the cache works"]
    assert titles(site.page("eng/category/culture"), ".blogposts-card-title") == [
        "Hello from the team"]
    # each blog's own title, description and posts per page
    index = site.page("news/index")
    assert titles(index, "h1") == ["News"]
    assert "Releases and announcements." in index.read_text()
    assert len(titles(index, ".blogposts-card-title")) == 2  # posts_per_page 2: 3 posts
    assert titles(site.page("eng/index"), "h1") == ["Engineering"]
    # the draft of a blog that shows drafts is listed there, with its status
    assert "What comes next" in titles(site.page("eng/index"), ".blogposts-card-title")
    assert "What comes next" not in site.page("news/archive").read_text()
    # a post's default author is its blog's (engineering: raj)
    assert "Raj Patel" in site.page("engineering/profiling").read_text()


def test_neighbours_related_and_series_stay_in_the_blog(site: BuiltSite) -> None:
    footer = site.page("news/posts/v2")
    links = hrefs(footer, ".blogposts-post-footer a")
    assert {Path(h).name for h in links} == {"v1.html", "v3.html"}
    caching = hrefs(site.page("engineering/caching"), ".blogposts-prevnext a")
    # engineering in date order: caching (02-01), hello (03-15), profiling (04-01); v2
    # (news, 03-01) is between them by date but in another blog
    assert [Path(h).name for h in caching] == ["hello.html"]
    series = titles(site.page("eng/series/speed"), ".blogposts-card-title")
    assert series == ["How the cache works", "Profiling a build"]


def test_widgets_show_the_blog_of_the_page(site: BuiltSite) -> None:
    recent = ".blogposts-sidebar-recent li a"
    assert titles(site.page("news/posts/v1"), recent) == [
        "Version 3.0", "Version 2.0", "Version 1.0"]
    eng = titles(site.page("engineering/caching"), recent)
    assert eng == ["What comes next", "Profiling a build", "Hello from the team",
                   "How the cache works"]
    assert titles(site.page("eng/tag/cache"), recent) == eng  # a generated page of the blog
    # a page outside every blog's folder shows the first blog's
    assert titles(site.page("guide"), recent) == titles(site.page("news/posts/v1"), recent)
    # categories link to the blog's own pages
    assert hrefs(site.page("engineering/caching"), ".blogposts-sidebar-categories a") == [
        "../eng/category/culture.html", "../eng/category/performance.html"]
    # on the all-posts index, each blog's categories, linked to their blog's pages
    assert hrefs(site.page("blog/index"), ".blogposts-sidebar-categories a") == [
        "../news/category/releases.html", "../eng/category/culture.html",
        "../eng/category/performance.html"]


def test_postlist_takes_a_blog(site: BuiltSite) -> None:
    guide = site.page("guide")
    lists = soup(guide).select("section section")
    shown = [[" ".join(a.get_text(" ").split()) for a in s.select("a.reference")
              if "posts/" in a["href"] or "engineering/" in a["href"] or "misc/" in a["href"]]
             for s in lists]
    assert shown[0] == ["What comes next", "Profiling a build", "Hello from the team",
                        "How the cache works"]
    assert shown[1] == ["Version 3.0", "Version 2.0"]  # no :blog:: the page's (the first)
    assert shown[2] == ["Version 3.0", "What comes next", "Profiling a build",
                        "Hello from the team", "Version 2.0", "How the cache works",
                        "Version 1.0"]


def test_all_posts_index_links_each_post_to_its_own_blog(site: BuiltSite) -> None:
    page = site.page("blog/index")
    assert titles(page, "h1") == ["Everything"]
    assert titles(page, ".blogposts-card-title") == [
        "Version 3.0", "What comes next", "Profiling a build", "Hello from the team",
        "Version 2.0", "How the cache works", "Version 1.0"]
    chips = dict(zip(titles(page, ".blogposts-card .blogposts-category"),
                     hrefs(page, ".blogposts-card a.blogposts-category"), strict=False))
    assert chips["Releases"] == "../news/category/releases.html"
    assert chips["Performance"] == "../eng/category/performance.html"
    # the generated pages say which blogs the site has and which one they are of
    nav = soup(site.page("eng/tag/cache")).select(".blogposts-blogs a")
    assert [(a.get_text(), a.get("aria-current")) for a in nav] == [
        ("News", None), ("Engineering", "true"), ("Everything", None)]


def test_feeds_are_per_blog_and_valid(site: BuiltSite) -> None:
    def entries(name: str) -> list[str]:
        feed = feedparser.parse((site.outdir / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        return [e.link.removeprefix("https://example.org/docs/") for e in feed.entries]

    assert entries("news/atom.xml") == ["news/posts/v3.html", "news/posts/v2.html",
                                        "news/posts/v1.html"]
    assert entries("news/rss.xml") == entries("news/atom.xml")
    # drafts are in no feed, even in a blog that lists them
    assert entries("eng/atom.xml") == ["engineering/profiling.html", "misc/hello.html",
                                       "engineering/caching.html"]
    assert not (site.outdir / "eng/rss.xml").exists()  # feeds: ["atom"]
    assert entries("blog/atom.xml") == [
        "news/posts/v3.html", "engineering/profiling.html", "misc/hello.html",
        "news/posts/v2.html", "engineering/caching.html", "news/posts/v1.html"]
    assert feedparser.parse((site.outdir / "eng/atom.xml").read_bytes()).feed.title == (
        "Engineering")
    # a post links its own blog's feed, a docs page outside the blogs every blog's
    post = soup(site.page("engineering/caching"))
    feeds = {str(link["href"]) for link in post.select("link[rel=alternate]")}
    base = "https://example.org/docs/"
    assert f"{base}eng/atom.xml" in feeds and not any("news/" in f for f in feeds)
    guide = {str(link["href"]) for link in soup(site.page("guide")).select(
        "link[rel=alternate]")}
    assert {f"{base}news/atom.xml", f"{base}eng/atom.xml", f"{base}blog/atom.xml"} <= guide


def test_a_post_names_its_blog(site: BuiltSite) -> None:
    # misc/hello: outside every pattern and folder, ``blog: engineering``
    assert "Hello from the team" in titles(site.page("eng/category/culture"),
                                           ".blogposts-card-title")
    assert "Hello from the team" not in site.page("news/archive").read_text()


def test_the_theme_marks_the_blog_of_the_page(rootdir: Path, tmp_path: Path) -> None:
    result = built(copy(rootdir, tmp_path), tmp_path / "out",
                   confoverrides={"html_theme": "sphinx_blogposts"})
    assert result.ours() == []

    def nav(pagename: str) -> list[tuple[str, str | None]]:
        return [(a.get_text(), a.get("aria-current"))
                for a in soup(result.page(pagename)).select(".bp-nav a")]

    assert nav("news/posts/v2") == [("News", "true"), ("Engineering", None),
                                    ("Everything", None)]
    assert nav("eng/index") == [("News", None), ("Engineering", "page"),
                                ("Everything", None)]
    assert nav("guide") == [("News", None), ("Engineering", None), ("Everything", None)]


def test_mistakes_are_located_warnings_and_the_build_goes_on(rootdir: Path,
                                                               tmp_path: Path) -> None:
    result = built(copy(rootdir, tmp_path, "bad-blogs"), tmp_path / "out")
    found = sorted((w["type"], *result.where(w)) for w in result.ours())
    assert found == [
        ("blogposts.config", "conf.py", 4),  # two blogs on one path
        ("blogposts.metadata", "index.md", 3),  # postlist :blog: nope
        ("blogposts.metadata", "index.md", 7),  # category :blog: nothere
        ("blogposts.metadata", "more/named.md", 3),  # blog: nope
        ("blogposts.metadata", "news/both.md", 1),  # two blogs' patterns
    ]
    messages = " ".join(w["message"] for w in result.ours())
    assert "written to 'news-updates'" in messages
    assert "'news' and 'updates' both match" in messages
    # nothing else is lost: every post is published in the blog the rules give it
    assert "Matched twice" in result.page("news/index").read_text()
    named = result.page("news-updates/index").read_text()
    assert "Names no blog" in named and "Fine" in named  # by its pattern (more/*)
    assert "Matched twice" in result.page("index").read_text()  # the page's blog: news


@pytest.mark.parametrize(("value", "named"), [
    ({"News!": {}}, "blogposts_blogs"),
    ({"news": {"colour": "red"}}, "blogposts_blogs['news']"),
    ({"news": {"posts_per_page": 0}}, "blogposts_blogs['news']['posts_per_page']"),
    ({"news": {"path": "../out"}}, "blogposts_blogs['news']['path']"),
    ({"news": {"drafts": "maybe"}}, "blogposts_blogs['news']['drafts']"),
    (["news"], "blogposts_blogs"),
])
def test_a_bad_blog_is_a_config_error_naming_it(rootdir: Path, tmp_path: Path, value: Any,
                                                named: str) -> None:
    src = copy(rootdir, tmp_path)
    with pytest.raises(ConfigError, match=re.escape(f"`{named}")):
        build(src, out=tmp_path / "out", confoverrides={"blogposts_blogs": value})


# -- rebuilds ---------------------------------------------------------------------------------

def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(src: Path) -> None:
        target = src / path
        text = target.read_text(encoding="utf-8")
        assert old in text, (path, old)
        target.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _move(old: str, new: str) -> Callable[[Path], None]:
    def edit(src: Path) -> None:
        (src / new).parent.mkdir(parents=True, exist_ok=True)
        (src / old).rename(src / new)
    return edit


EDITS: dict[str, Callable[[Path], None]] = {
    "a post names another blog": _replace("misc/hello.md", "blog: engineering", "blog: news"),
    "a post moves to another blog's folder": _move("news/posts/v3.md", "engineering/v3.md"),
    "a post's blog: is removed": _replace("misc/hello.md", "blog: engineering\n", ""),
    "a blog is renamed and moved": _replace(
        "conf.py", '"path": "eng",', '"path": "engineering-blog",'),
    "the all-posts index is turned off": _replace(
        "conf.py", "blogposts_all_posts = True", "blogposts_all_posts = False"),
}


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.timeout(300)
def test_incremental_equals_clean(rootdir: Path, tmp_path: Path, edit: str,
                                  parallel: int) -> None:
    src = copy(rootdir, tmp_path)
    incremental, clean = edit_and_rebuild(src, tmp_path, EDITS[edit], parallel=parallel)
    assert diff_trees(Path(incremental.outdir), Path(clean.outdir)) == []


@pytest.mark.timeout(300)
def test_parallel_equals_serial(site: BuiltSite, tmp_path: Path) -> None:
    parallel = build(site.srcdir, out=tmp_path / "j2", parallel=2)
    assert diff_trees(Path(parallel.outdir), site.outdir) == []


# -- the command line -------------------------------------------------------------------------

run = run_cli


def test_cli_lists_and_starts_posts_per_blog(rootdir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = copy(rootdir, tmp_path)
    code, out, _err = run(["list", "--blog", "engineering", "--source", str(src)], capsys)
    assert code == 0
    assert [line.split()[-1].split("/blogs/")[-1] for line in out.splitlines()] == [
        "engineering/next.md", "engineering/profiling.md", "misc/hello.md",
        "engineering/caching.md"]
    code, out, _err = run(["list", "--source", str(src)], capsys)
    assert "news: Releases" in out and "engineering: Culture" in out
    # into the blog's pattern folder; blog: only where the place would not say it
    code, out, _err = run(["new", "Version 4", "--blog", "news", "--source", str(src)],
                          capsys)
    assert code == 0
    text = (src / "news/posts/version-4.md").read_text()
    assert "blog:" not in text and "post: true" not in text
    code, out, _err = run(["new", "Team notes", "--blog", "engineering", "--dir", "misc",
                           "--source", str(src)], capsys)
    assert code == 0
    assert "post: true\nblog: engineering\n" in (src / "misc/team-notes.md").read_text()
    code, _out, err = run(["new", "X", "--blog", "nope", "--source", str(src)], capsys)
    assert code == 2 and "not a blog of blogposts_blogs (news, engineering)" in err
    code, _out, err = run(["list", "--blog", "news", "--source", str(rootdir / "test-feeds")],
                          capsys)
    assert code == 2 and "the site declares none" in err
    # what the CLI wrote, the build reads into the same blogs
    result = built(src, tmp_path / "out")
    assert "Version 4" in result.page("news/index").read_text()
    assert "Team notes" in result.page("eng/index").read_text()


def test_a_sidebar_template_names_a_blog(rootdir: Path, tmp_path: Path) -> None:
    """The template of docs/howto/several-blogs.md, as written, shows the named blog on
    every page (here on the other blog's posts)."""
    howto = (Path(__file__).parents[1] / "docs/howto/several-blogs.md").read_text()
    template = re.search(r"```html\+jinja\n(\{# _templates/news-sidebar.html #\}\n.*?)```",
                         howto, re.S)
    assert template is not None
    src = copy(rootdir, tmp_path)
    (src / "_templates").mkdir()
    (src / "_templates/news-sidebar.html").write_text(template[1])
    result = built(src, tmp_path / "out", confoverrides={
        "templates_path": ["_templates"],
        "html_sidebars": {"**": ["news-sidebar.html", "blogposts/recent.html"]}})
    assert result.ours() == []
    page = result.page("engineering/caching")
    assert titles(page, ".news-sidebar .blogposts-sidebar-recent li a") == [
        "Version 3.0", "Version 2.0", "Version 1.0"]
    # the other widget still shows the page's blog
    assert titles(page, ".sphinxsidebarwrapper > .blogposts-sidebar-recent li a, "
                        "div > nav.blogposts-sidebar-recent li a")[-4:] == [
        "What comes next", "Profiling a build", "Hello from the team", "How the cache works"]


def test_all_posts_without_blogs_is_a_located_warning(rootdir: Path, tmp_path: Path) -> None:
    src = copy(rootdir, tmp_path, "feeds")
    with (src / "conf.py").open("a") as conf:
        conf.write("\nblogposts_all_posts = True\n")
    result = built(src, tmp_path / "out")
    [warning] = result.ours()
    assert warning["type"] == "blogposts.config"
    assert result.where(warning)[0] == "conf.py"
    assert "has no effect without blogposts_blogs" in warning["message"]
    assert result.page("blog/index").is_file()  # the one blog as before


def test_a_later_blog_that_hides_drafts_writes_no_page_for_them(rootdir: Path,
                                                                  tmp_path: Path) -> None:
    """Drafts follow each blog's own policy, whichever blog comes first: the first blog
    showing its drafts does not give a page to the drafts of a blog that hides them."""
    src = copy(rootdir, tmp_path)
    conf = src / "conf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace('"drafts": "show",', '"drafts": "hide",')
    text = text.replace('"posts_per_page": 2,', '"posts_per_page": 2,\n        "drafts": "show",')
    conf.write_text(text, encoding="utf-8")
    result = built(src, tmp_path / "out")
    assert result.ours() == []
    assert not (result.outdir / "engineering/next.html").exists()
    assert "engineering/next" not in (result.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert (result.outdir / "engineering/caching.html").is_file()
