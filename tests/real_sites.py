"""Real ABlog sites built twice: with ABlog, and after the one-line swap to sphinx-blogposts.

The harness of ``tests/test_real_ablog_sites.py`` (also runnable on its own, see the end).

Each :class:`Site` comes from a PyPI sdist (``pip download --no-deps --no-binary :all:``):

``ablog-docs``
    ABlog 0.11.13's own ``docs/``: its conf.py as it is, under alabaster, built with
    ``dirhtml`` (its ``ablog_builder``, what ``ablog build`` and its published site use).
``pydata-blog``
    A reduced site from pydata-sphinx-theme 0.24.0's ``docs/``: the blog section
    (``examples/blog/``) and the page that demonstrates ``postlist``
    (``user_guide/ablog.md``), with the ``blog_*``/``post_*`` values of its conf.py and its
    ``html_sidebars`` entries that concern the blog, under pydata-sphinx-theme (the version
    installed in the project's venv, in both builds), built with ``html`` (the site links
    ``examples/blog/index.html``).  It sets no ``blog_baseurl``, so both builds get
    ``-D blog_baseurl=https://example.org/`` and write feeds.

The ABlog build runs in a venv of its own with ABlog 0.11.13 and the same versions of Sphinx,
docutils, MyST, the themes, Jinja2 and Pygments as the project's venv (so that a difference is
the extensions', not the stack's), plus what ABlog's docs need (its ``docs``/``notebook``
extras: sphinx-automodapi, nbsphinx, IPython; and pandoc, from the ``pypandoc_binary`` wheel).
The swapped build runs the project's venv's Sphinx on a copy of the site whose conf.py differs
in one string: ``"ablog"`` in ``extensions`` becomes ``"sphinx_blogposts"``.  A site whose
conf.py needs packages the project's venv lacks (ABlog's docs: ``import ablog`` for its
version and the API pages it documents, sphinx-automodapi, nbsphinx) gets the ABlog venv's
site-packages *appended* to ``sys.path`` (the project's own packages win), and
``JUPYTER_PATH`` for nbconvert's templates; ABlog is then importable as a library but is not
an extension of that build.

Cached (under ``$BLOGPOSTS_REAL_SITES_CACHE``, by default
``~/.cache/sphinx-blogposts-real-sites``), each keyed by what it depends on: the sdists, their
unpacked sources, each site's pristine source tree, the ABlog venv and ABlog's builds (output,
warnings, timing and what ABlog knew: its posts, generated pages, feeds and postlists).  The
swapped builds are redone every run, into ``tests/artifacts/real-sites/<site>/`` (gitignored).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ARTIFACTS = Path(os.environ.get("BLOGPOSTS_REAL_SITES_OUT") or HERE / "artifacts" / "real-sites")
ABLOG_VERSION = "0.11.13"
PIP_TIMEOUT = 900
BUILD_TIMEOUT = 1800
#: bump when a site's recipe, the runner or the dump changes: ABlog's builds are redone
RECIPE_VERSION = "1"
#: the same versions in both builds: taken from the project's venv (the one running this)
PINNED = ("sphinx", "docutils", "myst-parser", "alabaster", "pydata-sphinx-theme",
          "sphinx-design", "jinja2", "pygments", "babel")
ABLOG_EXTRAS = (f"ablog[docs,notebook,markdown]=={ABLOG_VERSION}", "pypandoc_binary")
FEED_BASEURL = "https://example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"


def cache_root() -> Path:
    env = os.environ.get("BLOGPOSTS_REAL_SITES_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sphinx-blogposts-real-sites"


def _digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _run(cmd: list[str], timeout: float, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=False, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from exc


def _check(proc: subprocess.CompletedProcess[str], what: str) -> None:
    if proc.returncode:
        raise RuntimeError(f"{what} failed (exit {proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


# -- sdists ------------------------------------------------------------------------------------

def download_sdist(dist: str, version: str) -> Path:
    """The sdist of ``dist==version`` from PyPI, downloaded once."""
    folder = cache_root() / "downloads" / f"{dist}-{version}"
    found = sorted(folder.glob("*.tar.gz"))
    if not found:
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        proc = _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                     ":all:", "--disable-pip-version-check", "-d", str(partial),
                     f"{dist}=={version}"], PIP_TIMEOUT)
        _check(proc, f"pip download {dist}=={version}")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
        found = sorted(folder.glob("*.tar.gz"))
    if len(found) != 1:
        raise RuntimeError(f"expected one sdist in {folder}, found {found}")
    return found[0]


def unpacked_sdist(dist: str, version: str) -> Path:
    """The sdist's top folder, unpacked once."""
    target = cache_root() / f"{dist}-{version}" / "sdist"
    stamp = target / ".unpacked"
    if not stamp.exists():
        archive = download_sdist(dist, version)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # Python < 3.11.4; an sdist from PyPI
                tar.extractall(target)
        stamp.write_text(archive.name + "\n", encoding="utf-8")
    tops = [p for p in target.iterdir() if p.is_dir()]
    assert len(tops) == 1, tops
    return tops[0]


# -- sites -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    name: str
    dist: str
    version: str
    builder: str
    #: writes the site's source tree (conf.py using ABlog) into ``target`` from the sdist
    prepare: Callable[[Path, Path], None]
    description: str
    #: ``-D`` values given to both builds
    overrides: tuple[str, ...] = ()
    #: the swapped build needs the site's other packages (see the module's docstring)
    needs_extras: bool = False
    #: distributions the project's venv must have (the same versions go to ABlog's venv)
    requires: tuple[str, ...] = ()


