"""Last line of defence: credential-shaped text never reaches a prompt or a file we write."""

import re

_SECRET_PATTERNS = re.compile(
    r"(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}"
    r"|xox[abposr]-[\w-]{10,}|sk-[A-Za-z0-9_-]{16,}|sk_live_\w{10,}|AIza[\w-]{30,}"
    r"|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|://[^/\s:@]+:[^@\s]+@|(?i:(?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*\S+))"
)


def redact(value: str) -> str:
    """Replace anything shaped like a credential with ``[redacted]``."""
    return _SECRET_PATTERNS.sub("[redacted]", value)

