#!/usr/bin/env python3
"""Build benchmark, second family: real docs sites with a few posts, with and without the blog.

Usage::

    python3 benchmarks/docs_sites.py [--quick] [--sites furo,example,pydata] [--repeat R]

Each site is built twice over, from identical sources: "plain" (its conf.py without
``sphinx_blogposts`` and without the blog's sidebar widgets; the posts are ordinary pages) and
"blogposts" (the extension on, its widgets in every page's sidebar).  Cases: clean, no-op, one
post edited, one docs page edited, and the live-preview latency of a real ``sphinx-autobuild``
(edit saved -> rebuilt page served); plus a one-page site with no posts (the fixed cost).
See "Docs sites" in ``benchmarks/README.md``.

Standard library only for the runner; the builds use the project's venv (``.venv``, or
``$BLOGPOSTS_VENV``), which has Sphinx, furo, pydata-sphinx-theme and sphinx-autobuild.  The
generated-posts family's machinery (``run.py``: measuring wrapper, quiet-host waiting, machine
and project state) is imported, not copied.  Everything goes into ``benchmarks/_work/``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import run as gen  # noqa: E402  (the generated-posts family: measuring machinery)

WORK = gen.WORK
SITES_DIR = WORK / "docs-sites"
RESULTS = WORK / "docs-results.json"
PROBE_DIR = WORK / "docs-probe"
VENV = Path(os.environ.get("BLOGPOSTS_VENV") or REPO / ".venv")
VARIANTS = ("plain", "blogposts")
BUILD_CASES = ("clean", "no-op", "post edit", "docs edit")
LIVE_CASES = ("live post edit", "live docs edit")
ONEPAGE_CASES = ("clean", "no-op")
BUILD_TIMEOUT = 900
LIVE_TIMEOUT = 300
#: 2026-01-01, as tests/real_docs.py: no post of any site is scheduled, copyright year fixed
SOURCE_DATE_EPOCH = "1767225600"
ALL_SITES = ("furo", "example", "pydata")


@dataclass
class Project:
    """The project benchmarked: this work tree, or a ``--snapshot`` copy of a commit whose
    src/ goes first on the builds' PYTHONPATH (before the venv's editable install of this
    tree)."""

    root: Path = REPO
    snapshot: bool = False


PROJECT = Project()

# -- the sites ---------------------------------------------------------------------------------

#: appended to every conf.py (both variants): the benchmark's probe extension (below)
PROBE_ADDITION = f'''

# -- Added by benchmarks/docs_sites.py: the probe timing the blog's generated pages ----------
import sys as _bench_sys
_bench_sys.path.insert(0, {str(PROBE_DIR)!r})
extensions = [*extensions, "_bench_probe"]
'''

#: appended to the plain variant's conf.py: the same site without the extension
PLAIN_ADDITION = '''

# -- Added by benchmarks/docs_sites.py: the same site without sphinx-blogposts ---------------
extensions = [e for e in extensions if e != "sphinx_blogposts"]
html_sidebars = {pattern: [t for t in templates if not t.startswith("blogposts/")]
                 for pattern, templates in globals().get("html_sidebars", {}).items()}
'''

PROBE = '''\
"""benchmarks/docs_sites.py's probe: seconds sphinx-blogposts spends in html-collect-pages.

