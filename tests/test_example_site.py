"""The example site builds with -W under html and dirhtml, as the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import body, soup

EXAMPLE = Path(__file__).parents[1] / "example_site"


@pytest.fixture(scope="module", params=["html", "dirhtml"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", request.param,
         "-d", str(out / ".doctrees"), str(EXAMPLE), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return out


def test_ten_posts_in_tutorials(built: Path) -> None:
    index = built / "blog/category/tutorials.html"
    if not index.exists():
        index = built / "blog/category/tutorials/index.html"
    cards = body(index).select(".blogposts-card")
    assert len(cards) == 10


def _page(built: Path, name: str) -> Path:
    flat = built / f"{name}.html"
    return flat if flat.exists() else built / name / "index.html"


def test_two_blogs_side_by_side(built: Path) -> None:
    """The seeds are the notes blog's posts, the release posts the news blog's; each blog
    lists its own and links the other's index."""
    notes = [a.get_text() for a in body(_page(built, "blog/index")).select(
        ".blogposts-card-title a")]
    news = [a.get_text() for a in body(_page(built, "news/index")).select(
        ".blogposts-card-title a")]
    assert news == ["Platform 2.0 is out", "Platform 1.9: faster rollbacks"]
    assert len(notes) == 10 and not set(notes) & set(news)
    # the theme's navigation marks the blog of the page
    post = _page(built, "news/posts/platform-2-0")
    marked = {a.get_text(): a.get("aria-current") for a in soup(post).select(".bp-nav a")}
    assert marked["News"] == "true" and marked["Blog"] is None
    releases = body(_page(built, "news/category/releases")).select(".blogposts-card")
    assert len(releases) == 2
    assert not (built / "blog/category/releases.html").exists()
    assert not (built / "blog/category/releases/index.html").exists()


def test_titles_that_begin_alike_get_distinct_readable_urls(built: Path) -> None:
    posts = sorted(p.name for p in (EXAMPLE / "blog/posts").glob("stop-chasing-*.md"))
    assert len(posts) == 2
    assert posts[0] != posts[1]
    for name in posts:
        stem = name.removesuffix(".md")
        assert stem.isascii() and stem == stem.lower() and " " not in stem
        assert (built / f"blog/posts/{stem}.html").exists() or (
            built / f"blog/posts/{stem}/index.html").exists()


def test_every_post_has_header_and_footer(built: Path) -> None:
    pages = sorted((built / "blog/posts").rglob("*.html"))
    assert len(pages) == 10
    for page in pages:
        main = body(page)
        header = main.select_one(".blogposts-post-header")
        assert header is not None, page
        assert header.select_one("time[datetime]") is not None
        assert "Alex Rivera" in header.get_text()
        assert 2 <= len(header.select("a.blogposts-tag")) <= 4
        assert main.select_one(".blogposts-post-footer") is not None, page


def test_every_local_link_resolves(built: Path) -> None:
    """Each href and src that points inside the site names a file that exists."""
    from urllib.parse import unquote, urlsplit

    from helpers import soup

    broken = []
    for page in built.rglob("*.html"):
        for tag in soup(page).select("[href], [src]"):
            url = str(tag.get("href") or tag.get("src"))
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path or url.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built)} -> {url}")
    assert broken == []


@pytest.mark.parametrize(
    "builder", ["singlehtml", "epub", "latex", "text", "man", "gettext", "linkcheck"]
)
def test_every_builder_succeeds_with_w(builder: str, tmp_path: Path) -> None:
    # the machine has no network: linkcheck checks the internal links only
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", builder,
         "-D", "linkcheck_ignore=https?://.*", "-d", str(tmp_path / ".doctrees"),
         str(EXAMPLE), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    if builder == "text":
        post = next((tmp_path / "out/blog/posts").glob("stop-chasing-*billing*.txt"))
        text = " ".join(post.read_text().split())
        assert "By Alex Rivera" in text and "In Tutorials" in text
    if builder == "linkcheck":
        report = (tmp_path / "out/output.txt").read_text()
        assert "broken" not in report
