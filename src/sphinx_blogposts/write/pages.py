"""The generated pages (blog index, categories, tags, authors, archive), written through
``html-collect-pages`` with the site's own ``page.html``, so they sit inside any theme.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from docutils import nodes
from markupsafe import Markup
from sphinx.errors import ExtensionError, SphinxError
from sphinx.locale import __, get_translation
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinx.util.osutil import relative_uri

from ..base.config import BlogConfig, get_config
from ..base.dates import format_month
from ..base.diagnostics import Subtype, guard, warn
from ..model import urls
from ..model.blog import BlogView, Post, by_year, get_index
from ..model.collector import get_view
from . import feeds, foreign, redirects
from .render import Card, excerpt_html, make_card
from .resolve import has_pages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_blogposts")

STATIC = Path(__file__).parent.parent / "static"
TEMPLATES = Path(__file__).parent.parent / "templates"
logger = logging.getLogger(__name__)
Page = tuple[str, dict[str, Any], str]
T = TypeVar("T")


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


@dataclass(frozen=True)
class PagePlan:
    """A generated page to write: its name, title, body template and context."""

    pagename: str
    title: str
    template: str
    ctx: dict[str, Any]


class PageContext:
    """Turns cards into template data with URLs relative to one generated page."""

    def __init__(self, app: Sphinx, view: BlogView, pagename: str) -> None:
        self.app = app
        self.view = view
        self.pagename = pagename
        self.base = urls.target_uri(app.builder, pagename)
        self._urls: dict[str, str] = {}

    def url(self, target: str) -> str:
        """A link from this page; each target's link is computed once per page ("" for
        no page)."""
        if not target:
            return ""
        url = self._urls.get(target)
        if url is None:
            url = self._urls[target] = urls.relative(self.app.builder, self.pagename, target)
        return url

    def image_url(self, image: str) -> str:
        if not image:
            return ""
        if urls.is_external(image):
            return image
        entry = self.app.env.images.get(image) if hasattr(self.app.env.images, "get") else None
        if not entry:
            return ""
        return relative_uri(self.base, f"{self.app.builder.imagedir}/{entry[1]}")

    def asset_url(self, path: str) -> str:
        """A URL as it is; a relative path (an author's avatar) is relative to the site root."""
        if not path or "://" in path or path.startswith(("/", "data:", "#")):
            return path
        return relative_uri(self.base, path)

    def card(self, card: Card) -> dict[str, Any]:
        return Record({
            "url": card.external or self.url(card.docname),
            "title": card.title,
            "date_iso": card.date_iso,
            "date_text": card.date_text,
            "updated_iso": card.updated_iso,
            "updated_text": card.updated_text,
            "authors": [Record(name=a.name, url=self.url(a.page)) for a in card.authors],
            "categories": [Record(name=c.name, url=self.url(c.page)) for c in card.categories],
            "tags": [Record(name=t.name, url=self.url(t.page)) for t in card.tags],
            "minutes": card.minutes,
            "minutes_text": _("%d min read") % card.minutes,
            # HTML, marked safe: a template's ``|e`` leaves it as it is
            "excerpt": [Markup(excerpt_html(p)) for p in card.excerpt],
            "image_url": self.image_url(card.image),
            "image_alt": card.image_alt,
            "status": card.status,
            "pinned": card.pinned,
        })

    def cards(self, posts: list[Post]) -> list[dict[str, Any]]:
        return [self.card(make_card(self.view, p)) for p in posts]

    def entries(self, posts: list[Post]) -> list[dict[str, str]]:
        """Dated titles (the archive, a tag's page): a line each, not a card."""
        view = self.view
        return [Record(url=p.external_link or self.url(p.key), title=p.title,
                       date_iso=(card := make_card(view, p)).date_iso,
                       date_text=card.date_short, status=card.status)
                for p in posts]


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
    import jinja2

    bridge = builder.templates
    cached: Callable[[str, dict[str, Any]], str] | None = getattr(bridge, "_blogposts_render",
                                                                    None)
    if cached is not None:
        return cached
    from sphinx.jinja2glue import BuiltinTemplateLoader

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


def paginate(posts: list[Post], size: int) -> list[list[Post]]:
    """Pages of ``size`` posts; an empty blog still has one (empty) page."""
    return [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]


def _pagination(pc: PageContext, page: int, total: int, name_of: Any) -> dict[str, Any]:
    window = sorted({1, total, *range(max(1, page - 2), min(total, page + 2) + 1)})
    return {
        "current": page,
        "total": total,
        "prev": pc.url(name_of(page - 1)) if page > 1 else "",
        "next": pc.url(name_of(page + 1)) if page < total else "",
        "pages": [
            {"number": n, "url": pc.url(name_of(n)), "current": n == page} for n in window
        ],
    }


def _render_description(app: Sphinx, pagename: str, body: tuple[Any, ...]) -> str:
    """A category directive's body as HTML for a generated page."""
    if not body:
        return ""
    doc = new_document("<blogposts>")
    doc.settings.env = app.env
    for child in body:
        doc += child.deepcopy()
    try:
        app.env.apply_post_transforms(doc, pagename)
        render = app.builder.render_partial  # type: ignore[attr-defined]
        return "".join(str(render(child)["fragment"]) for child in doc.children)
    except Exception:
        return "".join(f"<p>{html.escape(child.astext())}</p>" for child in body
                       if isinstance(child, nodes.Element))


def _text_description(text: str) -> str:
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)


