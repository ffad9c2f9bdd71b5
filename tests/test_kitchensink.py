"""A documentation site that uses a bit of everything: ``tests/roots/test-kitchensink``.

The root is a small docs site (MyST through myst-nb, reST, a Jupyter notebook, autodoc, todo,
graphviz, math, sphinx-design, numbered figures, glossary, citations, footnotes, downloads ...)
whose blog posts look like real documentation pages. It must build without a single warning,
nitpicky, under every builder, serial and parallel; its posts must keep all their content in
pages, lists and feeds.

Posts (newest first): ``notebook`` (a Jupyter notebook), ``restpost`` (reST with the ``post``
directive), ``data-cover`` (a ``data:`` cover image), ``remote-cover`` (an ``https://`` cover
image) and ``kitchen`` (every construct, a local cover image, and a first paragraph with a
``{doc}`` reference and inline code).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.util.console import strip_escape_sequences

from helpers import body, copy_root, diff_trees, warnings_of

# every test may start a build (serial or parallel) through the shared fixture: guard them all
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module", autouse=True)
def graphviz() -> None:
    """The root draws a graph: Graphviz's ``dot`` must be installed (``apt-get install
    graphviz``).  Without it the module is skipped, unless ``BLOGPOSTS_REQUIRE_GRAPHVIZ=1``
    (CI) makes that a failure."""
    if shutil.which("dot") is None:
        reason = "Graphviz's dot is not installed (apt-get install graphviz)"
        if os.environ.get("BLOGPOSTS_REQUIRE_GRAPHVIZ") == "1":
            pytest.fail(f"{reason}; BLOGPOSTS_REQUIRE_GRAPHVIZ=1 makes this a failure")
        pytest.skip(reason)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
NOW = "1767225600"  # 2026-01-01
BASE = "https://example.org/docs/"
BUILDERS = ["html", "dirhtml", "singlehtml", "json", "pickle", "epub", "latex", "text", "man",
            "texinfo", "gettext"]
POSTS = ["notebook", "restpost", "data-cover", "remote-cover", "kitchen"]  # newest first
TITLES = {
    "notebook": "Cooking with a notebook",
    "restpost": "Writing posts in reStructuredText",
    "data-cover": "Release 1.3 is out",
    "remote-cover": "Release 1.2 is out",
    "kitchen": "Everything in one post",
}
REMOTE_COVER = "https://example.org/remote-cover.png"
REMOTE_BODY_IMAGE = "https://example.org/remote.png"
DATA_COVER = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42m"
              "MQWWADAAG8APHqEygFAAAAAElFTkSuQmCC")

# text each post's body holds, wherever the body is shown in full (pages, feeds)
BODY_TEXT = {
    "kitchen": [
        "The seealso text points at the stability policy.",
        "The versionadded text for the scale function.",
        "The versionchanged text about defaults.",
        "The deprecated text about the old mixer.",
        "A note written with a colon fence.",
        "A warning about sharp knives.",
        "A tip: keep the sink clean.",
        "kitchen_api.scale",  # the autodoc signature
        "The code caption of the kitchen post",
        "The figure caption of the kitchen post.",
        "The footnote text of the kitchen post.",
        "This paragraph was included from a snippet file.",
        "The todo text of the kitchen post.",
        "The design card title",
        "The deflist definition text.",
    ],
    "restpost": [
        "The reST seealso text about",
        "The reST versionadded text.",
        "kitchen_api.mix",  # the autodoc signature
        "A note in the reST post.",
        "Literate Programming",  # the citation
        "The reST footnote text.",
    ],
    "notebook": [
        "The notebook post computes a recipe with saved outputs.",
        "The notebook seealso text.",
        "mixing flour and water",  # the saved stream output
        "'dough'",  # the saved execute_result
    ],
    "remote-cover": [
        "The remote cover post announces release 1.2 of Kitchen Sink.",
        "for the full reference.",  # the seealso
        "kitchen_api.scale",  # in the versionadded
    ],
    "data-cover": [
        "The data cover post announces release 1.3.",
        "The default factor of",  # the versionchanged
    ],
}


#: a clean build of the kitchen sink takes a few seconds; one that has not ended by then hangs
BUILD_TIMEOUT = 240


@dataclass
class Built:
    """One real ``sphinx-build`` run of the root (a process of its own, with a time limit: the
    site loads myst-nb, which cannot share a process with the MyST-only test sites)."""

    builder: str
    parallel: int
    outdir: Path
    returncode: int
    output: str  # stdout and stderr

    @property
    def warnings(self) -> str:
        return strip_escape_sequences(self.output)

    def ok(self) -> Built:
        """This build, which must have succeeded (else the test fails with its output)."""
        if self.returncode != 0:
            pytest.fail(f"the {self.builder} build (-j {self.parallel or 1}) failed "
                        f"({self.returncode}):\n{self.output}", pytrace=False)
        return self


@pytest.fixture(scope="module")
def kitchensink(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Build the root once per (builder, parallel), on first use, each in its own copy."""
    cache: dict[tuple[str, int], Built] = {}

    def get(builder: str, parallel: int = 0) -> Built:
        key = (builder, parallel)
        if key not in cache:
            base = tmp_path_factory.mktemp(
                f"kitchensink-{builder}-{'parallel' if parallel else 'serial'}")
            src = copy_root(rootdir, "kitchensink", base)
            out = base / "out" / builder
            command = [sys.executable, "-m", "sphinx", "-b", builder, "-n", "-N",
                       "-D", "show_warning_types=1", "-d", str(base / "doctrees"),
                       str(src), str(out)]
            if parallel:
                command[3:3] = ["-j", str(parallel)]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False,
                env={**os.environ, "SOURCE_DATE_EPOCH": NOW})
            cache[key] = Built(builder, parallel, out, done.returncode,
                               done.stdout + done.stderr)
        return cache[key]

    return get


