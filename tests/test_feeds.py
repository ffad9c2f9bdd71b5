"""Atom, RSS and JSON feeds from real builds of ``tests/roots/test-feeds``.

The root has three published posts (alpha in Tutorials with a cover image and links, beta in
News, gamma in Tutorials by a guest), a draft and a post scheduled for 2099, all in categories,
and ``blogposts_baseurl = "https://example.org/"``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from sphinx_blogposts.model.posts import get_index

from helpers import build, soup, warnings_of

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
BASE = "https://example.org/"
PUBLISHED = ["beta", "gamma", "alpha"]  # newest first
NOW = "1767225600"  # 2026-01-01
FEED_FILES = ("atom.xml", "rss.xml", "feed.json")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)


@pytest.fixture(scope="module")
def now() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", NOW)
        yield


def site(rootdir: Path, dest: Path) -> Path:
    target = dest / "src"
    shutil.copytree(rootdir / "test-feeds", target)
    return target


def run(src: Path, out: Path, builder: str = "html", **overrides: Any) -> SphinxTestApp:
    return build(src, builder, out=out, confoverrides=overrides)


@pytest.fixture(scope="module")
def html(rootdir: Path, tmp_path_factory: pytest.TempPathFactory, now: None) -> SphinxTestApp:
    base = tmp_path_factory.mktemp("feeds-html")
    return run(site(rootdir, base), base / "out")


def feed_bytes(app: SphinxTestApp, rel: str) -> bytes:
    return (Path(app.outdir) / rel).read_bytes()


def parsed(app: SphinxTestApp, rel: str) -> Any:
    data = feed_bytes(app, rel)
    ET.fromstring(data)  # well-formed XML
    result = feedparser.parse(data)
    assert result.bozo == 0, (rel, result.get("bozo_exception"))
    return result


def slug_of(url: str) -> str:
    return url.rsplit("/", 1)[-1].removesuffix(".html")


# -- the site feeds --------------------------------------------------------------------------


def test_build_is_clean(html: SphinxTestApp) -> None:
    assert warnings_of(html.warning.getvalue()) == []
    assert "WARNING" not in html.warning.getvalue()


def test_site_feeds_are_written(html: SphinxTestApp) -> None:
    for name in FEED_FILES:
        assert (Path(html.outdir) / "blog" / name).is_file(), name


def test_atom_required_elements(html: SphinxTestApp) -> None:
    root = ET.fromstring(feed_bytes(html, "blog/atom.xml"))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == f"{BASE}blog/atom.xml"
    assert root.findtext(f"{ATOM}title") == "Feeds blog"
    assert root.findtext(f"{ATOM}subtitle") == "Posts about feeds & sharing."
    assert root.findtext(f"{ATOM}updated")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"self": f"{BASE}blog/atom.xml", "alternate": f"{BASE}blog/index.html"}
    entries = root.findall(f"{ATOM}entry")
    assert [slug_of(e.findtext(f"{ATOM}id") or "") for e in entries] == PUBLISHED
    for entry in entries:
        for tag in ("id", "title", "published", "updated", "summary", "content"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        assert entry.find(f"{ATOM}category") is not None
        assert entry.find(f"{ATOM}content").get("type") == "html"  # type: ignore[union-attr]
    alpha = entries[2]
    assert alpha.findtext(f"{ATOM}title") == "Alpha post"
    assert alpha.findtext(f"{ATOM}published") == "2024-01-10T08:00:00+01:00"
    assert alpha.findtext(f"{ATOM}updated") == "2024-02-01T00:00:00Z"
    authors = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
               for a in alpha.findall(f"{ATOM}author")]
    assert authors == [("Jane Doe", "https://example.org/jane"), ("Sam Roe", None)]
    terms = [c.get("term") for c in alpha.findall(f"{ATOM}category")]
    assert terms == ["Tutorials", "python", "sphinx"]
    assert alpha.findtext(f"{ATOM}summary") == "The first paragraph of alpha."


def test_atom_through_feedparser(html: SphinxTestApp) -> None:
    feed = parsed(html, "blog/atom.xml")
    assert feed.version == "atom10"
    assert feed.feed.title == "Feeds blog"
    assert [slug_of(e.link) for e in feed.entries] == PUBLISHED
    gamma = feed.entries[1]
    assert gamma.author == "Guest Writer"
    assert gamma.published == "2024-02-15T12:00:00Z"
    assert gamma.content[0].value.startswith("<section")


def test_rss_required_elements(html: SphinxTestApp) -> None:
    feed = parsed(html, "blog/rss.xml")
    assert feed.version == "rss20"
    channel = ET.fromstring(feed_bytes(html, "blog/rss.xml")).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Feeds blog"
    assert channel.findtext("link") == f"{BASE}blog/index.html"
    assert channel.findtext("description") == "Posts about feeds & sharing."
    items = channel.findall("item")
    assert [slug_of(i.findtext("link") or "") for i in items] == PUBLISHED
    for item in items:
        for tag in ("guid", "title", "link", "pubDate", "category", "description"):
            assert item.findtext(tag), tag
        assert item.findtext("guid") == item.findtext("link")
        assert item.findtext(f"{CONTENT}encoded")
    alpha = items[2]
    assert parsedate_to_datetime(alpha.findtext("pubDate") or "").isoformat() == (
        "2024-01-10T08:00:00+01:00")
    assert [c.text for c in alpha.findall("category")] == ["Tutorials", "python", "sphinx"]
    assert alpha.findtext("description") == "<p>The first paragraph of alpha.</p>"
    assert [e.summary for e in feed.entries][2] == "<p>The first paragraph of alpha.</p>"


def test_json_feed(html: SphinxTestApp) -> None:
    data = json.loads(feed_bytes(html, "blog/feed.json"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "Feeds blog"
    assert data["home_page_url"] == f"{BASE}blog/index.html"
    assert data["feed_url"] == f"{BASE}blog/feed.json"
    assert [slug_of(i["url"]) for i in data["items"]] == PUBLISHED
    for item in data["items"]:
        for key in ("id", "url", "title", "date_published", "content_html", "summary"):
            assert item[key], key
    alpha = data["items"][2]
    assert alpha["image"] == f"{BASE}_images/cover.png"
    assert alpha["authors"] == [{"name": "Jane Doe", "url": "https://example.org/jane"},
                                {"name": "Sam Roe"}]
    assert alpha["tags"] == ["Tutorials", "python", "sphinx"]
    assert alpha["date_modified"] == "2024-02-01T00:00:00Z"


def test_drafts_and_scheduled_posts_are_never_in_feeds(html: SphinxTestApp) -> None:
    for path in Path(html.outdir).rglob("*"):
        if path.name in FEED_FILES:
            text = path.read_text(encoding="utf-8")
            for word in ("draft", "Draft post", "scheduled", "Scheduled post"):
                assert word not in text, (path, word)


def test_feed_date_is_its_newest_entry(html: SphinxTestApp) -> None:
    atom = ET.fromstring(feed_bytes(html, "blog/atom.xml"))
    updated = [e.findtext(f"{ATOM}updated") or "" for e in atom.findall(f"{ATOM}entry")]
    newest = max(updated, key=lambda d: datetime.fromisoformat(d.replace("Z", "+00:00")))
    assert atom.findtext(f"{ATOM}updated") == newest == "2024-03-01T00:00:00Z"
    channel = ET.fromstring(feed_bytes(html, "blog/rss.xml")).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Fri, 01 Mar 2024 00:00:00 +0000"
    # the tutorials feed ends at alpha's update (gamma is newer): its newest entry, per feed
    cat = ET.fromstring(feed_bytes(html, "blog/category/tutorials/atom.xml"))
    assert cat.findtext(f"{ATOM}updated") == "2024-02-15T12:00:00Z"


def test_full_content_has_absolute_urls(html: SphinxTestApp) -> None:
    feed = parsed(html, "blog/atom.xml")
    alpha = feed.entries[2].content[0].value
    urls = re.findall(r'(?:href|src)="([^"]*)"', alpha)
    assert urls and all(u.startswith(("https://", "http://")) for u in urls), urls
    assert f"{BASE}blog/posts/beta.html" in urls
    assert f"{BASE}index.html" in urls
    assert f"{BASE}categories.html" in urls
    assert f"{BASE}blog/posts/alpha.html#alpha-details" in urls
    assert "https://www.python.org/" in urls
    images = re.findall(r'<img [^>]*src="([^"]*)"', alpha)
    assert images == [f"{BASE}_images/cover.png"] * 2  # the cover and the body's figure
    for url in urls:
        if url.startswith(BASE):  # every internal URL names a file of the build
            rel = url[len(BASE):].split("#")[0]
            assert (Path(html.outdir) / rel).is_file(), url
    # the title, the metadata line and the footer are the feed's own business
    assert "Alpha post</h1>" not in alpha
    assert "blogposts-meta" not in alpha and "blogposts-post-footer" not in alpha
    assert "headerlink" not in alpha


def test_category_feeds(html: SphinxTestApp) -> None:
    out = Path(html.outdir)
    tutorials = parsed(html, "blog/category/tutorials/atom.xml")
    assert [slug_of(e.link) for e in tutorials.entries] == ["gamma", "alpha"]
    assert tutorials.feed.title == "Feeds blog: Tutorials"
    assert tutorials.feed.subtitle == "Step-by-step guides for new users."
    links = {link.rel: link.href for link in tutorials.feed.links}
    assert links["self"] == f"{BASE}blog/category/tutorials/atom.xml"
    assert links["alternate"] == f"{BASE}blog/category/tutorials.html"
    news = parsed(html, "blog/category/news/rss.xml")
    assert [slug_of(e.link) for e in news.entries] == ["beta"]
    assert not (out / "blog/category/news/feed.json").exists()
    # no tag feeds unless asked for
    assert not list(out.glob("blog/tag/**/*.xml"))


def test_discovery_links(html: SphinxTestApp) -> None:
    out = Path(html.outdir)

    def alternates(rel: str) -> list[tuple[str, str]]:
        page = soup(out / rel)
        return [(str(link["type"]), str(link["href"]))
                for link in page.select('link[rel="alternate"]')]

    site = [("application/atom+xml", f"{BASE}blog/atom.xml"),
            ("application/rss+xml", f"{BASE}blog/rss.xml"),
            ("application/feed+json", f"{BASE}blog/feed.json")]
    tutorials = [("application/atom+xml", f"{BASE}blog/category/tutorials/atom.xml"),
                 ("application/rss+xml", f"{BASE}blog/category/tutorials/rss.xml")]
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    assert len(pages) > 10
    for rel in pages:
        assert alternates(rel)[:3] == site, rel
    assert alternates("blog/category/tutorials.html") == site + tutorials
    assert alternates("blog/posts/alpha.html") == site + tutorials
    assert alternates("blog/posts/gamma.html") == site + tutorials
    news = [("application/atom+xml", f"{BASE}blog/category/news/atom.xml"),
            ("application/rss+xml", f"{BASE}blog/category/news/rss.xml")]
    assert alternates("blog/posts/beta.html") == site + news
    assert alternates("index.html") == site
    assert alternates("blog/index.html") == site
    titles = [link["title"] for link in soup(out / "blog/posts/alpha.html").select(
        'link[rel="alternate"]')]
    assert titles[0] == "Feeds blog (Atom)"
    assert titles[3] == "Feeds blog: Tutorials (Atom)"


# -- builds compared -----------------------------------------------------------------------------


def feed_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.name in FEED_FILES}


def test_two_clean_builds_give_identical_feeds(rootdir: Path, tmp_path: Path) -> None:
    src = site(rootdir, tmp_path)
    first = feed_files(Path(run(src, tmp_path / "a").outdir))
    second = feed_files(Path(run(src, tmp_path / "b").outdir))
    assert len(first) == 7  # site: 3; Tutorials and News: 2 each
    assert first == second
    parallel = feed_files(Path(build(src, out=tmp_path / "p", parallel=2).outdir))
    assert parallel == first


def test_noop_rebuild_keeps_feed_mtimes(rootdir: Path, tmp_path: Path) -> None:
    src = site(rootdir, tmp_path)
    out = tmp_path / "out"
    first = run(src, out)
    files = [p for p in Path(first.outdir).rglob("*") if p.name in FEED_FILES]
    before = {p: p.stat().st_mtime_ns for p in files}
    os.utime(src / "blog/posts/beta.md")  # touched, unchanged: nothing to rewrite
    second = run(src, out)
    assert {p: p.stat().st_mtime_ns for p in files} == before
    assert "feeds: 0 written, 7 unchanged" in second.status.getvalue()
    # an edit rewrites the feeds that show the post, and only those
    text = (src / "blog/posts/beta.md").read_text()
    (src / "blog/posts/beta.md").write_text(text.replace("of beta.", "of beta, edited."))
    third = run(src, out)
    changed = sorted(p.relative_to(third.outdir).as_posix() for p in files
                     if p.stat().st_mtime_ns != before[p])
    assert changed == ["blog/atom.xml", "blog/category/news/atom.xml",
                       "blog/category/news/rss.xml", "blog/feed.json", "blog/rss.xml"]
    assert "of beta, edited." in (Path(third.outdir) / "blog/atom.xml").read_text()


def test_stale_feeds_are_removed(rootdir: Path, tmp_path: Path) -> None:
    src = site(rootdir, tmp_path)
    out = tmp_path / "out"
    run(src, out)
    text = (src / "blog/posts/beta.md").read_text()
    (src / "blog/posts/beta.md").write_text(text.replace("category: News", "category: Misc"))
    (src / "categories.md").write_text(
        (src / "categories.md").read_text().replace("```{category} News\nAnnouncements.\n```",
                                                     ""))
    second = run(src, out)
    assert not (Path(second.outdir) / "blog/category/news/atom.xml").exists()
    assert (Path(second.outdir) / "blog/category/misc/atom.xml").is_file()
    clean = run(src, tmp_path / "clean")
    assert feed_files(Path(second.outdir)) == feed_files(Path(clean.outdir))
    # and without a base URL, every feed goes
    third = run(src, out, blogposts_baseurl="")
    assert feed_files(Path(third.outdir)) == {}


def test_kept_content_follows_the_base_url(rootdir: Path, tmp_path: Path) -> None:
    """Entries rendered in an earlier build are reused only while they would not change."""
    src = site(rootdir, tmp_path)
    out = tmp_path / "out"
    run(src, out)
    other = "https://other.example.net/docs/"
    app = run(src, out, blogposts_baseurl=other)
    text = feed_bytes(app, "blog/atom.xml").decode("utf-8")
    assert f'src="{other}_images/cover.png"' in text
    assert f'href="{other}blog/posts/beta.html"' in text
    assert BASE not in text.replace("https://example.org/jane", "")
    clean = run(src, tmp_path / "clean", blogposts_baseurl=other)
    assert feed_files(Path(app.outdir)) == feed_files(Path(clean.outdir))


# -- options --------------------------------------------------------------------------------------


def test_feed_length_formats_and_summary_only(rootdir: Path, tmp_path: Path) -> None:
    app = run(site(rootdir, tmp_path), tmp_path / "out", blogposts_feed_length=1,
              blogposts_feeds=["atom", "json"], blogposts_feed_full_content=False)
    out = Path(app.outdir)
    assert sorted(feed_files(out)) == ["blog/atom.xml", "blog/category/news/atom.xml",
                                       "blog/category/tutorials/atom.xml", "blog/feed.json"]
    atom = parsed(app, "blog/atom.xml")
    assert [slug_of(e.link) for e in atom.entries] == ["beta"]
    assert "content" not in atom.entries[0]
    assert atom.entries[0].summary == "The first paragraph of beta."
    assert b"<content" not in feed_bytes(app, "blog/atom.xml")
    data = json.loads(feed_bytes(app, "blog/feed.json"))
    assert len(data["items"]) == 1
    assert "content_html" not in data["items"][0]
    assert data["items"][0]["content_text"] == "The first paragraph of beta."
    types = [link["type"] for link in soup(out / "index.html").select('link[rel="alternate"]')]
    assert types == ["application/atom+xml", "application/feed+json"]


def test_json_only_writes_no_category_feeds(rootdir: Path, tmp_path: Path) -> None:
    app = run(site(rootdir, tmp_path), tmp_path / "out", blogposts_feeds=["json"])
    assert sorted(feed_files(Path(app.outdir))) == ["blog/feed.json"]


def test_tag_feeds_behind_the_option(rootdir: Path, tmp_path: Path) -> None:
    app = run(site(rootdir, tmp_path), tmp_path / "out", blogposts_tag_feeds=True)
    out = Path(app.outdir)
    python = parsed(app, "blog/tag/python/atom.xml")
    assert [slug_of(e.link) for e in python.entries] == ["beta", "alpha"]
    assert [slug_of(e.link) for e in parsed(app, "blog/tag/sphinx/rss.xml").entries] == [
        "alpha"]
    hrefs = [link["href"] for link in soup(out / "blog/tag/python.html").select(
        'link[rel="alternate"]')]
    assert f"{BASE}blog/tag/python/atom.xml" in hrefs
    assert f"{BASE}blog/tag/python/rss.xml" in hrefs


def test_tag_feeds_option_is_validated(rootdir: Path, tmp_path: Path) -> None:
    from sphinx.errors import ConfigError

    src = site(rootdir, tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nblogposts_tag_feeds = "yes"\n')
    with pytest.raises(ConfigError, match="blogposts_tag_feeds"):
        run(src, tmp_path / "out")


def test_no_base_url_no_feeds_and_one_info_line(rootdir: Path, tmp_path: Path) -> None:
    app = run(site(rootdir, tmp_path), tmp_path / "out", blogposts_baseurl="")
    out = Path(app.outdir)
    assert feed_files(out) == {}
    status = strip_escape_sequences(app.status.getvalue())
    assert status.count("feeds are not written") == 1
    lines = [line for line in status.splitlines() if line.startswith("sphinx-blogposts")]
    assert len(lines) == 1, lines
    assert "feeds are not written" in lines[0] and "blogposts_baseurl" in lines[0]
    assert "WARNING" not in app.warning.getvalue()
    for page in out.rglob("*.html"):
        assert not soup(page).select('link[rel="alternate"]'), page


def test_relative_base_url_is_a_feed_warning(rootdir: Path, tmp_path: Path) -> None:
    app = run(site(rootdir, tmp_path), tmp_path / "out", blogposts_baseurl="example.org/blog")
    assert feed_files(Path(app.outdir)) == {}
    warnings = warnings_of(strip_escape_sequences(app.warning.getvalue()))
    assert [w["type"] for w in warnings] == ["blogposts.feed"]
    assert "absolute" in warnings[0]["message"]
    assert warnings[0]["location"].endswith("conf.py") and warnings[0]["line"] == "8"


def test_no_feeds_for_other_builders(rootdir: Path, tmp_path: Path) -> None:
    for builder in ("singlehtml", "text"):
        app = run(site(rootdir, tmp_path / builder), tmp_path / builder / "out", builder)
        assert feed_files(Path(app.outdir)) == {}, builder
        assert "WARNING" not in app.warning.getvalue()


def test_dirhtml_with_a_sub_path_base_url(rootdir: Path, tmp_path: Path) -> None:
    base = "https://example.org/en/latest/"
    app = run(site(rootdir, tmp_path), tmp_path / "out", "dirhtml", blogposts_baseurl=base)
    out = Path(app.outdir)
    atom = parsed(app, "blog/atom.xml")
    assert [e.link for e in atom.entries] == [f"{base}blog/posts/{s}/" for s in PUBLISHED]
    links = {link.rel: link.href for link in atom.feed.links}
    assert links == {"self": f"{base}blog/atom.xml", "alternate": f"{base}blog/"}
    rss = parsed(app, "blog/category/tutorials/rss.xml")
    assert rss.feed.link == f"{base}blog/category/tutorials/"
    content = atom.entries[2].content[0].value
    urls = re.findall(r'(?:href|src)="([^"]*)"', content)
    assert f"{base}_images/cover.png" in urls
    assert f"{base}blog/posts/beta/" in urls
    assert f"{base}" in urls  # the home page
    for url in urls:
        if url.startswith(base):
            rel = url[len(base):].split("#")[0]
            target = out / rel
            assert (target / "index.html" if rel.endswith("/") or not rel else target).is_file()
    data = json.loads(feed_bytes(app, "blog/feed.json"))
    assert data["items"][2]["image"] == f"{base}_images/cover.png"
    hrefs = [link["href"] for link in soup(out / "blog/posts/alpha/index.html").select(
        'link[rel="alternate"]')]
    assert hrefs[:3] == [f"{base}blog/atom.xml", f"{base}blog/rss.xml", f"{base}blog/feed.json"]


# -- hostile input ---------------------------------------------------------------------------------

HOSTILE_TITLE = "Evil & \\<script>alert(1)\\</script> ]]> \x01\x0b 😀 <b>x</b>"
HOSTILE = (
    "---\ndate: 2024-05-01\ntags: [\"a & <b>\", \"]]>\"]\n"
    "category: \"C & <script>alert(1)</script>\"\n"
    "description: \"Desc & <script>alert(1)</script> ]]> 😀\"\n---\n"
    f"# {HOSTILE_TITLE}\n\n"
    "Body & <script>alert(\"body\")</script> ]]> \x01 \x0b \ufffe 😀 text.\n\n"
    "```{raw} html\n<script>document.write('raw')</script><p onclick=\"x()\">raw ]]> p</p>\n"
    "```\n"
)


@pytest.fixture(scope="module")
def hostile(rootdir: Path, tmp_path_factory: pytest.TempPathFactory,
            now: None) -> SphinxTestApp:
    base = tmp_path_factory.mktemp("hostile")
    src = site(rootdir, base)
    (src / "blog/posts/evil.md").write_text(HOSTILE, encoding="utf-8")
    return run(src, base / "out", blogposts_tag_feeds=True)


def evil_title(app: SphinxTestApp) -> str:
    """The hostile title as read (parsers differ on control characters), without the
    characters XML cannot carry."""
    title = get_index(app.env).posts["blog/posts/evil"].title
    assert title.startswith("Evil & <script>alert(1)</script> ]]>")
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", title)


def test_hostile_input_gives_valid_feeds(hostile: SphinxTestApp) -> None:
    out = Path(hostile.outdir)
    files = [p for p in out.rglob("*") if p.name in ("atom.xml", "rss.xml")]
    assert len(files) >= 10
    for path in files:
        data = path.read_bytes()
        ET.fromstring(data)
        result = feedparser.parse(data)
        assert result.bozo == 0, (path, result.get("bozo_exception"))
        text = data.decode("utf-8")
        assert "<script" not in text.lower(), path
        assert "onclick" not in text, path
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text), path
    data = json.loads((out / "blog/feed.json").read_text(encoding="utf-8"))
    evil = data["items"][0]
    assert evil["title"] == evil_title(hostile)
    assert "<script" not in evil["content_html"]


def test_hostile_text_reads_back_as_written(hostile: SphinxTestApp) -> None:
    atom = parsed(hostile, "blog/atom.xml")
    evil = atom.entries[0]
    assert evil.title == evil_title(hostile).strip()  # feedparser strips the ends
    terms = [t.term for t in evil.tags]
    assert terms == ["C & <script>alert(1)</script>", "a & <b>", "]]>"]
    content = evil.content[0].value
    assert "raw ]]> p" in content and "😀" in content
    rss = ET.fromstring(feed_bytes(hostile, "blog/rss.xml")).find("channel/item")
    assert rss is not None
    assert rss.findtext("title") == evil_title(hostile)
    assert "]]>" in (rss.findtext(f"{CONTENT}encoded") or "")


def test_hostile_names_in_discovery_links_are_escaped(hostile: SphinxTestApp) -> None:
    post = Path(hostile.outdir) / "blog/posts/evil.html"
    text = post.read_text(encoding="utf-8")
    titles = [link["title"] for link in soup(post).select('link[rel="alternate"]')]
    assert "Feeds blog: C & <script>alert(1)</script> (Atom)" in titles
    assert 'title="Feeds blog: C &amp; &lt;script&gt;alert(1)&lt;/script&gt; (Atom)"' in text


def test_unwritable_feed_is_a_feed_warning(rootdir: Path, tmp_path: Path) -> None:
    src = site(rootdir, tmp_path)
    out = tmp_path / "out"
    (out / "html" / "blog" / "atom.xml").mkdir(parents=True)  # a directory where a file goes
    app = run(src, out)
    warnings = strip_escape_sequences(app.warning.getvalue()).splitlines()
    assert len(warnings) == 1, warnings
    assert "cannot write the feed blog/atom.xml" in warnings[0]
    assert warnings[0].endswith("[blogposts.feed]")
    assert (Path(app.outdir) / "blog/rss.xml").is_file()  # the others are still written


def test_xml_illegal_characters_are_exactly_what_xml_forbids() -> None:
    """The characters feeds drop are XML 1.0's complement of ``Char``, at every code point
    (the set is written as what is forbidden, which sre compiles ten times faster)."""
    from sphinx_blogposts.write.feedxml import clean

    def allowed(code: int) -> bool:
        return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF
                or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)

    every = "".join(chr(code) for code in range(0x110000))
    assert clean(every) == "".join(chr(code) for code in range(0x110000) if allowed(code))