class PageWriter:
    """Yields every generated page for one build."""

    def __init__(self, env: BuildEnvironment, app: Sphinx | None = None) -> None:
        self.env = env
        self._app = app
        self.cfg: BlogConfig = get_config(env.config)
        self.view = get_view(env)
        #: (generated page, the document written to its output file instead)
        self.collisions: list[tuple[str, str]] = []
        self._outputs: dict[str, str] | None = None

    def page(self, pagename: str, title: str, template: str, **ctx: Any) -> PagePlan | None:
        """Plan one page; nothing is rendered until :meth:`render` (so planning is cheap)."""
        if self._outputs is None:  # output name -> the document writing it
            env = self.env
            self._outputs = {urls.output_name(env, d): d for d in env.all_docs}
        document = self._outputs.get(urls.output_name(self.env, pagename))
        if document is not None:
            self.collisions.append((pagename, document))
            return None
        return PagePlan(pagename, title, template, ctx)

    def plans(self) -> Iterator[PagePlan]:
        for plan in self.pages():
            if plan is not None:
                yield plan

    @property
    def app(self) -> Sphinx:
        """Rendering needs the application (builder, templates); planning does not."""
        assert self._app is not None
        return self._app

    def evaluate(self, plan: PagePlan) -> dict[str, Any]:
        """The template context of a page, with its URLs: what its fingerprint is made of."""
        pc = PageContext(self.app, self.view, plan.pagename)
        data = {"blog": self.blog_links(pc), "title": plan.title, **plan.ctx}
        for key, value in list(data.items()):
            if callable(value):
                data[key] = value(pc)
        return data

    def render(self, plan: PagePlan, data: dict[str, Any] | None = None) -> Page:
        if data is None:
            data = self.evaluate(plan)
        from ..base.i18n import direction, gettext

        # the extension's catalog: ``_bp`` in its templates, and ``_`` (falling back to
        # Sphinx's catalog) for a theme's copy of them that still says ``_``
        data = {**data, "_bp": gettext, "_": gettext,
                "blogposts_dir": direction(self.cfg.language)}
        body = body_renderer(self.app.builder)(plan.template, data)
        # ``title`` is HTML in Sphinx's page context (breadcrumbs, <title> via striptags)
        return plan.pagename, {"title": html.escape(plan.title, quote=False), "body": body,
                               "blogposts_page": plan.template, "display_toc": False}, "page.html"

    def blog_links(self, pc: PageContext) -> dict[str, str]:
        cfg = self.cfg
        return {
            "title": cfg.title,
            "index": pc.url(urls.blog_index(cfg)),
            "categories": pc.url(urls.category_index(cfg)),
            "tags": pc.url(urls.tag_index(cfg)),
            "authors": pc.url(urls.author_index(cfg)),
            "archive": pc.url(urls.archive(cfg)),
            "series": pc.url(urls.series_index(cfg)) if self.view.series_names else "",
        }

    @staticmethod
    def years(pc: PageContext, posts: list[Post]) -> list[dict[str, Any]]:
        """A tag's or an author's posts as dated titles under their year."""
        return [Record(year=year, posts=pc.entries(group)) for year, group in by_year(posts)]

    def listing(self, posts: list[Post], name_of: Any, title: str, heading: str,
                description: Any = "", kind: str = "index",
                image: Any = "", meta: str = "") -> Iterator[PagePlan | None]:
        """A paginated list; ``meta`` is the description its link previews give on every
        page (see ``seo._social``), part of each page's fingerprint though page 1 alone
        shows it, as is ``image``."""
        chunks = paginate(posts, self.cfg.posts_per_page)
        total = len(chunks)
        for number, chunk in enumerate(chunks, start=1):
            page_title = title if number == 1 else _("%s (page %d)") % (title, number)
            yield self.page(
                name_of(number), page_title, "blogposts/page/list.html",
                heading=heading,
                kind=kind,
                description=description if number == 1 else "",
                image=image if number == 1 else "",
                meta=((lambda pc, i=image: (meta, i(pc) if callable(i) else i))
                      if number > 1 else ""),
                posts=lambda pc, chunk=chunk: pc.cards(chunk),
                pagination=lambda pc, n=number, t=total: _pagination(pc, n, t, name_of),
                count=len(posts),
            )

    def pages(self) -> Iterator[PagePlan | None]:
        cfg, view = self.cfg, self.view
        yield from self.listing(view.index_order, lambda n: urls.blog_index(cfg, n), cfg.title,
                                cfg.title, _text_description(cfg.description))

        def category_entry(pc: PageContext, name: str) -> dict[str, Any]:
            decl = view.category_decls.get(name)
            return {
                "name": name,
                "url": pc.url(urls.category(cfg, view.category_slugs[name])),
                "image_url": pc.image_url(decl.image) if decl else "",
                "description": decl.description if decl else cfg.categories.get(name, ""),
                "count": len(view.category_posts.get(name, [])),
            }

        yield self.page(
            urls.category_index(cfg), _("Categories"), "blogposts/page/categories.html",
            categories=lambda pc: [category_entry(pc, n) for n in view.category_names],
        )
        for name in view.category_names:
            slug = view.category_slugs[name]
            decl = view.category_decls.get(name)

            def describe(pc: PageContext, decl: Any = decl, name: str = name) -> str:
                if decl is not None and decl.body:
                    return _render_description(self.app, pc.pagename, decl.body)
                return _text_description(cfg.categories.get(name, ""))

            yield from self.listing(
                view.category_posts.get(name, []),
                lambda n, slug=slug: urls.category(cfg, slug, n),
                _("Category: %s") % name, name, describe, kind="category",
                image=(lambda pc, decl=decl: pc.image_url(decl.image)) if decl else "",
                meta=decl.description if decl else cfg.categories.get(name, ""),
            )
        yield self.page(
            urls.tag_index(cfg), _("Tags"), "blogposts/page/tags.html",
            tags=lambda pc: [
                {"name": t, "url": pc.url(urls.tag(cfg, view.tag_slugs[t])),
                 "count": len(view.tag_posts[t])}
                for t in view.tag_names
            ],
        )
        for tag in view.tag_names:
            # one page however many posts (like an author's): a tag is for finding posts, so
            # dated titles by year read faster than pages of cards, and a blog has many tags
            tagged = view.tag_posts[tag]
            yield self.page(
                urls.tag(cfg, view.tag_slugs[tag]), _("Tag: %s") % tag, "blogposts/page/tag.html",
                heading=_("Tag: %s") % tag, kind="tag", count=len(tagged),
                years=lambda pc, tagged=tagged: self.years(pc, tagged),
            )
        yield self.page(
            urls.author_index(cfg), _("Authors"), "blogposts/page/authors.html",
            authors=lambda pc: [
                {"name": view.authors[k].name,
                 "url": pc.url(urls.author(cfg, view.authors[k].slug)),
                 "avatar": pc.asset_url(view.authors[k].avatar), "link": view.authors[k].url,
                 "count": len(view.author_posts[k])}
                for k in view.author_keys
            ],
        )
        for key in view.author_keys:
            info = view.authors[key]
            written = view.author_posts[key]
            yield self.page(
                urls.author(cfg, info.slug), _("Posts by %s") % info.name,
                "blogposts/page/author.html", heading=info.name, kind="author",
                count=len(written),
                author=lambda pc, info=info: {"name": info.name, "url": info.url,
                                              "avatar": pc.asset_url(info.avatar)},
                years=lambda pc, written=written: self.years(pc, written),
            )
        yield from self.series_pages()
        yield from self.facet_pages()
        if cfg.drafts == "unlisted":
            yield self.page(urls.drafts(cfg), _("Drafts"), "blogposts/page/drafts.html",
                            count=len(view.drafts),
                            posts=lambda pc: pc.entries(view.drafts))
        yield self.page(
            urls.archive(cfg), _("Archive"), "blogposts/page/archive.html",
            years=lambda pc: [
                Record(year=year, months=[
                    Record(name=format_month(year, month, cfg.language), posts=pc.entries(posts))
                    for month, posts in months
                ])
                for year, months in view.archive()
            ],
        )


    def facet_pages(self) -> Iterator[PagePlan | None]:
        """Languages and locations, as tags: an index and one page each (when any post has
        one; a blog that uses neither gets no such pages)."""
        cfg, view = self.cfg, self.view
        labels = {"language": (_("Languages"), _("Language: %s")),
                  "location": (_("Locations"), _("Location: %s"))}
        for kind, (plural, one) in labels.items():
            keys = view.facet_keys.get(kind, [])
            if not keys:
                continue
            yield self.page(
                urls.facet_index(cfg, kind), plural, "blogposts/page/tags.html",
                heading=plural, kind=kind,
                tags=lambda pc, kind=kind, keys=keys: [
                    {"name": view.facet_name(kind, k),
                     "url": pc.url(urls.facet(cfg, kind, view.facet_slug(kind, k))),
                     "count": len(view.facet_posts[kind][k])}
                    for k in keys
                ],
            )
            for key in keys:
                name = view.facet_name(kind, key)
                posts = view.facet_posts[kind][key]
                yield self.page(
                    urls.facet(cfg, kind, view.facet_slug(kind, key)), one % name,
                    "blogposts/page/tag.html", heading=one % name, kind=kind,
                    count=len(posts), years=lambda pc, posts=posts: self.years(pc, posts),
                )

    def series_pages(self) -> Iterator[PagePlan | None]:
        """``P/series/index`` and one page per series, its parts in reading order."""
        cfg, view = self.cfg, self.view
        if not view.series_names:
            return
        yield self.page(
            urls.series_index(cfg), _("Series"), "blogposts/page/series-index.html",
            series=lambda pc: [
                {"name": name,
                 "url": pc.url(urls.series(cfg, view.series_slugs[name])),
                 "count": len(view.series_posts[name]),
                 "parts": pc.cards(view.series_posts[name])}
                for name in view.series_names
            ],
        )
        for name in view.series_names:
            parts = view.series_posts[name]
            yield self.page(
                urls.series(cfg, view.series_slugs[name]), _("Series: %s") % name,
                "blogposts/page/series.html",
                heading=name,
                count=len(parts),
                posts=lambda pc, parts=parts: pc.cards(parts),
            )


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
    from sphinx.util.parallel import ParallelTasks

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
    from .. import __version__
    from ..model.collector import listing_digest

    writer = PageWriter(app.env, app)
    prints = PagePrints(app)
    signature = repr((__version__, build_signature(app), sidebar_fingerprint(app, writer.view),
                      navigation_digest(app.env)))
    state = hashlib.sha1(repr((signature, listing_digest(app.env))).encode("utf-8")).hexdigest()
    builder = app.builder
    plans = sorted(writer.plans(), key=lambda p: p.pagename)
    targets = {p.pagename: Path(builder.get_outfilename(p.pagename))  # type: ignore[attr-defined]
               for p in plans}
    if (prints.state == state and set(prints.old) == set(targets)
            and all(target.is_file() for target in targets.values())):
        return
    for plan in plans:
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


