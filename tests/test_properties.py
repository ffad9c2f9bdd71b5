"""Property-based tests of post metadata (PRODUCT.md, "Post metadata" and "Bad input").

Every example is a real build of a tiny MyST site in a fresh temporary directory: one
generated post (front matter, a reST ``post`` directive or a MyST ``{post}`` fence) next to
a valid neighbour post.  Whatever the generated metadata, the build must not raise, every
warning must be a ``blogposts.*`` one (``myst.topmatter`` too when the YAML itself is
malformed), the neighbour must be published, and no HTML page may carry a live ``<script>``
taken from the metadata.  Valid metadata must read back exactly as written.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from sphinx.util.console import strip_escape_sequences

from sphinx_blogposts.model.posts import Post, get_index

from helpers import build, soup

#: a live script element; only its escaped form may reach any HTML page
MARKER = "<script>x1</script>"
GEN = "blog/posts/gen"
GOOD = "blog/good"
GOOD_TITLE = "Good neighbour"
KEYS = ("date", "updated", "author", "category", "tags", "excerpt", "image", "image_alt",
        "description", "draft", "title")

CONF = """\
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Properties"
exclude_patterns = ["_build"]
# the generated post is a post by its place, even when its front matter cannot be read
blogposts_pattern = ["blog/posts/*"]
blogposts_authors = {"jane": {"name": "Jane Doe"}}
html_sidebars = {"**": ["blogposts/recent.html", "blogposts/categories.html",
                        "blogposts/tags.html", "blogposts/archives.html"]}
"""
GOOD_POST = f"""\
---
post: true
date: 2020-01-01
title: {GOOD_TITLE}
tags: [good]
category: Kept
---
# The good post

Always published.
"""
INDEX = "# Home\n\nA tiny site.\n"
BODY = "# Generated post\n\nThe body of the generated post.\n"

#: examples per property; raise it for a deeper search, e.g. BLOGPOSTS_EXAMPLES=500
EXAMPLES = int(os.environ.get("BLOGPOSTS_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the repository; failures print their example
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


# -- building and checking ---------------------------------------------------------------------

@dataclass
class Built:
    srcdir: Path
    outdir: Path
    posts: dict[str, Post]
    warnings: str
    status: str


@contextmanager
def site(post_file: str, post_text: str) -> Iterator[Built]:
    """Build a fresh site with the generated post at ``post_file``; the tree lives while used."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        (src / "blog/posts").mkdir(parents=True)
        (src / "conf.py").write_text(CONF, encoding="utf-8")
        (src / "index.md").write_text(INDEX, encoding="utf-8")
        (src / "blog/good.md").write_text(GOOD_POST, encoding="utf-8")
        (src / post_file).write_text(post_text, encoding="utf-8")
        try:
            app = build(src)  # (a): any exception fails the example...
        except Exception as exc:
            if raised_by_myst_alone(exc):
                # ...except a crash of MyST's own parser, with no frame of ours (myst-parser
                # 3 fails on a date nested in a front matter list, or a control character)
                reject()
            raise
        yield Built(src, Path(app.outdir), dict(get_index(app.env).posts),
                    strip_escape_sequences(app.warning.getvalue()),
                    strip_escape_sequences(app.status.getvalue()))


def raised_by_myst_alone(exc: BaseException) -> bool:
    """Whether an exception (and its chain) went through myst_parser but never through us."""
    files: list[str] = []
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and not any(seen is c for c in chain):
        chain.append(seen)
        tb = seen.__traceback__
        while tb is not None:
            files.append(tb.tb_frame.f_code.co_filename.replace("\\", "/"))
            tb = tb.tb_next
        seen = seen.__cause__ or seen.__context__
    if any("sphinx_blogposts" in f for f in files):
        return False
    return any("/myst_parser/" in f for f in files)


_RECORD_START = re.compile(r"\n(?=[^\n]*?(?:WARNING|ERROR|CRITICAL|SEVERE): )")
#: the ``[type.subtype]`` at a record's end; docutils-reported ones end in `` [docutils]``
_TYPE = re.compile(r"\[(?P<type>[\w.-]+)\](?: \[docutils\])?\s*$")


