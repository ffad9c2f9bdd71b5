"""Templated Atom feeds (``blogposts_feed_templates``, ABlog's ``blog_feed_templates``).

Each named template set gives every Atom feed of the blog a sibling ``<name>.xml`` whose
entries' title and content come from Jinja templates (a "social" feed of titles and hashtags
for a bot that posts them); the name ``atom`` templates ``atom.xml`` itself.  The templates are
the site's, run in Jinja's sandbox; in content, every value is HTML-escaped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

if TYPE_CHECKING:
    from jinja2 import Template

    from ..model.posts import Post
    from ..model.view import BlogView

#: what a template set may give
PARTS = ("title", "content")


def check(value: Any) -> dict[str, dict[str, str]]:
    """The templates as ``{name: {"title": ..., "content": ...}}``; ValueError when they are
    not, or do not compile (the build must not start with a broken feed)."""
    if not isinstance(value, Mapping):
        raise ValueError("a dict of feed name -> {'title': template, 'content': template}")
    result: dict[str, dict[str, str]] = {}
    for name, parts in value.items():
        if (not isinstance(name, str) or not name.strip() or "/" in name
                or not isinstance(parts, Mapping)):
            raise ValueError(f"{name!r}: a feed name (no '/') -> a dict of templates")
        if name == "rss":  # rss.xml is the RSS feed's file
            raise ValueError("'rss' names the RSS feed's file; choose another name")
        result[name] = {}
        for part, text in parts.items():
            if part not in PARTS or not isinstance(text, str):
                raise ValueError(f"{name!r}: only 'title' and 'content', each a template string")
            try:
                _environment(part).from_string(text)
            except TemplateError as exc:
                raise ValueError(f"{name!r} {part}: {exc}") from exc
            result[name][part] = text
    return result


def _environment(part: str) -> SandboxedEnvironment:
    # content is HTML: values escaped; the title is text, escaped by the XML writer
    return SandboxedEnvironment(autoescape=part == "content")


class Templates:
    """The compiled template sets of one build."""

    def __init__(self, templates: dict[str, dict[str, str]]) -> None:
        self._sets: dict[str, dict[str, Template]] = {
            name: {part: _environment(part).from_string(text) for part, text in parts.items()}
            for name, parts in sorted(templates.items())
        }

    def extra(self) -> list[str]:
        """The names of the feeds written besides atom.xml."""
        return [name for name in self._sets if name != "atom"]

    def apply(self, name: str, view: BlogView, post: Post, entry: Any) -> Any:
        """``entry`` with the title and content the template set ``name`` gives."""
        parts = self._sets.get(name)
        if not parts:
            return entry
        context = {"title": post.title, "post": _post(view, post, entry)}
        changes = {part: template.render(context).strip() for part, template in parts.items()}
        return dataclasses.replace(entry, **changes)


def _post(view: BlogView, post: Post, entry: Any) -> dict[str, Any]:
    """What a template sees of a post (``post.tags`` items have a ``name``, as in ABlog)."""
    return {
        "title": post.title,
        "url": entry.url,
        "date": post.date.isoformat(),
        "tags": [{"name": t} for t in post.tags],
        "category": [{"name": c} for c in post.categories],
        "author": [{"name": view.authors[a].name} for a in post.authors if a in view.authors],
        "excerpt": "\n\n".join(view.excerpt_text(post)),
    }
