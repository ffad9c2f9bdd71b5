"""Parallel and incremental builds give exactly the output of a clean serial build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

from helpers import build, clean_copy, diff_trees, edit_and_rebuild

CONF = '''
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Rebuilds"
exclude_patterns = ["_build"]
blogposts_pattern = ["posts/*"]
blogposts_posts_per_page = 3
blogposts_authors = {"ann": {"name": "Ann"}, "bob": {"name": "Bob"}}
blogposts_default_author = "ann"
'''

INDEX = '''# Home

```{postlist}
:limit: 4
```

```{postlist}
:category: Beta
:format: cards
:excerpts:
```

```{toctree}
cats
```
'''

CATS = '''# Categories

```{category} Alpha
First category.
```

```{category} Beta
Second category.
```
'''

CATEGORIES = ("Alpha", "Beta", "Gamma")
TAGS = ("red", "green", "blue", "cyan")


def post(n: int, category: str | None = None, title: str | None = None) -> str:
    cat = category or CATEGORIES[n % 3]
    tags = f"[{TAGS[n % 4]}, {TAGS[(n + 1) % 4]}]"
    author = "bob" if n % 5 == 0 else "ann"
    return (
        f"---\ndate: 2025-{1 + n % 12:02d}-{1 + n:02d}\ncategory: {cat}\ntags: {tags}\n"
        f"author: {author}\n---\n# {title or f'Post number {n}'}\n\n"
        f"Opening paragraph of post {n}.\n\n## Details\n\nMore words for post {n}.\n"
    )


SIDEBARS = (
    '\nhtml_sidebars = {"**": ["blogposts/recent.html", "blogposts/categories.html", '
    '"blogposts/tags.html", "blogposts/archives.html"]}\n'
)


def make_site(root: Path, count: int = 14, sidebars: bool = False) -> Path:
    src = root / "src"
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF + (SIDEBARS if sidebars else ""))
    (src / "index.md").write_text(INDEX)
    (src / "cats.md").write_text(CATS)
    for n in range(count):
        text = post(n)
        if n == 1:  # one draft from the start
            text = text.replace("---\n#", "draft: true\n---\n#", 1)
        (src / "posts" / f"p{n:02d}.md").write_text(text)
    return src


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def test_parallel_equals_serial(tmp_path: Path) -> None:
    src = make_site(tmp_path)
    serial = build(src, out=tmp_path / "serial")
    parallel = build(src, out=tmp_path / "parallel", parallel=2)
    assert " .. " in parallel.status.getvalue()  # documents were read and written in chunks
    assert diff_trees(serial.outdir, parallel.outdir) == []
    assert "WARNING" not in serial.warning.getvalue() + parallel.warning.getvalue()


def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    src = make_site(tmp_path)
    first = build(src, out=tmp_path / "a")
    second = build(src, out=tmp_path / "b")
    assert diff_trees(first.outdir, second.outdir) == []


EDITS = {
    "move a post to another category": lambda s: (s / "posts/p03.md").write_text(
        post(3, category="Beta")),
    "add a post": lambda s: (s / "posts/p99.md").write_text(post(99 % 28)),
    "delete a post": lambda s: (s / "posts/p07.md").unlink(),
    "edit a body": lambda s: (s / "posts/p05.md").write_text(
        post(5) + "\nOne more sentence.\n"),
    "change a title": lambda s: (s / "posts/p06.md").write_text(post(6, title="Renamed")),
    "make a post a draft": lambda s: (s / "posts/p08.md").write_text(
        post(8).replace("---\n#", "draft: true\n---\n#", 1)),
    "change a category declaration": lambda s: (s / "cats.md").write_text(
        CATS.replace("Second category.", "Second category, reworded.")),
    "change a date": lambda s: (s / "posts/p04.md").write_text(
        post(4).replace("date: 2025-05-05", "date: 2023-12-31")),
    "change tags": lambda s: (s / "posts/p09.md").write_text(
        post(9).replace("tags: [green, blue]", "tags: [magenta]")),
    "rename a post": lambda s: (s / "posts/p02.md").rename(s / "posts/renamed.md"),
    "publish a draft": lambda s: (s / "posts/p01.md").write_text(
        post(1).replace("draft: true\n", "")),
    "reword a later paragraph": lambda s: (s / "posts/p05.md").write_text(
        post(5).replace("More words for post 5.", "Other words for post 5.")),
    "change a page's postlist": lambda s: (s / "index.md").write_text(
        INDEX.replace(":limit: 4", ":limit: 2")),
    "change a config value": lambda s: (s / "conf.py").write_text(
        (s / "conf.py").read_text().replace("blogposts_posts_per_page = 3",
                                            "blogposts_posts_per_page = 4")),
}


@pytest.mark.parametrize("sidebars", [False, True], ids=["plain", "sidebars"])
@pytest.mark.parametrize("edit", list(EDITS), ids=lambda e: e.replace(" ", "-"))
def test_incremental_equals_clean(tmp_path: Path, edit: str, sidebars: bool) -> None:
    src = make_site(tmp_path, sidebars=sidebars)
    incremental, clean = edit_and_rebuild(src, tmp_path, EDITS[edit])
    assert diff_trees(incremental.outdir, clean.outdir) == []


def test_incremental_combined_edits(tmp_path: Path) -> None:
    """The core issue's case: move one post, add one and delete one, in one rebuild."""
    src = make_site(tmp_path)
    incremental, clean = edit_and_rebuild(
        src, tmp_path, *(EDITS[edit] for edit in ("move a post to another category",
                                                  "add a post", "delete a post")))
    assert diff_trees(incremental.outdir, clean.outdir) == []


