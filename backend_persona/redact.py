"""Last line of defence: credential-shaped text never reaches a prompt or a file we write.

Every pattern is anchored on a literal (a provider prefix, ``://``, a key name) and every
repetition is bounded, ends the match, or stops at a character that no later start can
follow; so redacting a megabyte of hostile text (a pasted request) takes linear time,
never quadratic.

Every alternative also opens with a plain, case-sensitive character or class, and any
look-behind comes after it: the regex engine then rejects most positions on their first
character, which keeps redacting every path of a 100,000-file repository cheap.
"""

import re


def _word(first: str, rest: str, not_after: str = "") -> str:
    # ``first`` in either case, as a class the engine tests on its own, then ``rest`` in any
    # case; ``not_after`` is a class of characters that must not come before the word.
    head = f"[{first.upper()}{first.lower()}]"
    behind = f"(?<!{not_after}{head})" if not_after else ""
    return f"{head}{behind}(?i:{rest})"


def _glued(first: str, rest: str) -> str:
    # A provider token may be glued to a name by "_" or "-" (x_ghp_..., build-AKIA...): only
    # a letter or a digit before it rules it out.
    return f"{first}(?<![A-Za-z0-9]{first})(?:{rest})"


_PROVIDER_TOKENS = "|".join((
    _glued("A", r"(?:KIA|SIA)[0-9A-Z]{16}|Iza[\w-]{30,}"),
    _glued("g", r"h[pousr]_[A-Za-z0-9]{20,}|ithub_pat_\w{20,}|lsa_\w{32,}"
                r"|l(?:pat|ptt|dt|rt|cbt|imt|oas|soat|ft)-[\w-]{20,}|lc_[A-Za-z0-9+/]{32,}"),
    _glued("x", r"ox[abposre]-[\w-]{10,}|app-\d-[A-Za-z0-9-]{10,}"),
    # OpenAI and Anthropic keys carry a digit; "sk-learn-preprocessing" stays readable.
    _glued("s", r"k-(?=[\w-]{0,80}\d)[\w-]{16,}|k_(?:live|test)_\w{10,}"
                r"|hp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
    _glued("r", r"k_(?:live|test)_\w{10,}"),
    _glued("n", r"pm_[A-Za-z0-9]{36}"),
    _glued("S", r"G\.[\w-]{16,}\.[\w-]{16,}|K[0-9a-f]{32}(?![\w-])"),
    _glued("h", r"v[sbr]\.[\w-]{24,}"),
    _glued("d", r"o[por]_v1_[a-f0-9]{64}"),
    # A JWT keeps the strict start: its first segment may hold "-", so a start after "-"
    # would rescan the same run for every "-eyJ" in it.
    r"e(?<![\w-]e)yJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}",
))

# A value: quoted (to its closing quote, escapes included, never past the line) or a word.
_VALUE = r"(?:\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?|\S+)"
_SECRET_WORD = "(?:" + "|".join((
    _word("p", "ass(?:word|wd)"), _word("s", "ecret"), _word("t", "oken"),
    _word("a", "(?:pi|ccess)[_-]?key"), _word("p", "rivate[_-]?key"),
)) + ")"

# These alternatives become "[redacted]" whole.
_WHOLE = "|".join((
    _PROVIDER_TOKENS,
    # Connection-string keys whose base64 value ends at ";".
    "(?:" + "|".join((_word("a", "ccountKey", r"[\w.-]"),
                      _word("s", r"haredAccess(?:Key|Signature)", r"[\w.-]"),
                      _word("p", "wd", r"[\w.-]"))) + r")=[^;\s\"']+",
    # A key that names a secret, from that word on: AWS_[redacted], "db_[redacted]. A cited
    # file and line (TokenService.java:42, secrets.yaml:7) is evidence, not a value.
    _SECRET_WORD + r"(?![\w.-]{0,64}\.[A-Za-z][A-Za-z0-9]{0,7}:\d{1,7}(?![^\s,;)\]]))"
    r"[\w.-]{0,64}[\"']?\s*[=:]\s*" + _VALUE,
))

# These keep what comes before their empty group "()", a scheme, flag or command that says
# where the credential was, and lose the rest.
_KEPT = "|".join((
    # URL credentials, to the last "@" before the path: passwords hold "@" too. A user of
    # 40 hex digits and no password is an OAuth token.
    r"://()(?:[^/\s:@]*:[^\s/]*|[0-9a-fA-F]{40})(?=@)",
    r"hooks\.slack\.com/(?:services|workflows|triggers)/()[\w/-]+",
    # An Azure SAS token's signature.
    r"[?&]sig=()[^&\s\"'#<>]+",
    _word("a", "uthorization", "[A-Za-z0-9]") + r"[\"']?\s{0,8}[:=]\s{0,8}[\"']?()"
    r"(?i:(?:bearer|basic|token|digest|negotiate|bot)\s{1,8}[^\s\"'<>]+|[^\s\"'<>]{6,})",
    _word("b", "earer", r"\w") + r"\s{1,8}()(?=[\w.~+/=-]{0,200}\d)[\w.~+/=-]{16,}",
    # mysql -pSECRET and redis-cli -a SECRET: the password glued to, or after, a short flag.
    _word("m", "ysql|ariadb", r"\w") + r"[^\n]{0,120}?\s-p()(?=\S)" + _VALUE,
    _word("r", r"edis-cli\b", r"\w") + r"[^\n]{0,120}?\s-a[ \t]{1,8}()" + _VALUE,
    # --requirepass X, -storepass X, --db-password X; and redis.conf's "requirepass X".
    r"-(?<![\w-]-)-?[\w-]{0,40}?(?i:pass(?:word|wd)?|secret|token|api-?key|masterauth)"
    r"[ \t]{1,8}()(?!-)" + _VALUE,
    "(?:" + _word("r", "equirepass", r"[\w-]") + "|" + _word("m", "asterauth", r"[\w-]")
    + r")[ \t]{1,8}()" + _VALUE,
))

_SECRET_PATTERNS = re.compile(_WHOLE + "|" + _KEPT)

# A key block goes whole, up to its END line or, when cut short, to the end; it is
# replaced first so that a key name before it ("private_key": ...) cannot hide its body.
_KEY_BLOCK = re.compile(
    r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:[\s\S]*?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)"
)


