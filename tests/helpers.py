"""Helpers for reading built output in tests."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

WARNING_RE = re.compile(
    r"^(?P<location>\S*?):(?P<line>\d+)?:? ?WARNING: (?P<message>.*?) \[(?P<type>[\w.]+)\]$",
    re.MULTILINE,
)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A built site over HTTP on 127.0.0.1 (a free port) while the block runs: its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def body(path: Path) -> BeautifulSoup:
    """The main content of a page under the basic-derived themes."""
    page = soup(path)
    main = page.select_one('div[role="main"]') or page.body
    assert main is not None
    return main


def warnings_of(text: str, kind: str = "blogposts") -> list[dict[str, str]]:
    """Parsed warnings ``[{location, line, message, type}]`` whose type starts with kind."""
    found = []
    for m in WARNING_RE.finditer(text):
        if m["type"].split(".")[0] == kind:
            found.append(m.groupdict())
    return found


@dataclass
class BuiltSite:
    """One finished build: where its sources and output are, what it printed, and its
    warnings as the tests read them (type, subtype, document, line)."""

    srcdir: Path
    outdir: Path
    status: str
    warnings: str
    builder: str = "html"
    #: the finished application (its environment), when a test needs it
    app: Any = None
    #: what a test's preparation of the sources returned, and other per-test facts
    extra: dict[str, Any] = field(default_factory=dict)

    def page(self, pagename: str) -> Path:
        """A page's output file, as this site's builder names it."""
        if self.builder == "dirhtml" and pagename != "index" and not pagename.endswith("/index"):
            return self.outdir / pagename / "index.html"
        return self.outdir / f"{pagename}.html"

    def ours(self, subtype: str | None = None) -> list[dict[str, str]]:
        """The ``blogposts`` warnings, optionally of one subtype only."""
        found = warnings_of(self.warnings)
        if subtype is not None:
            found = [w for w in found if w["type"] == f"blogposts.{subtype}"]
        return found

    def where(self, warning: dict[str, str]) -> tuple[str, int | None]:
        """A warning's document (relative to the source directory, posix) and line."""
        location = Path(warning["location"])
        try:
            rel = location.resolve().relative_to(self.srcdir.resolve()).as_posix()
        except ValueError:
            rel = warning["location"]
        return rel, int(warning["line"]) if warning["line"] else None


def excerpt_text(post: Any) -> tuple[str, ...]:
    """A post's excerpt as read, paragraph by paragraph, as plain text (inline code as its
    text, a cross-reference as its target)."""
    return tuple("".join(text for _kind, text in paragraph) for paragraph in post.excerpt)


def normalized_searchindex(data: bytes) -> bytes:
    """Two differences plain Sphinx makes between an incremental and a clean build's search
    index, dropped here and nothing else: its pruning of a deleted document leaves
    ``"word":[]`` entries, and (Sphinx 9) the ``index`` directives' entries of documents not
    written again are lost, since they are kept in the environment only after it was saved
    (``test_rebuilds.test_plain_sphinx_loses_index_entries_incrementally`` pins this)."""
    text = data.decode("utf-8")
    prefix, _, rest = text.partition("Search.setIndex(")
    index = json.loads(rest.rstrip().removesuffix(")"))
    for key in ("terms", "titleterms"):
        index[key] = {k: v for k, v in index.get(key, {}).items() if v != []}
    index.pop("indexentries", None)
    return (prefix + json.dumps(index, sort_keys=True)).encode("utf-8")


def tree_digest(
    root: Path, skip: tuple[str, ...] = (".doctrees", ".buildinfo", ".buildinfo.bak")
) -> dict[str, str]:
    """Relative path -> sha1 of every output file, for file-by-file comparisons."""
    result = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or any(rel == s or rel.startswith(s + "/") for s in skip):
            continue
        data = path.read_bytes()
        if rel == "searchindex.js":
            data = normalized_searchindex(data)
        result[rel] = hashlib.sha1(data).hexdigest()
    return result


def diff_trees(a: Path, b: Path) -> list[str]:
    """Files that differ between two output trees (missing on either side included)."""
    da, db = tree_digest(a), tree_digest(b)
    return sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))


def build(
    src: Path,
    builder: str = "html",
    out: Path | None = None,
    **kwargs: object,
) -> SphinxTestApp:
    """A real build of ``src`` into ``out`` (default: ``src/_build/<builder>``)."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    builddir = out or (src / "_build")
    app = SphinxTestApp(builder, srcdir=src, builddir=builddir, status=StringIO(),
                        warning=StringIO(), **kwargs)  # type: ignore[arg-type]
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def clean_copy(src: Path, dest: Path) -> Path:
    """The sources alone (no build output), for the clean build an incremental one must equal."""
    import shutil

    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("_build"))
    return dest


def edit_and_rebuild(src: Path, work: Path, *edits: Callable[[Path], object],
                     **kwargs: Any) -> tuple[SphinxTestApp, SphinxTestApp]:
    """Build ``src`` into ``work/incremental``, apply the edits, build again, and build a clean
    copy of the edited sources into ``work/clean``: (incremental build, clean build)."""
    out = work / "incremental"
    build(src, out=out, **kwargs)
    for edit in edits:
        edit(src)
    incremental = build(src, out=out, **kwargs)
    clean = build(clean_copy(src, work / "clean-src"), out=work / "clean")
    return incremental, clean


def run_cli(args: list[str], capsys: Any) -> tuple[int, str, str]:
    """``sphinx-blogposts ARGS``: its exit status, stdout and stderr (``capsys`` is pytest's
    fixture; usage errors exit through SystemExit)."""
    from sphinx_blogposts.cli.main import main

    try:
        code = main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def copy_root(rootdir: Path, name: str, dest: Path) -> Path:
    """A private copy of ``tests/roots/test-<name>``, safe to edit."""
    import shutil

    target = dest / name
    shutil.copytree(rootdir / f"test-{name}", target)
    return target


def _marking_bridge() -> type:
    from sphinx.jinja2glue import BuiltinTemplateLoader

    class MarkingBridge(BuiltinTemplateLoader):
        """A site's own ``template_bridge`` that marks what it rendered (test_core)."""

        def render(self, template: str, context: dict[str, object]) -> str:  # type: ignore[override]
            return f"<!-- rendered by MarkingBridge: {template} -->" + super().render(
                template, context)

    return MarkingBridge


def __getattr__(name: str) -> object:
    if name == "MarkingBridge":  # made on first use: Sphinx is imported only by the tests
        return _marking_bridge()
    raise AttributeError(name)
