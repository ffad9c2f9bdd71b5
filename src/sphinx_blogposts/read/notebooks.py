"""Posts written as notebooks, with myst-nb.

A Jupyter notebook (``.ipynb``) keeps its post metadata in the notebook's own ``metadata``;
myst-nb hands those keys to MyST's front matter renderer, so they reach the post reader as
docinfo fields, like the front matter of a Markdown file parsed by MyST.  Nothing is needed here
for them.

A MyST notebook (a ``.md`` file with ``file_format: mystnb`` or a jupytext ``format_name: myst``)
keeps them in its YAML front matter, which the reader reads itself.  myst-nb, though, copies
that front matter into a notebook and writes it out as JSON, which fails on the ``date`` objects
YAML makes of ``date: 2025-01-31``: the whole build stops.  So such a file's top-level date
values are quoted before it is parsed (the reader reads them as text anyway).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import yaml

from .frontmatter import split_front_matter

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: a top-level ``key: value`` line whose value is plain (not quoted, not a block or a flow)
_PLAIN = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)(?P<sep>[ \t]*:[ \t]+)"
                    r"(?P<value>[^'\"\s#\[{|>&*!][^#]*?)(?P<rest>[ \t]+#.*)?[ \t]*$")


def is_myst_notebook(meta: Any) -> bool:
    """Whether front matter marks a MyST notebook, by myst-nb's own two tests."""
    if not isinstance(meta, dict):
        return False
    if meta.get("file_format") == "mystnb":
        return True
    jupytext = meta.get("jupytext")
    text = jupytext.get("text_representation") if isinstance(jupytext, dict) else None
    return isinstance(text, dict) and text.get("format_name") == "myst"


def quote_notebook_dates(text: str) -> str | None:
    """A MyST notebook's source with its top-level date values quoted, or None (unchanged)."""
    split = split_front_matter(text)
    if split is None:
        return None
    lines, end = split
    block = "\n".join(lines[1:end])
    if "mystnb" not in block and "format_name" not in block:
        return None  # not a MyST notebook: decided without parsing YAML
    try:
        meta = yaml.load(block, Loader=_LOADER)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None  # the reader reports malformed front matter; myst-nb its own way
    if not is_myst_notebook(meta):
        return None
    dated = {k for k, v in meta.items() if isinstance(v, datetime.date)}
    if not dated:
        return None
    changed = False
    for i in range(1, end):
        match = _PLAIN.match(lines[i].rstrip("\r"))
        if match and match["key"] in dated:
            cr = "\r" if lines[i].endswith("\r") else ""
            lines[i] = (f"{match['key']}{match['sep']}{json.dumps(match['value'].strip())}"
                        f"{match['rest'] or ''}{cr}")
            changed = True
    return "\n".join(lines) if changed else None