In a serial build that is where the extension evaluates and writes its generated pages
(blog index, categories, tags, archive ...), i.e. the cost of "the pages the blog adds".
Writes one JSON line to $BENCH_PROBE_OUT at build-finished; does nothing without it.
"""
import json
import os
import time

_totals = {"blog_pages_s": 0.0, "calls": 0}


def _wrap(handler):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = handler(*args, **kwargs)
            if result is not None and not isinstance(result, (list, tuple)):
                result = list(result)  # a generator's work counts too
            return result
        finally:
            _totals["blog_pages_s"] += time.perf_counter() - start
            _totals["calls"] += 1
    return timed


def _builder_inited(app):
    listeners = app.events.listeners.get("html-collect-pages", [])
    for i, listener in enumerate(listeners):
        module = getattr(listener.handler, "__module__", "") or ""
        if module.startswith("sphinx_blogposts"):
            listeners[i] = listener._replace(handler=_wrap(listener.handler))


def _finished(app, exc):
    out = os.environ.get("BENCH_PROBE_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(_totals) + "\\n")


def setup(app):
    app.connect("builder-inited", _builder_inited, priority=900)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


@dataclass
class SiteSpec:
    name: str
    description: str
    #: relative to the variant's folder: the Sphinx source folder
    src: str
    #: the post and the docs page edited (source paths relative to src) and their pages
    post: str
    post_page: str
    docs: str
    docs_page: str
    plain_notes: list[str] = field(default_factory=list)


SPECS = {
    "furo": SiteSpec(
        "furo", "Furo 2025.12.19's docs/ from its sdist with the blog of tests/real_docs.py "
        "(10 posts in blog/posts/, blog/topics.md, the four widgets in html_sidebars['**'])",
        "docs", "blog/posts/contrast.md", "blog/posts/contrast.html",
        "quickstart.md", "quickstart.html"),
    "example": SiteSpec(
        "example", "example_site/ (10 posts, 3 pages) under alabaster: its own theme, "
        "sphinx_blogposts, loads the extension, so both variants use alabaster; the "
        "blogposts variant has the four widgets in html_sidebars['**']",
        "site", "blog/posts/building-resilient-systems-with-mlops-and-pulumi.md",
        "blog/posts/building-resilient-systems-with-mlops-and-pulumi.html",
        "about.md", "about.html"),
    "pydata": SiteSpec(
        "pydata", "pydata-sphinx-theme 0.24.0's docs/ from its sdist, the part that builds "
        "offline in the project's venv (see the README), its 3 ABlog posts under "
        "sphinx-blogposts (the one-line swap), the four widgets after sidebar-nav-bs",
        "docs", "examples/blog/post2.md", "examples/blog/post2.html",
        "user_guide/layout.rst", "user_guide/layout.html"),
    "onepage": SiteSpec(
        "onepage", "one page, no posts, alabaster with its default sidebars (plus the four "
        "widgets in the blogposts variant)", "site", "", "", "index.md", "index.html"),
}

WIDGETS = ["blogposts/recent.html", "blogposts/categories.html", "blogposts/tags.html",
           "blogposts/archives.html"]

ONEPAGE_CONF = '''\
project = "One page"
author = "Benchmark"
extensions = ["myst_parser", "sphinx_blogposts"]
html_theme = "alabaster"
html_sidebars = {{"**": ["about.html", "navigation.html", "relations.html", "searchbox.html",
                        {widgets}]}}
exclude_patterns = ["_build"]
'''.format(widgets=", ".join(repr(w) for w in WIDGETS))

ONEPAGE_INDEX = "# One page\n\nA site of one page and no posts.\n"

EXAMPLE_ADDITION = '''

# -- Added by benchmarks/docs_sites.py: alabaster (the sphinx_blogposts theme loads the
# extension, so it cannot be had without it), the widgets in every page's sidebar
html_theme = "alabaster"
html_theme_options = {{}}
html_sidebars = {{"**": ["about.html", "navigation.html", "relations.html", "searchbox.html",
                        {widgets}]}}
'''.format(widgets=", ".join(repr(w) for w in WIDGETS))

#: the pages of pydata's docs that need an extension the project's venv lacks
PYDATA_EXCLUDED = ["examples/execution.rst", "examples/mermaid.rst",
                   "user_guide/web-components.rst", "user_guide/extending.rst",
                   "examples/pydata.ipynb"]

PYDATA_ADDITION = '''

# -- Added by benchmarks/docs_sites.py: what builds offline in the project's venv ---------
import importlib.util as _bench_ilu


def _bench_importable(name):
    try:
        return _bench_ilu.find_spec(name) is not None
    except ImportError:
        return False


_bench_missing = [e for e in extensions
                  if e not in ("ablog", "sphinx_blogposts") and not _bench_importable(e)]
extensions = [e for e in extensions if e not in _bench_missing]
myst_enable_extensions = [e for e in myst_enable_extensions
                          if e != "linkify" or _bench_importable("linkify_it")]
exclude_patterns = [*exclude_patterns, @EXCLUDED@]
intersphinx_mapping = {}
# no network: the announcement and the version switcher's JSON are fetched at build time
html_theme_options["announcement"] = ""
html_theme_options["switcher"]["json_url"] = "_static/switcher.json"
html_theme_options["check_switcher"] = False
# ABlog's sidebars for the blog's pages go; the blog's widgets after the section navigation
html_sidebars.pop("examples/blog/*", None)
html_sidebars["**"] = ["sidebar-nav-bs", @WIDGETS@]
blogposts_pattern = ["examples/blog/post*"]
'''.replace("@EXCLUDED@", ", ".join(repr(p) for p in PYDATA_EXCLUDED)).replace(
    "@WIDGETS@", ", ".join(repr(w) for w in WIDGETS))


def prepare_sites(names: list[str], project: Path) -> dict[str, Any]:
    """Run in the project's venv (tests/ needs bs4): make ``SITES_DIR/<site>/<variant>``
    from ``project``'s tests/ recipes and example_site/."""
    sys.path.insert(0, str(project / "tests"))
    import real_docs  # type: ignore[import-not-found]
    import real_sites  # type: ignore[import-not-found]

    PROBE_DIR.mkdir(parents=True, exist_ok=True)
    (PROBE_DIR / "_bench_probe.py").write_text(PROBE, encoding="utf-8")
    info: dict[str, Any] = {}
    for name in names:
        spec = SPECS[name]
        base = SITES_DIR / name
        shutil.rmtree(base, ignore_errors=True)
        pristine = base / "pristine"
        notes: list[str] = []
        if name == "furo":
            real_docs.prepare_site(pristine)
        elif name == "example":
            shutil.copytree(project / "example_site", pristine / "site",
                            ignore=shutil.ignore_patterns("_build", "__pycache__"))
            with (pristine / "site" / "conf.py").open("a", encoding="utf-8") as conf:
                conf.write(EXAMPLE_ADDITION)
        elif name == "pydata":
            sdist = real_sites.unpacked_sdist("pydata-sphinx-theme", "0.24.0")
            shutil.copytree(sdist / "docs", pristine / "docs")
            shutil.copytree(sdist / "src", pristine / "src")  # its component directive reads it
            conf_py = pristine / "docs" / "conf.py"
            text = real_sites.swap_conf(conf_py.read_text(encoding="utf-8"))
            conf_py.write_text(text + PYDATA_ADDITION, encoding="utf-8")
            notes = pydata_missing(text, pristine / "docs")
        elif name == "onepage":
            (pristine / "site").mkdir(parents=True)
            (pristine / "site" / "conf.py").write_text(ONEPAGE_CONF, encoding="utf-8")
            (pristine / "site" / "index.md").write_text(ONEPAGE_INDEX, encoding="utf-8")
        for variant in VARIANTS:
            target = base / variant
            shutil.copytree(pristine, target)
            with (target / spec.src / "conf.py").open("a", encoding="utf-8") as conf:
                conf.write(PROBE_ADDITION + (PLAIN_ADDITION if variant == "plain" else ""))
        info[name] = {"dropped_extensions": notes}
    return info


