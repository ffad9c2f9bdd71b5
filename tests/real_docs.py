"""Furo's own documentation with a blog added: the site of ``tests/test_real_docs_rebuilds.py``.

The site
    Furo 2025.12.19's ``docs/`` from its sdist on PyPI (downloaded and unpacked once by
    :mod:`real_sites`, under ``~/.cache/sphinx-blogposts-real-sites``), copied at test time
    into a temporary folder with the sdist files its pages include (``README.md``,
    ``LICENSE``, ``src/``), so that its ``include`` directives find them where they are in the
    sdist.  Its conf.py is kept and extended at its end (:data:`CONF_ADDITION`):

    - no network: ``intersphinx_mapping = {}`` (the only extension of the site that fetches);
    - ``furo.sphinxext`` (the ``furo-demo`` directive of Furo's reference pages) is replaced by
      :data:`FURO_DEMO_SHIM`, the same directive reading its content instead of its
      ``block_text``: myst-parser 5 (the project's venv) passes the fence lines in
      ``block_text`` and the original then fails every reference page
      ("Expected separator line containing only '+++'");
    - the blog, as ``docs/themes/furo.md`` tells users to add it: ``sphinx_blogposts`` in
      ``extensions``, ``blogposts_*`` values, and the four blog widgets after the navigation
      in ``html_sidebars["**"]``, with Furo's own sidebar templates around them.

    The site keeps its own ``sphinx.ext.autodoc`` and ``sphinx.ext.viewcode`` (its kitchen
    sink documents ``furo._demo_module``, its reference ``urllib3.util.Retry``/``Timeout``), so
    ``_modules/`` has pages; a post documents :data:`DEMO_MODULE` (``blogdemo``, next to
    conf.py on ``sys.path``) with ``autofunction``, so ``_modules/blogdemo.html`` links back to
    a post.  Posts (:data:`POSTS`) live in ``blog/posts/``; the categories Releases and Guides
    are declared, with a description and an image, in ``blog/topics.md`` (in the home page's
    toctree), Internals is used but not declared; ``blogposts_posts_per_page = 2`` gives the
    blog index and the Releases category several pages.

The edits
    :data:`STEPS`, applied one after another to the same source tree (each on top of the
    previous state).

Builds
    ``python -m sphinx -b html`` of the project's venv, each a subprocess with a time limit,
    ``SOURCE_DATE_EPOCH`` fixed (the blog's "now" and the copyright year), doctrees in the
    output folder's ``.doctrees``.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from real_sites import unpacked_sdist

from helpers import normalized_searchindex

FURO_VERSION = "2025.12.19"
#: a build of this site takes seconds; a hung one fails its test instead of the whole run
BUILD_TIMEOUT = 600
#: 2026-01-01: every post below is dated before it (none is scheduled)
SOURCE_DATE_EPOCH = "1767225600"
BASEURL = "https://example.org/furo/"

#: Output that is not compared, each with why (nothing else is left out):
EXCLUDED = (
    # the pickled environment and doctrees: the build's cache, not its output; they hold
    # absolute paths and reading times and are never published
    ".doctrees",
    # Sphinx's record of the config and tags hash, for its own next incremental build; not
    # part of the site (``sphinx-build`` deletes and rewrites it when the config changes)
    ".buildinfo",
    ".buildinfo.bak",
)
#: Files an incremental build may hold that its clean build does not, each with why: Sphinx
#: copies images to ``_images/`` and never deletes one a page stopped using (plain Sphinx
#: does the same without the blog); every file both builds hold is still compared.
STALE_ALLOWED = ("_images/",)

CONF_ADDITION = '''

# -- Added by sphinx-blogposts' tests/real_docs.py --------------------------------------
import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))  # blogdemo, furo_demo_shim

# no network in CI: intersphinx is the only extension here that fetches anything
intersphinx_mapping = {}
# the furo-demo directive, made to work with myst-parser 5 (see furo_demo_shim.py)
extensions[extensions.index("furo.sphinxext")] = "furo_demo_shim"

# the blog, as docs/themes/furo.md of sphinx-blogposts says
extensions.append("sphinx_blogposts")
blogposts_pattern = ["blog/posts/**"]
blogposts_path = "blog"
blogposts_title = "Furo blog"
blogposts_description = "News and notes from the Furo theme."
blogposts_baseurl = "https://example.org/furo/"
blogposts_posts_per_page = 2
blogposts_authors = {
    "pradyun": {"name": "Pradyun Gedam"},
    "sam": {"name": "Sam Reviewer"},
}
blogposts_default_author = "pradyun"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "blogposts/recent.html",
        "blogposts/categories.html",
        "blogposts/tags.html",
        "blogposts/archives.html",
        "sidebar/ethical-ads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ]
}
'''

FURO_DEMO_SHIM = '''\
"""furo.sphinxext's ``furo-demo`` directive, reading its content instead of its block_text.

