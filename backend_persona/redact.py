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
    _glued("A", r"(?:KIA|SIA)[0-9A-Z]{16}|Iza[\w-]{30,}|TATT3[\w=-]{50,}"),
    _glued("g", r"h[pousr]_[A-Za-z0-9]{20,}|ithub_pat_\w{20,}|lsa_\w{32,}"
                r"|l(?:pat|ptt|dt|rt|cbt|imt|oas|soat|ft)-[\w-]{20,}|lc_[A-Za-z0-9+/]{32,}"),
    _glued("x", r"ox[abposre]-[\w-]{10,}|app-\d-[A-Za-z0-9-]{10,}"),
    # OpenAI and Anthropic keys are random: a digit and an upper-case letter, where
    # "sk-learn-preprocessing-pipeline-2" has no capital and stays readable.
    _glued("s", r"k-(?=[\w-]{0,80}\d)(?=[\w-]{0,80}[A-Z])[\w-]{16,}|k_(?:live|test)_\w{10,}"
                r"|hp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
    _glued("r", r"k_(?:live|test)_\w{10,}"),
    _glued("n", r"pm_[A-Za-z0-9]{36}"),
    _glued("S", r"G\.[\w-]{16,}\.[\w-]{16,}|K[0-9a-f]{32}(?![\w-])"),
    _glued("h", r"v[sbr]\.[\w-]{24,}|f_[A-Za-z0-9]{34,}"),
    _glued("d", r"o[por]_v1_[a-f0-9]{64}|ckr_pat_[\w-]{20,}|api[0-9a-f]{32}(?![A-Za-z0-9])"),
    _glued("w", r"hsec_[A-Za-z0-9+/=]{24,}"),
    _glued("p", r"ypi-AgE[\w-]{50,}"),
    _glued("y", r"a29\.[\w-]{20,}"),
    _glued("G", r"OCSPX-[\w-]{20,}"),
    _glued("k", r"ey-[0-9a-f]{32}(?![A-Za-z0-9])"),
    _glued("l", r"in_api_[A-Za-z0-9]{32,}"),
    # A Telegram bot token: the bot's id, ":", and 35 characters that start "AA". It may
    # start only where a run of digits does, or a run would be rescanned from each digit.
    r"[0-9](?<![A-Za-z0-9][0-9])[0-9]{7,9}:AA[\w-]{33}(?![\w-])",
    # A JWT keeps the strict start: its first segment may hold "-", so a start after "-"
    # would rescan the same run for every "-eyJ" in it.
    r"e(?<![\w-]e)yJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}",
))

# A value: quoted (to its closing quote, escapes included, never past the line) or a word.
_VALUE = r"(?:\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?|\S+)"
# People choose passwords and secrets, so even a PIN of digits is one; a key or a token is
# generated, so a number under its name is a count, a size or a lifetime (max_tokens: 4096).
_CHOSEN_WORD = "(?:" + "|".join((
    _word("p", "ass(?:word|wd|phrase)"), _word("s", "ecret"),
    # A bare "pass" is a key only as a whole word (DB_PASS, SMTP_PASS): not "compass",
    # "bypass", "passenger", "passthrough".
    _word("p", "ass(?![a-z])", "[A-Za-z]"),
)) + ")"
_ISSUED_WORD = "(?:" + "|".join((
    # JJWT's Maven group (io.jsonwebtoken:jjwt) names a library, not a key and its value.
    _word("t", "oken", "(?i:jsonweb)"), _word("a", "(?:pi|ccess|pp|uth)[_-]?key"),
    _word("p", "rivate[_-]?key"), _word("m", "aster[_-]?key"),
    _word("e", "ncryption[_-]?key"), _word("s", "igning[_-]?key"),
)) + ")"

