"""The original command file's `!` lines, verbatim, in the order Claude Code meets them.

Source: the seed command file this project grew from (``allowed-tools`` there permits
``fd``, ``rg`` and ``gdate``). The session-id line appears twice in it, so it runs twice.
"""

from __future__ import annotations

SESSION_ID = "gdate +%s%N || date +%s%N"

SEED_LINES: tuple[str, ...] = (
    SESSION_ID,
    'fd . -t d -d 2 | head -10 || echo "No project structure detected"',
    'fd -e go -e rs -e java -e py -e js -e ts | grep -E "(server|api|backend|service)" '
    '| head -5 || echo "No backend files detected"',
    'fd -e sql -e migration -e schema | head -3 || echo "No database files found"',
    'fd -e toml -e yaml -e json -e env | grep -E "(config|env)" | head -3 '
    '|| echo "No config files found"',
    'git branch --show-current 2>/dev/null || echo "main"',
    SESSION_ID,
)
