"""Search engines and link previews: description, canonical, Open Graph, Twitter, JSON-LD.

Real builds of ``tests/roots/test-feeds`` (``blogposts_baseurl = "https://example.org/"``) and
of ``tests/roots/test-escape`` for escaping.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers import build, soup

BASE = "https://example.org/"
NOW = "1767225600"  # 2026-01-01
LIVE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def now() -> Any:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", NOW)
        yield


def make(rootdir: Path, base: Path, root: str = "feeds", builder: str = "html",
         **overrides: Any) -> SphinxTestApp:
    src = base / "src"
    shutil.copytree(rootdir / f"test-{root}", src)
    return build(src, builder, out=base / "out", confoverrides=overrides)


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory, now: None) -> Path:
    return Path(make(rootdir, tmp_path_factory.mktemp("seo")).outdir)


def props(page: BeautifulSoup, key: str) -> list[str]:
    """The contents of every ``<meta property=key>`` or ``<meta name=key>``."""
    return [str(m["content"]) for m in page.select(f'meta[property="{key}"], meta[name="{key}"]')]


def prop(page: BeautifulSoup, key: str) -> str | None:
    found = props(page, key)
    assert len(found) <= 1, (key, found)
    return found[0] if found else None


def json_ld(page: BeautifulSoup) -> list[dict[str, Any]]:
    return [json.loads(s.get_text()) for s in page.select('script[type="application/ld+json"]')]


def canonicals(page: BeautifulSoup) -> list[str]:
    return [str(link["href"]) for link in page.select('link[rel="canonical"]')]


def test_post_open_graph(site: Path) -> None:
    page = soup(site / "blog/posts/alpha.html")
    assert prop(page, "og:type") == "article"
    assert prop(page, "og:title") == "Alpha post"
    assert prop(page, "og:description") == "The alpha post, described."
    assert prop(page, "og:url") == f"{BASE}blog/posts/alpha.html"
    assert prop(page, "og:site_name") == "Feeds"
    assert prop(page, "og:image") == f"{BASE}_images/cover.png"
    assert (site / "_images/cover.png").is_file()
    assert prop(page, "og:image:alt") == "A blue square"
    assert prop(page, "article:published_time") == "2024-01-10T08:00:00+01:00"
    assert prop(page, "article:modified_time") == "2024-02-01"
    assert props(page, "article:tag") == ["python", "sphinx"]
    assert props(page, "article:author") == ["https://example.org/jane", "Sam Roe"]
    assert prop(page, "article:section") == "Tutorials"


def test_post_twitter_card(site: Path) -> None:
    alpha = soup(site / "blog/posts/alpha.html")
    assert prop(alpha, "twitter:card") == "summary_large_image"
    assert prop(alpha, "twitter:title") == "Alpha post"
    assert prop(alpha, "twitter:description") == "The alpha post, described."
    assert prop(alpha, "twitter:image") == f"{BASE}_images/cover.png"
    beta = soup(site / "blog/posts/beta.html")
    assert prop(beta, "twitter:card") == "summary"
    assert prop(beta, "twitter:image") is None
    assert prop(beta, "og:image") is None
    assert prop(beta, "og:description") == "The first paragraph of beta."  # the excerpt
    assert prop(beta, "article:modified_time") is None


def test_post_description_and_blog_posting(site: Path) -> None:
    page = soup(site / "blog/posts/alpha.html")
    assert prop(page, "description") == "The alpha post, described."
    [data] = json_ld(page)
    assert data["@type"] == "BlogPosting"
    assert data["url"] == f"{BASE}blog/posts/alpha.html"
    assert data["image"] == f"{BASE}_images/cover.png"


def test_canonical_once_on_blog_pages(site: Path) -> None:
    for rel in ("blog/posts/alpha.html", "blog/index.html", "blog/category/tutorials.html",
                "blog/tag/python.html", "blog/archive.html"):
        assert canonicals(soup(site / rel)) == [BASE + rel], rel


def test_blog_index(site: Path) -> None:
    page = soup(site / "blog/index.html")
    assert prop(page, "description") == "Posts about feeds & sharing."
    assert prop(page, "og:type") == "website"
    assert prop(page, "og:title") == "Feeds blog"
    assert prop(page, "og:url") == f"{BASE}blog/index.html"
    assert prop(page, "og:description") == "Posts about feeds & sharing."
    assert prop(page, "twitter:card") == "summary"
    [data] = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Blog"
    assert data["name"] == "Feeds blog"
    assert data["url"] == f"{BASE}blog/index.html"
    assert data["description"] == "Posts about feeds & sharing."
    assert [p["headline"] for p in data["blogPost"]] == ["Beta post", "Gamma post", "Alpha post"]
    assert data["blogPost"][0]["url"] == f"{BASE}blog/posts/beta.html"
    assert all(p["@type"] == "BlogPosting" for p in data["blogPost"])


def test_category_page(site: Path) -> None:
    page = soup(site / "blog/category/tutorials.html")
    assert prop(page, "description") == "Step-by-step guides for new users."
    assert prop(page, "og:type") == "website"
    assert prop(page, "og:title") == "Category: Tutorials"
    assert prop(page, "og:description") == "Step-by-step guides for new users."
    assert prop(page, "og:image") == f"{BASE}_images/tutorials.png"
    assert prop(page, "twitter:card") == "summary_large_image"
    assert json_ld(page) == []


def test_other_pages(site: Path) -> None:
    tag = soup(site / "blog/tag/python.html")
    assert prop(tag, "description") is None
    assert prop(tag, "og:title") == "Tag: python"
    assert prop(tag, "og:description") is None
    # a document that is not a post is left to the site (and sphinxext-opengraph)
    home = soup(site / "index.html")
    assert prop(home, "og:title") is None and canonicals(home) == []


def test_html_baseurl_canonical_not_duplicated(rootdir: Path, tmp_path: Path) -> None:
    out = Path(make(rootdir, tmp_path, blogposts_baseurl="", html_baseurl=BASE).outdir)
    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        rel = path.relative_to(out).as_posix()
        assert canonicals(soup(path)) == [BASE + rel], rel
    assert prop(soup(out / "blog/posts/alpha.html"), "og:url") == f"{BASE}blog/posts/alpha.html"


def test_without_base_url(rootdir: Path, tmp_path: Path) -> None:
    out = Path(make(rootdir, tmp_path, blogposts_baseurl="").outdir)
    for rel in ("blog/posts/alpha.html", "blog/index.html", "blog/category/tutorials.html"):
        page = soup(out / rel)
        assert prop(page, "description"), rel
        assert not page.select('meta[property^="og:"], meta[property^="article:"]'), rel
        assert not page.select('meta[name^="twitter:"]'), rel
        assert canonicals(page) == [], rel
    [blog] = json_ld(soup(out / "blog/index.html"))
    assert "url" not in blog and "url" not in blog["blogPost"][0]
    [posting] = json_ld(soup(out / "blog/posts/alpha.html"))
    assert "url" not in posting and "image" not in posting


def test_dirhtml_sub_path(rootdir: Path, tmp_path: Path) -> None:
    base = "https://example.org/en/latest/"
    out = Path(make(rootdir, tmp_path, builder="dirhtml", blogposts_baseurl=base).outdir)
    page = soup(out / "blog/posts/alpha/index.html")
    assert prop(page, "og:url") == f"{base}blog/posts/alpha/"
    assert prop(page, "og:image") == f"{base}_images/cover.png"
    assert canonicals(page) == [f"{base}blog/posts/alpha/"]
    assert canonicals(soup(out / "blog/index.html")) == [f"{base}blog/"]


# -- escaping ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def escape(rootdir: Path, tmp_path_factory: pytest.TempPathFactory, now: None) -> Path:
    return Path(make(rootdir, tmp_path_factory.mktemp("seo-escape"), root="escape").outdir)


def test_escaped_tags_read_back_as_written(escape: Path) -> None:
    path = escape / "blog/posts/evil.html"
    text = path.read_text(encoding="utf-8")
    assert LIVE not in text
    page = BeautifulSoup(text, "html.parser")
    title = f"Title & {LIVE}"
    assert prop(page, "og:title") == title
    assert prop(page, "twitter:title") == title
    assert prop(page, "og:description") == f"Desc & {LIVE}"
    assert f"Tag & {LIVE}" in props(page, "article:tag")
    assert prop(page, "article:section") == f"Cat & {LIVE}"
    assert f"Author & {LIVE}" in props(page, "article:author")
    assert 'content="Title &amp; &lt;script&gt;alert(1)&lt;/script&gt;"' in text


def test_escaped_json_ld_blog(escape: Path) -> None:
    text = (escape / "blog/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    [script] = page.select('script[type="application/ld+json"]')
    assert "<" not in script.get_text()
    data = json.loads(script.get_text())
    assert f"Title & {LIVE}" in [p["headline"] for p in data["blogPost"]]
    assert LIVE not in text


def test_escaped_category_description(rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-feeds", src)
    cats = src / "categories.md"
    cats.write_text(cats.read_text().replace("Announcements.", "News & \\<script>x\\</script>"))
    out = Path(build(src, out=tmp_path / "out").outdir)
    text = (out / "blog/category/news.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    assert prop(page, "description") == "News & <script>x</script>"
    assert prop(page, "og:description") == "News & <script>x</script>"
    assert "<script>x" not in text


# -- with sphinxext-opengraph ---------------------------------------------------------------


@pytest.fixture(scope="module")
def opengraph(rootdir: Path, tmp_path_factory: pytest.TempPathFactory,
              now: None) -> SphinxTestApp:
    pytest.importorskip("sphinxext.opengraph")
    base = tmp_path_factory.mktemp("seo-ogp")
    src = base / "src"
    shutil.copytree(rootdir / "test-feeds", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("sphinxext.opengraph")\n'
                   f'ogp_site_url = "{BASE}"\nogp_social_cards = {{"enable": False}}\n')
    return build(src, out=base / "out")


def test_opengraph_no_tag_twice(opengraph: SphinxTestApp) -> None:
    out = Path(opengraph.outdir)
    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = soup(path)
        keys = Counter(str(m.get("property") or m.get("name")) for m in page.select("meta")
                       if m.get("property") or m.get("name"))
        twice = {k: n for k, n in keys.items() if n > 1 and k.startswith(("og:", "twitter:"))}
        assert twice == {}, (path, twice)
        assert keys["description"] <= 1, path
        assert len(canonicals(page)) <= 1, path


def test_opengraph_gets_the_post_metadata(opengraph: SphinxTestApp) -> None:
    out = Path(opengraph.outdir)
    assert "WARNING" not in opengraph.warning.getvalue()
    page = soup(out / "blog/posts/alpha.html")
    assert prop(page, "og:description") == "The alpha post, described."
    assert prop(page, "og:type") == "article"
    assert prop(page, "og:image") == f"{BASE}_images/cover.png"
    assert prop(page, "og:image:alt") == "A blue square"
    assert prop(page, "og:title") == "Alpha post"
    assert prop(page, "description") == "The alpha post, described."
    assert props(page, "article:tag") == ["python", "sphinx"]
    assert prop(page, "twitter:card") == "summary_large_image"
    # the env's metadata is left as read
    assert not [k for k in opengraph.env.metadata["blog/posts/alpha"] if k.startswith("og:")]
    # the generated pages, which sphinxext-opengraph does not handle, still have their tags
    index = soup(out / "blog/index.html")
    assert prop(index, "og:title") == "Feeds blog"
    assert prop(index, "og:type") == "website"
    # documents are its business alone
    home = soup(out / "index.html")
    assert prop(home, "og:title") == "Home"


def test_opengraph_author_fields_win(rootdir: Path, tmp_path: Path) -> None:
    pytest.importorskip("sphinxext.opengraph")
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-feeds", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("sphinxext.opengraph")\n'
                   f'ogp_site_url = "{BASE}"\nogp_social_cards = {{"enable": False}}\n')
    post = src / "blog/posts/beta.md"
    post.write_text(post.read_text().replace(
        "---\n# Beta", "og:description: Told by the author.\n---\n# Beta"))
    app = build(src, out=tmp_path / "out")
    assert "WARNING" not in app.warning.getvalue()
    out = Path(app.outdir)
    page = soup(out / "blog/posts/beta.html")
    assert props(page, "og:description") == ["Told by the author."]
