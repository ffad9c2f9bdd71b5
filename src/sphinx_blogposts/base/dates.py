"""Parsing ISO 8601 dates, "now" for scheduling, and formatting dates for readers."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from functools import lru_cache
from pathlib import Path

import babel
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date

from .version import __version__


@dataclass(frozen=True, order=True)
class PostDate:
    """A date as the author wrote it, with a UTC timestamp for sorting and scheduling.

    A date without an offset is read as UTC so that every post sorts on one time line.
    """

    timestamp: float
    value: datetime
    has_time: bool

    @property
    def day(self) -> date:
        """The calendar day the author wrote, whatever the offset."""
        return self.value.date()

    def isoformat(self) -> str:
        """The machine-readable form for ``<time datetime>``, feeds and JSON-LD."""
        if not self.has_time:
            return self.value.date().isoformat()
        return self.value.isoformat()


#: the forms a post's date is also read in, after ISO 8601: ABlog's default
#: ``post_date_format`` (it was ``%b %d, %Y`` before) and the forms its documentation uses
USUAL_DATE_FORMATS = (
    "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d %b, %Y", "%d %B, %Y", "%d %b %Y", "%b %d %Y",
    "%B %d %Y",
)


def date_formats(first: Sequence[str] = ()) -> tuple[str, ...]:
    """The strptime patterns tried after ISO 8601: the site's own, then the usual forms."""
    return tuple(dict.fromkeys([*(f.strip() for f in first if f.strip()),
                                *USUAL_DATE_FORMATS]))


#: the date of an undated draft (``blogposts_undated_drafts``): sorts first, never shown
UNDATED = PostDate(0.0, datetime(1970, 1, 1, tzinfo=UTC), False)


def parse_date(value: object, formats: Sequence[str] = ()) -> PostDate:
    """Parse a date or datetime, as a string or a date object; raise ValueError if invalid.

    A string is ISO 8601, or else one of the strptime ``formats`` (see
    :func:`date_formats`: ``Apr 15, 2013`` and the site's own).
    """
    if isinstance(value, datetime):
        dt, has_time = value, True
    elif isinstance(value, date):
        dt, has_time = datetime.combine(value, dtime()), False
    elif isinstance(value, str):
        text = value.strip().strip("\"'").strip()
        if not text:
            raise ValueError("empty date")
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
            has_time = len(text) > 10
        except ValueError:
            parsed = _strptime(text, formats)
            if parsed is None:
                raise ValueError(
                    f"{value!r} is not an ISO 8601 date such as 2025-03-14") from None
            dt, has_time = parsed, False
    else:
        raise ValueError(f"{value!r} is not a date")
    aware = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    return PostDate(timestamp=aware.timestamp(), value=dt, has_time=has_time)


def _strptime(text: str, formats: Sequence[str]) -> datetime | None:
    """The first of ``formats`` that reads ``text`` (whitespace normalised), or None."""
    text = " ".join(text.split())
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def now_timestamp(override: float | None = None) -> float:
    """Build time as a timestamp: ``blogposts_now`` (``override``) first, then
    ``SOURCE_DATE_EPOCH`` so builds are reproducible, then the clock."""
    if override is not None:
        return override
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return float(int(epoch))
        except ValueError:
            pass
    return time.time()


#: POSIX locale modifiers (Sphinx's ``language = "sr@latin"``) that name a script
_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "latn": "Latn", "cyrl": "Cyrl"}


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    tag, _, modifier = language.replace("-", "_").partition("@")
    script = _SCRIPTS.get(modifier.lower())
    if script:  # sr@latin is Babel's sr_Latn (sr alone is written in Cyrillic)
        lang, _, territory = tag.partition("_")
        tag = f"{lang}_{script}" + (f"_{territory}" if territory else "")
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