@pytest.fixture(scope="module")
def html(kitchensink: Any) -> Path:
    return Path(kitchensink("html").ok().outdir)


def words(text: str) -> str:
    return " ".join(text.split())


def has(text: str, expected: str) -> bool:
    """Whether text holds expected, whatever the spaces (``kitchen_api. scale`` from markup)."""
    return "".join(expected.split()) in "".join(text.split())


def main_text(path: Path) -> str:
    return words(body(path).get_text(" "))


def listed(page: BeautifulSoup | Tag) -> dict[str, Tag]:
    """Post name -> its card or list item, in a postlist or a generated page."""
    found: dict[str, Tag] = {}
    for item in page.select(".blogposts-card, .blogposts-postlist-item"):
        for a in item.select("a[href]"):
            m = re.search(r"posts/([\w-]+)\.html$", str(a["href"]))
            if m:
                found.setdefault(m[1], item)
                break
    return found


# -- 1. every builder, serial and parallel: no warning at all ---------------------------------


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel"])
@pytest.mark.parametrize("builder", BUILDERS)
def test_builds_without_any_warning(kitchensink: Any, builder: str, parallel: int) -> None:
    built = kitchensink(builder, parallel).ok()
    assert warnings_of(built.warnings) == []  # the blog's own, parsed, for a readable failure
    assert "WARNING" not in built.warnings, built.warnings
    assert "ERROR" not in built.warnings, built.warnings
    assert built.outdir.is_dir() and any(built.outdir.iterdir())


# -- 2. the HTML pages ------------------------------------------------------------------------


