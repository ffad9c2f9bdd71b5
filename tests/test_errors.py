"""Internal failures name what was being processed (the error taxonomy's third kind)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from helpers import build, copy_root


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("simulated bug")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("sphinx_blogposts.model.collector.finish_post", "collecting the blog data of"),
        ("sphinx_blogposts.read.reader.read_metadata", "reading the post metadata of"),
        ("sphinx_blogposts.write.render.Renderer.header", "filling in the blog content of"),
        ("sphinx_blogposts.write.plans.PageWriter.render", "while rendering 'blog/"),
    ],
)
def test_internal_failure_names_the_post(
    monkeypatch: pytest.MonkeyPatch, rootdir: Path, tmp_path: Path, target: str, expected: str
) -> None:
    monkeypatch.setattr(target, boom)
    with pytest.raises(ExtensionError) as info:
        build(copy_root(rootdir, "basic", tmp_path))
    message = str(info.value)
    assert "sphinx-blogposts failed while" in message
    assert expected in message
    assert "simulated bug" in message
    if "blog data" in expected or "metadata" in expected or "content" in expected:
        assert "'blog/posts/" in message or "'reference'" in message or "'notes/" in message