class FormattedDates:
    """What :func:`format_day`, :func:`format_month` and :func:`check_pattern` returned in
    earlier builds, kept in the doctree folder.

    Babel loads a locale's data on the first date a process formats: 13-24 ms (measured),
    which every build showing a dated widget paid, no-op builds included, for a handful of
    strings that only change with the posts' dates.  The file holds the strings of this
    Babel and package version only (another version's are ignored), is written once at
    the end of a build that formatted a new one, and is only a cache: unreadable, it is
    formatted again, with the same result.
    """

    FILENAME = "blogposts-dates.json"
    #: a file with more strings than this (dates of long-deleted posts) starts afresh
    LIMIT = 50_000

    def __init__(self) -> None:
        self.version = f"{__version__}|babel {babel.__version__}"
        self.path: Path | None = None
        self.known: dict[str, str] = {}
        self.changed = False

    def load(self, doctreedir: str | os.PathLike[str]) -> None:
        self.path = Path(doctreedir) / self.FILENAME
        self.known, self.changed = {}, False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if (isinstance(data, dict) and data.get("version") == self.version
                and isinstance(data.get("strings"), dict)):
            self.known = {str(k): str(v) for k, v in data["strings"].items()}

    def get(self, key: str, make: Callable[[], str]) -> str:
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = make()
            self.changed = True
        return text

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        self.changed = False
        strings = self.known if len(self.known) <= self.LIMIT else {}
        tmp = self.path.with_name(f".{self.FILENAME}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"version": self.version, "strings": strings},
                                      ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # only a cache: the next build formats them again


FORMATTED = FormattedDates()


def format_day(day: date, pattern: str | None, language: str) -> str:
    """Format a day for readers with Babel: the given pattern or the locale's long format.
    (Remembered in :data:`FORMATTED`, which a build loads afresh: an in-process cache in
    front of it would keep a later build from saving the strings it showed.)"""
    return FORMATTED.get(f"day|{day.isoformat()}|{pattern}|{language}",
                         lambda: _format_day(day, pattern, language))


def _format_day(day: date, pattern: str | None, language: str) -> str:
    locale = _locale(language)
    try:
        return babel_format_date(day, format=pattern or "long", locale=locale)
    except (ValueError, KeyError, AttributeError):
        return babel_format_date(day, format="long", locale=locale)


def format_month(year: int, month: int, language: str) -> str:
    """A month heading such as "March 2025" in the site's language."""
    return FORMATTED.get(
        f"month|{year:04d}-{month:02d}|{language}",
        lambda: babel_format_date(date(year, month, 1), format="LLLL y",
                                  locale=_locale(language)))


_STRFTIME_TO_BABEL = {
    "d": "dd", "-d": "d", "e": "d", "b": "MMM", "h": "MMM", "B": "MMMM", "m": "MM", "-m": "M",
    "Y": "y", "y": "yy", "a": "EEE", "A": "EEEE", "H": "HH", "-H": "H", "I": "hh", "M": "mm",
    "p": "a", "j": "DDD", "%": "%",
}


def babel_pattern(strftime: str) -> str | None:
    """A strftime pattern as a Babel date pattern (``%d %B %Y`` -> ``dd MMMM y``), or None."""
    out: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        text = "".join(literal)
        literal.clear()
        # letters are pattern fields in Babel: quote runs of them ('' is a quote)
        for part in re.split(r"([A-Za-z']+)", text):
            if not part:
                continue
            out.append("'" + part.replace("'", "''") + "'" if re.match(r"[A-Za-z']", part)
                       else part)

    i = 0
    while i < len(strftime):
        char = strftime[i]
        if char != "%":
            literal.append(char)
            i += 1
            continue
        code = strftime[i + 1:i + 3] if strftime[i + 1:i + 2] == "-" else strftime[i + 1:i + 2]
        field = _STRFTIME_TO_BABEL.get(code)
        if field is None:
            return None
        if field == "%":
            literal.append("%")
        else:
            flush()
            out.append(field)
        i += 1 + len(code)
    flush()
    return "".join(out)


def check_pattern(pattern: str, language: str) -> str:
    """A date pattern for ``blogposts_date_format``: a Babel pattern, or a strftime pattern
    (``%Y-%m-%d``, as ABlog and Python write them) turned into one; ValueError when it
    cannot show a date (an unknown strftime field, an unclosed quote)."""
    known = FORMATTED.known.get(f"pattern|{pattern}|{language}")
    if known is not None:
        return known
    checked = _check_pattern(pattern, language)
    FORMATTED.get(f"pattern|{pattern}|{language}", lambda: checked)
    return checked


def _check_pattern(pattern: str, language: str) -> str:
    if "%" in pattern:
        converted = babel_pattern(pattern)
        if converted is None:
            raise ValueError(f"{pattern!r} has a strftime field with no Babel equivalent")
        pattern = converted
    try:
        shown = babel_format_date(date(2024, 12, 31), format=pattern, locale=_locale(language))
    except (ValueError, KeyError, AttributeError) as exc:
        raise ValueError(f"{pattern!r} is not a Babel date pattern ({exc})") from exc
    if not shown.strip():
        raise ValueError(f"{pattern!r} shows no date (a quote opens a literal that never ends?)")
    return pattern
