"""Every conf.py snippet, command and post example of the documentation (docs/) runs as written.

The Markdown sources of docs/ are parsed for their code blocks (MyST fences and
``{code-block}`` directives, nested fences and fences indented in list items included), and
each block is its own test, named ``<page>:<line>``:

- ``python``: a ``conf.py`` snippet. It is appended verbatim to a minimal ``conf.py`` (the
  two extensions, ``blogposts_pattern = ["blog/posts/*"]`` and the page's theme: the
  ``html_theme`` a snippet of the same page names, else ``sphinx_blogposts``) of a small site
  with two posts, built with ``python -m sphinx -W --keep-going``. That ``conf.py`` also warns
  about any name it sets that is no configuration value of the site (Sphinx ignores those
  silently), so a misspelt or removed option fails too.
- ``markdown`` / ``md`` / ``rst``: a post example (a block that starts with front matter) is a
  post of a small site, any other block the body of a page of it; built with ``-W``. The site's
  ``conf.py`` is the minimal one plus the page's first snippet that sets ``extensions`` (so a
  MyST-NB notebook post gets ``myst_nb``).
- ``console`` / ``bash`` / ``sh`` / ``shell``: each command (the ``$ `` lines when there are
  any, the other lines then being the documented output) runs in a scratch project, in the
  folder where its relative paths make sense, and must exit 0, or with the status its
  documented output implies; that output, when the docs show it, must be what the command
  prints. ``pip install`` lines are checked, not run (no network): what they name must be
  installed. Two liberties, for running on a shared machine: an absolute output folder
  (``/tmp/preview``) is moved into the test's own folder, and ``sphinx-autobuild`` gets
  ``--port 0`` (a free port, not 8000) and ``BROWSER=true``.
- ``yaml``: CI configuration; it must parse, and its ``python -m sphinx`` steps are run as
  commands (its other keys are checked by tests/test_docs.py).
- a template whose first line names its file (``{# _templates/layout.html #}``) is written into
  the sites of its page's snippets, and must show in their output (its classes, in one of the
  pages built).

``test_every_code_block_is_run_or_skipped`` makes this complete by construction: a code block
that no runner takes and that ``SKIP`` does not list, in a language that is not an
illustration (``ILLUSTRATIONS``), fails it; so does a ``SKIP`` entry that matches no block.

Cost: every build is of a two- to four-post site, one after the other, and takes about a
second (the PyData and Book themes, MyST-NB and sphinx-autobuild one and a half); measured on
the project's 2-core machine, the module's 50 tests take about 60 s of wall time (36 s of CPU), and
up to 110 s while other builds share the machine.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
TIMEOUT = 300
#: "now" (SOURCE_DATE_EPOCH) for builds: 2026-06-01, after the dates of the docs' example
#: posts but the one that shows a scheduled post (2026-12-01)
NOW, NOW_EPOCH = "2026-06-01", "1780272000"
#: "now" for the ``sphinx-blogposts`` commands: 2026-01-01, the date of the post ``new``
#: writes in docs/authoring.md, before the post ``list`` shows as scheduled
CLI_NOW, CLI_NOW_EPOCH = "2026-01-01", "1767225600"

#: Code blocks deliberately not run, by (page, a line of the block, verbatim): why. Each
#: entry must match exactly one block.
SKIP: dict[tuple[str, str], str] = {
    # partial by design; tests/test_other_themes.py builds real notebook posts
    ("howto/notebooks.md", '"cells": ["..."]'):
        "an excerpt of a notebook's JSON metadata, with \"...\" for its cells",
}

#: Languages of blocks that show what something looks like, not what to type: sample output
#: (``text``: a build's info line, a link preview, requirements.txt lines), the HTML the
#: build writes into a page's head, and a CSS rule for a reader's own stylesheet.
ILLUSTRATIONS = frozenset({"text", "html", "css"})

SHELL = frozenset({"console", "bash", "sh", "shell", "shell-session"})
MARKUP = frozenset({"markdown", "md", "myst", "rst", "restructuredtext"})
TEMPLATES = frozenset({"html+jinja", "jinja", "html+django", "jinja2"})

BASE_CONF = '''\
project = "Snippet site"
author = "Docs tests"
extensions = ["myst_parser", "sphinx_blogposts"]
blogposts_pattern = ["blog/posts/*"]
exclude_patterns = ["_build"]
html_theme = {theme!r}


def setup(app):
    # the test's own check: a name conf.py sets that nothing reads is a warning (Sphinx
    # ignores it silently), so a misspelt or removed option fails the build under -W
    import types

    from sphinx.util import logging

    def check(app):
        for name, value in app.config._raw_config.items():
            if not (name.startswith("_") or name in ("tags", "setup", "extensions")
                    or name in app.config
                    or isinstance(value, types.ModuleType) or callable(value)):
                logging.getLogger("snippets").warning(
                    "conf.py sets %r, which is no configuration value of this site", name)

    app.connect("builder-inited", check)
'''

INDEX = """\
# Snippet site

