"""The site the command works on: its ``conf.py`` executed as Sphinx executes it, the
validated blog options, and its source files found as Sphinx finds them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import sphinx
from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.matching import get_matching_files
from sphinx.util.tags import Tags

from ..base.config import BlogConfig, SiteBlogs, validate_site
from ..base.diagnostics import WARNING_TYPE, Subtype
from ..base.options import OPTIONS

#: what Sphinx itself never reads (sphinx.project.EXCLUDE_PATHS), and hidden folders
_ALWAYS_EXCLUDED = ("**/_sources", ".#*", "**/.#*", "*.lproj/**", ".*", "**/.*")
GLOB = re.compile(r"[*?\[]")


class CliError(Exception):
    """A problem to report in one line; ``code`` is the exit status (2: usage)."""

    def __init__(self, message: str, code: int = 1, usage: bool | None = None) -> None:
        super().__init__(message)
        self.code = code
        #: shown with the command's usage (a wrong argument), or as one line (a refusal)
        self.usage = code == 2 if usage is None else usage


# -- the site ------------------------------------------------------------------------------

@dataclass
class Site:
    """A Sphinx source directory: its executed ``conf.py`` and the validated blog options."""

    srcdir: Path
    namespace: dict[str, Any]
    #: the site's blogs (one, of key "", unless ``blogposts_blogs`` declares them)
    blogs: SiteBlogs
    suffixes: tuple[str, ...]

    @property
    def cfg(self) -> BlogConfig:
        """The first blog's values (a site of one blog: its only blog's)."""
        return self.blogs.default

    @property
    def markdown(self) -> bool:
        """Whether MyST (or another Markdown parser) is on: ``new`` writes ``.md`` then."""
        extensions = [str(e) for e in self.namespace.get("extensions", [])]
        return any(e.startswith(("myst_parser", "myst_nb")) for e in extensions)

    @property
    def colon_fence(self) -> bool:
        """Whether ``:::{post}`` is a directive (MyST's ``colon_fence`` extension)."""
        enabled = self.namespace.get("myst_enable_extensions") or ()
        return "colon_fence" in [str(e) for e in enabled]

    def suppressed(self, subtype: Subtype) -> bool:
        """Whether ``suppress_warnings`` silences this kind, as it does in the build."""
        names = [str(s) for s in self.namespace.get("suppress_warnings", []) or []]
        return WARNING_TYPE in names or f"{WARNING_TYPE}.{subtype.value}" in names


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"-D expects name=value, not {pair!r}", 2)
        result[name.strip()] = value
    return result


def _conf_path(conf: Path) -> Any:
    """conf.py's path as ``eval_config_file`` takes it: a str on Sphinx 7, a Path from 8."""

    if sphinx.version_info >= (8,):
        return conf.resolve()
    return str(conf.resolve())


def load_site(source: str, overrides: Sequence[str] = (), *, need_conf: bool = True) -> Site:
    """Execute ``conf.py`` of ``source`` as Sphinx does and validate the blog options."""

    srcdir = Path(source)
    if not srcdir.is_dir():
        raise CliError(f"{source!r} is not a directory", 2)
    conf = srcdir / "conf.py"
    namespace: dict[str, Any] = {}
    if conf.is_file():
        try:
            namespace = eval_config_file(_conf_path(conf), Tags())
        except ConfigError as exc:
            raise CliError(f"{conf}: {exc}") from exc
    elif need_conf:
        raise CliError(f"no conf.py in {source!r}; give the site's folder with --source", 2)
    for name, value in _overrides(overrides).items():
        if name.startswith("blogposts_") or name == "language":
            namespace[name] = _convert_override(name, value)
    values = {opt.name: namespace.get(opt.name, opt.default) for opt in OPTIONS}
    values["language"] = namespace.get("language") or "en"
    values["html_baseurl"] = namespace.get("html_baseurl", "")
    try:
        blogs = validate_site(cast(Any, SimpleNamespace(**values)))
    except ConfigError as exc:
        raise CliError(f"{conf}: {exc}") from exc
    return Site(srcdir, namespace, blogs, _suffixes(namespace))


def _convert_override(name: str, value: str) -> Any:
    """``-D`` values as Sphinx converts them for our options: ints, lists, bools, text."""
    default = next((o.default for o in OPTIONS if o.name == name), None)
    if isinstance(default, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            return value
    if isinstance(default, list):
        return [v for v in value.split(",") if v]
    return value


def _suffixes(namespace: dict[str, Any]) -> tuple[str, ...]:
    declared = namespace.get("source_suffix")
    if isinstance(declared, str):
        found = [declared]
    elif isinstance(declared, dict | list | tuple):
        found = [str(s) for s in declared]
    else:
        found = [".rst"]
    extensions = [str(e) for e in namespace.get("extensions", [])]
    if any(e.startswith(("myst_parser", "myst_nb")) for e in extensions):
        found.append(".md")
    return tuple(dict.fromkeys(found))


def source_files(site: Site) -> Iterator[tuple[str, Path]]:
    """``(docname, path)`` of every source Sphinx would read, in a stable order."""

    ns = site.namespace
    exclude = [*_strings(ns.get("exclude_patterns")), *_strings(ns.get("templates_path")),
               *_strings(ns.get("html_static_path")), *_strings(ns.get("html_extra_path")),
               *_ALWAYS_EXCLUDED]
    include = _strings(ns.get("include_patterns")) or ["**"]
    suffixes = sorted(site.suffixes, key=len, reverse=True)
    for rel in get_matching_files(site.srcdir, include, exclude):
        for suffix in suffixes:
            if rel.endswith(suffix):
                yield rel[: -len(suffix)], site.srcdir / rel
                break


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
