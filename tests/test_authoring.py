"""Authoring: the ``sphinx-blogposts`` command, ``blogposts_now``, pinned posts, series,
``blogposts_related_count``, and the message catalogs (languages, right to left).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from sphinx.errors import ConfigError
from sphinx.util.console import strip_escape_sequences

from sphinx_blogposts.model.posts import get_index

from helpers import body, build, diff_trees, edit_and_rebuild, run_cli, soup, warnings_of

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "example_site"
NOW = "1767225600"  # 2026-01-01


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)


run = run_cli


# -- a small site for the command line -------------------------------------------------------

CONF = '''
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Authoring"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/**"]
blogposts_authors = {"ann": {"name": "Ann"}}
myst_enable_extensions = ["colon_fence"]
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def md(date: str, title: str, extra: str = "") -> str:
    return f"---\ndate: {date}\n{extra}---\n# {title}\n\nFirst paragraph of {title}.\n"


def cli_site(root: Path) -> Path:
    src = root / "site"
    write(src / "conf.py", CONF)
    write(src / "index.md", "# Home\n\n```{postlist}\n```\n")
    write(src / "blog/posts/old.md", md("2025-01-02", "Old one", "category: News\n"))
    write(src / "blog/posts/new.md", md("2025-06-01", "New one",
                                        "category: [Tutorials, News]\npin: true\n"))
    write(src / "blog/posts/draft.md", md("2025-03-01", "A draft", "draft: true\n"))
    write(src / "blog/posts/future.md", md("2026-06-01", "Future one", "category: News\n"))
    # found by front matter outside the pattern, and by a directive
    write(src / "notes/opted.md", md("2024-05-05", "Opted in", "post: true\n"))
    write(src / "notes/directive.rst",
          "Directive post\n==============\n\n.. post:: 2024-02-02\n   :category: Releases\n\n"
          "   Its excerpt.\n")
    # examples of the syntax in code blocks are no posts
    write(src / "notes/howto.md",
          "# How to\n\n````md\n```{post} 2025-01-01\n```\n````\n\n"
          "```rst\n.. post:: 2025-01-01\n```\n")
    write(src / "notes/plain.md", "# Plain page\n\nNo post.\n")
    return src


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["new", "--help"], ["list", "--help"], ["check", "--help"]):
        code, out, _err = run(args, capsys)
        assert code == 0 and "usage: sphinx-blogposts" in out, args
    code, _out, err = run([], capsys)
    assert code == 2 and "usage:" in err
    code, _out, err = run(["new"], capsys)
    assert code == 2 and "title" in err
    code, _out, err = run(["list", "--nope"], capsys)
    assert code == 2 and "unrecognized arguments" in err


def test_new_markdown_post_in_the_pattern_folder(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src = cli_site(tmp_path)
    code, out, _err = run(["new", "Hello, World: Ünïcode & more", "--category", "Tutorials",
                           "--tags", "a, b:c", "--author", "ann", "--draft",
                           "--source", str(src)], capsys)
    assert code == 0
    target = src / "blog/posts/hello-world-unicode-more.md"
    assert out.strip() == os.path.relpath(target)
    text = target.read_text()
    assert text.startswith("---\ndate: 2026-01-01\n")  # SOURCE_DATE_EPOCH is "today"
    assert "category: Tutorials\n" in text and 'tags: [a, "b:c"]\n' in text
    assert "author: ann\n" in text and "draft: true\n" in text
    assert "post: true" not in text  # the pattern makes it a post
    assert "\n# Hello, World: Ünïcode & more\n" in text
    # never overwritten
    target.write_text(text + "\nMy words.\n")
    code, _out, err = run(["new", "Hello, World: Ünïcode & more", "--source", str(src)], capsys)
    assert code == 1 and "already exists" in err
    assert target.read_text().endswith("My words.\n")


def test_new_rst_and_dir_and_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = cli_site(tmp_path)
    code, _out, _err = run(["new", "A reST post", "--format", "rst", "--date", "2025-02-03",
                            "--tags", "x,y", "--source", str(src)], capsys)
    assert code == 0
    text = (src / "blog/posts/a-rest-post.rst").read_text()
    assert text.startswith("A reST post\n===========\n\n.. post:: 2025-02-03\n   :tags: x, y\n")
    # outside the pattern a Markdown post declares itself
    code, _out, _err = run(["new", "Elsewhere", "--dir", "notes", "--source", str(src)],
                           capsys)
    assert code == 0
    assert (src / "notes/elsewhere.md").read_text().startswith("---\npost: true\n")
    code, _out, err = run(["new", "Bad date", "--date", "2025-13-45", "--source", str(src)],
                          capsys)
    assert code == 2 and "--date" in err
    assert not (src / "blog/posts/bad-date.md").exists()
    code, _out, err = run(["new", "No conf", "--source", str(tmp_path)], capsys)
    assert code == 2 and "conf.py" in err


def test_new_refuses_what_it_cannot_do_well(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Each refusal: exit 2, one line saying why, nothing written."""
    src = cli_site(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())

    def refused(args: list[str], reason: str) -> None:
        code, out, err = run([*args, "--source", str(src)], capsys)
        assert code == 2, (args, err)
        assert out == "" and len(err.strip().splitlines()) == 1 and reason in err, (args, err)
        assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before, args

    # a name Sphinx would read twice (old.md exists): it would drop one of the two
    refused(["new", "Old", "--format", "rst"], "already has this name")
    # outside the source folder: the build would never read it
    refused(["new", "Away", "--dir", "../outside"], "outside the source folder")
    refused(["new", "Away", "--dir", str(tmp_path / "elsewhere")], "outside the source folder")
    # Markdown on a site that reads none
    conf = src / "conf.py"
    conf.write_text(conf.read_text().replace('"myst_parser", ', ""))
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    refused(["new", "Plain", "--format", "md"], "reads no Markdown")


