"""The ``sphinx_blogposts`` HTML theme (entry point ``sphinx.html_themes``).

The templates and the stylesheet do the work; this module registers the theme, adds its
script, checks its options once per build and hands the templates the options in a tidy
form (``bp_theme`` in every page's context).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base.config import get_config
from ..base.diagnostics import Subtype, warn
from ..model.urls import blog_index
from ..model.views import blog_of, get_view
from ..write.plans import page_blogs

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

THEME_NAME = "sphinx_blogposts"
THEME_DIR = Path(__file__).parent / THEME_NAME
SCHEMES = ("auto", "light", "dark")
LINK_LISTS = ("nav_links", "social_links")

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
#: what may stand in a ``style`` element as a colour: no ``;``, braces or angle brackets
_SAFE_COLOUR = re.compile(r"[#(),.%\w\s-]+")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the theme, and the extension with it: the theme shows its nodes and pages."""
    app.setup_extension("sphinx_blogposts")
    app.add_html_theme(THEME_NAME, str(THEME_DIR))
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def uses_theme(app: Sphinx) -> bool:
    """Whether this build's HTML theme is this one or inherits from it."""
    theme = getattr(app.builder, "theme", None)
    if theme is None:
        return False
    try:
        dirs = [Path(d).resolve() for d in theme.get_theme_dirs()]
    except (AttributeError, TypeError, OSError):
        return str(getattr(theme, "name", "")) == THEME_NAME
    return THEME_DIR.resolve() in dirs


def _builder_inited(app: Sphinx) -> None:
    if not uses_theme(app):
        return
    app.add_js_file("sphinx_blogposts.js", loading_method="defer")
    check_options(dict(app.config.html_theme_options or {}))


def check_options(options: dict[str, Any]) -> None:
    """Warn (``blogposts.config``) once per build about a theme option of the wrong shape."""

    def _warn(option: str, expected: str, value: Any) -> None:
        warn(Subtype.config,
             f"html_theme_options[{option!r}] should be {expected}, not {value!r}; ignored")

    scheme = options.get("color_scheme", "auto")
    if scheme not in SCHEMES:
        _warn("color_scheme", "one of 'auto', 'light', 'dark'", scheme)
    for name in LINK_LISTS:
        value = options.get(name, [])
        if not _links_ok(value):
            _warn(name, "a list of {'label': ..., 'url': ...}", value)
    for name in ("accent_color", "logo", "footer_text"):
        value = options.get(name, "")
        if not isinstance(value, str):
            _warn(name, "a string", value)
    accent = options.get("accent_color", "")
    if isinstance(accent, str) and accent and not _SAFE_COLOUR.fullmatch(accent):
        _warn("accent_color", "a CSS colour", accent)


def _links_ok(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(item, dict) and isinstance(item.get("label"), str) and item["label"]
        and isinstance(item.get("url"), str) and item["url"]
        for item in value
    )


def _is_url(target: str) -> bool:
    return "://" in target or target.startswith(("/", "#", "mailto:", "data:", "?"))


def link_href(target: str, pathto: Callable[..., str]) -> str:
    """A link option's target: a URL as it is, a file (``x.html``) or a docname relative."""
    if _is_url(target):
        return target
    base, sep, fragment = target.partition("#")
    if base.endswith((".html", ".xml", ".json", ".txt")) or "." in base.rsplit("/", 1)[-1]:
        href = pathto(base, 1)
    else:
        href = pathto(base)
    return href + sep + fragment


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _mix_white(colour: str, share: float) -> str:
    """``#rrggbb`` mixed with white (``share`` of white): the accent on dark backgrounds."""
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    rgb = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


def accent_style(accent: str) -> str:
    """The ``:root`` custom properties for an ``accent_color``, or "" for the theme's own."""
    accent = accent.strip()
    if not accent or not _SAFE_COLOUR.fullmatch(accent):
        return ""
    dark = _mix_white(accent, 0.55) if _HEX.fullmatch(accent) else accent
    return f":root{{--bp-accent:{accent};--bp-accent-dark:{dark}}}"


def theme_context(context: dict[str, Any], blog_index: str = "",
                  in_blog: bool = False) -> dict[str, Any]:
    """The theme options of one page, checked and with their links resolved.

    A link to the page itself is marked ``aria-current="page"``; otherwise the link of the
    section the page is in (the most specific ``<folder>/index`` above it, or the blog's
    index for any blog page: a post, a generated page) is marked ``aria-current="true"``.
    """
    pathto: Callable[..., str] = context["pathto"]
    pagename = str(context.get("pagename", ""))
    scheme = context.get("theme_color_scheme", "auto")

    def section(target: str) -> int:
        """How deep the section of a link to ``target`` is, if the page is in it, else -1."""
        if in_blog and target == blog_index:
            return max(len(target) - len("index"), 1)
        if target.endswith("/index") and pagename.startswith(target[: -len("index")]):
            return len(target) - len("index")
        return -1

    def links(name: str) -> list[dict[str, Any]]:
        value = context.get(f"theme_{name}") or []
        if not _links_ok(value):
            return []
        targets = ["" if _is_url(item["url"]) else item["url"].split("#")[0]
                   for item in value]
        marks = [""] * len(value)
        if pagename in targets:
            marks[targets.index(pagename)] = "page"
        else:
            depth = [section(t) if t else -1 for t in targets]
            if max(depth, default=-1) >= 0:
                marks[depth.index(max(depth))] = "true"
        return [{"label": item["label"], "href": link_href(item["url"], pathto),
                 "current": mark} for item, mark in zip(value, marks, strict=True)]

    logo = context.get("theme_logo") or ""
    if isinstance(logo, str) and logo:
        logo_href = logo if _is_url(logo) else pathto(logo, 1)
    else:
        logo_href = str(context.get("logo_url") or "")
    footer_text = context.get("theme_footer_text") or ""
    accent = context.get("theme_accent_color") or ""
    return {
        "scheme": scheme if scheme in SCHEMES else "auto",
        "accent_style": accent_style(accent) if isinstance(accent, str) else "",
        "logo": logo_href,
        "nav_links": links("nav_links"),
        "social_links": links("social_links"),
        "footer_text": footer_text if isinstance(footer_text, str) else "",
        "show_sidebar": _to_bool(context.get("theme_show_sidebar", True)),
    }


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "pathto" in context and uses_theme(app):

        env = app.env
        blog = get_config(app.config, blog_of(env, pagename))  # the page's own
        in_blog = (pagename in get_view(env, blog.key).by_doc
                   or page_blogs(env).get(pagename) == blog.key)
        context["bp_theme"] = theme_context(context, blog_index(blog), in_blog)
