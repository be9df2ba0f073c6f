"""The one exception type services raise when a rule forbids an action."""


class DomainError(Exception):
    """A rule refused the action; `message` is Chinese and shown to the user as is."""

    def __init__(self, message, *, code="invalid", field=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
