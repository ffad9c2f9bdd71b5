"""The generated pages (blog index, categories, tags, authors, archive), written through
``html-collect-pages`` with the site's own ``page.html``, so they sit inside any theme.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
from sphinx.errors import ExtensionError, SphinxError
from sphinx.jinja2glue import SphinxFileSystemLoader
from sphinx.locale import __, get_translation
from sphinx.util import logging
from sphinx.util.parallel import ParallelTasks

from ..base.config import get_blogs
from ..base.diagnostics import guard
from ..base.version import __version__
from ..model import urls
from ..model.posts import get_index
from ..model.views import get_views, hidden_docs, listing_digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

from . import feeds, foreign, redirects
from .builders import has_pages
from .pagecontext import Page, PagePlan
from .plans import PageWriter, page_names
from .signatures import build_signature, navigation_digest, sidebar_fingerprint
from .templating import OwnTemplatesCache

_ = get_translation("sphinx_blogposts")

STATIC = Path(__file__).parent.parent / "static"
TEMPLATES = Path(__file__).parent.parent / "templates"
#: the extension's templates are also found as ``<BASE_PREFIX>/<name>``
BASE_PREFIX = "blogposts-base"
logger = logging.getLogger(__name__)
T = TypeVar("T")


@guard(lambda app: "rendering the generated blog pages")
def collect_pages(app: Sphinx) -> Iterator[Page]:
    """``html-collect-pages``: write the generated pages whose content changed, or wait for
    the worker writing them (see :func:`write_pages_alongside`).  Nothing is handed back to
    Sphinx: :func:`write_pages` writes each page itself, so that it can keep the file of a
    page whose bytes come out the same."""
    if has_pages(app.builder):
        worker = getattr(app.builder, _WORKER, None)
        setattr(app.builder, _WORKER, False)
        if worker:
            worker.join()  # its warnings are replayed here; its failure fails the build
        else:
            write_pages(app)
        redirects.write(app)
    return iter(())


def write_pages(app: Sphinx) -> None:
    """Render the changed generated pages one at a time (a big blog never holds them all in
    memory) through Sphinx's ``handle_page``, so that themes and ``html-page-context`` see
    them as any other page.  Each is written beside its file and replaces it only if the
    bytes differ: a page whose context changed in something its template does not show (a
    post count, a renamed config value) keeps its mtime, and a watcher sees no churn."""
    builder: Any = app.builder
    for (pagename, context, template), target in _changed_pages(app):
        fresh = target.with_name(f".{target.name}.blogposts-new")
        try:
            builder.handle_page(pagename, context, template, outfilename=str(fresh))
            _keep_or_replace(fresh, target)
        except BaseException:  # a build stopped here (an error, Ctrl-C) leaves no hidden file
            with contextlib.suppress(OSError):
                fresh.unlink(missing_ok=True)
            raise


def _keep_or_replace(fresh: Path, target: Path) -> None:
    if not fresh.is_file():  # Sphinx warned why it wrote nothing
        return
    try:
        if target.is_file() and target.read_bytes() == fresh.read_bytes():
            fresh.unlink()
        else:
            fresh.replace(target)
    except OSError as exc:  # as Sphinx says it of any page it cannot write
        logger.warning(__("error writing file %s: %s"), target, exc)
        with contextlib.suppress(OSError):
            fresh.unlink(missing_ok=True)


#: the builder's attribute holding this build's pages worker: None before writing starts,
#: False when there is none, else the running ParallelTasks
_WORKER = "_blogposts_pages_worker"


def write_pages_alongside(app: Sphinx) -> None:
    """In a parallel build, write the generated pages from a worker of their own, started as
    Sphinx begins writing documents, instead of after them in the main process.

    Sphinx's parallel write keeps loading, resolving and search-indexing every document in
    the main process, its bottleneck (with ``-j 2`` the one writer worker idles most of the
    time), so pages rendered there afterwards add all their time to the build's.  The worker
    runs exactly what :func:`collect_pages` would, fingerprints included (they are kept in a
    file, not in the environment); a page needs nothing the documents' writing produces
    (images come from ``env.images``), and ``html-page-context`` already runs in workers for
    documents under the same ``parallel_write_safe`` contract.  Starting at the first
    ``write_doc_serialized`` puts the fork after ``prepare_writing``, which sets the pages'
    global template context.
    """
    builder = app.builder
    if not has_pages(builder) or getattr(builder, "_blogposts_pages_wrapped", False):
        return
    original = builder.write_doc_serialized

    def write_doc_serialized(docname: str, doctree: Any) -> None:
        if getattr(builder, _WORKER, False) is None:
            setattr(builder, _WORKER, _start_worker(app) if builder.parallel_ok else False)
        original(docname, doctree)

    def reset(app: Sphinx, builder: Any) -> None:
        setattr(builder, _WORKER, None)

    builder.write_doc_serialized = write_doc_serialized  # type: ignore[method-assign]
    builder._blogposts_pages_wrapped = True  # type: ignore[attr-defined]
    app.connect("write-started", reset)


def end_workers(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished`` of a failed build: end the parallel workers nobody will join.

    When the main process fails while workers are in flight (an error resolving a document
    under ``-j 2``), Sphinx leaves them running; a worker whose result does not fit in its
    pipe blocks on sending it forever, and the exiting main process waits for it forever
    (multiprocessing joins its children at exit).  The error is already on its way to the
    user; the workers' results are not needed any more.
    """
    if exception is None or multiprocessing.parent_process() is not None:
        return
    if app.builder is not None:
        setattr(app.builder, _WORKER, False)
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(5)


