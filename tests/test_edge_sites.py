"""Real builds of edge sites: empty, single-post, all-draft, very many tags and categories,
ties in date and title, duplicate and unused category declarations, and hostile names.

Each site is generated in a temporary directory by its test, with the output directory
outside the source directory, so that "nothing is written into the source directory" can be
checked by snapshots (PRODUCT.md, "Generated pages" and "Bad input").
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.util.console import strip_escape_sequences

from sphinx_blogposts.model.views import get_view

from helpers import BuiltSite, body, build

CONF = """\
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Edge"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
"""
INDEX = "# Home\n\nThe home page.\n"
LIST_PAGES = ("blog/index", "blog/category/index", "blog/tag/index", "blog/author/index",
              "blog/archive")


# -- building ----------------------------------------------------------------------------------

Site = BuiltSite


def write_site(base: Path, files: dict[str, str], conf: str = "") -> Path:
    src = base / "src"
    for name, text in {"conf.py": CONF + conf, "index.md": INDEX, **files}.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def run(src: Path, builder: str = "html") -> Site:
    out = src.parent / "_build"
    app = build(src, builder, out=out)
    return Site(src, Path(app.outdir), strip_escape_sequences(app.status.getvalue()),
                strip_escape_sequences(app.warning.getvalue()), builder, app)


def post(title: str, date: str, **meta: Any) -> str:
    data = {"date": date, **meta}
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n# {title}\n\nThe body of {title}.\n"


def cards(path: Path) -> list[BeautifulSoup]:
    return body(path).select("article.blogposts-card")


def card_links(path: Path) -> list[str]:
    """Posts a generated page lists: its cards, or its dated titles (a tag, the archive)."""
    page = body(path)
    links = page.select(".blogposts-card-title a") + page.select(".blogposts-archive-list a")
    return [str(a["href"]) for a in links]


def assert_clean(site: Site) -> None:
    assert "build succeeded" in site.status, site.status
    assert site.warnings.strip() == "", site.warnings


# -- no posts, one post ------------------------------------------------------------------------

def test_no_posts_every_page_exists_and_says_so(tmp_path: Path) -> None:
    lists = "# Lists\n\n```{postlist}\n```\n"
    index = "# Home\n\n```{toctree}\nlists\n```\n"
    site = run(write_site(tmp_path, {"index.md": index, "lists.md": lists},
                          "blogposts_posts_per_page = 1\n"))
    assert_clean(site)
    written = sorted(p.relative_to(site.outdir).as_posix()
                     for p in (site.outdir / "blog").rglob("*.html"))
    assert written == sorted(f"{name}.html" for name in LIST_PAGES)
    for name in LIST_PAGES:
        assert body(site.page(name)).select_one(".blogposts-empty") is not None, name
        assert cards(site.page(name)) == []
    assert body(site.page("lists")).select_one(".blogposts-empty") is not None
    assert get_view(site.app.env).newest == []


def test_exactly_one_post(tmp_path: Path) -> None:
    files = {"blog/posts/only.md": post("The only post", "2024-05-01", tags=["solo"],
                                        category="Alone")}
    site = run(write_site(tmp_path, files, "blogposts_posts_per_page = 1\n"))
    assert_clean(site)
    page = body(site.page("blog/posts/only"))
    assert page.select_one(".blogposts-post-header") is not None
    assert page.select(".blogposts-prevnext, .blogposts-prev, .blogposts-next") == []
    assert "Previous:" not in page.get_text() and "Next:" not in page.get_text()
    assert card_links(site.page("blog/index")) == ["posts/only.html"]
    assert not site.page("blog/page/2").exists()
    assert body(site.page("blog/index")).select_one("nav.blogposts-pagination a") is None
    for name in ("blog/tag/solo", "blog/category/alone", "blog/archive"):
        text = body(site.page(name)).get_text()
        assert "The only post" in text, name


# -- drafts ------------------------------------------------------------------------------------

DRAFTS = {
    "blog/posts/draft-one.md": post("Draft one", "2024-01-01", draft=True, tags=["secret"],
                                    category="Hidden"),
    "blog/posts/draft-two.md": post("Draft two", "2024-02-01", draft="yes", tags=["secret"]),
}


def test_all_drafts_hidden(tmp_path: Path) -> None:
    site = run(write_site(tmp_path, DRAFTS, 'blogposts_drafts = "hide"\n'))
    assert_clean(site)
    for doc in ("blog/posts/draft-one", "blog/posts/draft-two"):
        assert not site.page(doc).exists(), doc
        assert not list((site.outdir / "_sources").rglob(f"{doc.rsplit('/', 1)[1]}*")), doc
    for name in LIST_PAGES:
        assert body(site.page(name)).select_one(".blogposts-empty") is not None, name
        assert cards(site.page(name)) == []
    assert not site.page("blog/tag/secret").exists()
    assert not site.page("blog/category/hidden").exists()
    search = (site.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "draft-one" not in search and "Draft one" not in search


def test_all_drafts_shown(tmp_path: Path) -> None:
    site = run(write_site(tmp_path, DRAFTS, 'blogposts_drafts = "show"\n'))
    assert_clean(site)
    for doc in ("blog/posts/draft-one", "blog/posts/draft-two"):
        page = body(site.page(doc))
        banner = page.select_one(".blogposts-post-header .blogposts-banner.blogposts-draft")
        assert banner is not None and "Draft" in banner.get_text(), doc
    index = site.page("blog/index")
    assert card_links(index) == ["posts/draft-two.html", "posts/draft-one.html"]
    for card in cards(index):
        assert "blogposts-draft" in card["class"]
        assert "Draft" in card.select_one(".blogposts-meta").get_text()  # type: ignore[union-attr]
    for page in ("blog/tag/secret", "blog/archive"):  # the dated lists mark them too
        lines = body(site.page(page)).select(".blogposts-archive-list li")
        assert [li.a.get_text() for li in lines] == ["Draft two", "Draft one"], page
        for li in lines:
            assert li["class"] == ["blogposts-draft"], page
            assert li.select_one(".blogposts-status").get_text() == "Draft", page


# -- very many tags and categories ---------------------------------------------------------------

def _resolve(page: Path, href: str) -> Path:
    target = (page.parent / href.split("#")[0]).resolve()
    return target / "index.html" if href.endswith("/") else target


def test_two_hundred_tags_on_one_post(tmp_path: Path) -> None:
    tags = [f"Tag {i:03d}" for i in range(200)]
    files = {"blog/posts/tagged.md": post("Tagged a lot", "2024-05-01", tags=tags)}
    site = run(write_site(tmp_path, files))
    assert_clean(site)
    tag_pages = sorted(p.name for p in (site.outdir / "blog/tag").glob("*.html"))
    assert tag_pages == sorted([f"tag-{i:03d}.html" for i in range(200)] + ["index.html"])
    page = site.page("blog/posts/tagged")
    links = body(page).select(".blogposts-post-header a.blogposts-tag")
    assert [a.get_text() for a in links] == tags
    assert len({str(a["href"]) for a in links}) == 200
    for a in links:
        assert _resolve(page, str(a["href"])).is_file(), a["href"]
    for i in (0, 99, 199):
        assert card_links(site.page(f"blog/tag/tag-{i:03d}")) == ["../posts/tagged.html"]
    assert len(body(site.page("blog/tag/index")).select("a.blogposts-tag")) == 200


def test_one_post_in_fifty_categories(tmp_path: Path) -> None:
    names = [f"Category {i:02d}" for i in range(50)]
    files = {"blog/posts/everywhere.md": post("Everywhere", "2024-05-01", category=names)}
    site = run(write_site(tmp_path, files))
    assert_clean(site)
    pages = sorted(p.name for p in (site.outdir / "blog/category").glob("*.html"))
    assert pages == sorted([f"category-{i:02d}.html" for i in range(50)] + ["index.html"])
    page = site.page("blog/posts/everywhere")
    links = body(page).select(".blogposts-post-header a.blogposts-category")
    assert [a.get_text() for a in links] == names
    for a in links:
        assert _resolve(page, str(a["href"])).is_file(), a["href"]
    for i in range(50):
        assert card_links(site.page(f"blog/category/category-{i:02d}")) == [
            "../posts/everywhere.html"]
    entries = body(site.page("blog/category/index")).select("li")
    assert len(entries) == 50
    assert all("(1)" in li.get_text() for li in entries)


# -- ties ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("date_a", "date_b"),
    [("2024-06-01", "2024-06-01"),
     # the same instant written with two offsets
     ("2024-06-01T12:00:00+02:00", "2024-06-01T10:00:00Z")],
    ids=["same-day", "same-instant"],
)
def test_same_date_and_title_are_both_published_in_docname_order(
    tmp_path: Path, date_a: str, date_b: str
) -> None:
    """Ties in date are broken by docname: chronologically twin-a, then twin-b."""
    files = {
        # written newest first, so that file order cannot explain the result
        "blog/posts/newer.md": post("Newer", "2024-12-01"),
        "blog/posts/twin-b.md": post("Twin", date_b, tags=["twin"]),
        "blog/posts/twin-a.md": post("Twin", date_a, tags=["twin"]),
        "blog/posts/older.md": post("Older", "2024-01-01"),
    }
    orders = []
    for run_number in (1, 2):
        if run_number == 2:
            files = dict(reversed(list(files.items())))
        site = run(write_site(tmp_path / f"run{run_number}", files))
        assert_clean(site)
        order = card_links(site.page("blog/index"))
        assert order == ["posts/newer.html", "posts/twin-b.html", "posts/twin-a.html",
                         "posts/older.html"]
        assert card_links(site.page("blog/tag/twin")) == ["../posts/twin-b.html",
                                                          "../posts/twin-a.html"]
        archive = [str(a["href"]) for a in body(site.page("blog/archive")).select(
            ".blogposts-archive-list a")]
        assert archive == order
        chain = ["older", "twin-a", "twin-b", "newer"]
        for i, name in enumerate(chain):
            footer = body(site.page(f"blog/posts/{name}")).select_one(".blogposts-post-footer")
            assert footer is not None
            prev = footer.select_one(".blogposts-prev a")
            nxt = footer.select_one(".blogposts-next a")
            want_prev = f"{chain[i - 1]}.html" if i > 0 else None
            want_next = f"{chain[i + 1]}.html" if i + 1 < len(chain) else None
            assert (prev["href"] if prev else None) == want_prev, name
            assert (nxt["href"] if nxt else None) == want_next, name
        orders.append(order)
    assert orders[0] == orders[1]


# -- category declarations -----------------------------------------------------------------------

def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def test_category_declared_twice_warns_at_the_second_declaration(tmp_path: Path) -> None:
    cats_a = "# Categories A\n\n```{category} Notes\nThe first declaration.\n```\n"
    cats_b = ("# Categories B\n\nSome text first.\n\n"
              "```{category} Notes\nThe second declaration.\n```\n")
    cats_c = ("# Categories C\n\n```{category} Ideas\nFirst.\n```\n\nBetween.\n\n"
              "```{category} Ideas\nSecond, in the same document.\n```\n")
    index = "# Home\n\n```{toctree}\ncats-a\ncats-b\ncats-c\n```\n"
    files = {"index.md": index, "cats-a.md": cats_a, "cats-b.md": cats_b, "cats-c.md": cats_c,
             "blog/posts/noted.md": post("Noted", "2024-05-01", category=["Notes", "Ideas"])}
    site = run(write_site(tmp_path, files))
    assert "build succeeded" in site.status
    got = sorted((w["type"], *site.where(w)) for w in site.ours())
    assert got == [
        ("blogposts.duplicate", "cats-b.md", _line_of(cats_b, "{category} Notes")),
        ("blogposts.duplicate", "cats-c.md", _line_of(cats_c, "{category} Ideas", 2)),
    ], site.warnings
    assert len(site.warnings.strip().splitlines()) == 2, site.warnings  # nothing else
    messages = " | ".join(w["message"] for w in site.ours())
    assert "cats-a" in messages
    description = body(site.page("blog/category/notes")).select_one(".blogposts-description")
    assert description is not None and "The first declaration." in description.get_text()
    assert "The second declaration" not in description.get_text()


def test_declared_category_without_posts(tmp_path: Path) -> None:
    cats = "# Categories\n\n```{category} Empty Shelf\nNothing here *yet*.\n```\n"
    index = "# Home\n\n```{toctree}\ncategories\n```\n"
    files = {"index.md": index, "categories.md": cats,
             "blog/posts/other.md": post("Other", "2024-05-01", category="Other")}
    site = run(write_site(tmp_path, files))
    assert_clean(site)
    page = body(site.page("blog/category/empty-shelf"))
    assert page.select_one(".blogposts-empty") is not None
    assert cards(site.page("blog/category/empty-shelf")) == []
    description = page.select_one(".blogposts-description")
    assert description is not None and "Nothing here yet." in description.get_text()
    entries = {a.get_text(): a.parent.get_text() for a in body(
        site.page("blog/category/index")).select("a.blogposts-category")}
    assert set(entries) == {"Empty Shelf", "Other"}
    assert "(0)" in entries["Empty Shelf"] and "(1)" in entries["Other"]
    block = body(site.page("categories")).select_one(".blogposts-category-block")
    assert block is not None and block.select_one(".blogposts-empty") is not None


# -- hostile names -----------------------------------------------------------------------------

HOSTILE_TAGS = ["../../x", ("abc " * 250)[:999] + "z", "..", ".", "index", "CON.txt",
                "%2e%2e%2fup", "C:\\Windows\\System32", "~root", "\\\\server\\share",
                "<script>x1</script>", "nul"]
HOSTILE_CATEGORIES = ["CON", "/etc/passwd", "../..", "aux", "COM1", "index", "LPT9.html"]
HOSTILE_AUTHORS = ["../../../author", "/root/.ssh", "PRN"]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                    *(f"lpt{i}" for i in range(1, 10))}


def snapshot(root: Path, skip: Path) -> dict[str, tuple[str, int, str]]:
    """Relative path -> (kind, mtime_ns, sha1) of everything under root except ``skip``."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        info = path.lstat()
        if path.is_symlink():
            kind, digest = "link", str(path.readlink())
        elif path.is_dir():
            kind, digest = "dir", ""
        else:
            kind, digest = "file", hashlib.sha1(path.read_bytes()).hexdigest()
        found[path.relative_to(root).as_posix()] = (kind, info.st_mtime_ns, digest)
    return found


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_hostile_names_stay_inside_the_output(tmp_path: Path, builder: str) -> None:
    files = {"blog/posts/hostile.md": post("Hostile", "2024-05-01", tags=HOSTILE_TAGS,
                                           category=HOSTILE_CATEGORIES,
                                           author=HOSTILE_AUTHORS)}
    src = write_site(tmp_path, files)
    outside = tmp_path / "_build"
    before = snapshot(tmp_path, skip=outside)
    site = run(src, builder)
    assert_clean(site)
    # nothing written into the source directory, nor anywhere else outside the output
    assert snapshot(tmp_path, skip=outside) == before
    outdir = site.outdir.resolve()
    for path in site.outdir.rglob("*"):
        assert path.resolve().is_relative_to(outdir), path
        assert not path.is_symlink(), path
    # every slug is one safe path segment
    view = get_view(site.app.env)
    slugs = {
        **{("tag", n): s for n, s in view.tag_slugs.items()},
        **{("category", n): s for n, s in view.category_slugs.items()},
        **{("author", k): a.slug for k, a in view.authors.items()},
    }
    assert {n for kind, n in slugs if kind == "tag"} == set(HOSTILE_TAGS)
    assert {n for kind, n in slugs if kind == "category"} == set(HOSTILE_CATEGORIES)
    assert {n for kind, n in slugs if kind == "author"} == set(HOSTILE_AUTHORS)
    for (kind, name), slug in slugs.items():
        assert SLUG.fullmatch(slug), (kind, name, slug)
        assert len(slug) <= 80 and slug not in WINDOWS_RESERVED, (kind, name, slug)
    for kind in ("tag", "category", "author"):
        chosen = [s for (k, _n), s in slugs.items() if k == kind]
        assert len(set(chosen)) == len(chosen), kind
        assert "index" not in chosen, kind  # the folder's own index page
    # each name's page exists where its slug says, and the post links to it
    page = site.page("blog/posts/hostile")
    header = body(page).select_one(".blogposts-post-header")
    assert header is not None
    for css, kind in (("blogposts-tag", "tag"), ("blogposts-category", "category"),
                      ("blogposts-author", "author")):
        links = {a.get_text(): str(a["href"]) for a in header.select(f"a.{css}")}
        for (k, name), slug in slugs.items():
            if k != kind:
                continue
            target = site.page(f"blog/{kind}/{slug}")
            assert target.is_file(), (name, slug)
            assert _resolve(page, links[name]) == target.resolve(), (name, links[name])
    # every file of the blog's folders is named by safe segments
    for path in (site.outdir / "blog").rglob("*"):
        for part in path.relative_to(site.outdir / "blog").parts:
            stem = part.removesuffix(".html")
            assert SLUG.fullmatch(stem) and stem not in WINDOWS_RESERVED, path
