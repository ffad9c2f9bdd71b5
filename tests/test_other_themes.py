"""sphinx-blogposts inside the themes and extensions that existing docs sites already use.

The example site is built once under each of furo, pydata-sphinx-theme, sphinx-book-theme,
sphinx-rtd-theme and alabaster, with ``-W``, using the exact ``conf.py`` (and, for the Read the
Docs theme, the ``layout.html``) that ``docs/themes/<theme>.md`` tells users to write: the code
blocks are read from those pages, so the docs cannot drift from what is tested.  A site with the
usual companions (myst-nb, sphinx-design, sphinx-copybutton, sphinxext-opengraph, sphinx-sitemap)
is built once too.

Then one Chromium (the helpers of ``test_browser.py``) opens a post and a category page under
each theme, at 375 and 1280 px, in the theme's light and (where it has one) dark mode: no
sideways scroll, and no serious or critical axe-core violation in the extension's markup. A
colour problem that is the theme's own (the same colours fail outside the extension's markup, on
the same page or on a docs page of the same theme) is recorded but not held against us.
Screenshots go to ``tests/artifacts/screenshots/themes/``, axe results to
``tests/artifacts/themes-axe.json``.

The theme packages are the ``themes`` extra (``pip install -e .[test,themes]``); without one of
them, its tests skip.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from test_browser import (
    ARTIFACTS,
    BLOCKING,
    LAUNCH_ARGS,
    Watched,
    background,
    find_chromium,
    is_dark,
    new_context,
    overflow,
    unavailable,
)

from helpers import serve, soup

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "example_site"
THEME_DOCS = ROOT / "docs" / "themes"
COEXIST = Path(__file__).parent / "roots" / "test-coexist"
SCREENSHOTS = ARTIFACTS / "screenshots" / "themes"
AXE_FILE = ARTIFACTS / "themes-axe.json"

POST = "blog/posts/zero-trust-security-doesnt-have-to-be-hard-heres-proof.html"
PAGES = {"post": POST, "category": "blog/category/tutorials.html"}
#: a documentation page: what the theme shows without the extension's markup in its content
DOCS_PAGE = "about.html"
#: every generated page kind, and pages with a post list
GENERATED = [
    "blog/index.html", "blog/category/index.html", "blog/category/tutorials.html",
    "blog/tag/index.html", "blog/tag/security.html", "blog/author/index.html",
    "blog/author/alex.html", "blog/archive.html",
]
WIDGETS = ("recent", "categories", "tags", "archives")
WIDTHS = (375, 1280)


@dataclass(frozen=True)
class Theme:
    """A theme under test: its package, docs page, and where its content and sidebar are."""

    html_theme: str
    module: str
    doc: str
    dark: bool
    main: str
    sidebar: str


THEMES = {
    "furo": Theme("furo", "furo", "furo.md", True, 'article[role="main"]', ".sidebar-drawer"),
    "pydata": Theme("pydata_sphinx_theme", "pydata_sphinx_theme", "pydata.md", True,
                    "article.bd-article", ".bd-sidebar-primary"),
    "book": Theme("sphinx_book_theme", "sphinx_book_theme", "book.md", True,
                  "article.bd-article", ".bd-sidebar-primary"),
    "rtd": Theme("sphinx_rtd_theme", "sphinx_rtd_theme", "rtd.md", False,
                 'div[itemprop="articleBody"]', "nav.wy-nav-side"),
    "alabaster": Theme("alabaster", "alabaster", "alabaster.md", False,
                       'div.body[role="main"]', "div.sphinxsidebar"),
}

_FENCE = re.compile(r"^```(?P<lang>[\w+-]+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(doc: Path) -> dict[str, str]:
    """The first fenced code block of each language in a docs page (``python``, ...)."""
    blocks: dict[str, str] = {}
    for match in _FENCE.finditer(doc.read_text(encoding="utf-8")):
        blocks.setdefault(match["lang"], match["body"])
    return blocks


def needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e .[themes])")


@dataclass
class Built:
    returncode: int
    output: str
    html: Path


def sphinx_build(src: Path, out: Path, *extra: str) -> Built:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", *extra,
         "-d", str(out / ".doctrees"), str(src), str(out / "html")],
        capture_output=True, text=True, check=False, timeout=600,
    )
    return Built(result.returncode, result.stdout + result.stderr, out / "html")


def site_for(theme: Theme, dest: Path) -> Path:
    """The example site, configured as ``docs/themes/<theme>.md`` says."""
    src = dest / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    blocks = code_blocks(THEME_DOCS / theme.doc)
    conf = src / "conf.py"
    # the example's options are its own theme's: the documented conf.py comes after them
    conf.write_text(conf.read_text(encoding="utf-8") + "\nhtml_theme_options = {}\n"
                    + blocks["python"], encoding="utf-8")
    if "html+jinja" in blocks:
        (src / "_templates").mkdir()
        (src / "_templates" / "layout.html").write_text(blocks["html+jinja"], encoding="utf-8")
    return src




@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every installed theme's build, each made once (lazily, by the first test to ask)."""
    base = tmp_path_factory.mktemp("other-themes")

    class Lazy(dict[str, Built]):
        def __missing__(self, key: str) -> Built:
            theme = THEMES[key]
            needs(theme.module)
            built = sphinx_build(site_for(theme, base / key), base / key)
            self[key] = built
            return built

    return Lazy()


