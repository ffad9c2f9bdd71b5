"""Rendering the bodies of generated pages with the site's templates, fast."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.locale import get_translation
from sphinx.util import logging

if TYPE_CHECKING:
    pass


_ = get_translation("sphinx_blogposts")
logger = logging.getLogger(__name__)


class Record(dict[str, Any]):
    """Template data read as ``post.url``: Jinja tries an attribute before a key, and on a
    plain dict that costs a raised AttributeError per lookup (thousands a page).  Still a
    dict, so ``post['url']`` works and its repr (the page fingerprint) is a dict's."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def body_renderer(builder: Any) -> Callable[[str, dict[str, Any]], str]:
    """Renders a generated page's body: Sphinx's templates, without Sphinx's sandbox.

    Sphinx renders in a Jinja sandbox, which checks every attribute a template reads (about
    400 000 for the pages of a 5000-post blog, a third of their rendering time) and stats
    every included template each time it is included.  The bodies are rendered instead by a
    plain Jinja environment made from Sphinx's own: the same loader (theme, then
    ``templates_path``), extensions, filters, tests and globals (its translations too).  The
    templates are the site's and the theme's, trusted code like its ``conf.py``; the data
    they show is escaped by them as before.  The page around the body is still rendered by
    Sphinx.  A ``template_bridge`` that renders in its own way is used as it is.
    """

    bridge = builder.templates
    cached: Callable[[str, dict[str, Any]], str] | None = getattr(bridge, "_blogposts_render",
                                                                    None)
    if cached is not None:
        return cached

    sandbox = getattr(bridge, "environment", None)
    if (not isinstance(bridge, BuiltinTemplateLoader)
            or type(bridge).render is not BuiltinTemplateLoader.render
            or not isinstance(sandbox, jinja2.Environment)):
        render: Callable[[str, dict[str, Any]], str] = bridge.render
    else:
        same = ("block_start_string", "block_end_string", "variable_start_string",
                "variable_end_string", "comment_start_string", "comment_end_string",
                "line_statement_prefix", "line_comment_prefix", "trim_blocks",
                "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "undefined",
                "finalize", "autoescape")
        env = jinja2.Environment(
            loader=bridge,
            extensions=[type(e) for e in sandbox.extensions.values()],
            auto_reload=False,  # one build: the templates do not change under it
            bytecode_cache=sandbox.bytecode_cache,  # the extension's own: OwnTemplatesCache
            **{name: getattr(sandbox, name) for name in same},
        )
        env.filters.update(sandbox.filters)
        env.tests.update(sandbox.tests)
        env.globals.update(sandbox.globals)
        env.policies.update(sandbox.policies)
        if hasattr(sandbox, "newstyle_gettext"):
            env.newstyle_gettext = sandbox.newstyle_gettext  # type: ignore[attr-defined]

        def render(template: str, context: dict[str, Any]) -> str:
            return env.get_template(template).render(context)

    bridge._blogposts_render = render
    return render




class OwnTemplatesCache(BytecodeCache):
    """A bytecode cache for the extension's own templates, kept between builds.

    Sphinx's Jinja environment has none, so every build compiled the widgets' and the
    generated pages' templates again: 20-40 ms of each build, no-op and live rebuilds
    included (measured: benchmarks/README.md, "Where the time goes (the fixed cost)").
    Only templates read from ``directory_of_ours`` are cached (a theme's or the site's,
    overrides of ours included, are compiled as before).  The key holds the template's
    name and file, the environment's class and every setting that changes the compiled
    code (syntax, extensions, autoescape, finalize, the filters' and tests' kinds), and the
    versions of Python, Jinja and this package; Jinja's checksum of the source rejects an
    edited template.  Files are written atomically (by Jinja), and a file that cannot be
    read or written only costs a compilation: the rendered output is the same either way.
    """

    def __init__(self, cache_dir: Path, directory_of_ours: Path, version: str) -> None:
        self.files = FileSystemBytecodeCache(str(cache_dir), "%s.jinja")
        self.ours = str(directory_of_ours) + os.sep
        self.base = f"{version}|{jinja2.__version__}|{importlib.util.MAGIC_NUMBER!r}"
        #: per environment: its filters and tests when last described, and the description
        self.described: dict[int, tuple[jinja2.Environment, dict[str, Any], dict[str, Any],
                                        str]] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        if filename is None or not filename.startswith(self.ours):
            return Bucket(environment, "", "")  # not ours: compiled, never stored
        key = hashlib.sha1(
            f"{self.base}|{name}|{filename}|{self._compiles_as(environment, name)}".encode()
        ).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _compiles_as(self, env: jinja2.Environment, name: str) -> str:
        """:func:`compiles_as`, described again only when a filter or test changed."""
        autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        known = self.described.get(id(env))
        if (known is None or known[0] is not env or known[1] != env.filters
                or known[2] != env.tests):
            known = self.described[id(env)] = (env, dict(env.filters), dict(env.tests),
                                               compiles_as(env))
        return f"{autoescape!r}|{known[3]}"

    def set_bucket(self, bucket: Bucket) -> None:
        if bucket.key:
            self.dump_bytecode(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            self.files.load_bytecode(bucket)
        except Exception:  # unreadable or foreign: compile it again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.files.directory, exist_ok=True)
            self.files.dump_bytecode(bucket)
        except OSError:
            pass  # only a cache


def compiles_as(env: jinja2.Environment) -> str:
    """What, besides the source and autoescaping, the code Jinja compiles a template to
    depends on."""
    settings = [
        type(env).__module__, type(env).__qualname__, sorted(env.extensions),
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
        env.is_async, getattr(env, "newstyle_gettext", None),
        env.finalize is not None and _kind(env.finalize),
        sorted(getattr(env, "intercepted_binops", ())),
        sorted(getattr(env, "intercepted_unops", ())),
        # a filter's or test's kind is compiled in; with constant arguments, its result too
        sorted((k, _kind(f)) for k, f in env.filters.items()),
        sorted((k, _kind(f)) for k, f in env.tests.items()),
    ]
    return repr(settings)


def _kind(func: Any) -> str:
    """A filter, test or finalize function as Jinja's compiler sees it: which one it is and
    what it is passed (its ``jinja_pass_arg``)."""
    which = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{getattr(func, '__module__', '')}.{which}:{getattr(func, 'jinja_pass_arg', None)}"
