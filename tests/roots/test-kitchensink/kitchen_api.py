"""A tiny module documented with autodoc by the kitchen sink site."""

from __future__ import annotations


def add(a: int, b: int) -> int:
    """Add two numbers.

    :param a: the first number
    :param b: the second number
    :return: their sum
    """
    return a + b


def scale(value: float, factor: float = 2.0) -> float:
    """Scale a value by a factor (documented in a MyST post)."""
    return value * factor


def mix(first: str, second: str) -> str:
    """Mix two ingredients (documented in a reST post)."""
    return first + second


class Kitchen:
    """A kitchen with a sink."""

    def wash(self, dishes: int) -> int:
        """Wash some dishes; return how many are clean."""
        return dishes
