"""Posts as real documentation pages: what real sites broke (issue 20), one test each.

The kitchen-sink root (test_kitchensink.py) covers every construct under every builder; this
module pins the single regressions: excerpts that hold cross-references and inline code,
descriptions cut to size, a ``title`` that renames the page, dates in other notations, generated
pages that meet a user's page in one output file, and parallel builds that fail instead of
hanging.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.util.console import strip_escape_sequences

from helpers import body, build, copy_root, soup, warnings_of

#: a failed build is over in seconds; one still running after this has hung
HANG_LIMIT = 120


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``test-real-posts`` built once (html), without a warning."""
    src = copy_root(rootdir, "real-posts", tmp_path_factory.mktemp("real"))
    app = build(src)
    assert strip_escape_sequences(app.warning.getvalue()) == ""
    return Path(app.outdir)


def meta(page: Path, key: str) -> str:
    found = soup(page).find("meta", attrs={"name": key}) or soup(page).find(
        "meta", attrs={"property": key})
    assert found is not None, key
    return str(found["content"])


# -- excerpts ----------------------------------------------------------------------------------

LINKS_EXCERPT = ("Read Stability policy and Deprecation rules before calling frobnicate() "
                 "(details).")


def test_excerpt_shows_link_titles_and_keeps_inline_code(site: Path) -> None:
    card = next(c for c in body(site / "index.html").select(".blogposts-card")
                if "Links in the first paragraph" in c.get_text())
    excerpt = card.select_one(".blogposts-excerpt")
    assert excerpt is not None
    assert " ".join(excerpt.get_text().split()) == LINKS_EXCERPT
    assert [c.get_text() for c in excerpt.select("code")] == ["frobnicate()"]
    blog = body(site / "blog/index.html")
    assert any(" ".join(e.get_text().split()) == LINKS_EXCERPT and e.select_one("code")
               for e in blog.select(".blogposts-excerpt"))


def test_descriptions_and_feed_summaries_show_link_titles(site: Path) -> None:
    page = site / "blog/posts/links.html"
    assert meta(page, "description") == LINKS_EXCERPT
    assert meta(page, "og:description") == LINKS_EXCERPT
    ld = json.loads(soup(page).find("script", type="application/ld+json").get_text())
    assert ld["description"] == LINKS_EXCERPT
    feed = json.loads((site / "blog/feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"].endswith("/links.html"))
    assert item["summary"].split("\n\n")[0] == LINKS_EXCERPT
    atom = (site / "blog/atom.xml").read_text(encoding="utf-8")
    assert "/stability" not in re.sub(r'href="[^"]*"', "", atom)


def test_a_huge_first_paragraph_gives_a_short_description(site: Path) -> None:
    page = site / "blog/posts/long.html"
    for key in ("description", "og:description"):
        text = meta(page, key)
        assert 100 < len(text) <= 300 and text.endswith("…"), (key, len(text))
        assert text.startswith("word0 word1 word2")
    ld = json.loads(soup(page).find("script", type="application/ld+json").get_text())
    assert len(ld["description"]) <= 300
    assert page.stat().st_size < 400_000  # the 20 000 words once, not five times


# -- title -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "title"), [("retitled", "The title readers see"),
                                             ("untitled", "A post without a heading")])
def test_front_matter_title_is_the_page_heading(site: Path, name: str, title: str) -> None:
    page = soup(site / f"blog/posts/{name}.html")
    assert page.title is not None and page.title.get_text().startswith(title)
    # the document's own heading (an older alabaster has the project's name in an h1 too)
    headings = body(site / f"blog/posts/{name}.html").select("h1")
    assert [h.get_text().rstrip("¶") for h in headings] == [title]
    listed = [a.get_text() for a in body(site / "blog/index.html").select(
        ".blogposts-card-title a")]
    assert title in listed
    assert "A working heading" not in soup(site / f"blog/posts/{name}.html").get_text()


def test_a_moved_post_keeps_its_old_urls(site: Path) -> None:
    """``redirect:`` in front matter: a redirect page at each old name."""
    for old in ("blog/2023/old-title.html", "old/retitled.html"):
        page = soup(site / old)
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh is not None, old
        url = str(refresh["content"]).split("url=", 1)[1]
        assert (site / old).parent.joinpath(url).resolve() == (
            site / "blog/posts/retitled.html").resolve()
        assert page.find("link", rel="canonical")["href"] == (
            "https://example.org/blog/posts/retitled.html")


# -- remote covers -----------------------------------------------------------------------------

def test_remote_cover_in_cards_and_on_the_post(site: Path) -> None:
    cards = body(site / "index.html").select(".blogposts-card img")
    assert "https://example.org/cover.png" in [str(i["src"]) for i in cards]
    cover = body(site / "blog/posts/links.html").select_one(".blogposts-post-header img")
    assert cover is not None and cover["src"] == "https://example.org/cover.png"
    assert cover["alt"] == "A remote cover"
    assert meta(site / "blog/posts/links.html", "og:image") == "https://example.org/cover.png"


