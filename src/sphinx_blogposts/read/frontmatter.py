"""Reading post metadata: the YAML front matter of Markdown sources, docinfo fields of reST,
and coercing every value to its type.

MyST turns non-string front matter into JSON strings and drops all of it when the YAML is
malformed (an impossible date such as ``2025-13-45`` is enough).  So for Markdown sources the
front matter is read here too, with dates left as text, which keeps every other key and gives
each key its line.
"""

from __future__ import annotations

import json
import re
import reprlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

TRUE = {"true", "yes", "on", "1", "y"}
FALSE = {"false", "no", "off", "0", "n", ""}
#: typographic quotes that docutils' smart quotes may have put into JSON text
_SMART_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'",
    "\u00ab": '"', "\u00bb": '"',
})
_FENCE = re.compile(r"^(---|\+\+\+)[ \t]*$")
#: the source suffixes whose front matter this module reads (MyST Markdown)
MARKDOWN = (".md", ".markdown")


class MetadataError(ValueError):
    """A value that cannot be read as the type its key needs."""


@dataclass(frozen=True)
class RawMetadata:
    """Front matter keys as written, with the source line of each (1-based)."""

    values: dict[str, Any]
    lines: dict[str, int]
    error: str = ""
    error_line: int = 0


#: libyaml's parser when PyYAML has it (several times faster), else the pure-Python one
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDatesLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves timestamps as text, so a bad date cannot drop the front matter."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_front_matter(path: str | Path) -> RawMetadata | None:
    """The front matter of a Markdown file, or None if it has none.

    The file is read as Sphinx reads a source (BOM dropped, universal newlines), so
    ``sphinx-blogposts check`` and the build (:func:`front_matter_of` on Sphinx's text) agree.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return front_matter_of(text)


def front_matter_of(text: str) -> RawMetadata | None:
    """The front matter of a Markdown source's text, or None if it has none.

    Only the lines up to the closing fence (or YAML's ``...``) are looked at.
    """
    text = text.removeprefix("\ufeff")
    end = text.find("\n")
    fence = _FENCE.match(text[:end].rstrip("\r")) if end != -1 else None
    if fence is None:
        return None
    if fence[1] == "+++":
        return _refused_toml(text[end + 1:])
    lines: list[str] = []
    start = end + 1
    while start < len(text):
        end = text.find("\n", start)
        line = text[start:] if end == -1 else text[start:end + 1]
        bare = line.rstrip("\r\n")
        if (bare.startswith("---") and _FENCE.match(bare)) or bare == "...":
            return parse_front_matter("".join(lines), first_line=2)
        lines.append(line)
        if end == -1:
            break
        start = end + 1
    return None


def _refused_toml(rest: str) -> RawMetadata | None:
    """TOML front matter (``+++``): MyST-Parser does not read it and shows it as the page's
    first paragraph, so it is refused, not read: a post whose metadata the page shows as text
    would be published with it as its excerpt."""
    closing = next((i for i, line in enumerate(rest.splitlines())
                    if _FENCE.match(line.rstrip()) and line.startswith("+++")), None)
    if closing is None:
        return None
    values, lines = _declared_post("\n".join(rest.splitlines()[:closing]), 2)
    return RawMetadata(values, lines, error=(
        "front matter fenced with '+++' (TOML) is not read by MyST-Parser, which shows it as "
        "text; fence it with '---' and write it in YAML"), error_line=1)


def parse_front_matter(text: str, first_line: int = 1) -> RawMetadata:
    """Parse YAML front matter text; the error (if any) is kept, not raised."""
    try:
        loader = _TextDatesLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        message = " ".join(f"malformed YAML front matter: {problem}".split())
        return RawMetadata(*_declared_post(text, first_line), error=message, error_line=line)
    except (ValueError, TypeError, RecursionError) as exc:
        message = " ".join(f"unreadable YAML front matter: {exc}".split())
        return RawMetadata({}, {}, error=message, error_line=first_line)
    if not isinstance(data, dict):
        return RawMetadata({}, {}, error="the front matter is not a mapping of keys to values",
                           error_line=first_line)
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = first_line + key_node.start_mark.line
    values = {str(k): v for k, v in data.items()}
    return RawMetadata(values, key_lines)


_POST_LINE = re.compile(r"^(blog)?post[ \t]*[:=][ \t]*['\"]?(true|yes|on)['\"]?[ \t]*$",
                        re.IGNORECASE)


def _declared_post(text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """``post: true`` read from front matter YAML cannot parse, so the warning is ours too."""
    for number, line in enumerate(text.splitlines()):
        if _POST_LINE.match(line.strip()):
            return {"post": True}, {"post": first_line + number}
    return {}, {}


# --- coercion -------------------------------------------------------------------------------

def _unjson(value: str) -> Any:
    """MyST passes lists and mappings as JSON text; smart quotes may have bent its quotes."""
    text = value.strip()
    if text[:1] in "[{" or text in ("true", "false", "null"):
        for candidate in (text, text.translate(_SMART_QUOTES)):
            try:
                return json.loads(candidate)
            except ValueError:
                continue
    return value


def to_bool(value: Any) -> bool:
    """A boolean from YAML, JSON text or words such as ``yes``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if value is None:
        return False
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
    raise MetadataError(f"{value!r} is not true or false")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        raise MetadataError(f"{value!r} is not text")
    if isinstance(value, str | int | float | date):
        return str(value).strip()
    raise MetadataError(f"{_short(value)} is not text")


def to_text(value: Any) -> str:
    """Plain text; numbers are accepted as their text."""
    if isinstance(value, str):
        return value.strip()
    return _scalar_text(value)


#: quotes that may wrap one name of a comma list (ABlog strips them: ``"github actions"``)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _unquoted(part: str) -> str:
    """A name of a comma list without the one pair of quotes around it."""
    if len(part) >= 2 and _QUOTES.get(part[0]) == part[-1]:
        return part[1:-1].strip()
    return part


def list_items(value: Any) -> list[Any]:
    """The raw items of a YAML list, JSON text or comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        # MyST hands YAML lists over as JSON text; a lone word such as "null" is a name
        decoded = _unjson(value) if value.lstrip().startswith("[") else value
        if isinstance(decoded, str):
            # "a, , b" has an empty name (reported); "" and "a, b," (a trailing comma) do not
            parts = [_unquoted(part.strip()) for part in decoded.split(",")]
            if parts and not parts[-1]:
                parts.pop()
            return parts
        value = decoded
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def to_list(value: Any) -> tuple[list[str], list[str]]:
    """Names from a list value, and an error message for each item that is not text."""
    names: list[str] = []
    errors: list[str] = []
    for item in list_items(value):
        try:
            text = _scalar_text(item)
        except MetadataError as exc:
            errors.append(str(exc))
            continue
        if not text:
            errors.append("an empty name")
        elif text not in names:
            names.append(text)
    return names, errors


def to_positive_int(value: Any) -> int:
    """A whole number of at least 1 (``:excerpt: 2``, ``:image: 1``, ``:limit: 5``)."""
    if isinstance(value, bool):
        raise MetadataError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        number = int(value.strip())
    else:
        raise MetadataError(f"{_short(value)} is not a whole number below a billion")
    if number < 1:
        raise MetadataError(f"{number} is not a positive whole number")
    return number


def to_int(value: Any) -> int:
    """A whole number, possibly 0 or negative (``series_order: 2``)."""
    if isinstance(value, bool):
        raise MetadataError(f"{value!r} is not a whole number")
    if isinstance(value, int) and abs(value) < 10**9:
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 9:
            return int(text)
    raise MetadataError(f"{_short(value)} is not a whole number below a billion")


def is_number(value: Any) -> bool:
    """Whether an option is ABlog's numeric form (``:excerpt: 2``, ``:image: 1``)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlevel = 3


def _short(value: Any) -> str:
    """A bounded repr: a YAML alias bomb must not be expanded just to name it."""
    return _REPR.repr(value)


_DATE_TOKEN = re.compile(
    r"(?<![\w\"'.:/-])(\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?"
    r"(?:[ \t]*(?:Z|[+-]\d{1,2}(?::\d{2})?))?)?)(?![\w\"'.:/-])"
)


_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?")
#: a UTC offset, looked for only after the clock (a date's own hyphens are not one)
_OFFSET = re.compile(r"[+-](?P<oh>\d{1,2})(?::\d{2})?$")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plausible_date(token: str) -> bool:
    """Whether a date-like token's day exists (so YAML can build it), without YAML."""
    year, month, day = (int(part) for part in token.split()[0].split("T")[0].split("t")[0]
                        .split("-")[:3])
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1]:
        return False
    clock = _CLOCK.search(token)
    if clock:
        if int(clock["h"]) > 23 or int(clock["m"]) > 59 or int(clock["s"] or 0) > 59:
            return False
        offset = _OFFSET.search(token, clock.end())
        if offset and int(offset["oh"]) > 23:
            return False
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return year >= 1


