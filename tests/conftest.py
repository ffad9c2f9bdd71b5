"""Shared fixtures: Sphinx's own testing fixtures, with roots in tests/roots."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def pytest_configure(config: pytest.Config) -> None:
    """Warnings carry their ``[type.subtype]`` on Sphinx 7.x too (the default from 8.0)."""
    from sphinx.testing.util import SphinxTestApp

    original = SphinxTestApp.__init__
    if getattr(original, "_blogposts_patched", False):
        return

    def init(self: SphinxTestApp, *args: object, **kwargs: object) -> None:
        overrides = dict(kwargs.pop("confoverrides", None) or {})  # type: ignore[call-overload]
        overrides.setdefault("show_warning_types", True)
        original(self, *args, confoverrides=overrides, **kwargs)  # type: ignore[arg-type]

    init._blogposts_patched = True  # type: ignore[attr-defined]
    SphinxTestApp.__init__ = init  # type: ignore[method-assign]