def _replace(match: re.Match[str]) -> str:
    # The only groups are the empty markers of _KEPT, one per alternative at most.
    kept = match.string[match.start():match.end(match.lastindex)] if match.lastindex else ""
    return kept + "[redacted]"


def redact(value: str) -> str:
    """Replace anything shaped like a credential with ``[redacted]``.

    Args:
        value: Any text: a file or branch name, a note, a pasted request.

    Returns:
        ``value`` with every credential replaced. What only says where a credential was
        stays, when it helps the reader: ``https://[redacted]@host``, ``DB_[redacted]``,
        ``--requirepass [redacted]``.
    """
    return _SECRET_PATTERNS.sub(_replace, _KEY_BLOCK.sub("[redacted]", value))


# Characters a reader does not see but a model reads: every format character (Unicode's
# "Cf": bidi controls that reorder text, zero-width spaces and joiners, the BOM, the tag
# characters of "ASCII smuggling"), the line and paragraph separators and NEL that end a
# line for str.splitlines(), and the variation selectors. A repository name holding them
# could carry a hidden instruction, or start a fake instruction line in the prompt.
# Written out, not derived from unicodedata at import, which costs ~100 ms; a test checks
# the class against the running Python's Cf. The zero-width joiner inside an emoji is
# escaped too: names rarely hold emoji, and a joiner can as well split a word a reader
# would otherwise notice.
_INVISIBLE = re.compile(
    "[\u0085\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")


def _escape(match: re.Match[str]) -> str:
    # Python's own escapes: four hex digits can name only the BMP, so a tag character
    # becomes \U000e0041, never an ambiguous \ue0041.
    point = ord(match.group())
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def prompt_safe(value: str) -> str:
    """Replace invisible characters (see `_INVISIBLE`) with visible escapes.

    Repository text (names, paths, notes) goes into a prompt; these characters would
    break a line, reverse text or hide text there while looking harmless in a listing.
    """
    return _INVISIBLE.sub(_escape, value)