def _constructs(token: str) -> bool:
    try:
        yaml.safe_load(f"v: {token}")
    except (ValueError, TypeError, OverflowError):
        return False
    except yaml.YAMLError:
        return True
    return True


def split_front_matter(text: str) -> tuple[list[str], int] | None:
    """A source's lines and the index of the line closing its front matter, or None.

    Cheap when there is none: only the first line is looked at before splitting.
    """
    first = text[:text.find("\n")] if "\n" in text else text
    if not _FENCE.match(first.lstrip("\ufeff").rstrip("\r")):
        return None
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r"))), None)
    return None if end is None else (lines, end)


def quote_impossible_dates(text: str) -> str | None:
    """Source text whose front matter has impossible dates (``2025-13-45``) quoted, or None.

    YAML reads such a value as a timestamp and fails, and then MyST drops the whole front
    matter (myst-parser 3 and 4 even stop the document).  Quoting it keeps every other key;
    the date itself is still reported, as a ``blogposts.date`` warning.
    """
    split = split_front_matter(text)
    if split is None:
        return None
    lines, end = split
    block = "\n".join(lines[1:end])
    if all(_plausible_date(m.group(1)) for m in _DATE_TOKEN.finditer(block)):
        return None  # the common case, decided without parsing YAML
    try:
        yaml.load(block, Loader=_BaseLoader)  # a SafeLoader
        return None
    except yaml.YAMLError:
        return None  # malformed for other reasons: leave it to MyST and to our own warning
    except (ValueError, TypeError, OverflowError, RecursionError):
        pass

    def quote(match: re.Match[str]) -> str:
        token = match.group(1)
        return f'"{token}"' if not _constructs(token) else token

    fixed = _DATE_TOKEN.sub(quote, block)
    try:
        yaml.safe_load(fixed)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None
    return "\n".join([lines[0], *fixed.split("\n"), *lines[end:]])