def page_names(env: BuildEnvironment) -> dict[str, str]:
    """Name -> title of the pages this build generates (cached while the index is unchanged)."""
    view = get_view(env)
    names: dict[str, str] | None = view.__dict__.get("_page_names")
    if names is None:
        names = {p.pagename: p.title for p in PageWriter(env).plans()}
        view.__dict__["_page_names"] = names
    return names


def warn_collisions(app: Sphinx) -> None:
    """A document where a generated page belongs wins; say so once per build."""
    if not has_pages(app.builder):
        return
    writer = PageWriter(app.env)
    for _plan in writer.plans():
        pass
    for page, document in sorted(writer.collisions):
        where = "stands where" if page == document else "is written to the file of"
        warn(Subtype.slug,
             f"the document {document!r} {where} the blog's generated page {page!r}; the "
             "document is kept and the generated page is not written (change "
             "blogposts_path?)", (document, 1))


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
    view = get_view(env)
    posts = {p for p in index.posts if p not in view.hidden}
    key = app.builder.name
    previous = index.outputs.get(key, set())
    names = page_names(env)
    # the blog's folder: its feeds are written after the environment is saved, so a move
    # of the whole blog (``blogposts_path``) is noticed here, and its old feeds removed
    current = ({f"page:{p}" for p in names} | {f"post:{p}" for p in posts}
               | {f"feeds:{get_config(app.config).path}"})
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
        if name in env.all_docs and name not in view.hidden:
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
    view = get_view(env)
    sidebars = sidebar_fingerprint(app, view)
    key = app.builder.name
    changed_sidebars = sidebars is not None and index.sidebars.get(key) != sidebars
    index.sidebars[key] = sidebars
    # the other extensions' pages show the sidebars and carry the site's configuration;
    # their record outlives the environment (a configuration change makes a fresh one)
    foreign.refresh(app, set(page_names(env)),
                    repr((build_signature(app), sidebars, navigation_digest(env),
                          get_config(app.config).path)))
    # posts in the site's toctrees: one added, moved, retitled or withdrawn changes every
    # page's navigation, which Sphinx leaves stale in the documents it did not re-read
    navigation = navigation_digest(env, index.posts)
    changed_navigation = index.navigation.get(key, navigation) != navigation
    index.navigation[key] = navigation
    if (changed_sidebars and key in index.sidebars_seen) or changed_navigation:
        # every page shows the sidebars: documents too
        return sorted(d for d in env.found_docs if d not in view.hidden)
    index.sidebars_seen.add(key)
    return []