def built_site(builds: dict[str, Built], key: str) -> Path:
    built = builds[key]
    assert built.returncode == 0, built.output
    return built.html


# -- builds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(THEMES))
def test_documented_conf_builds_with_W(builds: dict[str, Built], key: str) -> None:
    built = builds[key]
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output


@pytest.mark.parametrize("key", list(THEMES))
def test_blog_renders_inside_the_themes_own_page(builds: dict[str, Built], key: str) -> None:
    """Posts, post lists and every generated page sit in the theme's content column, with the
    theme's stylesheet and the extension's."""
    html = built_site(builds, key)
    main = THEMES[key].main
    post = soup(html / POST)
    assert post.select_one(f"{main} .blogposts-post-header .blogposts-meta time[datetime]")
    assert post.select_one(f"{main} .blogposts-post-footer .blogposts-prevnext")
    assert post.select_one(f"{main} img.blogposts-cover")
    home = soup(html / "index.html")
    assert home.select(f"{main} .blogposts-cards .blogposts-card")
    for name in GENERATED:
        page = soup(html / name)
        assert page.select_one(f"{main} section.blogposts-page h1"), name
        sheets = [link.get("href", "") for link in page.select('link[rel="stylesheet"]')]
        assert any("blogposts.css" in str(s) for s in sheets), name
        assert len(sheets) >= 3, (name, sheets)  # the theme's own besides pygments and ours


@pytest.mark.parametrize("key", list(THEMES))
def test_sidebar_widgets_sit_in_the_themes_sidebar(builds: dict[str, Built], key: str) -> None:
    html = built_site(builds, key)
    for name in (POST, "blog/category/tutorials.html", "about.html"):
        page = soup(html / name)
        sidebar = page.select_one(THEMES[key].sidebar)
        assert sidebar is not None, name
        for widget in WIDGETS:
            box = sidebar.select_one(f".blogposts-sidebar-{widget}")
            assert box is not None, (name, widget)
            links = box.select("li a[href]")
            assert links, (name, widget)
            for link in links:
                target = str(link["href"]).split("#")[0]
                if target:
                    assert (html / name).parent.joinpath(target).resolve().is_file(), target


# -- in Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole module."""
    executable = find_chromium()
    if executable is None:
        unavailable("no Chromium found (looked for /usr/bin/chromium and chromium on PATH)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        unavailable("axe-playwright-python is not installed")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        except Error as exc:
            unavailable(f"Chromium at {executable} did not start: {exc}")
        try:
            yield launched
        finally:
            launched.close()
    if AXE_RESULTS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        AXE_FILE.write_text(json.dumps(AXE_RESULTS, indent=2, sort_keys=True) + "\n",
                            encoding="utf-8")


@pytest.fixture(scope="module")
def servers(builds: dict[str, Built]) -> Iterator[dict[str, str]]:
    """Each theme's site over HTTP on 127.0.0.1, started when first asked for."""
    with ExitStack() as running:

        class Lazy(dict[str, str]):
            def __missing__(self, key: str) -> str:
                self[key] = running.enter_context(serve(built_site(builds, key)))
                return self[key]

        yield Lazy()


#: axe findings per page checked, written to tests/artifacts/themes-axe.json
AXE_RESULTS: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True)
class Baseline:
    """What a theme shows on a docs page, without the extension's markup in its content."""

    colours: frozenset[tuple[str, str, str]]  # colour signatures of its axe violations
    problems: frozenset[str]  # its console errors and failed requests


