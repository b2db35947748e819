"""The news story as data: the November 2026 directive, its cast and their licenses, loaded into a home.

Shared by `clearance demo` (decisions in a table, then a live gateway round trip) and
`clearance serve --demo` (a gateway to call with your own SDK).  Loading is idempotent: running
either twice leaves one copy of everything.
"""

from __future__ import annotations

from importlib import resources

from clearance.documents import load_directives, load_licenses, load_subjects_csv
from clearance.domain.subjects import Subject
from clearance.home import Home

DEMO_FILES = ("bis-2026-ai-001.yaml", "crimea.yaml")


def demo_text(name: str) -> str:
    return resources.files("clearance").joinpath("demo_data", name).read_text("utf-8")


def seed_demo(home: Home, *, actor: str = "demo") -> list[Subject]:
    """Apply the demo directives, import the cast and add their licenses; returns the cast."""
    for name in DEMO_FILES:
        text = demo_text(name)
        directives = load_directives(text, source=name, groups=home.groups, catalog=home.catalog,
                                     home_country=home.home_country)
        home.store.apply_directives(directives, source=name, source_text=text, actor=actor)
    subjects = load_subjects_csv(demo_text("subjects.csv"), source="subjects.csv", home_country=home.home_country)
    home.store.import_subjects(subjects, actor=actor)
    existing = {lic.id for lic in home.store.licenses()}
    licenses = [lic for lic in load_licenses(demo_text("licenses.yaml"), source="licenses.yaml", groups=home.groups)
                if lic.id not in existing]
    if licenses:
        home.store.add_licenses(licenses, actor=actor)
    return subjects


DEMO_KEYS_FILE = "demo-keys.txt"


def demo_keys(home: Home, *, actor: str = "demo") -> dict[str, str]:
    """One API key per member of the cast, made once and kept in `demo-keys.txt` (0600) in the home.

    Keys are stored hashed, so the file is the only place the demo's secrets can be shown again; a
    real deployment hands each key to its holder once and keeps no such file.
    """
    path = home.path / DEMO_KEYS_FILE
    if path.exists():
        pairs = (line.split(None, 1) for line in path.read_text("utf-8").splitlines() if line.strip())
        return {subject: key.strip() for subject, key in pairs}
    keys = {subject.id: home.store.create_api_key(subject.id, label="demo", actor=actor).secret
            for subject in home.store.subjects()}
    path.touch(mode=0o600)
    path.write_text("".join(f"{subject} {key}\n" for subject, key in keys.items()), encoding="utf-8")
    return keys
