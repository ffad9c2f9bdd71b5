"""Reference tables generated from the live code of sphinx-blogposts.

Each directive reads one source of truth, so the documentation cannot drift from the code:

- ``blogposts-config``: every ``blogposts_*`` value (``sphinx_blogposts.base.config.OPTIONS``);
- ``blogposts-directive-options <post|category|postlist>``: a directive's options (its
  ``option_spec``) described by ``sphinx_blogposts.read.directives.OPTION_DOCS``;
- ``blogposts-warnings``: the warning subtypes, from the docstrings of ``diagnostics.Subtype``;
- ``blogposts-urls``: the generated pages, from the functions of ``sphinx_blogposts.model.urls``;
- ``blogposts-theme-options``: the theme's options and their comments, from ``theme.toml``;
- ``blogposts-ablog-config`` and ``blogposts-ablog-options``: what each ABlog configuration
  value and directive option becomes, from ``sphinx_blogposts.compat.ablog.maps``.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: a cell: plain text (``code`` spans become literals) or ready-made nodes
Cell = str | nodes.Node | Sequence[nodes.Node]

_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def inline(text: str) -> list[nodes.Node]:
    """Text with ``code`` or `code` spans turned into literal nodes."""
    result: list[nodes.Node] = []
    pos = 0
    for match in _CODE.finditer(text):
        if match.start() > pos:
            result.append(nodes.Text(text[pos:match.start()]))
        code = match.group(1) or match.group(2)
        result.append(nodes.literal(code, code))
        pos = match.end()
    if pos < len(text):
        result.append(nodes.Text(text[pos:]))
    return result


def code(text: str) -> nodes.literal:
    return nodes.literal(text, text)


def _entry(cell: Cell) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    if isinstance(cell, str):
        para.extend(inline(cell))
    elif isinstance(cell, nodes.Node):
        para += cell
    else:
        para.extend(cell)
    entry += para
    return entry


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]],
          ids: Iterable[str] | None = None, widths: Sequence[int] | None = None) -> nodes.table:
    """A docutils table; ``ids`` (one per row) become anchors on the rows."""
    result = nodes.table(classes=["blogposts-reference"])
    result["support_smartquotes"] = False  # values such as 'hide' are shown as written
    group = nodes.tgroup(cols=len(headers))
    result += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for header in headers:
        row += _entry(header)
    head += row
    body = nodes.tbody()
    group += body
    row_ids = list(ids) if ids is not None else None
    for number, cells in enumerate(rows):
        row = nodes.row()
        if row_ids is not None:
            row["ids"].append(row_ids[number])
        for cell in cells:
            row += _entry(cell)
        body += row
    return result


def type_name(types: Any) -> str:
    """``(str, list)`` -> ``str | list``; an ENUM -> its values."""
    candidates = getattr(types, "candidates", None) or getattr(types, "_candidates", None)
    if candidates is not None:
        return " | ".join(repr(c) for c in sorted(candidates))
    if isinstance(types, type):
        types = (types,)
    names = ["None" if t is type(None) else t.__name__ for t in types]
    return " | ".join(names)


def sample_config(**overrides: Any) -> Any:
    """A validated BlogConfig with every default, as a fresh site would have."""
    from sphinx_blogposts.base.config import validate
    from sphinx_blogposts.base.options import OPTIONS

    values: dict[str, Any] = {opt.name: opt.default for opt in OPTIONS}
    values.update(language="en", html_baseurl="")
    values.update(overrides)
    return validate(cast("Config", SimpleNamespace(**values)))


class ConfigTable(SphinxDirective):
    """Every ``blogposts_*`` configuration value."""

    def run(self) -> list[nodes.Node]:
        from sphinx_blogposts.base.options import OPTIONS

        rows = [
            (code(opt.name), code(type_name(opt.types)), code(repr(opt.default)),
             opt.description)
            for opt in OPTIONS
        ]
        ids = [nodes.make_id(f"confval-{opt.name}") for opt in OPTIONS]
        return [table(("name", "type", "default", "what"), rows, ids, widths=(3, 2, 2, 6))]


class DirectiveOptionsTable(SphinxDirective):
    """The options of one directive of the extension."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from sphinx_blogposts.read import directives

        name = self.arguments[0]
        classes = {"post": directives.PostDirective, "category": directives.CategoryDirective,
                   "postlist": directives.PostlistDirective}
        docs: dict[str, dict[str, str]] = directives.OPTION_DOCS
        if name not in classes:
            raise self.error(f"no directive {name!r}; one of {sorted(classes)}")
        spec: dict[str, Callable[[str], Any]] = classes[name].option_spec or {}
        descriptions = docs.get(name, {})
        missing = sorted(set(spec) - set(descriptions))
        if missing:
            raise self.error(f"directives.OPTION_DOCS[{name!r}] does not describe {missing}")
        rows = [(code(f":{option}:"), descriptions[option]) for option in spec]
        ids = [nodes.make_id(f"{name}-option-{option}") for option in spec]
        return [table(("option", "what"), rows, ids, widths=(2, 7))]


def subtype_docs() -> list[tuple[str, str]]:
    """``(subtype, docstring)`` for every member of ``diagnostics.Subtype``, read with ast."""
    from sphinx_blogposts.base import diagnostics

    tree = ast.parse(inspect.getsource(diagnostics.Subtype))
    body = cast(ast.ClassDef, tree.body[0]).body
    found: dict[str, str] = {}
    for stmt, following in zip(body, [*body[1:], None], strict=True):
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            found[stmt.targets[0].id] = " ".join(following.value.value.split())
    return [(member.value, found.get(member.name, "")) for member in diagnostics.Subtype]


