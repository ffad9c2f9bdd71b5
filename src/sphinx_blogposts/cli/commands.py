"""The ``list``, ``check`` and ``new`` commands."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

import yaml

from ..base.config import ALL_POSTS, KEY_RE, BlogConfig
from ..base.dates import now_timestamp, parse_date
from ..base.diagnostics import Subtype
from ..base.slugs import slugify
from ..read.gather import choose_blog, matches_pattern
from .posts import Problem, find_posts
from .site import GLOB, CliError, Site, display_path, load_site

# -- commands ------------------------------------------------------------------------------

def _blog_arg(site: Site, key: str | None) -> BlogConfig | None:
    """The blog ``--blog`` names (None when not given); exit 2 when it names none."""
    if key is None:
        return None
    found = site.blogs.get(key.strip()) if site.blogs.several else None
    if found is None or found.key == ALL_POSTS:
        known = ", ".join(b.key for b in site.blogs.blogs) if site.blogs.several else ""
        raise CliError(f"--blog {key}: not a blog of blogposts_blogs"
                       + (f" ({known})" if known else " (the site declares none)")
                       + "; nothing was done", code=2, usage=False)
    return found


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    site = load_site(args.source, args.define)
    blog = _blog_arg(site, args.blog)
    now = now_timestamp(site.cfg.now)
    rows: list[tuple[float, str, str, str, str]] = []
    wanted = args.category.casefold() if args.category else None
    several = site.blogs.several and blog is None
    for entry in find_posts(site):
        draft = entry.draft
        if not entry.is_post:
            continue
        if draft is None:
            if args.drafts or wanted or blog is not None:
                continue
            rows.append((float("-inf"), "—", "invalid", "", display_path(entry.source.path)))
            continue
        where = display_path(entry.source.path)
        for shown, post in [(where, draft)] + [(f"{where} > {title}", section)
                                               for title, section in entry.sections]:
            if post is None:
                continue
            if wanted is not None and wanted not in {c.casefold() for c in post.categories}:
                continue
            if blog is not None and post.blog != blog.key:
                continue
            status = "draft" if post.draft else (
                "scheduled" if post.date.timestamp > now else "published")
            if args.drafts and status == "published":
                continue
            if post.pinned:
                status += ", pinned"
            categories = ", ".join(post.categories) or "—"
            if several:  # which blog, on a site of several
                categories = f"{post.blog}: {categories}"
            rows.append((post.date.timestamp,
                         "—" if post.undated else post.date.day.isoformat(), status,
                         categories, shown))
    rows.sort(key=lambda r: (-r[0], r[4]))
    if not rows:
        print("no posts found", file=sys.stderr)
        return 0
    table = [row[1:] for row in rows]
    widths = [max(_width(r[i]) for r in table) for i in range(3)]
    for row in table:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        print("  ".join([*cells, row[3]]), file=out)
    return 0


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    site = load_site(args.source, args.define)
    posts = 0
    problems: list[Problem] = [Problem(site.srcdir / "conf.py", 1, Subtype.config, problem)
                               for problem in site.blogs.problems]
    for entry in find_posts(site):
        posts += entry.is_post
        problems.extend(entry.problems)
    for problem in problems:
        print(problem.format(), file=out)
    noun = "post" if posts == 1 else "posts"
    if problems:
        print(f"{len(problems)} problem(s) in {posts} {noun}", file=sys.stderr)
        return 1
    print(f"{posts} {noun} checked: no problems", file=sys.stderr)
    return 0


def post_dir(site: Site, blog: BlogConfig | None = None) -> str:
    """Where new posts go: the folder part of the blog's first pattern, before any glob
    character (``blog/posts/**`` -> ``blog/posts``); a blog of ``blogposts_blogs`` without
    one, its own folder."""
    cfg = blog or site.cfg
    for pattern in cfg.pattern:
        head = GLOB.split(pattern, maxsplit=1)[0]
        if GLOB.search(pattern):
            head = head.rsplit("/", 1)[0] if "/" in head else ""
        return head.strip("/")
    return cfg.path if cfg.key else ""


def _today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            pass
    return date.today()


def _yaml_scalar(text: str) -> str:
    """Text as a YAML scalar, quoted only when YAML would read it as something else."""
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    if plain and text == text.strip() and not re.search(r"[,\[\]{}#:\n]", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_names(names: list[str]) -> str:
    if len(names) == 1:
        return _yaml_scalar(names[0])
    return "[" + ", ".join(_yaml_scalar(n) for n in names) + "]"


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def render_post(title: str, fmt: str, day: str, categories: list[str], tags: list[str],
                authors: list[str], draft: bool, declare: bool, blog: str = "") -> str:
    """The text of a new post: front matter (MyST) or a ``post`` directive (reST); ``blog``
    when the post's place would not say it."""
    if fmt == "md":
        meta = ["---"]
        if declare:
            meta.append("post: true")
        if blog:
            meta.append(f"blog: {_yaml_scalar(blog)}")
        meta.append(f"date: {day}")
        if categories:
            meta.append(f"category: {_yaml_names(categories)}")
        if tags:
            meta.append("tags: [" + ", ".join(_yaml_scalar(t) for t in tags) + "]")
        if authors:
            meta.append(f"author: {_yaml_names(authors)}")
        if draft:
            meta.append("draft: true")
        meta.append("---")
        return ("\n".join(meta) + f"\n\n# {title}\n\n"
                "The first paragraph is the post's excerpt in lists and feeds.\n")
    underline = "=" * max(3, _width(title))
    lines = [title, underline, "", f".. post:: {day}"]
    if blog:
        lines.append(f"   :blog: {blog}")
    if categories:
        lines.append(f"   :category: {', '.join(categories)}")
    if tags:
        lines.append(f"   :tags: {', '.join(tags)}")
    if authors:
        lines.append(f"   :author: {', '.join(authors)}")
    if draft:
        lines.append("   :draft:")
    lines += ["", "The first paragraph is the post's excerpt in lists and feeds.", ""]
    return "\n".join(lines)


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    parser: argparse.ArgumentParser = args.subparser
    title = " ".join(args.title.split())
    if not title:
        parser.error("the title must not be empty")
    if args.date:
        try:
            day = parse_date(args.date).isoformat()
        except ValueError as exc:
            parser.error(f"argument --date: {exc}")
    else:
        day = _today().isoformat()
    site = load_site(args.source, args.define, need_conf=args.dir is None)
    blog = _blog_arg(site, args.blog)
    has_conf = (site.srcdir / "conf.py").is_file()
    fmt = args.format or ("md" if site.markdown or not has_conf else "rst")
    if fmt == "md" and has_conf and not site.markdown:
        raise CliError("the site reads no Markdown (add myst_parser to extensions in "
                       "conf.py, or use --format rst); nothing was written",
                       code=2, usage=False)
    folder = Path(args.dir) if args.dir is not None else Path(post_dir(site, blog))
    target_dir = folder if folder.is_absolute() else site.srcdir / folder
    if _docname(site, target_dir / "x") is None:
        raise CliError(f"--dir {args.dir}: outside the source folder {display_path(site.srcdir)}, "
                       "where the build would not read it; nothing was written",
                       code=2, usage=False)
    target = target_dir / f"{slugify(title)}.{fmt}"
    if target.exists():
        raise CliError(f"{display_path(target)} already exists; nothing was written "
                       "(choose another title, or --dir)")
    twin = next((target.with_suffix(suffix) for suffix in (".md", ".rst", ".ipynb", ".txt")
                 if target.with_suffix(suffix).exists()), None)
    if twin is not None:  # Sphinx would read only one of the two
        raise CliError(f"{display_path(twin)} already has this name; nothing was written "
                       "(choose another title, or --dir)", code=2, usage=False)
    authors = _split(args.author)
    cfg = blog or site.cfg
    for author in authors:
        if cfg.authors and author not in cfg.authors and KEY_RE.match(author):
            print(f"warning: author {author!r} is not a key of blogposts_authors "
                  "(a typo?); written as a guest author", file=sys.stderr)
    docname = _docname(site, target)

    declare = fmt == "md" and not (docname is not None and any(
        matches_pattern(b, docname) for b in site.blogs.listed()))
    # ``blog:`` only where the post's place would put it in another blog
    named = ""
    if blog is not None and (docname is None or choose_blog(
            site.blogs, docname, {}, {}, 1, lambda *a: None).key != blog.key):
        named = blog.key
    text = render_post(title, fmt, day, _split(args.category), _split(args.tags), authors,
                       args.draft, declare, named)
    target_dir.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as f:  # never overwrite, even in a race
            f.write(text)
    except FileExistsError:
        raise CliError(f"{display_path(target)} already exists; nothing was written") from None
    print(display_path(target), file=out)
    return 0


def _docname(site: Site, path: Path) -> str | None:
    try:
        rel = path.resolve().relative_to(site.srcdir.resolve()).as_posix()
    except ValueError:
        return None
    return rel.rsplit(".", 1)[0]
