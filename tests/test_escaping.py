"""Titles, names, tags and descriptions are text, never markup, in every output.

``tests/roots/test-escape`` has a post whose title, tag, category, guest author, description
and excerpt each carry ``<script>alert(1)</script>`` and ``&``, between two ordinary posts.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from helpers import soup

LIVE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
#: the field -> its text, as written in blog/posts/evil.md
FIELDS = {
    "title": f"Title & {LIVE}",
    "tag": f"Tag & {LIVE}",
    "category": f"Cat & {LIVE}",
    "author": f"Author & {LIVE}",
    "description": f"Desc & {LIVE}",
    "excerpt": f"Excerpt & {LIVE}",
}
BUILDERS = ("html", "dirhtml")


def escaped(field: str) -> str:
    """The field as it must appear in HTML source: ``&`` and ``<``/``>`` as entities."""
    return FIELDS[field].replace("&", "&amp;").replace(LIVE, ESCAPED)


class Output:
    """One build of the escape root, and where its pages are."""

    def __init__(self, outdir: Path, builder: str, warnings: str) -> None:
        self.outdir = outdir
        self.builder = builder
        self.warnings = warnings

    def page(self, pagename: str) -> Path:
        if self.builder == "dirhtml" and pagename != "index" and not pagename.endswith("/index"):
            return self.outdir / pagename / "index.html"
        return self.outdir / f"{pagename}.html"

    def follow(self, page: Path, href: str) -> Path:
        """The file a relative link of ``page`` points to."""
        target = (page.parent / urldefrag(href).url).resolve()
        if target.is_dir() or href.endswith("/"):
            target = target / "index.html"
        return target

    def linked(self, css: str, text: str) -> Path:
        """The page that the post's header links to by an ``a.<css>`` named ``text``."""
        post = self.page("blog/posts/evil")
        for a in soup(post).select(f".blogposts-post-header a.{css}"):
            if a.get_text() == text:
                return self.follow(post, str(a["href"]))
        raise AssertionError(f"no a.{css} named {text!r} in the post header of {post}")


@pytest.fixture(scope="module", params=BUILDERS)
def out(request: pytest.FixtureRequest, rootdir: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Output:
    builder: str = request.param
    base = tmp_path_factory.mktemp(f"escape-{builder}")
    srcdir = base / "src"
    shutil.copytree(rootdir / "test-escape", srcdir)
    warning = StringIO()
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=base / "_build",
                        status=StringIO(), warning=warning)
    try:
        app.build()
        outdir = Path(app.outdir)
    finally:
        app.cleanup()
    return Output(outdir, builder, strip_escape_sequences(warning.getvalue()))


def markup_files(outdir: Path) -> list[Path]:
    """Every HTML and XML file of the output (feeds included when written)."""
    return sorted(p for p in outdir.rglob("*") if p.suffix in (".html", ".xml")
                  and ".doctrees" not in p.parts)


def test_the_build_is_clean(out: Output) -> None:
    assert "blogposts" not in out.warnings, out.warnings


def test_no_output_file_contains_live_markup(out: Output) -> None:
    files = markup_files(out.outdir)
    assert len(files) > 10
    live = [p.relative_to(out.outdir).as_posix() for p in files
            if LIVE in p.read_text(encoding="utf-8")]
    assert live == []


def test_nothing_is_escaped_twice(out: Output) -> None:
    twice = [p.relative_to(out.outdir).as_posix() for p in markup_files(out.outdir)
             if "&amp;lt;" in (text := p.read_text(encoding="utf-8")) or "&amp;amp;" in text]
    assert twice == []


def _page_has(path: Path, *fields: str) -> None:
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    for field in fields:
        assert escaped(field) in text, f"{field}: {escaped(field)!r} not in {path}"
        # the reader sees the text as written
        assert FIELDS[field] in BeautifulSoup(text, "html.parser").get_text(), field


def test_post_page(out: Output) -> None:
    _page_has(out.page("blog/posts/evil"), "title", "tag", "category", "author")


def test_post_page_meta_description(out: Output) -> None:
    """``description`` is the page's meta description (PRODUCT.md, post metadata)."""
    path = out.page("blog/posts/evil")
    text = path.read_text(encoding="utf-8")
    metas = BeautifulSoup(text, "html.parser").select('meta[name="description"]')
    assert [m.get("content") for m in metas] == [FIELDS["description"]]
    assert escaped("description") in text


def test_neighbour_pages_name_the_post_escaped(out: Output) -> None:
    for neighbour in ("blog/posts/before", "blog/posts/after"):
        _page_has(out.page(neighbour), "title")


def test_blog_index(out: Output) -> None:
    _page_has(out.page("blog/index"), "title", "category", "excerpt")


def test_tag_page(out: Output) -> None:
    path = out.linked("blogposts-tag", FIELDS["tag"])
    _page_has(path, "tag", "title")
    _page_has(out.page("blog/tag/index"), "tag")


def test_category_page(out: Output) -> None:
    path = out.linked("blogposts-category", FIELDS["category"])
    _page_has(path, "category", "title")
    _page_has(out.page("blog/category/index"), "category")


def test_author_page(out: Output) -> None:
    path = out.linked("blogposts-author", FIELDS["author"])
    _page_has(path, "author", "title")
    _page_has(out.page("blog/author/index"), "author")


def test_archive_and_postlist(out: Output) -> None:
    _page_has(out.page("blog/archive"), "title")
    _page_has(out.page("index"), "title", "excerpt")


def test_page_titles_are_escaped(out: Output) -> None:
    """The generated pages' ``<title>`` carries the name as text too."""
    for css, field in (("blogposts-tag", "tag"), ("blogposts-category", "category"),
                       ("blogposts-author", "author")):
        page = soup(out.linked(css, FIELDS[field]))
        assert page.title is not None
        assert FIELDS[field] in page.title.get_text()
