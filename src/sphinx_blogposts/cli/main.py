"""``sphinx-blogposts``: start a post, list posts, check their metadata, without a build.

The site's ``conf.py`` is executed the way Sphinx executes it, posts are found the three
ways the build finds them (``blogposts_pattern``, ``post: true`` front matter, a ``post``
directive) and their metadata goes through the build's own coercion, so ``check`` says what
``sphinx-build`` would say about it.  Only front matter, docinfo fields and ``post``
directives are read: no document is parsed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from ..base.version import __version__
from .commands import cmd_check, cmd_list, cmd_new
from .site import CliError

# -- the parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-blogposts",
        description="Write, list and check the posts of a sphinx-blogposts site "
                    "without building it.",
    )

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", "-s", default=".", metavar="DIR",
                       help="the site's source folder, where conf.py is (default: .)")
        p.add_argument("-D", dest="define", action="append", default=[],
                       metavar="NAME=VALUE",
                       help="override a blogposts_* value of conf.py, as with sphinx-build "
                            "(e.g. -D blogposts_now=2026-01-01)")

    new = sub.add_parser(
        "new", help="start a post", description=(
            "Write a new post, named by a slug of its title, into the folder "
            "blogposts_pattern points to. An existing file is never overwritten."))
    new.add_argument("title", help="the post's title")
    new.add_argument("--category", "-c", metavar="C", help="category (a comma list for several)")
    new.add_argument("--tags", "-t", metavar="A,B", help="tags, comma-separated")
    new.add_argument("--author", "-a", metavar="K",
                     help="a key of blogposts_authors or a name (a comma list for several)")
    new.add_argument("--date", "-d", metavar="D",
                     help="ISO 8601 date or datetime (default: today, or SOURCE_DATE_EPOCH)")
    new.add_argument("--draft", action="store_true", help="mark the post as a draft")
    new.add_argument("--dir", metavar="D",
                     help="folder for the post, relative to the source folder "
                          "(default: from blogposts_pattern)")
    new.add_argument("--format", "-f", choices=("md", "rst"),
                     help="MyST Markdown or reST (default: md when myst_parser is on)")
    new.add_argument("--blog", "-b", metavar="KEY",
                     help="the blog of the post, a key of blogposts_blogs (default: the first; "
                          "its pattern gives the folder)")
    common(new)
    new.set_defaults(handler=cmd_new, subparser=new)

    listing = sub.add_parser(
        "list", help="list posts", description=(
            "List every post, newest first: date, status (published, draft, scheduled), "
            "categories (and blog, on a site of several) and file. Reads front matter and "
            "post directives only."))
    listing.add_argument("--drafts", action="store_true",
                         help="only posts that are not published: drafts and scheduled posts")
    listing.add_argument("--category", "-c", metavar="C", help="only posts in this category")
    listing.add_argument("--blog", "-b", metavar="KEY",
                         help="only posts of this blog (a key of blogposts_blogs)")
    common(listing)
    listing.set_defaults(handler=cmd_list, subparser=listing)

    check = sub.add_parser(
        "check", help="check every post's metadata", description=(
            "Check the metadata of every post as the build would, without building: the "
            "same warnings, and exit status 1 when there is any."))
    common(check)
    check.set_defaults(handler=cmd_check, subparser=check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``sphinx-blogposts`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        status: int = args.handler(args, sys.stdout)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # the reader went away (``list | head -1``): what it read is all it wanted; stdout
        # is pointed at /dev/null so that the interpreter's own flush at exit stays quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except CliError as exc:
        if exc.usage:
            args.subparser.error(str(exc))
        print(f"sphinx-blogposts: error: {exc}", file=sys.stderr)
        return exc.code
    finally:
        if os.environ.get("SPHINX_BLOGPOSTS_TIMING"):
            print(f"{time.perf_counter() - started:.3f}s", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
