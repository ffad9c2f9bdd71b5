"""An incremental build equals a clean build on every output file of a real docs site.

The site is Furo 2025.12.19's own ``docs/`` (from its sdist on PyPI, cached by
``tests/real_sites.py``) with a blog added as ``docs/themes/furo.md`` says: the blog widgets in
Furo's sidebar on every page, nine posts written like documentation pages (admonitions,
``seealso``, cross-references to the site's pages, code blocks with captions, a figure, math,
``autofunction`` of a module of the site), two declared categories and one undeclared, and
two posts a page so that the blog index and a category have further pages.  The site keeps
its ``sphinx.ext.viewcode`` and ``autodoc``, so its output has ``_modules/`` pages, besides
``genindex``, ``py-modindex``, ``search`` and ``searchindex.js``.  ``tests/real_docs.py`` has
the recipe, the edits and the comparison.

Eleven steps (``real_docs.STEPS``: a post's title, date, category, tags, made a draft, deleted,
moved to another folder; a category declaration's description and image changed; one
declaration added and another removed; two config values; ``blogposts_path``) are applied one
after another to one source tree. After each, one clean serial build of the sources into a
fresh folder, and an incremental build in each mode (serial, ``-j 2``), each into its own
output folder kept from the previous step. Every file of the output is compared byte for byte,
but ``.doctrees`` and ``.buildinfo`` (see ``real_docs.EXCLUDED`` for why). The ``initial`` step
compares each mode's first (clean) build with the clean serial build: that two clean builds
agree is what lets one clean build per state serve both chains. The builds all run once, in a
module-scoped fixture; each (step, mode) is a test of its own, so one failing edit does not
hide the others, and a chain whose step differed goes on from a copy of the clean build.

Cost: 36 builds (12 clean serial, 12 serial and 12 ``-j 2``, the first of each chain clean),
189 to 199 files compared each time.  The clean and the serial build of a state run at the
same time, the ``-j 2`` build alone.  Measured on the project's 2-core machine, nothing else
running: the whole module 85 to 88 s (builds of 4 to 5 s, ``-j 2`` incremental ones 1.5 to
4 s); with the rest of the suite running beside it, builds take about twice as long (a first
version, without the clean and serial builds side by side, took 294 s then).
The fixture prints its table (``pytest -s``); a failing test's message ends with it.
"""

from __future__ import annotations

import pytest

import real_docs
from real_docs import INITIAL, MODES, STEPS, Chains

# each build has its own limit (real_docs.BUILD_TIMEOUT); the 36 builds take 1.5 minutes on 2
# idle cores, about 5 while other tests run, and the first run downloads Furo's sdist
pytestmark = pytest.mark.timeout(1500)


@pytest.fixture(scope="module")
def chains(tmp_path_factory: pytest.TempPathFactory) -> Chains:
    work = tmp_path_factory.mktemp("real-docs")
    done = real_docs.run_chains(work, progress=lambda line: print(line, flush=True))
    print(done.summary())
    return done


def test_the_site_is_what_the_comparisons_claim(chains: Chains) -> None:
    """The last state's source and output have what the docstring says is compared (the
    clean build of the first state is deleted once it matched, the chains' outputs stay)."""
    out = chains.src.parent.parent / "incremental-serial"
    for page in ("genindex.html", "py-modindex.html", "search.html", "searchindex.js",
                 "_modules/index.html", "_modules/blogdemo.html",
                 "_modules/furo/_demo_module.html", "news/index.html", "news/page/2.html",
                 "news/category/releases.html", "news/category/releases/page/2.html",
                 "news/atom.xml", "blog/posts/2025/reading-time.html"):
        assert (out / page).is_file(), page
    assert "blog/posts/2025/reading-time.html" in (
        out / "_modules/blogdemo.html").read_text(encoding="utf-8")
    assert "blogposts-sidebar-recent" in (
        out / "_modules/furo/_demo_module.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("step", [INITIAL, *STEPS], ids=lambda step: step.id)
def test_incremental_build_equals_clean_build(chains: Chains, step: real_docs.Step,
                                               mode: str) -> None:
    outcome = chains.outcomes[step.id, mode]
    assert outcome.files > 150 or outcome.message  # the whole site was compared
    assert not outcome.message, outcome.message + "\n\n" + chains.summary()