_BASELINES: dict[tuple[str, str], Baseline] = {}

_INSIDE = """(targets) => targets.map(t => {
  const sel = Array.isArray(t) ? t[t.length - 1] : t;
  let el = null;
  try { el = document.querySelector(sel); } catch (e) { return false; }
  return !!(el && el.closest('[class*="blogposts-"]'));
})"""


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    target: str
    signature: tuple[str, str, str]
    ours: bool
    summary: str


def colour_signature(rule: str, node: dict[str, Any]) -> tuple[str, str, str]:
    """A violation's rule and the colours it is about (empty when it is not about colours)."""
    for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
        data = check.get("data")
        if isinstance(data, dict):
            fg = data.get("fgColor") or data.get("nodeColor") or ""
            bg = data.get("bgColor") or data.get("parentColor") or ""
            if fg or bg:
                return (rule, str(fg), str(bg))
    return (rule, "", "")


def axe_findings(page: Page) -> list[Finding]:
    """Serious and critical axe-core violations, each node marked as ours or not."""
    from axe_playwright_python.sync_playwright import Axe

    findings = []
    for violation in Axe().run(page).response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        nodes = violation["nodes"]
        inside = page.evaluate(_INSIDE, [n["target"] for n in nodes])
        for node, ours in zip(nodes, inside, strict=True):
            findings.append(Finding(violation["id"], str(violation["impact"]),
                                    json.dumps(node["target"]),
                                    colour_signature(violation["id"], node), bool(ours),
                                    str(node.get("failureSummary", ""))[:300]))
    return findings


def baseline(browser: Browser, base: str, key: str, scheme: str) -> Baseline:
    """The theme's own problems, seen on a docs page in the same scheme (at phone size, where
    themes show the most: menus, collapsed sidebars)."""
    cache_key = (key, scheme)
    if cache_key not in _BASELINES:
        context = new_context(browser, (375, 800), scheme)
        try:
            watched = Watched(context)
            watched.page.goto(base + DOCS_PAGE, wait_until="load")
            settle(watched.page)
            problems = frozenset(watched.problems)
            colours = {f.signature for f in axe_findings(watched.page)
                       if not f.ours and f.signature[1:] != ("", "")}
            _BASELINES[cache_key] = Baseline(frozenset(colours), problems)
        finally:
            context.close()
    return _BASELINES[cache_key]


def settle(page: Page) -> None:
    """Every image loaded (or failed, which the page's watcher records), lazy ones too: like
    ``test_browser.settle`` without its waits for the network to be idle twice."""
    page.evaluate("""async () => {
        const images = [...document.images];
        images.forEach(img => { img.loading = 'eager'; });
        await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
            img.addEventListener('load', done); img.addEventListener('error', done); })));
    }""")


def schemes_of(key: str) -> list[str]:
    return ["light", "dark"] if THEMES[key].dark else ["light"]


CASES = [(key, name, width, scheme) for key in THEMES for name in PAGES for width in WIDTHS
         for scheme in schemes_of(key)]


@pytest.mark.parametrize(("key", "name", "width", "scheme"), CASES,
                         ids=[f"{k}-{n}-{w}-{s}" for k, n, w, s in CASES])
