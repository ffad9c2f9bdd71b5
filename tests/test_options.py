"""Post options in their less common forms, drafts and scheduled posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_blogposts.model.posts import get_index

from helpers import body, build, copy_root, excerpt_text


@pytest.fixture(scope="module", params=["hide", "show", "unlisted"])
def site(request: pytest.FixtureRequest, rootdir: Path,
         tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    src = copy_root(rootdir, "options", tmp_path_factory.mktemp(request.param))
    return build(src, confoverrides={"blogposts_drafts": request.param})


def mode(site: SphinxTestApp) -> str:
    return str(site.config.blogposts_drafts)


def test_numeric_excerpt_and_image_and_title_option(site: SphinxTestApp) -> None:
    post = get_index(site.env).posts["posts/numeric"]
    assert post.title == "Title from the option"
    assert excerpt_text(post) == ("First paragraph.", "Second paragraph.")
    assert post.image == "posts/cover.png"
    assert post.categories == ("General",)  # blogposts_default_category
    assert post.tags == ("one", "two")
    card = body(site.outdir / "blog/index.html").select(".blogposts-card")
    numeric = next(c for c in card if "Title from the option" in c.get_text())
    assert numeric.select_one("img.blogposts-card-image") is not None


def test_docinfo_fields_are_read_as_written(site: SphinxTestApp) -> None:
    post = get_index(site.env).posts["posts/docinfo"]
    # a comma list; the quotes around a name are dropped, as ABlog drops them
    assert post.tags == ("alpha", "beta")
    assert post.authors == ("O'Brien",)
    assert post.description == 'It\'s "quoted".'
    assert excerpt_text(post) == ("First paragraph of the reST post.",)
    assert post.categories == ("Notes",)
    # ABlog's redirect, as a docinfo field: a redirect page at the old name
    assert post.redirects == ("notes/old-docinfo",)
    old = (site.outdir / "notes/old-docinfo.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in old and "../posts/docinfo.html" in old


def test_drafts(site: SphinxTestApp) -> None:
    out = site.outdir
    index = (out / "blog/index.html").read_text()
    listed = (out / "index.html").read_text()
    search = (out / "searchindex.js").read_text()
    if mode(site) == "hide":
        assert not (out / "posts/draft.html").exists()
        assert not (out / "posts/scheduled.html").exists()
        assert "A draft post" not in index and "A draft post" not in listed
        assert "A scheduled post" not in index
        assert not (out / "blog/tag/secret-draft-tag.html").exists()
        assert "zebracorn" not in search
    else:
        page = body(out / "posts/draft.html")
        banner = page.select_one(".blogposts-banner")
        assert banner is not None and "Draft" in banner.get_text()
        scheduled = body(out / "posts/scheduled.html").select_one(".blogposts-banner")
        assert scheduled is not None and "Scheduled" in scheduled.get_text()
    if mode(site) == "show":
        assert "A draft post" in index and "A draft post" in listed
        assert (out / "blog/tag/secret-draft-tag.html").exists()
        assert not (out / "blog/drafts.html").exists()
    if mode(site) == "unlisted":
        # a page each, listed on the drafts page only: no list, tag page or feed
        assert "A draft post" not in index and "A draft post" not in listed
        assert "A scheduled post" not in index
        assert not (out / "blog/tag/secret-draft-tag.html").exists()
        drafts = body(out / "blog/drafts.html")
        assert sorted(a.get_text() for a in drafts.select(".blogposts-archive-list a")) == [
            "A draft post", "A scheduled post"]
        tag = body(out / "posts/draft.html").select_one(".blogposts-post-header "
                                                        ".blogposts-tag")
        assert tag is not None and tag.name == "span"  # the tag has no page
        for feed in (out / "blog").glob("*.xml"):
            assert "A draft post" not in feed.read_text(encoding="utf-8")
    assert "WARNING" not in site.warning.getvalue()