def build_signature(app: Sphinx) -> tuple[str, float]:
    """What makes every page change: the configuration and the templates."""
    builder = app.builder
    info = getattr(builder, "build_info", None)
    config_hash = str(getattr(info, "config_hash", "")) or str(
        getattr(builder, "config_hash", ""))
    templates = getattr(builder, "templates", None)
    try:
        mtime = float(templates.newest_template_mtime()) if templates is not None else 0.0
    except (AttributeError, ValueError, OSError):
        mtime = 0.0
    return config_hash, mtime


def navigation_digest(env: BuildEnvironment, posts: Container[str] | None = None) -> str:
    """A digest of the site navigation every page carries (the toctrees, their entries'
    titles and numbers): a post moved or a page renamed changes the generated pages' too,
    though Sphinx writes only the documents it re-read.  With ``posts``, only the entries
    that are posts count (what the blog changes in the documents' navigation)."""
    titles = env.titles
    includes = sorted(env.toctree_includes.items())
    if posts is not None:
        includes = [(doc, [d for d in docs if d in posts]) for doc, docs in includes]
        includes = [(doc, docs) for doc, docs in includes if docs]
    entries = sorted({d for _doc, docs in includes for d in docs})
    data = (includes, [(d, titles[d].astext() if d in titles else "") for d in entries],
            [] if posts is not None else
            sorted((d, sorted(n.items())) for d, n in env.toc_secnumbers.items()))
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