def warning_records(text: str) -> list[tuple[str | None, str]]:
    """(type or None, whole record) of every warning, multi-line messages kept whole."""
    text = text.strip()
    if not text:
        return []
    records = []
    for record in _RECORD_START.split(text):
        m = _TYPE.search(record)
        records.append((m["type"] if m else None, record))
    return records


def assert_only_our_warnings(built: Built, extra: tuple[str, ...] = ()) -> list[str]:
    """(b): every warning is ``blogposts.*`` (or one of ``extra``); never a traceback."""
    assert "Traceback" not in built.warnings and "Traceback" not in built.status
    assert "build succeeded" in built.status, built.status
    types = []
    for kind, record in warning_records(built.warnings):
        assert kind is not None and (kind.startswith("blogposts.") or kind in extra), record
        types.append(kind)
    return types


def listed(path: Path) -> list[str]:
    return [a.get_text() for a in soup(path).select(".blogposts-card-title a")]


def assert_neighbour_published(built: Built) -> None:
    """(d): the valid neighbour post has its page and is on the blog index."""
    assert GOOD in built.posts
    assert GOOD_TITLE in listed(built.outdir / "blog/index.html"), built.warnings
    page = built.outdir / f"{GOOD}.html"
    assert page.is_file() and soup(page).select_one(".blogposts-post-header") is not None


def assert_no_live_marker(built: Built) -> None:
    """(e): the metadata's ``<script>`` never reaches an HTML page unescaped."""
    for path in built.outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert MARKER not in text, path.relative_to(built.outdir).as_posix()


def ours(built: Built, subtype: str) -> list[str]:
    return [r for kind, r in warning_records(built.warnings) if kind == f"blogposts.{subtype}"]


# -- strategies ------------------------------------------------------------------------------

HOSTILE = [
    MARKER,
    f'"><{MARKER[1:]}',
    f"]]>{MARKER}",
    f"</script>{MARKER}",
    f"'\"&<>{MARKER}",
    "&lt;script&gt;x1&lt;/script&gt;",
    "<![CDATA[x]]>",
    "{{ title }}{% if 1 %}x{% endif %}",
    "%s %d %(x)s {0}",
    "\\",
    "\x00",
    "\x1b[31mred",
    "\u202eevil",
    "\ufeffbom",
    "../../etc/passwd",
    "CON",
    "   ",
    "",
    "x" * 5000,
    "é" * 300 + MARKER,
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
hostile_text = st.one_of(
    TEXT,
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b: f"{a}{MARKER}{b}", TEXT, TEXT),
)
OFFSETS = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m))),
)
valid_dates: st.SearchStrategy[date] = st.one_of(st.dates(), st.datetimes(timezones=OFFSETS))
INVALID_DATES = [
    "2025-13-45", "2025-02-30", "2023-02-29", "2024-01-01T25:00", "2024-01-01T10:00:00+25:00",
    "2024-1-1x", "01/02/2024", "yesterday", "0000-01-01", "99999-01-01", "2024-W01-8",
    "2024-01-01T10:00:00+05:00:00:00", "2025-02-30T12:00:00+02:00", " ", "Z", "2024-01-01Zz",
]
date_like = st.one_of(
    valid_dates,
    valid_dates.map(lambda d: d.isoformat()),
    st.sampled_from(INVALID_DATES),
    hostile_text,
)
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), hostile_text, date_like,
)
anything = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=3),
    ),
    max_leaves=8,
)
value_for = {
    "date": st.one_of(date_like, anything),
    "updated": st.one_of(date_like, anything),
    "draft": st.one_of(st.booleans(), st.sampled_from(["yes", "no", "maybe", "0", "2"]),
                       anything),
    "excerpt": st.one_of(st.integers(-2, 5), anything),
    "image": st.one_of(st.integers(-2, 5),
                       st.sampled_from(["missing.png", "../../outside.png", "/abs.png",
                                        "https://example.org/a.png", "javascript:alert(1)",
                                        "\x00.png", "." , "blog"]),
                       anything),
}


