"""Bad input: every problem is a ``blogposts.<subtype>`` warning at its document and line,
the build goes on, and every other post is still published (PRODUCT.md, "Bad input").

Each ``tests/roots/test-bad-*`` site has one bad post (or page) next to two good posts,
``Good one`` and ``Good two``.  Every site is built once per module and shared by its tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from helpers import WARNING_RE, BuiltSite, soup, warnings_of

GOOD_TITLES = ("Good one", "Good two")
GOOD_DOCS = ("blog/posts/good-one", "blog/posts/good-two")
#: one pixel, for an image that exists but lies outside the source directory
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f80f0000010100005b0d0a2d0000000049454e44ae426082"
)


# -- building ------------------------------------------------------------------------------

Site = BuiltSite


def _build(rootdir: Path, base: Path, root: str, buildername: str,
           confoverrides: dict[str, Any], prepare: Callable[[Path], Any] | None) -> Site:
    srcdir = base / "src"
    shutil.copytree(rootdir / f"test-{root}", srcdir)
    extra = prepare(srcdir) if prepare else None
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(buildername, srcdir=srcdir, builddir=base / "_build",
                        confoverrides=confoverrides, status=status, warning=warning)
    try:
        app.build()
        outdir = Path(app.outdir)
    finally:
        app.cleanup()
    site = Site(srcdir, outdir, strip_escape_sequences(status.getvalue()),
                strip_escape_sequences(warning.getvalue()), extra=extra or {})
    site.extra.setdefault("metadata", dict(app.env.metadata))
    return site


@pytest.fixture(scope="module")
def build(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Site]:
    """``build(root, **confoverrides)``: a shared build of ``tests/roots/test-<root>``."""
    cache: dict[str, Site] = {}

    def run(root: str, buildername: str = "html",
            prepare: Callable[[Path], Any] | None = None, **confoverrides: Any) -> Site:
        key = repr((root, buildername, sorted(confoverrides.items())))
        if key not in cache:
            base = tmp_path_factory.mktemp(root)
            cache[key] = _build(rootdir, base, root, buildername, confoverrides,
                                prepare or PREPARE.get(root))
        return cache[key]

    return run


def _outside_image(srcdir: Path) -> dict[str, Any]:
    """A real image at ``../outside.png`` of the source directory, which a post names."""
    target = srcdir.parent / "outside.png"
    target.write_bytes(PNG)
    return {"outside": target}


PREPARE: dict[str, Callable[[Path], Any]] = {"bad-image-outside": _outside_image}


# -- reading output ------------------------------------------------------------------------

def listed(path: Path) -> list[str]:
    """Post titles listed on a generated page (cards, or the archive's lines)."""
    page = soup(path)
    links = page.select(".blogposts-card-title a") + page.select(".blogposts-archive-list a")
    return [a.get_text(strip=True) for a in links]


def is_published_page(site: Site, docname: str) -> bool:
    """The post's own page was written and shows the post header."""
    path = site.page(docname)
    return path.is_file() and soup(path).select_one(".blogposts-post-header") is not None


def finished(site: Site) -> bool:
    return "build succeeded" in site.status


# -- one bad input per site ----------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """A root with one bad input and the warnings it must give."""

    root: str
    #: (subtype, source path relative to the source directory, line)
    expected: tuple[tuple[str, str, int], ...]
    #: the bad post's docname and title, when it should be published anyway
    published: tuple[str, str] | None = None
    #: the bad post's docname, when it must not be published
    unpublished: tuple[str, str] | None = None
    #: whether the expected warnings are all the blogposts warnings of the build
    exact: bool = True
    #: the generated page that lists every published post
    index: str = "blog/index"


CASES = [
    Case("bad-date-missing", (("date", "blog/posts/bad.md", 1),),
         unpublished=("blog/posts/bad", "Undated post")),
    Case("bad-date-invalid", (("date", "blog/bad.md", 4),),
         unpublished=("blog/bad", "Impossible date")),
    Case("bad-updated", (("date", "blog/posts/bad.md", 3),),
         published=("blog/posts/bad", "Bad updated")),
    Case("bad-draft", (("metadata", "blog/posts/bad.md", 4),),
         unpublished=("blog/posts/bad", "Maybe a draft")),
    Case("bad-tag", (("tag", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Mapping tag")),
    Case("bad-category", (("category", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Mapping category")),
    Case("bad-author", (("author", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Author typo")),
    Case("bad-image-missing", (("image", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Missing cover")),
    Case("bad-image-outside", (("image", "blog/outside.md", 4),),
         published=("blog/outside", "Outside cover")),
    Case("bad-image-index", (("image", "blog/indexed.rst", 4),),
         published=("blog/indexed", "Indexed cover")),
    Case("bad-duplicate-post", (("duplicate", "blog/twice.md", 9),),
         published=("blog/twice", "Twice a post")),
    Case("bad-duplicate-category", (("duplicate", "cats-b.md", 5),)),
    Case("bad-slug-category", (("slug", "categories.md", 7),),
         published=("blog/posts/cpp", "Templates in C++")),
    # the location is where the clashing name is written: the post's `tags:` line
    Case("bad-slug-tag", (("slug", "blog/posts/cpp.md", 4),),
         published=("blog/posts/cpp", "Tagged C++")),
    Case("bad-postlist", (("metadata", "lists.md", 5), ("metadata", "lists.md", 11),
                          ("metadata", "lists.md", 17))),
    Case("bad-collision", (("slug", "blog/index.md", 1),), index="blog/archive"),
    # MyST reads no TOML front matter: refused where the fence opens, so the post has no date
    Case("bad-toml", (("metadata", "blog/posts/bad.md", 1), ("date", "blog/posts/bad.md", 4)),
         unpublished=("blog/posts/bad", "TOML front matter")),
    Case("bad-empty-name", (("category", "blog/posts/bad.md", 3),
                            ("tag", "blog/posts/bad.md", 4)),
         published=("blog/posts/bad", "Empty names")),
    # the front matter's date and the post directive's differ: said at the directive
    Case("bad-date-twice", (("date", "blog/posts/bad.md", 7),),
         published=("blog/posts/bad", "Two dates")),
    Case("bad-control", (("metadata", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Bell in the title")),
    Case("bad-redirect", (("metadata", "blog/posts/bad.md", 4),),
         published=("blog/posts/bad", "Moved post")),
    # malformed YAML: the metadata warning at the bad line (a date warning may follow)
    Case("bad-frontmatter", (("metadata", "blog/posts/bad.md", 3),), exact=False,
         unpublished=("blog/posts/bad", "Malformed front matter")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.root)
def test_warning_has_type_subtype_document_and_line(
    build: Callable[..., Site], case: Case
) -> None:
    site = build(case.root)
    got = [(w["type"], *site.where(w)) for w in site.ours()]
    wanted = [(f"blogposts.{subtype}", path, line) for subtype, path, line in case.expected]
    if case.exact:
        assert sorted(got, key=repr) == sorted(wanted, key=repr), site.warnings
    else:
        for item in wanted:
            assert item in got, site.warnings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.root)
def test_build_goes_on_and_other_posts_are_published(
    build: Callable[..., Site], case: Case
) -> None:
    site = build(case.root)
    assert finished(site), site.status
    titles = listed(site.page(case.index))
    for title in GOOD_TITLES:
        assert title in titles, f"{title!r} not listed on {case.index}"
    for docname in GOOD_DOCS:
        assert is_published_page(site, docname), docname


@pytest.mark.parametrize("case", [c for c in CASES if c.published], ids=lambda c: c.root)
def test_post_with_a_recoverable_problem_is_published(
    build: Callable[..., Site], case: Case
) -> None:
    site = build(case.root)
    assert case.published is not None
    docname, title = case.published
    assert title in listed(site.page(case.index))
    assert is_published_page(site, docname)


@pytest.mark.parametrize("case", [c for c in CASES if c.unpublished], ids=lambda c: c.root)
def test_post_that_cannot_be_published_is_listed_nowhere(
    build: Callable[..., Site], case: Case
) -> None:
    site = build(case.root)
    assert case.unpublished is not None
    _docname, title = case.unpublished
    assert title not in listed(site.page(case.index))
    assert title not in listed(site.page("blog/archive"))
    # still a post: no "document isn't included in any toctree" warning for it
    assert "toctree" not in site.warnings


# -- details of single cases ---------------------------------------------------------------

def test_missing_date_message_says_what_to_add(build: Callable[..., Site]) -> None:
    (warning,) = build("bad-date-missing").ours("date")
    assert "date" in warning["message"]


def test_invalid_date_keeps_the_other_front_matter_keys(build: Callable[..., Site]) -> None:
    """MyST would drop the whole front matter over ``2025-13-45`` (myst-parser 3 even stops
    the document); the extension quotes the date first, so MyST keeps the other keys too."""
    site = build("bad-date-invalid")
    assert warnings_of(site.warnings, kind="myst") == []
    # MyST kept the front matter: its keys reach Sphinx's own metadata
    assert site.extra["metadata"]["blog/bad"].get("tags") == '["kept"]'
    # the document is outside blogposts_pattern: only its `post: true` key makes it a post,
    # so the date warning itself proves that the front matter was read
    (warning,) = site.ours("date")
    assert "2025-13-45" in warning["message"]
    assert "isn't included in any toctree" not in site.warnings


def test_invalid_updated_is_ignored_and_tags_still_apply(build: Callable[..., Site]) -> None:
    site = build("bad-updated")
    assert warnings_of(site.warnings, kind="myst") == []
    (warning,) = site.ours("date")
    assert "updated" in warning["message"]
    assert "Bad updated" in listed(site.page("blog/tag/kept"))
    assert "Bad updated" in listed(site.page("blog/category/kept"))
    header = soup(site.page("blog/posts/bad")).select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2024-03-01"]


def test_bad_draft_value_names_the_key(build: Callable[..., Site]) -> None:
    (warning,) = build("bad-draft").ours("metadata")
    assert "draft" in warning["message"] and "maybe" in warning["message"]


def test_mapping_tag_is_dropped_and_the_text_tag_kept(build: Callable[..., Site]) -> None:
    site = build("bad-tag")
    assert "Mapping tag" in listed(site.page("blog/tag/ok"))
    tags = soup(site.page("blog/posts/bad")).select(".blogposts-post-header .blogposts-tag")
    assert [t.get_text(strip=True) for t in tags] == ["ok"]


def test_mapping_category_is_dropped_and_the_text_category_kept(
    build: Callable[..., Site],
) -> None:
    site = build("bad-category")
    assert "Mapping category" in listed(site.page("blog/category/kept"))
    header = soup(site.page("blog/posts/bad")).select_one(".blogposts-post-header")
    assert header is not None
    assert [c.get_text(strip=True) for c in header.select(".blogposts-category")] == ["Kept"]


def test_author_typo_warns_but_a_guest_name_does_not(build: Callable[..., Site]) -> None:
    site = build("bad-author")
    warnings = site.ours("author")
    assert len(warnings) == 1 and "jnae" in warnings[0]["message"]
    assert "Guest Writer" not in site.warnings
    for docname in ("blog/posts/guest", "blog/posts/known"):
        assert is_published_page(site, docname)
    guest = soup(site.page("blog/posts/guest")).select(".blogposts-post-header .blogposts-author")
    assert [a.get_text(strip=True) for a in guest] == ["Guest Writer"]
    known = soup(site.page("blog/posts/known")).select(".blogposts-post-header .blogposts-author")
    assert [a.get_text(strip=True) for a in known] == ["Jane Doe"]


def test_missing_cover_is_left_out(build: Callable[..., Site]) -> None:
    site = build("bad-image-missing")
    header = soup(site.page("blog/posts/bad")).select_one(".blogposts-post-header")
    assert header is not None and header.select("img") == []
    assert not list(site.outdir.rglob("missing*.png"))


def test_cover_outside_the_source_directory_is_not_copied(build: Callable[..., Site]) -> None:
    site = build("bad-image-outside")
    assert site.extra["outside"].is_file()  # the file exists: only its place is wrong
    (warning,) = site.ours("image")
    assert "outside" in warning["message"]
    header = soup(site.page("blog/outside")).select_one(".blogposts-post-header")
    assert header is not None and header.select("img") == []
    assert not list(site.outdir.rglob("outside*.png"))


def test_cover_index_out_of_range_is_left_out(build: Callable[..., Site]) -> None:
    site = build("bad-image-index")
    (warning,) = site.ours("image")
    assert "5" in warning["message"]
    page = soup(site.page("blog/indexed"))
    header = page.select_one(".blogposts-post-header")
    assert header is not None and header.select("img") == []
    assert len(page.select('img[alt="The only image"]')) == 1  # the body image is untouched


def test_second_post_directive_is_ignored(build: Callable[..., Site]) -> None:
    site = build("bad-duplicate-post")
    header = soup(site.page("blog/twice")).select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2024-03-01"]
    assert [t.get_text(strip=True) for t in header.select(".blogposts-tag")] == ["python"]
    assert not site.page("blog/tag/ignored").exists()


def test_second_category_declaration_is_ignored(build: Callable[..., Site]) -> None:
    site = build("bad-duplicate-category")
    (warning,) = site.ours("duplicate")
    assert "Notes" in warning["message"] and "cats-a" in warning["message"]
    description = soup(site.page("blog/category/notes")).select_one(".blogposts-description")
    assert description is not None
    assert "The first declaration." in description.get_text()
    assert "The second declaration" not in description.get_text()


def _list_pages(site: Site, folder: str) -> dict[str, tuple[str, list[str]]]:
    """Heading -> (file name, listed titles) of each list page in an output folder."""
    found = {}
    for path in sorted((site.outdir / folder).glob("*.html")):
        if path.name == "index.html":
            continue
        heading = soup(path).select_one(".blogposts-page h1")
        assert heading is not None
        found[heading.get_text(strip=True)] = (path.name, listed(path))
    return found


def test_categories_that_slug_alike_get_distinct_pages(build: Callable[..., Site]) -> None:
    site = build("bad-slug-category")
    (warning,) = site.ours("slug")
    assert "C++" in warning["message"]
    found = _list_pages(site, "blog/category")
    assert set(found) >= {"C", "C++"}
    assert found["C"][0] != found["C++"][0]
    assert found["C"][1] == ["Pointers in C"]
    assert found["C++"][1] == ["Templates in C++"]


def test_tags_that_slug_alike_get_distinct_pages(build: Callable[..., Site]) -> None:
    site = build("bad-slug-tag")
    found = _list_pages(site, "blog/tag")
    c_page = next(v for k, v in found.items() if k.endswith(" C"))
    cpp_page = next(v for k, v in found.items() if k.endswith(" C++"))
    assert c_page[0] != cpp_page[0]
    assert c_page[1] == ["Tagged C"]
    assert cpp_page[1] == ["Tagged C++"]


def test_bad_postlist_options_fall_back_to_defaults(build: Callable[..., Site]) -> None:
    site = build("bad-postlist")
    messages = " | ".join(w["message"] for w in site.ours("metadata"))
    for word in (":limit:", "lots", ":sort:", "random", ":format:", "table"):
        assert word in messages
    page = soup(site.page("lists"))
    lists = page.select("ul.blogposts-postlist")
    assert len(lists) == 3
    for ul in lists:
        assert "blogposts-list" in ul["class"]  # the default format
        titles = [a.get_text(strip=True) for a in ul.select(".blogposts-post-title")]
        assert titles == ["Good two", "Good one"]  # no limit, newest first


def test_control_characters_reach_no_output(build: Callable[..., Site]) -> None:
    site = build("bad-control")
    for path in site.outdir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js"):
            assert b"\x07" not in path.read_bytes(), path


def test_the_directive_date_wins_over_the_front_matter(build: Callable[..., Site]) -> None:
    page = soup(build("bad-date-twice").page("blog/posts/bad"))
    assert [t["datetime"] for t in page.select(".blogposts-post-header time")] == ["2024-03-09"]


def test_toml_front_matter_is_said_by_check_too(rootdir: Path, tmp_path: Path) -> None:
    """``sphinx-blogposts check`` says what the build says."""
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-bad-toml", src)
    done = subprocess.run([sys.executable, "-m", "sphinx_blogposts", "check"], cwd=src,
                          capture_output=True, text=True, timeout=120, check=False)
    assert "blog/posts/bad.md:1: WARNING: front matter fenced with '+++' (TOML)" in done.stdout
    assert "[blogposts.metadata]" in done.stdout


def test_the_good_redirect_of_a_post_is_written(build: Callable[..., Site]) -> None:
    site = build("bad-redirect")
    page = site.outdir / "blog/old-name.html"
    assert 'url=posts/bad.html"' in page.read_text(encoding="utf-8")
    assert not (site.outdir.parent / "outside.html").exists()


def test_document_at_a_generated_page_is_kept(build: Callable[..., Site]) -> None:
    site = build("bad-collision")
    page = soup(site.page("blog/index"))
    assert "My own blog index" in page.get_text()
    assert page.select(".blogposts-page-index") == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.root)
def test_every_warning_is_one_line_in_the_standard_format(
    build: Callable[..., Site], case: Case
) -> None:
    """``path:line: WARNING: message [type.subtype]``, one line each, so tools can parse it."""
    site = build(case.root)
    for line in site.warnings.splitlines():
        assert WARNING_RE.match(line), f"not a one-line warning: {line!r}"


# -- suppress_warnings and -W --------------------------------------------------------------

def test_suppress_warnings_silences_exactly_the_date_warnings(
    build: Callable[..., Site],
) -> None:
    loud = build("bad-suppress")
    assert sorted((w["type"], *loud.where(w)) for w in loud.ours()) == [
        ("blogposts.date", "blog/posts/bad-updated.md", 3),
        ("blogposts.date", "blog/posts/no-date.md", 1),
        ("blogposts.tag", "blog/posts/bad-tag.md", 3),
    ]
    quiet = build("bad-suppress", suppress_warnings=["blogposts.date"])
    assert quiet.ours("date") == []
    assert [(w["type"], *quiet.where(w)) for w in quiet.ours()] == [
        ("blogposts.tag", "blog/posts/bad-tag.md", 3)
    ]
    assert finished(quiet)
    titles = listed(quiet.page("blog/index"))
    for title in (*GOOD_TITLES, "Bad updated", "Bad tag"):
        assert title in titles


def test_suppressing_another_kind_keeps_the_date_warnings(build: Callable[..., Site]) -> None:
    site = build("bad-suppress", suppress_warnings=["blogposts.tag"])
    assert site.ours("tag") == []
    assert len(site.ours("date")) == 2


def _sphinx(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # warning types are shown by default from Sphinx 8; ask for them on 7.x too
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-D", "show_warning_types=1", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )


def test_dash_w_fails_on_a_bad_date(rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-bad-date-missing", src)
    plain = _sphinx("-q", "-b", "html", src, tmp_path / "plain", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "blogposts.date" in plain.stderr
    strict = _sphinx("-W", "-q", "-b", "html", src, tmp_path / "strict", cwd=tmp_path)
    assert strict.returncode != 0
    assert "blogposts.date" in strict.stderr


# -- bad conf.py values --------------------------------------------------------------------

BAD_CONF = [
    ("blogposts_posts_per_page", '"ten"'),
    ("blogposts_authors", '["x"]'),
    ("blogposts_drafts", '"maybe"'),
    ("blogposts_feed_length", "0"),
    ("blogposts_path", '"../outside"'),
    ("blogposts_feeds", '["atom", "pdf"]'),
    ("blogposts_pattern", "[1]"),
    ("blogposts_categories", '{"News": 5}'),
]


@pytest.mark.parametrize(("name", "value"), BAD_CONF, ids=[n for n, _ in BAD_CONF])
def test_bad_conf_value_is_a_clean_error(
    rootdir: Path, tmp_path: Path, name: str, value: str
) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-bad-conf", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"{name} = {value}\n")
    result = _sphinx("-b", "html", src, tmp_path / "out", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert name in result.stderr
    assert "must be" in result.stderr
    assert "Configuration error" in result.stderr
    assert "Traceback (most recent call last)" not in output
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    # a str for an int value would be dropped by Sphinx's own override conversion
    [("blogposts_posts_per_page", 0), ("blogposts_authors", ["x"]),
     ("blogposts_drafts", "maybe")],
)
def test_bad_conf_override_raises_config_error(
    rootdir: Path, tmp_path: Path, name: str, value: object
) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-bad-conf", src)
    with pytest.raises(ConfigError, match=rf"{name}.*must be"):
        app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "_build",
                            confoverrides={name: value}, status=StringIO(),
                            warning=StringIO())
        app.cleanup()
