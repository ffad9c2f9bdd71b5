"""The tutorial (docs/tutorial.md) works as written: its steps run on a fresh site.

Every code block of the tutorial named ``tutorial-<action>-<what>`` is a step, taken in order:

- ``tutorial-run-*``: shell commands, run in the site's parent folder (``pip install`` is
  checked, not run: the package under test is installed already);
- ``tutorial-write-*``: a file, written at the path of the block's caption;
- ``tutorial-append-*``: lines added at the end of the file its caption names.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import soup

TUTORIAL = Path(__file__).parent.parent / "docs" / "tutorial.md"

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-block\}[ \t]*(?P<lang>\S*)[ \t]*$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
#: the first command word of a step, as the interpreter running the tests spells it
_COMMANDS = {
    "python": [sys.executable],
    "sphinx-quickstart": [sys.executable, "-m", "sphinx.cmd.quickstart"],
}


@dataclass(frozen=True)
class Step:
    name: str
    language: str
    caption: str
    body: str

    @property
    def action(self) -> str:
        return self.name.split("-")[1]

    @property
    def path(self) -> str:
        """The file a write/append step is about: the caption's first word."""
        return self.caption.split()[0]


def tutorial_steps(text: str) -> list[Step]:
    """The named ``{code-block}`` blocks of a MyST page, in order."""
    steps: list[Step] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, options = match["fence"], {}
        i += 1
        while i < len(lines) and (option := _OPTION.match(lines[i])):
            options[option["key"]] = option["value"].strip()
            i += 1
        if i < len(lines) and not lines[i].strip():
            i += 1  # the blank line after the options
        body: list[str] = []
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        name = options.get("name", "")
        if name.startswith("tutorial-"):
            steps.append(Step(name, match["lang"], options.get("caption", ""),
                              "\n".join(body) + "\n"))
    return steps


def test_the_tutorial_has_every_kind_of_step() -> None:
    steps = tutorial_steps(TUTORIAL.read_text(encoding="utf-8"))
    names = [s.name for s in steps]
    assert len(names) == len(set(names)), "step names must be unique"
    assert {s.action for s in steps} == {"run", "write", "append"}
    assert steps[0].body.split() == ["pip", "install", "sphinx-blogposts"]
    assert any("python -m sphinx" in s.body for s in steps if s.action == "run")


def _run(command: str, cwd: Path, env: dict[str, str]) -> None:
    words = shlex.split(command)
    if words[:2] == ["pip", "install"]:
        assert words[2:] == ["sphinx-blogposts"], command
        import sphinx_blogposts  # installed: what the command gives a reader

        assert sphinx_blogposts.__version__
        return
    argv = [*_COMMANDS.get(words[0], [words[0]]), *words[1:]]
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, (
        f"step {command!r} failed:\n{result.stdout}\n{result.stderr}")
    if words[:3] == ["python", "-m", "sphinx"]:
        assert "WARNING" not in result.stderr, result.stderr


def test_the_tutorial_publishes_a_post(tmp_path: Path) -> None:
    env = dict(os.environ)
    # "now" is after the post's date, whenever the test runs
    env["SOURCE_DATE_EPOCH"] = "1798761600"  # 2027-01-01
    env.pop("PYTHONWARNINGS", None)
    for step in tutorial_steps(TUTORIAL.read_text(encoding="utf-8")):
        if step.action == "run":
            for line in step.body.splitlines():
                if line.strip():
                    _run(line.strip(), tmp_path, env)
        elif step.action == "write":
            target = tmp_path / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.body, encoding="utf-8")
        elif step.action == "append":
            target = tmp_path / step.path
            assert target.is_file(), f"{step.name}: {step.path} should exist by now"
            with target.open("a", encoding="utf-8") as f:
                f.write("\n" + step.body)
        else:
            pytest.fail(f"unknown step kind in {step.name!r}")

    out = tmp_path / "docs" / "_build" / "html"
    post = out / "blog" / "posts" / "hello.html"
    assert post.is_file()
    heading = soup(post).select_one("h1")
    assert heading is not None and "Hello, blog" in heading.get_text()
    page = soup(post)
    assert page.select_one("time[datetime='2026-11-02']") is not None
    # the pages the tutorial promises, and the home page's list links the post
    for name in ("blog/index.html", "blog/category/announcements.html",
                 "blog/tag/welcome.html", "blog/archive.html"):
        assert (out / name).is_file(), name
    links = [a.get("href", "") for a in soup(out / "index.html").select("a")]
    assert "blog/posts/hello.html" in links
    assert "blog/index.html" in links
    listed = [a.get("href", "") for a in soup(out / "blog" / "index.html").select("a")]
    assert "posts/hello.html" in listed
