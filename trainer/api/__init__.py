"""The JSON API, version 1: bearer tokens, the error object, the OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules register themselves on bp; the list is explicit.
from trainer.api import (  # noqa: E402,F401
    accounts,
    cases,
    certificates,
    competency,
    itemanalysis,
    modules,
    openapi,
    organisations,
    vignettes,
)
