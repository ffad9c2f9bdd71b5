"""The compatibility matrix: the oldest and newest Sphinx, docutils and myst-parser we support.

The newest versions are what ``scripts/test.sh`` installs in ``.venv`` and tests first; these
sessions test the older lines on the machine's Python.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

MATRIX = {
    # name: (sphinx, docutils, myst-parser)
    "sphinx7.4-docutils0.20-myst3": ("sphinx==7.4.*", "docutils==0.20.*", "myst-parser==3.*"),
    "sphinx8.2-docutils0.21-myst4": ("sphinx==8.2.*", "docutils==0.21.*", "myst-parser==4.*"),
}


@nox.session(python=False, name="compat")
@nox.parametrize("combo", list(MATRIX))
def compat(session: nox.Session, combo: str) -> None:
    """Run the test suite against one older combination of Sphinx, docutils and myst-parser."""
    venv = f".nox/{combo}"
    session.run("python3", "-m", "venv", venv, external=True)
    pip = [f"{venv}/bin/python", "-m", "pip", "install", "--quiet"]
    session.run(*pip, "-e", ".[test]", external=True)
    session.run(*pip, *MATRIX[combo], external=True)
    session.run(f"{venv}/bin/python", "-m", "pip", "list", "--format=freeze", external=True,
                silent=True)
    session.run(f"{venv}/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                "--ignore", "tests/test_browser.py", "--ignore", "tests/test_themes.py",
                "--ignore", "tests/test_other_themes.py",
                # the kitchen sink needs the themes extras (myst-nb, sphinx-design); the real
                # ABlog sites are compared on the newest stack, which both of their builds use
                "--ignore", "tests/test_kitchensink.py",
                "--ignore", "tests/test_real_ablog_sites.py",
                # the docs' snippets name the themes and myst-nb (the themes extras), and
                # Furo's own docs (the real-docs rebuild matrix) build on Furo's Sphinx
                "--ignore", "tests/test_doc_snippets.py",
                "--ignore", "tests/test_real_docs_rebuilds.py",
                *session.posargs, external=True)
