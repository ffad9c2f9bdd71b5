"""The checks of single ``blogposts_*`` values: each returns the value in the form the
configuration keeps, or raises a ConfigError naming the option and saying what it takes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sphinx.errors import ConfigError

from .dates import check_pattern, parse_date
from .feed_templates import check as check_feed_templates

KEY_RE = re.compile(r"^[a-z0-9_-]+$")
#: taxonomies besides categories and tags (ABlog's languages and locations)
FACETS = ("language", "location")


@dataclass(frozen=True)
class Author:
    """A known author of ``blogposts_authors``."""

    key: str
    name: str
    url: str = ""
    avatar: str = ""



def fail(name: str, value: Any, expected: str) -> ConfigError:
    return ConfigError(
        f"The config value `{name}` must be {expected}; got {value!r} "
        f"(type {type(value).__name__})."
    )


def str_tuple(name: str, value: Any, *, allow_none: bool = True) -> tuple[str, ...]:
    if value is None and allow_none:
        return ()
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise fail(name, value, "a string or a list of strings")


def formats(name: str, value: Any) -> tuple[str, ...]:
    """strptime patterns: a list (a pattern may hold a comma, so a string is no list)."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise fail(name, value, "a list of strptime patterns such as ['%d.%m.%Y']")


def positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(name, value, "a positive int")
    return value


def count(name: str, value: Any) -> int:
    """A whole number of at least 0 (a string from ``-D name=2`` is accepted)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(name, value, "an int of at least 0")
    return value


def date_pattern(name: str, value: Any, language: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise fail(name, value, "a str (a Babel pattern) or None")
    try:
        return check_pattern(value, language)
    except ValueError as exc:
        raise fail(name, value, f"a Babel pattern such as 'd MMM' or a strftime pattern such "
                    f"as '%d %B' ({exc})") from exc


def now(value: Any) -> float | None:
    """``blogposts_now`` as a timestamp: an ISO 8601 date or datetime (``-D`` gives text)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    if not isinstance(value, str):
        raise fail("blogposts_now", value, "an ISO 8601 date such as '2026-01-01', or None")
    try:
        return parse_date(value).timestamp
    except ValueError:
        raise fail("blogposts_now", value,
                    "an ISO 8601 date such as '2026-01-01', or None") from None


def string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise fail(name, value, "a str")
    return value


def authors(value: Any) -> dict[str, Author]:
    name = "blogposts_authors"
    if not isinstance(value, Mapping):
        raise fail(name, value, "a dict of key -> {'name', 'url', 'avatar'}")
    authors: dict[str, Author] = {}
    for key, spec in value.items():
        if not isinstance(key, str) or not key.strip():
            raise fail(f"{name}[{key!r}]", key, "a non-empty string key")
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, Mapping):
            raise fail(f"{name}[{key!r}]", spec, "a dict with 'name', 'url', 'avatar'")
        unknown = set(spec) - {"name", "url", "avatar"}
        if unknown:
            raise fail(f"{name}[{key!r}]", spec,
                        f"a dict with only 'name', 'url', 'avatar' (unknown: {sorted(unknown)})")
        fields = {k: spec.get(k, "") for k in ("name", "url", "avatar")}
        for k, v in fields.items():
            if not isinstance(v, str):
                raise fail(f"{name}[{key!r}][{k!r}]", v, "a str")
        authors[key] = Author(key=key, name=fields["name"] or key, url=fields["url"],
                              avatar=fields["avatar"])
    return authors


def feed_templates(value: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    try:
        checked = check_feed_templates(value)
    except ValueError as exc:
        raise fail("blogposts_feed_templates", value, str(exc)) from None
    return tuple((name, tuple(sorted(parts.items()))) for name, parts in sorted(checked.items()))




def names(name: str, value: Any) -> dict[str, str]:
    """Key -> name shown (``{"en": "English"}``); a value may be a bare name or ABlog's
    ``(name, link)`` pair."""
    if not isinstance(value, Mapping):
        raise fail(name, value, "a dict of key -> name")
    result: dict[str, str] = {}
    for key, shown in value.items():
        if isinstance(shown, list | tuple) and shown:
            shown = shown[0]
        if not isinstance(key, str) or not key.strip() or not isinstance(shown, str | None):
            raise fail(f"{name}[{key!r}]", shown, "a str (the name shown)")
        result[key.strip()] = (shown or key).strip()
    return result


def categories(value: Any) -> dict[str, str]:
    name = "blogposts_categories"
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return {v: "" for v in value}
    if not isinstance(value, Mapping):
        raise fail(name, value, "a dict of category name -> description")
    result: dict[str, str] = {}
    for key, desc in value.items():
        if not isinstance(key, str) or not key.strip():
            raise fail(name, key, "a dict with non-empty string keys")
        if desc is None:
            desc = ""
        if not isinstance(desc, str):
            raise fail(f"{name}[{key!r}]", desc, "a str (the description)")
        result[key.strip()] = desc
    return result


def path(value: Any) -> str:
    path = string("blogposts_path", value).strip().strip("/")
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") for p in parts) or "\\" in path or ":" in path:
        raise fail("blogposts_path", value, "a relative folder such as 'blog' (no '..')")
    return path