def _start_worker(app: Sphinx) -> Any:
    def work() -> None:  # called with no argument when given none
        # below the processes writing documents: the pages take the CPU the document
        # writer leaves idle instead of slowing it
        os.nice(10)
        shown = logging.VERBOSITY_MAP[app.verbosity]
        try:
            with logging.suppress_logging() as kept:
                write_pages(app)
        finally:
            # what this process logged goes to the main process to be shown there; a record
            # the build would not show stays here (Sphinx's debug line for each event holds a
            # page's whole context: ~4 MB for the 250 pages of a 1000-post blog)
            for record in kept.clear():
                if record.levelno >= shown:
                    logger.logger.handle(record)

    tasks = ParallelTasks(1)
    tasks.add_task(work)
    return tasks


def _changed_pages(app: Sphinx) -> Iterator[tuple[Page, Path]]:
    """Pages (with their output file) whose context, templates, configuration or sidebars
    changed, or whose file is missing.  The others keep their file and its mtime, so a
    watcher such as sphinx-autobuild sees no churn.  When nothing any page shows changed
    since the last build (the usual case while an author edits a post's body), no page is
    even evaluated.
    """

    writers = {blog.key: PageWriter(app.env, app, blog.key)
               for blog in get_blogs(app.config).listed()}
    prints = PagePrints(app)
    signature = repr((__version__, build_signature(app),
                      sidebar_fingerprint(app, get_views(app.env)), navigation_digest(app.env)))
    state = hashlib.sha1(repr((signature, listing_digest(app.env))).encode("utf-8")).hexdigest()
    builder = app.builder
    planned: dict[str, tuple[PageWriter, PagePlan]] = {}
    for writer in writers.values():
        for plan in writer.plans():
            planned.setdefault(plan.pagename, (writer, plan))
    plans = [planned[name] for name in sorted(planned)]
    targets = {p.pagename: Path(builder.get_outfilename(p.pagename))  # type: ignore[attr-defined]
               for _w, p in plans}
    if (prints.state == state and set(prints.old) == set(targets)
            and all(target.is_file() for target in targets.values())):
        return
    for writer, plan in plans:
        data = _evaluate_one(writer, plan)
        digest = hashlib.sha1(
            repr((signature, plan.title, plan.template, data)).encode("utf-8")
        ).hexdigest()
        if prints.update(plan.pagename, digest) or not targets[plan.pagename].is_file():
            yield _render_one(writer, plan, data), targets[plan.pagename]
    prints.save(state)  # only once every page is written: a failed build writes them again


