"""The details a reader notices (issue 24), measured in Chromium.

Under the package's own theme (the example site, served and opened as in ``test_browser``):
the cards of one row are equally tall with their date lines at one height; the main column's
left edge is the same on the blog index, a category, a tag and a post; the current section is
marked (``aria-current``) on every blog page; at 320 and 375 px the header is at most two lines
high and the blog's tabs are one row.

Under furo, pydata-sphinx-theme, sphinx-book-theme, sphinx-rtd-theme and alabaster (the example
site configured as ``docs/themes/<theme>.md`` says, with a captioned docs section added so that
each theme shows its own sidebar caption): a widget's heading and links have the computed font
size, colour and text decoration of the theme's own sidebar caption and links.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

import test_browser
from test_browser import new_context, overflow
from test_other_themes import THEMES, needs, site_for, sphinx_build

from helpers import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.timeout(600)

# the fixtures of test_browser: the example site built once, served, and one Chromium
site = test_browser.site
base_url = test_browser.base_url
browser = test_browser.browser

POST = "blog/posts/zero-trust-security-doesnt-have-to-be-hard-heres-proof.html"
#: a post without an "On this page" column: its text column once started further right
POST_WITHOUT_TOC = "blog/posts/what-two-person-startups-get-wrong-about-webassembly.html"
CARD_PAGES = ["blog/index.html", "blog/category/tutorials.html"]
GENERATED = ["blog/index.html", "blog/category/index.html",
             "blog/category/tutorials.html", "blog/tag/index.html", "blog/tag/ai.html",
             "blog/author/index.html", "blog/author/alex.html", "blog/archive.html"]
POSTS = [POST, POST_WITHOUT_TOC]


def open_page(browser: Browser, url: str, width: int, height: int = 900) -> tuple[Any, Page]:
    context = new_context(browser, (width, height), "light")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return context, page


# -- 1. cards ------------------------------------------------------------------------------

CARD_ROWS = """() => {
  const rows = new Map();
  for (const card of document.querySelectorAll('.bp-cards > .blogposts-card')) {
    const box = card.getBoundingClientRect();
    const time = card.querySelector('.blogposts-meta time').getBoundingClientRect();
    const top = Math.round(box.top + scrollY);
    if (!rows.has(top)) rows.set(top, []);
    rows.get(top).push({height: box.height, date: time.top - box.top,
                        cover: !!card.querySelector('img.blogposts-card-image')});
  }
  return [...rows.values()];
}"""


@pytest.mark.parametrize("width", [1024, 1280, 1440])
@pytest.mark.parametrize("url", CARD_PAGES)
def test_cards_of_a_row_are_equal_with_dates_on_one_line(browser: Browser, base_url: str,
                                                         url: str, width: int) -> None:
    context, page = open_page(browser, base_url + url, width)
    try:
        rows = page.evaluate(CARD_ROWS)
        assert sum(len(r) for r in rows) >= 6 and max(len(r) for r in rows) >= 2, rows
        # the example has rows that mix posts with and without a cover: they line up too
        assert any(len({c["cover"] for c in r}) == 2 for r in rows), rows
        for row in rows:
            heights = [c["height"] for c in row]
            dates = [c["date"] for c in row]
            assert max(heights) - min(heights) <= 1, (url, width, row)
            assert max(dates) - min(dates) <= 1, (url, width, row)
    finally:
        context.close()


# -- 4. one left edge ----------------------------------------------------------------------

LEFT = """() => Math.round(document.querySelector('[role=main] h1').getBoundingClientRect().left)"""


@pytest.mark.parametrize("width", [1024, 1280, 1440, 1920])
def test_main_column_starts_at_the_same_x_on_every_blog_page(browser: Browser, base_url: str,
                                                              width: int) -> None:
    context, page = open_page(browser, base_url + "blog/index.html", width)
    try:
        lefts = {}
        for url in ["blog/index.html", "blog/category/tutorials.html", "blog/tag/ai.html",
                    *POSTS]:
            page.goto(base_url + url, wait_until="load")
            lefts[url] = page.evaluate(LEFT)
        assert len(set(lefts.values())) == 1, (width, lefts)
    finally:
        context.close()


# -- 2/3. the current section ----------------------------------------------------------------

CURRENT = """() => {
  const inside = (el, box) => { const r = el.getBoundingClientRect();
    return r.left >= box.left - 1 && r.right <= box.right + 1 && r.width > 0; };
  const nav = [...document.querySelectorAll('.bp-nav a[aria-current]')]
    .map(a => a.textContent.trim());
  const tabs = [...document.querySelectorAll('.bp-tabs a[aria-current]')];
  const list = document.querySelector('.bp-tabs ul');
  return {nav, tabs: tabs.map(a => [a.textContent.trim(), a.getAttribute('aria-current'),
                                    inside(a, list.getBoundingClientRect())])};
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_current_section_is_marked_on_every_blog_page(browser: Browser, base_url: str,
                                                      width: int) -> None:
    """The header's link to the page's section on every blog page; on a generated page one
    tab too, in view (on a phone the tabs scroll sideways and the current one is brought into
    view)."""
    context, page = open_page(browser, base_url + "blog/index.html", width)
    try:
        for url in GENERATED + POSTS:
            page.goto(base_url + url, wait_until="load")
            found = page.evaluate(CURRENT) if url in GENERATED else page.evaluate(
                "() => ({nav: [...document.querySelectorAll('.bp-nav a[aria-current]')]"
                ".map(a => a.textContent.trim()), tabs: []})")
            # the most specific section the header links to: the example links the blog, its
            # categories and its archive
            section = ("Categories" if url.startswith("blog/category/")
                       else "Archive" if url == "blog/archive.html" else "Blog")
            assert found["nav"] == [section], (url, found)
            if url in GENERATED:
                assert len(found["tabs"]) == 1, (url, found)
                _label, value, visible = found["tabs"][0]
                assert value in ("page", "true") and visible, (url, width, found)
    finally:
        context.close()


# -- 5. a phone's header -------------------------------------------------------------------

HEADER = """() => {
  const title = document.querySelector('.bp-brand-title');
  const inner = document.querySelector('.bp-header-inner');
  const line = parseFloat(getComputedStyle(title).lineHeight);
  const s = getComputedStyle(inner);
  const shown = [...inner.children].filter(el => el.getBoundingClientRect().height > 0
      && getComputedStyle(el).display !== 'none' && !el.classList.contains('bp-drawer'));
  const tabs = [...document.querySelectorAll('.bp-tabs li')].map(
      li => Math.round(li.getBoundingClientRect().top));
  const buttons = [...inner.querySelectorAll('button')].map(b => b.getBoundingClientRect().height);
  return {
    header: document.querySelector('.bp-header').getBoundingClientRect().height,
    button: Math.max(0, ...buttons),
    content: inner.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom),
    line, lines: title.getBoundingClientRect().height / line,
    rows: new Set(shown.map(el => Math.round(el.getBoundingClientRect().top
                                   + el.getBoundingClientRect().height / 2))).size,
    tabRows: new Set(tabs).size,
  };
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_header_is_at_most_two_lines_on_a_phone(browser: Browser, base_url: str,
                                                width: int) -> None:
    context, page = open_page(browser, base_url + "blog/index.html", width)
    try:
        for url in ["blog/index.html", "blog/archive.html", POST, "about.html", "index.html"]:
            page.goto(base_url + url, wait_until="load")
            found = page.evaluate(HEADER)
            assert found["lines"] <= 2.05, (url, width, found)  # the site name
            assert found["rows"] == 1, (url, width, found)  # name, menu and scheme buttons
            # as high as two lines of the name, or as a button where that is taller
            assert found["content"] <= max(2 * found["line"], found["button"]) + 1, (
                url, width, found)
            if url.startswith("blog/") and url != POST:
                assert found["tabRows"] == 1, (url, width, found)
            assert overflow(page) <= 0
            # the menu button keeps its name when it shows its icon only
            assert page.get_by_role("button", name="Menu").is_visible()
    finally:
        context.close()


# -- 6. widgets under other themes -----------------------------------------------------------

GUIDE_INDEX = """# Guides

Guides to the site.

```{toctree}
:caption: Getting started

setup
writing
```
"""

#: where each theme's own sidebar caption and (not current) links are, on guide/setup.html
HOST_NAV = {
    "furo": (".sidebar-tree:not(.blogposts-sidebar) p.caption .caption-text",
             ".sidebar-tree:not(.blogposts-sidebar) li.toctree-l1:not(.current) > a"),
    "pydata": (".bd-docs-nav p.caption .caption-text",
               ".bd-docs-nav li.toctree-l1:not(.current) > a"),
    "book": (".bd-docs-nav p.caption .caption-text",
             ".bd-docs-nav li.toctree-l1:not(.current) > a"),
    "rtd": (".wy-menu-vertical:not(.blogposts-sidebar) p.caption .caption-text",
            ".wy-menu-vertical:not(.blogposts-sidebar) li.toctree-l1:not(.current) > a"),
    # alabaster's sidebar sections (Navigation, Related Topics) have an h3 each
    "alabaster": (".sphinxsidebarwrapper > h3",
                  ".sphinxsidebarwrapper > ul li.toctree-l1:not(.current) > a"),
}
WIDGETS = ("recent", "categories", "tags", "archives")
PROPS = ("fontSize", "color", "textDecorationLine", "fontWeight", "textTransform")

STYLES = """([caption, link, widgets, props]) => {
  const style = el => { const s = getComputedStyle(el);
    return Object.fromEntries(props.map(p => [p, s[p]])); };
  const one = sel => { const el = document.querySelector(sel);
    if (!el) throw new Error('nothing at ' + sel); return el; };
  const result = {caption: style(one(caption)), link: style(one(link)), widgets: {}};
  for (const name of widgets) {
    const box = one('.blogposts-sidebar-' + name);
    const heading = box.querySelector('h1, h2, h3, h4, h5, h6, [role=heading]');
    // the element that holds the heading's text (its link, where it has one)
    let text = heading;
    while (text.children.length === 1
           && text.textContent.trim() === text.children[0].textContent.trim())
      text = text.children[0];
    result.widgets[name] = {heading: style(text), role: heading.tagName === 'H3'
        || heading.getAttribute('role') === 'heading',
        links: [...box.querySelectorAll('li > a')]
          .filter(a => !a.matches('[aria-current]')).map(style)};
  }
  return result;
}"""


@pytest.fixture(scope="module")
def captioned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Each theme's example site with a captioned docs section, served (built when asked)."""
    base = tmp_path_factory.mktemp("captioned")
    with ExitStack() as running:
        running.callback(shutil.rmtree, base, ignore_errors=True)  # after the servers stop

        class Lazy(dict[str, str]):
            def __missing__(self, key: str) -> str:
                theme = THEMES[key]
                needs(theme.module)
                src = site_for(theme, base / key)
                (src / "guide").mkdir()
                (src / "guide/index.md").write_text(GUIDE_INDEX, encoding="utf-8")
                (src / "guide/setup.md").write_text("# Setup\n\nInstall it.\n",
                                                    encoding="utf-8")
                (src / "guide/writing.md").write_text("# Writing\n\nWrite.\n",
                                                      encoding="utf-8")
                index = src / "index.md"
                index.write_text(index.read_text(encoding="utf-8")
                                 + "\n```{toctree}\n:caption: Guides\n\nguide/index\n```\n",
                                 encoding="utf-8")
                built = sphinx_build(src, base / key)
                assert built.returncode == 0, built.output
                self[key] = running.enter_context(serve(built.html))
                return self[key]

        yield Lazy()


def host_cases() -> list[tuple[str, str]]:
    return [(key, scheme) for key in THEMES
            for scheme in (("light", "dark") if THEMES[key].dark else ("light",))]


@pytest.mark.parametrize(("key", "scheme"), host_cases(),
                         ids=[f"{k}-{s}" for k, s in host_cases()])
def test_widgets_look_like_the_themes_own_navigation(browser: Browser,
                                                     captioned: dict[str, str], key: str,
                                                     scheme: str) -> None:
    base = captioned[key]
    context = new_context(browser, (1280, 900), scheme)
    try:
        page = context.new_page()
        page.goto(base + "guide/setup.html", wait_until="load")
        caption, link = HOST_NAV[key]
        found = page.evaluate(STYLES, [caption, link, list(WIDGETS), list(PROPS)])
        for name, widget in found["widgets"].items():
            assert widget["role"], (key, name)  # a heading to assistive technology
            for prop in ("fontSize", "color", "textDecorationLine", "fontWeight",
                         "textTransform"):
                assert widget["heading"][prop] == found["caption"][prop], (
                    key, scheme, name, "heading", prop, widget["heading"], found["caption"])
            assert widget["links"], (key, name)
            for style in widget["links"]:
                for prop in ("fontSize", "color", "textDecorationLine"):
                    assert style[prop] == found["link"][prop], (
                        key, scheme, name, "link", prop, style, found["link"])
    finally:
        context.close()