def test_page_in_browser(browser: Browser, servers: dict[str, str], key: str, name: str,
                         width: int, scheme: str) -> None:
    """Readable in the theme's light and dark modes, no sideways scroll at 375 px, and no
    serious or critical axe-core violation introduced by the extension's markup."""
    base = servers[key]
    theirs = baseline(browser, base, key, scheme)
    own: set[tuple[str, str, str]] = set(theirs.colours)
    context = new_context(browser, (width, 800), scheme)
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base + PAGES[name], wait_until="load")
        settle(page)
        if THEMES[key].dark:
            assert is_dark(background(page)) == (scheme == "dark"), background(page)
        assert overflow(page) <= 0, f"{name} under {key} scrolls sideways at {width} px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{key}-{name}-{width}-{scheme}"
        page.screenshot(path=f"{shot}.png")  # the first screen
        if width == 1280:
            page.screenshot(path=f"{shot}-full.png", full_page=True)
        # what the page did; not axe-core's own requests (it fetches the stylesheets and
        # resolves their @import against the page, not the sheet: pydata's "../basic.css")
        problems = list(watched.problems)
        findings = axe_findings(page)
        # the theme's own colours failing elsewhere on this page are the theme's too
        own |= {f.signature for f in findings if not f.ours and f.signature[1:] != ("", "")}
        ours = [f for f in findings if f.ours and f.signature not in own]
        excused = [f for f in findings if f.ours and f.signature in own]
        AXE_RESULTS[f"{key} {name} {width} {scheme}"] = {
            "url": PAGES[name],
            "ours": [f"{f.rule} ({f.impact}) {f.target}" for f in ours],
            "theme_colours_in_our_markup": dict(Counter(
                f"{f.rule} {f.signature[1]} on {f.signature[2]}" for f in excused)),
            "theme_only": sorted({f"{f.rule} ({f.impact})" for f in findings if not f.ours}),
        }
        assert [f"{f.rule} ({f.impact}): {f.target}: {f.summary}" for f in ours] == []
        # the theme's own console errors (pydata: 'Got invalid theme mode') are not ours
        assert [p for p in problems if p not in theirs.problems] == []
    finally:
        context.close()


@pytest.mark.parametrize("key", list(THEMES))
def test_sidebar_widgets_are_visible_on_desktop(browser: Browser, servers: dict[str, str],
                                                key: str) -> None:
    context = new_context(browser, (1280, 800), "light")
    try:
        page = context.new_page()
        page.goto(servers[key] + PAGES["category"], wait_until="load")
        recent = page.locator(f"{THEMES[key].sidebar} .blogposts-sidebar-recent")
        assert recent.is_visible()
        box = recent.bounding_box()
        assert box is not None and box["width"] > 120
        # the widget keeps within the sidebar: nothing sticks out sideways
        assert page.evaluate("""(sel) => [...document.querySelectorAll(sel + ' li')]
            .every(li => li.scrollWidth <= li.clientWidth + 1)""",
                             f"{THEMES[key].sidebar} .blogposts-sidebar")
    finally:
        context.close()


# -- the usual companions: myst-nb, sphinx-design, sphinx-copybutton, opengraph, sitemap ------

COMPANIONS = ("myst_nb", "sphinx_design", "sphinx_copybutton", "sphinxext.opengraph",
              "sphinx_sitemap", "furo")


@pytest.fixture(scope="module")
def coexist(tmp_path_factory: pytest.TempPathFactory) -> Built:
    for module in COMPANIONS:
        needs(module)
    base = tmp_path_factory.mktemp("coexist")
    src = base / "src"
    shutil.copytree(COEXIST, src)
    built = sphinx_build(src, base)
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output
    return built


def test_coexisting_extensions_build_with_W(coexist: Built) -> None:
    assert (coexist.html / "blog/posts/design.html").is_file()


def test_sitemap_lists_the_blog_pages_and_no_hidden_draft(coexist: Built) -> None:
    html = coexist.html
    listed = sitemap_urls(html)
    from sphinx_blogposts.write.redirects import MARK

    pages = {p.relative_to(html).as_posix(): p for p in (html / "blog").rglob("*.html")}
    # a redirect page (the notebook's old name) is no page for search engines
    moved = {name for name, p in pages.items() if MARK in p.read_text(encoding="utf-8")}
    assert moved == {"blog/old-notebook.html"} and not moved & listed
    written = set(pages) - moved
    assert "blog/posts/notebook.html" in written and "blog/tag/jupyter.html" in written
    assert written <= listed, written - listed  # every post and generated page is listed
    assert {"index.html", "guide.html"} <= listed
    for hidden in ("draft", "draft-notebook", "secret-tag", "secret-notebook-tag"):
        assert not any(hidden in url for url in listed | written), hidden


def sitemap_urls(html: Path) -> set[str]:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(html / "sitemap.xml").getroot()
    return {str(loc.text).removeprefix("https://docs.example.org/")
            for loc in root.findall("s:url/s:loc", ns)}


