"""Reading a list file: its text, and which edition of the list it is.

Version rule (documented for compliance officers): a date written as YYYY-MM-DD in the file's name,
else in its directory's name (``ofac_sdn_2024-05-03/sdn.csv``), else a date the format itself
carries (the CSL JSON's ``sourceGeneratedAt``, passed by its parser), else the file's modification
date.  The official downloads carry no date inside, so the name is the only honest place to keep it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from clearance.files import read_bytes

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def version_of(path: Path, carried: date | None = None) -> date | None:
    """The list's version date by the rule above."""
    for part in (path.name, path.parent.name):
        found = _DATE.search(part)
        if found:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                continue
    if carried is not None:
        return carried
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    except OSError:
        return None


def read_list_text(path: Path) -> str:
    """The file as text: UTF-8, else Windows-1252 (older OFAC files); DOS end-of-file (0x1A) dropped."""
    data = read_bytes(path, kind="list file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.rstrip("\x1a\r\n ") + "\n" if text.strip("\x1a\r\n ") else ""