@st.composite
def front_matter(draw: st.DrawFn) -> dict[str, Any]:
    """A front matter mapping: ``post: true`` and any subset of the keys, any values."""
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=len(KEYS)))
    data: dict[str, Any] = {"post": True}
    for key in keys:
        data[key] = draw(value_for.get(key, anything))
    return data


def dump(data: dict[str, Any], width: int = 80) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=width)


def md_post(front: str) -> str:
    return f"---\n{front}---\n{BODY}"


def dedupe(items: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return tuple(out)


# -- (a), (b), (d), (e) for any front matter ---------------------------------------------------

def _not_text(value: Any) -> bool:
    return isinstance(value, bool | list | dict)


@SETTINGS
@given(data=front_matter(), width=st.sampled_from([80, 10_000]))
@example(data={"post": True, "date": "2024-01-01", "title": MARKER, "description": MARKER,
               "tags": [MARKER], "category": MARKER, "author": MARKER, "image_alt": MARKER,
               "excerpt": MARKER}, width=80)
@example(data={"post": True, "date": "2025-13-45"}, width=80)
@example(data={"post": True, "date": "2024-01-01", "title": "0\x850"}, width=80)  # NEL
@example(data={"post": True, "date": "2025-02-30", "updated": "2025-13-45"}, width=80)
@example(data={"post": True, "date": "2024-01-01", "tags": {"a": [1, {"b": None}]},
               "category": [[MARKER]], "author": [None, True, 1.5]}, width=80)
def test_any_front_matter_builds_with_only_blogposts_warnings(
    data: dict[str, Any], width: int
) -> None:
    with site(f"{GEN}.md", md_post(dump(data, width))) as built:
        assert_only_our_warnings(built)
        assert_neighbour_published(built)
        assert_no_live_marker(built)
        # a post is published exactly when its date is usable; otherwise a date warning says why
        date_warnings = [r for r in ours(built, "date") if "updated" not in r]
        assert (GEN in built.posts) == (not date_warnings), built.warnings
        post = built.posts.get(GEN)
        if post is None:
            return
        for key in ("title", "description", "image_alt"):
            if key in data and _not_text(data[key]):
                assert any(f"{key}:" in r for r in ours(built, "metadata")), (key, built.warnings)
        # the title as any YAML reader reads the front matter (a NEL in it is a line break)
        title = yaml.safe_load(dump(data, width)).get("title")
        if isinstance(title, str) and title.strip():
            assert post.title == title.strip()


# -- (c) valid metadata reads back exactly ----------------------------------------------------

NAME_CHARS = st.one_of(st.characters(categories=("L", "N")), st.sampled_from(" -_+.#&'"))
simple_name = st.text(NAME_CHARS, min_size=1, max_size=20).map(str.strip).filter(bool)


def yaml_carries(text: str) -> bool:
    """Whether PyYAML writes the text so that it reads back as itself.

    It writes NEL (U+0085, a YAML line break) raw inside a quoted scalar, where any YAML
    reader folds it to a space: no front matter can hold such a title as written.
    """
    return all(yaml.safe_load(dump({"v": text}, width))["v"] == text for width in (80, 10_000))


#: control characters but tab, LF and CR: not text (HTML and XML cannot carry them), so metadata
#: holding them warns and loses them (test_bad_input's ``bad-control``)
CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))

valid_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters=CONTROLS),
            min_size=1, max_size=60),
    st.sampled_from([MARKER, f"Tom & Jerry {MARKER}", "&lt;script&gt;x1&lt;/script&gt;",
                     "x" * 3000, "Ünïcødé — \u201cquotes\u201d \u2018single\u2019"]),
).filter(lambda s: s.strip() != "" and yaml_carries(s))


@dataclass(frozen=True)
class DateCase:
    """A valid date as written in the source, and the ISO string it must read back as."""

    written: Any
    iso: str
    timestamp: float


