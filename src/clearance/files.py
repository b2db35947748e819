"""Reading a user's input file, with the errors a user understands (missing, a directory, no access)."""

from __future__ import annotations

from pathlib import Path

from clearance.errors import DataError, NotFound


def read_bytes(path: Path, *, kind: str = "file") -> bytes:
    """The file's bytes; NotFound or DataError naming the path and what was expected (`kind`)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path}: no such {kind}") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a {kind}") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
