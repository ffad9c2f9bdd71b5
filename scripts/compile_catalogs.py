"""Compile (and, with ``--extract``, refresh) the ``sphinx_blogposts`` message catalogs.

    python scripts/compile_catalogs.py            # every locale/*/LC_MESSAGES/*.po -> .mo
    python scripts/compile_catalogs.py --extract  # messages.pot from the sources, new
                                                  # messages merged into every .po, then compile

Messages are taken from ``_("...")`` in the package's Python modules and from
``_bp('...')`` in its templates and the theme's.  Only Babel is needed (Sphinx depends on it).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sphinx_blogposts"
LOCALE = PACKAGE / "locale"
DOMAIN = "sphinx_blogposts"
LANGUAGES = ("de", "es", "fr", "ja", "zh_CN")
HEADER = ("# Messages of sphinx-blogposts (the extension and its theme).\n"
          "# Update with: python scripts/compile_catalogs.py --extract")
VERSION = "0.1"
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
_TEMPLATE_CALL = re.compile(r"""\b_bp\(\s*(?P<q>['"])(?P<msg>.*?)(?P=q)""")


def messages() -> Iterator[tuple[str, str, int]]:
    """``(message, file, line)`` for every translatable string of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        with open(path, "rb") as f:
            for line, message, _comments, _context in extract(
                "python", f, keywords={"_": None}, options={"encoding": "utf-8"}
            ):
                if isinstance(message, str):
                    yield message, path.relative_to(PACKAGE).as_posix(), line
    for path in sorted(PACKAGE.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in _TEMPLATE_CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            yield match["msg"], path.relative_to(PACKAGE).as_posix(), line


def template() -> Catalog:
    """The .pot: every message with where it is used."""
    catalog = Catalog(project="sphinx-blogposts", domain=DOMAIN, fuzzy=False,
                      header_comment=HEADER, version=VERSION,
                      copyright_holder="sphinx-blogposts developers")
    for message, filename, line in messages():
        catalog.add(message, locations=[(filename, line)],
                    flags=["python-format"] if "%" in message else [])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


class _StableCatalog:
    """A catalog as ``write_mo`` reads it, without the "Generated-By: Babel x.y" line Babel
    adds to the header, so that a .mo does not change with the Babel that compiled it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.charset = catalog.charset

    def __iter__(self) -> Iterator[Any]:
        messages = list(self.catalog)
        header = messages[0]
        header.string = "\n".join(line for line in str(header.string).split("\n")
                                   if not line.startswith("Generated-By:"))
        return iter(messages)


def compiled(po: Path) -> bytes:
    """The .mo bytes of a .po file (the same whichever Babel compiles it)."""
    with open(po, "rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, _StableCatalog(catalog), use_fuzzy=False)  # type: ignore[arg-type]
    return buffer.getvalue()


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    catalog.fuzzy = False
    # fixed dates: a rerun changes nothing, and the .mo (whose header has them) is stable
    catalog.creation_date = catalog.revision_date = STAMP
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True,
             include_previous=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def extract_all() -> None:
    pot = template()
    write_catalog(LOCALE / f"{DOMAIN}.pot", pot)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with open(path, "rb") as f:
                catalog = read_po(f, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="sphinx-blogposts",
                              header_comment=HEADER, version=VERSION, fuzzy=False,
                              copyright_holder="sphinx-blogposts developers")
        catalog.update(pot, update_header_comment=False, no_fuzzy_matching=True)
        write_catalog(path, catalog)


def compile_all() -> list[Path]:
    written = []
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extract", action="store_true",
                        help="refresh messages.pot and merge new messages into every .po")
    args = parser.parse_args(argv)
    if args.extract:
        extract_all()
    for mo in compile_all():
        print(f"wrote {mo.relative_to(PACKAGE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