def _prepare_ablog_docs(sdist: Path, target: Path) -> None:
    shutil.copytree(sdist / "docs", target)


PYDATA_CONF = '''\
"""A reduced site from pydata-sphinx-theme {version}'s docs/conf.py: its blog section.

Written by tests/real_sites.py: the ABlog values and the blog's html_sidebars entries are
copied from the original conf.py, the rest is what the copied pages need.
"""

project = "PyData Theme (blog section)"
author = "PyData Community"
extensions = [
    "myst_parser",
    "sphinx_design",
    "ablog",
]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
# the original's MyST settings, without "linkify" (needs linkify-it-py; no page here uses it)
myst_enable_extensions = ["colon_fence", "substitution"]
myst_heading_anchors = 2
language = "en"
html_theme = "pydata_sphinx_theme"

# -- copied from the original conf.py ---------------------------------------------------
{copied}
'''

PYDATA_INDEX = """\
# PyData Theme: the blog section

A reduced copy of pydata-sphinx-theme's documentation: its example blog
(`examples/blog/`) and the page that shows ABlog's `postlist`.

```{toctree}
:maxdepth: 2

user_guide/ablog
```
"""


def _blog_values(conf: str) -> str:
    """The ``blog_*``/``post_*`` assignments of a conf.py, and its ``html_sidebars`` entries
    whose pattern concerns the blog, as source text."""
    tree = ast.parse(conf)
    out: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        if target.id.startswith(("blog_", "post_")):
            out.append(ast.get_source_segment(conf, node) or "")
        elif target.id == "html_sidebars" and isinstance(node.value, ast.Dict):
            entries = [
                f"    {ast.get_source_segment(conf, k)}: {ast.get_source_segment(conf, v)},"
                for k, v in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(k, ast.Constant) and "blog" in str(k.value)
            ]
            out.append("html_sidebars = {\n" + "\n".join(entries) + "\n}")
    return "\n".join(out) + "\n"


def _prepare_pydata_blog(sdist: Path, target: Path) -> None:
    docs = sdist / "docs"
    target.mkdir(parents=True)
    shutil.copytree(docs / "examples" / "blog", target / "examples" / "blog")
    (target / "user_guide").mkdir()
    shutil.copy2(docs / "user_guide" / "ablog.md", target / "user_guide" / "ablog.md")
    version = sdist.name.rsplit("-", 1)[-1]
    copied = _blog_values((docs / "conf.py").read_text(encoding="utf-8"))
    (target / "conf.py").write_text(PYDATA_CONF.format(version=version, copied=copied),
                                    encoding="utf-8")
    (target / "index.md").write_text(PYDATA_INDEX, encoding="utf-8")


SITES: dict[str, Site] = {
    site.name: site for site in (
        Site("ablog-docs", "ablog", ABLOG_VERSION, "dirhtml", _prepare_ablog_docs,
             f"ABlog {ABLOG_VERSION}'s docs/ (alabaster, dirhtml)", needs_extras=True),
        Site("pydata-blog", "pydata-sphinx-theme", "0.24.0", "html", _prepare_pydata_blog,
             "pydata-sphinx-theme 0.24.0's docs/, reduced to examples/blog/ and "
             "user_guide/ablog.md (pydata-sphinx-theme, html)",
             overrides=(f"blog_baseurl={FEED_BASEURL}",),
             requires=("pydata-sphinx-theme", "sphinx-design")),
        # the same site as a -nW build sees it: nitpicky, every warning counts
        Site("pydata-blog-nitpicky", "pydata-sphinx-theme", "0.24.0", "html",
             _prepare_pydata_blog,
             "the same reduced pydata-sphinx-theme site, built nitpicky (-n)",
             overrides=(f"blog_baseurl={FEED_BASEURL}", "nitpicky=1"),
             requires=("pydata-sphinx-theme", "sphinx-design")),
    )
}


def missing_requirements(site: Site) -> list[str]:
    """What the project's venv lacks to build ``site`` (the themes extra, say)."""
    ours = project_versions()
    return [dist for dist in site.requires if dist not in ours]


def site_sources(site: Site) -> Path:
    """The site's pristine source tree (its conf.py uses ABlog), made once per recipe."""
    sdist = unpacked_sdist(site.dist, site.version)
    key = _digest(RECIPE_VERSION, site.name, site.version, PYDATA_CONF, PYDATA_INDEX)
    target = cache_root() / f"{site.name}-{site.version}" / f"site-{key}"
    if not (target / ".prepared").exists():
        shutil.rmtree(target, ignore_errors=True)
        site.prepare(sdist, target)
        (target / ".prepared").write_text("ok\n", encoding="utf-8")
    return target


# -- the swap ----------------------------------------------------------------------------------