def pydata_missing(conf: str, docs: Path) -> list[str]:
    """The extensions of pydata's conf.py that the venv lacks (the build drops them)."""
    import importlib.util

    sys.path.append(str(docs))  # as its conf.py does: its _extension package

    names: list[str] = []
    for node in ast.walk(ast.parse(conf)):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "extensions" for t in targets):
                names += [c.value for c in ast.walk(node.value)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    missing = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except ImportError:
            found = False
        if not found and name != "sphinx_blogposts":
            missing.append(name)
    if importlib.util.find_spec("linkify_it") is None:
        missing.append("myst 'linkify' (linkify-it-py)")
    return missing


# -- building ----------------------------------------------------------------------------------

def build_env(probe_out: Path | None = None) -> dict[str, str]:
    env = gen._build_env(VENV)
    for key in ("READTHEDOCS", "READTHEDOCS_VERSION", "FURO_RTD_TESTING", "BENCH_PROBE_OUT"):
        env.pop(key, None)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    if PROJECT.snapshot:
        env["PYTHONPATH"] = str(PROJECT.root / "src")
    if probe_out is not None:
        env["BENCH_PROBE_OUT"] = str(probe_out)
    return env


def paths(site: str, variant: str) -> tuple[Path, Path]:
    base = SITES_DIR / site / variant
    return base / SPECS[site].src, base / "out"


def measured_build(site: str, variant: str, callgrind: bool = False) -> dict[str, Any]:
    """One serial ``sphinx-build -b html -q`` through run.py's measuring wrapper (wall, CPU
    of the build's processes, peak RSS, other processes' CPU meanwhile), with the probe's
    seconds in the blog's generated pages; under callgrind, its instruction count instead."""
    src, out = paths(site, variant)
    cmd = [str(VENV / "bin" / "python"), "-m", "sphinx", "-b", "html", "-q",
           "-d", str(out / ".doctrees"), str(src), str(out)]
    fd, probe = tempfile.mkstemp(suffix=".jsonl", dir=WORK)
    os.close(fd)
    callgrind_out = None
    if callgrind:
        fd, name = tempfile.mkstemp(suffix=".callgrind", dir=WORK)
        os.close(fd)
        callgrind_out = Path(name)
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={callgrind_out}",
               "--dump-instr=no", "-q", *cmd]
    fd, result_path = tempfile.mkstemp(suffix=".json", dir=WORK)
    os.close(fd)
    wrapper = subprocess.Popen(
        [sys.executable, str(HERE / "run.py"), "_measure", result_path, "-", *cmd],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=build_env(Path(probe)), cwd=src, start_new_session=True)
    try:
        _stdout, stderr = wrapper.communicate(timeout=BUILD_TIMEOUT * (30 if callgrind else 1))
        result: dict[str, Any] = json.loads(Path(result_path).read_text(encoding="utf-8"))
        lines = Path(probe).read_text(encoding="utf-8").splitlines()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(wrapper.pid, signal.SIGKILL)
        wrapper.wait()
        raise
    finally:
        Path(result_path).unlink(missing_ok=True)
        Path(probe).unlink(missing_ok=True)
    result["blog_pages_s"] = json.loads(lines[-1])["blog_pages_s"] if lines else None
    warnings = [line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    result["warnings"] = len(warnings)
    result["disturbed"] = gen._disturbed(result)
    if callgrind_out is not None:
        result["instructions"] = callgrind_total(callgrind_out)
        callgrind_out.unlink(missing_ok=True)
    if result["returncode"] != 0:
        result["stderr_tail"] = stderr[-3000:]
        print(f"    !! {site} {variant} build failed (exit {result['returncode']}):\n"
              f"{stderr[-1500:]}", flush=True)
    return result


def callgrind_total(path: Path) -> int | None:
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def html_pages(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*.html") if ".doctrees" not in p.parts}


_edit_counter = [0]


def edit(site: str, variant: str, which: str) -> str:
    """Append a sentence with a unique marker to the post or the docs page; the marker."""
    spec = SPECS[site]
    src, _out = paths(site, variant)
    path = src / (spec.post if which == "post" else spec.docs)
    _edit_counter[0] += 1
    marker = f"benchedit{_edit_counter[0]}x{os.getpid()}"
    before = path.stat().st_mtime
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\nThis sentence, {marker}, was added by the benchmark.\n",
                    encoding="utf-8")
    after = max(time.time(), before + 1)  # a coarse clock must not hide the edit
    os.utime(path, (after, after))
    return marker


def shows(site: str, variant: str, which: str, marker: str) -> bool:
    spec = SPECS[site]
    _src, out = paths(site, variant)
    page = out / (spec.post_page if which == "post" else spec.docs_page)
    try:
        return marker in page.read_text(encoding="utf-8")
    except OSError:
        return False


# -- live preview ------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, page: str, timeout: float = 5.0) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/" + page, headers={"Cache-Control": "no-cache"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def _proc_cpu(pid: int) -> float | None:
    """utime + stime + cutime + cstime of a process (its waited-for children included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class Autobuild:
    """A real ``sphinx-autobuild`` on a site's sources (own process group, killed on exit);
    a thread timestamps its output lines, so the end of each rebuild ("Serving on ...",
    printed once sphinx-build has exited and the browsers are told to reload) is known."""

    ANSI = re.compile(r"\x1b\[[0-9;]*m")

    def __init__(self, site: str, variant: str) -> None:
        self.site, self.variant = site, variant
        src, out = paths(site, variant)
        self.port = _free_port()
        env = build_env()
        env["PYTHONUNBUFFERED"] = "1"
        cmd = [str(VENV / "bin" / "sphinx-autobuild"), str(src), str(out), "-q",
               "-d", str(out / ".doctrees"), "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=env, cwd=src, start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append((time.perf_counter(), self.ANSI.sub("", line.rstrip())))

    def served_since(self, t0: float) -> float | None:
        """When a rebuild that started after ``t0`` finished, if one did."""
        with self._lock:
            rebuilding = False
            for t, line in self.lines:
                if t < t0:
                    continue
                if "Rebuilding" in line or "Detected changes" in line:
                    rebuilding = True
                elif rebuilding and "Serving on" in line:
                    return t
        return None

    def wait_ready(self, page: str, timeout: float = LIVE_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sphinx-autobuild exited ({self.proc.returncode}):\n"
                                   + "\n".join(line for _t, line in self.lines[-30:]))
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _body = _get(self.port, page, timeout=2)
                if status == 200:
                    time.sleep(1.0)  # let the watcher settle after the initial build
                    return
            time.sleep(0.2)
        raise RuntimeError(f"sphinx-autobuild did not serve {page} within {timeout} s")

    def latency(self, which: str) -> dict[str, Any]:
        """Save an edit; poll until a rebuild has finished and the served page shows it."""
        spec = SPECS[self.site]
        page = spec.post_page if which == "post" else spec.docs_page
        cpu_before = _proc_cpu(self.proc.pid)
        busy_before = gen._busy_cpu_seconds()
        t0 = time.perf_counter()
        marker = edit(self.site, self.variant, which)
        deadline = t0 + LIVE_TIMEOUT
        built_at = None
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("sphinx-autobuild exited during a rebuild")
            built_at = built_at or self.served_since(t0)
            if built_at is not None:
                with contextlib.suppress(OSError, http.client.HTTPException):
                    status, body = _get(self.port, page)
                    if status == 200 and marker in body:
                        done = time.perf_counter()
                        cpu_after = _proc_cpu(self.proc.pid)
                        busy_after = gen._busy_cpu_seconds()
                        cpu = (cpu_after - cpu_before
                               if cpu_after is not None and cpu_before is not None else None)
                        foreign = None
                        if busy_after is not None and busy_before is not None and cpu is not None:
                            foreign = max(0.0, busy_after - busy_before - cpu)
                        wall = done - t0
                        return {"returncode": 0, "wall_s": wall, "cpu_s": cpu,
                                "build_done_s": built_at - t0, "foreign_cpu_s": foreign,
                                "disturbed": bool(foreign is not None
                                                  and foreign > gen.DISTURBED * wall)}
            time.sleep(0.02)
        return {"returncode": 1, "wall_s": None, "cpu_s": None, "error": "timed out"}

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._reader.join(timeout=5)


# -- one site ----------------------------------------------------------------------------------

def _ordered(rep: int) -> tuple[str, ...]:
    """Plain first in even repetitions, blogposts first in odd ones (drift favours neither)."""
    return VARIANTS if rep % 2 == 0 else VARIANTS[::-1]


def _settled(attempt: Callable[[], dict[str, Any]], quiet: gen.Quiet) -> dict[str, Any]:
    return gen.settled(attempt, quiet)


def run_site(site: str, repeat: int, quiet: gen.Quiet, live: int,
             callgrind_cases: set[str]) -> dict[str, Any]:
    spec = SPECS[site]
    cases = ONEPAGE_CASES if site == "onepage" else BUILD_CASES
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {c: {v: [] for v in VARIANTS}
                                                        for c in cases}
    print(f"\n== {site}: {spec.description}", flush=True)
    pages: dict[str, set[str]] = {}

    def clean_build(variant: str) -> dict[str, Any]:
        shutil.rmtree(paths(site, variant)[1], ignore_errors=True)
        return measured_build(site, variant)

    def edit_build(variant: str, which: str) -> dict[str, Any]:
        marker = edit(site, variant, which)
        result = measured_build(site, variant)
        result["edit_shown"] = shows(site, variant, which, marker)
        return result

    # a first clean build of each, unmeasured: bytecode, and any first-run caches
    for variant in VARIANTS:
        clean_build(variant)
    for rep in range(repeat):
        for case in cases:
            for variant in _ordered(rep):
                attempt: Callable[[], dict[str, Any]]
                if case == "clean":
                    attempt = partial(clean_build, variant)
                elif case == "no-op":
                    attempt = partial(measured_build, site, variant)
                else:
                    attempt = partial(edit_build, variant,
                                      "post" if case == "post edit" else "docs")
                result = _settled(attempt, quiet)
                runs[case][variant].append(result)
                if case == "clean":
                    pages[variant] = html_pages(paths(site, variant)[1])
                print(f"  {case:10} {variant:9} {result['wall_s']:7.2f} s wall "
                      f"{result['cpu_s']:6.2f} s CPU"
                      + (f", blog pages {result['blog_pages_s']:.2f} s"
                         if result.get("blog_pages_s") else "")
                      + (" (disturbed)" if result["disturbed"] else ""), flush=True)

    instructions: dict[str, dict[str, int | None]] = {}
    for case in cases:
        if f"{site}:{case}" not in callgrind_cases:
            continue
        instructions[case] = {}
        for variant in VARIANTS:
            if case == "clean":
                shutil.rmtree(paths(site, variant)[1], ignore_errors=True)
            elif case != "no-op":
                edit(site, variant, "post" if case == "post edit" else "docs")
            started = time.perf_counter()
            result = measured_build(site, variant, callgrind=True)
            instructions[case][variant] = result.get("instructions")
            print(f"  callgrind {case:10} {variant:9} {result.get('instructions')} "
                  f"instructions ({time.perf_counter() - started:.0f} s)", flush=True)

    live_runs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if live and site != "onepage":
        live_runs = {c: {v: [] for v in VARIANTS} for c in LIVE_CASES}
        for n, variant in enumerate(VARIANTS):
            server = Autobuild(site, variant)
            try:
                server.wait_ready(spec.docs_page)
                for k in range(live):
                    for case in (LIVE_CASES if (k + n) % 2 == 0 else LIVE_CASES[::-1]):
                        if quiet.max_wait > 0:
                            gen.wait_idle(quiet.max_wait)
                        result = server.latency("post" if case == "live post edit"
                                                else "docs")
                        live_runs[case][variant].append(result)
                        wall = result.get("wall_s")
                        print(f"  {case:14} {variant:9} "
                              f"{'FAIL' if wall is None else f'{wall:6.2f} s'}"
                              + (" (disturbed)" if result.get("disturbed") else ""),
                              flush=True)
                        time.sleep(0.5)
            finally:
                server.close()

    added = sorted(pages.get("blogposts", set()) - pages.get("plain", set()))
    gone = sorted(pages.get("plain", set()) - pages.get("blogposts", set()))
    return {
        "site": site, "description": spec.description, "repeat": repeat,
        "html_pages": {v: len(pages.get(v, ())) for v in VARIANTS},
        "pages_added_by_blog": len(added), "pages_added_sample": added[:12],
        "pages_only_plain": gone,
        "cases": {case: summarize(runs[case]) for case in cases},
        "live": {case: summarize(live_runs[case]) for case in live_runs},
        "instructions": instructions,
    }


def _median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def summarize(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for variant in VARIANTS:
        ok = [r for r in runs[variant] if r.get("returncode") == 0]
        out[variant] = {
            "wall_s": _median([r["wall_s"] for r in ok]),
            "cpu_s": _median([r.get("cpu_s") for r in ok]),
            "blog_pages_s": _median([r.get("blog_pages_s") for r in ok]),
            "peak_rss_mb": _median([r.get("peak_rss_mb") for r in ok]),
            "failed": len(runs[variant]) - len(ok),
            "disturbed": sum(1 for r in runs[variant] if r.get("disturbed")),
            "warnings": max((r.get("warnings", 0) for r in ok), default=None),
            "edit_shown": all(r.get("edit_shown", True) for r in ok),
            "runs": runs[variant],
        }
    pairs = [b["wall_s"] / a["wall_s"] for a, b in zip(runs["plain"], runs["blogposts"],
                                                       strict=False)
             if a.get("returncode") == 0 and b.get("returncode") == 0 and a["wall_s"]]
    cpu_pairs = [b["cpu_s"] / a["cpu_s"] for a, b in zip(runs["plain"], runs["blogposts"],
                                                         strict=False)
                 if a.get("returncode") == 0 and b.get("returncode") == 0 and a.get("cpu_s")
                 and b.get("cpu_s") is not None]
    # the blogposts build less the time in its generated pages, over plain's, pair by pair
    adjusted = [(b["wall_s"] - (b.get("blog_pages_s") or 0)) / a["wall_s"]
                for a, b in zip(runs["plain"], runs["blogposts"], strict=False)
                if a.get("returncode") == 0 and b.get("returncode") == 0 and a["wall_s"]]
    adjusted_cpu = [(b["cpu_s"] - (b.get("blog_pages_s") or 0)) / a["cpu_s"]
                    for a, b in zip(runs["plain"], runs["blogposts"], strict=False)
                    if a.get("returncode") == 0 and b.get("returncode") == 0
                    and a.get("cpu_s") and b.get("cpu_s") is not None]
    diffs = [b["wall_s"] - a["wall_s"] for a, b in zip(runs["plain"], runs["blogposts"],
                                                       strict=False)
             if a.get("returncode") == 0 and b.get("returncode") == 0]
    cpu_diffs = [b["cpu_s"] - a["cpu_s"] for a, b in zip(runs["plain"], runs["blogposts"],
                                                         strict=False)
                 if a.get("returncode") == 0 and b.get("returncode") == 0
                 and a.get("cpu_s") is not None and b.get("cpu_s") is not None]
    out["pairs"] = {"wall": pairs, "wall_median": _median(pairs),
                    "cpu": cpu_pairs, "cpu_median": _median(cpu_pairs),
                    "wall_excl_pages_median": _median(adjusted),
                    "cpu_excl_pages_median": _median(adjusted_cpu),
                    "wall_diff_median_s": _median(diffs),
                    "cpu_diff_median_s": _median(cpu_diffs)}
    return out


# -- report ------------------------------------------------------------------------------------

def _f(value: float | None, spec: str, suffix: str = "") -> str:
    return "-" if value is None else format(value, spec) + suffix


def _r(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}x"


def rows_of(report: dict[str, Any]) -> list[tuple[str, ...]]:
    head = ("site", "case", "plain s", "bp s", "bp/plain", "pairs", "excl. pages",
            "CPU s p/b", "CPU ratio", "blog pages s", "instr p/b (G)", "instr ratio",
            "disturbed p/b")
    rows: list[tuple[str, ...]] = [head]
    for site, data in report["sites"].items():
        items = [(c, data["cases"][c]) for c in data["cases"]]
        items += [(c, data["live"][c]) for c in data.get("live", {})]
        for case, entry in items:
            p, b = entry["plain"], entry["blogposts"]
            pairs = entry["pairs"]
            instr = data.get("instructions", {}).get(case, {})
            ip, ib = instr.get("plain"), instr.get("blogposts")
            excl = "-"
            if not case.startswith("live") and b.get("blog_pages_s") is not None:
                excl = _f(pairs["wall_excl_pages_median"], ".2f", "x")
            rows.append((
                site, case, _f(p["wall_s"], ".2f"), _f(b["wall_s"], ".2f"),
                _r(b["wall_s"], p["wall_s"]), _f(pairs["wall_median"], ".2f", "x"), excl,
                f"{_f(p['cpu_s'], '.2f')}/{_f(b['cpu_s'], '.2f')}",
                _f(pairs["cpu_median"], ".2f", "x"),
                _f(b.get("blog_pages_s"), ".3f") if not case.startswith("live") else "-",
                f"{_f(ip and ip / 1e9, '.2f')}/{_f(ib and ib / 1e9, '.2f')}" if instr else "-",
                _r(ib, ip) if ip and ib else "-",
                f"{p['disturbed']}/{b['disturbed']} of {len(p['runs'])}"))
    return rows


def render(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


TARGETS = (
    ("clean within 5 % of plain (excl. the blog's pages)", "clean", 1.05),
    ("no-op within 5 % of plain (excl. the blog's pages)", "no-op", 1.05),
    ("post edit within 1.2x of plain's", "post edit", 1.2),
    ("live preview within 1.2x (post edit)", "live post edit", 1.2),
    ("live preview within 1.2x (docs edit)", "live docs edit", 1.2),
)


def verdicts(report: dict[str, Any]) -> list[str]:
    """Each target per site: met by the wall pairs, by CPU, or not."""
    lines = []
    for site, data in report["sites"].items():
        if site == "onepage":
            entry = data["cases"]["clean"]
            wall = entry["pairs"]["wall_diff_median_s"]
            cpu = entry["pairs"]["cpu_diff_median_s"]
            lines.append(f"  onepage: fixed cost < 0.05 s: clean build +{_f(wall, '.3f')} s wall, "
                         f"+{_f(cpu, '.3f')} s CPU (medians of pairs; blog pages "
                         f"{_f(entry['blogposts']['blog_pages_s'], '.3f')} s): "
                         + ("MET" if wall is not None and wall < 0.05 else "NOT MET")
                         + (" (CPU: met)" if cpu is not None and cpu < 0.05 else " (CPU: not met)"))
            noop = data["cases"]["no-op"]["pairs"]
            lines.append(f"  onepage: no-op +{_f(noop['wall_diff_median_s'], '.3f')} s wall, "
                         f"+{_f(noop['cpu_diff_median_s'], '.3f')} s CPU")
            continue
        for label, case, limit in TARGETS:
            entry = data["cases"].get(case) or data.get("live", {}).get(case)
            if not entry:
                continue
            pairs = entry["pairs"]
            if case in ("clean", "no-op"):
                wall, cpu = pairs["wall_excl_pages_median"], pairs["cpu_excl_pages_median"]
            else:
                wall, cpu = pairs["wall_median"], pairs["cpu_median"]
            ok_wall = wall is not None and wall <= limit
            ok_cpu = cpu is not None and cpu <= limit
            lines.append(f"  {site}: {label}: wall {_f(wall, '.3f', 'x')}, CPU "
                         f"{_f(cpu, '.3f', 'x')}: "
                         + ("MET" if ok_wall and ok_cpu else
                            "met by CPU, not by wall" if ok_cpu else
                            "met by wall, not by CPU" if ok_wall else "NOT MET"))
    return lines


def print_report(report: dict[str, Any]) -> None:
    state = report["project"]
    print(f"\nsphinx-blogposts commit {state.get('commit')} (src/ digest {state.get('src_sha1')}"
          f"{', uncommitted src/ changes' if state.get('src_dirty') else ''}"
          f"{', a snapshot copy' if state.get('snapshot') else ''}); "
          f"{report['versions']}")
    m = report["machine"]
    print(f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB RAM; "
          f"repeat {report['repeat']}, live edits {report['live']} per case and variant")
    print("s = wall seconds (medians); bp/plain = ratio of the medians; pairs = median of "
          "the ratios of builds run one right after the other; excl. pages = the same with "
          "the blogposts build's seconds in its generated pages (the probe) taken off; CPU = "
          "user+sys of the build's processes (live: of sphinx-autobuild and its builds); "
          "instr = callgrind instruction counts (one build each)")
    print(render(rows_of(report)))
    for site, data in report["sites"].items():
        warn = {v: data["cases"]["clean"][v]["warnings"] for v in VARIANTS}
        shown = all(data["cases"][c][v]["edit_shown"] for c in data["cases"] for v in VARIANTS)
        print(f"{site}: html pages plain {data['html_pages']['plain']}, blogposts "
              f"{data['html_pages']['blogposts']} (added by the blog: "
              f"{data['pages_added_by_blog']}); warnings in a clean build plain "
              f"{warn['plain']}, blogposts {warn['blogposts']}"
              + ("" if shown else "; AN EDIT WAS NOT IN THE OUTPUT"))
    print("Targets:")
    for line in verdicts(report):
        print(line)


def versions() -> str:
    probe = ("import importlib.metadata as m, sys, sphinx_blogposts\n"
             "out = ['Python ' + sys.version.split()[0], 'sphinx_blogposts from '"
             " + sphinx_blogposts.__file__.rsplit('/', 2)[0]]\n"
             "for d in ('sphinx', 'myst-parser', 'docutils', 'furo', 'pydata-sphinx-theme', "
             "'sphinx-autobuild'):\n"
             "    try: out.append(d + ' ' + m.version(d))\n"
             "    except m.PackageNotFoundError: pass\n"
             "print(', '.join(out))")
    return subprocess.run([str(VENV / "bin" / "python"), "-c", probe], capture_output=True,
                          text=True, check=True, timeout=60, env=build_env()).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_prepare"]:
        print(json.dumps(prepare_sites(argv[1].split(","), Path(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="CI smoke test: furo and the one-page site, one repetition, one "
                             "live edit per case, no waiting for quiet, no callgrind")
    parser.add_argument("--sites", default=None,
                        help=f"comma-separated, of {','.join(ALL_SITES)} (default all; "
                             "furo with --quick); the one-page site always runs")
    parser.add_argument("--repeat", type=int, default=None,
                        help="repetitions of each build case (default 3; 1 with --quick); "
                             "the one-page site runs at least 5")
    parser.add_argument("--live", type=int, default=None,
                        help="live-preview edits per case and variant (default 3; 1 with "
                             "--quick; 0: none)")
    parser.add_argument("--callgrind", default=None,
                        help="site:case pairs to count instructions of under callgrind, "
                             "comma-separated (default onepage:clean,onepage:no-op,"
                             "furo:no-op,furo:post edit,furo:docs edit; none with --quick; "
                             "'none' for none)")
    parser.add_argument("--max-wait", type=float, default=None,
                        help="seconds to wait for quiet before each build (default 30; 0 "
                             "with --quick)")
    parser.add_argument("--retries", type=int, default=None,
                        help="extra attempts of a disturbed build (default 1; 0 with --quick)")
    parser.add_argument("--snapshot", nargs="?", const="HEAD", default=None, metavar="REF",
                        help="benchmark a git-archive copy of a commit (default HEAD) instead "
                             "of the live work tree (its src/ first on the builds' PYTHONPATH)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    sites = (args.sites or ("furo" if args.quick else ",".join(ALL_SITES))).split(",")
    sites = [s.strip() for s in sites if s.strip()]
    unknown = [s for s in sites if s not in ALL_SITES]
    if unknown:
        parser.error(f"unknown sites: {', '.join(unknown)}")
    sites = [s for s in ALL_SITES if s in sites] + ["onepage"]
    repeat = args.repeat or (1 if args.quick else 3)
    live = args.live if args.live is not None else (1 if args.quick else 3)
    default_cg = ("" if args.quick else
                  "onepage:clean,onepage:no-op,furo:no-op,furo:post edit,furo:docs edit")
    cg = args.callgrind if args.callgrind is not None else default_cg
    callgrind_cases = {c.strip() for c in cg.split(",") if c.strip() and c.strip() != "none"}
    if callgrind_cases and shutil.which("valgrind") is None:
        print("valgrind not found: no instruction counts", flush=True)
        callgrind_cases = set()
    quiet = gen.Quiet(
        max_wait=args.max_wait if args.max_wait is not None else (0.0 if args.quick else 30.0),
        retries=args.retries if args.retries is not None else (0 if args.quick else 1))
    if not (VENV / "bin" / "python").exists():
        raise SystemExit(f"no venv at {VENV}: run scripts/_venv.sh first (or set "
                         "BLOGPOSTS_VENV)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.snapshot:
        PROJECT.root, PROJECT.snapshot = gen.snapshot_project(args.snapshot), True
    project = PROJECT.root
    print(f"Preparing {', '.join(sites)} in {SITES_DIR.relative_to(REPO)} ...", flush=True)
    prep = subprocess.run([str(VENV / "bin" / "python"), str(Path(__file__).resolve()),
                           "_prepare", ",".join(sites), str(project)],
                          capture_output=True, text=True, timeout=1800, check=False)
    if prep.returncode:
        sys.stderr.write(prep.stdout[-3000:] + prep.stderr[-3000:])
        raise SystemExit("preparing the sites failed")
    prepared = json.loads(prep.stdout.strip().splitlines()[-1])
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": gen.machine_info(),
        "project": gen.project_state(project), "versions": versions(), "repeat": repeat,
        "live": live, "prepared": prepared, "sites": {}}
    for site in sites:
        site_repeat = max(repeat, 5) if site == "onepage" else repeat
        report["sites"][site] = run_site(site, site_repeat, quiet, live, callgrind_cases)
        report["elapsed_s"] = time.perf_counter() - started
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(report, indent=2), encoding="utf-8")
    report["project_after"] = gen.project_state(project)
    args.results.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_report(report)
    if report["project_after"].get("src_sha1") != report["project"].get("src_sha1"):
        print("WARNING: src/ changed while the benchmark ran: the figures mix two versions.")
    dropped = prepared.get("pydata", {}).get("dropped_extensions")
    if dropped:
        print(f"pydata: extensions the venv lacks, dropped: {', '.join(dropped)}")
    print(f"\nResults written to {args.results}; total {time.perf_counter() - started:.0f} s")
    failed = sum(data["cases"][c][v]["failed"] for data in report["sites"].values()
                 for c in data["cases"] for v in VARIANTS)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
