"""The documentation (docs/) builds with -W, and its reference is complete: generated from the
code, it names every configuration value, directive option, warning subtype, theme option and
ABlog value. The YAML the how-to guides give for CI is valid and has the keys it needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import body, soup

DOCS = Path(__file__).parent.parent / "docs"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / ".doctrees"), str(DOCS), str(out / "html")],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "html"


def text_of(page: Path) -> str:
    return " ".join(body(page).get_text(" ").split())


def test_reference_lists_every_config_value(built: Path) -> None:
    from sphinx_blogposts.base.options import OPTIONS

    page = body(built / "reference.html")
    text = " ".join(page.get_text(" ").split())
    for opt in OPTIONS:
        assert opt.name in text, opt.name
        assert page.select_one(f"tr#confval-{opt.name.replace('_', '-')}") is not None, opt.name


def test_reference_lists_every_directive_option(built: Path) -> None:
    from sphinx_blogposts.read import directives

    text = text_of(built / "reference.html")
    for cls in (directives.PostDirective, directives.CategoryDirective,
                directives.PostlistDirective):
        for option in cls.option_spec or {}:
            assert f":{option}:" in text, option
    for name, options in directives.OPTION_DOCS.items():
        for option, doc in options.items():
            assert doc.strip(), (name, option)


def test_warning_subtypes_are_listed_with_their_docstrings(built: Path) -> None:
    from sphinx_blogposts.base.diagnostics import Subtype

    for page in ("reference.html", "warnings.html"):
        text = text_of(built / page)
        for member in Subtype:
            assert f"blogposts.{member.value}" in text, (page, member)
    rows = body(built / "warnings.html").select("table tbody tr")
    assert len(rows) == len(Subtype)
    assert all(row.select("td")[1].get_text().strip() for row in rows)


def test_generated_pages_and_theme_options(built: Path) -> None:
    text = text_of(built / "reference.html")
    for page in ("blog/index.html", "blog/page/2.html", "blog/category/<slug>.html",
                 "blog/tag/<slug>.html", "blog/category/<slug>/page/2.html",
                 "blog/author/<slug>.html", "blog/archive.html", "blog/archive/"):
        assert page in text, page
    for option in ("accent_color", "nav_links", "social_links", "footer_text", "show_sidebar",
                   "color_scheme", "logo"):
        assert option in text, option


def test_migration_guide_lists_every_ablog_value_and_option(built: Path) -> None:
    from sphinx_blogposts.compat.ablog import maps as ablog

    text = text_of(built / "migrate-from-ablog.html")
    for item in (*ablog.CONFIG_MAP, *ablog.COMMAND_VALUES):
        assert item.name in text, item.name
    for option in ablog.OPTION_MAP:
        assert f"{option.directive} :{option.name}:" in text, option


def test_news_is_a_blog_of_releases(built: Path) -> None:
    posts = sorted((DOCS / "news" / "posts").glob("*.md"))
    assert len(posts) >= 2
    index = soup(built / "news" / "index.html")
    for post in posts:
        assert (built / "news" / "posts" / f"{post.stem}.html").is_file()
        assert f"posts/{post.stem}.html" in [a.get("href") for a in index.select("a")]
    assert (built / "news" / "category" / "releases.html").is_file()
    # the docs use the project's own theme
    assert index.select_one("header.bp-header") is not None


def _named_block(page: str, name: str) -> str:
    """The body of a ``{code-block}`` with ``:name: name`` in a docs page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(r"^```\{code-block\}[^\n]*\n((?::[\w-]+:[^\n]*\n)*)\n?(.*?)^```$",
                      text[text.index(f":name: {name}") - 200:], re.S | re.M)
    assert match is not None, name
    return match.group(2)


def test_github_pages_workflow_is_valid() -> None:
    workflow = yaml.safe_load(_named_block("howto/github-pages.md", "github-pages-workflow"))
    # YAML reads the key `on` as True
    triggers = workflow.get("on", workflow.get(True))
    assert "push" in triggers and "schedule" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write",
                                       "id-token": "write"}
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build_steps]
    assert any("python -m sphinx -W" in run and "docs _site" in run for run in runs)
    uses = [step.get("uses", "").split("@")[0] for step in build_steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert "actions/upload-pages-artifact" in uses
    assert build_steps[-1]["with"]["path"] == "_site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_read_the_docs_config_is_valid() -> None:
    config = yaml.safe_load(_named_block("howto/read-the-docs.md", "read-the-docs-config"))
    assert config["version"] == 2
    assert set(config["build"]) == {"os", "tools"} and "python" in config["build"]["tools"]
    assert config["sphinx"]["configuration"] == "docs/conf.py"
    assert config["sphinx"]["fail_on_warning"] is True
    assert config["python"]["install"] == [{"requirements": "docs/requirements.txt"}]


def test_readme_links_exist() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?:docs|example_site)/[^)#]+)\)", readme):
        assert (DOCS.parent / target).exists(), target
    assert "bash scripts/build-example.sh" in readme and "bash scripts/test.sh" in readme


def test_headings_are_unique_per_page(built: Path) -> None:
    for page in built.rglob("*.html"):
        html: BeautifulSoup = soup(page)
        ids = [tag["id"] for tag in html.select("[id]")]
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, (page, duplicates)