def swap_conf(text: str) -> str:
    """conf.py with the string ``"ablog"`` in ``extensions`` (an assignment, ``+=``,
    ``.append`` or ``.extend``) replaced by ``"sphinx_blogposts"``; nothing else changes."""
    tree = ast.parse(text)
    spots: list[ast.Constant] = []
    for node in ast.walk(tree):
        value: ast.AST | None = None
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AugAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == "extensions" for t in targets):
            value = node.value  # type: ignore[union-attr]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "extensions"
              and node.func.attr in ("append", "extend", "insert")):
            value = node
        if value is not None:
            spots += [c for c in ast.walk(value)
                      if isinstance(c, ast.Constant) and c.value == "ablog"]
    if len(spots) != 1:
        raise ValueError(f'expected one "ablog" in extensions, found {len(spots)}')
    spot = spots[0]
    lines = text.splitlines(keepends=True)
    line = lines[spot.lineno - 1].encode("utf-8")
    old = line[spot.col_offset:spot.end_col_offset].decode("utf-8")
    assert spot.lineno == spot.end_lineno and old[1:-1] == "ablog", old
    new = old[0] + "sphinx_blogposts" + old[-1]
    lines[spot.lineno - 1] = (line[:spot.col_offset].decode("utf-8") + new
                              + line[spot.end_col_offset:].decode("utf-8"))
    return "".join(lines)


# -- the ABlog venv ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Venv:
    path: Path
    python: Path
    purelib: Path
    versions: dict[str, str]

    @property
    def pandoc_dir(self) -> Path:
        return self.purelib / "pypandoc" / "files"

    @property
    def jupyter_path(self) -> Path:
        return self.path / "share" / "jupyter"


VERSION_PROBE = """
import json, sys, sysconfig
from importlib.metadata import version, PackageNotFoundError
out = {"python": sys.version.split()[0], "purelib": sysconfig.get_paths()["purelib"]}
for dist in sys.argv[1:]:
    try:
        out[dist] = version(dist)
    except PackageNotFoundError:
        pass
print(json.dumps(out))
"""
REPORTED = (*PINNED, "ablog", "sphinx-blogposts", "nbsphinx", "sphinx-automodapi", "ipython",
            "pypandoc_binary")


def probe(python: Path | str) -> dict[str, str]:
    proc = _run([str(python), "-c", VERSION_PROBE, *REPORTED], 120)
    _check(proc, f"{python}: version probe")
    return dict(json.loads(proc.stdout))


@cache
def project_versions() -> dict[str, str]:
    return probe(sys.executable)


def pins() -> list[str]:
    ours = project_versions()
    return [f"{dist}=={ours[dist]}" for dist in PINNED if dist in ours]


@cache
def ablog_venv() -> Venv:
    """ABlog with the project venv's versions of the shared stack, made once per key."""
    requirements = [*ABLOG_EXTRAS, *pins()]
    key = _digest(requirements, sys.version_info[:2])
    path = cache_root() / f"venv-ablog-{ABLOG_VERSION}-{key}"
    stamp = path / ".installed"
    if not stamp.exists():
        shutil.rmtree(path, ignore_errors=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        _check(_run([sys.executable, "-m", "venv", str(path)], 300), "python -m venv")
        proc = _run([str(path / "bin" / "python"), "-m", "pip", "install", "--quiet",
                     "--disable-pip-version-check", *requirements], PIP_TIMEOUT)
        _check(proc, f"pip install {' '.join(requirements)}")
        stamp.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    versions = probe(path / "bin" / "python")
    return Venv(path, path / "bin" / "python", Path(versions.pop("purelib")), versions)


# -- building ----------------------------------------------------------------------------------

#: ``python -c RUNNER [sphinx-build args]``: sphinx-build, with extra paths appended to
#: sys.path, and (ABlog's build) a dump of what ABlog knew at ``build-finished``
RUNNER = r'''
import json, os, sys
extra = os.environ.get("REAL_SITES_EXTRA_PATH")
if extra:
    sys.path.extend(extra.split(os.pathsep))
DUMP = os.environ.get("REAL_SITES_ABLOG_DUMP")


def dump(app, exc):
    if exc is not None:
        return
    from ablog.blog import Blog, os_path_join
    from ablog.post import PostList

    blog = Blog(app)
    builder = app.builder

    def out(docname):
        return os.path.relpath(builder.get_outfilename(docname), app.outdir).replace(os.sep, "/")

    def names(items):
        return [str(item) for item in items or []]

    posts = []
    for kind, collection in (("published", blog.posts), ("draft", blog.drafts)):
        for post in collection:
            posts.append({
                "docname": post.docname, "section": post.section or "", "kind": kind,
                "title": str(post.title),
                "date": post.date.isoformat() if post.date else None,
                "update": post.update.isoformat() if post.update else None,
                "authors": names(post.author),
                "author_keys": [getattr(a, "label", str(a)) for a in post.author or []],
                "categories": names(post.category), "tags": names(post.tags),
                "locations": names(post.location), "languages": names(post.language),
                "redirect": list(post.redirect or []),
                "external_link": post.external_link or "",
                "outfile": out(post.docname),
            })
    pages = {}

    def note(docname, what):
        pages.setdefault(out(docname), what)

    note(blog.posts.docname, "ABlog's blog catalog: all posts (blog_path)")
    note(blog.drafts.docname, "ABlog's drafts page")
    for label, catalog in (("year", blog.archive), ("tag", blog.tags),
                           ("author", blog.author), ("location", blog.location),
                           ("language", blog.language), ("category", blog.category)):
        if catalog:
            note(catalog.docname, f"ABlog's {catalog.name} catalog (every {label})")
        for coll in catalog:
            if not coll:
                continue
            key = f" (key {coll.label!r})" if str(coll.label) != str(coll.name) else ""
            note(coll.docname, f"ABlog's {label} page {str(coll.name)!r}{key}")
    for post in blog.posts:
        for redirect in post.redirect or []:
            note(redirect, f"ABlog's redirect page (:redirect:) to post {post.docname!r}")
    for post in posts:
        note(post["docname"], f"post {post['title']!r}")
    feeds = {}
    if blog.blog_baseurl:
        for root in blog.blog_feed_templates:
            feeds[os_path_join(blog.blog_path, root + ".xml")] = f"the blog's {root} feed"
    postlists = {}
    for docname in sorted(app.env.found_docs):
        try:
            tree = app.env.get_doctree(docname)
        except Exception:
            continue
        found = [{k: v for k, v in node.attributes.items()
                  if k not in ("ids", "classes", "names", "dupnames", "backrefs")}
                 for node in tree.findall(PostList)]
        if found:
            postlists[out(docname)] = {"docname": docname, "options": found}
    data = {
        "blog_path": blog.blog_path, "blog_baseurl": blog.blog_baseurl or "",
        "main_feed": os_path_join(blog.blog_path, "atom.xml") if blog.blog_baseurl else "",
        "feeds": feeds, "posts": posts, "pages": pages, "postlists": postlists,
        "builder": builder.name,
    }
    with open(DUMP, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, default=str)


if DUMP:
    import sphinx.application

    _init = sphinx.application.Sphinx.__init__

    def init(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self.connect("build-finished", dump)

    sphinx.application.Sphinx.__init__ = init

from sphinx.cmd.build import main

raise SystemExit(main(sys.argv[1:]))
'''


@dataclass
class Build:
    """One build: where, how it went, and what it printed."""

    label: str
    srcdir: Path
    outdir: Path
    returncode: int
    wall_s: float
    stderr: str
    warnings_text: str
    #: ABlog's build: what ABlog knew (see RUNNER's dump)
    ablog: dict[str, Any] = field(default_factory=dict)
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "srcdir": str(self.srcdir), "outdir": str(self.outdir),
                "returncode": self.returncode, "wall_s": self.wall_s, "stderr": self.stderr,
                "warnings_text": self.warnings_text, "ablog": self.ablog}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Build:
        return cls(data["label"], Path(data["srcdir"]), Path(data["outdir"]),
                   data["returncode"], data["wall_s"], data["stderr"], data["warnings_text"],
                   data.get("ablog") or {}, cached=True)


