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


class LightStyle(Style):  # type: ignore[misc]
    """Dark ink on a pale grey block."""

    name = "sphinx-blogposts-light"
    background_color = "#f5f7f9"
    highlight_color = "#fff1b8"
    line_number_color = "#58626d"
    line_number_background_color = "transparent"
    styles = {
        Token: "#1f2328",
        Text: "#1f2328",
        Comment: "italic #57606a",
        Comment.Preproc: "noitalic #8c2f00",
        Keyword: "#a3111f",
        Keyword.Type: "#8c2f00",
        Keyword.Constant: "#0550ae",
        Operator: "#1f2328",
        Operator.Word: "#a3111f",
        Punctuation: "#1f2328",
        Name: "#1f2328",
        Name.Builtin: "#8c2f00",
        Name.Function: "#6533b0",
        Name.Class: "bold #6533b0",
        Name.Decorator: "#6533b0",
        Name.Exception: "#8c2f00",
        Name.Tag: "#116329",
        Name.Attribute: "#0550ae",
        Name.Variable: "#8c2f00",
        Name.Namespace: "#1f2328",
        Name.Constant: "#0550ae",
        String: "#0a3069",
        String.Doc: "italic #0a3069",
        String.Escape: "#0550ae",
        String.Regex: "#116329",
        Number: "#0550ae",
        Generic.Deleted: "#82071e",
        Generic.Inserted: "#116329",
        Generic.Heading: "bold #0550ae",
        Generic.Subheading: "bold #6533b0",
        Generic.Emph: "italic",
        Generic.Strong: "bold",
        Generic.Prompt: "#57606a",
        Generic.Output: "#57606a",
        Generic.Traceback: "#82071e",
        Error: "#82071e",
    }


class DarkStyle(Style):  # type: ignore[misc]
    """Light ink on a near-black block."""

    name = "sphinx-blogposts-dark"
    background_color = "#161b22"
    highlight_color = "#3b3218"
    line_number_color = "#9198a1"
    line_number_background_color = "transparent"
    styles = {
        Token: "#e6edf3",
        Text: "#e6edf3",
        Comment: "italic #9198a1",
        Comment.Preproc: "noitalic #ffa657",
        Keyword: "#ff7b72",
        Keyword.Type: "#ffa657",
        Keyword.Constant: "#79c0ff",
        Operator: "#e6edf3",
        Operator.Word: "#ff7b72",
        Punctuation: "#e6edf3",
        Name: "#e6edf3",
        Name.Builtin: "#ffa657",
        Name.Function: "#d2a8ff",
        Name.Class: "bold #d2a8ff",
        Name.Decorator: "#d2a8ff",
        Name.Exception: "#ffa657",
        Name.Tag: "#7ee787",
        Name.Attribute: "#79c0ff",
        Name.Variable: "#ffa657",
        Name.Namespace: "#e6edf3",
        Name.Constant: "#79c0ff",
        String: "#a5d6ff",
        String.Doc: "italic #a5d6ff",
        String.Escape: "#79c0ff",
        String.Regex: "#7ee787",
        Number: "#79c0ff",
        Generic.Deleted: "#ffa198",
        Generic.Inserted: "#7ee787",
        Generic.Heading: "bold #79c0ff",
        Generic.Subheading: "bold #d2a8ff",
        Generic.Emph: "italic",
        Generic.Strong: "bold",
        Generic.Prompt: "#9198a1",
        Generic.Output: "#9198a1",
        Generic.Traceback: "#ffa198",
        Error: "#ffa198",
    }
