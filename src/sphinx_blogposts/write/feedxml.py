"""The feeds' vocabulary (file names, media types, namespaces), their dates, and their XML,
written by hand, safely: text and attributes escaped once, characters XML 1.0 forbids
dropped, HTML payloads in CDATA without scripts.

See docs/dependencies.md for why this is not ElementTree or feedgen."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:

    from ..base.dates import PostDate

logger = logging.getLogger("sphinx_blogposts")


GENERATOR = "sphinx-blogposts"
FILENAMES = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}
MIME_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml",
              "json": "application/feed+json"}
LABELS = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
#: the formats a category or tag feed can have (JSON Feed is for the whole blog only)
SUB_FORMATS = ("atom", "rss")
#: the date of a feed without entries: fixed, so that it never depends on the build time
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


# -- text that is safe in XML ------------------------------------------------------------------

@functools.cache
def _illegal_xml() -> re.Pattern[str]:
    """Everything XML 1.0 forbids: control characters but tab, LF and CR, lone surrogates,
    U+FFFE and U+FFFF.  Named as what is forbidden, not as the complement of what is allowed
    (the same set, checked over every code point in tests/test_feeds.py): sre took ~5 ms to
    build the negated class, 0.5 ms this one; compiled on first use, by builds with feeds."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_TAG = re.compile(r"<(/?)(script)", re.IGNORECASE)
HTML_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_EVENT_ATTR = re.compile(r"""\s+on[a-zA-Z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")


def clean(text: str) -> str:
    """``text`` without the characters that XML 1.0 (and UTF-8) cannot carry."""
    return _illegal_xml().sub("", text)


def xml_text(text: str) -> str:
    """Character data: legal characters, ``&``, ``<`` and ``>`` escaped."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """An attribute value in double quotes; white space kept as character references."""
    return (xml_text(text).replace('"', "&quot;").replace("\t", "&#9;")
            .replace("\n", "&#10;").replace("\r", "&#13;"))


def without_scripts(fragment: str) -> str:
    """HTML with no ``<script>`` element nor ``on…`` event attribute: feed readers never run
    them, and must not."""
    fragment = _SCRIPT_ELEMENT.sub("", fragment)
    fragment = _SCRIPT_TAG.sub(r"&lt;\1\2", fragment)
    return HTML_TAG.sub(lambda tag: _EVENT_ATTR.sub("", tag[0]), fragment)


class CData(str):
    """HTML to be written as a CDATA section (escaped once, readable as HTML)."""

    __slots__ = ()


def cdata(text: str) -> str:
    """A CDATA section holding ``text``; a ``]]>`` inside is split across two sections."""
    return "<![CDATA[" + clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Element:
    """A minimal XML element: attributes in order, text or child elements (no mixed content)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    children: list[Element] = field(default_factory=list)

    def add(self, tag: str, text: str | None = None, **attrs: str) -> Element:
        child = Element(tag.replace("__", ":"),
                        {k.replace("__", ":"): v for k, v in attrs.items()}, text)
        self.children.append(child)
        return child

    def lines(self, level: int = 0) -> Iterator[str]:
        pad = "  " * level
        attrs = "".join(f' {k}="{xml_attr(v)}"' for k, v in self.attrs.items())
        if self.children:
            yield f"{pad}<{self.tag}{attrs}>"
            for child in self.children:
                yield from child.lines(level + 1)
            yield f"{pad}</{self.tag}>"
        elif self.text is None:
            yield f"{pad}<{self.tag}{attrs}/>"
        else:
            body = cdata(self.text) if isinstance(self.text, CData) else xml_text(self.text)
            yield f"{pad}<{self.tag}{attrs}>{body}</{self.tag}>"


def xml_document(root: Element) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', *root.lines()]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- dates -----------------------------------------------------------------------------------

def moment(value: PostDate) -> datetime:
    """A post date as an aware datetime (a date without an offset is UTC, as in the model)."""
    dt = value.value
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def rfc3339(dt: datetime) -> str:
    """Atom and JSON Feed dates: ``2025-03-14T09:30:00+01:00``, ``…Z`` for UTC."""
    text = dt.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rfc822(dt: datetime) -> str:
    """RSS dates: ``Fri, 14 Mar 2025 09:30:00 +0100``."""
    return format_datetime(dt)