def sidebar_fingerprint(app: Sphinx, view: BlogView) -> str | None:
    """A digest of what the blog sidebars show, or None when no page shows them."""
    names: set[str] = set()
    for value in (app.config.html_sidebars or {}).values():
        names.update([value] if isinstance(value, str) else value)
    theme = getattr(app.builder, "theme", None)
    names.update(getattr(theme, "sidebar_templates", None) or ())
    theme_name = str(getattr(theme, "name", ""))
    if not any(n.startswith("blogposts/") for n in names) and theme_name != "sphinx_blogposts":
        return None
    from .sidebars import MAX_RECENT

    data = (
        [(p.key, p.title, p.date.isoformat()) for p in view.newest[:MAX_RECENT]],
        [(n, view.category_slugs[n], len(view.category_posts.get(n, [])))
         for n in view.category_names],
        [(t, view.tag_slugs[t], len(view.tag_posts[t])) for t in view.tag_names],
        [(y, [(m, len(ps)) for m, ps in months]) for y, months in view.archive()],
        [(k, view.authors[k].name, view.authors[k].slug, len(view.author_posts.get(k, [])))
         for k in view.author_keys],
        [(kind, [(k, view.facet_name(kind, k), len(view.facet_posts[kind][k]))
                 for k in keys]) for kind, keys in sorted(view.facet_keys.items())],
    )
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


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
    from sphinx.jinja2glue import SphinxFileSystemLoader

    loaders.append(SphinxFileSystemLoader(str(TEMPLATES)))
    if hasattr(templates, "pathchain"):
        templates.pathchain.append(str(TEMPLATES))
