"""Where the shared screening data is: ../shared/data/screening beside the clone (as on CI)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "screening"
HERE = Path(__file__).resolve().parent / "data"
