"""The query string of the item analysis page and API: which attempts, version, organisation."""

from collections.abc import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from trainer.errors import DomainError

INT_MAX = 2**31 - 1  # a version is stored as a database integer


class AnalysisArgs(Schema):
    """`attempts` first (default) or all, `version` (default the current one), `organisation`
    (a slug, for platform admins)."""

    class Meta:
        unknown = EXCLUDE

    attempts = fields.String(load_default="first", validate=validate.OneOf(["first", "all"]))
    version = fields.Integer(load_default=None, validate=validate.Range(min=0, max=INT_MAX))
    organisation = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


def parse_args(args: Mapping) -> dict:
    """The query string as {attempts, version, organisation}; DomainError (422) when bad."""
    try:
        return AnalysisArgs().load(dict(args))
    except ValidationError as exc:
        raise DomainError("Some query parameters are invalid.", fields=exc.messages) from exc