def test_noop_rebuild_changes_nothing(tmp_path: Path) -> None:
    src = make_site(tmp_path)
    out = tmp_path / "out"
    first = build(src, out=out)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in first.outdir.rglob("*.html")}
    second = build(src, out=out)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in second.outdir.rglob("*.html")}
    assert set(before) == set(after)
    assert [p for p in before if before[p][1] != after[p][1]] == []
    # documents are not rewritten; blog index is not empty
    assert "posts/p00" not in second.status.getvalue().split("writing output")[-1]
    # nor is the hidden draft (posts/p01), which has no page: it is not out of date
    assert not (second.outdir / "posts/p01.html").exists()
    status = strip_escape_sequences(second.status.getvalue())
    assert "targets for 0 source files that are out of date" in status
    assert "posts/p01" not in list(second.builder.get_outdated_docs())
    assert b"blogposts-card" in (second.outdir / "blog/index.html").read_bytes()


def test_templates_compiled_once_are_loaded_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The extension's templates are compiled in the first build and loaded from the
    doctree folder's cache in the next, with the same output; a damaged cache file only
    costs a compilation."""
    import jinja2

    src = make_site(tmp_path, sidebars=True)
    first = build(src, out=tmp_path / "first")
    cache = tmp_path / "first" / "doctrees" / "blogposts-templates"
    assert len(list(cache.iterdir())) >= 5  # widgets, generated pages, their components

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None,
                 filename: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(str(name))
        return compile_(self, source, name, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    shutil.copytree(cache, tmp_path / "second" / "doctrees" / "blogposts-templates")
    second = build(src, out=tmp_path / "second")
    assert compiled and not [n for n in compiled if n.startswith("blogposts/")]
    assert diff_trees(first.outdir, second.outdir) == []

    compiled.clear()
    damaged = tmp_path / "third" / "doctrees" / "blogposts-templates"
    shutil.copytree(cache, damaged)
    for path in damaged.iterdir():
        path.write_bytes(path.read_bytes()[:40])
    third = build(src, out=tmp_path / "third")
    assert [n for n in compiled if n.startswith("blogposts/")]
    assert diff_trees(first.outdir, third.outdir) == []


def test_template_cache_follows_the_template_and_the_environment(tmp_path: Path) -> None:
    """An edited template is compiled again; an environment that compiles differently
    (another filter, autoescaping) gets its own entry; other folders' templates are not
    cached."""
    import jinja2

    from sphinx_blogposts.write.templating import OwnTemplatesCache

    ours, theirs, cache_dir = tmp_path / "ours", tmp_path / "theirs", tmp_path / "cache"
    ours.mkdir()
    theirs.mkdir()
    (ours / "t.html").write_text("{{ '<b>'|shout }} {{ x }}")
    (theirs / "u.html").write_text("{{ x }}")

    def render(name: str, shout: object = str.upper, autoescape: bool = False) -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(ours), str(theirs)]),
                                 autoescape=autoescape,
                                 bytecode_cache=OwnTemplatesCache(cache_dir, ours, "1"))
        env.filters["shout"] = shout
        return env.get_template(name).render(x="<i>")

    assert render("t.html") == "<B> <i>"
    assert len(list(cache_dir.iterdir())) == 1
    assert render("t.html") == "<B> <i>"  # from the cache
    (ours / "t.html").write_text("{{ '<b>'|shout }}! {{ x }}")
    assert render("t.html") == "<B>! <i>"
    assert render("t.html", shout=str.lower) == "<b>! <i>"  # folded at compile time
    assert render("t.html", autoescape=True) == "&lt;B&gt;! &lt;i&gt;"
    assert render("u.html") == "<i>"
    assert len(list(cache_dir.iterdir())) == 3


def test_dates_formatted_once_are_read_from_the_doctree_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dates a build showed are not formatted by Babel again in the next build (whose
    output is the same); a file of another Babel or package version is not used."""
    import json

    from sphinx_blogposts.base import dates

    src = make_site(tmp_path, sidebars=True)
    (src / "conf.py").write_text((src / "conf.py").read_text()
                                 + 'blogposts_date_format = "%d %B %Y"\n')
    first = build(src, out=tmp_path / "first")
    saved = tmp_path / "first" / "doctrees" / dates.FormattedDates.FILENAME
    strings = json.loads(saved.read_text(encoding="utf-8"))["strings"]
    assert "day|2025-01-01|dd MMMM y|en" in strings and "pattern|%d %B %Y|en" in strings
    assert any(key.startswith("month|") for key in strings)

    formatted: list[object] = []
    babel_format_date = dates.babel_format_date

    def counting(*args: object, **kwargs: object) -> str:
        formatted.append(args)
        return babel_format_date(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "babel_format_date", counting)
    (tmp_path / "second" / "doctrees").mkdir(parents=True)
    shutil.copy(saved, tmp_path / "second" / "doctrees")
    second = build(src, out=tmp_path / "second")
    assert formatted == []
    assert diff_trees(first.outdir, second.outdir) == []

    (tmp_path / "third" / "doctrees").mkdir(parents=True)
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["version"] = "0.0.0|babel 0.0"
    data["strings"] = {key: "wrong" for key in data["strings"]}
    (tmp_path / "third" / "doctrees" / saved.name).write_text(json.dumps(data))
    third = build(src, out=tmp_path / "third")
    assert formatted
    assert diff_trees(first.outdir, third.outdir) == []


