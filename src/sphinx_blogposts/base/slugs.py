"""Lowercase ASCII slugs, stable and unique, safe as one path segment on every OS."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
MAX_LENGTH = 80
_SPECIAL = {"+": "plus", "#": "sharp", "&": "and", "@": "at"}


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def slugify(name: str) -> str:
    """A lowercase ASCII slug: accents transliterated; names with no Latin letters hashed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("ł", "l")
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", text).strip("-")
    if not slug:
        # C++ -> "c-plus-plus" style names only when nothing else is left
        spelled = "-".join(_SPECIAL[c] for c in name if c in _SPECIAL)
        slug = spelled or f"n-{_short_hash(name)}"
    if len(slug) > MAX_LENGTH:
        slug = slug[: MAX_LENGTH - 9].rstrip("-") + "-" + _short_hash(name)
    if slug in _WINDOWS_RESERVED:
        slug += "-1"
    return slug


def unique_slugs(
    names: Iterable[str],
    reserved: Iterable[str] = (),
    preferred: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Give each name a distinct slug; report ``(name, other, slug)`` for each collision.

    Names with a ``preferred`` slug (a ``:slug:`` option) claim theirs first; the rest follow
    in sorted order, so the result never depends on reading order.
    """
    preferred = preferred or {}
    owner: dict[str, str] = {r: "" for r in reserved}
    result: dict[str, str] = {}
    clashes: list[tuple[str, str, str]] = []
    ordered = sorted(n for n in set(names) if n in preferred)
    ordered += sorted(n for n in set(names) if n not in preferred)
    for name in ordered:
        base = preferred.get(name) or slugify(name)
        slug = base
        n = 2
        while slug in owner:
            slug = f"{base}-{n}"
            n += 1
        if slug != base and owner[base]:
            clashes.append((name, owner[base], slug))
        owner[slug] = name
        result[name] = slug
    return result, clashes