@st.composite
def date_cases(draw: st.DrawFn) -> DateCase:
    value = draw(valid_dates)
    aware = value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
    if aware.tzinfo is None:
        aware = aware.replace(tzinfo=UTC)
    form = draw(st.sampled_from(["native", "string", "zulu"]))
    if form == "zulu" and isinstance(value, datetime):
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        written = utc.replace(tzinfo=None).isoformat() + "Z"
        return DateCase(written, utc.isoformat(), aware.timestamp())
    written = value if form == "native" else value.isoformat()
    return DateCase(written, value.isoformat(), aware.timestamp())


@dataclass(frozen=True)
class ValidMeta:
    title: str
    date: DateCase
    tags: list[str]
    tags_as_text: bool
    categories: list[str]
    categories_as_text: bool
    description: str
    authors: list[str]


valid_meta = st.builds(
    ValidMeta,
    title=valid_text,
    date=date_cases(),
    tags=st.lists(simple_name, max_size=8),
    tags_as_text=st.booleans(),
    categories=st.lists(simple_name, min_size=1, max_size=4),
    categories_as_text=st.booleans(),
    description=valid_text,
    authors=st.lists(st.sampled_from(["jane", "Guest Writer", "Ana María", "O'Neil & Co"]),
                     min_size=1, max_size=3),
)


def _names_value(names: list[str], as_text: bool) -> Any:
    return ", ".join(names) if as_text and names else names


def assert_reads_back(built: Built, meta: ValidMeta) -> None:
    """(c) and the post's place in the lists."""
    post = built.posts.get(GEN)
    assert post is not None, built.warnings
    assert post.title == meta.title.strip()
    assert post.date.isoformat() == meta.date.iso
    assert post.tags == dedupe(meta.tags)
    assert post.categories == dedupe(meta.categories)
    assert post.description == meta.description.strip()
    assert post.authors == dedupe(meta.authors)
    published = meta.date.timestamp <= time.time()
    titles = [" ".join(t.split()) for t in listed(built.outdir / "blog/index.html")]
    assert (" ".join(meta.title.split()) in titles) == published, titles


@SETTINGS
@given(meta=valid_meta, width=st.sampled_from([80, 10_000]))
@example(meta=ValidMeta(MARKER, DateCase("2024-03-05T09:30:00+01:00",
                                         "2024-03-05T09:30:00+01:00", 1709627400.0),
                        ["b", "a", "b"], False, ["Kept", "New"], True, MARKER, ["jane"]),
         width=80)
def test_valid_front_matter_reads_back_exactly(meta: ValidMeta, width: int) -> None:
    data = {
        "post": True,
        "title": meta.title,
        "date": meta.date.written,
        "tags": _names_value(meta.tags, meta.tags_as_text),
        "category": _names_value(meta.categories, meta.categories_as_text),
        "description": meta.description,
        "author": meta.authors,
    }
    with site(f"{GEN}.md", md_post(dump(data, width))) as built:
        # names may slug alike ("a b" and "a-b"): that is the one warning valid metadata gives
        assert set(assert_only_our_warnings(built)) <= {"blogposts.slug"}, built.warnings
        assert_reads_back(built, meta)
        assert_neighbour_published(built)
        assert_no_live_marker(built)


# -- malformed YAML ------------------------------------------------------------------------

MALFORMED_YAML = [
    "date: 2025-13-45\n",
    "date: 2025-02-30\ntags: [kept]\n",
    "date: 2024-01-01\ntags: python: sphinx\n",
    "date: 2024-01-01\ntags: [a, b\n",
    "date: 2024-01-01\ntitle: 'unterminated\n",
    'date: 2024-01-01\ntitle: "bad \\q escape"\n',
    "date: 2024-01-01\n\ttitle: tab\n",
    "date: 2024-01-01\n  title: indented\n",
    "- a\n- b\n",
    "just some text\n",
    "42\n",
    "{\n",
    ": no key\n",
    "date: 2024-01-01\ntags: &a [*a]\n",
    "date: 2024-01-01\ntags: *undefined\n",
    "date: 2024-01-01\ntitle: !!python/object:os.system echo\n",
    "date: 2024-01-01\ntitle: !!binary aGVsbG8=\n",
    "date: !!timestamp 2025-13-45\n",
    "date: 2024-01-01\n[1, 2]: unhashable\n",
    "date: 2024-01-01\n? [a, b]\n: complex key\n",
    "date: 2024-01-01\ntitle: " + "9" * 5000 + "\n",
    "date: 2024-01-01\ncategory: {a: " * 200 + "}" * 200 + "\n",
    "%YAML 2.0\n---\ndate: 2024-01-01\n",
    "date: 2024-01-01\ndate: 2025-13-45\n",
    "date: 2024-01-01\ntitle: \x07bell\n",
]


