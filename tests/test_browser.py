"""The theme in a real browser: the example site built once, served over HTTP and checked in
Chromium with axe-core, at a phone and a desktop size, in the light and the dark scheme.

Playwright drives the system's Chromium (its own browser download is not used). Without a
Chromium, or without Playwright, these tests skip with the reason; with
``BLOGPOSTS_REQUIRE_BROWSER=1`` (CI) that skip is a failure instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from helpers import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

EXAMPLE = Path(__file__).parents[1] / "example_site"
ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
REQUIRED = os.environ.get("BLOGPOSTS_REQUIRE_BROWSER") == "1"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PAGES = {
    "index": "blog/index.html",
    "category": "blog/category/tutorials.html",
    "post": "blog/posts/zero-trust-security-doesnt-have-to-be-hard-heres-proof.html",
    "docs": "about.html",
}
VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")

#: axe results of every page checked, written to tests/artifacts/axe-results.json
AXE_SUMMARY: dict[str, dict[str, Any]] = {}


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the environment promises a browser."""
    if REQUIRED:
        pytest.fail(f"{reason} (BLOGPOSTS_REQUIRE_BROWSER=1 makes this a failure)")
    pytest.skip(reason)


def find_chromium() -> str | None:
    candidates = [os.environ.get("BLOGPOSTS_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / ".doctrees"), str(EXAMPLE), str(out / "html")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / "html"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
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
    if AXE_SUMMARY:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe-results.json").write_text(
            json.dumps(AXE_SUMMARY, indent=2, sort_keys=True) + "\n", encoding="utf-8")


class Watched:
    """A page whose console errors, failed requests and error responses are recorded."""

    def __init__(self, context: BrowserContext) -> None:
        self.page: Page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))

    def _failed(self, request: Request) -> None:
        # Chromium cancels what is still loading when the test leaves or reloads the page (a lazy
        # image scrolled into view just before) and reports net::ERR_ABORTED; that says nothing
        # about the site. A missing or broken file still shows as an HTTP error response above or
        # as another net:: error here.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")


def new_context(browser: Browser, size: tuple[int, int], scheme: str,
                **kwargs: Any) -> BrowserContext:
    width, height = size
    return browser.new_context(viewport={"width": width, "height": height},
                               color_scheme=scheme, **kwargs)  # type: ignore[arg-type]


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 when nothing sticks out)."""
    return int(page.evaluate(
        "document.documentElement.scrollWidth - window.innerWidth"))


def settle(page: Page) -> None:
    """Scroll to the end and back, so lazy images load (and fail, if they are broken)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def background(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def is_dark(colour: str) -> bool:
    digits = [float(x) for x in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    return sum(digits) / 3 < 100


# -- every page, size and scheme ---------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_in_browser(browser: Browser, base_url: str, name: str, viewport: str,
                         scheme: str) -> None:
    """axe-core finds nothing serious; no console error, failed request or sideways scroll."""
    size = VIEWPORTS[viewport]
    context = new_context(browser, size, scheme)
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + PAGES[name], wait_until="load")
        settle(page)
        assert is_dark(background(page)) == (scheme == "dark")
        assert overflow(page) <= 0, f"{name} scrolls sideways at {size[0]} px"
        report = blocking_violations(page, f"{name} {size[0]}x{size[1]} {scheme}", PAGES[name])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{name}-{size[0]}-{scheme}"
        page.screenshot(path=f"{shot}.png", full_page=True)
        page.screenshot(path=f"{shot}-top.png")  # what a reader sees first
        assert report == []
        assert watched.problems == []
    finally:
        context.close()


MORE_PAGES = {
    "home": "index.html",
    "categories": "blog/category/index.html",
    "tags": "blog/tag/index.html",
    "tag": "blog/tag/ai.html",
    "authors": "blog/author/index.html",
    "author": "blog/author/alex.html",
    "archive": "blog/archive.html",
    "search": "search.html?q=pulumi",
    "genindex": "genindex.html",
}