def run_build(label: str, python: Path | str, site: Site, srcdir: Path, outdir: Path,
              extra_path: Iterable[Path] = (), dump: Path | None = None) -> Build:
    """``sphinx-build -b <builder>`` with ``python`` (its own Sphinx), a time limit, the
    warnings in a file, full tracebacks, and pandoc and nbconvert's templates at hand."""
    venv = ablog_venv()
    clear_soup_cache()
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    warnings_file = outdir.parent / f"{outdir.name}.warnings.txt"
    warnings_file.unlink(missing_ok=True)
    env = dict(os.environ)
    env.pop("SPHINXOPTS", None)
    env["PATH"] = os.pathsep.join([str(venv.pandoc_dir), env.get("PATH", "")])
    env["JUPYTER_PATH"] = str(venv.jupyter_path)
    env["REAL_SITES_EXTRA_PATH"] = os.pathsep.join(str(p) for p in extra_path)
    env["REAL_SITES_ABLOG_DUMP"] = str(dump) if dump else ""
    cmd = [str(python), "-c", RUNNER, "-b", site.builder, "-d",
           str(outdir.parent / f"{outdir.name}.doctrees"), "-T", "-N", "-q",
           "-w", str(warnings_file)]
    for value in site.overrides:
        cmd += ["-D", value]
    cmd += [str(srcdir), str(outdir)]
    shutil.rmtree(outdir.parent / f"{outdir.name}.doctrees", ignore_errors=True)
    start = time.perf_counter()
    proc = _run(cmd, BUILD_TIMEOUT, cwd=srcdir, env=env)  # ABlog's conf.py opens a file
    wall = time.perf_counter() - start
    warnings_text = (warnings_file.read_text(encoding="utf-8", errors="replace")
                     if warnings_file.exists() else "")
    ablog = {}
    if dump is not None and dump.exists():
        ablog = json.loads(dump.read_text(encoding="utf-8"))
    return Build(label, srcdir, outdir, proc.returncode, wall, proc.stderr, warnings_text,
                 ablog)


def ablog_build(site: Site) -> Build:
    """ABlog's build of the site, from the cache when nothing it depends on changed."""
    venv = ablog_venv()
    src = site_sources(site)
    key = _digest(RECIPE_VERSION, site.name, site.builder, site.overrides, RUNNER,
                  venv.versions, src.name, _tree_digest(src))
    base = cache_root() / f"{site.name}-{site.version}" / f"ablog-build-{key}"
    result = base / "result.json"
    if result.exists():
        return Build.from_json(json.loads(result.read_text(encoding="utf-8")))
    shutil.rmtree(base, ignore_errors=True)
    srcdir = base / "src"
    shutil.copytree(src, srcdir, ignore=shutil.ignore_patterns(".prepared"))
    extra = [venv.purelib] if site.needs_extras else []
    build = run_build("ablog", venv.python, site, srcdir, base / "out", extra,
                      dump=base / "ablog.json")
    if not build.ok or not build.ablog:
        raise RuntimeError(f"ABlog's build of {site.name} failed (exit {build.returncode}); "
                           f"the comparison needs it:\n{build.stderr[-4000:]}")
    result.write_text(json.dumps(build.to_json(), indent=1), encoding="utf-8")
    return build


