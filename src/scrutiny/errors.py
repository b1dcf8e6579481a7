"""Scrutiny's exceptions: one base class and a few specific kinds.

Every message names the field or argument, the bad value and what is allowed, and where it can,
suggests a fix. The command line prints the message alone (no traceback) and exits with status 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "Error",
    "ConfigError",
    "InputError",
    "ResourceError",
    "PersonalDataError",
    "RecoveryWarning",
    "ScenarioWarning",
    "did_you_mean",
    "brief",
]


class Error(Exception):
    """Base class of every error Scrutiny raises on purpose."""


class ConfigError(Error, ValueError):
    """A scenario or argument is invalid: misspelt key, wrong type, value out of range."""


class InputError(Error, ValueError):
    """An input file (geography, aggregates, score file, results folder) is unusable."""


class PersonalDataError(InputError):
    """An import contains columns that look like data about real individuals."""


class ResourceError(Error, MemoryError):
    """A run would need more memory (or disk) than the machine has."""


class RecoveryWarning(UserWarning):
    """Scrutiny found a damaged file it can rebuild (a results-store part or catalog) and says what it did."""


class ScenarioWarning(UserWarning):
    """A scenario value that is allowed but looks like a mistake; the message says what the field means.

    Far outside its documented range, or without effect under the scenario's other settings.
    """


def did_you_mean(bad: str, allowed: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest allowed name, or ``""``.

    Examples:
        >>> did_you_mean("treshold", ["threshold", "gallery_size"])
        " Did you mean 'threshold'?"
    """
    best = difflib.get_close_matches(str(bad), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" Did you mean {best[0]!r}?" if best else ""


def brief(value: object, limit: int = 120) -> str:
    """Return ``repr(value)`` cut to about ``limit`` characters, saying how long it was.

    Error messages echo the bad value; a value of a million characters (a huge list, a garbage
    string) would bury the message, so the middle is cut.

    Examples:
        >>> brief(1.5)
        '1.5'
        >>> brief("x" * 1000, limit=20)
        "'xxxxxxx ... xxxxxx' (1,002 characters)"
    """
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails is shown by its type
        return f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    half = max(limit // 2 - 2, 1)
    return f"{text[:half]} ... {text[-half + 1:]} ({len(text):,} characters)"