def test_edit_that_no_list_shows_rewrites_only_its_post(tmp_path: Path) -> None:
    """Rewording a post (same title, excerpt, length) changes no list: the generated pages
    keep their files and no other post is written; the post has its new text."""
    src = make_site(tmp_path)
    out = tmp_path / "out"
    first = build(src, out=out)
    pages = sorted((first.outdir / "blog").rglob("*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    EDITS["reword a later paragraph"](src)
    second = build(src, out=out)
    assert {p: p.stat().st_mtime_ns for p in pages} == before
    assert b"Other words for post 5." in (second.outdir / "posts/p05.html").read_bytes()
    written = second.status.getvalue().split("writing output")[-1]
    assert "posts/p05" in written and "posts/p04" not in written


def test_scheduled_post_appears_when_its_date_comes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    src = make_site(tmp_path, count=4)
    (src / "posts/future.md").write_text(post(20).replace("date: 2025-09-21",
                                                          "date: 2026-06-01"))
    out = tmp_path / "out"
    first = build(src, out=out)
    assert not (first.outdir / "posts/future.html").exists()
    assert b"Post number 20" not in (first.outdir / "blog/index.html").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 200 * 86400))
    second = build(src, out=out)
    assert (second.outdir / "posts/future.html").exists()
    assert b"Post number 20" in (second.outdir / "blog/index.html").read_bytes()
    clean = build(clean_copy(src, tmp_path / "clean-src"), out=tmp_path / "clean")
    assert diff_trees(second.outdir, clean.outdir) == []