def swapped_build(site: Site) -> Build:
    """The site after the swap, built with the project's venv (every run, never cached)."""
    src = site_sources(site)
    base = ARTIFACTS / site.name
    srcdir = base / "src"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(src, srcdir, ignore=shutil.ignore_patterns(".prepared"))
    conf = srcdir / "conf.py"
    conf.write_text(swap_conf(conf.read_text(encoding="utf-8")), encoding="utf-8")
    extra = [ablog_venv().purelib] if site.needs_extras else []
    return run_build("sphinx-blogposts", sys.executable, site, srcdir, base / "out", extra)


# -- reading builds ----------------------------------------------------------------------------

WARNING_START = re.compile(
    r"^(?:(?P<loc>.+?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): "
    r"(?P<msg>.*)$")
TYPE_SUFFIX = re.compile(r" \[(?P<type>[\w.-]+)\]$")


@dataclass(frozen=True)
class SphinxWarning:
    location: str
    level: str
    message: str
    type: str
    line: str
    full: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.location, self.level, self.message, self.type)

    def __str__(self) -> str:
        loc = f"{self.location}: " if self.location else ""
        kind = f" [{self.type}]" if self.type else ""
        return f"{loc}{self.level}: {self.message}{kind}"


def _strip_roots(text: str, roots: Iterable[Path]) -> str:
    for root, name in sorted(((str(r), n) for r, n in zip(roots, ("<src>", "<out>"),
                                                               strict=False)),
                             key=lambda rn: -len(rn[0])):
        text = text.replace(root + os.sep, name + "/").replace(root, name)
    return text


def parse_warnings(build: Build) -> list[SphinxWarning]:
    """The build's warnings and errors, normalised so that the same warning from two builds
    in other folders compares equal: the source and output folders are stripped from
    locations and messages, the line number is dropped (kept for display), a multi-line
    message compares by its first line."""
    roots = [build.srcdir, build.outdir]
    found: list[SphinxWarning] = []
    current: list[str] = []

    def flush() -> None:
        if not current:
            return
        first = current[0]
        m = WARNING_START.match(first)
        assert m is not None
        message = m["msg"]
        wtype = ""
        t = TYPE_SUFFIX.search(message)
        if t:
            wtype, message = t["type"], message[: t.start()]
        elif len(current) > 1:  # the type ends the last line of a multi-line warning
            t = TYPE_SUFFIX.search(current[-1])
            if t:
                wtype = t["type"]
        location = _strip_roots(m["loc"] or "", roots)
        location = location.removeprefix("<src>/")
        found.append(SphinxWarning(location, m["level"], _strip_roots(message, roots).strip(),
                                   wtype, m["line"] or "",
                                   _strip_roots("\n".join(current), roots)))
        current.clear()

    for raw in build.warnings_text.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw)
        if WARNING_START.match(line):
            flush()
            current.append(line)
        elif current:
            current.append(line)
    flush()
    return found


def crash_summary(build: Build) -> str:
    """The exception that ended a failed build (with the lines that follow it, such as
    Sphinx's ``Reason:``), and the frames of sphinx-blogposts in its traceback."""
    text = build.stderr
    frames = re.findall(r'File "([^"]*?/src/sphinx_blogposts/[^"]+)", line (\d+), in (\S+)',
                        text)
    shown = [f"src/{p.split('/src/', 1)[1]}:{n} in {f}" for p, n, f in frames]
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines)
              if re.match(r"^\s*[\w.]+(Error|Exception|NotFound|Exit|Interrupt)\b:?", line)]
    if starts:
        exc = []
        for line in lines[starts[-1]:]:
            if not line.strip() or line.startswith("The full traceback"):
                break
            exc.append(line.strip())
        message = "\n  ".join(exc)
    else:
        message = "\n  ".join(line.strip() for line in lines[-15:] if line.strip()) or "?"
    return (f"exit {build.returncode}: {message}\n  sphinx-blogposts frames (outermost "
            "first):\n    " + ("\n    ".join(shown) if shown else "(none)"))


@cache
def _soup_of(path: Path) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser")


def soup(path: Path) -> Any:
    return _soup_of(path.resolve())


def clear_soup_cache() -> None:
    _soup_of.cache_clear()


def html_files(outdir: Path) -> list[str]:
    return sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*.html"))


