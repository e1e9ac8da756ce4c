"""Form helpers shared by every feature's pages: the CSRF-only action form, and a domain
error shown where the person will see it."""

from flask import flash
from flask_wtf import FlaskForm

from trainer.errors import DomainError
from trainer.web.transaction import discard


class ActionForm(FlaskForm):
    """A button that posts: carries only the CSRF token."""


def show_domain_error(form: FlaskForm | None, exc: DomainError) -> None:
    """Put the error next to its field (or flash it when no field of the form matches) and
    refuse the request, so nothing it wrote is kept."""
    discard()
    shown = False
    for path, messages in (exc.fields or {}).items():
        field = _field(form, path)
        if field is not None:
            field.errors = [*field.errors, *messages]
            shown = True
    if not shown:
        flash(exc.message, "error")


def _field(form: FlaskForm | None, path: str):
    if form is None:
        return None
    for name in (path.split(".")[-1], path.split(".")[0]):
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            return field
    return None
