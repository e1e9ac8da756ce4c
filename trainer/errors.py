"""Domain errors raised by services; views turn them into form errors, 4xx or CLI lines."""


class DomainError(Exception):
    """A request that breaks a rule of the domain; carries the field it concerns."""

    status = 422
    code = "invalid"
    extra: dict = {}  # more members of the API's error object (e.g. `unmet`)

    def __init__(self, message: str, *, field: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.fields = fields or ({field: [message]} if field else {})


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""

    status = 409
    code = "conflict"