def test_kitchen_post_keeps_every_construct(html: Path) -> None:
    page = html / "blog/posts/kitchen.html"
    main = body(page)
    text = main_text(page)
    for expected in BODY_TEXT["kitchen"]:
        assert has(text, expected), expected
    # admonitions and version notes, each with its own markup
    for selector in ("div.admonition.note", "div.admonition.warning", "div.admonition.tip",
                     "div.admonition.seealso", "div.versionadded", "div.versionchanged",
                     "div.deprecated", "div.admonition-todo"):
        assert main.select_one(selector) is not None, selector
    # autodoc and a hand-written description
    assert main.select_one('dl.py.function dt[id="kitchen_api.scale"]') is not None
    assert has(text, "kitchen_api.describe") and "A hand-written function description." in text
    # math: inline (dollar and role) and block
    inline = [m.get_text() for m in main.select("span.math")]
    assert any("x^2 + y^2 = z^2" in m for m in inline), inline
    assert any("e^{i\\pi} + 1 = 0" in m for m in inline), inline
    assert any("\\int_0^1 x" in m.get_text() for m in main.select("div.math"))
    # code: caption, emphasized line, literalinclude
    captions = [words(c.get_text()) for c in main.select(".code-block-caption")]
    assert "The code caption of the kitchen post" in captions[0]
    assert "Literal include caption" in captions[1]
    assert main.select_one("span.hll") is not None
    assert has(text, "Hello, {name}!")
    # a numbered figure with its caption, and the numref to it
    figure = main.select_one("figure#fig-diagram")
    assert figure is not None
    img = figure.select_one("img")
    assert img is not None and str(img["src"]).endswith("_images/diagram.png")
    assert (html / "_images/diagram.png").is_file()
    assert "The figure caption of the kitchen post." in words(figure.get_text(" "))
    number = figure.select_one(".caption-number")
    assert number is not None and words(number.get_text()) == "Fig. 1"
    numrefs = [words(a.get_text(" ")) for a in main.select('a.reference[href="#fig-diagram"]')]
    assert numrefs and all(re.fullmatch(r"(Fig\.|Figure) 1", n) for n in numrefs), numrefs
    # a table, footnotes, only, a remote image, a toctree, an include
    assert "The list table caption" in words(main.select_one("table").get_text(" "))
    assert main.select_one("aside.footnote") is not None
    assert "This text is only in HTML output." in text
    assert main.select_one(f'img[src="{REMOTE_BODY_IMAGE}"]') is not None
    toc = main.select_one(".toctree-wrapper a")
    assert toc is not None and toc["href"] == "../../extra/appendix.html"
    # graphviz
    graph = main.select_one(".graphviz object, .graphviz img")
    assert graph is not None
    data = str(graph.get("data") or graph.get("src"))
    assert (page.parent / data).resolve().is_file(), data
    # cross-references of every kind
    hrefs = {str(a["href"]) for a in main.select("a.reference.internal[href]")}
    assert {"../../stability.html", "../../stability.html#stability-label",
            "../../glossary.html#term-sink", "../../glossary.html#term-excerpt",
            "../../api.html#kitchen_api.add"} <= hrefs, hrefs
    download = main.select_one("a.reference.download")
    assert download is not None and str(download["href"]).endswith("/data.csv")
    assert (page.parent / str(download["href"])).resolve().is_file()
    # sphinx-design, tasklist, deflist, substitution
    assert [words(t.get_text()) for t in main.select(".sd-card-title")] == [
        "The design card title", "Second card"]
    assert [words(t.get_text()) for t in main.select(".sd-tab-set .sd-tab-label")] == [
        "First tab", "Second tab"]
    boxes = main.select("input.task-list-item-checkbox")
    assert [b.has_attr("checked") for b in boxes] == [True, False]
    assert main.select_one("dl dt") is not None and "Definition term" in text
    assert "in Kitchen Sink." in text
    # the post header with its local cover
    header = main.select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2024-02-01"]
    cover = header.select_one("img")
    assert cover is not None and cover["alt"] == "An orange square"
    assert (page.parent / str(cover["src"])).resolve().is_file()


def test_rest_post(html: Path) -> None:
    page = html / "blog/posts/restpost.html"
    main = body(page)
    text = main_text(page)
    for expected in BODY_TEXT["restpost"]:
        assert has(text, expected), expected
    assert main.select_one("div.admonition.seealso") is not None
    assert main.select_one("div.versionadded") is not None
    assert main.select_one('dl.py.function dt[id="kitchen_api.mix"]') is not None
    assert main.select_one("div.citation") is not None
    hrefs = {str(a["href"]) for a in main.select("a.reference.internal[href]")}
    assert {"../../stability.html", "../../stability.html#stability-label",
            "../../glossary.html", "../../glossary.html#term-sink",
            "kitchen.html#kitchen-post"} <= hrefs, hrefs
    header = main.select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2024-03-01"]
    assert [a.get_text() for a in header.select("a.blogposts-tag")] == ["rst", "docs"]
    assert [a.get_text() for a in header.select("a.blogposts-category")] == ["Guides"]