A site made to run a snippet of the documentation.

```{toctree}
:glob:

snippets/*
```
"""

#: the two posts of every small site: a category, tags, an author, the Releases category
#: that docs/howto/category-feeds.md links the feed of
POSTS = {
    "blog/posts/first-release.md": (
        "---\ndate: 2025-03-14\ncategory: Releases\ntags: [release, sphinx]\nauthor: alex\n"
        "---\n# First release\n\nThe first paragraph is the excerpt.\n"),
    "blog/posts/writing-posts.md": (
        "---\ndate: 2025-06-01\ncategory: Tutorials\ntags: [sphinx, writing]\n---\n"
        "# Writing posts\n\nHow to write a post.\n\n## A section\n\nMore text.\n"),
}


# -- extraction ----------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_CODE_DIRECTIVES = ("{code-block}", "{code}", "{sourcecode}")


@dataclass(frozen=True)
class Block:
    """One code block of a docs page; ``line`` is the line of its opening fence."""

    page: str
    line: int
    lang: str
    body: str
    options: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def first_line(self) -> str:
        return next((s.strip() for s in self.body.splitlines() if s.strip()), "")

    @property
    def skipped(self) -> bool:
        """Whether ``SKIP`` lists the block."""
        lines = {line.strip() for line in self.body.splitlines()}
        return any(page == self.page and line.strip() in lines for page, line in SKIP)


def _closes(line: str, fence: str) -> bool:
    match = _FENCE.match(line)
    return bool(match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)
                and not match["info"])


def parse_blocks(page: str, text: str, offset: int = 0) -> list[Block]:
    """The code blocks of a MyST page, in order; the bodies of other directives (a note, a
    tab) are searched for code blocks too."""
    lines = text.splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start, fence, indent, info = i, match["fence"], len(match["indent"]), match["info"]
        i += 1
        body: list[str] = []
        while i < len(lines) and not _closes(lines[i], fence):
            line = lines[i]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            i += 1
        i += 1
        lineno = offset + start + 1
        word, _, argument = info.partition(" ")
        if word in _CODE_DIRECTIVES:
            options: dict[str, str] = {}
            while body and (option := _OPTION.match(body[0])):
                options[option["key"]] = option["value"].strip()
                body.pop(0)
            if body and not body[0].strip():
                body.pop(0)
            found.append(Block(page, lineno, argument.strip().lower(),
                               "\n".join(body) + "\n", options))
        elif word.startswith("{"):
            found.extend(parse_blocks(page, "\n".join(body), offset + start + 1))
        else:
            found.append(Block(page, lineno, word.lower(), "\n".join(body) + "\n"))
    return found


def doc_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                  if "_build" not in p.parts)


def all_blocks() -> list[Block]:
    return [block for page in doc_pages()
            for block in parse_blocks(page, (DOCS / page).read_text(encoding="utf-8"))]


def page_blocks(page: str) -> list[Block]:
    return parse_blocks(page, (DOCS / page).read_text(encoding="utf-8"))


def template_path(block: Block) -> str | None:
    """The file a template block names on its first line (``{# _templates/layout.html #}``)."""
    match = re.fullmatch(r"\{#\s*(\S+)\s*#\}", block.first_line)
    return match[1] if match and block.lang in TEMPLATES else None


def kind(block: Block) -> str | None:
    """Which runner takes the block, or None."""
    if block.options.get("name", "").startswith("tutorial-"):
        return "tutorial"
    if block.skipped:
        return None
    if block.lang == "python":
        return "conf"
    if block.lang in SHELL:
        return "shell"
    if block.lang in MARKUP:
        return "markup"
    if block.lang == "yaml":
        return "yaml"
    if template_path(block):
        return "template"
    return None


BLOCKS = all_blocks()


def of_kind(name: str) -> list[Block]:
    return [b for b in BLOCKS if kind(b) == name]


def params(name: str) -> list[object]:
    return [pytest.param(b, id=b.id) for b in of_kind(name)]


# -- small sites -------------------------------------------------------------------------------

def env(epoch: str = NOW_EPOCH) -> dict[str, str]:
    result = dict(os.environ)
    result["SOURCE_DATE_EPOCH"] = epoch
    result["BROWSER"] = "true"  # --open-browser opens nothing
    for name in ("PYTHONWARNINGS", "READTHEDOCS_CANONICAL_URL"):
        result.pop(name, None)
    return result


def page_theme(page: str) -> str:
    for block in page_blocks(page):
        if block.lang == "python" and (m := re.search(
                r"^html_theme\s*=\s*[\"']([\w.-]+)[\"']", block.body, re.M)):
            return m[1]
    return "sphinx_blogposts"


def site_conf(page: str) -> Block | None:
    """The page's first conf.py snippet that sets ``extensions``: the site its examples need."""
    return next((b for b in page_blocks(page) if b.lang == "python"
                 and re.search(r"^extensions\s*=", b.body, re.M)), None)


def make_site(src: Path, page: str, snippet: Block | None, posts: bool = True) -> Path:
    """A small site at ``src`` for a block of ``page``: the minimal conf.py plus ``snippet``
    verbatim, two posts and the templates the page shows."""
    src.mkdir(parents=True, exist_ok=True)
    conf = BASE_CONF.format(theme=page_theme(page))
    if snippet is not None:
        conf += f"\n# ---- docs/{snippet.id}, verbatim ----\n{snippet.body}"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    (src / "snippets").mkdir()
    (src / "snippets" / "about.md").write_text("# About\n\nA page.\n", encoding="utf-8")
    (src / "_static").mkdir()
    (src / "_static" / "blog.css").write_text("/* a reader's stylesheet */\n", encoding="utf-8")
    for block in page_blocks(page):
        if (path := template_path(block)) is not None:
            (src / path).parent.mkdir(parents=True, exist_ok=True)
            (src / path).write_text(block.body, encoding="utf-8")
    if posts:
        for name, text in POSTS.items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_text(text, encoding="utf-8")
    return src


def sphinx_build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", str(src), str(out)],
        capture_output=True, text=True, timeout=TIMEOUT, env=env(), check=False)


def assert_built(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode == 0, (
        f"{what} fails to build with -W:\n{result.stdout[-3000:]}\n{result.stderr}")


# -- conf.py snippets ----------------------------------------------------------------------------

@pytest.mark.parametrize("block", params("conf"))
def test_conf_snippet_builds(block: Block, tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", block.page, block)
    out = tmp_path / "html"
    assert_built(sphinx_build(src, out), f"docs/{block.id}")
    for name in (*POSTS, "blog/index"):
        assert (out / name).with_suffix(".html").is_file(), name
    if re.search(r"^(blogposts_baseurl|html_baseurl)\s*=\s*[\"']https?://", block.body, re.M):
        # "the next build writes blog/atom.xml, blog/rss.xml and blog/feed.json"
        assert (out / "blog" / "atom.xml").is_file(), f"docs/{block.id} writes no feed"


# -- post examples and Markdown in a page -----------------------------------------------------

def _is_post(block: Block) -> bool:
    return block.body.startswith("---\n") or bool(
        re.search(r"^\.\. post::|^:date:", block.body, re.M))


@pytest.mark.parametrize("block", params("markup"))
def test_markup_example_builds(block: Block, tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", block.page, site_conf(block.page))
    suffix = ".rst" if block.lang in {"rst", "restructuredtext"} else ".md"
    stem = re.sub(r"\W+", "-", block.id).strip("-").lower()
    if _is_post(block):
        target = src / "blog" / "posts" / f"{stem}{suffix}"
        target.write_text(block.body, encoding="utf-8")
    else:
        target = src / "snippets" / f"{stem}{suffix}"
        heading = f"Example {stem}\n{'=' * (8 + len(stem))}\n\n" if suffix == ".rst" else (
            f"# Example {stem}\n\n")
        target.write_text(heading + block.body, encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_build(src, out)
    assert_built(result, f"docs/{block.id} (as {target.relative_to(src)})")
    page = out / target.relative_to(src).with_suffix(".html")
    assert page.is_file() != _hidden(block.body), page


def _hidden(text: str, now: str = NOW) -> bool:
    """A draft, or a post dated after ``now`` (an ISO date or datetime): no page under
    ``blogposts_drafts = "hide"``."""
    from datetime import UTC, datetime

    def moment(value: str) -> datetime:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    date = re.search(r"^date:\s*(\S+)", text, re.M)
    return bool(re.search(r"^draft:\s*true", text, re.M)) or bool(
        date and moment(date[1]) > moment(now))


# -- commands --------------------------------------------------------------------------------

@dataclass
class Command:
    text: str
    output: list[str]


def commands(block: Block) -> list[Command]:
    """The commands of a shell block, each with the output the docs show under it."""
    lines = block.body.splitlines()
    if any(line.startswith("$ ") for line in lines):
        found: list[Command] = []
        for line in lines:
            if line.startswith("$ "):
                found.append(Command(line[2:].strip(), []))
            elif line.strip() and found:
                found[-1].output.append(line.rstrip())
        return found
    return [Command(line.strip(), []) for line in lines
            if line.strip() and not line.lstrip().startswith("#")]


def _check_pip(words: list[str]) -> None:
    """``pip install A B``: A and B are installed (the tests run offline)."""
    names = [w for w in words[2:] if not w.startswith("-")]
    if "-r" in words:
        return  # a requirements file: its lines are the docs' text blocks
    assert names, words
    for name in names:
        importlib.metadata.version(re.split(r"[<>=\[ ]", name)[0])


def _sphinx_source(words: list[str]) -> tuple[str, str]:
    """The source and output folders of a sphinx-build command line."""
    words = words[3:] if words[:2] == ["python", "-m"] else words[1:]
    takes_value = {"-b", "-D", "-d", "-c", "-j", "-t", "-w", "-A", "--builder", "--define",
                   "--doctree-dir", "--conf-dir", "--jobs", "--tag", "--warning-file",
                   "--html-define", "--port", "--host", "--ignore", "--re-ignore"}
    positional: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in takes_value:
            skip = True
        elif not word.startswith("-"):
            positional.append(word)
    assert len(positional) >= 2, words
    return positional[0], positional[1]


def _relocate(words: list[str], tmp_path: Path) -> list[str]:
    """An absolute output folder (``/tmp/preview``) moved into the test's own folder."""
    return [str(tmp_path / w.lstrip("/")) if w.startswith("/tmp/") else w for w in words]


def _argv(words: list[str]) -> list[str]:
    bindir = Path(sys.executable).parent
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    exe = shutil.which(words[0], path=str(bindir))
    assert exe, f"{words[0]} is not installed beside {sys.executable}"
    return [exe, *words[1:]]


def _run(argv: list[str], cwd: Path, epoch: str = NOW_EPOCH
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env=env(epoch), check=False)


def _report(command: str, result: subprocess.CompletedProcess[str]) -> str:
    return f"{command!r} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"


def command_site(block: Block, src: Path) -> list[tuple[Path, str]]:
    """The small site a build command of ``block``'s page builds: with the page's post
    examples as posts (``(their path, their text)`` is returned)."""
    make_site(src, block.page, site_conf(block.page))
    posts = []
    for example in _pages_posts(block.page):
        path = src / "blog" / "posts" / f"example-{example.line}.md"
        path.write_text(example.body, encoding="utf-8")
        posts.append((path.relative_to(src).with_suffix(".html"), example.body))
    return posts


def assert_posts_shown(words: list[str], out: Path, posts: list[tuple[Path, str]]) -> None:
    """The page's drafts have a page only with ``-D blogposts_drafts=show``; its posts dated
    before "now" (``-D blogposts_now=…``, else ``NOW``) always."""
    show = "blogposts_drafts=show" in words
    now = next((w.split("=", 1)[1] for w in words if w.startswith("blogposts_now=")),
               NOW)
    for page, text in posts:
        if show or not _hidden(text, now):
            assert (out / page).is_file(), (page, words)
        else:
            assert not (out / page).exists(), (page, words)


def run_sphinx(block: Block, words: list[str], project: Path) -> None:
    """``python -m sphinx`` / ``sphinx-build``: the source folder it names is a small site."""
    words = _relocate(words, project.parent)
    source, output = _sphinx_source(words)
    posts = command_site(block, project / source)
    result = _run(_argv(words), project)
    assert result.returncode == 0, _report(shlex.join(words), result)
    assert "WARNING" not in result.stderr, _report(shlex.join(words), result)
    out = project / output
    assert (out / "index.html").is_file(), out
    assert_posts_shown(words, out, posts)


def run_autobuild(block: Block, words: list[str], project: Path) -> None:
    """``sphinx-autobuild SRC OUT …``: it builds the site and serves it until stopped."""
    source, output = _sphinx_source(words)
    posts = command_site(block, project / source)
    log = project.parent / "autobuild.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen([*_argv(words), "--port", "0"], cwd=project, env=env(),
                                   stdout=sink, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + TIMEOUT
            index = project / output / "blog" / "index.html"
            while not index.is_file() and process.poll() is None:
                assert time.monotonic() < deadline, "sphinx-autobuild built nothing in time"
                time.sleep(0.5)
            time.sleep(1)
            assert process.poll() is None, f"sphinx-autobuild stopped:\n{log.read_text()}"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "WARNING" not in text and "Traceback" not in text, text
    # "arguments after the two folders go to Sphinx"
    assert_posts_shown(words, project / output, posts)


def _pages_posts(page: str) -> list[Block]:
    return [b for b in page_blocks(page) if kind(b) == "markup" and _is_post(b)]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


_LIST_LINE = re.compile(r"^(?P<date>\d{4}-\d\d-\d\d)  (?P<status>.+?)  +(?P<cats>\S.*?)  +"
                        r"(?P<file>\S+)$")
_CHECK_LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+): WARNING: (?P<key>\w+): '(?P<value>[^']*)'")
_CHECK_SUMMARY = re.compile(r"^(?P<problems>\d+) problem\(s\) in (?P<posts>\d+) posts$")


def _site_for_list(site: Path, output: list[str]) -> None:
    """The posts that ``list``'s documented output shows, so that it can be shown again."""
    for line in output:
        match = _LIST_LINE.match(line)
        assert match, f"not a line of `list`: {line!r}"
        status = match["status"]
        front = [f"date: {match['date']}", f"category: {match['cats']}"]
        front += ["draft: true"] * ("draft" in status) + ["pin: true"] * ("pinned" in status)
        _write(site / match["file"], "---\n" + "\n".join(front) + "\n---\n# A post\n\nText.\n")


def _site_for_check(site: Path, output: list[str], page: str) -> int:
    """The problem that ``check``'s documented output reports, planted at its line of the
    post the page shows, among as many posts as the summary counts; the status it implies."""
    problems = [m for line in output if (m := _CHECK_LINE.match(line))]
    summary = next(m for line in output if (m := _CHECK_SUMMARY.match(line)))
    assert len(problems) == int(summary["problems"]), output
    example = _pages_posts(page)[0].body.splitlines()
    files = set()
    for problem in problems:
        lines = list(example)
        lines.insert(int(problem["line"]) - 1, f"{problem['key']}: {problem['value']}")
        _write(site / problem["file"], "\n".join(lines) + "\n")
        files.add(problem["file"])
    for n in range(int(summary["posts"]) - len(files)):
        _write(site / "blog" / "posts" / f"post-{n}.md",
               f"---\ndate: 2025-01-{n + 1:02}\n---\n# Post {n}\n\nText.\n")
    return 1 if problems else 0


def run_blogposts(block: Block, command: Command, words: list[str], project: Path) -> None:
    """``sphinx-blogposts …`` in a site with the page's conf; the documented output is what it
    prints, the site made to be the one that output shows."""
    subcommand = words[1] if len(words) > 1 else ""
    site = make_site(project, block.page, site_conf(block.page),
                     posts=subcommand not in {"list", "check"} or not command.output)
    expected = 0
    if subcommand == "list" and command.output:
        _site_for_list(site, command.output)
    elif subcommand == "check" and command.output:
        expected = _site_for_check(site, command.output, block.page)
    result = _run(_argv(words), site, CLI_NOW_EPOCH)
    assert result.returncode == expected, _report(command.text, result)
    if command.output:
        shown = (result.stdout + result.stderr).splitlines()
        assert sorted(shown) == sorted(command.output), _report(command.text, result)
    if subcommand == "new":
        written = site / result.stdout.strip()
        assert written.is_file(), result.stdout
        # the post it writes is the one the page shows (its date is "now": CLI_NOW)
        bodies = [b.body for b in _pages_posts(block.page)]
        assert written.read_text(encoding="utf-8") in bodies, written.read_text()


def run_catalogs(words: list[str], project: Path) -> None:
    """``python scripts/compile_catalogs.py``: in a copy of the package, never in src/."""
    if not (project / "scripts").exists():
        shutil.copytree(ROOT / "scripts", project / "scripts")
        shutil.copytree(ROOT / "src" / "sphinx_blogposts", project / "src" / "sphinx_blogposts",
                        ignore=shutil.ignore_patterns("__pycache__"))
    result = _run(_argv(words), project)
    assert result.returncode == 0, _report(shlex.join(words), result)


def run_command(block: Block, command: Command, project: Path) -> None:
    words = shlex.split(command.text, comments=True)
    if words[:2] == ["pip", "install"] or words[:4] == ["python", "-m", "pip", "install"]:
        _check_pip(words[2:] if words[0] == "python" else words)
    elif words[0] == "sphinx-build" or words[:3] == ["python", "-m", "sphinx"]:
        run_sphinx(block, words, project)
    elif words[0] == "sphinx-autobuild":
        run_autobuild(block, words, project)
    elif words[0] == "sphinx-blogposts" or words[:3] == ["python", "-m", "sphinx_blogposts"]:
        run_blogposts(block, command, words, project)
    elif words[:2] == ["python", "scripts/compile_catalogs.py"]:
        run_catalogs(words, project)
    else:
        pytest.fail(f"docs/{block.id}: no runner for {command.text!r}; run it here or SKIP it")


@pytest.mark.parametrize("block", params("shell"))
def test_shell_commands_run(block: Block, tmp_path: Path) -> None:
    found = commands(block)
    assert found, block
    for n, command in enumerate(found):
        run_command(block, command, tmp_path / f"project-{n}")


@pytest.mark.parametrize("block", params("yaml"))
def test_ci_config_runs(block: Block, tmp_path: Path) -> None:
    config = yaml.safe_load(block.body)
    assert isinstance(config, dict), block
    runs = [step["run"] for job in config.get("jobs", {}).values()
            for step in job.get("steps", []) if "run" in step]
    for n, run in enumerate(runs):
        for line in run.splitlines():
            if line.strip():
                run_command(block, Command(line.strip(), []), tmp_path / f"project-{n}")


# -- templates --------------------------------------------------------------------------------

@pytest.mark.parametrize("block", params("template"))
def test_template_shows(block: Block, tmp_path: Path) -> None:
    """The page's snippets that use the template (by their ``templates_path``) show it."""
    users = [b for b in page_blocks(block.page)
             if b.lang == "python" and "templates_path" in b.body]
    assert users, f"docs/{block.id}: no conf.py snippet of the page uses it"
    classes = re.findall(r'class="([^"{]+)"', block.body)
    for user in users:
        src = make_site(tmp_path / f"site-{user.line}", block.page, user)
        out = tmp_path / f"html-{user.line}"
        assert_built(sphinx_build(src, out), f"docs/{user.id}")
        # the page it makes: a post's layout, or one of the generated pages
        html = "".join(page.read_text(encoding="utf-8") for page in out.rglob("*.html"))
        for name in classes:
            assert f'class="{name}"' in html, (user.id, name)


# -- completeness -----------------------------------------------------------------------------

def test_every_code_block_is_run_or_skipped() -> None:
    blocks = all_blocks()
    assert len(blocks) > 40, "the extractor finds the docs' code blocks"
    unrun = [b.id + f" ({b.lang or 'no language'})" for b in blocks
             if kind(b) is None and not b.skipped and b.lang not in ILLUSTRATIONS]
    assert not unrun, ("code blocks of docs/ that no test runs: run them in "
                       f"tests/test_doc_snippets.py or add them to SKIP: {unrun}")
    for page, line in SKIP:
        matched = [b.id for b in blocks if b.page == page
                   and line.strip() in {x.strip() for x in b.body.splitlines()}]
        assert len(matched) == 1, f"SKIP entry {(page, line)} matches {matched}, not one block"


def test_tutorial_blocks_are_run_by_the_tutorial_test() -> None:
    from test_tutorial import TUTORIAL, tutorial_steps

    steps = {s.name for s in tutorial_steps(TUTORIAL.read_text(encoding="utf-8"))}
    for block in of_kind("tutorial"):
        assert block.page == "tutorial.md" and block.options["name"] in steps, block.id