def test_env_version_declared() -> None:
    from sphinx_blogposts.model import env_version

    assert os.environ.get("SOURCE_DATE_EPOCH")
    assert isinstance(env_version(), int) and env_version() == env_version()


PAGE_WATCH = '''
import os
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)


def record(app, pagename, templatename, context, doctree):
    """Which process wrote each page; a warning from a generated page; a failure on demand."""
    marks = Path(app.outdir).parent / "pids"
    marks.mkdir(exist_ok=True)
    (marks / pagename.replace("/", "__")).write_text(str(os.getpid()))
    if pagename == "blog/archive":
        logger.warning("watched the archive page", type="pagewatch", subtype="page")
        logger.debug("debug line from the archive page")
        if os.environ.get("PAGEWATCH_FAIL"):
            raise ExtensionError("the archive page failed on purpose")


def setup(app):
    app.connect("html-page-context", record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def watched_site(root: Path) -> Path:
    """The rebuilds site with an extension noting which process wrote each page."""
    src = make_site(root)
    (src / "pagewatch.py").write_text(PAGE_WATCH)
    (src / "conf.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
        + (src / "conf.py").read_text().replace('"sphinx_blogposts"]',
                                                '"sphinx_blogposts", "pagewatch"]'))
    return src


def writers(out: Path) -> dict[str, int]:
    return {p.name.replace("__", "/"): int(p.read_text()) for p in (out / "pids").iterdir()}


def test_parallel_build_writes_generated_pages_in_a_worker(tmp_path: Path) -> None:
    """Under ``-j`` the generated pages are rendered by a worker of their own while the main
    process resolves documents (it is the bottleneck there); its warnings reach the build,
    its output is the serial build's."""
    src = watched_site(tmp_path)
    parallel = build(src, out=tmp_path / "parallel", parallel=2)
    pids = writers(tmp_path / "parallel")
    pages = {name: pid for name, pid in pids.items() if name.startswith("blog/")}
    assert "blog/index" in pages and "blog/archive" in pages and len(pages) > 10
    assert len(set(pages.values())) == 1  # one worker wrote them all
    assert os.getpid() not in pages.values()  # ... and not the main process
    assert "posts/p00" in pids and pids["posts/p00"] not in pages.values()
    assert parallel.warning.getvalue().count("watched the archive page") == 1
    serial = build(src, out=tmp_path / "serial")
    assert set(writers(tmp_path / "serial").values()) == {os.getpid()}
    assert diff_trees(serial.outdir, parallel.outdir) == []


def test_parallel_pages_worker_passes_on_what_the_verbosity_shows(tmp_path: Path) -> None:
    """The worker keeps back the records the build would not show (Sphinx's debug line for
    each event holds a page's whole context), and passes on those it would."""
    src = watched_site(tmp_path)
    quiet = build(src, out=tmp_path / "quiet", parallel=2)
    assert "debug line from the archive page" not in quiet.status.getvalue()
    loud = build(src, out=tmp_path / "loud", parallel=2, verbosity=2)
    assert loud.status.getvalue().count("debug line from the archive page") == 1
    assert loud.warning.getvalue().count("watched the archive page") == 1
    assert "emitting event: 'html-page-context'('blog/archive'" in loud.status.getvalue()


def test_parallel_pages_worker_failure_fails_the_build(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from sphinx.errors import SphinxError

    src = watched_site(tmp_path)
    monkeypatch.setenv("PAGEWATCH_FAIL", "1")
    with pytest.raises(SphinxError, match="the archive page failed on purpose"):
        build(src, out=tmp_path / "out", parallel=2)


def test_a_page_stopped_while_written_leaves_no_hidden_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated page is written beside its file first; a build stopped between the two
    (a full disk, Ctrl-C under sphinx-autobuild) must not leave that file to be published."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    original = StandaloneHTMLBuilder.handle_page

    def handle_page(self: StandaloneHTMLBuilder, pagename: str, *args: object,
                    **kwargs: object) -> None:
        original(self, pagename, *args, **kwargs)  # type: ignore[arg-type]
        if pagename == "blog/index":
            raise OSError("the disk filled up, on purpose")

    monkeypatch.setattr(StandaloneHTMLBuilder, "handle_page", handle_page)
    out = tmp_path / "out"
    with pytest.raises(Exception, match="on purpose"):
        build(make_site(tmp_path), out=out)
    assert (out / "html" / "blog" / "archive.html").is_file()  # written before it (by name)
    assert [p.name for p in out.rglob("*blogposts-new*")] == []


def test_a_page_that_cannot_replace_its_file_leaves_no_hidden_file(tmp_path: Path) -> None:
    """A page whose file cannot be replaced is a warning, as Sphinx's own, and its side file
    does not stay behind."""
    out = tmp_path / "out"
    (out / "html" / "blog" / "archive.html").mkdir(parents=True)  # in the way of the page
    app = build(make_site(tmp_path), out=out)
    assert "error writing file" in app.warning.getvalue()
    assert "archive.html" in app.warning.getvalue()
    assert [p.name for p in out.rglob("*blogposts-new*")] == []


REBUILD_EDITS = ("reword a later paragraph", "change a title", "add a post",
                 "delete a post", "make a post a draft", "change a config value")


@pytest.mark.parametrize("edit", REBUILD_EDITS, ids=lambda e: e.replace(" ", "-"))
@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuild_keeps_the_file_of_every_unchanged_page(tmp_path: Path, edit: str,
                                                        jobs: int) -> None:
    """Rebuilds, serial and under ``-j 2`` (pages fingerprinted in the pages worker), match a
    clean serial build and rewrite a generated page only when its bytes change."""
    src = make_site(tmp_path, sidebars=False)
    out = tmp_path / "incremental"
    first = build(src, out=out, parallel=jobs)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes())
              for p in (first.outdir / "blog").rglob("*.html")}
    EDITS[edit](src)
    incremental = build(src, out=out, parallel=jobs)
    clean = build(clean_copy(src, tmp_path / "clean-src"), out=tmp_path / "clean")
    assert diff_trees(incremental.outdir, clean.outdir) == []
    kept = [p for p, (mtime, data) in before.items()
            if p.is_file() and p.read_bytes() == data]
    assert kept  # every edit leaves some page as it was (a tag's, at least)
    assert [str(p.relative_to(out)) for p in kept if p.stat().st_mtime_ns != before[p][0]] == []


# -- a docs site around the blog (issue 22): pages other extensions write, link previews of
# every page of a category, the navigation every page carries, the blog moved as a whole --

SHAPES = '''"""Shapes for the API pages."""


