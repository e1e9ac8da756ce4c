"""Wording shared by the eligibility checks: tallies, plurals and figures cut to 2 decimals."""

from collections.abc import Iterable
from fractions import Fraction
from math import floor


def tally(have: int, need: int, one: str, many: str, tail: str = "") -> str:
    """'2 of 4 things tail', or '5 things tail (4 required)' beyond the need."""
    if have > need:
        return f"{have} {many}{tail} ({need} required)"
    return f"{have} of {need} {one if need == 1 else many}{tail}"


def plural(count: float) -> str:
    """The plural ending for a count."""
    return "" if count == 1 else "s"


def ordered(ids: Iterable[str], order: Iterable[str]) -> list[str]:
    """Ids in the given order first (catalogue, framework, vocabulary), then the rest sorted."""
    position = {key: index for index, key in enumerate(order)}
    return sorted(ids, key=lambda key: (position.get(key, len(position)), key))


def num(value: float | Fraction) -> str:
    """A figure cut to 2 decimals without trailing zeros: 3.5, 4, 0.83."""
    cut = Fraction(floor(exact(value) * 100), 100)
    return f"{float(cut):.2f}".rstrip("0").rstrip(".")


def exact(number: int | float | Fraction) -> Fraction:
    """The number as written: a float is read as the decimal it prints as."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)
