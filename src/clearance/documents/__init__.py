"""Reading the documents a compliance officer writes: directive YAML, license YAML, subject CSV.

Each loader takes the text (decoding is the caller's job) and a `source` name for messages, and
returns domain values or raises `ValidationFailed` listing every problem as `file:line: field:
message`; nothing from a file with a problem is returned.

    load_directives(text, source=, groups=, catalog=, home_country=) -> list[Directive]
    load_licenses(text, source=, groups=) -> list[License]
    load_subjects_csv(text, source=, home_country=) -> list[Subject]
    subjects_to_csv(subjects) -> str      # what load_subjects_csv reads back unchanged
"""

from clearance.documents.directive_file import load_directives
from clearance.documents.license_file import load_licenses
from clearance.documents.subject_csv import load_subjects_csv, subjects_to_csv

__all__ = ["load_directives", "load_licenses", "load_subjects_csv", "subjects_to_csv"]
