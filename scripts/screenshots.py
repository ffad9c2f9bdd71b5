"""Screenshots for the docs: every blog page type under the package's own theme and under furo,
pydata-sphinx-theme, sphinx-book-theme, sphinx-rtd-theme and alabaster, at 1280 and 375 px.

    source scripts/_venv.sh && python scripts/screenshots.py

The example site is built once per theme (under the other themes with the exact ``conf.py``
that ``docs/themes/<theme>.md`` gives, as tests/test_other_themes.py does), served on
127.0.0.1 and opened in the system's Chromium through Playwright (its own browser download is
not used; ``BLOGPOSTS_CHROMIUM`` names another binary).  What a reader sees first is captured:

    docs/_static/screenshots/<page>-<width>-light.png      the sphinx_blogposts theme
    docs/_static/screenshots/post-1280-dark.png            ... a post in its dark scheme
    docs/_static/screenshots/themes/<theme>-<page>-<width>.png

``--only own furo`` limits the themes.  Nothing else is written; the builds go to a temporary
folder.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_browser import LAUNCH_ARGS, find_chromium  # noqa: E402
from test_other_themes import EXAMPLE, THEMES, site_for, sphinx_build  # noqa: E402

OUT = ROOT / "docs" / "_static" / "screenshots"
PAGES = {
    "index": "blog/index.html",
    "category": "blog/category/tutorials.html",
    "tag": "blog/tag/security.html",
    "author": "blog/author/alex.html",
    "archive": "blog/archive.html",
    "post": "blog/posts/zero-trust-security-doesnt-have-to-be-hard-heres-proof.html",
}
SIZES = {1280: (1280, 800), 375: (375, 812)}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(key: str, dest: Path) -> Path:
    if key == "own":
        src = dest / "src"
        shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    else:
        src = site_for(THEMES[key], dest)
    built = sphinx_build(src, dest)
    if built.returncode != 0:
        raise SystemExit(f"the {key} build failed:\n{built.output}")
    return built.html


def serve(html: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def shoot(browser: Any, url: str, size: tuple[int, int], scheme: str, path: Path) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.evaluate("""async () => {
            const images = [...document.images];
            images.forEach(img => { img.loading = 'eager'; });
            await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
                img.addEventListener('load', done); img.addEventListener('error', done); })));
            await document.fonts.ready;
        }""")
        page.wait_for_timeout(150)  # the themes' scripts settle (sidebar scroll, toggles)
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        print(path.relative_to(ROOT))
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=["own", *THEMES],
                        default=["own", *THEMES])
    args = parser.parse_args()
    executable = find_chromium()
    if executable is None:
        raise SystemExit("no Chromium found (set BLOGPOSTS_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="blogposts-shots-") as tmp, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            for key in args.only:
                server, base = serve(build(key, Path(tmp) / key))
                try:
                    for name, url in PAGES.items():
                        for width, size in SIZES.items():
                            path = (OUT / f"{name}-{width}-light.png" if key == "own"
                                    else OUT / "themes" / f"{key}-{name}-{width}.png")
                            shoot(browser, base + url, size, "light", path)
                    if key == "own":
                        shoot(browser, base + PAGES["post"], SIZES[1280], "dark",
                              OUT / "post-1280-dark.png")
                finally:
                    server.shutdown()
                    server.server_close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
