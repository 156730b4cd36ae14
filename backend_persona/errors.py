"""The one error tree: expected failures are `UserError`, everything else is a bug."""


class BackendPersonaError(Exception):
    """Base class for every error this package raises on purpose."""


class UserError(BackendPersonaError):
    """An expected failure the user can fix; the CLI prints its message and exits 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