def resolve_href(page: str, href: str) -> str:
    """A link's target as an output file path relative to the output folder (``#`` and
    ``?`` parts dropped; a folder means its ``index.html``); absolute URLs as they are."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        return href
    href = href.split("#", 1)[0].split("?", 1)[0]
    if not href:
        return page
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
    if href.endswith("/") or target in (".", ""):
        target = posixpath.join(target, "index.html") if target not in (".", "") else "index.html"
    return target


def main_content(page: Any) -> Any:
    for selector in ('[role="main"]', "main", "article", "div.body"):
        found = page.select_one(selector)
        if found is not None:
            return found
    return page.body or page


def blog_posting(path: Path, section: str = "") -> dict[str, Any] | None:
    """sphinx-blogposts' view of a post page: its JSON-LD ``BlogPosting``, else its post
    header, as ``{title, date, authors, categories, tags, source}``; None if neither.  A
    section post (``section``: its id) is read from the post header in that section."""
    page = soup(path)
    if section:
        found = page.find(id=section)
        box = found.find(class_="blogposts-post-header", recursive=False) if found else None
        if box is None:
            return None
        heading = found.find(re.compile(r"^h[1-6]$"), recursive=False)
        return _header_fields(box, heading, "section's post header")
    for script in page.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") == "BlogPosting":
            return {
                "title": data.get("headline", ""),
                "date": str(data.get("datePublished", "")),
                "authors": [a.get("name", "") if isinstance(a, dict) else str(a)
                            for a in data.get("author") or []],
                "categories": list(data.get("articleSection") or []),
                "tags": list(data.get("keywords") or []),
                "source": "JSON-LD",
            }
    header = page.select_one(".blogposts-post-header")
    if header is None:
        return None
    return _header_fields(header, main_content(page).find("h1"), "post header")


def _header_fields(header: Any, heading: Any, source: str) -> dict[str, Any]:
    time_ = header.find("time")
    return {
        "title": heading.get_text(" ", strip=True).rstrip("¶#").strip() if heading else "",
        "date": str(time_.get("datetime", "")) if time_ else "",
        "authors": [a.get_text(strip=True) for a in header.select(".blogposts-author")],
        "categories": [a.get_text(strip=True) for a in header.select(".blogposts-category")],
        "tags": [a.get_text(strip=True) for a in header.select(".blogposts-tag")],
        "source": source,
    }


def atom_entries(path: Path) -> list[tuple[str, str]]:
    """An Atom feed's entries as ``(link, title)``: the link is the entry's alternate link
    (else its id), without the scheme and host, so that two base URLs compare equal."""
    entries = []
    for entry in ET.parse(path).getroot().findall(f"{ATOM}entry"):
        link = ""
        for element in entry.findall(f"{ATOM}link"):
            if element.get("rel", "alternate") == "alternate":
                link = element.get("href", "")
                break
        link = link or (entry.findtext(f"{ATOM}id") or "")
        link = re.sub(r"^[a-z]+://[^/]*", "", link.strip())
        entries.append((link, " ".join((entry.findtext(f"{ATOM}title") or "").split())))
    return entries


def ablog_postlists(outdir: Path, page: str, posts: set[str]) -> list[list[str]]:
    """Each ABlog ``postlist`` of a page, in order: the output files of the posts it links."""
    lists = []
    for ul in main_content(soup(outdir / page)).select("ul.postlist"):
        items = []
        for li in ul.find_all("li", recursive=False):
            para = li.find("p")
            links = [resolve_href(page, str(a.get("href", "")))
                     for a in (para.find_all("a") if para else [])]
            chosen = next((t for t in links if t in posts), links[0] if links else "?")
            items.append(chosen)
        lists.append(items)
    return lists


POSTLIST_SELECTOR = "ul.blogposts-postlist, div.blogposts-cards, p.blogposts-empty"


def blogposts_postlists(outdir: Path, page: str) -> list[list[str]]:
    """Each sphinx-blogposts ``postlist`` of a page, in order (not a post footer's related
    posts nor a ``category`` block's list): the output files of the posts it links."""
    lists = []
    for element in main_content(soup(outdir / page)).select(POSTLIST_SELECTOR):
        if element.find_parent(class_=["blogposts-post-footer", "blogposts-category-block"]):
            continue
        lists.append([resolve_href(page, str(a.get("href", "")))
                      for a in element.select("a.blogposts-post-title")])
    return lists


# -- comparing ---------------------------------------------------------------------------------

@dataclass
class Pair:
    site: Site
    ablog: Build
    swapped: Build

    def __repr__(self) -> str:
        return f"Pair({self.site.name!r})"

    @property
    def header(self) -> str:
        return f"{self.site.name} ({self.site.description})"

    def failed_note(self) -> str:
        if self.swapped.ok:
            return ""
        return ("NOTE: the swapped build failed, its output is incomplete: "
                + crash_summary(self.swapped) + "\n")

    # a. ------------------------------------------------------------------------------------
    def crash(self) -> str:
        return "" if self.swapped.ok else crash_summary(self.swapped)

    # b. ------------------------------------------------------------------------------------
    def new_warnings(self) -> list[SphinxWarning]:
        before = {w.key for w in parse_warnings(self.ablog)}
        seen: set[tuple[str, str, str, str]] = set()
        new = []
        for w in parse_warnings(self.swapped):
            if w.key not in before and w.key not in seen:
                seen.add(w.key)
                new.append(w)
        return new

    def gone_warnings(self) -> list[SphinxWarning]:
        after = {w.key for w in parse_warnings(self.swapped)}
        seen: set[tuple[str, str, str, str]] = set()
        gone = []
        for w in parse_warnings(self.ablog):
            if w.key not in after and w.key not in seen:
                seen.add(w.key)
                gone.append(w)
        return gone

    # c. ------------------------------------------------------------------------------------
    def post_differences(self) -> list[str]:
        problems = []
        for post in self.ablog.ablog["posts"]:
            where = post["outfile"]
            label = (f"{post['docname']}{'#' + post['section'] if post['section'] else ''} "
                     f"({post['kind']}, {post['title']!r})")
            path = self.swapped.outdir / where
            if not path.is_file():
                problems.append(f"{label}: no page {where}")
                continue
            got = blog_posting(path, post["section"])
            if got is None:
                problems.append(f"{label}: {where} is not a post page (no BlogPosting JSON-LD, "
                                f"no post header{' in that section' * bool(post['section'])})")
                continue
            fields = [("title", " ".join(post["title"].split()),
                       " ".join(got["title"].split()))]
            if post["date"]:  # an ABlog draft has none
                fields.append(("date", post["date"][:10], got["date"][:10]))
            fields += [(name, sorted(post[name]), sorted(got[name]))
                       for name in ("authors", "categories", "tags")]
            diffs = [f"{name}: ABlog {want!r}, sphinx-blogposts {have!r}"
                     for name, want, have in fields if want != have]
            if diffs:
                problems.append(f"{label} at {where} (read from its {got['source']}): "
                                + "; ".join(diffs))
        return problems

    # d. ------------------------------------------------------------------------------------
    def feed_counts(self) -> tuple[str, int | None, int | None, list[str]]:
        """The main feed's path, its entries in each build (None: no such file), and the
        atom.xml files of the swapped build."""
        feed = self.ablog.ablog.get("main_feed") or ""
        before = self.feed_entries(self.ablog, feed)
        after = self.feed_entries(self.swapped, feed)
        others = sorted(p.relative_to(self.swapped.outdir).as_posix()
                        for p in self.swapped.outdir.rglob("atom.xml"))
        return (feed, None if before is None else len(before),
                None if after is None else len(after), others)

    @staticmethod
    def feed_entries(build: Build, feed: str) -> list[tuple[str, str]] | None:
        path = build.outdir / feed
        return atom_entries(path) if feed and path.is_file() else None

    def feed_differences(self) -> list[str]:
        """The main feed's entries that only one build has (by link)."""
        feed = self.ablog.ablog.get("main_feed") or ""
        before = self.feed_entries(self.ablog, feed) or []
        after = self.feed_entries(self.swapped, feed) or []
        links_after = {link for link, _ in after}
        links_before = {link for link, _ in before}
        return ([f"only ABlog's: {link} ({title!r})" for link, title in before
                 if link not in links_after]
                + [f"only sphinx-blogposts': {link} ({title!r})" for link, title in after
                   if link not in links_before])

    # e. ------------------------------------------------------------------------------------
    def urls(self) -> list[str]:
        return html_files(self.ablog.outdir)

    def what_ablog_had(self, page: str) -> str:
        known = self.ablog.ablog.get("pages", {}).get(page)
        if known:
            return known
        title = soup(self.ablog.outdir / page).title
        return f"page titled {title.get_text(strip=True)!r}" if title else "a page"

    def unresolved_urls(self) -> list[str]:
        """ABlog's HTML files that the swapped build lacks, or that are refresh pages to
        nowhere (a missing page, or a missing ``#fragment`` on it)."""
        out = self.swapped.outdir
        problems = []
        for page in self.urls():
            if not (out / page).is_file():
                problems.append(f"{page}: missing (ABlog: {self.what_ablog_had(page)})")
                continue
            problem = self._follow(out, page)
            if problem:
                problems.append(f"{page}: {problem} (ABlog: {self.what_ablog_had(page)})")
        return problems

    @staticmethod
    def _follow(out: Path, page: str) -> str:
        """Empty when ``page`` is a page, or refreshes (in at most 5 hops) to an existing one."""
        seen = [page]
        for _ in range(5):
            meta = soup(out / seen[-1]).find(
                "meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
            if meta is None:
                return ""
            m = re.search(r"url\s*=\s*['\"]?([^'\";]+)", str(meta.get("content", "")), re.I)
            if not m:
                return f"{seen[-1]} is a refresh page without a URL"
            href = m.group(1).strip()
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
                return ""  # an external redirect (a post's external_link)
            target = resolve_href(seen[-1], href)
            fragment = href.split("#", 1)[1] if "#" in href else ""
            if not (out / target).is_file():
                return f"redirects to {href!r} = {target}, which does not exist"
            if fragment and soup(out / target).find(id=fragment) is None:
                return f"redirects to {href!r}: {target} has no id {fragment!r}"
            seen.append(target)
        return f"a chain of refresh pages: {' -> '.join(seen)}"

    # extra: ABlog's feed files ----------------------------------------------------------------
    def feed_urls(self) -> list[str]:
        return sorted(p.relative_to(self.ablog.outdir).as_posix()
                      for p in self.ablog.outdir.rglob("*.xml")
                      if p.name != "sitemap.xml")

    def missing_feeds(self) -> list[str]:
        return [f for f in self.feed_urls() if not (self.swapped.outdir / f).is_file()]

    # f. ------------------------------------------------------------------------------------
    def postlist_pages(self) -> dict[str, dict[str, Any]]:
        return dict(self.ablog.ablog.get("postlists", {}))

    def postlist_differences(self) -> list[str]:
        posts = {p["outfile"] for p in self.ablog.ablog["posts"]}
        problems = []
        for page, info in sorted(self.postlist_pages().items()):
            mine = ablog_postlists(self.ablog.outdir, page, posts)
            if not (self.swapped.outdir / page).is_file():
                problems.append(f"{page}: no such page in the swapped build")
                continue
            theirs = blogposts_postlists(self.swapped.outdir, page)
            if len(mine) != len(info["options"]):
                problems.append(f"{page}: harness: {len(info['options'])} postlist "
                                f"directives but {len(mine)} lists in ABlog's page")
            if len(theirs) != len(mine):
                problems.append(f"{page}: ABlog shows {len(mine)} postlists, sphinx-blogposts "
                                f"{len(theirs)}")
            for n, (a, b) in enumerate(zip(mine, theirs, strict=False), 1):
                if a != b:
                    options = info["options"][n - 1] if n <= len(info["options"]) else {}
                    shown = {k: v for k, v in options.items() if v not in (None, "", [], False)}
                    problems.append(f"{page}: postlist #{n} {shown}:\n      ABlog lists "
                                    f"{len(a)}: {a}\n      sphinx-blogposts lists {len(b)}: {b}")
        return problems

    # the figures -----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        feed, before, after, _ = self.feed_counts()
        posts = self.ablog.ablog.get("posts", [])
        return {
            "site": self.site.name,
            "builder": self.site.builder,
            "posts": sum(p["kind"] == "published" for p in posts),
            "drafts": sum(p["kind"] == "draft" for p in posts),
            "feed": feed, "feed_entries_ablog": before, "feed_entries_swapped": after,
            "urls_checked": len(self.urls()),
            "postlist_pages": len(self.postlist_pages()),
            "warnings_ablog": len(parse_warnings(self.ablog)),
            "warnings_ablog_distinct": len({w.key for w in parse_warnings(self.ablog)}),
            "warnings_swapped": len(parse_warnings(self.swapped)),
            "warnings_swapped_distinct": len({w.key for w in parse_warnings(self.swapped)}),
            "warnings_new": len(self.new_warnings()),
            "ablog_build_s": round(self.ablog.wall_s, 2),
            "ablog_build_cached": self.ablog.cached,
            "swapped_build_s": round(self.swapped.wall_s, 2),
            "swapped_exit": self.swapped.returncode,
        }

    def summary_line(self) -> str:
        s = self.summary()
        cached = " (cached from an earlier run)" if s["ablog_build_cached"] else ""
        return (f"{s['site']} [{s['builder']}]: {s['posts']} posts + {s['drafts']} drafts; "
                f"main feed {s['feed'] or '-'}: {s['feed_entries_ablog']} entries (ABlog) vs "
                f"{s['feed_entries_swapped']} (swapped); {s['urls_checked']} URLs checked; "
                f"{s['postlist_pages']} pages with postlists; warnings "
                f"{s['warnings_ablog']} ({s['warnings_ablog_distinct']} distinct) before, "
                f"{s['warnings_swapped']} ({s['warnings_swapped_distinct']} distinct) after, "
                f"{s['warnings_new']} new; build wall time ABlog {s['ablog_build_s']} s"
                f"{cached}, swapped {s['swapped_build_s']} s (exit {s['swapped_exit']})")


def build_pair(site: Site) -> Pair:
    return Pair(site, ablog_build(site), swapped_build(site))


def project_commit() -> str:
    """The project's commit, and whether src/ has changes not committed."""
    try:
        commit = _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], 60)
        dirty = _run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"], 60)
    except (OSError, RuntimeError):
        return "?"
    return commit.stdout.strip() + (" + uncommitted src/ changes" if dirty.stdout.strip()
                                    else "")