def test_check_names_a_file_that_is_not_utf8(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = cli_site(tmp_path)
    (src / "blog/posts/latin.md").write_bytes(
        "---\ndate: 2025-01-01\n---\n# Caf\u00e9\n".encode("latin-1"))
    code, _out, err = run(["check", "--source", str(src)], capsys)
    assert code == 2 and "latin.md is not UTF-8 text" in err
    assert "no date" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.timeout(120)
def test_list_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``sphinx-blogposts list | head -1``: no traceback when the reader goes away."""
    src = cli_site(tmp_path)
    for i in range(3000):  # more than a pipe holds, so the writer meets the closed pipe
        write(src / f"blog/posts/many/p{i:04}.md", md("2024-01-01", f"Post {i}"))
    proc = subprocess.Popen([sys.executable, "-m", "sphinx_blogposts", "list", "--source",
                             str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as head -1 does
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert first.strip() and "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 0


def test_new_posts_build_and_are_published(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src = cli_site(tmp_path)
    for args in (["Built from Markdown", "--tags", "a,b", "--category", "News"],
                 ["Built from reST", "--format", "rst", "--author", "ann"],
                 ["Declared elsewhere", "--dir", "notes"]):
        code, _out, _err = run(["new", *args, "--date", "2025-08-01", "--source", str(src)],
                               capsys)
        assert code == 0
    app = build(src)
    posts = get_index(app.env).posts
    assert posts["blog/posts/built-from-markdown"].tags == ("a", "b")
    assert posts["blog/posts/built-from-rest"].authors == ("ann",)
    assert "notes/declared-elsewhere" in posts
    assert warnings_of(strip_escape_sequences(app.warning.getvalue())) == []


def test_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = cli_site(tmp_path)
    code, out, _err = run(["list", "--source", str(src)], capsys)
    assert code == 0
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    shown = {Path(r[-1]).relative_to(os.path.relpath(src)).as_posix(): r[:-1] for r in rows}
    assert shown == {
        "blog/posts/future.md": ["2026-06-01", "scheduled", "News"],
        "blog/posts/new.md": ["2025-06-01", "published, pinned", "Tutorials, News"],
        "blog/posts/draft.md": ["2025-03-01", "draft", "—"],
        "blog/posts/old.md": ["2025-01-02", "published", "News"],
        "notes/opted.md": ["2024-05-05", "published", "—"],
        "notes/directive.rst": ["2024-02-02", "published", "Releases"],
    }
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)  # newest first
    code, out, _err = run(["list", "--drafts", "--source", str(src)], capsys)
    assert [line.split()[1] for line in out.splitlines()] == ["scheduled", "draft"]
    code, out, _err = run(["list", "--category", "news", "--source", str(src)], capsys)
    assert len(out.splitlines()) == 3
    # blogposts_now (here from -D, as with sphinx-build) publishes the scheduled post
    code, out, _err = run(["list", "--drafts", "-D", "blogposts_now=2026-07-01",
                           "--source", str(src)], capsys)
    assert [line.split()[1] for line in out.splitlines()] == ["draft"]


def test_list_is_fast_on_5000_posts(tmp_path: Path) -> None:
    src = tmp_path / "big"
    write(src / "conf.py", CONF)
    words = "Some words in a paragraph. " * 40
    for n in range(5000):
        write(src / f"blog/posts/p{n:04d}.md",
              md(f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}", f"Post {n}",
                 f"category: C{n % 7}\ntags: [t{n % 5}, t{n % 11}]\n") + f"\n{words}\n" * 5)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "sphinx_blogposts", "list", "--source",
                             str(src)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5000
    assert elapsed < 30, elapsed  # about 1-2 s; this catches a quadratic slip, not noise


# -- check: the build's messages without a build -------------------------------------------------

BAD = {
    "blog/posts/pin.md": md("2025-01-01", "Bad pin", "pin: maybe\n"),
    "blog/posts/order.md": md("2025-01-02", "Bad order", "series: S\nseries_order: x\n"),
    "blog/posts/lonely.md": md("2025-01-03", "No series", "series_order: 2\n"),
    "blog/posts/nodate.md": "---\ntags: [a]\n---\n# No date\n\nText.\n",
    "blog/posts/baddate.md": md("2025-13-45", "Bad date"),
    "blog/posts/typo.md": md("2025-01-04", "Typo", "author: anne\n"),
    "blog/posts/tag.md": md("2025-01-05", "Tag", "tags: [{a: 1}, fine]\n"),
    "blog/posts/image.md": md("2025-01-06", "Image", "image: missing.png\n"),
    "blog/posts/yaml.md": "---\ndate: 2025-01-07\ntags: [a\n---\n# Broken YAML\n\nText.\n",
    "notes/maybe.md": "---\npost: perhaps\ndate: 2025-01-08\n---\n# Maybe\n\nText.\n",
    "notes/twice.md": "# Twice\n\n```{post} 2024-03-01\n:pin: sometimes\n```\n\nOne.\n\n"
                      "```{post} 2024-06-01\n```\n\nTwo.\n",
    "notes/options.md": "# Options\n\n:::{post} 2024-03-01\n:series_order: 1.5\n"
                        ":series: Y\n:::\n",
    "notes/fields.rst": ":date: 2024-01-01\n:updated: later\n:category: Notes\n\n"
                        "Fields\n======\n\nText.\n\n.. post::\n",
    "notes/rstpost.rst": "Directive\n=========\n\n.. post:: 2024-13-01\n   :tags: a\n",
}


def bad_site(root: Path) -> Path:
    src = cli_site(root)
    for name, text in BAD.items():
        write(src / name, text)
    return src


def build_warnings(src: Path, app_warnings: str) -> set[tuple[str, str, str, str]]:
    found = set()
    for w in warnings_of(strip_escape_sequences(app_warnings)):
        location = os.path.relpath(w["location"], src) if w["location"] else ""
        found.add((location, w["line"] or "", w["message"], w["type"]))
    return found


def test_check_says_what_the_build_says(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    src = bad_site(tmp_path)
    app = build(src)
    from_build = build_warnings(src, app.warning.getvalue())
    cwd = Path.cwd()
    os.chdir(src)
    try:
        code, out, err = run(["check"], capsys)
    finally:
        os.chdir(cwd)
    assert code == 1 and "problem(s)" in err
    from_cli = {(m["location"], m["line"], m["message"], m["type"])
                for m in re.finditer(r"^(?P<location>\S+?):(?P<line>\d+): WARNING: "
                                     r"(?P<message>.*) \[(?P<type>[\w.]+)\]$", out, re.M)}
    assert from_cli == from_build
    kinds = {t for *_rest, t in from_cli}
    assert kinds == {"blogposts.metadata", "blogposts.date", "blogposts.author",
                     "blogposts.tag", "blogposts.image", "blogposts.duplicate"}
    messages = {(loc, line, msg) for loc, line, msg, _t in from_cli}
    assert ("blog/posts/pin.md", "3",
            "pin: 'maybe' is not true or false; the post is not pinned") in messages
    assert ("blog/posts/order.md", "4",
            "series_order: 'x' is not a whole number below a billion; ignored") in messages
    assert ("blog/posts/lonely.md", "3",
            "series_order: the post names no series; ignored") in messages


def test_check_honours_suppress_warnings_and_passes_a_clean_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    src = cli_site(tmp_path)
    code, out, err = run(["check", "--source", str(src)], capsys)
    assert (code, out) == (0, "") and "6 posts checked: no problems" in err
    write(src / "blog/posts/pin.md", BAD["blog/posts/pin.md"])
    code, out, _err = run(["check", "--source", str(src)], capsys)
    assert code == 1 and "[blogposts.metadata]" in out
    write(src / "conf.py", CONF + 'suppress_warnings = ["blogposts.metadata"]\n')
    code, out, _err = run(["check", "--source", str(src)], capsys)
    assert (code, out) == (0, "")


def test_python_dash_m(tmp_path: Path) -> None:
    src = cli_site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "sphinx_blogposts", "check", "-s", str(src)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    exe = Path(sys.executable).with_name("sphinx-blogposts")
    if exe.exists():  # the console script of pyproject.toml
        result = subprocess.run([str(exe), "--version"], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0 and "sphinx-blogposts" in result.stdout


def test_bad_pin_and_series_order_warn_with_document_and_line(tmp_path: Path) -> None:
    src = cli_site(tmp_path)
    for name in ("blog/posts/pin.md", "blog/posts/order.md"):
        write(src / name, BAD[name])
    app = build(src)
    found = build_warnings(src, app.warning.getvalue())
    assert ("blog/posts/pin.md", "3",
            "pin: 'maybe' is not true or false; the post is not pinned",
            "blogposts.metadata") in found
    assert ("blog/posts/order.md", "4",
            "series_order: 'x' is not a whole number below a billion; ignored",
            "blogposts.metadata") in found
    posts = get_index(app.env).posts
    assert posts["blog/posts/pin"].pinned is False
    assert posts["blog/posts/order"].series == "S"
    assert posts["blog/posts/order"].series_order is None
    # both are still published
    assert (app.outdir / "blog/posts/pin.html").exists()
    assert (app.outdir / "blog/posts/order.html").exists()


# -- now, pins, series, related count -----------------------------------------------------------

SERIES_CONF = '''
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Series"
exclude_patterns = ["_build"]
blogposts_pattern = ["posts/*"]
blogposts_posts_per_page = 3
'''

SERIES_INDEX = '''# Home

```{postlist}
:limit: 3
```

```{postlist}
:category: Beta
:sort: oldest
```
'''


def spost(n: int, *, series: str = "", order: int | None = None, pin: bool = False,
          title: str = "", date: str = "", category: str = "") -> str:
    meta = f"date: {date or f'2025-{1 + n % 12:02d}-{1 + n:02d}'}\n"
    meta += f"category: {category or ('Alpha', 'Beta')[n % 2]}\n"
    meta += f"tags: [t{n % 3}, t{n % 4}]\n"
    if series:
        meta += f"series: {series}\n"
    if order is not None:
        meta += f"series_order: {order}\n"
    if pin:
        meta += "pin: true\n"
    return f"---\n{meta}---\n# {title or f'Post {n}'}\n\nBody of post {n}.\n"


def series_site(root: Path) -> Path:
    src = root / "src"
    write(src / "conf.py", SERIES_CONF)
    write(src / "index.md", SERIES_INDEX)
    for n in range(10):
        kwargs: dict[str, object] = {}
        if n in (2, 5, 7):  # one series, ordered against the dates
            kwargs = {"series": "Deep dive", "order": {2: 3, 5: 1, 7: 2}[n]}
        if n in (3, 4):  # another, by date
            kwargs = {"series": "Quick tips"}
        write(src / f"posts/p{n}.md", spost(n, **kwargs))  # type: ignore[arg-type]
    return src


def test_series_box_pages_and_order(tmp_path: Path) -> None:
    app = build(series_site(tmp_path))
    out = app.outdir
    box = body(out / "posts/p7.html").select_one(".blogposts-series")
    assert box is not None
    assert box.select_one(".blogposts-series-part").get_text() == "Part 2 of 3"
    link = box.select_one("a.blogposts-series-link")
    assert link is not None and link["href"] == "../blog/series/deep-dive.html"
    items = box.select("ol.blogposts-series-parts > li")
    assert [i.get_text(strip=True) for i in items] == ["Post 5", "Post 7", "Post 2"]
    assert [i.get_text(strip=True) for i in items
            if "blogposts-series-current" in i.get("class", [])] == ["Post 7"]
    assert items[1].select_one("a") is None and items[1].select_one("strong") is not None
    tips = body(out / "posts/p4.html").select_one(".blogposts-series-part")
    assert tips is not None and tips.get_text() == "Part 2 of 2"  # by date without an order
    assert body(out / "posts/p1.html").select_one(".blogposts-series") is None
    page = body(out / "blog/series/deep-dive.html")
    assert [a.get_text() for a in page.select(".blogposts-card-title a")] == [
        "Post 5", "Post 7", "Post 2"]
    assert [p.get_text() for p in page.select("p.blogposts-series-part")] == [
        "Part 1 of 3", "Part 2 of 3", "Part 3 of 3"]
    index = body(out / "blog/series/index.html")
    assert [a.get_text() for a in index.select("a.blogposts-series-link")] == [
        "Deep dive", "Quick tips"]
    assert soup(out / "blog/index.html").select_one(
        ".blogposts-bloglinks a[href='series/index.html']") is not None
    # the text builder shows the box too (format-neutral nodes)
    text_app = build(app.srcdir, "text", out=tmp_path / "text")
    text = (text_app.outdir / "posts/p7.txt").read_text()
    assert "Series: Deep dive" in text and "Part 2 of 3" in text


def test_pinned_posts_on_top_of_the_index_and_lists(tmp_path: Path) -> None:
    src = series_site(tmp_path)
    write(src / "posts/p0.md", spost(0, pin=True, category="Beta"))
    app = build(src)
    titles = [a.get_text() for a in soup(app.outdir / "blog/index.html").select(
        ".blogposts-card-title a")]
    assert titles == ["Post 0", "Post 9", "Post 8"]
    assert soup(app.outdir / "blog/index.html").select_one(".blogposts-pinned") is not None
    lists = body(app.outdir / "index.html").select("ul.blogposts-postlist")
    assert [a.get_text() for a in lists[0].select("a")] == ["Post 0", "Post 9", "Post 8"]
    # sorted oldest first, then the pinned post on top
    assert [a.get_text() for a in lists[1].select("a")][:2] == ["Post 0", "Post 1"]
    # previous/next stay chronological
    nxt = body(app.outdir / "posts/p0.html").select_one(".blogposts-next a")
    assert nxt is not None and nxt.get_text() == "Post 1"


def test_blogposts_now_overrides_source_date_epoch(tmp_path: Path) -> None:
    src = series_site(tmp_path)
    write(src / "posts/future.md", spost(11, date="2026-03-01", title="Future post"))
    app = build(src, out=tmp_path / "a")
    assert not (app.outdir / "posts/future.html").exists()
    app = build(src, out=tmp_path / "b", confoverrides={"blogposts_now": "2026-03-01"})
    assert (app.outdir / "posts/future.html").exists()
    with pytest.raises(ConfigError, match="blogposts_now"):
        build(src, out=tmp_path / "c", confoverrides={"blogposts_now": "soon"})


@pytest.mark.parametrize("count", [0, 1, 3])
def test_related_count(tmp_path: Path, count: int) -> None:
    app = build(series_site(tmp_path), confoverrides={"blogposts_related_count": count})
    footer = body(app.outdir / "posts/p4.html").select_one(".blogposts-post-footer")
    assert footer is not None
    related = [a.get_text() for a in footer.select(".blogposts-titles a")]
    assert len(related) == count
    if count == 0:
        assert "Related posts" not in footer.get_text()
    else:
        # shares t0 and t0/Alpha... the ranking is deterministic: same result twice
        again = build(app.srcdir, out=tmp_path / "again",
                      confoverrides={"blogposts_related_count": count})
        second = body(again.outdir / "posts/p4.html").select(
            ".blogposts-post-footer .blogposts-titles a")
        assert [a.get_text() for a in second] == related
    with pytest.raises(ConfigError, match="blogposts_related_count"):
        build(app.srcdir, out=tmp_path / "bad", confoverrides={"blogposts_related_count": -1})


EDITS: dict[str, Callable[[Path], object]] = {
    "pin a post": lambda s: write(s / "posts/p1.md", spost(1, pin=True)),
    "unpin a post": lambda s: write(s / "posts/p6.md", spost(6)),
    "retitle a series part": lambda s: write(
        s / "posts/p5.md", spost(5, series="Deep dive", order=1, title="Renamed part")),
    "reorder a series": lambda s: write(s / "posts/p2.md",
                                        spost(2, series="Deep dive", order=0)),
    "add a part": lambda s: write(s / "posts/p8.md", spost(8, series="Quick tips")),
    "leave a series": lambda s: write(s / "posts/p3.md", spost(3)),
    "rename a series": lambda s: [write(s / f"posts/p{n}.md", spost(n, series="Tips"))
                                  for n in (3, 4)],
    "draft a part": lambda s: write(
        s / "posts/p7.md",
        spost(7, series="Deep dive", order=2).replace("---\n#", "draft: true\n---\n#")),
    "delete a part": lambda s: (s / "posts/p4.md").unlink(),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=lambda e: e.replace(" ", "-"))
def test_incremental_equals_clean(tmp_path: Path, edit: str) -> None:
    src = series_site(tmp_path)
    write(src / "posts/p6.md", spost(6, pin=True))
    incremental, clean = edit_and_rebuild(src, tmp_path, EDITS[edit])
    assert diff_trees(incremental.outdir, clean.outdir) == []


def test_a_changed_part_rewrites_the_other_parts(tmp_path: Path) -> None:
    src = series_site(tmp_path)
    out = tmp_path / "out"
    build(src, out=out)
    EDITS["retitle a series part"](src)
    second = build(src, out=out)
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)",
                             strip_escape_sequences(second.status.getvalue())))
    assert {"posts/p5", "posts/p7", "posts/p2"} <= written  # the part and the other two
    assert "posts/p8" not in written
    box = body(second.outdir / "posts/p2.html").select_one(".blogposts-series")
    assert box is not None and "Renamed part" in box.get_text()


# -- languages --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``example(language)``: the example site built in that language."""
    built: dict[str, Path] = {}

    def make(language: str) -> Path:
        if language not in built:
            base = tmp_path_factory.mktemp(f"example-{language}")
            src = base / "src"
            shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
            result = subprocess.run(
                [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
                 "-D", f"language={language}", "-d", str(base / "doctrees"),
                 str(src), str(base / "html")],
                capture_output=True, text=True, check=False,
                env={**os.environ, "SOURCE_DATE_EPOCH": NOW},
            )
            assert result.returncode == 0, result.stderr
            built[language] = base / "html"
        return built[language]

    return make


def first_post(out: Path, stem: str = "stop-hardcoding-secrets") -> Path:
    return next((out / "blog/posts").glob(f"{stem}*.html"))


def test_french(example: Callable[[str], Path]) -> None:
    out = example("fr")
    page = soup(first_post(out))
    header = page.select_one(".blogposts-post-header")
    assert header is not None
    text = " ".join(header.get_text(" ").split())
    assert "18 mars 2025" in text  # Babel's long French date
    assert "min de lecture" in text and "Par Alex Rivera" in text and "Dans" in text
    footer = page.select_one(".blogposts-post-footer")
    assert footer is not None
    assert "Précédent" in footer.get_text() and "Articles similaires" in footer.get_text()
    assert "Articles récents" in page.get_text()  # the theme's sidebar
    index = soup(out / "blog/index.html")
    assert "Catégories" in index.get_text() and "min de lecture" in index.get_text()
    assert "Aller au contenu" in index.get_text()  # a string of the theme itself
    assert soup(out / "blog/archive.html").select_one("h3") is not None
    assert "mars 2025" in soup(out / "blog/archive.html").get_text()


def test_japanese(example: Callable[[str], Path]) -> None:
    out = example("ja")
    header = soup(first_post(out)).select_one(".blogposts-post-header")
    assert header is not None
    text = header.get_text()
    assert "2025年3月18日" in text and "分で読めます" in text
    index = soup(out / "blog/index.html").get_text()
    assert "カテゴリー" in index and "最近の記事" in index


def test_right_to_left(tmp_path: Path) -> None:
    app = build(series_site(tmp_path), confoverrides={"language": "ar"})
    page = body(app.outdir / "posts/p7.html")
    header = page.select_one(".blogposts-post-header")
    assert header is not None and "blogposts-rtl" in header["class"]
    series = page.select_one(".blogposts-series")
    assert series is not None and "blogposts-rtl" in series["class"]
    section = soup(app.outdir / "blog/index.html").select_one("section.blogposts-page")
    assert section is not None and section["dir"] == "rtl"
    css = (app.outdir / "_static/blogposts.css").read_text()
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)",
                         css)
    ltr = build(series_site(tmp_path / "ltr"))
    assert "dir=" not in (ltr.outdir / "blog/index.html").read_text().split("<body")[1]
    assert "blogposts-rtl" not in (ltr.outdir / "posts/p7.html").read_text()


