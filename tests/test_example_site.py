"""The example site builds with -W under html and dirhtml, as the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import body

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