def area(width: float, height: float) -> float:
    """The area of a rectangle."""
    return width * height
'''

DOCS_CONF = '''
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
extensions += ["sphinx.ext.autodoc", "sphinx.ext.viewcode"]
blogposts_baseurl = "https://rebuilds.example.org/"
blogposts_pattern = ["posts/*", "notes/*"]
'''

DOCS_INDEX = '''
```{toctree}
:glob:
api
posts/*
notes/*
```
'''


def make_docs_site(root: Path) -> Path:
    """The rebuilds site with sidebars, an autodoc page (so viewcode writes ``_modules``),
    the posts in a globbed toctree, a category image and link previews."""
    # more posts than the sidebars list (20): the oldest moves unseen by them
    src = make_site(root, count=24, sidebars=True)
    (src / "notes").mkdir()
    (src / "shapes.py").write_text(SHAPES)
    (src / "api.md").write_text("# API\n\n```{eval-rst}\n.. automodule:: shapes\n"
                                "   :members:\n```\n")
    # the site's navigation in every page's sidebar, as furo and pydata-sphinx-theme show it
    (src / "conf.py").write_text((src / "conf.py").read_text().replace(
        '["blogposts/recent.html"', '["globaltoc.html", "blogposts/recent.html"') + DOCS_CONF)
    (src / "index.md").write_text(INDEX + DOCS_INDEX)
    shutil.copyfile(Path(__file__).parent / "roots/test-basic/tutorials.png", src / "a.png")
    shutil.copyfile(Path(__file__).parent / "roots/test-basic/tutorials.png", src / "b.png")
    (src / "cats.md").write_text(CATS.replace("```{category} Beta\n",
                                              "```{category} Beta\n:image: a.png\n"))
    return src


DOCS_EDITS = {
    # viewcode's _modules pages show the recent posts: the newest post's title changes there
    "change a title": lambda s: (s / "posts/p11.md").write_text(post(11, title="Renamed")),
    # page 2 of Beta's list gives the description and image in its link previews
    "change a category description": lambda s: (s / "cats.md").write_text(
        (s / "cats.md").read_text().replace("Second category.", "Second, reworded.")),
    "change a category image": lambda s: (s / "cats.md").write_text(
        (s / "cats.md").read_text().replace(":image: a.png", ":image: b.png")),
    # every page's navigation lists the posts (not in the recent ones): the generated
    # pages' too
    "move a post to another folder": lambda s: (s / "posts/p13.md").rename(
        s / "notes/p13.md"),
    "move the blog": lambda s: (s / "conf.py").write_text(
        (s / "conf.py").read_text() + '\nblogposts_path = "news"\n'),
}


@pytest.mark.parametrize("edit", list(DOCS_EDITS), ids=lambda e: e.replace(" ", "-"))
def test_incremental_equals_clean_on_a_docs_site(tmp_path: Path, edit: str) -> None:
    src = make_docs_site(tmp_path)
    out = tmp_path / "incremental"
    first = build(src, out=out)
    assert (first.outdir / "_modules/shapes.html").is_file()
    assert (first.outdir / "blog/category/beta/page/2.html").is_file()
    assert (first.outdir / "blog/atom.xml").is_file()
    DOCS_EDITS[edit](src)
    incremental = build(src, out=out)
    clean = build(clean_copy(src, tmp_path / "clean-src"), out=tmp_path / "clean")
    # Sphinx never deletes an image no page uses any more (a site without this extension
    # keeps its old images too): only those may be left over
    assert [d for d in diff_trees(incremental.outdir, clean.outdir)
            if not (d.startswith("_images/") and not (clean.outdir / d).exists())] == []
    if edit == "move the blog":
        assert not (incremental.outdir / "blog/atom.xml").exists()
        assert (incremental.outdir / "news/atom.xml").is_file()


def test_a_module_page_viewcode_skipped_is_still_refreshed(tmp_path: Path) -> None:
    """Furo's docs: a build that changes nothing writes no ``_modules`` page (viewcode skips
    a page newer than its module); a later change of the sidebars must still refresh it."""
    src = make_docs_site(tmp_path)
    out = tmp_path / "incremental"
    page = build(src, out=out).outdir / "_modules/shapes.html"
    written = page.stat().st_mtime_ns
    build(src, out=out)  # nothing changed
    assert page.stat().st_mtime_ns == written  # viewcode did skip it
    DOCS_EDITS["change a title"](src)
    incremental = build(src, out=out)
    assert "Renamed" in page.read_text(encoding="utf-8")
    clean = build(clean_copy(src, tmp_path / "clean-src"), out=tmp_path / "clean")
    assert diff_trees(incremental.outdir, clean.outdir) == []


PLAIN_CONF = """
import os, sys
sys.path.insert(0, os.path.dirname(__file__))
extensions = ["sphinx.ext.autodoc"]
"""


def test_plain_sphinx_loses_index_entries_incrementally(tmp_path: Path) -> None:
    """Why ``helpers.normalized_searchindex`` drops ``indexentries``: without this extension,
    an edit to one page makes Sphinx's incremental search index lose the entries of the
    pages it did not write again.  When a Sphinx release fixes it, this fails: drop the
    normalization then."""
    import json
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(PLAIN_CONF)
    (src / "shapes.py").write_text(SHAPES)
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   api\n   other\n")
    (src / "api.rst").write_text("API\n===\n\n.. automodule:: shapes\n   :members:\n")
    (src / "other.rst").write_text("Other\n=====\n\nText.\n")

    def sphinx(out: Path) -> dict[str, object]:
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
                       check=True, timeout=120, capture_output=True)
        text = (out / "searchindex.js").read_text(encoding="utf-8")
        index = json.loads(text.partition("Search.setIndex(")[2].rstrip().removesuffix(")"))
        return dict(index["indexentries"])

    assert sphinx(tmp_path / "incremental")
    (src / "other.rst").write_text("Other\n=====\n\nText changed.\n")
    assert sphinx(tmp_path / "incremental") == {}
    assert sphinx(tmp_path / "clean") != {}
