"""The one error tree: expected failures are `UserError`, everything else is a bug."""


class BackendPersonaError(Exception):
    """Base class for every error this package raises on purpose."""


class UserError(BackendPersonaError):
    """An expected failure the user can fix; the CLI prints it on one line and exits 1.

    ``str(error)`` is the message and the hint, as that line says them.

    Attributes:
        message: What went wrong.
        hint: What to do next, when the code that raises knows it; without one the CLI
            points at the command's ``--help``.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}; {hint}")
        self.message = message
        self.hint = hint
