"""Reading the text files Scrutiny takes as input (TOML, CSV, GeoJSON), with errors a person can act on.

Every input file is read as UTF-8 (a leading byte-order mark is accepted). A file in another
encoding (Latin-1, Windows-1252, UTF-16) or with stray bytes, a folder where a file was expected,
or a file that cannot be read stops with one :class:`~scrutiny.errors.InputError` (or the
``error`` class the caller gives) naming the file, where the bad byte is and what to do.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from scrutiny.errors import Error, InputError

__all__ = ["read_text", "decode_utf8", "utf8_problem", "packaged_geographies", "packaged_geography"]

_BOMS = {b"\xff\xfe": "UTF-16 (little-endian)", b"\xfe\xff": "UTF-16 (big-endian)"}


def decode_utf8(raw: bytes, origin: str, *, error: type[Error] = InputError) -> str:
    """Decode ``raw`` as UTF-8 (a UTF-8 byte-order mark is dropped), or raise ``error`` naming ``origin``.

    Examples:
        >>> decode_utf8("café".encode(), "x.toml")
        'café'
        >>> decode_utf8("café".encode("latin-1"), "x.toml")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        scrutiny.errors.InputError: x.toml is not UTF-8 text: byte 0xe9 on line 1, column 4 ... Save it as UTF-8.
    """
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise error(f"{origin} is {name} text; Scrutiny reads UTF-8 only. Save it as UTF-8.")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise error(f"{origin} holds a NUL byte on line {line}: it is UTF-16 text or not "
                    "text at all. Save it as UTF-8.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        byte = raw[start]
        guess = ""
        if byte >= 0x80:
            try:
                guess = f" (it looks like Latin-1 or Windows-1252, where it is {bytes([byte]).decode('cp1252')!r})"
            except UnicodeDecodeError:
                guess = ""
        raise error(f"{origin} is not UTF-8 text: byte 0x{byte:02x} on line {line}, column {column} cannot be "
                    f"decoded{guess}. Save it as UTF-8.") from None


def read_text(path: str | Path, what: str, *, error: type[Error] = InputError) -> str:
    """Read a UTF-8 text file; ``what`` names it in messages (``"Scenario file"``, ``"world.geography: file"``).

    Raises:
        Error: ``error`` (default :class:`InputError`) naming the path, for a missing file, a folder,
            a file that cannot be read (permissions) or one that is not UTF-8.
    """
    path = Path(path)
    origin = f"{what} {str(path)!r}"
    if path.is_dir():
        raise error(f"{origin} is a folder, not a file.")
    if not path.is_file():
        if path.exists():  # a device, a pipe, a socket: it may never end (/dev/zero) or never start
            raise error(f"{origin} is not a regular file (a device, pipe or socket); give the path of a file.")
        raise error(f"{origin} does not exist.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{origin} cannot be read: {exc.strerror or exc}.") from None
    return decode_utf8(raw, origin, error=error)


def utf8_problem(text: str) -> str | None:
    r"""Say why ``text`` cannot be written as UTF-8 (undecodable bytes from the command line), or ``None``.

    On Linux a command-line argument that is not UTF-8 arrives with each bad byte as a lone
    surrogate (``'\udce9'`` for byte 0xe9); such text cannot be written to a TOML or JSON file.

    Examples:
        >>> utf8_problem("café") is None, utf8_problem("caf\udce9")
        (True, 'byte 0xe9 at character 4 is not UTF-8')
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = ord(text[exc.start])
        what = f"byte 0x{char - 0xDC00:02x}" if 0xDC80 <= char <= 0xDCFF else f"character U+{char:04X}"
        return f"{what} at character {exc.start + 1} is not UTF-8"
    return None


def packaged_geographies() -> list[str]:
    """Names of the geography folders shipped inside the package (``src/scrutiny/data/<name>``).

    Examples:
        >>> "hennepin-mn" in packaged_geographies()
        True
    """
    folder = Path(str(resources.files("scrutiny"))) / "data"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "tract_aggregates.csv").is_file())


def packaged_geography(name: str) -> Path | None:
    """The folder of a packaged geography called ``name`` (``world.geography = "hennepin-mn"``), else ``None``.

    A bare name (no path separator) that names a packaged folder resolves to it from any working
    directory; anything else is a path and is left to the caller (``./hennepin-mn`` names a local
    folder of that name).

    Examples:
        >>> packaged_geography("hennepin-mn").name, packaged_geography("./hennepin-mn")
        ('hennepin-mn', None)
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    return Path(str(resources.files("scrutiny"))) / "data" / name if name in packaged_geographies() else None
