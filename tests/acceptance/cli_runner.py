"""Runs the installed `clearance` command exactly as DESIGN.md names it, as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CLEARANCE = shutil.which("clearance", path=str(Path(sys.executable).parent)) or "clearance"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    home: Path
    database_url: str

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        env = {**os.environ, "CLEARANCE_HOME": str(self.home), "COLUMNS": "200", "NO_COLOR": "1"}
        env.pop("CLEARANCE_DEBUG", None)
        env.pop("CLEARANCE_DATABASE_URL", None)
        if self.database_url:  # empty: the home's own settings decide
            env["CLEARANCE_DATABASE_URL"] = self.database_url
        done = subprocess.run([CLEARANCE, *args], capture_output=True, text=True, env=env, input=stdin,
                              timeout=120, check=False)
        assert "Traceback" not in done.stderr, done.stderr
        return Result(done.returncode, done.stdout, done.stderr)
