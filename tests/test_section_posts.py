"""Posts made of sections (ABlog's "posting sections"): a further ``post`` directive in a
section of its own posts that section, with the directive's metadata and the section's title,
excerpt and anchor.  Found on ABlog's own docs (``manual/posting-and-listing``, issue 21).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

from helpers import body, build, copy_root, diff_trees, warnings_of

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://sections.example.org/"


@pytest.fixture(scope="module")
def site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    src = copy_root(rootdir, "section-posts", tmp_path_factory.mktemp("sections"))
    app = build(src)
    return Path(app.outdir), strip_escape_sequences(app.warning.getvalue())


def entries(feed: Path) -> dict[str, ET.Element]:
    root = ET.parse(feed).getroot()
    return {e.findtext(f"{ATOM}id") or "": e for e in root.findall(f"{ATOM}entry")}


def test_only_the_duplicate_and_the_undated_section_warn(site: tuple[Path, str]) -> None:
    found = [(w["type"], Path(w["location"]).name, w["line"]) for w in warnings_of(site[1])]
    # the undated section post warns at its directive's line
    assert sorted(found) == [("blogposts.date", "notes.md", "20"),
                             ("blogposts.duplicate", "twice.md", "8")], site[1]


def test_section_posts_are_listed_with_their_own_title_and_anchor(
        site: tuple[Path, str]) -> None:
    out = site[0]
    listed = [(a.get_text(strip=True), a["href"])
              for a in body(out / "index.html").select("a.blogposts-post-title")]
    assert listed == [
        ("Posting Sections", "blog/posts/manual.html#posting-sections"),
        ("Version 1.1 is out", "blog/posts/notes.html#version-1-1"),
        ("Release notes", "blog/posts/notes.html"),
        ("Posting and Listing", "blog/posts/manual.html"),
        ("Twice at the top", "blog/posts/twice.html"),
        ("A later change", "blog/posts/changes.html#a-later-change"),
        ("Changes", "blog/posts/changes.html"),
    ]
    # the section post's own tag has a page that links to the section
    tag = body(out / "blog/tag/sections.html")
    assert [a["href"] for a in tag.select("a") if "manual" in a.get("href", "")] == [
        "../posts/manual.html#posting-sections"]
    assert (out / "blog/tag/patch.html").is_file()
    # an undated section post is a draft: listed nowhere, no tag of its own shown
    assert "Version 1.2" not in body(out / "blog/index.html").get_text()


def test_a_section_shows_its_posts_header(site: tuple[Path, str]) -> None:
    section = body(site[0] / "blog/posts/manual.html").find(id="posting-sections")
    header = section.find(class_="blogposts-post-header", recursive=False)
    assert header is not None
    assert header.find("time")["datetime"] == "2024-08-20"
    assert [a.get_text() for a in header.select(".blogposts-tag")] == ["sections"]
    # the page's own post keeps the page's header: one per post
    page = body(site[0] / "blog/posts/manual.html")
    assert [h.find("time")["datetime"] for h in page.select(".blogposts-post-header")] == [
        "2024-05-09", "2024-08-20"]


def test_feeds_carry_each_section_post_with_its_section_only(site: tuple[Path, str]) -> None:
    found = entries(site[0] / "blog/atom.xml")
    section = found[f"{BASE}blog/posts/manual.html#posting-sections"]
    assert section.findtext(f"{ATOM}title") == "Posting Sections"
    assert section.findtext(f"{ATOM}published", "").startswith("2024-08-20")
    content = section.findtext(f"{ATOM}content") or ""
    assert "Only this section is the new post." in content
    assert "This post describes" not in content and "Lists show posts" not in content
    page = found[f"{BASE}blog/posts/manual.html"]
    assert "This post describes" in (page.findtext(f"{ATOM}content") or "")
    renamed = found[f"{BASE}blog/posts/notes.html#version-1-1"]
    assert renamed.findtext(f"{ATOM}title") == "Version 1.1 is out"
    assert sorted(c.get("term") for c in renamed.findall(f"{ATOM}category")) == [
        "patch", "release"]


def test_dirhtml_links_the_section(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "section-posts", tmp_path)
    out = Path(build(src, "dirhtml").outdir)
    hrefs = [a["href"] for a in body(out / "index.html").select("a.blogposts-post-title")]
    assert "blog/posts/manual/#posting-sections" in hrefs


def _sphinx(src: Path, out: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", *args, str(src), str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.timeout(600)
def test_parallel_and_incremental_builds_equal_clean_ones(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "section-posts", tmp_path)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    _sphinx(src, serial)
    _sphinx(src, parallel, "-j", "2")
    assert diff_trees(serial, parallel) == []
    # the section's directive goes: its post leaves every list, tag page and feed
    notes = src / "blog/posts/notes.md"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(re.sub(r"```\{post\} 2024-07-01\n.*?```\n", "", text, flags=re.S),
                     encoding="utf-8")
    _sphinx(src, serial)
    _sphinx(src, parallel, "-j", "2")
    clean = tmp_path / "clean"
    _sphinx(src, clean)
    assert diff_trees(serial, clean) == []
    assert diff_trees(parallel, clean) == []
    assert not (clean / "blog/tag/patch.html").exists()
    assert f"{BASE}blog/posts/notes.html#version-1-1" not in entries(clean / "blog/atom.xml")
    shutil.rmtree(clean)


def test_the_command_line_finds_the_same_posts_and_problems(
        rootdir: Path, tmp_path: Path, site: tuple[Path, str]) -> None:
    src = copy_root(rootdir, "section-posts", tmp_path)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sphinx_blogposts", *args], cwd=src,
                              capture_output=True, text=True, timeout=120, check=False)

    listed = cli("list")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[-1] if ">" not in line else line.split(" > ", 1)[1]
            for line in listed.stdout.splitlines()] == [
        "Posting Sections", "Version 1.1", "blog/posts/notes.md", "blog/posts/manual.rst",
        "blog/posts/twice.md", "A later change", "blog/posts/changes.md"]
    checked = cli("check")
    assert checked.returncode == 1
    build_lines = sorted(line.split("/blog/posts/", 1)[1] for line in site[1].splitlines()
                         if "WARNING" in line)
    cli_lines = sorted(line.split("blog/posts/", 1)[1] for line in checked.stdout.splitlines())
    assert cli_lines == build_lines