class PagePrints:
    """Fingerprints of the generated pages as last written, per builder and output directory,
    and a digest of everything they showed (the "state").

    Kept in the doctree directory (Sphinx's own cache), not in the environment: a page is
    fingerprinted as it is rendered, after Sphinx has saved the environment.
    """

    FILENAME = "blogposts-page-prints.json"

    def __init__(self, app: Sphinx) -> None:
        self.path = Path(app.doctreedir) / self.FILENAME
        self.key = f"{app.builder.name}:{Path(app.builder.outdir).resolve()}"
        self.data: dict[str, dict[str, Any]] = {"pages": {}, "states": {}}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and all(isinstance(loaded.get(k), dict)
                                                for k in ("pages", "states")):
                self.data = loaded
        except (OSError, ValueError):
            pass
        old = self.data["pages"].get(self.key)
        self.old: dict[str, str] = old if isinstance(old, dict) else {}
        self.state = str(self.data["states"].get(self.key, ""))
        self.fresh: dict[str, str] = {}

    def update(self, pagename: str, digest: str) -> bool:
        """Record a page's fingerprint; whether it differs from the one last written."""
        self.fresh[pagename] = digest
        return self.old.get(pagename) != digest

    def save(self, state: str) -> None:
        if self.fresh == self.old and self.state == state:
            return
        self.data["pages"][self.key] = self.fresh
        self.data["states"][self.key] = state
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.data, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # only a cache: the next build writes every page again


def _evaluate_one(writer: PageWriter, plan: PagePlan) -> dict[str, Any]:
    return _naming_page(plan, "preparing", lambda: writer.evaluate(plan))


def _render_one(writer: PageWriter, plan: PagePlan, data: dict[str, Any]) -> Page:
    return _naming_page(plan, "rendering", lambda: writer.render(plan, data))


def _naming_page(plan: PagePlan, doing: str, work: Callable[[], T]) -> T:
    """``work()``, an unexpected failure raised as an ExtensionError naming the page."""
    try:
        return work()
    except SphinxError:
        raise
    except Exception as exc:
        raise ExtensionError(
            f"sphinx-blogposts failed while {doing} {plan.pagename!r} "
            f"({plan.template}): {exc.__class__.__name__}: {exc}",
            orig_exc=exc, modname="sphinx_blogposts",
        ) from exc


@guard(lambda app, env: "planning the generated blog pages")
def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """After reading: drop outputs that are gone and decide which pages to rewrite.

    Runs before the environment is saved, so what is recorded here survives to the next
    build.  Returns documents to rewrite because the blog sidebars they show changed.
    """
    if not has_pages(app.builder):
        return []
    remove_stale_outputs(app)
    return plan_page_writes(app)


def remove_stale_outputs(app: Sphinx) -> None:
    """Delete what an earlier build wrote and this one no longer would.

    Generated pages that are gone (a tag no longer used, a shorter index), and posts that
    were deleted or became hidden drafts: a retracted post must not stay online.
    """
    env = app.env
    index = get_index(env)
    hidden = hidden_docs(env)
    posts = {p for p in index.posts if p not in hidden}
    key = app.builder.name
    previous = index.outputs.get(key, set())
    names = page_names(env)
    # the blogs' folders: their feeds are written after the environment is saved, so a
    # move of a whole blog (its path) is noticed here, and its old feeds removed
    current = ({f"page:{p}" for p in names} | {f"post:{p}" for p in posts}
               | {f"feeds:{blog.path}" for blog in get_blogs(app.config).listed()})
    taken = {urls.output_name(env, d) for d in env.all_docs}
    taken.update(urls.output_name(env, p) for p in names)
    current.update(f"redirect:{old}" for old in redirects.plan(app, taken))
    for entry in sorted(previous - current):
        kind, name = entry.split(":", 1)
        if kind == "feeds":
            if has_pages(app.builder):
                feeds.remove_stale(Path(app.builder.outdir), name, set())
            continue
        if kind == "redirect":
            if urls.output_name(env, name) not in taken:
                redirects.remove(app, name)
            continue
        if name in env.all_docs and name not in hidden:
            continue  # a document that is no longer a post (or a page's name): Sphinx writes it
        _remove_output(app, name, sources=kind == "post")
    index.outputs[key] = current