def _safe_raw(text: str) -> bool:
    """Raw YAML that stays inside the front matter (no line closes the fence)."""
    return not any(line.rstrip() in ("---", "...", "+++") for line in text.splitlines())


raw_yaml = st.one_of(
    st.sampled_from(MALFORMED_YAML),
    st.builds(lambda a, b: a + b, st.sampled_from(MALFORMED_YAML), st.sampled_from(HOSTILE)),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
).filter(_safe_raw)


@SETTINGS
@given(raw=raw_yaml, first=st.booleans())
def test_malformed_yaml_front_matter_is_a_warning(raw: str, first: bool) -> None:
    front = f"post: true\n{raw}" if first else f"{raw}\npost: true\n"
    with site(f"{GEN}.md", md_post(front if front.endswith("\n") else front + "\n")) as built:
        types = assert_only_our_warnings(built, extra=("myst.topmatter",))
        assert_neighbour_published(built)
        assert_no_live_marker(built)
        # what MyST cannot read, the extension reports too, on the post's own terms
        myst_unreadable = any(
            kind == "myst.topmatter" and ("Malformed YAML" in r or "not a dict" in r)
            for kind, r in warning_records(built.warnings))
        if myst_unreadable:
            assert any(t.startswith("blogposts.") for t in types), built.warnings


# -- the post directive, reST and MyST ----------------------------------------------------------

#: one line of text: no control characters, no line or paragraph separators
LINE = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))
line_text = st.one_of(
    st.text(LINE, max_size=40),
    st.sampled_from([h for h in HOSTILE if "\n" not in h and h.isprintable()]),
    st.builds(lambda a, b: f"{a}{MARKER}{b}", st.text(LINE, max_size=10),
              st.text(LINE, max_size=10)),
    st.sampled_from([*INVALID_DATES, "true", "null", "[1, 2]", '{"a": 1}', "1, , 2", ","]),
)


def rst_post(argument: str, options: dict[str, str]) -> str:
    lines = ["Generated post", "==============", "", f".. post:: {argument}".rstrip()]
    lines += [f"   :{k}: {v}".rstrip() for k, v in options.items()]
    return "\n".join([*lines, "", "The body of the generated post.", ""])


def _yaml_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def myst_post(argument: str, options: dict[str, str]) -> str:
    lines = ["# Generated post", "", f"```{{post}} {argument}".rstrip()]
    lines += [f":{k}: {_yaml_single_quoted(v)}" for k, v in options.items()]
    return "\n".join([*lines, "```", "", "The body of the generated post.", ""])


def _rst_argument_ok(text: str) -> bool:
    # an argument that starts like a field (":x: y") is an option block to docutils
    return not text.lstrip().startswith(":")


def _myst_argument_ok(text: str) -> bool:
    # CommonMark: the info string of a backtick fence cannot contain a backtick
    return "`" not in text


@st.composite
def directive_options(draw: st.DrawFn) -> dict[str, str]:
    keys = draw(st.lists(st.sampled_from([k for k in KEYS if k != "date"]), unique=True))
    return {k: draw(line_text).strip() for k in keys}