def versions_line() -> str:
    a, b = ablog_venv().versions, project_versions()
    shared = ", ".join(f"{d} {b.get(d)}" + ("" if a.get(d) == b.get(d) else f"/{a.get(d)}")
                       for d in PINNED if d in b)
    return (f"ABlog {a.get('ablog')} (nbsphinx {a.get('nbsphinx')}, sphinx-automodapi "
            f"{a.get('sphinx-automodapi')}); sphinx-blogposts {b.get('sphinx-blogposts')} at "
            f"{project_commit()}; "
            f"both builds: Python {b.get('python')}, {shared}")


def report(pair: Pair) -> str:
    """Every difference, as the tests find them."""
    lines = [f"== {pair.header}", pair.summary_line()]
    crash = pair.crash()
    lines.append(f"a. swapped build: {crash or 'exit 0'}")
    new = pair.new_warnings()
    lines.append(f"b. {len(new)} new warnings:")
    lines += [f"   {w}" for w in new]
    gone = pair.gone_warnings()
    lines.append(f"   ({len(gone)} of ABlog's warnings not given after the swap:)")
    lines += [f"   ({w})" for w in gone]
    posts = pair.post_differences()
    lines.append(f"c. {len(posts)} post differences:")
    lines += [f"   {p}" for p in posts]
    feed, before, after, others = pair.feed_counts()
    lines.append(f"d. main feed {feed}: ABlog {before} entries, sphinx-blogposts {after}"
                 f" (atom.xml files of the swapped build: {others})")
    lines += [f"   {d}" for d in pair.feed_differences()]
    urls = pair.unresolved_urls()
    lines.append(f"e. {len(urls)} of {len(pair.urls())} ABlog URLs unresolved:")
    lines += [f"   {u}" for u in urls]
    feeds = pair.missing_feeds()
    lines.append(f"   {len(feeds)} of {len(pair.feed_urls())} ABlog feed files missing: {feeds}")
    lists = pair.postlist_differences()
    lines.append(f"f. {len(lists)} postlist differences:")
    lines += [f"   {p}" for p in lists]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help=f"some of {', '.join(SITES)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.sites) - set(SITES)
    if unknown:
        parser.error(f"unknown sites: {', '.join(sorted(unknown))}")
    print(versions_line())
    for name in args.sites or SITES:
        print(report(build_pair(SITES[name])), flush=True)