def test_sidebars_get_direction_and_catalog(tmp_path: Path) -> None:
    from sphinx_blogposts.base.i18n import direction, gettext

    assert direction("he") == "rtl" and direction("fa_IR") == "rtl"
    assert direction("fr") == "ltr" and direction(None) == "ltr"
    assert gettext("Part %(part)d of %(total)d", part=2, total=4) == "Part 2 of 4"
    src = series_site(tmp_path)
    write(src / "conf.py", SERIES_CONF + 'html_sidebars = {"**": ["blogposts/recent.html"]}\n')
    app = build(src, confoverrides={"language": "he"})
    sidebar = soup(app.outdir / "index.html").select_one(".blogposts-sidebar-recent")
    assert sidebar is not None and sidebar["dir"] == "rtl"  # html-page-context's value
    french = build(src, out=tmp_path / "fr", confoverrides={"language": "fr"})
    sidebar = soup(french.outdir / "index.html").select_one(".blogposts-sidebar-recent")
    assert sidebar is not None and "Articles récents" in sidebar.get_text()
    assert not sidebar.has_attr("dir")


# -- the catalogs -----------------------------------------------------------------------------

def catalogs_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_catalogs",
                                                  ROOT / "scripts/compile_catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LANGUAGES = ("de", "es", "fr", "ja", "zh_CN")