@SETTINGS
@given(
    syntax=st.sampled_from(["rst", "myst"]),
    argument=st.one_of(valid_dates.map(lambda d: d.isoformat()), line_text),
    options=directive_options(),
)
@example(syntax="rst", argument="2025-13-45", options={"title": MARKER})
@example(syntax="myst", argument="2025-02-30", options={"tags": MARKER, "category": MARKER})
@example(syntax="rst", argument="2024-01-01",
         options={"title": MARKER, "description": MARKER, "tags": f"a, {MARKER}",
                  "category": f"]]>{MARKER}", "author": MARKER, "image_alt": MARKER,
                  "excerpt": MARKER, "draft": "no"})
def test_any_post_directive_builds_with_only_blogposts_warnings(
    syntax: str, argument: str, options: dict[str, str]
) -> None:
    argument = argument.strip()
    ok = _rst_argument_ok if syntax == "rst" else _myst_argument_ok
    if not ok(argument):
        argument = "2024-01-01"
    if syntax == "rst":
        path, text = f"{GEN}.rst", rst_post(argument, options)
    else:
        path, text = f"{GEN}.md", myst_post(argument, options)
    with site(path, text) as built:
        assert_only_our_warnings(built)
        assert_neighbour_published(built)
        assert_no_live_marker(built)
        date_warnings = [r for r in ours(built, "date") if "updated" not in r]
        assert (GEN in built.posts) == (not date_warnings), built.warnings


line_name = st.text(st.one_of(st.characters(categories=("L", "N")), st.sampled_from(" -_+.#&'")),
                    min_size=1, max_size=20).map(str.strip).filter(bool)
line_value = st.text(LINE, min_size=1, max_size=60).map(str.strip).filter(bool)


@SETTINGS
@given(
    syntax=st.sampled_from(["rst", "myst"]),
    when=date_cases(),
    title=st.one_of(line_value, st.just(MARKER)),
    description=st.one_of(line_value, st.just(f"Tom & Jerry {MARKER}")),
    tags=st.lists(line_name, max_size=8),
    categories=st.lists(line_name, min_size=1, max_size=4),
)
def test_valid_post_directive_options_read_back_exactly(
    syntax: str, when: DateCase, title: str, description: str, tags: list[str],
    categories: list[str],
) -> None:
    written = when.written if isinstance(when.written, str) else when.written.isoformat()
    options = {"title": title, "description": description, "tags": ", ".join(tags),
               "category": ", ".join(categories), "author": "jane"}
    if syntax == "rst":
        path, text = f"{GEN}.rst", rst_post(written, options)
    else:
        path, text = f"{GEN}.md", myst_post(written, options)
    meta = ValidMeta(title, when, tags, True, categories, True, description, ["jane"])
    with site(path, text) as built:
        assert set(assert_only_our_warnings(built)) <= {"blogposts.slug"}, built.warnings
        assert_reads_back(built, meta)
        assert_neighbour_published(built)
        assert_no_live_marker(built)


# -- names that look like YAML or JSON values ----------------------------------------------------

WORDS = ["true", "false", "null", "yes", "no", "on", "off", "1", "0", "~", "1.5", "NaN"]


@settings(SETTINGS, max_examples=min(EXAMPLES, 25))
@given(
    word=st.sampled_from(WORDS),
    key=st.sampled_from(["tags", "category"]),
    syntax=st.sampled_from(["front matter", "rst", "myst"]),
)
@example(word="true", key="tags", syntax="front matter")
@example(word="null", key="category", syntax="rst")
def test_a_single_name_that_looks_like_a_literal_is_still_a_name(
    word: str, key: str, syntax: str
) -> None:
    """``tags: "true"`` (a quoted YAML string) or ``:tags: null`` names one tag, as text."""
    if syntax == "front matter":
        path = f"{GEN}.md"
        text = md_post(dump({"post": True, "date": "2024-01-01", key: word}))
    elif syntax == "rst":
        path, text = f"{GEN}.rst", rst_post("2024-01-01", {key: word})
    else:
        path, text = f"{GEN}.md", myst_post("2024-01-01", {key: word})
    with site(path, text) as built:
        assert assert_only_our_warnings(built) == [], built.warnings
        post = built.posts[GEN]
        got = post.tags if key == "tags" else post.categories
        assert got == (word,), (got, built.warnings)


