"""Syntax highlighting for the theme: a light and a dark Pygments style whose every token
has a contrast of at least 4.5:1 (WCAG AA) against its code block background."""

from __future__ import annotations

from pygments.style import Style  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Error,
    Generic,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Token,
)

#: every token's look by role; each style gives the roles its colours
_ROLES = {
    Token: "{ink}",
    Text: "{ink}",
    Comment: "italic {muted}",
    Comment.Preproc: "noitalic {orange}",
    Keyword: "{red}",
    Keyword.Type: "{orange}",
    Keyword.Constant: "{blue}",
    Operator: "{ink}",
    Operator.Word: "{red}",
    Punctuation: "{ink}",
    Name: "{ink}",
    Name.Builtin: "{orange}",
    Name.Function: "{purple}",
    Name.Class: "bold {purple}",
    Name.Decorator: "{purple}",
    Name.Exception: "{orange}",
    Name.Tag: "{green}",
    Name.Attribute: "{blue}",
    Name.Variable: "{orange}",
    Name.Namespace: "{ink}",
    Name.Constant: "{blue}",
    String: "{string}",
    String.Doc: "italic {string}",
    String.Escape: "{blue}",
    String.Regex: "{green}",
    Number: "{blue}",
    Generic.Deleted: "{error}",
    Generic.Inserted: "{green}",
    Generic.Heading: "bold {blue}",
    Generic.Subheading: "bold {purple}",
    Generic.Emph: "italic",
    Generic.Strong: "bold",
    Generic.Prompt: "{muted}",
    Generic.Output: "{muted}",
    Generic.Traceback: "{error}",
    Error: "{error}",
}


def _styles(**palette: str) -> dict[object, str]:
    return {token: look.format(**palette) for token, look in _ROLES.items()}


class LightStyle(Style):  # type: ignore[misc]
    """Dark ink on a pale grey block."""

    name = "sphinx-blogposts-light"
    background_color = "#f5f7f9"
    highlight_color = "#fff1b8"
    line_number_color = "#58626d"
    line_number_background_color = "transparent"
    styles = _styles(ink="#1f2328", muted="#57606a", orange="#8c2f00", red="#a3111f",
                     blue="#0550ae", purple="#6533b0", green="#116329", string="#0a3069",
                     error="#82071e")


class DarkStyle(Style):  # type: ignore[misc]
    """Light ink on a near-black block."""

    name = "sphinx-blogposts-dark"
    background_color = "#161b22"
    highlight_color = "#3b3218"
    line_number_color = "#9198a1"
    line_number_background_color = "transparent"
    styles = _styles(ink="#e6edf3", muted="#9198a1", orange="#ffa657", red="#ff7b72",
                     blue="#79c0ff", purple="#d2a8ff", green="#7ee787", string="#a5d6ff",
                     error="#ffa198")
