"""The import boundary: refuse columns that look like data about real individuals.

Every import path (score files, and tract aggregates with their GeoJSON properties) calls
:func:`refuse_personal_columns` on its header before it reads a single value. A column is refused
when its name, lower-cased with every run of non-alphanumeric characters turned into ``_``,
contains a word that names personal data: names, dates of birth, identity numbers and record
numbers, street addresses and postcodes, phone numbers and device ids, e-mail addresses, vehicle
plates, or face images and templates. An import whose schema has aggregate columns that share such
a word (a tract's ``age_under_18`` count, its ``centroid_lat``) names them in ``allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scrutiny.errors import PersonalDataError

__all__ = ["refuse_personal_columns", "personal_kind"]

_KINDS: tuple[tuple[str, str], ...] = (
    ("a name", r"(^|_)(first|last|given|family|middle|full|sur|fore|maiden|user)?_?names?($|_)|surname|forename|"
     r"(^|_)given($|_)"),
    ("a date of birth", r"(^|_)dob($|_)|birth|(^|_)born($|_)|(^|_)age($|_)"),
    ("a vehicle plate", r"plate|(^|_)(vrm|vin|registration|tag)($|_)"),
    ("an identity number", r"(^|_)(ssn|sin|nin|nino|itin|ein|anumber|a_number|alien|passport|licen[cs]e|dl|id|"
     r"ids|identifier|uuid|guid|subject|person|people|individual|patient|mrn|fin|nhs|medicaid|case)($|_)|_id($|_)|"
     r"social_security"),
    ("an address", r"address|street|apartment|(^|_)addr($|_)|(^|_)(zip|zipcode|postcode|postal|city|apt|unit|lat|lon|"
     r"latitude|longitude|geo|gps)($|_)"),
    ("a phone or device id", r"phone|mobile|(^|_)(tel|cell|msisdn|imei|imsi|mac|ip)($|_)"),
    ("an e-mail address", r"e_?mail"),
    ("a face image or template", r"image|photo|(^|_)(img|jpe?g|png|face|template|embedding|feature)s?($|_)"),
)
_PATTERNS = tuple((kind, re.compile(rx)) for kind, rx in _KINDS)


def _normalise(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(column).strip().lower()).strip("_")


def personal_kind(column: str) -> str | None:
    """Return what personal data a column name looks like (``"a name"``, ...), or ``None``.

    Examples:
        >>> personal_kind("Date of Birth"), personal_kind("licence_plate"), personal_kind("score")
        ('a date of birth', 'a vehicle plate', None)
    """
    name = _normalise(column)
    for kind, rx in _PATTERNS:
        if rx.search(name):
            return kind
    return None


def refuse_personal_columns(
    columns: Iterable[str], *, origin: str, allowed: re.Pattern | None = None, noun: str = "column"
) -> None:
    """Raise :class:`PersonalDataError` if any column looks like personal data.

    Args:
        columns: Column names of the import.
        origin: The file (or argument) they come from, for the message.
        allowed: Optional pattern of the aggregate columns the import's schema expects whose names
            share a word with personal data; it must match the whole normalised name (lower case,
            ``_`` between words).
        noun: What the names are called in the message (``"column"``, ``"property"``).

    Raises:
        PersonalDataError: Naming every offending column and what it looks like.

    Examples:
        >>> refuse_personal_columns(["age_under_18"], origin="x.csv", allowed=re.compile("age_under_18"))
        >>> refuse_personal_columns(["score", "Full Name"], origin="x.csv")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        scrutiny.errors.PersonalDataError: x.csv: refused: column 'Full Name' looks like a name. ...
    """
    bad = [(c, personal_kind(c)) for c in columns if allowed is None or not allowed.fullmatch(_normalise(c))]
    bad = [(c, k) for c, k in bad if k is not None]
    if bad:
        listed = "; ".join(f"{noun} {c!r} looks like {k}" for c, k in bad)
        raise PersonalDataError(
            f"{origin}: refused: {listed}. Scrutiny never ingests data about real individuals; remove these "
            "columns and keep only aggregate or synthetic values."
        )