# The end of a value: a space, punctuation that closes it, or the end of the text.
_END = r"(?![^\s,;)\]}])"
# Values that are no credential, whatever the key: where the value comes from (a variable,
# the environment, a template), a keyword, or nothing. A reference with a default in it
# (${DB_PASSWORD:-hunter2}, {{ default "x" }}) is not one: the default may be the secret.
_NOT_A_SECRET = "|".join((
    r"\$\{[A-Za-z_][\w.]{0,100}\}", r"\$?\{\{[^{}\"'\n]{1,120}\}\}",
    r"\$[A-Z_][A-Z0-9_]{0,100}" + _END,
    r"<%=?[ \t]{0,8}(?:ENV\b|Rails\.application\.credentials\.)",
    r"(?:process\.env|import\.meta\.env|os\.environ|System\.getenv|os\.Getenv|os\.getenv|getenv"
    r"|ENV(?:\.fetch)?|env|var|local)[.\[(]",
    r"[\"']?(?i:true|false|yes|no|on|off|null|none|nil|undefined|inherit|required|optional)"
    r"[\"']?" + _END,
    r"(?:\"\"|'')" + _END,
))
# A cited file and line (TokenService.java:42, secrets.yaml:7, token.go:12:5: ...) is
# evidence, not a value.
_NOT_CITED = r"(?![\w.-]{0,64}\.[A-Za-z][A-Za-z0-9]{0,7}:\d{1,7}(?::\d{1,7})?(?![^\s,;:)\]]))"
# What a key's name ends in when its value only names or locates a secret (secretName:
# tls-cert, DB_PASSWORD_FILE=/run/secrets/db, token_endpoint: https://...).
_NOT_NAMING = "".join(f"(?<!{tail})" for tail in (
    "[Nn]ame", "NAME", "[Rr]ef", "REF", "[Ff]ile", "FILE", "[Pp]ath", "PATH", "[Tt]ype", "TYPE",
    "[Uu]rl", "URL", "[Uu]ri", "URI", "[Ee]ndpoint", "ENDPOINT"))
# From the end of the secret's word to its value: the rest of the key's name, a closing
# quote, and "=", ":", ":=" or "=>"; the value stays on the key's line. The name's rest is
# possessive ("{0,64}+": nothing after it could take its characters back) and checked for
# a separator first, so the look-arounds run only where a key has a value, not at every
# "token" of a megabyte of them.
_SEPARATOR = r"[\"']?[ \t]*+(?>=>|:=|[=:])"
_KEY_TO_VALUE = (rf"(?=[\w.-]{{0,64}}+{_SEPARATOR})" + _NOT_CITED + r"[\w.-]{0,64}+"
                 + _NOT_NAMING + _SEPARATOR + r"[ \t]*+")
# "keycloak token: introspection": after a word and a space, "token: " and one lower-case
# word is prose. A token is generated, never a dictionary word, so this can only keep
# prose; a password can be a word, and "password: hunter" stays redacted. At the start of
# a line, quoted, or with any digit or symbol ("token: abc123") it is still a value.
_PROSE_AFTER_KEY = r"(?<=[A-Za-z] [Tt]oken: )[a-z]{1,24}(?![\w~+/=@$%-]|\.\w)"
# A YAML block scalar ("password: |") holds its value on the next, indented line; a
# template that is no plain reference goes whole, a default ("hunter2") in it included.
_LONG_VALUE = r"[|>][-+0-9]{0,3}[ \t]*\n[ \t]{1,64}[^\n]*|\$?\{\{[^{}\n]{0,200}\}\}"

# These alternatives become "[redacted]" whole.
_WHOLE = "|".join((
    _PROVIDER_TOKENS,
    # Connection-string keys whose base64 value ends at ";".
    "(?:" + "|".join((_word("a", "ccountKey", r"[\w.-]"),
                      _word("s", r"haredAccess(?:Key|Signature)", r"[\w.-]"),
                      _word("p", "wd", r"[\w.-]"))) + r")=[^;\s\"']+",
    # A key that names a secret, from that word on: AWS_[redacted], "db_[redacted].
    _CHOSEN_WORD + _KEY_TO_VALUE + f"(?!{_NOT_A_SECRET})(?:{_LONG_VALUE}|{_VALUE})",
    _ISSUED_WORD + _KEY_TO_VALUE
    + rf"(?!{_NOT_A_SECRET}|[\"']?\d{{1,9}}[\"']?{_END}|{_PROSE_AFTER_KEY})"
    + f"(?:{_LONG_VALUE}|{_VALUE})",
))

# An upper-case name of an environment variable, a space, and its value: Dockerfile's old
# "ENV PASSWORD hunter2", "export PGPASSWORD x". Only upper case (and the AWS CLI's own
# lower-case names): "password reset" and "access_token refresh" are prose. The match
# starts where the name does, so that "$DB_PASSWORD psql" (a reference) is no name; the
# name's first letter is matched on its own and may begin the secret's word itself.
_SPACED_WORDS = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_?KEY",
                 "ACCESS_?KEY", "APP_?KEY", "AUTH_?KEY", "PRIVATE_?KEY", "MASTER_?KEY",
                 "ENCRYPTION_?KEY")
