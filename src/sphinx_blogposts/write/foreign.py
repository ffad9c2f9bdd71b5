"""Pages other extensions write (``html-collect-pages``: viewcode's ``_modules``, genindex,
search, a site's ``html_additional_pages``) show the blog sidebars too.

Sphinx renders some of them again on every build, but not all: viewcode skips a module page
whose file is newer than the module.  When the sidebars change, such a page would keep the old
widgets (a renamed post's old title, a deleted post's link).  So the names of the pages rendered
with them are kept (in the doctree directory: they are rendered after Sphinx saved the
environment), and when the sidebars change their files are removed before the extensions
collect their pages again, which makes each write its page afresh.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FILENAME = "blogposts-foreign-pages.json"
#: builder -> the other extensions' pages rendered in this build
_SEEN: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()
#: builder -> the state its pages are rendered in (see :func:`refresh`)
_STATE: WeakKeyDictionary[Any, str] = WeakKeyDictionary()


def _key(app: Sphinx) -> str:
    """Per builder (``html`` and ``dirhtml`` may share a doctree directory), not per output
    path: an output folder copied or restored elsewhere (a CI cache) keeps its record."""
    return str(app.builder.name)


def _load(app: Sphinx) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((Path(app.doctreedir) / FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def note(app: Sphinx, pagename: str) -> None:
    """A page that is no document was rendered (``html-page-context``, main process)."""
    _SEEN.setdefault(app.builder, set()).add(pagename)


def save(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: remember this build's pages and their state for the next one."""
    seen = _SEEN.pop(app.builder, None)
    state = _STATE.pop(app.builder, None)
    if exception is not None or state is None:
        return
    data = _load(app)
    # a page an extension skipped this time (viewcode's, its module unchanged) is still there
    # with the sidebars it was rendered with: it stays on the record
    pages = set(seen or ())
    builder: Any = app.builder
    last = data.get(_key(app))
    if isinstance(last, dict):
        pages.update(name for name in last.get("pages") or ()
                     if isinstance(name, str) and name not in app.env.all_docs
                     and Path(builder.get_outfilename(name)).is_file())
    entry = {"pages": sorted(pages), "state": state}
    if data.get(_key(app)) == entry:
        return
    data[_key(app)] = entry
    # only a hint: without it, a page an extension skips may keep old sidebars
    with contextlib.suppress(OSError):
        (Path(app.doctreedir) / FILENAME).write_text(json.dumps(data, sort_keys=True),
                                                     encoding="utf-8")


def refresh(app: Sphinx, ours: set[str], state: str) -> list[str]:
    """Before writing: when ``state`` (what the sidebars show, the configuration, the
    templates, the navigation) differs from the last build's, remove the files of the other
    extensions' pages of that build, so that each is written again; never a document's, one
    of ``ours``, or anything outside the output directory.  Returns the names removed."""
    builder: Any = app.builder
    _STATE[builder] = state
    last = _load(app).get(_key(app))
    if not isinstance(last, dict) or last.get("state") == state:
        return []
    outdir = Path(builder.outdir).resolve()
    removed = []
    for name in last.get("pages") or ():
        if not isinstance(name, str) or name in app.env.all_docs or name in ours:
            continue
        path = Path(builder.get_outfilename(name)).resolve()
        if path.is_file() and path.is_relative_to(outdir):
            path.unlink()
            removed.append(name)
    return removed