def test_every_mo_is_compiled_from_its_po() -> None:
    script = catalogs_script()
    locale = ROOT / "src/sphinx_blogposts/locale"
    pos = sorted(locale.glob("*/LC_MESSAGES/sphinx_blogposts.po"))
    assert [p.parts[-3] for p in pos] == sorted(LANGUAGES)
    for po in pos:
        mo = po.with_suffix(".mo")
        assert mo.is_file(), f"{mo} is missing: run python scripts/compile_catalogs.py"
        assert mo.read_bytes() == script.compiled(po), (
            f"{mo} is out of date: run python scripts/compile_catalogs.py")


def test_every_message_is_in_the_template_and_translated() -> None:
    from babel.messages.pofile import read_po

    script = catalogs_script()
    used = {message for message, _file, _line in script.messages()}
    assert {"%d min read", "Recent posts", "Previous:", "Part %(part)d of %(total)d",
            "Skip to content"} <= used
    locale = ROOT / "src/sphinx_blogposts/locale"
    with open(locale / "sphinx_blogposts.pot", "rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    assert used <= pot, f"run python scripts/compile_catalogs.py --extract: {used - pot}"
    for language in LANGUAGES:
        with open(locale / language / "LC_MESSAGES/sphinx_blogposts.po", "rb") as f:
            catalog = read_po(f, locale=language)
        missing = sorted(m.id for m in catalog
                         if m.id and (not m.string or m.fuzzy) and m.id in used)
        assert missing == [], (language, missing)
        for message in catalog:
            if message.id and "%" in str(message.id):
                # the same placeholders, or formatting fails at build time
                spec = re.compile(r"%(?:\(\w+\))?[ds]")
                assert sorted(spec.findall(str(message.id))) == sorted(
                    spec.findall(str(message.string))), (language, message.id)