_SPACED_NAME = (
    r"[A-Z](?<![\w$%{.-][A-Z])(?:"
    + "|".join(f"(?<={word[0]}){word[1:]}" for word in _SPACED_WORDS)
    + r"|[A-Z0-9_]{0,40}?(?:_PASS(?![A-Za-z])|" + "|".join(_SPACED_WORDS) + "))"
    + r"[A-Z0-9_]{0,64}+" + _NOT_NAMING
    + r"|a(?<![A-Za-z0-9]a)ws_(?:secret_access_key|session_token)")
# A word that prose puts after a name ("set DB_PASSWORD in .env") is no value.
_PROSE_AFTER_NAME = (
    r"(?i:is|are|was|were|be|in|on|to|for|and|or|of|the|a|an|as|at|by|from|with|must|should"
    r"|will|can|not|if|env|variable|var|value|set|unset|missing|expired|invalid)" + _END)

# These keep what comes before their empty group "()", a scheme, flag or command that says
# where the credential was, and lose the rest.
_KEPT = "|".join((
    # URL credentials, to the last "@" before the path: passwords hold "@" too. A user with
    # no password is a token when it is 40 hex digits (OAuth) or long and random: letters
    # and digits, no "." (git@, deploy@, x-access-token@ and first.last@ stay).
    r"://()(?:[^/\s:@]*:[^\s/]*|[0-9a-fA-F]{40}"
    r"|(?=[\w-]{0,200}[0-9])(?=[\w-]{0,200}[A-Za-z])[\w-]{20,200})(?=@)",
    r"hooks\.slack\.com/(?:services|workflows|triggers)/()[\w/-]+",
    # An Azure SAS token's signature.
    r"[?&]sig=()[^&\s\"'#<>]+",
    # "authorization: required" is prose: a raw credential is never one lower-case word.
    _word("a", "uthorization", "[A-Za-z0-9]") + r"[\"']?\s{0,8}[:=]\s{0,8}[\"']?()"
    r"(?![a-z]{1,24}(?![\w~+/=@$%-]|\.\w))"
    r"(?i:(?:bearer|basic|token|digest|negotiate|bot)\s{1,8}[^\s\"'<>]+|[^\s\"'<>]{6,})",
    _word("b", "earer", r"\w") + r"\s{1,8}()(?=[\w.~+/=-]{0,200}\d)[\w.~+/=-]{16,}",
    # A cookie header: every name=value pair to the end of the line or the quote.
    _word("c", "ookie", r"\w") + r"[\"']?[ \t]{0,8}:[ \t]{0,8}()(?=[^\s=;\"']{1,200}=)"
    r"[^\n\"']+",
    # mysql -pSECRET and redis-cli -a SECRET: the password glued to, or after, a short flag.
    _word("m", "ysql|ariadb", r"\w") + r"[^\n]{0,120}?\s-p()(?=\S)" + _VALUE,
    _word("r", r"edis-cli\b", r"\w") + r"[^\n]{0,120}?\s-a[ \t]{1,8}()" + _VALUE,
    # curl -u user:password; any --user or --auth with a password ("user:pw").
    _word("c", r"url\b", r"\w") + r"[^\n]{0,200}?\s-u[ \t]{0,8}()(?=[\"']?[^\s:\"']{0,200}:)"
    + _VALUE,
    r"-(?<![\w-]-)-(?:user|auth)[ \t=]{1,8}()(?=[\"']?[^\s:\"']{0,200}:)" + _VALUE,
    # --requirepass X, -storepass X, --db-password X; and redis.conf's "requirepass X".
    r"-(?<![\w-]-)-?[\w-]{0,40}?(?i:pass(?:word|wd)?|secret|token|api-?key|masterauth)"
    r"[ \t]{1,8}()(?!-)" + _VALUE,
    "(?:" + _word("r", "equirepass", r"[\w-]") + "|" + _word("m", "asterauth", r"[\w-]")
    + r")[ \t]{1,8}()" + _VALUE,
    f"(?:{_SPACED_NAME})[ \\t]{{1,8}}()(?![-=:}})\\]]|{_NOT_A_SECRET}|{_PROSE_AFTER_NAME})"
    + _VALUE,
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
        ``--requirepass [redacted]``. What only refers to one stays whole:
        ``password: ${DB_PASSWORD}``, ``token: null``, ``max_tokens: 4096``.
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