def blocking_violations(page: Page, key: str, url: str) -> list[str]:
    """Run axe-core; record its findings; the serious and critical ones, readable."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    AXE_SUMMARY[key] = {
        "url": url,
        "blocking": [v["id"] for v in blocking],
        "others": sorted(f"{v['id']} ({v.get('impact')})" for v in violations
                         if v not in blocking),
    }
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            f"{[n['target'] for n in v['nodes'][:5]]}" for v in blocking]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(MORE_PAGES))
def test_other_pages_in_browser(browser: Browser, base_url: str, name: str,
                                scheme: str) -> None:
    """The rest of the site at phone size: axe-core, console, network and overflow."""
    context = new_context(browser, VIEWPORTS["phone"], scheme)
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + MORE_PAGES[name], wait_until="load")
        settle(page)
        if name == "search":
            page.locator("#search-results ul.search li").first.wait_for(timeout=10_000)
        assert overflow(page) <= 0, f"{name} scrolls sideways"
        assert blocking_violations(page, f"{name} 375x812 {scheme}", MORE_PAGES[name]) == []
        assert watched.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 768, 1024, 1440, 1920])
def test_no_sideways_scroll_from_320_to_1920(browser: Browser, base_url: str,
                                             width: int) -> None:
    context = new_context(browser, (width, 900), "light")
    try:
        page = context.new_page()
        for url in [*PAGES.values(), *MORE_PAGES.values()]:
            page.goto(base_url + url)
            assert overflow(page) <= 0, f"{url} scrolls sideways at {width} px"
            if width < 1024:  # and with the menu open
                page.locator(".bp-menu-button").click()
                assert overflow(page) <= 0, f"{url} with its menu open, at {width} px"
    finally:
        context.close()


def test_axe_does_report_problems(browser: Browser, base_url: str) -> None:
    """The checks above are live: a low-contrast paragraph and a nameless button are caught."""
    context = new_context(browser, VIEWPORTS["desktop"], "light")
    try:
        page = context.new_page()
        page.goto(base_url + PAGES["docs"])
        page.evaluate("""() => {
            const p = document.createElement('p');
            p.textContent = 'barely there'; p.style.color = '#ccc';
            document.querySelector('.bp-article').append(p, document.createElement('button'));
        }""")
        found = " ".join(blocking_violations(page, "sanity (injected problems)", PAGES["docs"]))
        assert "color-contrast" in found and "button-name" in found
    finally:
        context.close()


def test_watched_reports_broken_files_and_script_errors(browser: Browser, base_url: str) -> None:
    """The problem lists above are live: a missing image, a failed fetch and a script error are
    caught (only ``net::ERR_ABORTED``, a request cut short by leaving the page, is not)."""
    context = new_context(browser, VIEWPORTS["desktop"], "light")
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + PAGES["docs"])
        page.evaluate("""() => {
            const img = document.createElement('img');
            img.src = '_images/no-such-image.png'; img.alt = '';
            document.body.append(img);
            fetch('http://127.0.0.1:9/refused').catch(() => {});
            setTimeout(() => { throw new Error('boom'); });
        }""")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        found = " ".join(watched.problems)
        assert "HTTP 404" in found and "no-such-image.png" in found
        assert "request failed: http://127.0.0.1:9/refused (net::ERR_" in found
        assert "page error" in found and "boom" in found
    finally:
        context.close()


# -- behaviour -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_dark_toggle_works_and_persists(browser: Browser, base_url: str,
                                        viewport: str) -> None:
    context = new_context(browser, VIEWPORTS[viewport], "light")
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + PAGES["post"])
        toggle = page.locator(".bp-scheme-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-pressed") == "false"
        assert not is_dark(background(page))
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"
        assert page.evaluate("document.documentElement.dataset.scheme") == "dark"
        assert is_dark(background(page))
        # the code blocks follow: the dark Pygments sheet now applies whatever the system says
        assert page.evaluate("document.getElementById('pygments_dark_css').media") == "screen"
        page.reload()
        assert is_dark(background(page))
        assert page.locator(".bp-scheme-toggle").get_attribute("aria-pressed") == "true"
        page.goto(base_url + PAGES["index"])  # and on every other page
        assert is_dark(background(page))
        page.locator(".bp-scheme-toggle").click()
        page.reload()
        assert not is_dark(background(page))
        assert page.evaluate("localStorage.getItem('sphinx-blogposts-scheme')") == "light"
        assert watched.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_skip_link_is_the_first_tab_stop(browser: Browser, base_url: str, name: str,
                                         viewport: str) -> None:
    context = new_context(browser, VIEWPORTS[viewport], "light")
    try:
        page = context.new_page()
        page.goto(base_url + PAGES[name])
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert focused == ["bp-skip-link", "#main-content"]
        box = page.locator(".bp-skip-link").bounding_box()
        assert box is not None and box["y"] >= 0 and box["width"] > 20  # visible when focused
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        border = page.evaluate("getComputedStyle(document.activeElement).borderTopStyle")
        assert "solid" in (outline, border)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main-content"
    finally:
        context.close()


def test_phone_menu_folds_the_navigation(browser: Browser, base_url: str) -> None:
    context = new_context(browser, VIEWPORTS["phone"], "light")
    try:
        page = context.new_page()
        page.goto(base_url + PAGES["docs"])
        button = page.locator(".bp-menu-button")
        nav = page.locator(".bp-nav")
        sidebar = page.locator(".bp-sidebar")
        assert button.is_visible() and not nav.is_visible() and not sidebar.is_visible()
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert nav.is_visible() and sidebar.is_visible()
        assert overflow(page) <= 0
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
        assert page.evaluate("document.activeElement.className") == "bp-menu-button"
    finally:
        context.close()


def test_desktop_shows_navigation_sidebar_and_page_toc(browser: Browser, base_url: str) -> None:
    context = new_context(browser, VIEWPORTS["desktop"], "light")
    try:
        page = context.new_page()
        page.goto(base_url + PAGES["docs"])
        assert not page.locator(".bp-menu-button").is_visible()
        assert page.locator(".bp-nav a[aria-current='page']").inner_text() == "About"
        assert page.locator(".bp-sidebar-nav li.current").count() >= 1
        toc = page.locator(".bp-toc")
        assert toc.is_visible()
        assert toc.locator("a[href='#how-we-publish']").is_visible()
        landmarks = page.evaluate(
            "['header.bp-header', 'nav', '[role=main]', 'footer.bp-footer']"
            ".map(s => document.querySelectorAll(s).length)")
        assert landmarks[0] == 1 and landmarks[1] >= 2 and landmarks[2] == 1 and landmarks[3] == 1
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_without_javascript_the_system_scheme_applies(browser: Browser, base_url: str,
                                                      scheme: str) -> None:
    context = new_context(browser, VIEWPORTS["phone"], scheme, java_script_enabled=False)
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + PAGES["post"])
        assert is_dark(background(page)) == (scheme == "dark")
        assert not page.locator(".bp-scheme-toggle").is_visible()  # it could not work
        assert not page.locator(".bp-menu-button").is_visible()
        assert page.locator(".bp-nav").is_visible()  # the menu is simply open
        assert overflow(page) <= 0
        assert watched.problems == []
    finally:
        context.close()


def test_search_page_finds_posts(browser: Browser, base_url: str) -> None:
    context = new_context(browser, VIEWPORTS["desktop"], "light")
    try:
        watched = Watched(context)
        page = watched.page
        page.goto(base_url + "index.html")
        page.fill("#bp-search-input", "pulumi")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search.html?q=pulumi*")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=10_000)
        assert "MLOps and Pulumi" in page.locator("#search-results").inner_text()
        assert watched.problems == []
    finally:
        context.close()


def test_print_stylesheet_hides_the_chrome(browser: Browser, base_url: str) -> None:
    context = new_context(browser, VIEWPORTS["desktop"], "dark")
    try:
        page = context.new_page()
        page.goto(base_url + PAGES["post"])
        page.emulate_media(media="print")
        assert not page.locator(".bp-header").is_visible()
        assert not page.locator(".bp-sidebar").is_visible()
        assert not is_dark(background(page))
        assert page.locator(".bp-article h1").is_visible()
    finally:
        context.close()
