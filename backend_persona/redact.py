"""Last line of defence: credential-shaped text never reaches a prompt or a file we write.

Every pattern is anchored at the start of a token and bounded, so that redacting a
megabyte of hostile text (a pasted request) takes linear time, never quadratic.
"""

import re

_START = r"(?<![\w-])"
_SECRET_PATTERNS = re.compile(
    _START + r"(?:AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|github_pat_\w{20,}|xox[abposr]-[\w-]{10,}|sk-[A-Za-z0-9_-]{16,}|sk_live_\w{10,}"
    r"|AIza[\w-]{30,}|gl(?:pat|ptt|dt|rt|cbt|imt|oas|soat|ft)-[\w-]{20,}|npm_[A-Za-z0-9]{36}"
    r"|SG\.[\w-]{16,}\.[\w-]{16,}|hv[sbr]\.[\w-]{24,}|SK[0-9a-f]{32}(?![\w-])"
    r"|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,})"
    r"|://[^/\s:@]{0,128}:[^@\s]{1,128}@"
    r"|(?i:(?<![\w.-])(?:AccountKey|SharedAccessKey|Password|Pwd)=[^;\s\"']+)"
    # Any key that names a secret, such as AWS_SECRET_ACCESS_KEY= or "db_password":.
    r"|(?i:(?<![\w.-])[\w.-]{0,64}?"
    r"(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"
    r"[\w.-]{0,64}[\"']?\s*[=:]\s*\S+)"
)

# A key block goes whole, up to its END line or, when cut short, to the end; it is
# replaced first so that a key name before it ("private_key": ...) cannot hide its body.
_KEY_BLOCK = re.compile(
    r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----"
    r"(?:[\s\S]*?-----END [A-Z ]{0,40}PRIVATE KEY-----|[\s\S]*)"
)


def redact(value: str) -> str:
    """Replace anything shaped like a credential with ``[redacted]``."""
    return _SECRET_PATTERNS.sub("[redacted]", _KEY_BLOCK.sub("[redacted]", value))


# Characters that end a line or reorder text for a reader without looking like it: a
# repository name holding them could start a fake instruction line in the prompt.
_INVISIBLE_BREAKS = re.compile(r"[\u0085\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def prompt_safe(value: str) -> str:
    """Replace Unicode line/paragraph separators and bidi controls with visible escapes.

    Repository text (names, paths, notes) goes into a prompt; these characters would
    break a line or reverse text there while looking harmless in a file listing.
    """
    return _INVISIBLE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
