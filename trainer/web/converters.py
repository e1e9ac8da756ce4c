"""Whole numbers from URLs and query strings, kept inside the database's integer range."""

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from trainer.extensions import DB_INT_MAX


class IdConverter(IntegerConverter):
    """`<int:...>` that matches only 0..DB_INT_MAX: a larger number is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            # Not werkzeug's answer (405 when a rule for another method has the same path).
            raise NotFound() from None


def db_int(text: str) -> int:
    """ASCII digits naming a number in 0..DB_INT_MAX, for `request.args.get(type=db_int)`;
    ValueError otherwise (so the argument falls back to its default)."""
    if not (text.isascii() and text.isdigit()) or int(text) > DB_INT_MAX:
        raise ValueError(text)
    return int(text)
