"""Messages for the terminal: the same warning repeated thousands of times is shown a few times and counted."""

from __future__ import annotations

import re
from collections import Counter

SHOW_PER_KIND = 3


def warning_kind(message: str) -> str:
    """Return a message with its particulars (numbers, quoted text) blanked: its kind."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "…", message)
    return re.sub(r"\d+", "N", message)


def cap_repeats(messages: list[str], keep: int = SHOW_PER_KIND) -> list[str]:
    """Return the first `keep` messages of each kind, in order, then one line per kind counting the rest."""
    seen: Counter[str] = Counter()
    shown: list[str] = []
    first: dict[str, str] = {}
    for message in messages:
        kind = warning_kind(message)
        seen[kind] += 1
        first.setdefault(kind, message)
        if seen[kind] <= keep:
            shown.append(message)
    for kind, count in seen.items():
        if count > keep:
            shown.append(f"{count - keep} more warnings like “{first[kind]}” not shown")
    return shown