myst-parser 5 puts the directive's fence lines into ``block_text``; Furo 2025.12.19's
directive splits ``block_text`` at ``+++`` and fails on them.  Its content is what older
myst-parser versions passed as ``block_text``.
"""

from furo import sphinxext


class FuroDemo(sphinxext._FuroDemoDirective):
    def run(self):
        self.block_text = "\\n".join(self.content) + "\\n"
        return super().run()


def setup(app):
    app.add_directive("furo-demo", FuroDemo)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''

DEMO_MODULE = '''\
"""Small helpers that the blog's posts document with autodoc (and viewcode shows)."""

from __future__ import annotations


def reading_time(words: int, per_minute: int = 230) -> int:
    """Minutes a reader needs for ``words`` words, at least one.

    :param words: how many words the text has.
    :param per_minute: the reading speed.
    :returns: whole minutes, rounded up.
    """
    return max(1, -(-words // per_minute))


def slugify(title: str) -> str:
    """The ``title`` in lower case with runs of other characters as one ``-``."""
    out = []
    for char in title.lower():
        out.append(char if char.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)
'''

INDEX_TOCTREE = '''
```{toctree}
:caption: Blog
:hidden:

blog/topics
```
'''

TOPICS = '''\
# Blog topics

The blog's posts are filed under a few categories.

```{category} Releases
:image: /_static/demo-light.png

What each release of Furo changed: new features, fixes and the notes for upgrading.
```

```{category} Guides
:image: /_static/demo.png

Longer walkthroughs of customising Furo, one task per post.
```

## Latest posts

```{postlist}
:limit: 3
:excerpts:
```
'''

#: declared by the "declare a category" step
INTERNALS_DECLARATION = '''
```{category} Internals
How Furo is built: its templates, its assets and its documentation tooling.
```
'''


def _post(date: str, category: str, tags: str, title: str, body: str,
          author: str = "pradyun") -> str:
    return (f"---\ndate: {date}\ncategory: {category}\ntags: [{tags}]\nauthor: {author}\n"
            f"---\n\n# {title}\n\n{body}")


RELEASE_BODY = '''\
This release of Furo {version} brings {what}, and a handful of fixes reported by users.

```{{note}}
Furo follows calendar versioning: the version is the release date. See {{doc}}`/stability`
for what may change between releases.
```

## Upgrading

```{{code-block}} console
:caption: Upgrade Furo in your documentation's environment

$ pip install --upgrade furo=={version}
```

The full list of changes is in the {{doc}}`changelog </changelog>`.

```{{seealso}}
{{doc}}`/customisation/index` for every option the theme accepts, and
{{doc}}`/recommendations` for the extensions that work well with it.
```
'''

POSTS: dict[str, str] = {
    "blog/posts/furo-2025-12.md": _post(
        "2025-12-19", "Releases", "release, css", "Furo 2025.12.19 is out",
        RELEASE_BODY.format(version="2025.12.19", what="sharper code blocks") + '''
```{figure} /_static/demo.png
:alt: A page of Furo's documentation in light mode, with its sidebar and table of contents.
:width: 80%

A page of the documentation under the new release.
```
'''),
    "blog/posts/furo-2025-09.md": _post(
        "2025-09-04", "Releases", "release, accessibility", "Furo 2025.09.04",
        RELEASE_BODY.format(version="2025.9.4", what="better keyboard navigation")),
    "blog/posts/furo-2025-06.md": _post(
        "2025-06-21", "Releases", "release", "Furo 2025.06.21",
        RELEASE_BODY.format(version="2025.6.21", what="a new announcement banner")),
    "blog/posts/furo-2025-03.md": _post(
        "2025-03-10", "Releases", "release, css", "Furo 2025.03.10",
        RELEASE_BODY.format(version="2025.3.10", what="variable fonts"), author="sam"),
    "blog/posts/furo-2024-12.md": _post(
        "2024-12-01", "Releases", "release", "Furo 2024.12.01",
        RELEASE_BODY.format(version="2024.12.1", what="support for Sphinx 8")),
    "blog/posts/furo-2024-09.md": _post(
        "2024-09-15", "Releases", "release, sphinx", "Furo 2024.09.15",
        RELEASE_BODY.format(version="2024.9.15", what="a lighter stylesheet")),
    "blog/posts/sidebar-widgets.md": _post(
        "2025-11-02", "Guides", "sidebar, howto", "Blog widgets in Furo's sidebar", '''\
Furo builds its left sidebar from `html_sidebars`; the blog's widgets go in between Furo's
own templates, as {doc}`/customisation/sidebar` describes.

```{code-block} python
:caption: conf.py
:emphasize-lines: 6,7

html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "blogposts/recent.html",
        "blogposts/categories.html",
    ]
}
```

```{warning}
Sphinx uses one pattern of `html_sidebars` per page: two patterns with wildcards that match
the same page are a warning.
```

```{seealso}
{doc}`/customisation/sidebar-title` and {ref}`the sidebar's own templates
<furo-sidebar-templates>`.
```

(furo-sidebar-templates)=
## The templates

Each template is a file under `sidebar/` of the theme.
'''),
    "blog/posts/contrast.md": _post(
        "2025-08-15", "Guides", "colors, accessibility", "Choosing readable colors", '''\
Furo's {doc}`colors </customisation/colors>` can be changed one CSS variable at a time; keep
the text readable. The contrast ratio of two colors of relative luminance $L_1 > L_2$ is

```{math}
:label: contrast-ratio

C = \\frac{L_1 + 0.05}{L_2 + 0.05}
```

and {eq}`contrast-ratio` should be at least 4.5 for body text.

```{tip}
Check both the light and the dark variant: see {doc}`/customisation/colors`.
```
''', author="sam"),
    "blog/posts/reading-time.md": _post(
        "2025-10-20", "Internals", "python, api", "How long is a page?", '''\
The documentation estimates reading times with a small helper, {py:func}`blogdemo.reading_time`:

```{eval-rst}
.. autofunction:: blogdemo.reading_time
```

```{code-block} python
:caption: Using the helper
:linenos:

from blogdemo import reading_time, slugify

print(reading_time(460), slugify("How long is a page?"))
```

```{important}
The result is rounded up: a page of {math}`n \\le 230` words takes one minute.
```

Its sibling {py:func}`blogdemo.slugify` is documented below.

```{eval-rst}
.. autofunction:: blogdemo.slugify
```
'''),
    "blog/posts/build-notes.md": _post(
        "2025-05-05", "Internals", "build, python", "Notes on building the docs", '''\
Furo's documentation is built with Sphinx and MyST; the {doc}`kitchen sink
</kitchen-sink/index>` shows every element the theme styles, and {doc}`/contributing/index`
explains how to build it locally.

```{code-block} console
:caption: A local build

$ nox -s docs
```

```{admonition} Why nox?
:class: hint

It makes the same environment on every machine.
```
'''),
}


# -- preparing the site ------------------------------------------------------------------

def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replace_once(path: Path, old: str, new: str) -> None:
    """``old`` -> ``new`` in ``path``, where ``old`` must occur exactly once."""
    text = path.read_text(encoding="utf-8")
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"{path}: expected {old!r} once, found it {count} times")
    path.write_text(text.replace(old, new), encoding="utf-8")


def prepare_site(target: Path) -> Path:
    """Furo's docs with the blog, in ``target``; returns the source folder (``target/docs``)."""
    sdist = unpacked_sdist("furo", FURO_VERSION)
    target.mkdir(parents=True)
    shutil.copytree(sdist / "docs", target / "docs")
    shutil.copytree(sdist / "src", target / "src")  # included by blocks.rst, sidebar.md
    for name in ("README.md", "LICENSE"):  # included by index.md, license.rst
        shutil.copy2(sdist / name, target / name)
    src = target / "docs"
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF_ADDITION)
    write(src / "furo_demo_shim.py", FURO_DEMO_SHIM)
    write(src / "blogdemo.py", DEMO_MODULE)
    with (src / "index.md").open("a", encoding="utf-8") as index:
        index.write(INDEX_TOCTREE)
    write(src / "blog" / "topics.md", TOPICS)
    for name, text in POSTS.items():
        write(src / name, text)
    return src


# -- the edits ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    id: str
    description: str
    apply: Callable[[Path], None]


def _draft(src: Path) -> None:
    replace_once(src / "blog/posts/furo-2025-09.md", "author: pradyun\n",
                 "author: pradyun\ndraft: true\n")


def _move(src: Path) -> None:
    (src / "blog/posts/2025").mkdir()
    (src / "blog/posts/reading-time.md").rename(src / "blog/posts/2025/reading-time.md")


def _category_description(src: Path) -> None:
    replace_once(src / "blog/topics.md", "What each release of Furo changed: new features, "
                 "fixes and the notes for upgrading.",
                 "Release notes: every version of Furo, what it adds and how to upgrade.")
    replace_once(src / "blog/topics.md", ":image: /_static/demo-light.png",
                 ":image: /_static/demo-dark.png")


def _declarations(src: Path) -> None:
    replace_once(src / "blog/topics.md", "\n## Latest posts",
                 INTERNALS_DECLARATION + "\n## Latest posts")
    replace_once(src / "blog/topics.md", '''```{category} Guides
:image: /_static/demo.png

Longer walkthroughs of customising Furo, one task per post.
```

''', "")


def _config(src: Path) -> None:
    replace_once(src / "conf.py", "blogposts_posts_per_page = 2", "blogposts_posts_per_page = 3")
    replace_once(src / "conf.py", 'blogposts_title = "Furo blog"',
                 'blogposts_title = "Furo news"')


STEPS: tuple[Step, ...] = (
    Step("title", "change the title of the newest post (in the recent-posts widget)",
         lambda s: replace_once(s / "blog/posts/furo-2025-12.md", "# Furo 2025.12.19 is out",
                                "# Furo 2025.12.19: sharper code blocks")),
    Step("date", "change a post's date (it moves in every list and in the archive)",
         lambda s: replace_once(s / "blog/posts/furo-2025-06.md", "date: 2025-06-21",
                                "date: 2025-11-21")),
    Step("category", "move a post from Releases to Guides",
         lambda s: replace_once(s / "blog/posts/furo-2024-12.md", "category: Releases",
                                "category: Guides")),
    Step("tags", "change a post's tags (one tag gone, one new)",
         lambda s: replace_once(s / "blog/posts/contrast.md", "tags: [colors, accessibility]",
                                "tags: [colors, dark-mode]")),
    Step("draft", "mark a post draft", _draft),
    Step("delete", "delete a post", lambda s: (s / "blog/posts/build-notes.md").unlink()),
    Step("move", "move a post file to another folder (blog/posts/2025/; it has autodoc "
         "entries, so _modules/blogdemo.html links to it)", _move),
    Step("category-description", "change the Releases declaration's description and image",
         _category_description),
    Step("declarations", "declare the Internals category (used, undeclared until now) and "
         "remove the Guides category's declaration", _declarations),
    Step("config", "change blogposts_posts_per_page (2 -> 3) and blogposts_title", _config),
    Step("blog-path", "move the blog: blogposts_path 'blog' -> 'news' (old pages and feeds "
         "must go)",
         lambda s: replace_once(s / "conf.py", 'blogposts_path = "blog"',
                                'blogposts_path = "news"')),
)

MODES: dict[str, tuple[str, ...]] = {"serial": (), "j2": ("-j", "2")}


# -- building ----------------------------------------------------------------------------

@dataclass
class Build:
    out: Path
    seconds: float
    log: str


def sphinx_build(src: Path, out: Path, args: tuple[str, ...] = ()) -> Build:
    """``python -m sphinx -b html src out`` with the project's venv, doctrees in
    ``out/.doctrees``; fails (with the end of its log) when Sphinx does."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("READTHEDOCS", "FURO_RTD_TESTING")}  # conf.py reads them
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in the sources (blogdemo.py)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / ".doctrees"),
           *args, str(src), str(out)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
                              env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"timed out after {BUILD_TIMEOUT} s: {' '.join(cmd)}") from exc
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{log[-4000:]}")
    return Build(out, seconds, log)


# -- comparing ---------------------------------------------------------------------------

def output_files(root: Path) -> dict[str, Path]:
    """Relative path -> file, for every file of an output folder but :data:`EXCLUDED`."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or any(rel == x or rel.startswith(x + "/") for x in EXCLUDED):
            continue
        found[rel] = path
    return found


@dataclass
class Comparison:
    files: int
    only_incremental: list[str] = field(default_factory=list)
    only_clean: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.only_incremental or self.only_clean or self.differing)

    def paths(self) -> Iterator[str]:
        yield from self.only_incremental
        yield from self.only_clean
        yield from self.differing


def _content(path: Path, rel: str) -> bytes:
    """The bytes compared: the file's, but for the search index, whose two known
    differences made by plain Sphinx (see :func:`helpers.normalized_searchindex`) are
    dropped."""
    data = path.read_bytes()
    return normalized_searchindex(data) if rel == "searchindex.js" else data


def compare(incremental: Path, clean: Path) -> Comparison:
    a, b = output_files(incremental), output_files(clean)
    result = Comparison(files=len(b))
    result.only_incremental = sorted(rel for rel in set(a) - set(b)
                                     if not rel.startswith(STALE_ALLOWED))
    result.only_clean = sorted(set(b) - set(a))
    result.differing = [rel for rel in sorted(set(a) & set(b))
                        if _content(a[rel], rel) != _content(b[rel], rel)]
    return result


def _lines(data: bytes, rel: str) -> list[str]:
    """A file as lines for a readable diff (the bytes are compared, not these): the search
    index as indented JSON, long lines of minified files cut at tags and commas."""
    text = data.decode("utf-8", errors="replace")
    if rel.endswith("searchindex.js") and text.startswith("Search.setIndex("):
        try:
            index = json.loads(text[len("Search.setIndex("):].rstrip().removesuffix(")"))
            return json.dumps(index, indent=1, sort_keys=True).splitlines()
        except ValueError:
            pass
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= 300:
            out.append(line)
        else:
            out.extend(line.replace(">", ">\n").replace(",", ",\n").splitlines())
    return out


def unified(incremental: Path, clean: Path, rel: str, max_lines: int = 30) -> str:
    a = _lines((incremental / rel).read_bytes(), rel)
    b = _lines((clean / rel).read_bytes(), rel)
    diff = list(difflib.unified_diff(a, b, f"incremental/{rel}", f"clean/{rel}", n=1,
                                     lineterm=""))
    cut = [line if len(line) <= 240 else line[:240] + " [...]" for line in diff[:max_lines]]
    if len(diff) > max_lines:
        cut.append(f"... ({len(diff) - max_lines} more diff lines)")
    return "\n".join(cut)


def report(step: Step, mode: str, result: Comparison, incremental: Path, clean: Path,
           max_files: int = 3, max_listed: int = 40) -> str:
    """What differs, for an assertion message: the edit, the mode, the files, and a short
    unified diff of the first few differing files."""

    def listing(title: str, names: list[str]) -> list[str]:
        if not names:
            return []
        shown = [f"    {name}" for name in names[:max_listed]]
        if len(names) > max_listed:
            shown.append(f"    ... and {len(names) - max_listed} more")
        return [f"  {title} ({len(names)}):", *shown]

    lines = [f"step {step.id!r} ({step.description}), {mode} incremental build != clean build "
             f"({result.files} files in the clean build):",
             *listing("only in the incremental build", result.only_incremental),
             *listing("only in the clean build", result.only_clean),
             *listing("different bytes", result.differing)]
    for rel in result.differing[:max_files]:
        lines += ["", unified(incremental, clean, rel)]
    return "\n".join(lines)


# -- the chains --------------------------------------------------------------------------

INITIAL = Step("initial", "none: the first build of the chain, a clean build in this mode "
               "(two clean builds agree, so one clean build per state serves both chains)",
               lambda src: None)


@dataclass
class Outcome:
    step: Step
    mode: str
    #: "" when the incremental build equals the clean build, else what differs (or the
    #: failure of the incremental build)
    message: str
    files: int
    seconds: float


@dataclass
class Chains:
    src: Path
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)
    clean_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"{'step':22} {'clean':>7} " + " ".join(f"{m:>14}" for m in MODES)]
        for step in (INITIAL, *STEPS):
            cells = []
            for mode in MODES:
                o = self.outcomes[step.id, mode]
                cells.append(f"{o.seconds:6.1f}s {'ok' if not o.message else 'DIFF':>6}")
            lines.append(f"{step.id:22} {self.clean_seconds[step.id]:6.1f}s "
                         + " ".join(f"{c:>14}" for c in cells))
        lines.append(f"files compared per step: "
                     f"{sorted({o.files for o in self.outcomes.values()})}; "
                     f"total {self.total_seconds:.0f} s")
        return "\n".join(lines)


def run_chains(work: Path, progress: Callable[[str], None] = lambda line: None) -> Chains:
    """Prepare the site in ``work/site``, then for the initial state and after each step of
    :data:`STEPS`: one clean serial build of the sources into a fresh folder, and one build
    per mode of :data:`MODES` into that mode's own output folder (incremental after the
    first), each compared with the clean build.

    The clean build and the serial one run at the same time (two processes, one core each,
    reading the same sources and writing different folders); the ``-j 2`` build runs alone.

    After a step whose build differs from (or fails unlike) the clean one, that mode's chain
    goes on from a copy of the clean build (output, doctrees, .buildinfo; file times kept), so
    that each step's comparison shows what that step does, not what an earlier one left.
    """
    start = time.perf_counter()
    chains = Chains(prepare_site(work / "site"))
    outs = {mode: work / f"incremental-{mode}" for mode in MODES}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for number, step in enumerate((INITIAL, *STEPS)):
            step.apply(chains.src)
            clean = work / f"clean-{number:02d}-{step.id}"
            clean_build = pool.submit(sphinx_build, chains.src, clean)
            keep_clean = False
            for mode, args in MODES.items():
                out = outs[mode]
                began = time.perf_counter()
                built = pool.submit(sphinx_build, chains.src, out, args)
                if not args:  # the serial build runs beside the clean one
                    chains.clean_seconds[step.id] = clean_build.result().seconds
                    progress(f"{step.id}: clean build {chains.clean_seconds[step.id]:.1f} s")
                try:
                    built.result()
                except RuntimeError as exc:
                    message = (f"step {step.id!r} ({step.description}), {mode} incremental "
                               f"build failed where the clean build succeeded:\n{exc}")
                    files = 0
                else:
                    result = compare(out, clean)
                    files = result.files
                    message = "" if result.equal else report(step, mode, result, out, clean)
                seconds = time.perf_counter() - began
                chains.outcomes[step.id, mode] = Outcome(step, mode, message, files, seconds)
                progress(f"{step.id}: {mode} build {seconds:.1f} s, "
                         f"{'equal' if not message else 'DIFFERENT'} ({files} files)")
                if message:
                    keep_clean = True
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.copytree(clean, out, symlinks=True)
            if not keep_clean:  # nothing to look at later
                shutil.rmtree(clean)
    chains.total_seconds = time.perf_counter() - start
    return chains


if __name__ == "__main__":  # python tests/real_docs.py [WORKDIR]: the matrix, without pytest
    import tempfile

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    done = run_chains(folder, progress=lambda line: print(line, flush=True))
    for outcome in done.outcomes.values():
        if outcome.message:
            print("\n" + outcome.message)
    print("\n" + done.summary())