# -- date formats ------------------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "shown"), [("%Y-%m-%d", "2024-01-10"),
                                                ("%d %B %Y", "10 January 2024"),
                                                ("d MMM y", "10 Jan 2024")])
def test_date_format_takes_strftime_and_babel_patterns(rootdir: Path, tmp_path: Path,
                                                       pattern: str, shown: str) -> None:
    src = copy_root(rootdir, "real-posts", tmp_path)
    app = build(src, confoverrides={"blogposts_date_format": pattern})
    times = body(Path(app.outdir) / "blog/posts/links.html").select(
        ".blogposts-post-header time")
    assert [t.get_text() for t in times] == [shown]


@pytest.mark.parametrize("pattern", ["'", "%Q", "'never closed"])
def test_a_date_format_that_shows_no_date_is_a_config_error(rootdir: Path, tmp_path: Path,
                                                             pattern: str) -> None:
    src = copy_root(rootdir, "real-posts", tmp_path)
    with pytest.raises(ConfigError, match="blogposts_date_format"):
        build(src, confoverrides={"blogposts_date_format": pattern})


def test_serbian_latin_dates_are_latin() -> None:
    from datetime import date

    from sphinx_blogposts.base.dates import format_day, format_month

    assert format_day(date(2024, 3, 5), None, "sr@latin") == "5. mart 2024."
    assert format_month(2024, 3, "sr@latin") == "mart 2024"
    assert format_month(2024, 3, "sr") == "март 2024"


# -- a user's page and a generated page in one output file -------------------------------------

def test_dirhtml_collisions_keep_the_users_pages(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "collision-output", tmp_path)
    app = build(src, "dirhtml")
    warnings = strip_escape_sequences(app.warning.getvalue())
    found = sorted((w["type"], Path(w["location"]).relative_to(src).as_posix(), w["line"])
                   for w in warnings_of(warnings))
    assert found == [("blogposts.slug", "blog/archive/index.md", "1"),
                     ("blogposts.slug", "blog/category.md", "1")], warnings
    out = Path(app.outdir)
    assert "My own archive" in (out / "blog/archive/index.html").read_text(encoding="utf-8")
    assert "My own categories" in (out / "blog/category/index.html").read_text(encoding="utf-8")
    assert (out / "blog/index.html").is_file()  # the other generated pages are there
    assert (out / "blog/category/notes/index.html").is_file()


def test_html_has_no_collision_there(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "collision-output", tmp_path)
    app = build(src, "html")
    assert strip_escape_sequences(app.warning.getvalue()) == ""
    out = Path(app.outdir)
    assert "My own archive" in (out / "blog/archive/index.html").read_text(encoding="utf-8")
    assert "My own categories" in (out / "blog/category.html").read_text(encoding="utf-8")
    assert body(out / "blog/archive.html").select(".blogposts-archive, .blogposts-page-archive")
    assert (out / "blog/category/index.html").is_file()


# -- a failure under -j 2 ends the build -------------------------------------------------------

FAILING = '''
import os

EVENT = os.environ["FAILING_EVENT"]


def fail(app, *args):
    if "zz-last" in args:
        raise RuntimeError(f"zz-last failed on purpose in {os.getpid()}")


def setup(app):
    app.connect(EVENT, fail)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


@pytest.mark.timeout(HANG_LIMIT + 60)
@pytest.mark.parametrize("event", ["doctree-resolved", "html-page-context"],
                         ids=["main-process", "write-worker"])
def test_an_error_under_j2_ends_the_build(rootdir: Path, tmp_path: Path, event: str) -> None:
    """Sphinx leaves its write workers running when a document fails, in the main process
    (``doctree-resolved``) or in a worker (``html-page-context``); with the blog's pages in
    flight a worker blocked on sending its result, and the build never ended."""
    src = copy_root(rootdir, "real-posts", tmp_path)
    for i in range(40):  # enough documents for chunks of parallel writing
        (src / f"page{i:02}.md").write_text(f"# Page {i}\n\n" + "text " * 3000)
    (src / "zz-last.md").write_text("# Last\n\nThe document that fails.\n")
    (src / "failing.py").write_text(FAILING)
    conf = (src / "conf.py").read_text()
    (src / "conf.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
        + conf.replace('"sphinxext.opengraph"]', '"sphinxext.opengraph", "failing"]')
        + "\nsuppress_warnings = ['toc.not_included']\n")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-j", "2", "-b", "html", "-q", str(src),
         str(tmp_path / "out")],
        capture_output=True, text=True, timeout=HANG_LIMIT, check=False,
        env={**os.environ, "FAILING_EVENT": event})
    assert done.returncode != 0
    assert "zz-last failed on purpose" in done.stderr