def plan_page_writes(app: Sphinx) -> list[str]:
    """Documents to write again because the blog sidebars they show changed.

    Decided after reading, before Sphinx saves the environment; which generated pages to
    write is decided as they are rendered (see :func:`collect_pages`).
    """
    env = app.env
    index = get_index(env)
    sidebars = sidebar_fingerprint(app, get_views(env))
    key = app.builder.name
    changed_sidebars = sidebars is not None and index.sidebars.get(key) != sidebars
    index.sidebars[key] = sidebars
    # the other extensions' pages show the sidebars and carry the site's configuration;
    # their record outlives the environment (a configuration change makes a fresh one)
    foreign.refresh(app, set(page_names(env)),
                    repr((build_signature(app), sidebars, navigation_digest(env),
                          *(blog.path for blog in get_blogs(app.config).listed()))))
    # posts in the site's toctrees: one added, moved, retitled or withdrawn changes every
    # page's navigation, which Sphinx leaves stale in the documents it did not re-read
    navigation = navigation_digest(env, index.posts)
    changed_navigation = index.navigation.get(key, navigation) != navigation
    index.navigation[key] = navigation
    if (changed_sidebars and key in index.sidebars_seen) or changed_navigation:
        # every page shows the sidebars: documents too
        hidden = hidden_docs(env)
        return sorted(d for d in env.found_docs if d not in hidden)
    index.sidebars_seen.add(key)
    return []


def _remove_output(app: Sphinx, name: str, *, sources: bool) -> None:
    """Delete one page's output file (and its copied source), never outside the outdir."""
    builder = app.builder
    outdir = Path(builder.outdir).resolve()
    targets = [Path(builder.get_outfilename(name))]  # type: ignore[attr-defined]
    if sources:
        suffix = str(app.config.html_sourcelink_suffix or "")
        for source_suffix in app.config.source_suffix:
            targets.append(outdir / "_sources" / f"{name}{source_suffix}{suffix}")
    for target in targets:
        path = target.resolve()
        if path.is_file() and path.is_relative_to(outdir):
            path.unlink()


def copy_static(app: Sphinx) -> None:
    """Copy the stylesheet before pages are written (their ``?v=`` checksum reads it),
    leaving the file alone when it is already current."""
    if app.builder.format != "html":
        return
    target_dir = Path(app.builder.outdir) / "_static"
    target_dir.mkdir(parents=True, exist_ok=True)
    for source in STATIC.iterdir():
        target = target_dir / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)


def add_templates(app: Sphinx) -> None:
    """Append the extension's templates after the theme's, so themes and users override."""
    templates = getattr(app.builder, "templates", None)
    loaders = getattr(templates, "loaders", None)
    if templates is None or loaders is None:
        return

    loaders.append(SphinxFileSystemLoader(str(TEMPLATES)))
    # the same templates under a name of their own, for a theme's template of the same name
    # to extend them: {% extends "blogposts-base/blogposts/page/list.html" %}
    loaders.append(jinja2.PrefixLoader({BASE_PREFIX: SphinxFileSystemLoader(str(TEMPLATES))}))
    if hasattr(templates, "pathchain"):
        templates.pathchain.append(str(TEMPLATES))
    environment = getattr(templates, "environment", None)
    if isinstance(environment, jinja2.Environment) and environment.bytecode_cache is None:
        # compiled once, not in every build: Sphinx's cache folder, never part of the site
        environment.bytecode_cache = OwnTemplatesCache(
            Path(app.doctreedir) / "blogposts-templates", TEMPLATES, __version__)