# -- front matter read from the text Sphinx read, not from the file again -----------------------

#: pieces of a Markdown source's start: fences, the YAML end marker, keys, text, line ends
FRONT_PIECES = st.sampled_from(["---", "+++", "...", "--- ", "----", "date: 2024-01-02",
                                "title: 'a: b'", "tags: [a, b]", "post: true", "# Title",
                                "key: [unclosed", "", " ", "é", "\ufeff"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


#: an independent reading of a front matter block: an opening fence line, then everything up
#: to the first closing fence or ``...`` line
FRONT_BLOCK = re.compile(r"---[ \t]*\n(.*?)^(?:---[ \t]*|\.\.\.)$", re.DOTALL | re.MULTILINE)
#: a TOML block (``+++`` to ``+++``), which MyST does not read: refused, at line 1
TOML_BLOCK = re.compile(r"\+\+\+[ \t]*\n(.*?)^\+\+\+[ \t]*$", re.DOTALL | re.MULTILINE)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.tuples(FRONT_PIECES, NEWLINES), max_size=8),
       bom=st.booleans(), last_newline=st.booleans())
def test_front_matter_is_found_as_sphinx_reads_the_file(
        pieces: list[tuple[str, str]], bom: bool, last_newline: bool) -> None:
    """The build parses front matter from the text Sphinx read (universal newlines, BOM
    dropped); ``sphinx-blogposts check`` reads the file the same way.  Either must find the
    block a plain pattern finds in that text, with the same values, lines and errors."""
    from sphinx_blogposts.read.frontmatter import (
        front_matter_of,
        parse_front_matter,
        read_front_matter,
    )

    text = "".join(p + n for p, n in pieces)
    if not last_newline and pieces:
        text = text[: -len(pieces[-1][1])]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "post.md")
        path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
        as_sphinx_reads = path.read_text(encoding="utf-8-sig")
        found = FRONT_BLOCK.match(as_sphinx_reads)
        expected = parse_front_matter(found.group(1), first_line=2) if found else None
        if TOML_BLOCK.match(as_sphinx_reads):
            refused = front_matter_of(as_sphinx_reads)
            assert refused is not None and refused.error_line == 1
            assert refused.error.startswith("front matter fenced with '+++' (TOML)")
            assert set(refused.values) <= {"post"}  # only whether it declares a post
            expected = refused
        assert front_matter_of(as_sphinx_reads) == expected
        assert read_front_matter(path) == expected


#: real dates as front matter writes them: ISO dates and datetimes, ``T`` or a space, any
#: offset
REAL_DATES = st.one_of(
    valid_dates.map(lambda d: d.isoformat()),
    valid_dates.map(lambda d: d.isoformat(sep=" ") if isinstance(d, datetime) else str(d)),
)
#: date-like tokens with a day, hour, minute or offset out of range
ODD_DATES = st.one_of(
    st.sampled_from(INVALID_DATES),
    st.builds("{:04d}-{:02d}-{:02d}{}".format, st.integers(0, 9999), st.integers(0, 19),
              st.integers(0, 39), st.sampled_from(["", "T10:00:00", " 23:59:59 +24:00",
                                                    "T25:00:00Z", "T10:61:00-05:00"])),
)


@settings(max_examples=500, deadline=None)
@given(token=st.one_of(REAL_DATES.map(lambda t: (t, True)), ODD_DATES.map(lambda t: (t, False))))
def test_date_check_without_yaml_agrees_with_yaml(token: tuple[str, bool]) -> None:
    """Every source is checked for impossible dates before MyST reads it.  A date that
    passes the check without YAML must be one YAML builds, and every real date (any day of
    the month, any offset) must pass it, or each post pays for a YAML parse."""
    from sphinx_blogposts.read.frontmatter import _DATE_TOKEN, _constructs, _plausible_date

    text, real = token
    found = [m.group(1) for m in _DATE_TOKEN.finditer(f"date: {text}")]
    if real:
        assert found == [text]
        assert _plausible_date(text), text
    for value in found:
        assert not _plausible_date(value) or _constructs(value), value
