"""backend-persona: the library behind the `/agent-persona-backend-specialist` command."""

__version__ = "0.1.0"