def test_notebook_post_shows_its_saved_outputs(html: Path) -> None:
    page = html / "blog/posts/notebook.html"
    main = body(page)
    text = main_text(page)
    for expected in BODY_TEXT["notebook"]:
        assert has(text, expected), expected
    assert "mixing flour and water" in main.select_one(".output.stream").get_text()
    assert "'dough'" in main.select_one(".output.text_plain").get_text()
    header = main.select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2024-04-01"]
    assert [a.get_text() for a in header.select("a.blogposts-tag")] == ["notebooks"]


def test_cover_images_on_post_pages(html: Path) -> None:
    remote = body(html / "blog/posts/remote-cover.html").select_one(
        ".blogposts-post-header img")
    assert remote is not None and remote["src"] == REMOTE_COVER
    data = body(html / "blog/posts/data-cover.html").select_one(".blogposts-post-header img")
    assert data is not None and data["src"] == DATA_COVER


def test_data_uri_image_in_a_body(html: Path) -> None:
    page = body(html / "blog/posts/data-cover.html")
    inline = [i for i in page.select("img") if i.get("alt") == "a green pixel"]
    assert len(inline) == 1 and inline[0]["src"] == DATA_COVER
    for feed, entries in feed_entries(html).items():
        content = BeautifulSoup(entries["data-cover"], "html.parser")
        assert [i["src"] for i in content.find_all("img", alt="a green pixel")] == [
            DATA_COVER], feed


def test_remaining_posts_content(html: Path) -> None:
    for name in ("remote-cover", "data-cover"):
        text = main_text(html / f"blog/posts/{name}.html")
        for expected in BODY_TEXT[name]:
            assert has(text, expected), (name, expected)


def test_blog_index_lists_every_post(html: Path) -> None:
    page = body(html / "blog/index.html")
    items = listed(page)
    assert list(items) == POSTS
    for name, item in items.items():
        assert TITLES[name] in words(item.get_text(" ")), name


def test_postlists_in_a_page(html: Path) -> None:
    page = body(html / "lists.html")
    cards = page.select_one(".blogposts-cards")
    assert cards is not None
    assert list(listed(cards)) == POSTS
    lists = page.select_one("ul.blogposts-list")
    assert lists is not None
    items = listed(lists)
    assert list(items) == POSTS
    for name, item in items.items():
        assert item.select_one(".blogposts-excerpt") is not None, name  # :excerpts:


@pytest.mark.parametrize("page", ["lists.html", "blog/index.html"])
def test_excerpts_resolve_references_and_keep_inline_code(html: Path, page: str) -> None:
    """The first paragraph of ``kitchen`` has {doc}`/stability` and inline code."""
    containers = body(html / page).select(".blogposts-cards, ul.blogposts-list")
    assert len(containers) == (2 if page == "lists.html" else 1)
    excerpts = [listed(c)["kitchen"].select_one(".blogposts-excerpt") for c in containers]
    assert all(e is not None for e in excerpts), excerpts
    for excerpt in excerpts:
        text = words(excerpt.get_text(" "))
        assert "Stability policy" in text, text
        assert "/stability" not in text, text
        code = excerpt.select_one("code")
        assert code is not None, str(excerpt)
        assert code.get_text(strip=True) == "kitchen_api.add()"


@pytest.mark.parametrize("page", ["lists.html", "blog/index.html"])
def test_cover_images_in_cards(html: Path, page: str) -> None:
    root = body(html / page)
    cards = listed(root.select_one(".blogposts-cards"))
    remote = cards["remote-cover"].select_one("img")
    assert remote is not None and remote["src"] == REMOTE_COVER
    data = cards["data-cover"].select_one("img")
    assert data is not None and data["src"] == DATA_COVER
    local = cards["kitchen"].select_one("img")
    assert local is not None
    assert (html / Path(page).parent / str(local["src"])).resolve().is_file()


# -- 3. the feeds -----------------------------------------------------------------------------


