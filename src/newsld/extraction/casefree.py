"""Case-insensitive patterns run as case-sensitive ones on a lowercased copy of the text.

Ignoring case makes the regex engine several times slower: it lowercases every character it
compares. Lowercasing the text once instead gives the same matches at the same offsets when

- lowercasing keeps the length (each character lowercases to one: not so for "İ"), so offsets
  stay those of the text;
- no character is one that matching without case equates with an ASCII letter of another
  lowercase ("ı" with "i", "ſ" with "s"): then a character lowercases to a letter of the pattern
  exactly when matching without case would match it to that letter;

and lowercasing never changes what ``\\s``, ``\\d`` and ``\\w`` match. (Both checked for every
code point against ASCII letters and "é", the cased characters of the patterns that use this;
tests/test_extract_scans.py compares the two ways on texts with such characters.)

The matches hold the lowercased text: use their offsets, or compare their text lowercased.
"""

from __future__ import annotations

import re

# characters that matching without case equates with an ASCII letter they do not lowercase to
_SPECIAL = frozenset("ıſ")


def lowercase_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive pattern for lowercased text of a pattern compiled with IGNORECASE."""
    assert pattern.flags & re.IGNORECASE
    assert not re.search(r"\\[A-Z]", pattern.pattern), "an escape that lowercasing would change"
    assert not _SPECIAL & set(pattern.pattern)
    return re.compile(pattern.pattern.lower().replace("(?p<", "(?P<"))


def lowercased(text: str) -> str | None:
    """``text`` lowercased, if the lowercase patterns find in it what the others find in
    ``text``; else None."""
    lowered = text.lower()
    if len(lowered) != len(text) or any(special in lowered for special in _SPECIAL):
        return None
    return lowered