def test_parallel_build_sitemap_is_the_same(coexist: Built,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """sphinx-sitemap collects pages from parallel writers: drafts stay out there too."""
    base = tmp_path_factory.mktemp("coexist-parallel")
    shutil.copytree(COEXIST, base / "src")
    built = sphinx_build(base / "src", base, "-j", "2")
    assert built.returncode == 0, built.output
    urls = sitemap_urls(built.html)
    assert urls == sitemap_urls(coexist.html)
    # the generated pages, written by their own worker under -j 2, are listed too
    assert "blog/index.html" in urls and any(u.startswith("blog/category/") for u in urls)


def test_opengraph_tags_are_written_once(coexist: Built) -> None:
    for name in ("blog/posts/design.html", "blog/posts/notebook.html", "blog/index.html",
                 "blog/category/notebooks.html", "index.html"):
        page = soup(coexist.html / name)
        keys = Counter(str(m.get("property") or m.get("name"))
                       for m in page.find_all("meta")
                       if str(m.get("property") or m.get("name") or "").startswith(
                           ("og:", "twitter:", "description")))
        assert keys["og:title"] == 1 and keys["og:url"] == 1, (name, keys)
        assert [k for k, n in keys.items() if n > 1] == [], (name, keys)
    post = soup(coexist.html / "blog/posts/design.html")
    assert [m.get("content") for m in post.select('meta[property="og:type"]')] == ["article"]


def test_sphinx_design_cards_render_in_a_post(coexist: Built) -> None:
    post = soup(coexist.html / "blog/posts/design.html")
    main = post.select_one('article[role="main"]')
    assert main is not None
    cards = main.select(".sd-container-fluid .sd-row .sd-card")
    assert [t.get_text(strip=True) for c in cards for t in c.select(".sd-card-title")] == [
        "First card", "Second card"]
    assert main.select_one(".blogposts-post-header") is not None
    sheets = " ".join(str(link.get("href")) for link in post.select('link[rel="stylesheet"]'))
    assert "sphinx-design" in sheets and "blogposts.css" in sheets


def test_copybutton_on_posts_and_generated_pages(coexist: Built) -> None:
    for name in ("blog/posts/design.html", "blog/index.html", "guide.html"):
        page = soup(coexist.html / name)
        scripts = " ".join(str(s.get("src")) for s in page.find_all("script"))
        assert "copybutton" in scripts, name
    post = soup(coexist.html / "blog/posts/design.html")
    assert post.select_one("div.highlight pre") is not None


def test_notebooks_are_posts_with_their_own_metadata(coexist: Built) -> None:
    html = coexist.html
    ipynb = soup(html / "blog/posts/notebook.html")
    header = ipynb.select_one(".blogposts-post-header")
    assert header is not None
    assert [t.get("datetime") for t in header.select("time")] == ["2025-01-15"]
    assert [a.get_text() for a in header.select("a.blogposts-tag")] == ["notebooks", "jupyter"]
    assert [a.get_text() for a in header.select("a.blogposts-category")] == ["Notebooks"]
    assert [a.get_text() for a in header.select("a.blogposts-author")] == ["Ada Lovelace"]
    # ABlog's redirect, in the notebook's metadata: a redirect page at the old name
    old = (html / "blog/old-notebook.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in old and "posts/notebook.html" in old
    text = ipynb.get_text(" ")
    assert "42" in text  # the saved output ...
    assert "never run" in text and "RuntimeError:" not in text  # ... and nothing executed
    mystnb = soup(html / "blog/posts/mystnb.html")
    header = mystnb.select_one(".blogposts-post-header")
    assert header is not None
    assert [t["datetime"] for t in header.select("time")] == ["2025-02-01", "2025-02-03"]
    assert [a.get_text() for a in header.select("a.blogposts-tag")] == ["notebooks", "myst"]
    listing = soup(html / "blog/category/notebooks.html").get_text(" ")
    assert "A Jupyter notebook post" in listing and "A MyST notebook post" in listing
    assert "A notebook whose post metadata sits in the notebook" in listing  # its excerpt
    for hidden in ("blog/posts/draft-notebook.html", "blog/tag/secret-notebook-tag.html"):
        assert not (html / hidden).exists()
    assert "hidden notebook draft" not in (html / "blog/index.html").read_text(encoding="utf-8")


def test_copy_buttons_work_in_the_browser(browser: Browser, coexist: Built) -> None:
    with serve(coexist.html) as url:
        context = new_context(browser, (1280, 800), "light")
        try:
            watched = Watched(context)
            page = watched.page
            page.goto(f"{url}blog/posts/design.html")
            settle(page)
            assert page.locator("div.highlight button.copybtn").count() == 1
            assert page.locator(".sd-card").count() == 2
            assert overflow(page) <= 0
            assert watched.problems == []
        finally:
            context.close()