def feed_entries(html: Path) -> dict[str, dict[str, str]]:
    """Feed -> post name -> the entry's full content (HTML), as written (feedparser would
    sanitize it and resolve relative URLs: it only checks that the feeds parse)."""

    def name(url: str | None) -> str:
        return str(url).removeprefix(f"{BASE}blog/posts/").removesuffix(".html")

    for feed in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((html / "blog" / feed).read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        assert [name(e.link) for e in parsed.entries] == POSTS, feed
    atom = ET.fromstring((html / "blog/atom.xml").read_bytes())
    rss = ET.fromstring((html / "blog/rss.xml").read_bytes())
    items = json.loads((html / "blog/feed.json").read_text(encoding="utf-8"))["items"]
    return {
        "atom.xml": {name(e.findtext(f"{ATOM}id")): e.findtext(f"{ATOM}content") or ""
                     for e in atom.iter(f"{ATOM}entry")},
        "rss.xml": {name(i.findtext("link")): i.findtext(f"{CONTENT}encoded") or ""
                    for i in rss.iter("item")},
        "feed.json": {name(i["url"]): i["content_html"] for i in items},
    }


def test_feeds_have_every_post_in_full(kitchensink: Any, html: Path) -> None:
    assert warnings_of(kitchensink("html").warnings) == []  # no blogposts.feed among them
    for feed, entries in feed_entries(html).items():
        assert list(entries) == POSTS, feed
        for name, content in entries.items():
            text = words(BeautifulSoup(content, "html.parser").get_text(" "))
            for expected in BODY_TEXT[name]:
                assert has(text, expected), (feed, name, expected)


def test_feed_urls_are_absolute(html: Path) -> None:
    remote = {REMOTE_COVER, REMOTE_BODY_IMAGE}
    for feed, entries in feed_entries(html).items():
        for name, content in entries.items():
            page = BeautifulSoup(content, "html.parser")
            urls = [(tag.name, attr, str(tag[attr]))
                    for attr in ("href", "src", "data", "srcset", "poster")
                    for tag in page.find_all(attrs={attr: True})]
            assert urls or name == "notebook", (feed, name)
            bad = [u for u in urls
                   if not (u[2].startswith((BASE, "data:")) or u[2] in remote)]
            assert bad == [], (feed, name, bad)
            # and they point at files that exist in the output
            for _, _, url in urls:
                if url.startswith(BASE):
                    target = url.removeprefix(BASE).split("#")[0]
                    assert target == "" or (html / target).exists(), (feed, name, url)


def test_feed_content_keeps_the_kitchen_constructs(html: Path) -> None:
    for feed, entries in feed_entries(html).items():
        page = BeautifulSoup(entries["kitchen"], "html.parser")
        imgs = {str(i["src"]) for i in page.find_all("img")}
        assert f"{BASE}_images/diagram.png" in imgs, (feed, imgs)
        assert REMOTE_BODY_IMAGE in imgs, (feed, imgs)
        hrefs = {str(a["href"]) for a in page.find_all("a", href=True)}
        assert {f"{BASE}stability.html", f"{BASE}glossary.html#term-sink",
                f"{BASE}api.html#kitchen_api.add"} <= hrefs, (feed, hrefs)
        assert any("x^2 + y^2 = z^2" in m.get_text() for m in page.select(".math")), feed
        numrefs = [words(a.get_text(" ")) for a in page.select('a.reference[href$="#fig-diagram"]')]
        assert numrefs and all(re.fullmatch(r"(Fig\.|Figure) 1", n) for n in numrefs), (
            feed, numrefs)
    for feed in ("atom.xml", "rss.xml", "feed.json"):
        cover = BeautifulSoup(feed_entries(html)[feed]["data-cover"], "html.parser")
        assert any(str(i["src"]) == DATA_COVER or str(i["src"]).startswith(f"{BASE}_images/")
                   for i in cover.find_all("img")), feed


# -- 4. serial and parallel give the same site ------------------------------------------------


def test_parallel_html_is_identical(kitchensink: Any, html: Path) -> None:
    parallel = Path(kitchensink("html", 2).ok().outdir)
    assert diff_trees(html, parallel) == []


# -- 5. the text builder ----------------------------------------------------------------------


def test_text_output_keeps_post_bodies(kitchensink: Any) -> None:
    out = Path(kitchensink("text").ok().outdir)
    kitchen = words((out / "blog/posts/kitchen.txt").read_text(encoding="utf-8"))
    assert "The seealso text points at the stability policy." in kitchen
    assert "The versionadded text for the scale function." in kitchen
    assert "kitchen_api.scale" in kitchen
    rest = words((out / "blog/posts/restpost.txt").read_text(encoding="utf-8"))
    assert "The reST seealso text about" in rest
    assert "The reST versionadded text." in rest