class WarningsTable(SphinxDirective):
    """Every subtype of the ``blogposts`` warning type."""

    def run(self) -> list[nodes.Node]:
        docs = subtype_docs()
        undocumented = [name for name, doc in docs if not doc]
        if undocumented:
            raise self.error(f"Subtype members without a docstring: {undocumented}")
        from sphinx_blogposts.base.diagnostics import EXAMPLES, Subtype

        missing = [name for name, _ in docs if Subtype(name) not in EXAMPLES]
        if missing:
            raise self.error(f"Subtype members without an example: {missing}")
        rows = [
            (code(f"blogposts.{name}"), doc, code(EXAMPLES[Subtype(name)][0]),
             EXAMPLES[Subtype(name)][1])
            for name, doc in docs
        ]
        ids = [nodes.make_id(f"warning-{name}") for name, _ in docs]
        return [table(("warning", "raised when", "example", "fix"), rows, ids,
                      widths=(2, 4, 3, 3))]


_URL_SAMPLES = {"slug": "<slug>", "page": 2, "kind": "language"}


def dirhtml(page: str) -> str:
    """The ``dirhtml`` builder's URL of a page: ``blog/index`` -> ``blog/``."""
    if page == "index" or page.endswith("/index"):
        return page.removesuffix("index")
    return page + "/"


class UrlsTable(SphinxDirective):
    """Every generated page, by calling the functions of ``urls`` on a default config."""

    def run(self) -> list[nodes.Node]:
        from sphinx_blogposts.model import urls

        cfg = sample_config()
        rows: list[tuple[Cell, ...]] = []
        functions = sorted(inspect.getmembers(urls, inspect.isfunction),
                           key=lambda item: inspect.getsourcelines(item[1])[1])
        for name, func in functions:  # in the order of the module
            if func.__module__ != urls.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(func).parameters)
            if not params or params[0] != "cfg":
                continue  # a helper, not a page
            required = [p for p in params[1:]
                        if inspect.signature(func).parameters[p].default is inspect._empty]
            calls = [{p: _URL_SAMPLES[p] for p in required}]
            if "page" in params:
                calls.append({**calls[0], "page": 2})
            for kwargs in calls:
                page: str = func(cfg, **kwargs)
                shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
                rows.append((code(f"{name}({shown})"), code(page + ".html"),
                             code(dirhtml(page))))
        return [table(("urls function", "html", "dirhtml"), rows, widths=(3, 3, 3))]


def theme_options() -> list[tuple[str, Any, str]]:
    """``(option, default, comment)`` from the ``[options]`` table of the theme's theme.toml."""
    import sphinx_blogposts

    path = Path(sphinx_blogposts.__file__).parent / "theme" / "sphinx_blogposts" / "theme.toml"
    text = path.read_text(encoding="utf-8")
    defaults = tomllib.loads(text).get("options", {})
    comments: dict[str, str] = {}
    pending: list[str] = []
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section, pending = stripped, []
        elif stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
        elif "=" in stripped and section == "[options]":
            comments[stripped.split("=", 1)[0].strip()] = " ".join(pending)
            pending = []
        else:
            pending = []
    return [(key, value, comments.get(key, "")) for key, value in defaults.items()]


class ThemeOptionsTable(SphinxDirective):
    """The options of the ``sphinx_blogposts`` theme (``html_theme_options``)."""

    def run(self) -> list[nodes.Node]:
        options = theme_options()
        rows = [(code(key), code(repr(value)), comment) for key, value, comment in options]
        ids = [nodes.make_id(f"theme-option-{key}") for key, _, _ in options]
        return [table(("option", "default", "what"), rows, ids, widths=(2, 2, 6))]


class AblogConfigTable(SphinxDirective):
    """Every ABlog configuration value and what sphinx-blogposts does with it."""

    def run(self) -> list[nodes.Node]:
        from sphinx_blogposts.compat.ablog import maps as ablog

        rows = [(code(item.name), _target(item.target), item.note)
                for item in ablog.CONFIG_MAP]
        return [table(("ABlog value", "sphinx-blogposts", "notes"), rows, widths=(3, 3, 6))]


class AblogOptionsTable(SphinxDirective):
    """Every option of ABlog's ``post`` and ``postlist`` directives and what it becomes."""

    def run(self) -> list[nodes.Node]:
        from sphinx_blogposts.compat.ablog import maps as ablog

        rows = [(code(f"{item.directive} :{item.name}:"), _target(item.target), item.note)
                for item in ablog.OPTION_MAP]
        return [table(("ABlog option", "sphinx-blogposts", "notes"), rows, widths=(3, 3, 6))]


def _target(target: str) -> Cell:
    return code(target) if target else "no equivalent"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("blogposts-config", ConfigTable)
    app.add_directive("blogposts-directive-options", DirectiveOptionsTable)
    app.add_directive("blogposts-warnings", WarningsTable)
    app.add_directive("blogposts-urls", UrlsTable)
    app.add_directive("blogposts-theme-options", ThemeOptionsTable)
    app.add_directive("blogposts-ablog-config", AblogConfigTable)
    app.add_directive("blogposts-ablog-options", AblogOptionsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
