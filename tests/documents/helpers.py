"""What the document tests share: the deployment they validate against and how problems render."""

from __future__ import annotations

from collections.abc import Callable
from textwrap import dedent
from typing import Any

import pytest

from clearance.documents import load_directives
from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.directives import Directive
from clearance.domain.groups import bundled_groups
from clearance.errors import ValidationFailed

GROUPS = bundled_groups()
KNOWN_GROUPS = ", ".join(GROUPS.names)
HOME = "US"


def text(block: str) -> str:
    """A YAML or CSV block written indented in a test, as it would be in a file."""
    return dedent(block).lstrip("\n")


def directives(source_text: str, source: str = "d.yaml") -> list[Directive]:
    return load_directives(source_text, source=source, groups=GROUPS, catalog=DEMO_CATALOG, home_country=HOME)


def rendered(load: Callable[[], Any]) -> list[str]:
    """The problems `load` raises, each as the CLI prints it (`file:line: field: message`)."""
    with pytest.raises(ValidationFailed) as caught:
        load()
    return [str(p) for p in caught.value.problems]
